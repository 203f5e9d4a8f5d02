import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Messaging1764770000000 } from '../../src/database/migrations/1764770000000-Messaging';
import { createBookableLawyer, createSession, signedIn } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import {
  b64,
  epochBody,
  messageBody,
  newDevice,
  paidPair,
  readyPair,
  recipientsOf,
  registration,
  rekey,
  setUpKeys,
  signText,
} from './messaging-support';

describe('conversations: opening, epochs, messages, read markers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const sql = () => t.app.get(DataSource);

  describe('opening', () => {
    it('opens one conversation per client–lawyer pair when a session is paid (not when it is only created), audited once', async () => {
      const client = await signedIn(t, { displayName: 'Ana Client' });
      const lawyer = await createBookableLawyer(t, { displayName: 'Bruno Lawyer' });
      const pending = await createSession(t, { clientId: client.id, lawyer, paid: false });
      const count = async () =>
        (
          (await sql().query(`SELECT count(*)::int AS n FROM conversations WHERE client_id = $1 AND lawyer_id = $2`, [
            client.id,
            lawyer.id,
          ])) as { n: number }[]
        )[0]!.n;
      expect(await count()).toBe(0);
      const first = await createSession(t, { clientId: client.id, lawyer });
      await createSession(t, { clientId: client.id, lawyer });
      expect(await count()).toBe(1);

      const list = await request(t.server).get('/api/conversations').set(bearer(client.token)).expect(200);
      expect(list.body).toEqual({
        items: [
          {
            id: expect.any(String),
            counterpart: { userId: lawyer.id, displayName: 'Bruno Lawyer', role: 'LAWYER' },
            createdAt: expect.any(String),
            lastMessageAt: null,
            unreadCount: 0,
            currentEpoch: 0,
            needsRekey: true,
          },
        ],
        nextCursor: null,
      });
      const conversationId = list.body.items[0].id as string;
      const forLawyer = await request(t.server)
        .get(`/api/conversations/${conversationId}`)
        .set(bearer(lawyer.accessToken))
        .expect(200);
      expect(forLawyer.body).toMatchObject({
        counterpart: { userId: client.id, displayName: 'Ana Client', role: 'CLIENT' },
        participants: [
          { userId: client.id, displayName: 'Ana Client', role: 'CLIENT' },
          { userId: lawyer.id, displayName: 'Bruno Lawyer', role: 'LAWYER' },
        ],
        myReadUpTo: null,
        counterpartReadUpTo: null,
      });
      const opened: { payload: Record<string, unknown> }[] = await sql().query(
        `SELECT payload FROM audit_events WHERE action = 'conversation.opened' AND subject_id = $1`,
        [conversationId],
      );
      expect(opened).toEqual([{ payload: { sessionId: first.id, clientId: client.id, lawyerId: lawyer.id } }]);
      expect(pending.status).toBe('PENDING_PAYMENT');
    });

    it('the migration backfills a conversation for each pair with a session paid before it (down, then up again)', async () => {
      const pair = await paidPair(t);
      const runner = sql().createQueryRunner();
      try {
        const migration = new Messaging1764770000000();
        await migration.down(runner);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      const rows: { openedSessionId: string }[] = await sql().query(
        `SELECT opened_session_id AS "openedSessionId" FROM conversations WHERE client_id = $1 AND lawyer_id = $2`,
        [pair.client.id, pair.lawyer.id],
      );
      expect(rows).toEqual([{ openedSessionId: pair.sessionId }]);
    });
  });

  describe('access: a non-participant gets 404 for everything about the conversation', () => {
    it('conversation, epochs, messages, read, attachments', async () => {
      const p = await readyPair(t);
      const stranger = await setUpKeys(t, await signedIn(t));
      const message = messageBody(p.conversationId, p.epoch, p.client.device);
      await request(t.server)
        .post(`/api/conversations/${p.conversationId}/messages`)
        .set(bearer(p.client.token))
        .send(message)
        .expect(201);
      const attachmentId = randomUUID();
      await request(t.server)
        .post(`/api/conversations/${p.conversationId}/attachments/${attachmentId}`)
        .set(bearer(p.client.token))
        .set('content-type', 'application/octet-stream')
        .send(randomBytes(64))
        .expect(201);

      const base = `/api/conversations/${p.conversationId}`;
      const attempts = [
        request(t.server).get(base),
        request(t.server).get(`${base}/epochs`),
        request(t.server)
          .post(`${base}/epochs`)
          .send(epochBody(p.conversationId, 2, stranger.device, [`device:${stranger.device.deviceId}`])),
        request(t.server).get(`${base}/messages`),
        request(t.server)
          .post(`${base}/messages`)
          .send(messageBody(p.conversationId, p.epoch, stranger.device)),
        request(t.server).post(`${base}/read`).send({ messageId: message.id }),
        request(t.server).get(`${base}/attachments/${attachmentId}`),
        request(t.server)
          .post(`${base}/attachments/${randomUUID()}`)
          .set('content-type', 'application/octet-stream')
          .send(randomBytes(64)),
      ];
      for (const attempt of attempts) {
        const res = await attempt.set(bearer(stranger.token));
        expect([res.status, res.body.code]).toEqual([404, 'CONVERSATION_NOT_FOUND']);
      }
      // The same answer as for a conversation that does not exist.
      const missing = await request(t.server).get(`/api/conversations/${randomUUID()}`).set(bearer(stranger.token));
      expect([missing.status, missing.body.code]).toEqual([404, 'CONVERSATION_NOT_FOUND']);
      expect((await request(t.server).get('/api/conversations').set(bearer(stranger.token)).expect(200)).body.items).toEqual([]);
      // An admin is not a participant either.
      const admin = await signedIn(t, { role: 'ADMIN' });
      expect((await request(t.server).get(base).set(bearer(admin.token)).expect(404)).body.code).toBe('CONVERSATION_NOT_FOUND');
    });
  });

  describe('epochs', () => {
    it('are created at current + 1, sealed to exactly the active devices and backups, signed by an active device of the caller', async () => {
      const p = await paidPair(t);
      const client = await setUpKeys(t, p.client);
      const lawyer = await setUpKeys(t, p.lawyerCaller);
      const base = `/api/conversations/${p.conversationId}`;
      const expected = await recipientsOf(t, client, [client.id, lawyer.id]);
      expect(expected).toEqual(
        [
          `backup:${client.id}`,
          `backup:${lawyer.id}`,
          `device:${client.device.deviceId}`,
          `device:${lawyer.device.deviceId}`,
        ].sort(),
      );
      const post = (body: object) => request(t.server).post(`${base}/epochs`).set(bearer(client.token)).send(body);

      const conflict = await post(epochBody(p.conversationId, 2, client.device, expected));
      expect([conflict.status, conflict.body.code, conflict.body.details]).toEqual([
        409,
        'E2EE_EPOCH_CONFLICT',
        { currentEpoch: 0 },
      ]);

      const missingLawyer = await post(
        epochBody(
          p.conversationId,
          1,
          client.device,
          expected.filter((r) => r !== `device:${lawyer.device.deviceId}`),
        ),
      );
      expect([missingLawyer.status, missingLawyer.body.code, missingLawyer.body.details]).toEqual([
        409,
        'E2EE_RECIPIENTS_MISMATCH',
        { expected },
      ]);
      const unsorted = await post(epochBody(p.conversationId, 1, client.device, [...expected].reverse()));
      expect(unsorted.body.code).toBe('E2EE_RECIPIENTS_MISMATCH');

      // The lawyer's device, or an unknown one, cannot create the client's epoch.
      const notMine = await post(epochBody(p.conversationId, 1, lawyer.device, expected));
      expect([notMine.status, notMine.body.code]).toEqual([400, 'E2EE_DEVICE_INVALID']);

      const body = epochBody(p.conversationId, 1, client.device, expected);
      const shortEnc = { ...body, sealed: body.sealed.map((s, i) => (i === 0 ? { ...s, enc: b64(randomBytes(31)) } : s)) };
      expect((await post(shortEnc).expect(400)).body.code).toBe('E2EE_SEALED_INVALID');
      const reordered = { ...body, sealed: [...body.sealed].reverse() };
      expect((await post(reordered).expect(400)).body.code).toBe('E2EE_SEALED_INVALID');
      const fewer = { ...body, sealed: body.sealed.slice(1) };
      expect((await post(fewer).expect(400)).body.code).toBe('E2EE_SEALED_INVALID');

      // The signature covers the sealed keys: swapping one after signing breaks it.
      const tampered = { ...body, sealed: body.sealed.map((s, i) => (i === 1 ? { ...s, ciphertext: b64(randomBytes(48)) } : s)) };
      expect((await post(tampered).expect(400)).body.code).toBe('E2EE_SIGNATURE_INVALID');
      const otherSigner = { ...body, signature: signText(lawyer.device.signing, 'anything') };
      expect((await post(otherSigner).expect(400)).body.code).toBe('E2EE_SIGNATURE_INVALID');

      const created = await post(body).expect(201);
      expect(created.body).toEqual({ ...body, createdAt: expect.any(String) });
      expect((await post(body).expect(409)).body).toMatchObject({ code: 'E2EE_EPOCH_CONFLICT', details: { currentEpoch: 1 } });
      const epochs = await request(t.server).get(`${base}/epochs`).set(bearer(lawyer.token)).expect(200);
      expect(epochs.body.items).toEqual([created.body]);
      expect((await request(t.server).get(base).set(bearer(lawyer.token)).expect(200)).body).toMatchObject({
        currentEpoch: 1,
        needsRekey: false,
      });
    });

    it('a device added or revoked makes the conversation need a new epoch: sending is 409 E2EE_EPOCH_STALE until it is rekeyed', async () => {
      const p = await readyPair(t);
      const base = `/api/conversations/${p.conversationId}`;
      const phone = newDevice();
      await request(t.server)
        .post('/api/e2ee/devices')
        .set(bearer(p.lawyer.token))
        .send(registration(p.lawyer.id, p.lawyer.identity, phone))
        .expect(201);
      expect((await request(t.server).get(base).set(bearer(p.client.token)).expect(200)).body).toMatchObject({
        currentEpoch: 1,
        needsRekey: true,
      });
      const stale = await request(t.server)
        .post(`${base}/messages`)
        .set(bearer(p.client.token))
        .send(messageBody(p.conversationId, 1, p.client.device));
      expect([stale.status, stale.body.code, stale.body.details]).toEqual([
        409,
        'E2EE_EPOCH_STALE',
        { currentEpoch: 1, needsRekey: true },
      ]);

      const epoch2 = await rekey(t, p.client, p.conversationId, [p.client.id, p.lawyer.id]);
      expect(epoch2).toBe(2);
      const epochs = await request(t.server).get(`${base}/epochs`).set(bearer(p.client.token)).expect(200);
      expect(epochs.body.items[1].recipients).toContain(`device:${phone.deviceId}`);
      // An old epoch is stale too.
      const old = await request(t.server)
        .post(`${base}/messages`)
        .set(bearer(p.client.token))
        .send(messageBody(p.conversationId, 1, p.client.device));
      expect(old.body).toMatchObject({ code: 'E2EE_EPOCH_STALE', details: { currentEpoch: 2, needsRekey: false } });
      await request(t.server)
        .post(`${base}/messages`)
        .set(bearer(p.lawyer.token))
        .send(messageBody(p.conversationId, 2, phone))
        .expect(201);

      // Revoked: later epochs leave the phone out, and it can no longer send.
      await request(t.server).delete(`/api/e2ee/devices/${phone.deviceId}`).set(bearer(p.lawyer.token)).expect(204);
      const epoch3 = await rekey(t, p.lawyer, p.conversationId, [p.client.id, p.lawyer.id]);
      const latest = (await request(t.server).get(`${base}/epochs`).set(bearer(p.client.token)).expect(200)).body.items[
        epoch3 - 1
      ];
      expect(latest.recipients).not.toContain(`device:${phone.deviceId}`);
      const revoked = await request(t.server)
        .post(`${base}/messages`)
        .set(bearer(p.lawyer.token))
        .send(messageBody(p.conversationId, epoch3, phone));
      expect([revoked.status, revoked.body.code]).toEqual([400, 'E2EE_DEVICE_INVALID']);
    });
  });

  describe('messages', () => {
    it('stores ciphertext of a padded size only, from an active device of the sender', async () => {
      const p = await readyPair(t);
      const url = `/api/conversations/${p.conversationId}/messages`;
      for (const bucket of [256, 1024, 4096, 16384, 65536]) {
        await request(t.server)
          .post(url)
          .set(bearer(p.client.token))
          .send(messageBody(p.conversationId, p.epoch, p.client.device, { bucket }))
          .expect(201);
      }
      for (const bucket of [255, 300, 65537, 0]) {
        const res = await request(t.server)
          .post(url)
          .set(bearer(p.client.token))
          .send(messageBody(p.conversationId, p.epoch, p.client.device, { bucket }));
        expect([bucket, res.status, res.body.code]).toEqual([bucket, 400, 'E2EE_CIPHERTEXT_SIZE']);
        expect(res.body.details).toEqual({ allowed: [272, 1040, 4112, 16400, 65552] });
      }
      const body = messageBody(p.conversationId, p.epoch, p.client.device);
      const malformed: [string, object][] = [
        ['nonce', { ...body, nonce: b64(randomBytes(16)) }],
        ['ciphertext', { ...body, ciphertext: `${body.ciphertext}==` }],
        ['signature', { ...body, signature: b64(randomBytes(63)) }],
        ['id', { ...body, id: 'not-a-uuid' }],
        ['attachmentIds', { ...body, attachmentIds: Array.from({ length: 11 }, () => randomUUID()) }],
      ];
      for (const [field, bad] of malformed) {
        const res = await request(t.server).post(url).set(bearer(p.client.token)).send(bad);
        expect([field, res.status, res.body.code, res.body.fields?.[0]?.field]).toEqual([field, 400, 'VALIDATION_FAILED', field]);
      }
      // The lawyer's device used by the client.
      const wrongDevice = await request(t.server)
        .post(url)
        .set(bearer(p.client.token))
        .send(messageBody(p.conversationId, p.epoch, p.lawyer.device));
      expect([wrongDevice.status, wrongDevice.body.code]).toEqual([400, 'E2EE_DEVICE_INVALID']);
      // The database holds the same line.
      await expect(
        sql().query(`UPDATE conversation_messages SET ciphertext = ciphertext WHERE conversation_id = $1`, [p.conversationId]),
      ).rejects.toThrow(/append-only/);
    });

    it('an identical replay returns the stored message (200); the same id with other content is 409 MESSAGE_ID_CONFLICT', async () => {
      const p = await readyPair(t);
      const url = `/api/conversations/${p.conversationId}/messages`;
      const body = messageBody(p.conversationId, p.epoch, p.client.device);
      const first = await request(t.server).post(url).set(bearer(p.client.token)).send(body).expect(201);
      expect(first.body).toEqual({
        id: body.id,
        conversationId: p.conversationId,
        senderUserId: p.client.id,
        senderDeviceId: p.client.device.deviceId,
        epoch: p.epoch,
        nonce: body.nonce,
        ciphertext: body.ciphertext,
        signature: body.signature,
        attachmentIds: [],
        createdAt: expect.any(String),
      });
      const replay = await request(t.server).post(url).set(bearer(p.client.token)).send(body).expect(200);
      expect(replay.body).toEqual(first.body);
      // Concurrent duplicates: one stored, the others answered with it.
      const again = messageBody(p.conversationId, p.epoch, p.client.device);
      const statuses = (
        await Promise.all([1, 2, 3].map(() => request(t.server).post(url).set(bearer(p.client.token)).send(again)))
      )
        .map((r) => r.status)
        .sort();
      expect(statuses).toEqual([200, 200, 201]);

      const otherCiphertext = { ...body, ciphertext: b64(randomBytes(272)) };
      expect((await request(t.server).post(url).set(bearer(p.client.token)).send(otherCiphertext).expect(409)).body.code).toBe(
        'MESSAGE_ID_CONFLICT',
      );
      const byLawyer = messageBody(p.conversationId, p.epoch, p.lawyer.device, { id: body.id });
      expect((await request(t.server).post(url).set(bearer(p.lawyer.token)).send(byLawyer).expect(409)).body.code).toBe(
        'MESSAGE_ID_CONFLICT',
      );
      const rows: { n: number }[] = await sql().query(
        `SELECT count(*)::int AS n FROM conversation_messages WHERE conversation_id = $1`,
        [p.conversationId],
      );
      expect(rows[0]!.n).toBe(2);
    });

    it('pages newest first with an opaque cursor; a forged cursor is 400 INVALID_CURSOR', async () => {
      const p = await readyPair(t);
      const url = `/api/conversations/${p.conversationId}/messages`;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const sender = i % 2 === 0 ? p.client : p.lawyer;
        const body = messageBody(p.conversationId, p.epoch, sender.device);
        await request(t.server).post(url).set(bearer(sender.token)).send(body).expect(201);
        ids.push(body.id);
        t.clock.advance(i === 3 ? 0 : 1000); // two share a timestamp: ties are broken by id
      }
      const seen: string[] = [];
      let before: string | null = null;
      do {
        const res: request.Response = await request(t.server)
          .get(url)
          .query({ limit: 3, ...(before ? { before } : {}) })
          .set(bearer(p.lawyer.token))
          .expect(200);
        seen.push(...(res.body.items as { id: string }[]).map((m) => m.id));
        before = res.body.nextCursor;
      } while (before);
      expect(new Set(seen).size).toBe(7);
      const times = (
        (await request(t.server).get(url).query({ limit: 100 }).set(bearer(p.client.token)).expect(200)).body.items as {
          id: string;
          createdAt: string;
        }[]
      ).map((m) => [m.createdAt, m.id] as const);
      expect(times.map(([, id]) => id)).toEqual(seen);
      expect([...times].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? 1 : -1) : a[0] < b[0] ? 1 : -1))).toEqual(times);

      for (const cursor of ['nope', Buffer.from(`2026-01-01T00:00:00.000Z|${randomUUID()}|x`).toString('base64url')]) {
        const res = await request(t.server).get(url).query({ before: cursor }).set(bearer(p.client.token));
        expect([res.status, res.body.code]).toEqual([400, 'INVALID_CURSOR']);
      }
      expect(
        (await request(t.server).get('/api/conversations').query({ cursor: 'x' }).set(bearer(p.client.token)).expect(400)).body
          .code,
      ).toBe('INVALID_CURSOR');
    });

    it('read markers move forward only; unread counts what the other participant sent after the marker; sending marks read', async () => {
      const p = await readyPair(t);
      const base = `/api/conversations/${p.conversationId}`;
      const sent: string[] = [];
      for (let i = 0; i < 3; i++) {
        const body = messageBody(p.conversationId, p.epoch, p.lawyer.device);
        await request(t.server).post(`${base}/messages`).set(bearer(p.lawyer.token)).send(body).expect(201);
        sent.push(body.id);
        t.clock.advance(1000);
      }
      const unread = async (c: { token: string }) =>
        (await request(t.server).get(base).set(bearer(c.token)).expect(200)).body.unreadCount as number;
      expect(await unread(p.client)).toBe(3);
      expect(await unread(p.lawyer)).toBe(0);

      await request(t.server).post(`${base}/read`).set(bearer(p.client.token)).send({ messageId: sent[1] }).expect(204);
      expect(await unread(p.client)).toBe(1);
      // Never backwards.
      await request(t.server).post(`${base}/read`).set(bearer(p.client.token)).send({ messageId: sent[0] }).expect(204);
      const detail = await request(t.server).get(base).set(bearer(p.lawyer.token)).expect(200);
      expect(detail.body.counterpartReadUpTo).toEqual({ messageId: sent[1], at: expect.any(String) });
      expect(detail.body.myReadUpTo).toEqual({ messageId: sent[2], at: expect.any(String) });
      const list = await request(t.server).get('/api/conversations').set(bearer(p.client.token)).expect(200);
      expect(list.body.items[0]).toMatchObject({
        id: p.conversationId,
        unreadCount: 1,
        currentEpoch: 1,
        needsRekey: false,
        lastMessageAt: expect.any(String),
      });

      // Replying reads everything before the reply.
      await request(t.server)
        .post(`${base}/messages`)
        .set(bearer(p.client.token))
        .send(messageBody(p.conversationId, p.epoch, p.client.device))
        .expect(201);
      expect(await unread(p.client)).toBe(0);
      expect(await unread(p.lawyer)).toBe(1);

      for (const messageId of [randomUUID()]) {
        const res = await request(t.server).post(`${base}/read`).set(bearer(p.client.token)).send({ messageId });
        expect([res.status, res.body.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
      }
      // A message of another conversation is not found here either.
      const other = await readyPair(t);
      const foreign = messageBody(other.conversationId, other.epoch, other.client.device);
      await request(t.server)
        .post(`/api/conversations/${other.conversationId}/messages`)
        .set(bearer(other.client.token))
        .send(foreign)
        .expect(201);
      expect(
        (await request(t.server).post(`${base}/read`).set(bearer(p.client.token)).send({ messageId: foreign.id }).expect(404))
          .body.code,
      ).toBe('MESSAGE_NOT_FOUND');
    });

    it('lists conversations by latest activity with a cursor', async () => {
      const client = await setUpKeys(t, await signedIn(t));
      const conversations: string[] = [];
      for (let i = 0; i < 3; i++) {
        const lawyer = await createBookableLawyer(t);
        await createSession(t, { clientId: client.id, lawyer });
        t.clock.advance(1000);
        const rows: { id: string }[] = await sql().query(`SELECT id FROM conversations WHERE client_id = $1 AND lawyer_id = $2`, [
          client.id,
          lawyer.id,
        ]);
        conversations.push(rows[0]!.id);
      }
      // The oldest conversation gets a message: it moves to the top.
      const lawyerOfOldest: { lawyerId: string }[] = await sql().query(
        `SELECT lawyer_id AS "lawyerId" FROM conversations WHERE id = $1`,
        [conversations[0]],
      );
      const epoch = await rekey(t, client, conversations[0]!, [client.id, lawyerOfOldest[0]!.lawyerId]);
      await request(t.server)
        .post(`/api/conversations/${conversations[0]}/messages`)
        .set(bearer(client.token))
        .send(messageBody(conversations[0]!, epoch, client.device))
        .expect(201);
      const page1 = await request(t.server).get('/api/conversations').query({ limit: 2 }).set(bearer(client.token)).expect(200);
      const page2 = await request(t.server)
        .get('/api/conversations')
        .query({ limit: 2, cursor: page1.body.nextCursor })
        .set(bearer(client.token))
        .expect(200);
      expect([...page1.body.items, ...page2.body.items].map((c: { id: string }) => c.id)).toEqual([
        conversations[0],
        conversations[2],
        conversations[1],
      ]);
      expect(page2.body.nextCursor).toBeNull();
    });
  });
});
