import { TERMS_VERSION } from '@lm/domain';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { lastEmailedToken, outbox } from '../factories/emails';
import { bearer, createUser, login, strongPassword, uniqueEmail } from '../factories/users';
import { EMAIL_VERIFICATION_TTL_HOURS } from '../../src/modules/identity/identity-emails';
import { createTestApp, TestApp } from '../setup/test-app';

const PUBLIC_URL = 'http://lexmarket.test:8080/';

describe('identity: email verification', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL });
    ds = t.app.get(DataSource);
  });
  afterEach(() => t.clock.reset());

  afterAll(async () => {
    await t?.close();
  });

  /** Signs up through the API and signs in (an unverified address does not block sign-in). */
  async function signUp(): Promise<{ id: string; email: string; accessToken: string }> {
    const email = uniqueEmail('verify');
    const password = strongPassword();
    const res = await request(t.server).post('/api/auth/register').send({ email, password, displayName: 'Vera Fied', role: 'CLIENT', acceptedTermsVersion: TERMS_VERSION }).expect(201);
    const { accessToken } = await login(t, { email, password });
    return { id: res.body.id, email, accessToken };
  }
  const verify = (token: string) => request(t.server).post('/api/auth/verify-email').send({ token });
  const me = (accessToken: string) => request(t.server).get('/api/auth/me').set(bearer(accessToken)).expect(200);
  const resend = (accessToken: string) => request(t.server).post('/api/auth/verify-email/resend').set(bearer(accessToken));

  it('sign-up emails a verification link; opening it verifies the address once, audited', async () => {
    const user = await signUp();
    const emails = await outbox(t, user.email, 'email-verification');
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ subject: 'Confirm your email address for LexMarket', userId: user.id });
    expect(emails[0]!.bodyText).toContain('http://lexmarket.test:8080/verify-email?token=');
    expect((await me(user.accessToken)).body).toMatchObject({ emailVerified: false, emailVerifiedAt: null });

    const token = await lastEmailedToken(t, user.email, 'email-verification');
    await verify(token).expect(204);

    const after = (await me(user.accessToken)).body;
    expect(after.emailVerified).toBe(true);
    expect(new Date(after.emailVerifiedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await verify(token).expect(400)).body.code).toBe('VERIFICATION_TOKEN_INVALID');
    const audit = await ds.query(`SELECT actor_id, payload FROM audit_events WHERE action = 'user.email_verified' AND subject_id = $1`, [user.id]);
    expect(audit).toEqual([{ actor_id: user.id, payload: { via: 'email_link' } }]);
  });

  it('a sign-up that fails (email taken) sends no verification email', async () => {
    const existing = await createUser(t);
    await request(t.server).post('/api/auth/register').send({ email: existing.email, password: strongPassword(), displayName: 'Dup', role: 'CLIENT', acceptedTermsVersion: TERMS_VERSION }).expect(409);
    expect(await outbox(t, existing.email, 'email-verification')).toHaveLength(0);
  });

  it('refuses garbage and expired tokens with 400 VERIFICATION_TOKEN_INVALID', async () => {
    expect((await verify('garbage').expect(400)).body.code).toBe('VERIFICATION_TOKEN_INVALID');
    const user = await signUp();
    const token = await lastEmailedToken(t, user.email, 'email-verification');
    t.clock.advance(EMAIL_VERIFICATION_TTL_HOURS * 3_600_000 + 1_000); // the link's 48 hours are over
    expect((await verify(token).expect(400)).body.code).toBe('VERIFICATION_TOKEN_INVALID');
    expect((await me(user.accessToken)).body.emailVerified).toBe(false);
  });

  it('resend issues a new link and retires the old one; once verified → 409 EMAIL_ALREADY_VERIFIED', async () => {
    const user = await signUp();
    const first = await lastEmailedToken(t, user.email, 'email-verification');
    const res = await resend(user.accessToken).expect(202);
    expect(res.body).toEqual({ message: 'A new verification link has been sent.' });
    const second = await lastEmailedToken(t, user.email, 'email-verification');
    expect(second).not.toBe(first);
    expect((await verify(first).expect(400)).body.code).toBe('VERIFICATION_TOKEN_INVALID');
    await verify(second).expect(204);
    expect((await resend(user.accessToken).expect(409)).body.code).toBe('EMAIL_ALREADY_VERIFIED');
    expect(await outbox(t, user.email, 'email-verification')).toHaveLength(2);
  });

  it('resend needs a signed-in caller', async () => {
    expect((await request(t.server).post('/api/auth/verify-email/resend').expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it('caps verification emails at 5 per account per hour (sign-up included) → 429 with Retry-After', async () => {
    const user = await signUp();
    for (let i = 0; i < 4; i++) await resend(user.accessToken).expect(202);
    const res = await resend(user.accessToken).expect(429);
    expect(res.body.code).toBe('TOO_MANY_VERIFICATION_EMAILS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await outbox(t, user.email, 'email-verification')).toHaveLength(5);
  });
});
