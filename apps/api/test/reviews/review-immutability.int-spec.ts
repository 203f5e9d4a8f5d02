import { Client } from 'pg';
import request from 'supertest';
import { completedViaApi, submitReview } from '../factories/reviews';
import { asCaller, createBookableLawyer, signedIn } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { nestRoutes, RouteInventoryModule } from '../support/route-inventory';

/**
 * Issue 13, Done when 2: reviews, responses and moderation decisions cannot be changed or removed
 * in the database, whoever asks (triggers, as for the audit trail), and no route edits or deletes
 * a review for anyone.
 */
describe('reviews: immutable in the database, no edit or delete route', () => {
  let t: TestApp;
  let ids: { review: string; session: string; decision: string };
  /** A plain connection to the spec's database: the statements reach PostgreSQL as written, past any app code. */
  let sql: Client;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' }, [RouteInventoryModule]);
    const lawyer = await createBookableLawyer(t);
    const client = await signedIn(t);
    const admin = await signedIn(t, { role: 'ADMIN' });
    const session = await completedViaApi(t, client, lawyer);
    const review = (await submitReview(t, client, session, { rating: 2, comment: 'Late and unprepared.' }).expect(201)).body.id as string;
    await submitReview(t, asCaller(lawyer), session, { rating: 4 }).expect(201); // both in: published
    await request(t.server).post(`/api/reviews/${review}/response`).set(bearer(lawyer.accessToken)).send({ body: 'I am sorry you felt that way.' }).expect(201);
    const decision = await request(t.server)
      .post(`/api/admin/reviews/${review}/moderation`)
      .set(bearer(admin.token))
      .send({ target: 'RESPONSE', action: 'HIDE', reasonCode: 'OTHER', note: 'test' })
      .expect(201);
    ids = { review, session, decision: decision.body.id };
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  const refused = async (statement: string, params: unknown[] = []) => {
    const error = await sql.query(statement, params).then(
      () => undefined,
      (e: { code?: string; message: string }) => e,
    );
    expect(error).toBeDefined();
    expect(error!.code).toBe('23001');
    expect(error!.message).toMatch(/is not allowed/);
  };

  it.each([
    ['reviews', `UPDATE reviews SET rating = 5, comment = 'Great!' WHERE id = $1`, `DELETE FROM reviews WHERE id = $1`],
    ['review_responses', `UPDATE review_responses SET body = 'edited' WHERE review_id = $1`, `DELETE FROM review_responses WHERE review_id = $1`],
    ['review_moderation_decisions', `UPDATE review_moderation_decisions SET action = 'UNHIDE' WHERE review_id = $1`, `DELETE FROM review_moderation_decisions WHERE review_id = $1`],
  ])('%s: UPDATE, DELETE and TRUNCATE fail, and the row is unchanged', async (table, update, del) => {
    expect(ids.decision).toBeDefined();
    const key = table === 'reviews' ? 'id' : 'review_id';
    const before = (await sql.query(`SELECT * FROM ${table} WHERE ${key} = $1`, [ids.review])).rows;
    expect(before).toHaveLength(1);
    await refused(update, [ids.review]);
    await refused(del, [ids.review]);
    await refused(`TRUNCATE ${table} CASCADE`);
    // Even an UPDATE that changes nothing (no content column), or touches no row, is refused.
    await refused(`UPDATE ${table} SET created_at = created_at WHERE false`);
    const after = (await sql.query(`SELECT * FROM ${table} WHERE ${key} = $1`, [ids.review])).rows;
    expect(after).toEqual(before);
  });

  it('has no PUT, PATCH or DELETE route on reviews for anyone; only the documented GET/POST routes', async () => {
    const routes = nestRoutes(t.app).filter((r) => /\/reviews?(\/|$)/i.test(r.path));
    expect(routes.filter((r) => !['GET', 'POST'].includes(r.method))).toEqual([]);
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /api/admin/reviews',
        'GET /api/admin/reviews/:id',
        'GET /api/lawyers/:id/reviews',
        'GET /api/me/reviews',
        'GET /api/sessions/:id/reviews',
        'POST /api/admin/reviews/:id/moderation',
        'POST /api/reviews/:id/reports',
        'POST /api/reviews/:id/response',
        'POST /api/sessions/:id/review',
      ].sort(),
    );
    // Who may call each (the route-access walk checks the guard answers accordingly).
    const access = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.access?.public ? 'public' : [...(r.access?.roles ?? [])].sort().join(',')]));
    expect(access).toEqual({
      'GET /api/admin/reviews': 'ADMIN',
      'GET /api/admin/reviews/:id': 'ADMIN',
      'POST /api/admin/reviews/:id/moderation': 'ADMIN',
      'GET /api/lawyers/:id/reviews': 'public',
      'GET /api/me/reviews': 'CLIENT,LAWYER',
      'GET /api/sessions/:id/reviews': 'CLIENT,LAWYER',
      'POST /api/sessions/:id/review': 'CLIENT,LAWYER',
      'POST /api/reviews/:id/reports': 'ADMIN,CLIENT,LAWYER,PARTNER',
      'POST /api/reviews/:id/response': 'LAWYER',
    });
    expect(nestRoutes(t.app).find((r) => r.path === '/api/lawyers/:id/rating')?.access).toEqual({ public: true });
    const admin = await signedIn(t, { role: 'ADMIN' });
    for (const method of ['put', 'patch', 'delete'] as const) {
      for (const path of [`/api/reviews/${ids.review}`, `/api/sessions/${ids.session}/review`, `/api/admin/reviews/${ids.review}`, `/api/reviews/${ids.review}/response`]) {
        const res = await request(t.server)[method](path).set(bearer(admin.token)).send({ rating: 5 });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      }
    }
  });
});
