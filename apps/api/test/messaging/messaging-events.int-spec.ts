import request from 'supertest';
import { DataSource } from 'typeorm';
import { MessagingStreams } from '../../src/modules/messaging/events/messaging-streams.service';
import { createBookableLawyer, createSession, signedIn } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { messageBody, newDevice, noteBody, readyPair, registration, rekey, setUpKeys } from './messaging-support';
import { openEvents, type SseConnection } from './sse-client';

describe('live events: SSE over PostgreSQL LISTEN/NOTIFY, to participants only', () => {
  let t: TestApp;
  const open: SseConnection[] = [];
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    await t?.close();
  });

  const connect = async (token: string) => {
    const c = await openEvents(t.server, token);
    open.push(c);
    return c;
  };

  it('delivers a message event (ids only) to both participants’ streams and not to a stranger’s', async () => {
    const p = await readyPair(t);
    const stranger = await setUpKeys(t, await signedIn(t));
    const [clientStream, lawyerStream, strangerStream] = await Promise.all([
      connect(p.client.token),
      connect(p.lawyer.token),
      connect(stranger.token),
    ]);
    expect(clientStream.status).toBe(200);
    expect(clientStream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(clientStream.headers['cache-control']).toBe('no-store');

    const body = messageBody(p.conversationId, p.epoch, p.lawyer.device);
    await request(t.server)
      .post(`/api/conversations/${p.conversationId}/messages`)
      .set(bearer(p.lawyer.token))
      .send(body)
      .expect(201);
    const expected = { event: 'message', data: { conversationId: p.conversationId, messageId: body.id } };
    expect(await clientStream.next((e) => e.event === 'message')).toEqual(expected);
    expect(await lawyerStream.next((e) => e.event === 'message')).toEqual(expected);

    // The stranger's own change comes after the message on the single NOTIFY channel: once it
    // arrived, the message would have too, had it been routed there.
    await request(t.server)
      .post('/api/e2ee/devices')
      .set(bearer(stranger.token))
      .send(registration(stranger.id, stranger.identity, newDevice()))
      .expect(201);
    await strangerStream.next((e) => e.event === 'keys');
    expect(strangerStream.events).toEqual([{ event: 'keys', data: { userId: stranger.id } }]);
    expect(JSON.stringify(clientStream.events)).not.toContain(body.ciphertext);
  });

  it('read, epoch and keys events reach the participants; a private note only its author', async () => {
    const p = await readyPair(t);
    const [clientStream, lawyerStream] = await Promise.all([connect(p.client.token), connect(p.lawyer.token)]);
    const body = messageBody(p.conversationId, p.epoch, p.client.device);
    await request(t.server)
      .post(`/api/conversations/${p.conversationId}/messages`)
      .set(bearer(p.client.token))
      .send(body)
      .expect(201);
    await request(t.server)
      .post(`/api/conversations/${p.conversationId}/read`)
      .set(bearer(p.lawyer.token))
      .send({ messageId: body.id })
      .expect(204);
    expect((await clientStream.next((e) => e.event === 'read')).data).toEqual({
      conversationId: p.conversationId,
      userId: p.lawyer.id,
      messageId: body.id,
    });

    await request(t.server)
      .put(`/api/sessions/${p.sessionId}/notes/private`)
      .set(bearer(p.lawyer.token))
      .send(noteBody(p.sessionId, p.conversationId, 'PRIVATE', 1, p.epoch, p.lawyer.device))
      .expect(200);
    await request(t.server)
      .put(`/api/sessions/${p.sessionId}/notes/agenda`)
      .set(bearer(p.lawyer.token))
      .send(noteBody(p.sessionId, p.conversationId, 'AGENDA', 1, p.epoch, p.lawyer.device))
      .expect(200);
    const agendaEvent = { event: 'note', data: { sessionId: p.sessionId, conversationId: p.conversationId, kind: 'AGENDA' } };
    expect(await clientStream.next((e) => e.event === 'note')).toEqual(agendaEvent);
    await lawyerStream.next((e) => e.event === 'note' && (e.data as { kind: string }).kind === 'AGENDA');
    expect(lawyerStream.events.filter((e) => e.event === 'note').map((e) => (e.data as { kind: string }).kind)).toEqual([
      'PRIVATE',
      'AGENDA',
    ]);
    expect(clientStream.events.filter((e) => e.event === 'note')).toEqual([agendaEvent]);

    // The lawyer adds a device: both hear about the keys (the client must rekey), then the epoch.
    await request(t.server)
      .post('/api/e2ee/devices')
      .set(bearer(p.lawyer.token))
      .send(registration(p.lawyer.id, p.lawyer.identity, newDevice()))
      .expect(201);
    expect((await clientStream.next((e) => e.event === 'keys')).data).toEqual({ userId: p.lawyer.id });
    expect((await lawyerStream.next((e) => e.event === 'keys')).data).toEqual({ userId: p.lawyer.id });
    const epoch = await rekey(t, p.client, p.conversationId, [p.client.id, p.lawyer.id]);
    expect((await lawyerStream.next((e) => e.event === 'epoch')).data).toEqual({ conversationId: p.conversationId, epoch });
  });

  it('a conversation opened while a stream is open: the new counterpart’s key changes reach it', async () => {
    const client = await signedIn(t);
    const clientStream = await connect(client.token);
    const lawyer = await createBookableLawyer(t);
    await createSession(t, { clientId: client.id, lawyer });
    const lawyerKeys = await setUpKeys(t, { id: lawyer.id, token: lawyer.accessToken });
    expect((await clientStream.next((e) => e.event === 'keys')).data).toEqual({ userId: lawyerKeys.id });
  });

  it('pings every heartbeat, ends at the access token’s expiry, and bounds the streams per user (429)', async () => {
    const me = await signedIn(t);
    const streams = t.app.get(MessagingStreams);
    streams.heartbeatMs = 100;
    try {
      const c = await connect(me.token);
      await new Promise((r) => setTimeout(r, 350));
      expect(c.comments.filter((x) => x === 'ping').length).toBeGreaterThanOrEqual(2);
      expect(c.comments[0]).toBe('connected');
    } finally {
      streams.heartbeatMs = 20_000;
    }
    const more = await Promise.all([1, 2, 3, 4].map(() => connect(me.token)));
    expect(more.map((c) => c.status)).toEqual([200, 200, 200, 200]);
    const sixth = await connect(me.token);
    expect([sixth.status, (sixth.events[0]!.data as { code: string }).code, sixth.headers['retry-after']]).toEqual([
      429,
      'MESSAGING_STREAM_LIMIT',
      '5',
    ]);
    // Closing one frees a place.
    more[0]!.close();
    await new Promise((r) => setTimeout(r, 200));
    expect((await connect(me.token)).status).toBe(200);

    // By business time the access token (15 minutes) is about to expire: the stream ends then.
    const ttlMs = t.config.ACCESS_TOKEN_TTL_SECONDS * 1000;
    t.clock.advance(ttlMs - 300);
    try {
      const expiring = await connect(me.token);
      const started = Date.now();
      await expiring.ended;
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      t.clock.advance(-(ttlMs - 300));
    }
  });

  it('when the LISTEN connection drops, open streams end (clients reconnect and refetch); the next stream listens again', async () => {
    const p = await readyPair(t);
    const before = await connect(p.client.token);
    const killed: { ok: boolean }[] = await t.app
      .get(DataSource)
      .query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lm-messaging-events'`,
      );
    expect(killed).toEqual([{ ok: true }]);
    await before.ended;
    const after = await connect(p.client.token);
    expect(after.status).toBe(200);
    const body = messageBody(p.conversationId, p.epoch, p.lawyer.device);
    await request(t.server)
      .post(`/api/conversations/${p.conversationId}/messages`)
      .set(bearer(p.lawyer.token))
      .send(body)
      .expect(201);
    expect((await after.next((e) => e.event === 'message')).data).toEqual({
      conversationId: p.conversationId,
      messageId: body.id,
    });
  });

  it('shutdown ends open streams at once, so the server closes promptly', async () => {
    const other = await createTestApp();
    try {
      const me = await signedIn(other);
      const c = await openEvents(other.server, me.token);
      expect(c.status).toBe(200);
      const started = Date.now();
      await other.close();
      await c.ended;
      expect(Date.now() - started).toBeLessThan(5000);
    } catch (e) {
      await other.close().catch(() => undefined);
      throw e;
    }
  });
});
