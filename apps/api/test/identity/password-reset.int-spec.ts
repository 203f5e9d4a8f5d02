import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EmailMessage } from '../../src/modules/mail/email-message.entity';
import { PasswordResetService } from '../../src/modules/identity/password-reset.service';
import { lastEmailedToken, outbox } from '../factories/emails';
import { bearer, createUser, login, strongPassword, uniqueEmail } from '../factories/users';
import { PASSWORD_RESET_TTL_MINUTES } from '../../src/modules/identity/identity-emails';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

const PUBLIC_URL = 'http://lexmarket.test:8080';
const SAME_ANSWER = { message: 'If an account exists for this address, a link to reset its password has been sent.' };

describe('identity: password reset by emailed one-time token', () => {
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

  const requestReset = (email: string) => request(t.server).post('/api/auth/password-reset/request').send({ email });
  const confirm = (token: string, newPassword: string) =>
    request(t.server).post('/api/auth/password-reset/confirm').send({ token, newPassword });
  /** Issues a reset through the service (keeps this file under the per-address HTTP limit). */
  const issue = async (email: string) => {
    await t.app.get(PasswordResetService).request(email);
    return lastEmailedToken(t, email, 'password-reset');
  };

  it('answers an unknown address exactly like a known one, and emails only the known one', async () => {
    const user = await createUser(t, { emailVerified: false });
    const unknown = uniqueEmail('nobody');
    const known = await requestReset(user.email.toUpperCase()).expect(202);
    const missing = await requestReset(unknown).expect(202);
    expect(known.body).toEqual(SAME_ANSWER);
    expect(missing.body).toEqual(known.body);
    expect(await outbox(t, unknown, 'password-reset')).toHaveLength(0);
    const [mail] = await outbox(t, user.email, 'password-reset');
    expect(mail).toMatchObject({ subject: 'Reset your LexMarket password', userId: user.id });
    expect(mail!.bodyText).toContain(`${PUBLIC_URL}/reset-password?token=`);
    // Embedded mode (no SMTP_URL): the message is captured for admins instead of sent.
    const captured = await eventually(
      () => ds.getRepository(EmailMessage).findOneByOrFail({ id: mail!.id }),
      (m) => m.status !== 'PENDING',
    );
    expect(captured.status).toBe('CAPTURED');
  });

  it('stores only the SHA-256 of the token, expiring 30 minutes after the request', async () => {
    const user = await createUser(t, { emailVerified: false });
    const token = await issue(user.email);
    const rows: { token_hash: Buffer; ttl_minutes: number }[] = await ds.query(
      `SELECT token_hash, round(extract(epoch FROM expires_at - created_at) / 60)::int AS ttl_minutes FROM user_tokens WHERE user_id = $1`,
      [user.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(rows[0]!.ttl_minutes).toBe(30);
    const dump = JSON.stringify(await ds.query('SELECT * FROM user_tokens'));
    expect(dump).not.toContain(token);
  });

  it('the emailed link sets the new password once: old password fails, new works, sign-ins end, audited', async () => {
    const user = await createUser(t, { emailVerified: false });
    const before = await login(t, user);
    await requestReset(user.email).expect(202);
    const token = await lastEmailedToken(t, user.email, 'password-reset');
    const newPassword = strongPassword();

    await confirm(token, newPassword).expect(204);

    expect((await request(t.server).post('/api/auth/login').send({ email: user.email, password: user.password })).status).toBe(
      401,
    );
    await login(t, { email: user.email, password: newPassword });
    // Every refresh-token family that existed is revoked, and its access token stops working at once.
    const refreshed = await request(t.server).post('/api/auth/refresh').set('Cookie', before.refreshCookie);
    expect(refreshed.status).toBe(401);
    await request(t.server).get('/api/auth/me').set(bearer(before.accessToken)).expect(401);
    const [{ open }] = await ds.query(
      `SELECT count(*)::int AS open FROM refresh_tokens WHERE user_id = $1 AND family_id = $2 AND revoked_at IS NULL`,
      [user.id, JSON.parse(Buffer.from(before.accessToken.split('.')[1]!, 'base64url').toString()).sid],
    );
    expect(open).toBe(0);

    const again = await confirm(token, strongPassword()).expect(400);
    expect(again.body.code).toBe('RESET_TOKEN_INVALID');
    const audit = await ds.query(
      `SELECT actor_id, payload FROM audit_events WHERE action = 'user.password_reset' AND subject_id = $1`,
      [user.id],
    );
    expect(audit).toEqual([
      { actor_id: user.id, payload: { sessionsEnded: 1, emailVerified: true, revokedKeyPrefixes: [], webhookEndpointsDisabled: 0 } },
    ]);
    expect(JSON.stringify(audit)).not.toContain(token);
    // Opening the link proved the inbox: the address counts as verified now.
    const me = await request(t.server)
      .get('/api/auth/me')
      .set(bearer((await login(t, { email: user.email, password: newPassword })).accessToken));
    expect(me.body.emailVerified).toBe(true);
  });

  it.each([
    ['a garbage token', 'not-a-real-token'],
    ['an empty token', ''],
    ['an unknown well-formed token', 'q3Jc1bS2qvXw0m7mQ6mY0w8tKx3JzvWm1o0dEw5Hs1k'],
  ])('refuses %s with 400 RESET_TOKEN_INVALID', async (_label, token) => {
    const res = await confirm(token, strongPassword()).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'RESET_TOKEN_INVALID' });
  });

  it('refuses an expired token, and leaves the password unchanged', async () => {
    const user = await createUser(t, { emailVerified: false });
    const token = await issue(user.email);
    t.clock.advance((PASSWORD_RESET_TTL_MINUTES + 1) * 60_000); // the link's 30 minutes are over
    const res = await confirm(token, strongPassword()).expect(400);
    expect(res.body.code).toBe('RESET_TOKEN_INVALID');
    await login(t, user);
  });

  it('a newer request retires the older link', async () => {
    const user = await createUser(t, { emailVerified: false });
    await requestReset(user.email).expect(202);
    const first = await lastEmailedToken(t, user.email, 'password-reset');
    await requestReset(user.email).expect(202);
    const second = await lastEmailedToken(t, user.email, 'password-reset');
    expect(second).not.toBe(first);
    expect((await confirm(first, strongPassword()).expect(400)).body.code).toBe('RESET_TOKEN_INVALID');
    await confirm(second, strongPassword()).expect(204);
  });

  it('a password that breaks the rule is refused without spending the link', async () => {
    const user = await createUser(t, { emailVerified: false });
    const token = await issue(user.email);
    const weak = await confirm(token, 'Password1234').expect(400);
    expect(weak.body.code).toBe('VALIDATION_FAILED');
    expect(weak.body.fields[0].field).toBe('newPassword');
    expect(JSON.stringify(weak.body)).not.toContain('Password1234');
    await confirm(token, strongPassword()).expect(204);
  });

  it('two concurrent confirmations with one token: exactly one wins', async () => {
    const user = await createUser(t, { emailVerified: false });
    const token = await issue(user.email);
    const [a, b] = await Promise.all([confirm(token, strongPassword()), confirm(token, strongPassword())]);
    expect([a.status, b.status].sort()).toEqual([204, 400]);
  });

  it('sends at most 3 reset emails per account per hour (further requests get the same answer)', async () => {
    const user = await createUser(t, { emailVerified: false });
    const service = t.app.get(PasswordResetService);
    for (let i = 0; i < 5; i++) await service.request(user.email);
    expect(await outbox(t, user.email, 'password-reset')).toHaveLength(3);
  });

  it('sends nothing to a suspended account', async () => {
    const user = await createUser(t, { status: 'SUSPENDED' });
    await t.app.get(PasswordResetService).request(user.email);
    expect(await outbox(t, user.email, 'password-reset')).toHaveLength(0);
  });

  it('clears the failed-sign-in lockout of the account', async () => {
    const user = await createUser(t, { emailVerified: false });
    for (let i = 0; i < 5; i++)
      await request(t.server).post('/api/auth/login').send({ email: user.email, password: 'wrong wrong wrong' }).expect(401);
    expect((await request(t.server).post('/api/auth/login').send({ email: user.email, password: user.password })).status).toBe(
      429,
    );
    const newPassword = strongPassword();
    await confirm(await issue(user.email), newPassword).expect(204);
    await login(t, { email: user.email, password: newPassword });
  });
});

describe('identity: password reset requests are limited per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the 11th request within a minute from one address → 429 RATE_LIMITED', async () => {
    for (let i = 0; i < 10; i++)
      await request(t.server).post('/api/auth/password-reset/request').send({ email: uniqueEmail() }).expect(202);
    const res = await request(t.server).post('/api/auth/password-reset/request').send({ email: uniqueEmail() }).expect(429);
    expect(res.body.code).toBe('RATE_LIMITED');
  });
});
