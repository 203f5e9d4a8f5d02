import request from 'supertest';
import { DataSource } from 'typeorm';
import { ReviewWindowsService } from '../../src/modules/reviews/review-windows.service';
import { completedViaApi, notificationCount, submitReview } from '../factories/reviews';
import { asCaller, createBookableLawyer, signedIn, type BookableLawyer, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';

const DAY_MS = 86_400_000;

/**
 * Issue 13, Done when 4: double-blind reviews. Before both sides have submitted and before the
 * deadline, neither participant nor the public sees the other side's review; after, both do.
 * The publish job (what pg-boss runs at the deadline) publishes once however often it runs.
 */
describe('reviews: double-blind publication', () => {
  let t: TestApp;
  let lawyer: BookableLawyer;
  let lawyerCaller: Caller;
  let client: Caller;

  beforeAll(async () => {
    // No pg-boss workers or cron (jobs are still enqueued): the spec runs the publish job and the
    // sweep itself, so a cron sweep at a random moment cannot race its assertions.
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    lawyer = await createBookableLawyer(t);
    lawyerCaller = asCaller(lawyer);
    client = await signedIn(t);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => t.clock.reset());

  const view = async (who: Caller, sessionId: string) =>
    (await request(t.server).get(`/api/sessions/${sessionId}/reviews`).set(bearer(who.token)).expect(200)).body;
  const publicList = async () => (await request(t.server).get(`/api/lawyers/${lawyer.id}/reviews`).expect(200)).body;
  const rating = async () => (await request(t.server).get(`/api/lawyers/${lawyer.id}/rating`).expect(200)).body;
  const received = async (who: Caller) =>
    (await request(t.server).get('/api/me/reviews?direction=received').set(bearer(who.token)).expect(200)).body;

  it('hides each side’s review from the other and from the public until both have submitted, then shows both', async () => {
    const sessionId = await completedViaApi(t, client, lawyer);
    const before = { list: await publicList(), rating: await rating() };
    const mine = (await submitReview(t, client, sessionId, { rating: 5, comment: 'Secret until both are in' }).expect(201)).body;

    const clientView = await view(client, sessionId);
    expect(clientView).toMatchObject({ canReview: false, refusal: { code: 'REVIEW_ALREADY_SUBMITTED' }, theirs: null });
    expect(clientView.mine).toMatchObject({ id: mine.id, rating: 5, publishedAt: null });
    const lawyerView = await view(lawyerCaller, sessionId);
    expect(lawyerView).toMatchObject({ canReview: true, refusal: null, mine: null, theirs: null, window: { state: 'OPEN' } });
    expect(JSON.stringify(lawyerView)).not.toContain('Secret until both are in');
    expect(await publicList()).toEqual(before.list);
    expect(await rating()).toEqual(before.rating);
    expect((await received(lawyerCaller)).items.map((r: { id: string }) => r.id)).not.toContain(mine.id);
    // The lawyer is told a review awaits, with their deadline, but not what it says.
    const [awaiting] = await t.app
      .get(DataSource)
      .query(`SELECT title, body, params FROM notifications WHERE user_id = $1 AND kind = 'review.awaiting' AND params->>'sessionId' = $2`, [lawyer.id, sessionId]);
    expect(awaiting.params.deadlineAt).toBe(lawyerView.window.deadlineAt);
    expect(`${awaiting.title} ${awaiting.body}`).not.toContain('Secret');

    const theirs = (await submitReview(t, lawyerCaller, sessionId, { rating: 4, comment: 'Well prepared client' }).expect(201)).body;
    expect(theirs.publishedAt).not.toBeNull();

    const clientAfter = await view(client, sessionId);
    const lawyerAfter = await view(lawyerCaller, sessionId);
    expect(clientAfter.theirs).toMatchObject({ id: theirs.id, rating: 4, comment: 'Well prepared client', authorSide: 'LAWYER' });
    expect(lawyerAfter.theirs).toMatchObject({ id: mine.id, rating: 5, comment: 'Secret until both are in', authorSide: 'CLIENT' });
    expect(clientAfter.window.state).toBe('CLOSED');
    const list = await publicList();
    expect(list.total).toBe(before.list.total + 1);
    expect(list.items[0]).toMatchObject({ id: mine.id, rating: 5, author: 'Verified client', offeringTitle: lawyer.offering.title, response: null });
    // The lawyer's review of the client is never public.
    expect(list.items.map((r: { id: string }) => r.id)).not.toContain(theirs.id);
    expect(await rating()).toMatchObject({ count: before.rating.count + 1 });
    expect(await notificationCount(t, client.id, 'review.published')).toBeGreaterThanOrEqual(1);
    expect((await received(client)).items.map((r: { id: string }) => r.id)).toContain(theirs.id);
  });

  it('publishes at the deadline through the job, once, however often it runs; the rating counts it once', async () => {
    const other = await signedIn(t);
    const sessionId = await completedViaApi(t, other, lawyer);
    const review = (await submitReview(t, other, sessionId, { rating: 2, comment: 'Only one side wrote' }).expect(201)).body;
    const windows = t.app.get(ReviewWindowsService);
    const before = await rating();

    // Before the deadline the job does nothing (pg-boss never starts it early; this proves it would not matter).
    expect(await windows.publishDue(sessionId)).toBe(false);
    expect((await view(lawyerCaller, sessionId)).theirs).toBeNull();

    const { window } = await view(other, sessionId);
    t.clock.advance(new Date(window.deadlineAt).getTime() - t.clock.now().getTime() + 60_000);
    expect((await view(lawyerCaller, sessionId)).theirs).toBeNull(); // not until the job ran
    const runs = [await windows.publishDue(sessionId), await windows.publishDue(sessionId)];
    expect(runs).toEqual([true, false]);
    expect(await windows.sweep()).toBe(0);

    expect((await view(lawyerCaller, sessionId)).theirs).toMatchObject({ id: review.id, rating: 2 });
    expect((await publicList()).items.map((r: { id: string }) => r.id)).toContain(review.id);
    const after = await rating();
    expect(after.count).toBe(before.count + 1);
    expect(after.distribution['2']).toBe(before.distribution['2'] + 1);
    const ds = t.app.get(DataSource);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'review.published' AND subject_id = $1`, [review.id]);
    expect(n).toBe(1);
    expect(await notificationCount(t, other.id, 'review.published')).toBe(1);
    // The lawyer, who did not review in time, cannot any more.
    const late = await submitReview(t, lawyerCaller, sessionId, { rating: 3 });
    expect(late.body.code).toBe('REVIEW_WINDOW_CLOSED');
  });

  it('queues the publish job with the deadline in the transaction that completes the session, and the sweep catches a missed one', async () => {
    const other = await signedIn(t);
    const sessionId = await completedViaApi(t, other, lawyer);
    const ds = t.app.get(DataSource);
    const [job] = await ds.query(`SELECT start_after AS "startAfter", singleton_key AS "key" FROM pgboss.job WHERE name = 'reviews.publish' AND data->>'sessionId' = $1`, [sessionId]);
    const { window } = await view(other, sessionId);
    expect(job).toEqual({ startAfter: new Date(window.deadlineAt), key: sessionId });

    await submitReview(t, other, sessionId, { rating: 5 }).expect(201);
    t.clock.advance(15 * DAY_MS);
    expect(await t.app.get(ReviewWindowsService).sweep()).toBeGreaterThanOrEqual(1);
    expect((await view(lawyerCaller, sessionId)).theirs).toMatchObject({ rating: 5 });
  });
});
