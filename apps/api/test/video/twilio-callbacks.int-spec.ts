import request from 'supertest';
import { DataSource } from 'typeorm';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { startTwilioFake, type FakeRoom, type TwilioFake } from './twilio-fake-server';
import { callbackPath, deliver, endCall, join, twilioEnv, videoSession, writtenCounts, type VideoSession } from './twilio-test-support';

/**
 * Issue 12, Done when 2: Twilio's callbacks are verified (X-Twilio-Signature over the URL built
 * from PUBLIC_URL) before anything is written, stored once per event however often and however
 * concurrently they arrive, and end in the right state in any order.
 */
describe('POST /api/webhooks/twilio/*', () => {
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

  /** A session whose call both participants joined: its Twilio room and their identities. */
  const joinedCall = async (opts: { consent?: boolean } = {}): Promise<{ s: VideoSession; room: FakeRoom; client: string; lawyer: string }> => {
    const s = await videoSession(t);
    const client = (await join(t, s.client, s.sessionId, opts.consent ?? false).expect(200)).body.identity as string;
    const res = await join(t, s.lawyer, s.sessionId, opts.consent ?? false).expect(200);
    return { s, room: fake.roomByName(res.body.roomName)!, client, lawyer: res.body.identity as string };
  };

  const attendance = async (s: VideoSession) =>
    (await request(t.server).get(`/api/sessions/${s.sessionId}/attendance`).set(bearer(s.client.token)).expect(200)).body.items as {
      role: string;
      event: string;
      at: string;
      source: string;
    }[];

  const sessionStatus = async (sessionId: string) => (await sql.query(`SELECT status FROM legal_sessions WHERE id = $1`, [sessionId]))[0].status as string;

  describe('signatures: checked before anything is written', () => {
    it('missing → 400 VIDEO_CALLBACK_SIGNATURE_INVALID, nothing written', async () => {
      const { room, client } = await joinedCall();
      const before = await writtenCounts(t);
      const res = await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-connected', client, 'PA' + '1'.repeat(32)), { signature: null });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VIDEO_CALLBACK_SIGNATURE_INVALID' });
      expect(await writtenCounts(t)).toEqual(before);
    });

    it('wrong (another Auth Token, or garbage) → 400, nothing written', async () => {
      const { room, client } = await joinedCall();
      const params = fake.participantEvent(room, 'participant-connected', client, 'PA' + '2'.repeat(32));
      const before = await writtenCounts(t);
      const url = `${t.config.PUBLIC_URL}${callbackPath('rooms')}`;
      for (const signature of [fake.sign(url, params, 'another-auth-token-0123456789'), 'bm90IGEgc2lnbmF0dXJl', '']) {
        const res = await deliver(t, fake, 'rooms', params, { signature });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VIDEO_CALLBACK_SIGNATURE_INVALID' });
      }
      // Signed for the other endpoint.
      const res = await deliver(t, fake, 'rooms', params, { signedUrl: `${t.config.PUBLIC_URL}${callbackPath('compositions')}` });
      expect(res.status).toBe(400);
      expect(await writtenCounts(t)).toEqual(before);
    });

    it('a genuine callback replayed with its body altered (another identity, event or extra field) → 400, nothing written', async () => {
      const { s, room, client, lawyer } = await joinedCall();
      const params = fake.participantEvent(room, 'participant-connected', client, 'PA' + '3'.repeat(32));
      const url = `${t.config.PUBLIC_URL}${callbackPath('rooms')}`;
      const signature = fake.sign(url, params);
      const before = await writtenCounts(t);
      const altered = [
        { ...params, ParticipantIdentity: lawyer },
        { ...params, StatusCallbackEvent: 'room-ended' },
        { ...params, Extra: '1' },
      ];
      for (const body of altered) {
        const res = await deliver(t, fake, 'rooms', params, { signature, body: new URLSearchParams(body).toString() });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VIDEO_CALLBACK_SIGNATURE_INVALID' });
      }
      // The same fields sent twice, or as JSON, cannot be what was signed either.
      const doubled = `${new URLSearchParams(params).toString()}&ParticipantIdentity=${lawyer}`;
      expect((await deliver(t, fake, 'rooms', params, { signature, body: doubled })).status).toBe(400);
      const asJson = await request(t.server).post(callbackPath('rooms')).set('x-twilio-signature', signature).send(params);
      expect({ status: asJson.status, code: asJson.body.code }).toEqual({ status: 400, code: 'VIDEO_CALLBACK_SIGNATURE_INVALID' });
      expect(await writtenCounts(t)).toEqual(before);
      expect(await sessionStatus(s.sessionId)).toBe('IN_PROGRESS');
      // The genuine one is accepted.
      await deliver(t, fake, 'rooms', params, { signature }).expect(200);
      expect((await attendance(s)).filter((a) => a.source === 'twilio')).toEqual([expect.objectContaining({ role: 'CLIENT', event: 'joined' })]);
    });

    it('the URL signed includes the query string when Twilio was given one', async () => {
      const { room, client } = await joinedCall();
      const params = fake.participantEvent(room, 'participant-connected', client, 'PA' + '4'.repeat(32));
      const base = `${t.config.PUBLIC_URL}${callbackPath('rooms')}`;
      await deliver(t, fake, 'rooms', params, { query: 'v=1', signedUrl: `${base}?v=1` }).expect(200);
      const res = await deliver(t, fake, 'rooms', { ...params, ParticipantSid: 'PA' + '5'.repeat(32) }, { query: 'v=1', signedUrl: base });
      expect(res.status).toBe(400);
    });
  });

  it('50 concurrent deliveries of one participant-connected → one stored callback, one attendance row', async () => {
    const { s, room, client } = await joinedCall();
    const params = fake.participantEvent(room, 'participant-connected', client, 'PA' + '6'.repeat(32));
    const before = await writtenCounts(t);
    const responses = await Promise.all(Array.from({ length: 50 }, () => deliver(t, fake, 'rooms', params)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const after = await writtenCounts(t);
    expect({ callbacks: after.callbacks - before.callbacks, attendance: after.attendance - before.attendance }).toEqual({ callbacks: 1, attendance: 1 });
    expect(await sql.query(`SELECT count(*)::int AS n FROM video_callbacks WHERE params->>'ParticipantSid' = $1`, [params.ParticipantSid])).toEqual([{ n: 1 }]);
    expect((await attendance(s)).filter((a) => a.source === 'twilio')).toHaveLength(1);
  });

  it('50 concurrent deliveries of one room-ended → one COMPLETED transition, one room_ended audit entry, one composition', async () => {
    const { s, room } = await joinedCall({ consent: true });
    const params = fake.roomEvent(room, 'room-ended');
    const responses = await Promise.all(Array.from({ length: 50 }, () => deliver(t, fake, 'rooms', params)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await sessionStatus(s.sessionId)).toBe('COMPLETED');
    expect(await sql.query(`SELECT count(*)::int AS n FROM session_events WHERE session_id = $1 AND action = 'complete'`, [s.sessionId])).toEqual([{ n: 1 }]);
    expect(
      await sql.query(`SELECT action, count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action IN ('video.room_ended', 'video.composition_requested') GROUP BY 1 ORDER BY 1`, [
        s.sessionId,
      ]),
    ).toEqual([
      { action: 'video.composition_requested', n: 1 },
      { action: 'video.room_ended', n: 1 },
    ]);
    expect([...fake.compositions.values()].filter((c) => c.roomSid === room.sid)).toHaveLength(1);
    expect(await sql.query(`SELECT count(*)::int AS n FROM video_callbacks WHERE room_sid = $1 AND event = 'room-ended'`, [room.sid])).toEqual([{ n: 1 }]);
  });

  it('out of order: room-ended before the participants’ connected/disconnected → COMPLETED, and the log in the order things happened', async () => {
    const { s, room, client, lawyer } = await joinedCall();
    const t0 = Date.now();
    const at = (min: number) => new Date(t0 + min * 60_000);
    await deliver(t, fake, 'rooms', fake.roomEvent(room, 'room-ended', { Timestamp: at(30).toISOString() })).expect(200);
    expect(await sessionStatus(s.sessionId)).toBe('COMPLETED');
    await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-disconnected', lawyer, 'PA' + '7'.repeat(32), at(29))).expect(200);
    await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-connected', client, 'PA' + '8'.repeat(32), at(1))).expect(200);
    await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-connected', lawyer, 'PA' + '7'.repeat(32), at(2))).expect(200);
    await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-disconnected', client, 'PA' + '8'.repeat(32), at(28))).expect(200);
    // A room-created arriving last changes nothing.
    await deliver(t, fake, 'rooms', fake.roomEvent(room, 'room-created', { Timestamp: at(0).toISOString() })).expect(200);
    const log = (await attendance(s)).filter((a) => a.source === 'twilio').map((a) => `${a.role} ${a.event} ${a.at}`);
    expect(log).toEqual([
      `CLIENT joined ${at(1).toISOString()}`,
      `LAWYER joined ${at(2).toISOString()}`,
      `CLIENT left ${at(28).toISOString()}`,
      `LAWYER left ${at(29).toISOString()}`,
    ]);
    expect(await sessionStatus(s.sessionId)).toBe('COMPLETED');
    expect((await sql.query(`SELECT status, provider_room_sid AS sid FROM video_rooms WHERE session_id = $1`, [s.sessionId]))[0]).toEqual({ status: 'ended', sid: room.sid });
  });

  it('out of order: composition-available before room-ended → the recording is stored once, no second composition, COMPLETED', async () => {
    const { s, room } = await joinedCall({ consent: true });
    // Twilio composed the room on its own (e.g. a Composition Hook) before we heard the room end.
    const composition = fake.createComposition(room.sid);
    const { sha256 } = fake.completeComposition(composition.sid);
    await deliver(t, fake, 'compositions', fake.compositionEvent(composition, 'composition-available')).expect(200);
    const [early] = await sql.query(`SELECT status, kind, provider FROM recordings WHERE provider_sid = $1`, [composition.sid]);
    expect(early).toMatchObject({ kind: 'composition', provider: 'twilio' });
    await deliver(t, fake, 'rooms', fake.roomEvent(room, 'room-ended')).expect(200);
    expect(await sessionStatus(s.sessionId)).toBe('COMPLETED');
    const stored = await eventually(
      async () => await sql.query(`SELECT status, sha256, provider_deleted_at IS NOT NULL AS deleted FROM recordings WHERE session_id = $1`, [s.sessionId]),
      (rows: { deleted: boolean }[]) => rows.length === 1 && rows[0]!.deleted,
      20_000,
    );
    expect(stored).toEqual([{ status: 'available', sha256, deleted: true }]);
    expect([...fake.compositions.values()].filter((c) => c.roomSid === room.sid)).toHaveLength(1);
    expect(fake.sent('POST', '/v1/Compositions').filter((r) => r.params.RoomSid === room.sid)).toHaveLength(0);
    expect((await sql.query(`SELECT composition_sid AS c FROM video_rooms WHERE session_id = $1`, [s.sessionId]))[0].c).toBe(composition.sid);
  });

  it('a callback about a room that is not ours is stored and otherwise ignored (200)', async () => {
    const stranger: FakeRoom = { ...(await joinedCall()).room, sid: 'RM' + 'f'.repeat(32), uniqueName: 'lm_unknown' };
    const before = await writtenCounts(t);
    await deliver(t, fake, 'rooms', fake.roomEvent(stranger, 'room-ended')).expect(200);
    const after = await writtenCounts(t);
    expect({ callbacks: after.callbacks - before.callbacks, sessionEvents: after.sessionEvents - before.sessionEvents }).toEqual({ callbacks: 1, sessionEvents: 0 });
  });

  it('the lawyer ending the call is not undone by late participant events', async () => {
    const { s, room, client } = await joinedCall();
    await endCall(t, s.lawyer, s.sessionId).expect(200);
    await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-connected', client, 'PA' + '9'.repeat(32))).expect(200);
    expect(await sessionStatus(s.sessionId)).toBe('COMPLETED');
  });
});

describe('Twilio callbacks behind a proxy with a path prefix (PUBLIC_URL=https://example.test/legal)', () => {
  let fake: TwilioFake;
  let t: TestApp;

  beforeAll(async () => {
    fake = await startTwilioFake();
    t = await createTestApp(twilioEnv(fake, 'https://example.test/legal'));
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('the signature over the PUBLIC_URL form verifies; one over the Host the app sees does not', async () => {
    const s = await videoSession(t);
    const res = await join(t, s.client, s.sessionId, false).expect(200);
    const room = fake.roomByName(res.body.roomName)!;
    expect(room.statusCallback).toBe('https://example.test/legal/api/webhooks/twilio/rooms');
    const host = 'internal-api.local:3000';
    const before = await writtenCounts(t);
    const viaHost = await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-connected', res.body.identity, 'PA' + 'a'.repeat(32)), {
      host,
      signedUrl: `http://${host}/api/webhooks/twilio/rooms`,
    });
    expect({ status: viaHost.status, code: viaHost.body.code }).toEqual({ status: 400, code: 'VIDEO_CALLBACK_SIGNATURE_INVALID' });
    const withoutPrefix = await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-connected', res.body.identity, 'PA' + 'a'.repeat(32)), {
      host,
      signedUrl: `https://example.test/api/webhooks/twilio/rooms`,
    });
    expect(withoutPrefix.status).toBe(400);
    expect(await writtenCounts(t)).toEqual(before);
    await deliver(t, fake, 'rooms', fake.participantEvent(room, 'participant-connected', res.body.identity, 'PA' + 'a'.repeat(32)), {
      host,
      signedUrl: 'https://example.test/legal/api/webhooks/twilio/rooms',
    }).expect(200);
    const after = await writtenCounts(t);
    expect({ callbacks: after.callbacks - before.callbacks, attendance: after.attendance - before.attendance }).toEqual({ callbacks: 1, attendance: 1 });
  });
});

describe('Twilio callbacks on a peer-to-peer deployment', () => {
  let t: TestApp;
  let fake: TwilioFake;

  beforeAll(async () => {
    fake = await startTwilioFake();
    t = await createTestApp({ PUBLIC_URL: 'https://api.example.test' });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('→ 404 VIDEO_CALLBACK_NOT_SUPPORTED, nothing written, signed or not', async () => {
    const before = await writtenCounts(t);
    const room: FakeRoom = {
      sid: 'RM' + 'c'.repeat(32),
      uniqueName: 'lm_x',
      status: 'in-progress',
      type: 'group',
      statusCallback: null,
      statusCallbackMethod: null,
      recordParticipantsOnConnect: false,
      rules: [],
      createdAt: new Date(),
    };
    for (const kind of ['rooms', 'compositions'] as const) {
      for (const signature of [undefined, null]) {
        const res = await deliver(t, fake, kind, fake.roomEvent(room, 'room-ended'), { signature });
        expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'VIDEO_CALLBACK_NOT_SUPPORTED' });
      }
    }
    expect(await writtenCounts(t)).toEqual(before);
  });
});
