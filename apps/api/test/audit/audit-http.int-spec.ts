import request from 'supertest';
import { createTestApp, TestApp } from '../setup/test-app';
import { resetAudit, SEED_ACTORS, seedChain, signInEveryRole, Tokens, Who } from './audit-test-support';

const ADMIN_ROUTES = [
  ['GET', '/api/admin/audit'],
  ['GET', '/api/admin/audit/verify'],
  ['POST', '/api/admin/audit/checkpoints'],
] as const;

/** Who may call which audit route, and the admin list endpoint's filters and pagination. */
describe('audit HTTP API', () => {
  let t: TestApp;
  let tokens: Tokens;

  beforeAll(async () => {
    // No pg-boss workers or cron: the 15-minute checkpoint job would sign this spec's chain at
    // random moments (a checkpoint changes what verification reports). Jobs are still enqueued.
    t = await createTestApp({ THROTTLE_LIMIT: '10000', JOBS_ENABLED: 'false' });
    tokens = await signInEveryRole(t);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await resetAudit(t);
    await seedChain(t, 12);
  });

  const call = (method: 'GET' | 'POST', path: string) =>
    method === 'GET' ? request(t.server).get(path) : request(t.server).post(path);

  describe.each(ADMIN_ROUTES)('%s %s', (method, path) => {
    it('anonymous → 401 UNAUTHENTICATED', async () => {
      const res = await call(method, path).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('an unknown token → 401', async () => {
      await call(method, path).set('authorization', 'Bearer not-a-known-token').expect(401);
    });

    it.each(['client', 'lawyer', 'partner'] as const satisfies readonly Who[])('%s → 403 FORBIDDEN', async (who) => {
      const res = await call(method, path).set('authorization', `Bearer ${tokens[who]}`).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('admin → 2xx', async () => {
      const res = await call(method, path).set('authorization', `Bearer ${tokens.admin}`);
      expect([200, 201]).toContain(res.status);
    });
  });

  it('public routes need no credentials', async () => {
    await request(t.server).get('/api/audit/public-key').expect(200);
    await request(t.server).post('/api/admin/audit/checkpoints').set('authorization', `Bearer ${tokens.admin}`).expect(201);
    const latest = await request(t.server).get('/api/audit/checkpoints/latest').expect(200);
    await request(t.server).post('/api/audit/checkpoints/verify').send(latest.body).expect(200);
  });

  describe('GET /api/admin/audit', () => {
    const list = async (query: Record<string, string | number>) =>
      (await request(t.server).get('/api/admin/audit').query(query).set('authorization', `Bearer ${tokens.admin}`).expect(200))
        .body;

    it('lists newest first with every field and the total', async () => {
      const body = await list({});
      expect(body.total).toBe(12);
      expect(body.items.map((i: { seq: number }) => i.seq)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      expect(body.nextCursor).toBeNull();
      expect(body.items[0]).toEqual({
        seq: 12,
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
        actorId: expect.any(String),
        actorRole: expect.any(String),
        actorName: null, // the seeded actors have no accounts
        actorEmail: null,
        action: 'payment.captured',
        subjectType: 'payment',
        subjectId: 'subject-12',
        subjectName: null,
        subjectSession: null,
        payload: { amountMinor: 12000, currency: 'EUR', note: 'entry 12', nested: { flags: [12, true, null] } },
        requestId: 'req-12-0000',
        prevHash: body.items[1].hash,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('pages with the seq cursor; total counts every match', async () => {
      const first = await list({ limit: 5 });
      expect(first.items.map((i: { seq: number }) => i.seq)).toEqual([12, 11, 10, 9, 8]);
      expect(first).toMatchObject({ total: 12, nextCursor: '8' });
      const second = await list({ limit: 5, before: first.nextCursor });
      expect(second.items.map((i: { seq: number }) => i.seq)).toEqual([7, 6, 5, 4, 3]);
      const third = await list({ limit: 5, before: second.nextCursor });
      expect(third.items.map((i: { seq: number }) => i.seq)).toEqual([2, 1]);
      expect(third.nextCursor).toBeNull();
    });

    it('filters by action, subject, actor and time', async () => {
      const byAction = await list({ action: 'review.created' });
      expect(byAction.total).toBe(4);
      expect(byAction.items.every((i: { action: string }) => i.action === 'review.created')).toBe(true);

      expect((await list({ subjectType: 'session', subjectId: 'subject-4' })).items.map((i: { seq: number }) => i.seq)).toEqual([
        4,
      ]);

      const admin = SEED_ACTORS[0].id;
      const byActor = await list({ actorId: admin });
      expect(byActor.total).toBeGreaterThan(0);
      expect(byActor.items.every((i: { actorId: string }) => i.actorId === admin)).toBe(true);

      const all = await list({});
      const sixth = all.items.find((i: { seq: number }) => i.seq === 6).occurredAt;
      const tenth = all.items.find((i: { seq: number }) => i.seq === 10).occurredAt;
      expect((await list({ from: sixth, to: tenth })).items.map((i: { seq: number }) => i.seq)).toEqual([9, 8, 7, 6]);
      expect((await list({ action: 'nothing.like.this' })).total).toBe(0);
    });

    it('rejects malformed filters with 400 VALIDATION_FAILED naming the field', async () => {
      for (const [query, field] of [
        [{ actorId: 'not-a-uuid' }, 'actorId'],
        [{ limit: 101 }, 'limit'],
        [{ before: 0 }, 'before'],
        [{ from: 'yesterday' }, 'from'],
        [{ sort: 'seq' }, 'sort'],
      ] as const) {
        const res = await request(t.server)
          .get('/api/admin/audit')
          .query(query)
          .set('authorization', `Bearer ${tokens.admin}`)
          .expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      }
    });
  });
});
