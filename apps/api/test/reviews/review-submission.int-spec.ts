import request from 'supertest';
import { DataSource } from 'typeorm';
import { PaymentsService } from '../../src/modules/payments/payments.service';
import { completedViaApi, submitReview } from '../factories/reviews';
import { asCaller, createBookableLawyer, createSession, scheduleDirectly, signedIn, type BookableLawyer, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';

const DAY_MS = 86_400_000;

/**
 * Issue 13, Done when 1: the review rules over HTTP. One review per (session, author) even under
 * concurrency, validated input, only participants, only COMPLETED sessions inside their window,
 * only sessions paid and not refunded in full, and a per-author rate limit.
 */
describe('reviews: submission rules (POST /api/sessions/:id/review)', () => {
  let t: TestApp;
  let lawyer: BookableLawyer;
  let client: Caller;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', REVIEW_RATE_LIMIT_PER_HOUR: '3' });
    lawyer = await createBookableLawyer(t);
    client = await signedIn(t);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => t.clock.reset());

  it('20 concurrent submissions of one author for one session: exactly one 201, nineteen 409 REVIEW_ALREADY_SUBMITTED, one row', async () => {
    const sessionId = await completedViaApi(t, client, lawyer);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submitReview(t, client, sessionId, { rating: (i % 5) + 1, comment: `attempt ${i}` })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.code).toBe('REVIEW_ALREADY_SUBMITTED');
    const created = responses.find((r) => r.status === 201)!.body;
    expect(created).toMatchObject({ sessionId, authorSide: 'CLIENT', publishedAt: null, hidden: false, response: null });
    const rows = await t.app.get(DataSource).query(`SELECT id, rating, comment FROM reviews WHERE session_id = $1`, [sessionId]);
    expect(rows).toEqual([{ id: created.id, rating: created.rating, comment: created.comment }]);
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'review.submitted' AND subject_id = $1`, [created.id]);
    expect(n).toBe(1);
  });

  it('refuses a rating of 0, 6, 2.5, "5", null or none, and a comment over 2000 characters, with 400 VALIDATION_FAILED', async () => {
    const sessionId = await completedViaApi(t, client, lawyer);
    const bad: object[] = [{ rating: 0 }, { rating: 6 }, { rating: 2.5 }, { rating: '5' }, { rating: null }, {}, { comment: 'no rating' }, { rating: 4, comment: 'x'.repeat(2001) }, { rating: 4, comment: 7 }];
    for (const body of bad) {
      const res = await submitReview(t, client, sessionId, body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    // Nothing was stored; the limit itself (2000) is fine.
    await submitReview(t, client, sessionId, { rating: 4, comment: 'y'.repeat(2000) }).expect(201);
  });

  it('answers 404 SESSION_NOT_FOUND to anyone but the two participants (also an unknown session)', async () => {
    const sessionId = await completedViaApi(t, client, lawyer);
    const stranger = await signedIn(t);
    const otherLawyer = asCaller(await createBookableLawyer(t));
    for (const who of [stranger, otherLawyer]) {
      const res = await submitReview(t, who, sessionId, { rating: 5 });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'SESSION_NOT_FOUND' });
      await request(t.server).get(`/api/sessions/${sessionId}/reviews`).set(bearer(who.token)).expect(404);
    }
    await submitReview(t, client, '00000000-0000-4000-8000-000000000000', { rating: 5 }).expect(404);
  });

  it('answers 409 REVIEW_NOT_OPEN for a session that is not completed', async () => {
    const paid = await createSession(t, { clientId: client.id, lawyer });
    const res = await submitReview(t, client, paid.id, { rating: 5 });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'REVIEW_NOT_OPEN' });
    await scheduleDirectly(t, paid.id, new Date(t.clock.now().getTime() + DAY_MS));
    const scheduled = await submitReview(t, asCaller(lawyer), paid.id, { rating: 5 });
    expect({ status: scheduled.status, code: scheduled.body.code }).toEqual({ status: 409, code: 'REVIEW_NOT_OPEN' });
    const view = await request(t.server).get(`/api/sessions/${paid.id}/reviews`).set(bearer(client.token)).expect(200);
    expect(view.body).toMatchObject({ window: { state: 'NOT_OPEN', deadlineAt: null }, canReview: false, refusal: { code: 'REVIEW_NOT_OPEN' } });
  });

  it('answers 409 REVIEW_WINDOW_CLOSED once the deadline (completion + REVIEW_WINDOW_DAYS) has passed', async () => {
    const sessionId = await completedViaApi(t, client, lawyer);
    const view = await request(t.server).get(`/api/sessions/${sessionId}/reviews`).set(bearer(client.token)).expect(200);
    expect(view.body.window.state).toBe('OPEN');
    const deadline = new Date(view.body.window.deadlineAt).getTime();
    const [{ completedAt }] = await t.app.get(DataSource).query(`SELECT completed_at AS "completedAt" FROM legal_sessions WHERE id = $1`, [sessionId]);
    expect(deadline - completedAt.getTime()).toBe(14 * DAY_MS);

    t.clock.advance(deadline - t.clock.now().getTime() + 1000);
    const res = await submitReview(t, client, sessionId, { rating: 5 });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'REVIEW_WINDOW_CLOSED' });
    const late = await request(t.server).get(`/api/sessions/${sessionId}/reviews`).set(bearer(client.token)).expect(200);
    expect(late.body).toMatchObject({ window: { state: 'CLOSED' }, canReview: false, refusal: { code: 'REVIEW_WINDOW_CLOSED' } });
  });

  it('answers 409 REVIEW_NOT_ALLOWED for a session refunded in full (through the payments refund path), not for a partial refund', async () => {
    const full = await completedViaApi(t, client, lawyer);
    const partial = await completedViaApi(t, client, lawyer);
    const payments = t.app.get(PaymentsService);
    await t.app.get(DataSource).transaction(async (m) => {
      await payments.requestRefund(m, { sessionId: full, amountMinor: lawyer.offering.priceMinor, reason: 'Goodwill', requestedBy: null });
      await payments.requestRefund(m, { sessionId: partial, amountMinor: 1000, reason: 'Goodwill', requestedBy: null });
    });
    const refused = await submitReview(t, client, full, { rating: 1 });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'REVIEW_NOT_ALLOWED' });
    const lawyerSide = await submitReview(t, asCaller(lawyer), full, { rating: 1 });
    expect(lawyerSide.body.code).toBe('REVIEW_NOT_ALLOWED');
    await submitReview(t, client, partial, { rating: 3 }).expect(201);
  });

  it('limits each author to REVIEW_RATE_LIMIT_PER_HOUR stored reviews per rolling hour (429 REVIEW_RATE_LIMITED)', async () => {
    const author = await signedIn(t);
    const sessions: string[] = [];
    for (let i = 0; i < 4; i++) sessions.push(await completedViaApi(t, author, lawyer));
    for (const id of sessions.slice(0, 3)) await submitReview(t, author, id, { rating: 4 }).expect(201);
    const limited = await submitReview(t, author, sessions[3]!, { rating: 4 });
    expect({ status: limited.status, code: limited.body.code }).toEqual({ status: 429, code: 'REVIEW_RATE_LIMITED' });
    t.clock.advance(3_600_000 + 1000);
    await submitReview(t, author, sessions[3]!, { rating: 4 }).expect(201);
  });
});
