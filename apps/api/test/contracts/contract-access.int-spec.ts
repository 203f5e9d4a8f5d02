import request from 'supertest';
import { signUp } from '../factories/lawyers';
import { createSession, signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import {
  draftContract,
  ENGAGEMENT,
  partiesWithPaidSession,
  platformTemplate,
  prefilled,
  sentAndViewed,
  type Parties,
} from './contracts-support';

/**
 * Who may call which contract route, and what bad input gets: a clear 4xx with a stable code
 * (bad UUIDs, oversize or malformed values, unknown filters), never a 500. Also the prefill from
 * the session and the profiles, and which sessions a contract can be made for.
 */
describe('contracts: roles, object access, validation, prefill', () => {
  let t: TestApp;
  let p: Parties;
  let admin: Caller;
  let partner: Caller;
  let templateId: string;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    p = await partiesWithPaidSession(t);
    admin = await signedIn(t, { role: 'ADMIN' });
    const partnerAccount = await signUp(t, 'PARTNER');
    partner = { id: partnerAccount.id, token: partnerAccount.accessToken };
    templateId = (await platformTemplate(t, p.lawyer, ENGAGEMENT)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('prefills party names and emails, fee, currency, scope, jurisdiction and today’s date from the session and the profiles', async () => {
    const res = await request(t.server)
      .get('/api/contracts/prefill')
      .query({ sessionId: p.sessionId, templateId })
      .set(bearer(p.lawyer.token))
      .expect(200);
    const values = Object.fromEntries(
      (res.body.variables as { name: string; value: string | null }[]).map((v) => [v.name, v.value]),
    );
    expect(values).toMatchObject({
      client_name: p.client.name,
      client_email: expect.stringContaining('@'),
      lawyer_name: p.lawyer.name,
      lawyer_email: expect.stringContaining('@'),
      fee: '250.00 PLN',
      scope: 'Tenancy dispute review',
      jurisdiction: 'Spain',
      effective_date: expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4}$/),
      // Paid, not booked yet: no date to fill in.
      session_date: null,
    });
    expect(res.body.variables[0]).toEqual({
      name: expect.any(String),
      label: expect.any(String),
      hint: expect.anything(),
      value: expect.anything(),
    });
  });

  it('only the session’s lawyer makes a contract for it, only for a paid session', async () => {
    const other = await partiesWithPaidSession(t, { lawyerName: 'Ana Other', clientName: 'Bo Other' });
    const values = await prefilled(t, p, templateId);
    const foreign = await request(t.server)
      .post('/api/contracts')
      .set(bearer(other.lawyer.token))
      .send({ sessionId: p.sessionId, templateId, values })
      .expect(404);
    expect(foreign.body.code).toBe('SESSION_NOT_FOUND');
    const foreignPrefill = await request(t.server)
      .get('/api/contracts/prefill')
      .query({ sessionId: p.sessionId, templateId })
      .set(bearer(other.lawyer.token))
      .expect(404);
    expect(foreignPrefill.body.code).toBe('SESSION_NOT_FOUND');
    const unpaid = await createSession(t, { clientId: p.client.id, lawyer: p.bookable, paid: false });
    const notPaid = await request(t.server)
      .post('/api/contracts')
      .set(bearer(p.lawyer.token))
      .send({ sessionId: unpaid.id, templateId, values })
      .expect(409);
    expect(notPaid.body.code).toBe('CONTRACT_SESSION_NOT_ELIGIBLE');
    const noTemplate = await request(t.server)
      .post('/api/contracts')
      .set(bearer(p.lawyer.token))
      .send({ sessionId: p.sessionId, templateId: '00000000-0000-4000-8000-000000000000', values })
      .expect(404);
    expect(noTemplate.body.code).toBe('TEMPLATE_NOT_FOUND');
  });

  it('refuses roles that have no business with a route: 403', async () => {
    const draft = await draftContract(t, p);
    const body = { sessionId: p.sessionId, templateId, values: {} };
    await request(t.server).post('/api/contracts').set(bearer(p.client.token)).send(body).expect(403);
    await request(t.server).post('/api/contracts').set(bearer(admin.token)).send(body).expect(403);
    await request(t.server).get('/api/contracts').set(bearer(partner.token)).expect(403);
    await request(t.server).post(`/api/contracts/${draft.id}/send`).set(bearer(p.client.token)).expect(403);
    await request(t.server).put(`/api/contracts/${draft.id}/draft`).set(bearer(admin.token)).send({ values: {} }).expect(403);
    await request(t.server)
      .get('/api/contracts/prefill')
      .query({ sessionId: p.sessionId, templateId })
      .set(bearer(p.client.token))
      .expect(403);
    await request(t.server).get(`/api/contracts/${draft.id}`).expect(401);
  });

  it('lists each caller’s own contracts; the client’s tab "to sign" holds what waits for them', async () => {
    const sent = await sentAndViewed(t, p);
    const toSign = await request(t.server)
      .get('/api/contracts')
      .query({ view: 'to_sign' })
      .set(bearer(p.client.token))
      .expect(200);
    const mine = toSign.body.items.find((c: { id: string }) => c.id === sent.id);
    expect(mine).toMatchObject({
      status: 'SENT',
      yourRole: 'CLIENT',
      awaitingYourSignature: true,
      signedBy: [],
      lawyer: { name: p.lawyer.name },
      client: { name: p.client.name },
    });
    const other = await partiesWithPaidSession(t, { lawyerName: 'Cy Third', clientName: 'Di Third' });
    const theirs = await request(t.server).get('/api/contracts').set(bearer(other.client.token)).expect(200);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    const bySession = await request(t.server)
      .get('/api/contracts')
      .query({ sessionId: p.sessionId, status: 'SENT' })
      .set(bearer(p.lawyer.token))
      .expect(200);
    expect(bySession.body.items.map((c: { id: string }) => c.id)).toContain(sent.id);
  });

  it.each([
    ['GET', '/api/contracts/not-a-uuid'],
    ['GET', '/api/contracts/00000000-0000-0000-0000-00000000000g'],
    ['POST', '/api/contracts/123/send'],
    ['GET', '/api/contracts/00000000-0000-4000-8000-000000000000/versions/nope/pdf'],
    ['GET', '/api/contract-templates/%27%20OR%201=1'],
  ])('%s %s with a malformed id: 400 VALIDATION_FAILED', async (method, path) => {
    const res = await request(t.server)[method === 'GET' ? 'get' : 'post'](path).set(bearer(p.lawyer.token)).send({});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('a well-formed id of nothing (or of someone else’s contract) is 404 CONTRACT_NOT_FOUND', async () => {
    const res = await request(t.server)
      .get('/api/contracts/00000000-0000-4000-8000-000000000000')
      .set(bearer(p.lawyer.token))
      .expect(404);
    expect(res.body.code).toBe('CONTRACT_NOT_FOUND');
  });

  it('bad bodies and queries are 400s with stable codes', async () => {
    const values = await prefilled(t, p, templateId);
    const create = (body: object) => request(t.server).post('/api/contracts').set(bearer(p.lawyer.token)).send(body);
    const oversize = await create({ sessionId: p.sessionId, templateId, values: { ...values, scope: 'x'.repeat(4001) } }).expect(
      400,
    );
    expect(oversize.body).toMatchObject({ code: 'CONTRACT_VARIABLE_INVALID', details: { names: ['scope'] } });
    const control = await create({ sessionId: p.sessionId, templateId, values: { ...values, fee: 'a\u0007b' } }).expect(400);
    expect(control.body.code).toBe('CONTRACT_VARIABLE_INVALID');
    for (const bad of [
      { sessionId: p.sessionId, templateId, values: { ...values, fee: 12 } },
      { sessionId: p.sessionId, templateId, values: ['a'] },
      { sessionId: p.sessionId, templateId, values: null },
      { sessionId: 'nope', templateId, values },
      { sessionId: p.sessionId, templateId, values, title: 'x'.repeat(201) },
      { sessionId: p.sessionId, templateId, values, title: '   ' },
      { sessionId: p.sessionId, templateId, values, extra: true },
      { sessionId: p.sessionId, templateId, values: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, 'x'])) },
    ]) {
      const res = await create(bad).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const template = await request(t.server)
      .post('/api/contract-templates')
      .set(bearer(p.lawyer.token))
      .send({ name: 'Long', body: 'x'.repeat(50_001), variables: [] })
      .expect(400);
    expect(template.body.code).toBe('VALIDATION_FAILED');
    const dupes = await request(t.server)
      .post('/api/contract-templates')
      .set(bearer(p.lawyer.token))
      .send({
        name: 'Dupes',
        body: '{{a}}',
        variables: [
          { name: 'a', label: 'A' },
          { name: 'a', label: 'A again' },
        ],
      })
      .expect(400);
    expect(dupes.body.code).toBe('VALIDATION_FAILED');
    const badName = await request(t.server)
      .post('/api/contract-templates')
      .set(bearer(p.lawyer.token))
      .send({ name: 'Bad var', body: 'x', variables: [{ name: 'Client Name', label: 'A' }] })
      .expect(400);
    expect(badName.body.code).toBe('VALIDATION_FAILED');
    await request(t.server).get('/api/contracts').query({ status: 'SIGNED' }).set(bearer(p.lawyer.token)).expect(400);
    await request(t.server).get('/api/contracts').query({ view: 'everything' }).set(bearer(p.lawyer.token)).expect(400);
    await request(t.server).get('/api/contracts').query({ pageSize: 1000 }).set(bearer(p.lawyer.token)).expect(400);

    const sent = await sentAndViewed(t, p);
    const sign = (body: object) =>
      request(t.server).post(`/api/contracts/${sent.id}/sign`).set(bearer(p.client.token)).send(body);
    expect((await sign({ versionSha256: 'abc', consent: true, typedName: 'x' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect(
      (await sign({ versionSha256: sent.currentVersion.sha256, consent: 'yes', typedName: 'x' }).expect(400)).body.code,
    ).toBe('VALIDATION_FAILED');
    expect(
      (await sign({ versionSha256: sent.currentVersion.sha256, consent: true, typedName: 'y'.repeat(201) }).expect(400)).body
        .code,
    ).toBe('VALIDATION_FAILED');
    const tooManyPoints = {
      width: 100,
      height: 100,
      strokes: Array.from({ length: 32 }, () => Array.from({ length: 95 }, () => [1, 1])),
    };
    expect(
      (
        await sign({ versionSha256: sent.currentVersion.sha256, consent: true, typedName: 'Y', drawing: tooManyPoints }).expect(
          400,
        )
      ).body.code,
    ).toBe('CONTRACT_SIGNATURE_INVALID');
    const notNumbers = { width: 100, height: 100, strokes: [[['a', 'b']]] };
    expect(
      (await sign({ versionSha256: sent.currentVersion.sha256, consent: true, typedName: 'Y', drawing: notNumbers }).expect(400))
        .body.code,
    ).toBe('CONTRACT_SIGNATURE_INVALID');
    const reason = await request(t.server)
      .post(`/api/contracts/${sent.id}/decline`)
      .set(bearer(p.client.token))
      .send({ reason: 'r'.repeat(1001) })
      .expect(400);
    expect(reason.body.code).toBe('VALIDATION_FAILED');
  });
});
