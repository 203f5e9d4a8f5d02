import request from 'supertest';
import { createBookableLawyer, createSession, HOUR, signedIn, slotAfter } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

/** Issue 11: the rules are public before paying; the first booking after payment has a minimum notice. */
describe('booking policy and the first booking’s minimum notice (BOOKING_MIN_NOTICE_HOURS)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false', BOOKING_MIN_NOTICE_HOURS: '6' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('GET /api/booking-policy is public and states the window, the refunds and the notice', async () => {
    const res = await request(t.server).get('/api/booking-policy').expect(200);
    expect(res.body).toEqual({
      freeChangeHours: 24,
      refundPercentBeforeWindow: 100,
      refundPercentWithinWindow: 0,
      refundPercentUnscheduled: 100,
      refundPercentLawyerCancelled: 100,
      firstBookingMinimumNoticeHours: 6,
    });
  });

  it('offers and accepts only starts at least the notice ahead, even when the lawyer’s own notice is shorter', async () => {
    const lawyer = await createBookableLawyer(t, { minimumNoticeMinutes: 0 });
    const client = await signedIn(t);
    const session = await createSession(t, { clientId: client.id, lawyer });
    const slots = await request(t.server).get(`/api/sessions/${session.id}/slots`).set(bearer(client.token)).expect(200);
    const earliest = Date.parse(slots.body.slots[0].startAt);
    expect(earliest).toBeGreaterThanOrEqual(Date.now() + 6 * HOUR * 60_000 - 60_000);
    expect(earliest).toBeLessThan(Date.now() + 7 * HOUR * 60_000);

    const tooSoon = slotAfter(2 * HOUR);
    const refused = await request(t.server)
      .post('/api/sessions/schedule')
      .set(bearer(client.token))
      .send({ sessionId: session.id, startAt: tooSoon.toISOString() })
      .expect(409);
    expect(refused.body.code).toBe('SLOT_NOT_AVAILABLE');
    await request(t.server).post('/api/sessions/schedule').set(bearer(client.token)).send({ sessionId: session.id, startAt: slots.body.slots[0].startAt }).expect(200);
  });
});
