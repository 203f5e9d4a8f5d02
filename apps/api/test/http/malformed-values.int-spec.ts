import request from 'supertest';
import { bearer } from '../factories/users';
import { createBookableLawyer, createSession, DAY, signedIn, slotAfter, type Caller } from '../factories/sessions';
import { createTestApp, TestApp } from '../setup/test-app';

const MS_PER_DAY = 86_400_000;
const KEYS = ['code', 'message', 'requestId', 'statusCode'];

/**
 * Issue 10, finding 3 (and what the fuzz suite found of the same kind): malformed values that
 * reached PostgreSQL or library code and gave 500s now get a 400 with a stable code; bookings
 * have a horizon (BOOKING_HORIZON_DAYS).
 */
describe('malformed values are 400s, never 500s', () => {
  let t: TestApp;
  let client: Caller;
  let admin: Caller;
  let lawyer: Awaited<ReturnType<typeof createBookableLawyer>>;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false', BOOKING_HORIZON_DAYS: '30' });
    client = await signedIn(t);
    admin = await signedIn(t, { role: 'ADMIN' });
    lawyer = await createBookableLawyer(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const expectCode = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(Object.keys(res.body).filter((k) => k !== 'fields').sort()).toEqual(KEYS);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  };

  it('page numbers far beyond any page (?page=1e20) → 400 VALIDATION_FAILED on public and admin lists', async () => {
    expectCode(await request(t.server).get('/api/lawyers').query({ page: '1e20' }), 400, 'VALIDATION_FAILED');
    expectCode(await request(t.server).get('/api/admin/users').query({ page: '100000000000' }).set(bearer(admin.token)), 400, 'VALIDATION_FAILED');
    // The directory numbers its pages over the first 10,000 results (a cursor goes deeper): a page
    // past the end inside them is an empty 200, one beyond them a 400 with the directory's code.
    await request(t.server).get('/api/lawyers').query({ page: '400' }).expect(200);
    expectCode(await request(t.server).get('/api/lawyers').query({ page: '100000' }), 400, 'INVALID_DIRECTORY_FILTER');
  });

  it('instants outside 1970–2199 (year 0, year 9999) → 400 VALIDATION_FAILED', async () => {
    for (const from of ['0000-01-01T00:00:00Z', '9999-12-31T23:00:00-05:00']) {
      expectCode(
        await request(t.server).get(`/api/lawyers/${lawyer.id}/slots`).query({ offeringId: lawyer.offering.id, from }),
        400,
        'VALIDATION_FAILED',
      );
      expectCode(await request(t.server).get('/api/admin/audit').query({ from }).set(bearer(admin.token)), 400, 'VALIDATION_FAILED');
    }
    const s = await createSession(t, { clientId: client.id, lawyer });
    expectCode(
      await request(t.server).post('/api/sessions/schedule').set(bearer(client.token)).send({ sessionId: s.id, startAt: '0000-01-01T00:00:00Z' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('null for an optional field → 400 VALIDATION_FAILED (it crashed the profile update)', async () => {
    for (const body of [{ locale: null }, { timeZone: null }, { displayName: null }]) {
      expectCode(await request(t.server).patch('/api/auth/me').set(bearer(client.token)).send(body), 400, 'VALIDATION_FAILED');
    }
  });

  it('lone UTF-16 surrogates in a body or query → 400 MALFORMED_TEXT (validator threw a URIError)', async () => {
    const body = '{"email":"a\\ud800@example.com","password":"orbit maple canyon fiddle"}';
    expectCode(await request(t.server).post('/api/auth/login').set('content-type', 'application/json').send(body), 400, 'MALFORMED_TEXT');
    const register = '{"email":"x\\udfff@example.com","password":"orbit maple canyon fiddle","displayName":"X","role":"CLIENT"}';
    expectCode(await request(t.server).post('/api/auth/register').set('content-type', 'application/json').send(register), 400, 'MALFORMED_TEXT');
  });

  it('NUL characters (PostgreSQL text cannot hold them) → 400 MALFORMED_TEXT; cursors beyond bigint → 400', async () => {
    const lawyerProfile = { barNumber: 'B-1', barJurisdiction: 'nul\u0000byte', jurisdictions: ['ES'], practiceAreas: ['family'], languages: ['en'], bio: 'x' };
    expectCode(await request(t.server).put('/api/lawyer/profile').set(bearer(lawyer.accessToken)).send(lawyerProfile), 400, 'MALFORMED_TEXT');
    expectCode(await request(t.server).get('/api/admin/audit').query({ before: '9'.repeat(40) }).set(bearer(admin.token)), 400, 'VALIDATION_FAILED');
  });

  it('an array where the sign-in object is expected → 400 naming the fields, not an unnamed one', async () => {
    const res = await request(t.server).post('/api/auth/login').send([1, 'a']);
    expectCode(res, 400, 'VALIDATION_FAILED');
    expect((res.body.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['email', 'password']);
  });

  it('malformed or over-long path parameters → 400 with the stable body (not Fastify’s own)', async () => {
    expectCode(await request(t.server).get('/api/lawyers/%ED%A0%80'), 400, 'BAD_URL');
    expectCode(await request(t.server).get(`/api/lawyers/${'x'.repeat(300)}`), 400, 'PATH_PARAMETER_TOO_LONG');
  });

  it('a booking beyond the horizon → 400 BOOKING_BEYOND_HORIZON, and slot lists stop at the horizon', async () => {
    const s = await createSession(t, { clientId: client.id, lawyer });
    const tooFar = slotAfter(40 * DAY);
    expectCode(
      await request(t.server).post('/api/sessions/schedule').set(bearer(client.token)).send({ sessionId: s.id, startAt: tooFar.toISOString() }),
      400,
      'BOOKING_BEYOND_HORIZON',
    );
    const from = new Date(Date.now() + 25 * MS_PER_DAY).toISOString();
    const to = new Date(Date.now() + 35 * MS_PER_DAY).toISOString();
    const slots = await request(t.server).get(`/api/lawyers/${lawyer.id}/slots`).query({ offeringId: lawyer.offering.id, from, to }).expect(200);
    const starts = (slots.body.slots as { startAt: string }[]).map((x) => Date.parse(x.startAt));
    expect(starts.length).toBeGreaterThan(0);
    expect(Math.max(...starts)).toBeLessThanOrEqual(Date.now() + 30 * MS_PER_DAY + 60_000);
    const own = await request(t.server).get(`/api/sessions/${s.id}/slots`).query({ from, to }).set(bearer(client.token)).expect(200);
    expect(Math.max(...(own.body.slots as { startAt: string }[]).map((x) => Date.parse(x.startAt)))).toBeLessThanOrEqual(Date.now() + 30 * MS_PER_DAY + 60_000);
    await request(t.server).post('/api/sessions/schedule').set(bearer(client.token)).send({ sessionId: s.id, startAt: slotAfter(20 * DAY).toISOString() }).expect(200);
  });
});
