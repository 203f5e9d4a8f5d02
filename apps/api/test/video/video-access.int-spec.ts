import request from 'supertest';
import { DataSource } from 'typeorm';
import { asCaller, createBookableLawyer, DAY, scheduledViaApi, signedIn, slotAfter, type BookableLawyer, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { OverdueCallsService } from '../../src/modules/video/overdue-calls.service';
import { createTestApp, TestApp } from '../setup/test-app';

const MINUTE = 60_000;

/**
 * Who may enter a session's call, and when (peer-to-peer provider, the embedded default): the
 * two participants only, from 10 minutes before the start to 15 minutes after the end. The
 * first join starts the session; the lawyer's "End session" completes it. Every step is in the
 * session's timeline and the audit trail.
 */
describe('video calls: access, join window and lifecycle', () => {
  let t: TestApp;
  let sql: DataSource;
  let lawyer: BookableLawyer;
  let admin: Caller;
  let bookings = 0;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    sql = t.app.get(DataSource);
    lawyer = await createBookableLawyer(t);
    admin = await signedIn(t, { role: 'ADMIN' });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => t.clock.reset());

  const post = (c: Caller, path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body);
  const put = (c: Caller, path: string, body: object = {}) => request(t.server).put(path).set(bearer(c.token)).send(body);
  const get = (c: Caller, path: string) => request(t.server).get(path).set(bearer(c.token));

  /** A fresh client with a session booked two days ahead; the clock is then moved to `offsetMinutes` from its start. */
  async function booked(offsetMinutes: number): Promise<{ client: Caller; sessionId: string; startAt: Date }> {
    const client = await signedIn(t);
    const startAt = slotAfter((2 + bookings++) * DAY); // one lawyer: a day apart, never overlapping
    const sessionId = await scheduledViaApi(t, client, lawyer, startAt);
    t.clock.advance(startAt.getTime() + offsetMinutes * MINUTE - Date.now());
    return { client, sessionId, startAt };
  }

  const rows = async (table: string, sessionId: string) =>
    Number((await sql.query(`SELECT count(*)::int AS n FROM ${table} WHERE session_id = $1`, [sessionId]))[0].n);

  it('refuses anyone but the two participants with the 404 of a missing session: room, token, attendance, consent, end', async () => {
    const { client, sessionId } = await booked(-5);
    await post(client, `/api/sessions/${sessionId}/video/join`, { recordingConsent: false }).expect(200);
    const stranger = await signedIn(t);
    const otherLawyer = asCaller(await createBookableLawyer(t));
    for (const who of [stranger, otherLawyer]) {
      const attempts = [
        await get(who, `/api/sessions/${sessionId}/video`),
        await post(who, `/api/sessions/${sessionId}/video/join`, { recordingConsent: true }),
        await get(who, `/api/sessions/${sessionId}/attendance`),
        await put(who, `/api/sessions/${sessionId}/video/consent`, { recordingConsent: true }),
        await post(who, `/api/sessions/${sessionId}/video/leave`),
        await post(who, `/api/sessions/${sessionId}/video/end`),
      ];
      expect(attempts.map((r) => [r.status, r.body.code])).toEqual(attempts.map(() => [404, 'SESSION_NOT_FOUND']));
    }
    expect(await rows('video_participants', sessionId)).toBe(1);
    // An admin may look at the call's state and attendance, but not join it.
    expect((await get(admin, `/api/sessions/${sessionId}/video`).expect(200)).body).toMatchObject({ myRole: null, joinable: false });
    await get(admin, `/api/sessions/${sessionId}/attendance`).expect(200);
    await post(admin, `/api/sessions/${sessionId}/video/join`, { recordingConsent: false }).expect(403);
  });

  it('opens 10 minutes before the start (409 VIDEO_JOIN_TOO_EARLY before, naming the time) and closes 15 minutes after the end (409 VIDEO_JOIN_CLOSED)', async () => {
    const { client, sessionId, startAt } = await booked(-11);
    const early = await post(client, `/api/sessions/${sessionId}/video/join`, { recordingConsent: true }).expect(409);
    expect(early.body).toMatchObject({ code: 'VIDEO_JOIN_TOO_EARLY' });
    expect(early.body.message).toContain(new Date(startAt.getTime() - 10 * MINUTE).toISOString());
    expect(await rows('video_rooms', sessionId)).toBe(0);
    const state = (await get(client, `/api/sessions/${sessionId}/video`).expect(200)).body;
    expect(state).toMatchObject({ joinable: false, refusal: 'VIDEO_JOIN_TOO_EARLY', provider: 'p2p', endToEndEncrypted: true, myRole: 'CLIENT' });

    t.clock.advance(2 * MINUTE); // 9 minutes before the start
    expect((await get(client, `/api/sessions/${sessionId}/video`).expect(200)).body).toMatchObject({ joinable: true, refusal: null });

    t.clock.advance((9 + 60 + 15) * MINUTE + 1000); // one second past end + grace
    const late = await post(asCaller(lawyer), `/api/sessions/${sessionId}/video/join`, { recordingConsent: true }).expect(409);
    expect(late.body.code).toBe('VIDEO_JOIN_CLOSED');
    expect(await rows('video_rooms', sessionId)).toBe(0);
  });

  it('has no call for a paid session without a booked time (409 SESSION_NOT_SCHEDULED)', async () => {
    const client = await signedIn(t);
    const { createSession } = await import('../factories/sessions');
    const paid = await createSession(t, { clientId: client.id, lawyer });
    expect((await post(client, `/api/sessions/${paid.id}/video/join`, { recordingConsent: false }).expect(409)).body.code).toBe('SESSION_NOT_SCHEDULED');
  });

  it('refuses a suspended account', async () => {
    const { client, sessionId } = await booked(0);
    await sql.query(`UPDATE users SET status = 'SUSPENDED' WHERE id = $1`, [client.id]);
    await post(client, `/api/sessions/${sessionId}/video/join`, { recordingConsent: false }).expect(401);
    await get(client, `/api/sessions/${sessionId}/video`).expect(401);
    expect(await rows('video_rooms', sessionId)).toBe(0);
  });

  it('20 concurrent first joins create one room; each participant keeps one opaque identity; the session starts once', async () => {
    const { client, sessionId } = await booked(-2);
    const joins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(i % 2 ? client : asCaller(lawyer), `/api/sessions/${sessionId}/video/join`, { recordingConsent: false })),
    );
    expect(joins.map((r) => r.status)).toEqual(joins.map(() => 200));
    expect(await rows('video_rooms', sessionId)).toBe(1);
    const identities = new Set(joins.map((r) => r.body.identity as string));
    expect(identities.size).toBe(2);
    for (const id of identities) expect(id).toMatch(/^p_[0-9a-f]{32}$/);
    const roomNames = new Set(joins.map((r) => r.body.roomName as string));
    expect([...roomNames]).toEqual([expect.stringMatching(/^lm_[0-9a-f]{32}$/)]);
    const join = joins[0]!.body;
    expect(join).toMatchObject({ provider: 'p2p', token: null, iceServers: [], room: { status: 'IN_PROGRESS' } });
    // The room name and identities say nothing about the people.
    expect(JSON.stringify(joins.map((r) => r.body))).not.toMatch(/@|Lawyer|lawyer_/);
    const starts = await sql.query(`SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND action = 'start'`, [sessionId]);
    expect(starts[0].n).toBe(1);
    const audit = await sql.query(`SELECT action FROM audit_events WHERE subject_id = $1 AND action LIKE 'video.%' ORDER BY seq`, [sessionId]);
    expect(audit.map((a: { action: string }) => a.action).filter((a: string) => a !== 'video.joined')).toEqual(['video.room_created']);
  });

  it('records recording consent; recording is active only while both consent, and stopping is visible to the other side', async () => {
    const { client, sessionId } = await booked(0);
    await post(client, `/api/sessions/${sessionId}/video/join`, { recordingConsent: true }).expect(200);
    let state = (await get(asCaller(lawyer), `/api/sessions/${sessionId}/video`).expect(200)).body;
    expect(state.recording).toEqual({ clientConsented: true, lawyerConsented: false, active: false });
    const joined = await post(asCaller(lawyer), `/api/sessions/${sessionId}/video/join`, { recordingConsent: true }).expect(200);
    expect(joined.body.room.recording).toEqual({ clientConsented: true, lawyerConsented: true, active: true });

    state = (await put(client, `/api/sessions/${sessionId}/video/consent`, { recordingConsent: false }).expect(200)).body;
    expect(state.recording).toEqual({ clientConsented: false, lawyerConsented: true, active: false });
    const signals = await sql.query(`SELECT type, body FROM video_signals WHERE session_id = $1 AND type = 'recording-state' ORDER BY id`, [sessionId]);
    expect(signals.map((s: { body: unknown }) => s.body)).toEqual([
      { active: true, by: 'LAWYER' },
      { active: false, by: 'CLIENT' },
    ]);
    const audit = await sql.query(`SELECT action FROM audit_events WHERE subject_id = $1 AND action LIKE 'video.recording%' ORDER BY seq`, [sessionId]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'video.recording_consent_given',
      'video.recording_consent_given',
      'video.recording_started',
      'video.recording_consent_withdrawn',
      'video.recording_stopped',
    ]);
    expect((await put(client, `/api/sessions/${sessionId}/video/consent`, { recordingConsent: 'yes' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('only the lawyer ends the session: COMPLETED, room ended, joining closed; attendance is kept', async () => {
    const { client, sessionId } = await booked(5);
    await post(client, `/api/sessions/${sessionId}/video/join`, { recordingConsent: false }).expect(200);
    // The lawyer has not joined yet: nothing to end.
    expect((await post(asCaller(lawyer), `/api/sessions/${sessionId}/video/end`).expect(409)).body.code).toBe('VIDEO_NOT_JOINED');
    await post(asCaller(lawyer), `/api/sessions/${sessionId}/video/join`, { recordingConsent: false }).expect(200);
    expect((await post(client, `/api/sessions/${sessionId}/video/end`).expect(403)).body.code).toBe('VIDEO_END_LAWYER_ONLY');
    await post(client, `/api/sessions/${sessionId}/video/leave`).expect(204);

    const ended = await post(asCaller(lawyer), `/api/sessions/${sessionId}/video/end`).expect(200);
    expect(ended.body).toMatchObject({ status: 'COMPLETED', joinable: false, refusal: 'VIDEO_JOIN_CLOSED' });
    expect((await post(client, `/api/sessions/${sessionId}/video/join`, { recordingConsent: false }).expect(409)).body.code).toBe('VIDEO_JOIN_CLOSED');
    // Ending twice is harmless.
    await post(asCaller(lawyer), `/api/sessions/${sessionId}/video/end`).expect(200);

    const session = (await get(client, `/api/sessions/${sessionId}`).expect(200)).body;
    expect(session.status).toBe('COMPLETED');
    const room = await sql.query(`SELECT status FROM video_rooms WHERE session_id = $1`, [sessionId]);
    expect(room[0].status).toBe('ended');
    // Nobody opened the signalling stream here, so nobody was seen joining: a leave without a join records nothing.
    expect((await get(asCaller(lawyer), `/api/sessions/${sessionId}/attendance`).expect(200)).body.items).toEqual([]);
    await expect(sql.query(`DELETE FROM video_attendance WHERE session_id = $1`, [sessionId])).rejects.toThrow(/append-only|not allowed|reject/i);
    expect((await get(admin, '/api/admin/audit/verify').expect(200)).body.ok).toBe(true);
  });

  it('a call nobody ended is closed by the system once its window has passed: COMPLETED, room ended, once', async () => {
    const { client, sessionId } = await booked(0);
    await post(client, `/api/sessions/${sessionId}/video/join`, { recordingConsent: false }).expect(200);
    const closer = t.app.get(OverdueCallsService);
    const status = async () => (await get(client, `/api/sessions/${sessionId}`).expect(200)).body.status;
    t.clock.advance((60 + 14) * MINUTE); // inside the grace period: still open (earlier specs' calls may close now)
    await closer.closeOverdue();
    expect(await status()).toBe('IN_PROGRESS');
    t.clock.advance(2 * MINUTE);
    expect(await closer.closeOverdue()).toBeGreaterThanOrEqual(1);
    expect(await closer.closeOverdue()).toBe(0);
    expect((await get(client, `/api/sessions/${sessionId}`).expect(200)).body.status).toBe('COMPLETED');
    const events = await sql.query(`SELECT action, actor_id AS "actorId", payload FROM session_events WHERE session_id = $1 AND action = 'complete'`, [sessionId]);
    expect(events).toEqual([{ action: 'complete', actorId: null, payload: expect.objectContaining({ via: 'room_ended' }) }]);
  });
});
