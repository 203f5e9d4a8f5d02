import request from 'supertest';
import { DataSource } from 'typeorm';
import { completedViaApi, submitReview } from '../factories/reviews';
import { asCaller, createBookableLawyer, signedIn, type BookableLawyer, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';

/**
 * The rest of issue 13's reviews: the lawyer's one response, reports, the admin moderation queue
 * and hide/unhide decisions (visibility and rating, never content), the public rating and list
 * endpoints, the directory's rating sort and filter, and the audit trail of all of it.
 */
describe('reviews: responses, reports, moderation, public reads and the directory', () => {
  let t: TestApp;
  let lawyer: BookableLawyer;
  let client: Caller;
  let admin: Caller;
  let reviewId: string;

  /** A published client review of `l` with `rating` stars (both sides submitted); its id. */
  async function publishedReview(l: BookableLawyer, rating: number, comment = ''): Promise<string> {
    const c = await signedIn(t);
    const sessionId = await completedViaApi(t, c, l);
    const id = (await submitReview(t, c, sessionId, { rating, comment }).expect(201)).body.id as string;
    await submitReview(t, asCaller(l), sessionId, { rating: 5 }).expect(201);
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    lawyer = await createBookableLawyer(t, { displayName: 'Rated Lawyer' });
    client = await signedIn(t);
    admin = await signedIn(t, { role: 'ADMIN' });
    const sessionId = await completedViaApi(t, client, lawyer);
    reviewId = (await submitReview(t, client, sessionId, { rating: 2, comment: 'Slow to answer.' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const rating = async (l: BookableLawyer = lawyer) =>
    (await request(t.server).get(`/api/lawyers/${l.id}/rating`).expect(200)).body;
  const audits = async (subjectId: string): Promise<string[]> =>
    (await t.app.get(DataSource).query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [subjectId])).map(
      (r: { action: string }) => r.action,
    );

  it('lets the reviewed lawyer respond once to a published review; nobody else, never before publication', async () => {
    const early = await request(t.server)
      .post(`/api/reviews/${reviewId}/response`)
      .set(bearer(lawyer.accessToken))
      .send({ body: 'Too early' });
    expect({ status: early.status, code: early.body.code }).toEqual({ status: 409, code: 'RESPONSE_NOT_ALLOWED' });
    const sessionId = (await t.app.get(DataSource).query(`SELECT session_id FROM reviews WHERE id = $1`, [reviewId]))[0]
      .session_id;
    await submitReview(t, asCaller(lawyer), sessionId, { rating: 4 }).expect(201);

    const other = await createBookableLawyer(t);
    const foreign = await request(t.server)
      .post(`/api/reviews/${reviewId}/response`)
      .set(bearer(other.accessToken))
      .send({ body: 'Not mine' });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'REVIEW_NOT_FOUND' });
    await request(t.server).post(`/api/reviews/${reviewId}/response`).set(bearer(client.token)).send({ body: 'x' }).expect(403);
    await request(t.server)
      .post(`/api/reviews/${reviewId}/response`)
      .set(bearer(lawyer.accessToken))
      .send({ body: '   ' })
      .expect(400);
    await request(t.server)
      .post(`/api/reviews/${reviewId}/response`)
      .set(bearer(lawyer.accessToken))
      .send({ body: 'x'.repeat(2001) })
      .expect(400);

    const created = await request(t.server)
      .post(`/api/reviews/${reviewId}/response`)
      .set(bearer(lawyer.accessToken))
      .send({ body: 'Sorry for the delay.' })
      .expect(201);
    expect(created.body).toMatchObject({ body: 'Sorry for the delay.' });
    const again = await request(t.server)
      .post(`/api/reviews/${reviewId}/response`)
      .set(bearer(lawyer.accessToken))
      .send({ body: 'Edit' });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'RESPONSE_ALREADY_SUBMITTED' });

    const list = (await request(t.server).get(`/api/lawyers/${lawyer.id}/reviews`).expect(200)).body;
    expect(list.items[0]).toMatchObject({
      id: reviewId,
      rating: 2,
      comment: 'Slow to answer.',
      response: { body: 'Sorry for the delay.' },
    });
    const received = (
      await request(t.server).get('/api/me/reviews?direction=received').set(bearer(lawyer.accessToken)).expect(200)
    ).body;
    expect(received.items[0]).toMatchObject({
      id: reviewId,
      status: 'PUBLISHED',
      counterpartName: 'Test CLIENT',
      response: { body: 'Sorry for the delay.', hidden: false },
    });
    const written = (await request(t.server).get('/api/me/reviews?direction=written').set(bearer(client.token)).expect(200)).body;
    expect(written).toMatchObject({ total: 1, items: [{ id: reviewId, status: 'PUBLISHED', counterpartName: 'Rated Lawyer' }] });
  });

  it('takes reports from the session’s two participants only, once each; not of one’s own writing', async () => {
    const byLawyer = await request(t.server)
      .post(`/api/reviews/${reviewId}/reports`)
      .set(bearer(lawyer.accessToken))
      .send({ reason: 'FALSE_INFORMATION', note: 'I answered within a day.' })
      .expect(201);
    expect(byLawyer.body).toMatchObject({ reviewId, target: 'REVIEW', reason: 'FALSE_INFORMATION', status: 'OPEN' });
    const twice = await request(t.server)
      .post(`/api/reviews/${reviewId}/reports`)
      .set(bearer(lawyer.accessToken))
      .send({ reason: 'SPAM' });
    expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'REVIEW_ALREADY_REPORTED' });
    // Anyone else (a competitor, say) cannot fill the queue, not even for a public review.
    const outsider = await signedIn(t);
    const foreign = await request(t.server)
      .post(`/api/reviews/${reviewId}/reports`)
      .set(bearer(outsider.token))
      .send({ reason: 'OFFENSIVE' });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'REVIEW_NOT_FOUND' });
    const own = await request(t.server)
      .post(`/api/reviews/${reviewId}/reports`)
      .set(bearer(client.token))
      .send({ reason: 'OTHER' });
    expect(own.body.code).toBe('REPORT_OWN_CONTENT');
    await request(t.server)
      .post(`/api/reviews/${reviewId}/reports`)
      .set(bearer(client.token))
      .send({ target: 'RESPONSE', reason: 'OFFENSIVE' })
      .expect(201);
    await request(t.server)
      .post(`/api/reviews/${reviewId}/reports`)
      .set(bearer(client.token))
      .send({ reason: 'NOT_A_REASON' })
      .expect(400);
    await request(t.server).post(`/api/reviews/${reviewId}/reports`).send({ reason: 'SPAM' }).expect(401);
    expect((await audits(reviewId)).filter((a) => a === 'review.reported')).toHaveLength(2);
  });

  it('does not let anyone but the participants report (or learn of) an unpublished review', async () => {
    const c = await signedIn(t);
    const sessionId = await completedViaApi(t, c, lawyer);
    const pending = (await submitReview(t, c, sessionId, { rating: 1 }).expect(201)).body.id;
    for (const who of [await signedIn(t), asCaller(lawyer)]) {
      const res = await request(t.server).post(`/api/reviews/${pending}/reports`).set(bearer(who.token)).send({ reason: 'SPAM' });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'REVIEW_NOT_FOUND' });
    }
  });

  it('puts reported reviews in the admin queue; a hide decision closes their reports, removes them from the public and the rating; unhide restores', async () => {
    const queue = (await request(t.server).get('/api/admin/reviews?status=REPORTED').set(bearer(admin.token)).expect(200)).body;
    expect(queue.items.find((r: { id: string }) => r.id === reviewId)).toMatchObject({
      openReports: 2,
      hidden: false,
      authorName: 'Test CLIENT',
      subjectName: 'Rated Lawyer',
      rating: 2,
    });
    const before = await rating();
    expect(before).toMatchObject({
      count: 1,
      average: 2,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 0 },
      prior: { mean: 4, weight: 5 },
    });
    expect(before.score).toBeCloseTo((5 * 4 + 2) / 6, 4);

    const decision = await request(t.server)
      .post(`/api/admin/reviews/${reviewId}/moderation`)
      .set(bearer(admin.token))
      .send({ target: 'REVIEW', action: 'HIDE', reasonCode: 'FALSE_INFORMATION', note: 'Checked the messages.' })
      .expect(201);
    expect(decision.body).toMatchObject({
      reviewId,
      target: 'REVIEW',
      action: 'HIDE',
      reasonCode: 'FALSE_INFORMATION',
      adminId: admin.id,
    });
    const again = await request(t.server)
      .post(`/api/admin/reviews/${reviewId}/moderation`)
      .set(bearer(admin.token))
      .send({ target: 'REVIEW', action: 'HIDE', reasonCode: 'SPAM' });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'MODERATION_NO_CHANGE' });

    expect(await rating()).toMatchObject({ count: 0, average: null, score: 4 });
    expect((await request(t.server).get(`/api/lawyers/${lawyer.id}/reviews`).expect(200)).body).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });
    const detail = (await request(t.server).get(`/api/admin/reviews/${reviewId}`).set(bearer(admin.token)).expect(200)).body;
    expect(detail).toMatchObject({ hidden: true, openReports: 1, comment: 'Slow to answer.' });
    expect(
      detail.reports
        .filter((r: { status: string }) => r.status === 'CLOSED')
        .map((r: { closedByDecisionId: string }) => r.closedByDecisionId),
    ).toEqual([decision.body.id]);
    expect(detail.decisions).toHaveLength(1);
    // The author still sees it, marked hidden; the lawyer's own list shows it as hidden.
    const sessionId = detail.sessionId;
    expect(
      (await request(t.server).get(`/api/sessions/${sessionId}/reviews`).set(bearer(client.token)).expect(200)).body.mine,
    ).toMatchObject({ id: reviewId, hidden: true });
    expect(
      (await request(t.server).get(`/api/sessions/${sessionId}/reviews`).set(bearer(lawyer.accessToken)).expect(200)).body.theirs,
    ).toBeNull();
    expect(
      (await request(t.server).get('/api/admin/reviews?status=HIDDEN').set(bearer(admin.token)).expect(200)).body.items.map(
        (r: { id: string }) => r.id,
      ),
    ).toContain(reviewId);

    await request(t.server)
      .post(`/api/admin/reviews/${reviewId}/moderation`)
      .set(bearer(admin.token))
      .send({ target: 'REVIEW', action: 'UNHIDE', reasonCode: 'REPORT_REJECTED' })
      .expect(201);
    expect(await rating()).toEqual(before);
    // Hiding the response leaves the review (and the rating) alone.
    await request(t.server)
      .post(`/api/admin/reviews/${reviewId}/moderation`)
      .set(bearer(admin.token))
      .send({ target: 'RESPONSE', action: 'HIDE', reasonCode: 'OFFENSIVE' })
      .expect(201);
    const list = (await request(t.server).get(`/api/lawyers/${lawyer.id}/reviews`).expect(200)).body;
    expect(list.items[0]).toMatchObject({ id: reviewId, response: null });
    expect(await rating()).toEqual(before);
    const queueAfter = (await request(t.server).get('/api/admin/reviews?status=REPORTED').set(bearer(admin.token)).expect(200))
      .body;
    expect(queueAfter.items.map((r: { id: string }) => r.id)).not.toContain(reviewId);
    expect(await audits(reviewId)).toEqual(
      expect.arrayContaining([
        'review.submitted',
        'review.published',
        'review.response_submitted',
        'review.reported',
        'review.hidden',
        'review.unhidden',
      ]),
    );
    // The content never changed.
    const [row] = await t.app.get(DataSource).query(`SELECT rating, comment FROM reviews WHERE id = $1`, [reviewId]);
    expect(row).toEqual({ rating: 2, comment: 'Slow to answer.' });
    await request(t.server)
      .post(`/api/admin/reviews/00000000-0000-4000-8000-000000000000/moderation`)
      .set(bearer(admin.token))
      .send({ target: 'REVIEW', action: 'HIDE', reasonCode: 'SPAM' })
      .expect(404);
  });

  it('dismisses unfounded reports without touching visibility; 409 when none is open', async () => {
    const id = await publishedReview(lawyer, 5, 'Very clear.');
    const before = await rating();
    await request(t.server)
      .post(`/api/reviews/${id}/reports`)
      .set(bearer(lawyer.accessToken))
      .send({ reason: 'SPAM' })
      .expect(201);
    const dismiss = { target: 'REVIEW', action: 'DISMISS', reasonCode: 'REPORT_REJECTED', note: 'A genuine review.' };
    const decision = await request(t.server)
      .post(`/api/admin/reviews/${id}/moderation`)
      .set(bearer(admin.token))
      .send(dismiss)
      .expect(201);
    expect(decision.body).toMatchObject({ action: 'DISMISS', adminId: admin.id });
    const detail = (await request(t.server).get(`/api/admin/reviews/${id}`).set(bearer(admin.token)).expect(200)).body;
    expect(detail).toMatchObject({ hidden: false, openReports: 0 });
    expect(await rating()).toEqual(before);
    const again = await request(t.server).post(`/api/admin/reviews/${id}/moderation`).set(bearer(admin.token)).send(dismiss);
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'MODERATION_NO_CHANGE' });
    expect(await audits(id)).toContain('review.reports_dismissed');
  });

  it('keeps a hidden review away from the person it is about (their “received” list), and counts limits like the database does', async () => {
    const id = await publishedReview(lawyer, 1, 'Names a third person.');
    await request(t.server)
      .post(`/api/admin/reviews/${id}/moderation`)
      .set(bearer(admin.token))
      .send({ target: 'REVIEW', action: 'HIDE', reasonCode: 'PERSONAL_DATA' })
      .expect(201);
    const received = (
      await request(t.server).get('/api/me/reviews?direction=received&pageSize=100').set(bearer(lawyer.accessToken)).expect(200)
    ).body;
    expect(received.items.map((r: { id: string }) => r.id)).not.toContain(id);
    // 2000 hearts with their emoji variation selector are 4000 characters for PostgreSQL: a 400, not a 500.
    const c = await signedIn(t);
    const sessionId = await completedViaApi(t, c, lawyer);
    const res = await submitReview(t, c, sessionId, { rating: 5, comment: '❤️'.repeat(2000) });
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    await submitReview(t, c, sessionId, { rating: 5, comment: '❤️'.repeat(1000) }).expect(201);
  });

  it('withdraws a session’s reviews from the rating when support records it as a no-show, by a system decision', async () => {
    const before = await rating();
    const c = await signedIn(t);
    const sessionId = await completedViaApi(t, c, lawyer);
    const clientReview = (await submitReview(t, c, sessionId, { rating: 5, comment: 'Great.' }).expect(201)).body.id as string;
    await submitReview(t, asCaller(lawyer), sessionId, { rating: 1, comment: 'Never showed up.' }).expect(201);
    expect((await rating()).count).toBe(before.count + 1);

    const ticket = await request(t.server)
      .post('/api/support/tickets')
      .set(bearer(lawyer.accessToken))
      .send({ category: 'NO_SHOW_CLIENT', sessionId, description: 'The client never joined the call.' })
      .expect(201);
    await request(t.server)
      .post(`/api/admin/support/tickets/${ticket.body.id}/no-show-resolution`)
      .set(bearer(admin.token))
      .send({ decision: 'CLIENT_NO_SHOW' })
      .expect(200);
    expect(await rating()).toEqual(before);
    const detail = (await request(t.server).get(`/api/admin/reviews/${clientReview}`).set(bearer(admin.token)).expect(200)).body;
    expect(detail.hidden).toBe(true);
    expect(detail.decisions).toEqual([expect.objectContaining({ action: 'HIDE', reasonCode: 'SESSION_NO_SHOW', adminId: null })]);
    const mine = (await request(t.server).get(`/api/sessions/${sessionId}/reviews`).set(bearer(c.token)).expect(200)).body;
    expect(mine).toMatchObject({ canReview: false, mine: { id: clientReview, hidden: true }, theirs: null });
  });

  it('pages the public list newest first by cursor, with the total; refuses a forged cursor; 404 for a lawyer who is not listed', async () => {
    const l = await createBookableLawyer(t);
    const ids = [];
    for (const stars of [5, 4, 3]) {
      ids.push(await publishedReview(l, stars, `${stars} stars`));
      t.clock.advance(1000);
    }
    t.clock.reset();
    const first = (await request(t.server).get(`/api/lawyers/${l.id}/reviews?limit=2`).expect(200)).body;
    expect(first.total).toBe(3);
    expect(first.items.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[1]]);
    const second = (await request(t.server).get(`/api/lawyers/${l.id}/reviews?limit=2&cursor=${first.nextCursor}`).expect(200))
      .body;
    expect(second).toMatchObject({ total: 3, nextCursor: null });
    expect(second.items.map((r: { id: string }) => r.id)).toEqual([ids[0]]);
    const bad = await request(t.server).get(`/api/lawyers/${l.id}/reviews?cursor=not-a-cursor`);
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'INVALID_CURSOR' });
    await request(t.server).get(`/api/lawyers/${l.id}/reviews?limit=51`).expect(400);
    expect(await rating(l)).toMatchObject({ count: 3, average: 4, distribution: { '3': 1, '4': 1, '5': 1 } });
    for (const path of ['rating', 'reviews']) {
      await request(t.server).get(`/api/lawyers/${client.id}/${path}`).expect(404);
      await request(t.server).get(`/api/lawyers/00000000-0000-4000-8000-000000000000/${path}`).expect(404);
    }
  });

  it('sorts the directory by rating score and filters by minimum average; cards and profiles carry the rating', async () => {
    const top = await createBookableLawyer(t, { displayName: 'Zz Top Rated' });
    const mid = await createBookableLawyer(t, { displayName: 'Zz Mid Rated' });
    const unrated = await createBookableLawyer(t, { displayName: 'Zz Unrated' });
    for (const stars of [5, 5, 4]) await publishedReview(top, stars);
    await publishedReview(mid, 5); // one 5-star review scores below three reviews averaging 4.67

    const sorted = (await request(t.server).get('/api/lawyers?sort=rating&pageSize=100').expect(200)).body;
    const names = sorted.items.map((c: { displayName: string }) => c.displayName).filter((n: string) => n.startsWith('Zz '));
    expect(names).toEqual(['Zz Top Rated', 'Zz Mid Rated', 'Zz Unrated']);
    const card = sorted.items.find((c: { id: string }) => c.id === top.id);
    expect(card.rating).toEqual({ average: 4.67, count: 3 });
    expect(sorted.items.find((c: { id: string }) => c.id === unrated.id).rating).toEqual({ average: null, count: 0 });
    // Unrated lawyers come after every rated one.
    const ratedAfterUnrated = sorted.items
      .slice(sorted.items.findIndex((c: { rating: { count: number } }) => c.rating.count === 0))
      .some((c: { rating: { count: number } }) => c.rating.count > 0);
    expect(ratedAfterUnrated).toBe(false);

    const filtered = (await request(t.server).get('/api/lawyers?minRating=4.7&pageSize=100').expect(200)).body;
    const filteredIds = filtered.items.map((c: { id: string }) => c.id);
    expect(filteredIds).toContain(mid.id);
    expect(filteredIds).not.toContain(top.id);
    expect(filteredIds).not.toContain(unrated.id);
    expect(filtered.total).toBe(filtered.items.length);
    for (const bad of ['0', '6', 'x', '4.123']) await request(t.server).get(`/api/lawyers?minRating=${bad}`).expect(400);

    const profile = (await request(t.server).get(`/api/lawyers/${top.id}`).expect(200)).body;
    expect(profile.rating).toEqual({ average: 4.67, count: 3 });
    expect((await request(t.server).get(`/api/lawyers/${unrated.id}`).expect(200)).body.rating).toEqual({
      average: null,
      count: 0,
    });
  });
});
