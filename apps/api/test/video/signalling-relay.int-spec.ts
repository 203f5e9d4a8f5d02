import request from 'supertest';
import { DataSource } from 'typeorm';
import { VideoSignallingService } from '../../src/modules/video/signalling/video-signalling.service';
import { signedIn } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { baseOf, SignallingDriver, type Signal } from './signalling-support';

/**
 * The peer-to-peer call's signalling relay over real HTTP (the app listening on a port; streams
 * read as the SPA reads them, with a streaming reader): delivery, resuming, attendance, access
 * and input rules, the end of the call, and the cleanup of old messages. Replicas: see
 * signalling-replicas.int-spec.ts.
 */
describe('video signalling relay (peer-to-peer calls)', () => {
  let t: TestApp;
  let d: SignallingDriver;
  let sql: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: process.env.SIG_LOG ?? 'silent' });
    d = new SignallingDriver(t, baseOf(t.app));
    sql = t.app.get(DataSource);
  });
  afterEach(() => d.closeAll());
  afterAll(async () => {
    await t?.close();
  });

  const signalRows = async (sessionId: string): Promise<number> =>
    Number((await sql.query(`SELECT count(*)::int AS n FROM video_signals WHERE session_id = $1`, [sessionId]))[0].n);

  it('relays offer, answer and candidates between the two participants: each gets exactly what was sent to them, in order', async () => {
    const { sessionId, client, lawyer, identities } = await d.callScene();
    const lawyerStream = await d.stream(sessionId, lawyer);
    expect(lawyerStream.status).toBe(200);
    expect(lawyerStream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(lawyerStream.headers['cache-control']).toBe('no-store');
    expect(lawyerStream.headers['x-accel-buffering']).toBe('no');
    expect(lawyerStream.headers['x-request-id']).toEqual(expect.any(String));
    expect(lawyerStream.headers['content-encoding']).toBeUndefined();
    await lawyerStream.waitFor((c) => c.ready);
    expect(lawyerStream.ready).toEqual({ identity: identities.lawyer, role: 'LAWYER', peers: [] });

    const clientStream = await d.stream(sessionId, client);
    await clientStream.waitFor((c) => c.ready);
    // The client sees the lawyer already there; the lawyer is told the client arrived.
    expect(clientStream.ready).toEqual({ identity: identities.client, role: 'CLIENT', peers: [{ identity: identities.lawyer, role: 'LAWYER' }] });
    await lawyerStream.waitFor((c) => c.signals.find((s) => s.type === 'peer-joined'));
    expect(lawyerStream.signals.filter((s) => s.type === 'peer-joined')).toEqual([
      { id: expect.any(String), from: 'server', type: 'peer-joined', data: { identity: identities.client, role: 'CLIENT' } },
    ]);

    const fromClient = [
      { to: identities.lawyer, type: 'offer', data: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } },
      ...[1, 2, 3, 4, 5].map((i) => ({ type: 'candidate', data: { candidate: `candidate:${i} 1 udp 2122260223 10.0.0.${i} 5000${i} typ host`, sdpMid: '0' } })),
    ];
    const fromLawyer = [
      { to: identities.client, type: 'answer', data: { type: 'answer', sdp: 'v=0\r\nanswer\r\n' } },
      ...[1, 2, 3].map((i) => ({ type: 'candidate', data: { candidate: `candidate:${i} lawyer`, sdpMid: '0' } })),
    ];
    // Interleaved, as browsers trickle candidates while negotiating.
    const clientIds: string[] = [];
    const lawyerIds: string[] = [];
    for (let i = 0; i < fromClient.length; i++) {
      clientIds.push(await d.sendOk(sessionId, client, fromClient[i]!));
      if (fromLawyer[i]) lawyerIds.push(await d.sendOk(sessionId, lawyer, fromLawyer[i]!));
    }

    await lawyerStream.waitFor((c) => c.fromPeer.length, (n) => n >= fromClient.length);
    await clientStream.waitFor((c) => c.fromPeer.length, (n) => n >= fromLawyer.length);
    // A moment more: anything extra (a duplicate, an echo of one's own message) would show up now.
    await new Promise((r) => setTimeout(r, 300));
    expect(lawyerStream.fromPeer).toEqual(fromClient.map((m, i) => ({ id: clientIds[i], from: identities.client, type: m.type, data: m.data })));
    expect(clientStream.fromPeer).toEqual(fromLawyer.map((m, i) => ({ id: lawyerIds[i], from: identities.lawyer, type: m.type, data: m.data })));
    // Event ids are the message ids, increasing.
    const ids = lawyerStream.events.filter((e) => e.event === 'signal').map((e) => BigInt(e.id!));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    expect(lawyerStream.events.filter((e) => e.event === 'signal').every((e) => e.id === (e.data as Signal).id)).toBe(true);
  });

  it('replays what a reconnecting stream missed after its Last-Event-ID; a fresh stream starts at the newest message', async () => {
    const { sessionId, client, lawyer, identities } = await d.callScene();
    const first = await d.stream(sessionId, lawyer);
    await first.waitFor((c) => c.ready);
    const m1 = await d.sendOk(sessionId, client, { type: 'offer', data: { n: 1 } });
    await first.waitFor((c) => c.fromPeer.length === 1);
    const lastSeen = first.events.at(-1)!.id!;
    expect(lastSeen).toBe(m1);
    first.close();

    const m2 = await d.sendOk(sessionId, client, { type: 'candidate', data: { n: 2 } });
    const m3 = await d.sendOk(sessionId, client, { type: 'candidate', data: { n: 3 } });

    const resumed = await d.stream(sessionId, lawyer, { lastEventId: lastSeen });
    await resumed.waitFor((c) => c.fromPeer.length, (n) => n >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(resumed.fromPeer).toEqual([
      { id: m2, from: identities.client, type: 'candidate', data: { n: 2 } },
      { id: m3, from: identities.client, type: 'candidate', data: { n: 3 } },
    ]);
    // The ready event carries the resume point, so a drop right after it resumes from there.
    expect(resumed.events[0]).toMatchObject({ event: 'ready', id: lastSeen });
    resumed.close();

    const fresh = await d.stream(sessionId, lawyer);
    await fresh.waitFor((c) => c.ready);
    const m4 = await d.sendOk(sessionId, client, { type: 'bye', data: {} });
    await fresh.waitFor((c) => c.fromPeer.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(fresh.fromPeer.map((s) => s.id)).toEqual([m4]);

    // A cursor that is not a message id is refused; one beyond the newest starts at the newest.
    const bad = await d.stream(sessionId, lawyer, { lastEventId: 'abc' });
    expect(bad.status).toBe(400);
    await bad.waitFor((c) => c.ended);
    expect(JSON.parse(bad.text)).toMatchObject({ statusCode: 400, code: 'SIGNAL_CURSOR_INVALID' });
    const beyond = await d.stream(sessionId, lawyer, { lastEventId: '999999999999' });
    await beyond.waitFor((c) => c.ready);
    expect(beyond.events[0]!.id).toBe(m4);
  });

  it('sends a `: ping` comment on an idle stream (every 15 s in production)', async () => {
    const service = t.app.get(VideoSignallingService);
    service.heartbeatMs = 100;
    try {
      const { sessionId, lawyer } = await d.callScene();
      const s = await d.stream(sessionId, lawyer);
      await s.waitFor((c) => c.comments, (n) => n >= 3, 5_000);
      expect(s.ended).toBe(false);
    } finally {
      service.heartbeatMs = 15_000;
    }
  });

  it('keeps delivering after the listener connection is cut (reconnects and catches up)', async () => {
    const { sessionId, client, lawyer, identities } = await d.callScene();
    const s = await d.stream(sessionId, lawyer);
    await s.waitFor((c) => c.ready);
    const killed = await sql.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'lm-signals' AND datname = current_database()`,
    );
    expect(killed.length).toBeGreaterThan(0);
    const m = await d.sendOk(sessionId, client, { type: 'offer', data: { while: 'reconnecting' } });
    await s.waitFor((c) => c.fromPeer.length >= 1);
    expect(s.fromPeer).toEqual([{ id: m, from: identities.client, type: 'offer', data: { while: 'reconnecting' } }]);
    // And listening again: a later message arrives too.
    await eventually(async () => (await sql.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'lm-signals' AND datname = current_database()`))[0].n, (n) => n === 1);
    const m2 = await d.sendOk(sessionId, client, { type: 'candidate', data: { after: 'reconnect' } });
    await s.waitFor((c) => c.fromPeer.length >= 2);
    expect(s.fromPeer.map((x) => x.id)).toEqual([m, m2]);
  });

  it('records attendance: joined when a stream opens, left when it closes; a second stream of the same person adds nothing', async () => {
    const { sessionId, client, lawyer, identities } = await d.callScene();
    const lawyerStream = await d.stream(sessionId, lawyer);
    await lawyerStream.waitFor((c) => c.ready);
    const a = await d.stream(sessionId, client);
    await a.waitFor((c) => c.ready);
    expect(await d.attendance(sessionId, client)).toEqual([
      { role: 'LAWYER', event: 'joined', source: 'signalling' },
      { role: 'CLIENT', event: 'joined', source: 'signalling' },
    ]);
    // A reload: the new page's stream opens before the old one closes.
    const b = await d.stream(sessionId, client);
    await b.waitFor((c) => c.ready);
    a.close();
    await lawyerStream.waitFor((c) => c.signals.filter((s) => s.type === 'peer-joined').length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(await d.attendance(sessionId, client)).toEqual([
      { role: 'LAWYER', event: 'joined', source: 'signalling' },
      { role: 'CLIENT', event: 'joined', source: 'signalling' },
    ]);
    expect(lawyerStream.signals.filter((s) => s.type === 'peer-left')).toEqual([]);
    // The last stream closes: left, and the lawyer is told.
    b.close();
    await eventually(() => d.attendance(sessionId, client), (rows) => rows.length === 3);
    expect((await d.attendance(sessionId, client))[2]).toEqual({ role: 'CLIENT', event: 'left', source: 'signalling' });
    await lawyerStream.waitFor((c) => c.signals.find((s) => s.type === 'peer-left'));
    expect(lawyerStream.signals.filter((s) => s.type === 'peer-left').map((s) => s.data)).toEqual([{ identity: identities.client, role: 'CLIENT' }]);
  });

  it('is for the session’s participants only, after joining: 404 for anyone else, 409 VIDEO_NOT_JOINED before joining', async () => {
    const { sessionId, client, lawyer } = await d.callScene({ join: false });
    const stranger = await signedIn(t);
    for (const who of [stranger]) {
      const s = await d.stream(sessionId, who);
      expect(s.status).toBe(404);
      await s.waitFor((c) => c.ended);
      expect(JSON.parse(s.text)).toMatchObject({ code: 'SESSION_NOT_FOUND' });
      expect((await d.send(sessionId, who, { type: 'offer', data: {} })).body).toMatchObject({ statusCode: 404, code: 'SESSION_NOT_FOUND' });
    }
    for (const who of [client, lawyer]) {
      const s = await d.stream(sessionId, who);
      expect(s.status).toBe(409);
      await s.waitFor((c) => c.ended);
      expect(JSON.parse(s.text)).toMatchObject({ code: 'VIDEO_NOT_JOINED' });
      expect((await d.send(sessionId, who, { type: 'offer', data: {} })).body).toMatchObject({ statusCode: 409, code: 'VIDEO_NOT_JOINED' });
    }
    // A stranger also gets 404 once the two have joined.
    await request(t.server).post(`/api/sessions/${sessionId}/video/join`).set(bearer(client.token)).send({ recordingConsent: false }).expect(200);
    expect((await d.send(sessionId, stranger, { type: 'offer', data: {} })).status).toBe(404);
    expect((await d.stream(sessionId, stranger)).status).toBe(404);
    // Without credentials: 401.
    expect((await request(t.server).get(`/api/sessions/${sessionId}/video/signals`)).status).toBe(401);
    expect(await signalRows(sessionId)).toBe(0);
    expect(await d.attendance(sessionId, client)).toEqual([]);
  });

  it('accepts a recipient only when it is the other participant, a known type and a bounded body', async () => {
    const { sessionId, client, identities } = await d.callScene();
    const before = await signalRows(sessionId);
    const refused = async (body: object, status: number, code: string): Promise<void> => {
      const res = await d.send(sessionId, client, body);
      expect({ status: res.status, code: res.body.code as string }).toEqual({ status, code });
    };
    await refused({ to: identities.client, type: 'offer', data: {} }, 400, 'SIGNAL_RECIPIENT_INVALID');
    await refused({ to: 'p_00000000000000000000000000000000', type: 'offer', data: {} }, 400, 'SIGNAL_RECIPIENT_INVALID');
    await refused({ type: 'peer-joined', data: {} }, 400, 'VALIDATION_FAILED');
    await refused({ type: 'offer', data: [1, 2] }, 400, 'VALIDATION_FAILED');
    await refused({ type: 'offer' }, 400, 'VALIDATION_FAILED');
    await refused({ type: 'offer', data: {}, from: 'server' }, 400, 'VALIDATION_FAILED');
    await refused({ type: 'offer', data: { sdp: 'x'.repeat(66 * 1024) } }, 413, 'SIGNAL_TOO_LARGE');
    await refused({ type: 'offer', data: { sdp: 'x'.repeat(200 * 1024) } }, 413, 'PAYLOAD_TOO_LARGE');
    expect(await signalRows(sessionId)).toBe(before);
    // Just under the limit is fine, and so is naming the other participant.
    await d.sendOk(sessionId, client, { to: identities.lawyer, type: 'offer', data: { sdp: 'x'.repeat(60 * 1024) } });
    expect(await signalRows(sessionId)).toBe(before + 1);
  });

  it('ends both streams when the lawyer ends the call, and refuses streams and messages afterwards (409 VIDEO_JOIN_CLOSED)', async () => {
    const { sessionId, client, lawyer } = await d.callScene();
    const cs = await d.stream(sessionId, client);
    const ls = await d.stream(sessionId, lawyer);
    await cs.waitFor((c) => c.ready);
    await ls.waitFor((c) => c.ready);
    await request(t.server).post(`/api/sessions/${sessionId}/video/end`).set(bearer(lawyer.token)).expect(200);
    await cs.waitFor((c) => c.ended);
    await ls.waitFor((c) => c.ended);
    expect(cs.signals.at(-1)).toMatchObject({ from: 'server', type: 'ended' });
    expect(ls.signals.at(-1)).toMatchObject({ from: 'server', type: 'ended' });
    await eventually(() => d.attendance(sessionId, client), (rows) => rows.filter((r) => r.event === 'left').length === 2);

    const again = await d.stream(sessionId, client);
    expect(again.status).toBe(409);
    await again.waitFor((c) => c.ended);
    expect(JSON.parse(again.text)).toMatchObject({ code: 'VIDEO_JOIN_CLOSED' });
    expect((await d.send(sessionId, client, { type: 'bye', data: {} })).body).toMatchObject({ statusCode: 409, code: 'VIDEO_JOIN_CLOSED' });
  });

  it('deletes relayed messages older than 24 hours, keeping newer ones', async () => {
    const { sessionId, client } = await d.callScene();
    const recent = await d.sendOk(sessionId, client, { type: 'offer', data: {} });
    const [old] = await sql.query(
      `INSERT INTO video_signals (session_id, from_identity, to_identity, type, body, created_at)
       VALUES ($1, 'server', NULL, 'peer-joined', '{}', $2) RETURNING id::text AS id`,
      [sessionId, new Date(t.clock.nowMs() - 25 * 60 * 60_000)],
    );
    expect(await t.app.get(VideoSignallingService).cleanup()).toBeGreaterThanOrEqual(1);
    const ids = (await sql.query(`SELECT id::text AS id FROM video_signals WHERE session_id = $1`, [sessionId])).map((r: { id: string }) => r.id);
    expect(ids).toContain(recent);
    expect(ids).not.toContain(old.id);
  });
});
