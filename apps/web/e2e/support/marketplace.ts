import { randomBytes } from 'node:crypto';
import { expect, type APIRequestContext } from '@playwright/test';
import { PASSWORD, TERMS_VERSION, uniqueEmail, type Account } from './accounts';

/** A word no other lawyer's name contains (letters only, so search tokenises it as one word). */
export function uniqueWord(): string {
  return Array.from(randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join('');
}

/** Signs in through the API and returns the bearer token. */
export async function bearerFor(request: APIRequestContext, account: Pick<Account, 'email' | 'password'>): Promise<string> {
  const login = await request.post('/api/auth/login', { data: { email: account.email, password: account.password } });
  expect(login.status(), await login.text()).toBe(200);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

/**
 * Registers an account with an explicit time zone (times in the UI are shown in it). With
 * `verifyVia` (an admin) the address is verified the way a person does it: the link of the
 * verification email, read from the admin outbox (booking needs a verified email).
 */
export async function registerAccount(
  request: APIRequestContext,
  role: 'CLIENT' | 'LAWYER',
  displayName: string,
  timeZone: string,
  verifyVia?: Account,
): Promise<Account> {
  const email = uniqueEmail(role.toLowerCase());
  const response = await request.post('/api/auth/register', {
    data: { email, password: PASSWORD, displayName, role, timeZone, locale: 'en', acceptedTermsVersion: TERMS_VERSION },
  });
  expect(response.status(), await response.text()).toBe(201);
  const account = { email, password: PASSWORD, displayName };
  if (verifyVia) await verifyEmail(request, verifyVia, email);
  return account;
}

/** Opens the verification link captured in the outbox for `email` (read by `admin`). */
export async function verifyEmail(request: APIRequestContext, admin: Account, email: string): Promise<void> {
  const adminAuth = { Authorization: `Bearer ${await bearerFor(request, admin)}` };
  let token: string | undefined;
  await expect(async () => {
    const outbox = await request.get(`/api/admin/outbox?to=${encodeURIComponent(email)}`, { headers: adminAuth });
    expect(outbox.status(), await outbox.text()).toBe(200);
    const { items } = (await outbox.json()) as { items: { body: string | null }[] };
    token = items.map((m) => /verify-email\?token=([^\s&]+)/.exec(m.body ?? '')?.[1]).find(Boolean);
    expect(token).toBeTruthy();
  }).toPass({ timeout: 15_000 });
  const verified = await request.post('/api/auth/verify-email', { data: { token: decodeURIComponent(token!) } });
  expect(verified.status(), await verified.text()).toBeLessThan(300);
}

export interface BookableLawyer extends Account {
  id: string;
  offeringId: string;
  offeringTitle: string;
}

/**
 * A VERIFIED lawyer who sells one offering and is free every day 08:00–20:00 in Europe/Madrid
 * (or `timeZone`: account and weekly hours in the same zone),
 * set up through the API the way the SPA does it: register, fill in the profile, an admin
 * verifies, the lawyer creates the offering and saves the weekly hours.
 */
export async function createBookableLawyer(
  request: APIRequestContext,
  admin: Account,
  input: {
    displayName: string;
    offeringTitle: string;
    priceMinor: number;
    currency: string;
    durationMinutes: number;
    timeZone?: string;
  },
): Promise<BookableLawyer> {
  const timeZone = input.timeZone ?? 'Europe/Madrid';
  const lawyer = await registerAccount(request, 'LAWYER', input.displayName, timeZone);
  const lawyerAuth = { Authorization: `Bearer ${await bearerFor(request, lawyer)}` };
  const me = await request.get('/api/auth/me', { headers: lawyerAuth });
  const { id } = (await me.json()) as { id: string };

  const profile = await request.put('/api/lawyer/profile', {
    headers: lawyerAuth,
    data: {
      barNumber: `ICAM-${randomBytes(3).toString('hex')}`,
      barJurisdiction: 'Madrid, Spain',
      jurisdictions: ['ES'],
      practiceAreas: ['immigration', 'family'],
      languages: ['es', 'en'],
      bio: 'Immigration and family lawyer in Madrid. Residence permits, nationality and family reunification.',
    },
  });
  expect(profile.status(), await profile.text()).toBe(200);

  const adminAuth = { Authorization: `Bearer ${await bearerFor(request, admin)}` };
  const verified = await request.post(`/api/admin/lawyers/${id}/verify`, { headers: adminAuth });
  expect(verified.status(), await verified.text()).toBeLessThan(300);

  const offering = await request.post('/api/lawyer/offerings', {
    headers: lawyerAuth,
    data: {
      title: input.offeringTitle,
      description: 'A first look at your case, with written next steps.',
      durationMinutes: input.durationMinutes,
      priceMinor: input.priceMinor,
      currency: input.currency,
    },
  });
  expect(offering.status(), await offering.text()).toBe(201);
  const { id: offeringId } = (await offering.json()) as { id: string };

  const availability = await request.put('/api/lawyer/availability', {
    headers: lawyerAuth,
    data: {
      timeZone,
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '20:00' })),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 15,
      minimumNoticeMinutes: 60,
      maxSessionsPerDay: null,
    },
  });
  expect(availability.status(), await availability.text()).toBe(200);

  return { ...lawyer, id, offeringId, offeringTitle: input.offeringTitle };
}

/**
 * The client pays in the Stripe sandbox (its "Pay" sends the signed webhook) and books the free
 * time `pick` chooses from the session's slots, through the API as the SPA does; returns the
 * session id and the booked start.
 */
export async function payAndBook(
  request: APIRequestContext,
  client: Pick<Account, 'email' | 'password'>,
  offeringId: string,
  pick: { why: string; slot: (slots: { startAt: string }[]) => string | undefined },
): Promise<{ sessionId: string; startAt: string }> {
  const auth = { Authorization: `Bearer ${await bearerFor(request, client)}` };
  const created = await request.post('/api/checkout/create-session', { headers: auth, data: { offeringId } });
  expect(created.status(), await created.text()).toBe(201);
  const { sessionId, checkoutUrl } = (await created.json()) as { sessionId: string; checkoutUrl: string };
  const checkoutId = /\/api\/sandbox\/checkout\/(cs_test_[A-Za-z0-9_]+)/.exec(checkoutUrl)?.[1];
  expect(checkoutId, checkoutUrl).toBeTruthy();
  const paid = await request.post(`/api/sandbox/checkout/${checkoutId}/pay`, { maxRedirects: 0 });
  expect(paid.status(), await paid.text()).toBeLessThan(400);
  // The sandbox confirms through the signed webhook: wait until the session is PAID.
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/sessions/${sessionId}`, { headers: auth })).json()) as { status: string }).status,
      {
        timeout: 30_000,
      },
    )
    .toBe('PAID');
  const slots = await request.get(`/api/sessions/${sessionId}/slots`, { headers: auth });
  expect(slots.status(), await slots.text()).toBe(200);
  const startAt = pick.slot(((await slots.json()) as { slots: { startAt: string }[] }).slots);
  expect(startAt, pick.why).toBeTruthy();
  const booked = await request.post('/api/sessions/schedule', { headers: auth, data: { sessionId, startAt } });
  expect(booked.status(), await booked.text()).toBe(200);
  return { sessionId, startAt: startAt! };
}

/**
 * Makes the lawyer free around the clock in UTC with no notice, buffers or daily cap of their own,
 * so the soonest slot is the first one the booking rules allow (its call already open in the e2e
 * server's configuration); the lawyer's Authorization header.
 */
export async function freeAroundTheClock(request: APIRequestContext, lawyer: Account): Promise<{ Authorization: string }> {
  const lawyerAuth = { Authorization: `Bearer ${await bearerFor(request, lawyer)}` };
  const hours = await request.put('/api/lawyer/availability', {
    headers: lawyerAuth,
    data: {
      timeZone: 'UTC',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      maxSessionsPerDay: null,
    },
  });
  expect(hours.status(), await hours.text()).toBe(200);
  return lawyerAuth;
}

/**
 * Signs a demo account (its password is random and only printed) in through the API: with the
 * password an earlier run set, or else
 * after a password reset whose link is read from the admin outbox (the demo seed may still be
 * running just after the server started, so the account is waited for first).
 */
export async function demoAccount(
  request: APIRequestContext,
  admin: Account,
  demo: { email: string; password: string },
): Promise<Account> {
  const { email, password } = demo;
  const known = await request.post('/api/auth/login', { data: { email, password } });
  if (known.status() !== 200) {
    const adminAuth = { Authorization: `Bearer ${await bearerFor(request, admin)}` };
    await expect(async () => {
      const users = await request.get(`/api/admin/users?q=${encodeURIComponent(email)}`, { headers: adminAuth });
      expect(users.status(), await users.text()).toBe(200);
      const { items } = (await users.json()) as { items: { email: string }[] };
      expect(
        items.map((u) => u.email),
        'the demo seed has created the account',
      ).toContain(email);
    }).toPass({ timeout: 90_000 });

    const requestedAt = Date.now();
    const asked = await request.post('/api/auth/password-reset/request', { data: { email: email } });
    expect(asked.status(), await asked.text()).toBe(202);
    let token: string | undefined;
    await expect(async () => {
      const outbox = await request.get(`/api/admin/outbox?to=${encodeURIComponent(email)}&pageSize=100`, {
        headers: adminAuth,
      });
      expect(outbox.status(), await outbox.text()).toBe(200);
      const { items } = (await outbox.json()) as { items: { subject: string; body: string | null; createdAt: string }[] };
      // Newest first: the link of this request (a new request retires the earlier links).
      token = items
        .filter((m) => /reset/i.test(m.subject) && Date.parse(m.createdAt) >= requestedAt - 5_000)
        .map((m) => /reset-password\?token=([\w-]+)/.exec(m.body ?? '')?.[1])
        .find(Boolean);
      expect(token, 'the reset email has been captured').toBeTruthy();
    }).toPass({ timeout: 90_000 });
    const confirmed = await request.post('/api/auth/password-reset/confirm', {
      data: { token, newPassword: password },
    });
    expect(confirmed.status(), await confirmed.text()).toBe(204);
  }
  const auth = { Authorization: `Bearer ${await bearerFor(request, { email, password })}` };
  const me = (await (await request.get('/api/auth/me', { headers: auth })).json()) as { displayName: string };
  return { email, password, displayName: me.displayName };
}
