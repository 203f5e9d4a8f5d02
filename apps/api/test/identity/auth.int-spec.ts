import { TERMS_VERSION } from '@lm/domain';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../setup/test-app';
import { bearer, createUser, login, readRefreshCookie, setCookieHeader, strongPassword, uniqueEmail } from '../factories/users';

describe('identity: accounts and sessions', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '10000' });
    ds = t.app.get(DataSource);
  });
  afterEach(() => t.clock.reset());

  afterAll(async () => {
    await t?.close();
  });

  const register = (body: Record<string, unknown>) => request(t.server).post('/api/auth/register').send({ acceptedTermsVersion: TERMS_VERSION, ...body });

  describe('POST /api/auth/register', () => {
    it('creates an account and never returns the password hash', async () => {
      const email = uniqueEmail('Ana.Lopez');
      const res = await register({ email, password: strongPassword(), displayName: 'Ana López', role: 'LAWYER', timeZone: 'europe/madrid', locale: 'pt-br' }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: email.toLowerCase(),
        role: 'LAWYER',
        status: 'ACTIVE',
        displayName: 'Ana López',
        timeZone: 'Europe/Madrid',
        locale: 'pt-BR',
        emailVerified: false,
        emailVerifiedAt: null,
        termsVersion: TERMS_VERSION,
        termsAcceptedAt: expect.any(String),
        createdAt: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
    });

    it('requires the current terms version (400 TERMS_NOT_ACCEPTED, nothing written) and records version, time and an audit entry', async () => {
      for (const consent of [{ acceptedTermsVersion: undefined }, { acceptedTermsVersion: '2020-01-01' }, { acceptedTermsVersion: '' }]) {
        const email = uniqueEmail('no-consent');
        const res = await register({ email, password: strongPassword(), displayName: 'No Consent', role: 'CLIENT', ...consent }).expect(400);
        expect(res.body.code).toBe('TERMS_NOT_ACCEPTED');
        expect(res.body.message).toContain(TERMS_VERSION);
        expect(await ds.query('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
      }
      t.clock.advance(3 * 86_400_000); // the recorded time is the business clock's, not the database's
      const before = t.clock.now().getTime();
      const res = await register({ email: uniqueEmail('consent'), password: strongPassword(), displayName: 'Con Sent', role: 'CLIENT' }).expect(201);
      const [row] = await ds.query('SELECT terms_version, terms_accepted_at FROM users WHERE id = $1', [res.body.id]);
      expect(row.terms_version).toBe(TERMS_VERSION);
      const acceptedAt: Date = row.terms_accepted_at;
      expect(acceptedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(acceptedAt.getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
      expect(res.body.termsAcceptedAt).toBe(acceptedAt.toISOString());
      const [audit] = await ds.query(`SELECT payload FROM audit_events WHERE action = 'user.registered' AND subject_id = $1`, [res.body.id]);
      expect(audit.payload).toEqual({ role: 'CLIENT', termsVersion: TERMS_VERSION, termsAcceptedAt: acceptedAt.toISOString() });
    });

    it('stores an argon2id hash with m=19456, t=2, p=1', async () => {
      const res = await register({ email: uniqueEmail(), password: strongPassword(), displayName: 'Hash Check', role: 'CLIENT' }).expect(201);
      const [row] = await ds.query('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    });

    it('treats emails case-insensitively: a second sign-up → 409 EMAIL_TAKEN', async () => {
      const email = uniqueEmail('dup');
      await register({ email, password: strongPassword(), displayName: 'First', role: 'CLIENT' }).expect(201);
      const res = await register({ email: email.toUpperCase(), password: strongPassword(), displayName: 'Second', role: 'PARTNER' }).expect(409);
      expect(res.body.code).toBe('EMAIL_TAKEN');
    });

    it('refuses ADMIN self-registration', async () => {
      const email = uniqueEmail('wannabe');
      const res = await register({ email, password: strongPassword(), displayName: 'Admin?', role: 'ADMIN' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields).toEqual([{ field: 'role', messages: ['role must be one of CLIENT, LAWYER, PARTNER'] }]);
      expect(await ds.query('SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(0);
    });

    it.each([
      ['too short', 'Sh0rt!pw', /at least 12 characters/],
      ['common', 'Password1234', /too common/],
      ['one repeated character', 'zzzzzzzzzzzzzzzz', /5 different characters/],
    ])('refuses a weak password (%s) with a clear message, without echoing it', async (_label, password, message) => {
      const res = await register({ email: uniqueEmail(), password, displayName: 'Weak', role: 'CLIENT' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields[0].field).toBe('password');
      expect(res.body.fields[0].messages.join(' ')).toMatch(message);
      expect(JSON.stringify(res.body)).not.toContain(password);
    });

    it('refuses a password containing the email, an invalid time zone, a malformed referral code', async () => {
      const email = uniqueEmail('marta.ruiz');
      const containing = await register({ email, password: `${email.split('@')[0]}-2026!`, displayName: 'Marta', role: 'CLIENT' }).expect(400);
      expect(containing.body.fields[0].messages.join(' ')).toMatch(/email/);
      const tz = await register({ email, password: strongPassword(), displayName: 'Marta', role: 'CLIENT', timeZone: '+02:00' }).expect(400);
      expect(tz.body.fields).toEqual([{ field: 'timeZone', messages: [expect.stringContaining('IANA')] }]);
      const ref = await register({ email, password: strongPassword(), displayName: 'Marta', role: 'CLIENT', referralCode: 'bad code!' }).expect(400);
      expect(ref.body.fields[0].field).toBe('referralCode');
    });

    it('accepts a well-formed referral code (attribution arrives with the partners module)', async () => {
      await register({ email: uniqueEmail(), password: strongPassword(), displayName: 'Referred', role: 'CLIENT', referralCode: 'ACME-LAW-2026' }).expect(201);
    });
  });

  describe('POST /api/auth/login', () => {
    it('returns a 15-minute HS256 access token with iss/aud and sets the refresh cookie', async () => {
      const user = await createUser(t, { role: 'PARTNER' });
      const { response, accessToken } = await login(t, user);
      expect(response.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
      const [header, payload] = accessToken.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
      expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
      expect(payload).toMatchObject({ sub: user.id, iss: 'lexmarket', aud: 'lexmarket-api', role: 'PARTNER' });
      expect(payload.exp - payload.iat).toBe(900);
      const cookie = setCookieHeader(response);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\/api\/auth/);
      expect(cookie).not.toMatch(/Secure/i); // PUBLIC_URL is http in tests
      const me = await request(t.server).get('/api/auth/me').set(bearer(accessToken)).expect(200);
      expect(me.body).toMatchObject({ id: user.id, email: user.email, role: 'PARTNER' });
    });

    it('stores the refresh token hashed, never in clear', async () => {
      const user = await createUser(t);
      const { refreshToken } = await login(t, user);
      const rows: { token_hash: Buffer }[] = await ds.query('SELECT token_hash FROM refresh_tokens WHERE user_id = $1', [user.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.token_hash.equals(require('node:crypto').createHash('sha256').update(refreshToken).digest())).toBe(true);
      const dump = JSON.stringify(await ds.query('SELECT * FROM refresh_tokens WHERE user_id = $1', [user.id]));
      expect(dump).not.toContain(refreshToken);
    });

    it('answers unknown email and wrong password identically', async () => {
      const user = await createUser(t);
      const wrong = await request(t.server).post('/api/auth/login').send({ email: user.email, password: 'not the right password' }).expect(401);
      const unknown = await request(t.server).post('/api/auth/login').send({ email: uniqueEmail('ghost'), password: 'not the right password' }).expect(401);
      const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
      expect(wrong.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS' });
      expect(readRefreshCookie(wrong)).toBeUndefined();
    });

    it('validates the body before checking credentials (400, not 401)', async () => {
      const res = await request(t.server).post('/api/auth/login').send({ email: 'nope' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'password']);
    });

    it('accepts the email in any case', async () => {
      const user = await createUser(t, { email: uniqueEmail('mixed') });
      await login(t, { email: user.email.toUpperCase(), password: user.password });
    });
  });

  describe('refresh-token rotation', () => {
    const refresh = (cookie?: string) => {
      const r = request(t.server).post('/api/auth/refresh');
      return cookie ? r.set('cookie', cookie) : r;
    };

    it('rotates: a new access token and a new refresh token; the old one is marked used', async () => {
      const user = await createUser(t);
      const first = await login(t, user);
      const res = await refresh(first.refreshCookie).expect(200);
      expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      const next = readRefreshCookie(res);
      expect(next).toBeTruthy();
      expect(next).not.toBe(first.refreshToken);
      await request(t.server).get('/api/auth/me').set(bearer(res.body.accessToken)).expect(200);
      const rows = await ds.query('SELECT family_id, used_at, replaced_by, revoked_at FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at', [user.id]);
      expect(rows).toHaveLength(2);
      expect(rows[0].family_id).toBe(rows[1].family_id);
      expect(rows[0].used_at).not.toBeNull();
      expect(rows[0].replaced_by).toBeTruthy();
      expect(rows[1].used_at).toBeNull();
      expect(rows.every((r: { revoked_at: unknown }) => r.revoked_at === null)).toBe(true);
    });

    it('reuse of a rotated token revokes the whole family, including tokens issued after it', async () => {
      const user = await createUser(t);
      const first = await login(t, user);
      const second = await refresh(first.refreshCookie).expect(200);
      const secondToken = readRefreshCookie(second)!;
      // The thief replays the first token:
      const replay = await refresh(first.refreshCookie).expect(401);
      expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
      expect(readRefreshCookie(replay)).toBe(''); // cookie cleared
      // The legitimate holder's newer token is dead too, and so are access tokens of that sign-in.
      const after = await refresh(`lm_refresh=${secondToken}`).expect(401);
      expect(after.body.code).toMatch(/REFRESH_TOKEN_REUSED|INVALID_REFRESH_TOKEN/);
      await request(t.server).get('/api/auth/me').set(bearer(second.body.accessToken)).expect(401);
      const [{ active }] = await ds.query('SELECT count(*)::int AS active FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
      expect(active).toBe(0);
    });

    it('reuse in one sign-in does not touch the user\'s other sign-ins', async () => {
      const user = await createUser(t);
      const laptop = await login(t, user);
      const phone = await login(t, user);
      await refresh(laptop.refreshCookie).expect(200);
      await refresh(laptop.refreshCookie).expect(401);
      await refresh(phone.refreshCookie).expect(200);
    });

    it('concurrent refreshes with one token: exactly one succeeds, and the family is revoked', async () => {
      const user = await createUser(t);
      const { refreshCookie } = await login(t, user);
      const results = await Promise.all(Array.from({ length: 5 }, () => refresh(refreshCookie)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 401).every((r) => r.body.code === 'REFRESH_TOKEN_REUSED')).toBe(true);
    });

    it('no cookie, an unknown token, or an expired one → 401 INVALID_REFRESH_TOKEN', async () => {
      expect((await refresh().expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
      expect((await refresh('lm_refresh=made-up-token').expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
      const user = await createUser(t);
      const { refreshCookie } = await login(t, user);
      t.clock.advance((t.config.REFRESH_TOKEN_TTL_DAYS * 24 + 1) * 3_600_000); // past the refresh token's lifetime
      expect((await refresh(refreshCookie).expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
    });
  });

  describe('POST /api/auth/logout', () => {
    it('revokes the sign-in, clears the cookie, and ends its access token', async () => {
      const user = await createUser(t);
      const s = await login(t, user);
      const res = await request(t.server).post('/api/auth/logout').set('cookie', s.refreshCookie).expect(204);
      expect(setCookieHeader(res)).toMatch(/lm_refresh=;.*Expires=Thu, 01 Jan 1970/);
      const again = await request(t.server).post('/api/auth/refresh').set('cookie', s.refreshCookie).expect(401);
      expect(again.body.code).toBe('INVALID_REFRESH_TOKEN');
      await request(t.server).get('/api/auth/me').set(bearer(s.accessToken)).expect(401);
      // Idempotent, and fine without a cookie.
      await request(t.server).post('/api/auth/logout').set('cookie', s.refreshCookie).expect(204);
      await request(t.server).post('/api/auth/logout').expect(204);
    });

    // Issue 10, finding 7: logout with only a Bearer token answered 204 and left the sign-in alive.
    it('with only the Bearer access token (no cookie) ends that sign-in too', async () => {
      const user = await createUser(t);
      const s = await login(t, user);
      const other = await login(t, user);
      await request(t.server).post('/api/auth/logout').set(bearer(s.accessToken)).expect(204);
      expect((await request(t.server).get('/api/auth/me').set(bearer(s.accessToken))).status).toBe(401);
      expect((await request(t.server).post('/api/auth/refresh').set('cookie', s.refreshCookie)).body.code).toBe('INVALID_REFRESH_TOKEN');
      // Only that sign-in: the user's other sign-in continues.
      await request(t.server).get('/api/auth/me').set(bearer(other.accessToken)).expect(200);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.logout' AND subject_id = $1`, [user.id]);
      expect(n).toBe(1);
      // A garbage or foreign-looking bearer is ignored, still 204.
      await request(t.server).post('/api/auth/logout').set(bearer('not-a-token')).expect(204);
    });
  });

  describe('access tokens', () => {
    it('rejects a token signed with another key, another algorithm, or for another audience', async () => {
      const user = await createUser(t);
      const { accessToken } = await login(t, user);
      const [h, p] = accessToken.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
      const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'ADMIN' })).toString('base64url')}.${accessToken.split('.')[2]}`;
      const { JwtService } = await import('@nestjs/jwt');
      const jwt = new JwtService({});
      const claims = { sid: JSON.parse(Buffer.from(p!, 'base64url').toString()).sid, role: 'CLIENT' };
      const otherKey = await jwt.signAsync(claims, { secret: 'x'.repeat(40), subject: user.id, issuer: 'lexmarket', audience: 'lexmarket-api', expiresIn: 60 });
      const secret = t.app.get((await import('../../src/modules/identity/access-tokens')).AccessTokens)['secret'] as string;
      const otherAudience = await jwt.signAsync(claims, { secret, subject: user.id, issuer: 'lexmarket', audience: 'someone-else', expiresIn: 60 });
      const expired = await jwt.signAsync({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, { secret, subject: user.id, issuer: 'lexmarket', audience: 'lexmarket-api' });
      const hs512 = await jwt.signAsync(claims, { secret, algorithm: 'HS512', subject: user.id, issuer: 'lexmarket', audience: 'lexmarket-api', expiresIn: 60 });
      for (const token of [none, tampered, otherKey, otherAudience, expired, hs512, 'garbage']) {
        const res = await request(t.server).get('/api/auth/me').set(bearer(token)).expect(401);
        expect(res.body.code).toBe('INVALID_CREDENTIALS');
      }
      const valid = await jwt.signAsync(claims, { secret, subject: user.id, issuer: 'lexmarket', audience: 'lexmarket-api', expiresIn: 60 });
      await request(t.server).get('/api/auth/me').set(bearer(valid)).expect(200);
    });

    it('no credentials → 401 UNAUTHENTICATED', async () => {
      expect((await request(t.server).get('/api/auth/me').expect(401)).body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('suspension', () => {
    it('locks the user out at once: access token, refresh token and new sign-ins', async () => {
      const admin = await createUser(t, { role: 'ADMIN' });
      const adminSession = await login(t, admin);
      const user = await createUser(t, { role: 'LAWYER' });
      const s = await login(t, user);
      await request(t.server).get('/api/auth/me').set(bearer(s.accessToken)).expect(200);

      const res = await request(t.server).post(`/api/admin/users/${user.id}/suspend`).set(bearer(adminSession.accessToken)).expect(200);
      expect(res.body.status).toBe('SUSPENDED');

      // The very next request with the still-unexpired access token is refused.
      expect((await request(t.server).get('/api/auth/me').set(bearer(s.accessToken)).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
      expect((await request(t.server).post('/api/auth/refresh').set('cookie', s.refreshCookie).expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
      const relogin = await request(t.server).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(403);
      expect(relogin.body.code).toBe('ACCOUNT_SUSPENDED');
      // A wrong password still gets the generic answer: suspension is not revealed to guessers.
      const guess = await request(t.server).post('/api/auth/login').send({ email: user.email, password: 'wrong password here' }).expect(401);
      expect(guess.body.code).toBe('INVALID_CREDENTIALS');

      await request(t.server).post(`/api/admin/users/${user.id}/reactivate`).set(bearer(adminSession.accessToken)).expect(200);
      // Reactivation does not resurrect the old sign-in; the user signs in again.
      await request(t.server).get('/api/auth/me').set(bearer(s.accessToken)).expect(401);
      const fresh = await login(t, user);
      await request(t.server).get('/api/auth/me').set(bearer(fresh.accessToken)).expect(200);
    });
  });

  describe('profile and password', () => {
    it('PATCH /api/auth/me updates display name, canonical time zone and locale', async () => {
      const user = await createUser(t);
      const { accessToken } = await login(t, user);
      const res = await request(t.server)
        .patch('/api/auth/me')
        .set(bearer(accessToken))
        .send({ displayName: '  Zoë  ', timeZone: 'america/new_york', locale: 'es-mx' })
        .expect(200);
      expect(res.body).toMatchObject({ displayName: 'Zoë', timeZone: 'America/New_York', locale: 'es-MX' });
      const bad = await request(t.server).patch('/api/auth/me').set(bearer(accessToken)).send({ timeZone: 'Mars/Olympus', role: 'ADMIN' }).expect(400);
      expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['role', 'timeZone']);
    });

    it('changing the password needs the current one and ends the other sign-ins, not this one', async () => {
      const user = await createUser(t);
      const here = await login(t, user);
      const elsewhere = await login(t, user);
      const newPassword = strongPassword();
      const wrong = await request(t.server).post('/api/auth/password').set(bearer(here.accessToken)).send({ currentPassword: 'not it at all', newPassword }).expect(400);
      expect(wrong.body.code).toBe('CURRENT_PASSWORD_INCORRECT');
      const weak = await request(t.server).post('/api/auth/password').set(bearer(here.accessToken)).send({ currentPassword: user.password, newPassword: 'password1234' }).expect(400);
      expect(weak.body.fields[0].field).toBe('newPassword');

      await request(t.server).post('/api/auth/password').set(bearer(here.accessToken)).send({ currentPassword: user.password, newPassword }).expect(204);
      await request(t.server).get('/api/auth/me').set(bearer(here.accessToken)).expect(200);
      await request(t.server).post('/api/auth/refresh').set('cookie', here.refreshCookie).expect(200);
      await request(t.server).get('/api/auth/me').set(bearer(elsewhere.accessToken)).expect(401);
      await request(t.server).post('/api/auth/refresh').set('cookie', elsewhere.refreshCookie).expect(401);
      await request(t.server).post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
      await login(t, { email: user.email, password: newPassword });
    });
  });

  describe('audit trail', () => {
    it('records sign-up, sign-in and suspension in the same transactions, without secrets', async () => {
      const email = uniqueEmail('audited');
      const password = strongPassword();
      const created = await register({ email, password, displayName: 'Audited', role: 'CLIENT' }).expect(201);
      await login(t, { email, password });
      await request(t.server).post('/api/auth/login').send({ email, password: 'wrong password here' }).expect(401);
      const rows: { action: string; payload: unknown }[] = await ds.query(
        `SELECT action, payload FROM audit_events WHERE subject_id = $1 ORDER BY seq`,
        [created.body.id],
      );
      expect(rows.map((r) => r.action)).toEqual(['user.registered', 'auth.login.succeeded', 'auth.login.failed']);
      expect(JSON.stringify(rows)).not.toContain(password);
    });
  });
});
