import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { BlobStore } from '../../src/modules/storage';
import { VideoProvider } from '../../src/modules/video/provider/video-provider';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { startTwilioFake, TWILIO_TEST_CREDENTIALS, type TwilioFake } from './twilio-fake-server';
import { consent, deliver, endCall, join, twilioEnv, videoSession } from './twilio-test-support';

/**
 * Issue 12, Done when 1 and the Twilio half of 5: the real `twilio` SDK against a local fake of
 * Twilio's Video REST API. One room per session however many first joins race; tokens for that
 * room only; recording rules only once both consented; one composition per room; its media in
 * our blob store with the fake's SHA-256; Twilio's copies deleted afterwards.
 */
describe('Twilio Video provider (real SDK, fake Twilio API)', () => {
  let fake: TwilioFake;
  let t: TestApp;
  let sql: DataSource;

  beforeAll(async () => {
    fake = await startTwilioFake();
    t = await createTestApp(twilioEnv(fake));
    sql = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  const roomOf = async (sessionId: string) =>
    (
      await sql.query(
        `SELECT room_name AS "roomName", provider_room_sid AS "sid", status, recording_rules_set_at AS "rulesSetAt",
                composition_sid AS "compositionSid" FROM video_rooms WHERE session_id = $1`,
        [sessionId],
      )
    )[0] as { roomName: string; sid: string; status: string; rulesSetAt: Date | null; compositionSid: string | null };

  it('20 concurrent first joins (both participants) create exactly one room at Twilio, a group room with callbacks to PUBLIC_URL, not recording', async () => {
    const s = await videoSession(t);
    fake.createRoomDelayMs = 50;
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => join(t, i % 2 ? s.client : s.lawyer, s.sessionId, false)));
    fake.createRoomDelayMs = 0;
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const room = await roomOf(s.sessionId);
    expect(new Set(responses.map((r) => r.body.roomName))).toEqual(new Set([room.roomName]));
    const created = fake.sent('POST', '/v1/Rooms').filter((r) => r.params.UniqueName === room.roomName);
    expect(created).toHaveLength(1);
    expect(created[0]!.params).toMatchObject({
      Type: 'group',
      StatusCallback: 'https://api.example.test/api/webhooks/twilio/rooms',
      StatusCallbackMethod: 'POST',
      RecordParticipantsOnConnect: 'false',
    });
    expect(room.sid).toBe(fake.roomByName(room.roomName)!.sid);
    // The name Twilio sees is opaque: no id, name or email of anyone.
    expect(room.roomName).toMatch(/^lm_[0-9a-f]{32}$/);
    expect(room.roomName).not.toContain(s.sessionId);
    expect(fake.roomByName(room.roomName)!.rules).toEqual([]);
  });

  it('Twilio failing to create the room: 503 VIDEO_PROVIDER_UNAVAILABLE, nothing written; the next join succeeds', async () => {
    const s = await videoSession(t);
    const auditBefore = (await sql.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n;
    fake.fail('POST', /^\/v1\/Rooms$/, 500, 1);
    const refused = await join(t, s.client, s.sessionId, true);
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 503, code: 'VIDEO_PROVIDER_UNAVAILABLE' });
    expect(await roomOf(s.sessionId)).toBeUndefined();
    expect((await sql.query(`SELECT status FROM legal_sessions WHERE id = $1`, [s.sessionId]))[0].status).toBe('SCHEDULED');
    expect((await sql.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n).toBe(auditBefore);
    expect((await join(t, s.client, s.sessionId, true)).status).toBe(200);
    expect((await roomOf(s.sessionId)).sid).toMatch(/^RM/);
  });

  it('a room name already in progress at Twilio (error 53113, e.g. a retried transaction) resolves to that room, not a second one', async () => {
    const provider = t.app.get(VideoProvider);
    const roomName = `lm_${'ab'.repeat(16)}`;
    const statusCallbackUrl = 'https://api.example.test/api/webhooks/twilio/rooms';
    const first = await provider.ensureRoom({ roomName, statusCallbackUrl });
    const again = await provider.ensureRoom({ roomName, statusCallbackUrl });
    expect(again).toEqual(first);
    const creates = fake.sent('POST', '/v1/Rooms').filter((r) => r.params.UniqueName === roomName);
    expect(creates.map((r) => r.status)).toEqual([201, 400]);
    expect(fake.sent('GET', `/v1/Rooms/${roomName}`).map((r) => r.status)).toEqual([200]);
    expect([...fake.rooms.values()].filter((r) => r.uniqueName === roomName)).toHaveLength(1);
    // Every call carried the API key as Basic auth (the fake refuses anything else).
    expect(fake.requests.every((r) => r.status !== 401)).toBe(true);
  });

  it('a token carries only that room’s video grant, the opaque identity, and expires no later than the session end + grace', async () => {
    const s = await videoSession(t);
    const res = await join(t, s.client, s.sessionId, false).expect(200);
    const other = await videoSession(t);
    const otherRes = await join(t, other.client, other.sessionId, false).expect(200);
    expect(res.body.provider).toBe('twilio');
    const decoded = jwt.verify(res.body.token, TWILIO_TEST_CREDENTIALS.apiKeySecret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(decoded.iss).toBe(TWILIO_TEST_CREDENTIALS.apiKeySid);
    expect(decoded.sub).toBe(TWILIO_TEST_CREDENTIALS.accountSid);
    expect(decoded.grants).toEqual({ identity: res.body.identity, video: { room: res.body.roomName } });
    expect(res.body.identity).toMatch(/^p_[0-9a-f]{32}$/);
    expect(decoded.grants.video.room).not.toBe(otherRes.body.roomName);
    const [row] = await sql.query(`SELECT identity FROM video_participants WHERE session_id = $1 AND user_id = $2`, [s.sessionId, s.client.id]);
    expect(row.identity).toBe(res.body.identity);
    const latest = s.endAt.getTime() + t.config.VIDEO_JOIN_GRACE_MINUTES * 60_000;
    expect(decoded.exp! * 1000).toBeLessThanOrEqual(latest + 1000);
    expect(decoded.exp! * 1000).toBeGreaterThan(latest - 60_000);
    expect(new Date(res.body.expiresAt).getTime()).toBe(latest);
  });

  it('recording rules are set only after both consented, and stopped (exclude) when one withdraws', async () => {
    const s = await videoSession(t);
    await join(t, s.client, s.sessionId, true).expect(200);
    await join(t, s.lawyer, s.sessionId, false).expect(200);
    const room = await roomOf(s.sessionId);
    const rulesCalls = () => fake.sent('POST', `/v1/Rooms/${room.sid}/RecordingRules`);
    expect(rulesCalls()).toHaveLength(0);
    expect(room.rulesSetAt).toBeNull();

    await consent(t, s.lawyer, s.sessionId, true).expect(200);
    expect(rulesCalls().map((r) => JSON.parse(r.params.Rules!))).toEqual([[{ type: 'include', all: true }]]);
    expect((await roomOf(s.sessionId)).rulesSetAt).toBeInstanceOf(Date);

    await consent(t, s.client, s.sessionId, false).expect(200);
    expect(rulesCalls().map((r) => JSON.parse(r.params.Rules!))).toEqual([[{ type: 'include', all: true }], [{ type: 'exclude', all: true }]]);
  });

  it('Done when 5 (Twilio): when one participant refuses, no rule is ever set and no composition is requested', async () => {
    const s = await videoSession(t);
    await join(t, s.client, s.sessionId, true).expect(200);
    await join(t, s.lawyer, s.sessionId, false).expect(200);
    await consent(t, s.client, s.sessionId, true).expect(200);
    const res = await endCall(t, s.lawyer, s.sessionId).expect(200);
    expect(res.body.status).toBe('COMPLETED');
    const room = await roomOf(s.sessionId);
    expect(fake.sent('POST', `/v1/Rooms/${room.sid}/RecordingRules`)).toHaveLength(0);
    expect(fake.rooms.get(room.sid)!.rules).toEqual([]);
    expect(fake.rooms.get(room.sid)!.status).toBe('completed');
    expect([...fake.compositions.values()].filter((c) => c.roomSid === room.sid)).toEqual([]);
    expect(room.compositionSid).toBeNull();
    // Twilio's room-ended afterwards changes nothing either.
    await deliver(t, fake, 'rooms', fake.roomEvent(fake.rooms.get(room.sid)!, 'room-ended')).expect(200);
    expect([...fake.compositions.values()].filter((c) => c.roomSid === room.sid)).toEqual([]);
    expect(await sql.query(`SELECT count(*)::int AS n FROM recordings WHERE session_id = $1`, [s.sessionId])).toEqual([{ n: 0 }]);
  });

  it('one composition per room (lawyer ends, then Twilio’s room-ended 5×); its media is streamed into the blob store with the fake’s SHA-256; Twilio’s copies are deleted', async () => {
    const s = await videoSession(t);
    await join(t, s.client, s.sessionId, true).expect(200);
    await join(t, s.lawyer, s.sessionId, true).expect(200);
    const room = await roomOf(s.sessionId);
    expect(fake.sent('POST', `/v1/Rooms/${room.sid}/RecordingRules`)).toHaveLength(1);
    const sources = fake.addRecordings(room.sid, 3);

    await endCall(t, s.lawyer, s.sessionId).expect(200);
    const fakeRoom = fake.rooms.get(room.sid)!;
    const ended = fake.roomEvent(fakeRoom, 'room-ended');
    const again = await Promise.all([
      deliver(t, fake, 'rooms', ended),
      deliver(t, fake, 'rooms', ended),
      deliver(t, fake, 'rooms', { ...fake.roomEvent(fakeRoom, 'room-ended') }),
      deliver(t, fake, 'rooms', fake.roomEvent(fakeRoom, 'room-ended')),
      deliver(t, fake, 'rooms', ended),
    ]);
    expect(again.map((r) => r.status)).toEqual(Array(5).fill(200));
    const compositions = [...fake.compositions.values()].filter((c) => c.roomSid === room.sid);
    expect(compositions).toHaveLength(1);
    const composition = compositions[0]!;
    expect(fake.sent('POST', '/v1/Compositions').find((r) => r.params.RoomSid === room.sid)!.params).toMatchObject({
      AudioSources: '*',
      Format: 'mp4',
      StatusCallback: 'https://api.example.test/api/webhooks/twilio/compositions',
    });
    expect(composition.videoLayout).toEqual({ grid: { video_sources: ['*'] } });
    expect((await roomOf(s.sessionId)).compositionSid).toBe(composition.sid);

    const { bytes, sha256 } = fake.completeComposition(composition.sid);
    await deliver(t, fake, 'compositions', fake.compositionEvent(composition, 'composition-available')).expect(200);
    const recording = await eventually(
      async () =>
        (
          await sql.query(
            `SELECT id, status, sha256, size_bytes::int AS size, blob_key AS "blobKey", content_type AS "contentType", duration_seconds AS duration,
                    audit_seq::int AS "auditSeq", provider_deleted_at AS "deletedAt", kind, provider FROM recordings WHERE provider_sid = $1`,
            [composition.sid],
          )
        )[0],
      (r) => Boolean(r?.deletedAt),
      20_000,
    );
    expect(recording).toMatchObject({ status: 'available', sha256, size: bytes.length, contentType: 'video/mp4', duration: 1800, kind: 'composition', provider: 'twilio' });
    // The bytes in our custody are the fake's bytes.
    const stored = await t.app.get(BlobStore).get(recording.blobKey);
    const hash = createHash('sha256');
    for await (const chunk of stored.stream) hash.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(sha256);
    // Twilio's composition and every source recording of the room are gone, after the media was read.
    expect(fake.compositions.get(composition.sid)!.deleted).toBe(true);
    expect(sources.every((r) => fake.recordings.get(r.sid)!.deleted)).toBe(true);
    const mediaAt = fake.requests.findIndex((r) => r.path === `/media/${composition.sid}`);
    const deleteAt = fake.requests.findIndex((r) => r.method === 'DELETE' && r.path === `/v1/Compositions/${composition.sid}`);
    expect(mediaAt).toBeGreaterThan(-1);
    expect(deleteAt).toBeGreaterThan(mediaAt);
    const audits = await sql.query(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [recording.id]);
    expect(audits.map((a: { action: string }) => a.action)).toEqual(['video.composition_available', 'recording.stored', 'recording.provider_copy_deleted']);
  });

  it('the media link may also come as JSON redirect_to; a redelivered composition-available after ingest does nothing more', async () => {
    const s = await videoSession(t);
    await join(t, s.client, s.sessionId, true).expect(200);
    await join(t, s.lawyer, s.sessionId, true).expect(200);
    await endCall(t, s.lawyer, s.sessionId).expect(200);
    const room = await roomOf(s.sessionId);
    const composition = fake.compositions.get(room.compositionSid!)!;
    const { sha256 } = fake.completeComposition(composition.sid);
    fake.mediaRedirect = 'json';
    try {
      await deliver(t, fake, 'compositions', fake.compositionEvent(composition, 'composition-available')).expect(200);
      await eventually(
        async () => (await sql.query(`SELECT sha256, provider_deleted_at AS d FROM recordings WHERE provider_sid = $1`, [composition.sid]))[0],
        (r) => Boolean(r?.d),
        20_000,
      );
    } finally {
      fake.mediaRedirect = '302';
    }
    const mediaReads = fake.sent('GET', `/media/${composition.sid}`).length;
    await deliver(t, fake, 'compositions', fake.compositionEvent(composition, 'composition-available', { Timestamp: new Date().toISOString() })).expect(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.sent('GET', `/media/${composition.sid}`)).toHaveLength(mediaReads);
    expect(await sql.query(`SELECT sha256, status FROM recordings WHERE session_id = $1`, [s.sessionId])).toEqual([{ sha256, status: 'available' }]);
  });

  it('a failing media download is retried by the job and then succeeds; a failed composition is marked failed with an audit entry', async () => {
    const s = await videoSession(t);
    await join(t, s.client, s.sessionId, true).expect(200);
    await join(t, s.lawyer, s.sessionId, true).expect(200);
    await endCall(t, s.lawyer, s.sessionId).expect(200);
    const room = await roomOf(s.sessionId);
    const composition = fake.compositions.get(room.compositionSid!)!;
    const { sha256 } = fake.completeComposition(composition.sid);
    fake.fail('GET', new RegExp(`^/v1/Compositions/${composition.sid}/Media$`), 503, 1);
    await deliver(t, fake, 'compositions', fake.compositionEvent(composition, 'composition-available')).expect(200);
    const done = await eventually(
      async () => (await sql.query(`SELECT sha256, status, provider_deleted_at AS d FROM recordings WHERE provider_sid = $1`, [composition.sid]))[0],
      (r) => Boolean(r?.d),
      40_000,
    );
    expect(done).toMatchObject({ sha256, status: 'available' });
    expect(fake.sent('GET', `/v1/Compositions/${composition.sid}/Media`).map((r) => r.status)).toEqual([503, 302]);

    const s2 = await videoSession(t);
    await join(t, s2.client, s2.sessionId, true).expect(200);
    await join(t, s2.lawyer, s2.sessionId, true).expect(200);
    await endCall(t, s2.lawyer, s2.sessionId).expect(200);
    const failing = fake.compositions.get((await roomOf(s2.sessionId)).compositionSid!)!;
    await deliver(t, fake, 'compositions', fake.compositionEvent(failing, 'composition-failed', { ErrorMessage: 'No media' })).expect(200);
    const [failed] = await sql.query(`SELECT id, status, failure FROM recordings WHERE provider_sid = $1`, [failing.sid]);
    expect(failed).toMatchObject({ status: 'failed', failure: 'No media' });
    expect(await sql.query(`SELECT action FROM audit_events WHERE subject_id = $1`, [failed.id])).toEqual([{ action: 'recording.failed' }]);
  }, 60_000);
});
