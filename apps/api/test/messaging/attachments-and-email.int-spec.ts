import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AttachmentsService } from '../../src/modules/messaging/attachments.service';
import { BlobStore } from '../../src/modules/storage';
import { outbox } from '../factories/emails';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { messageBody, readyPair } from './messaging-support';

const MAX = 26214416;

/** A raw POST over a socket, so the test controls Content-Length and chunking; resolves with the status and JSON body. */
function rawUpload(
  t: TestApp,
  path: string,
  token: string,
  opts: { contentLength?: number; chunks: number; chunkSize: number },
): Promise<{ status: number; body: { code?: string } }> {
  const { port } = t.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          ...(opts.contentLength !== undefined
            ? { 'content-length': String(opts.contentLength) }
            : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as { code?: string }) : {} });
          req.destroy(); // stop sending the rest of an over-long body
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      // The server may answer and close before the whole body went out: the answer already resolved.
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
    const chunk = Buffer.alloc(opts.chunkSize, 7);
    let sent = 0;
    const pump = (): void => {
      while (sent < opts.chunks) {
        sent++;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('attachments (ciphertext in the blob store) and the content-free "new message" email', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const sql = () => t.app.get(DataSource);
  /** Data files in the blob store's directory (the filesystem driver names them by hashed key). */
  const blobFiles = (dir = t.config.blobFsRoot): number => {
    if (!existsSync(dir)) return 0;
    let n = 0;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) n += blobFiles(path);
      else if (name.endsWith('.blob')) n++;
    }
    return n;
  };

  it('uploads ciphertext under a browser-chosen id; the counterpart can download it only once a message carries it', async () => {
    const p = await readyPair(t);
    const base = `/api/conversations/${p.conversationId}`;
    const id = randomUUID();
    const bytes = randomBytes(70_000);
    const up = await request(t.server)
      .post(`${base}/attachments/${id}`)
      .set(bearer(p.client.token))
      .set('content-type', 'application/octet-stream')
      .send(bytes)
      .expect(201);
    expect(up.body).toEqual({ id, size: bytes.length, createdAt: expect.any(String) });

    const download = (token: string) =>
      request(t.server)
        .get(`${base}/attachments/${id}`)
        .set(bearer(token))
        .buffer(true)
        .parse((res, cb) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => cb(null, Buffer.concat(parts)));
        });
    const mine = await download(p.client.token).expect(200);
    expect(mine.headers['content-type']).toBe('application/octet-stream');
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect(
      createHash('sha256')
        .update(mine.body as Buffer)
        .digest('hex'),
    ).toBe(createHash('sha256').update(bytes).digest('hex'));
    const early = await download(p.lawyer.token);
    expect([early.status, JSON.parse((early.body as Buffer).toString()).code]).toEqual([404, 'ATTACHMENT_NOT_FOUND']);

    // The same id again (by anyone) is taken.
    const dup = await request(t.server)
      .post(`${base}/attachments/${id}`)
      .set(bearer(p.lawyer.token))
      .set('content-type', 'application/octet-stream')
      .send(randomBytes(32));
    expect([dup.status, dup.body.code]).toEqual([409, 'ATTACHMENT_EXISTS']);

    // A message carries it: now the counterpart reads the same bytes.
    const message = messageBody(p.conversationId, p.epoch, p.client.device, { attachmentIds: [id] });
    const sent = await request(t.server).post(`${base}/messages`).set(bearer(p.client.token)).send(message).expect(201);
    expect(sent.body.attachmentIds).toEqual([id]);
    expect(Buffer.compare((await download(p.lawyer.token).expect(200)).body as Buffer, bytes)).toBe(0);
    // Linked once: another message cannot take it, and it is no longer removable.
    const again = await request(t.server)
      .post(`${base}/messages`)
      .set(bearer(p.client.token))
      .send(messageBody(p.conversationId, p.epoch, p.client.device, { attachmentIds: [id] }));
    expect([again.status, again.body.code]).toEqual([400, 'ATTACHMENT_INVALID']);
    await expect(sql().query(`DELETE FROM message_attachments WHERE id = $1`, [id])).rejects.toThrow(/belongs to a message/);
  });

  it('refuses to link what is not the sender’s unsent upload in this conversation (nothing of the message is stored)', async () => {
    const p = await readyPair(t);
    const base = `/api/conversations/${p.conversationId}`;
    const lawyersUpload = randomUUID();
    await request(t.server)
      .post(`${base}/attachments/${lawyersUpload}`)
      .set(bearer(p.lawyer.token))
      .set('content-type', 'application/octet-stream')
      .send(randomBytes(64))
      .expect(201);
    const other = await readyPair(t);
    const elsewhere = randomUUID();
    await request(t.server)
      .post(`/api/conversations/${other.conversationId}/attachments/${elsewhere}`)
      .set(bearer(other.client.token))
      .set('content-type', 'application/octet-stream')
      .send(randomBytes(64))
      .expect(201);
    for (const attachmentIds of [[lawyersUpload], [randomUUID()], [elsewhere]]) {
      const body = messageBody(p.conversationId, p.epoch, p.client.device, { attachmentIds });
      const res = await request(t.server).post(`${base}/messages`).set(bearer(p.client.token)).send(body);
      expect([res.status, res.body.code]).toEqual([400, 'ATTACHMENT_INVALID']);
      expect(await sql().query(`SELECT id FROM conversation_messages WHERE id = $1`, [body.id])).toEqual([]);
    }
  });

  it('413 ATTACHMENT_TOO_LARGE past 26214416 bytes, by Content-Length or while streaming; nothing is kept', async () => {
    const p = await readyPair(t);
    const path = `/api/conversations/${p.conversationId}/attachments`;
    const filesBefore = blobFiles();
    const declared = await rawUpload(t, `${path}/${randomUUID()}`, p.client.token, {
      contentLength: MAX + 1,
      chunks: 1,
      chunkSize: 1024,
    });
    expect([declared.status, declared.body.code]).toEqual([413, 'ATTACHMENT_TOO_LARGE']);
    const streamedId = randomUUID();
    const streamed = await rawUpload(t, `${path}/${streamedId}`, p.client.token, { chunks: 401, chunkSize: 65536 }); // 26279936 bytes, chunked
    expect([streamed.status, streamed.body.code]).toEqual([413, 'ATTACHMENT_TOO_LARGE']);
    expect(await sql().query(`SELECT id FROM message_attachments WHERE id = $1`, [streamedId])).toEqual([]);
    expect(blobFiles()).toBe(filesBefore);
    // Exactly the maximum is accepted.
    const fits = await rawUpload(t, `${path}/${randomUUID()}`, p.client.token, { contentLength: MAX, chunks: 1, chunkSize: MAX });
    expect(fits.status).toBe(201);

    const empty = await request(t.server)
      .post(`${path}/${randomUUID()}`)
      .set(bearer(p.client.token))
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(0));
    expect([empty.status, empty.body.code]).toEqual([400, 'ATTACHMENT_INVALID']);
    const json = await request(t.server).post(`${path}/${randomUUID()}`).set(bearer(p.client.token)).send({ bytes: 'x' });
    expect(json.status).toBe(415);
    // Only the raw parser may take a large body here: JSON or text past the app's 1 MiB limit is
    // refused before it is read whole, signed in or not.
    for (const [type, body] of [
      ['application/json', JSON.stringify({ bytes: 'x'.repeat(2 * 1024 * 1024) })],
      ['text/plain', 'x'.repeat(2 * 1024 * 1024)],
    ] as const) {
      const big = await request(t.server).post(`${path}/${randomUUID()}`).set('content-type', type).send(body);
      expect([type, big.status]).toEqual([type, 413]);
    }
    expect(blobFiles()).toBe(filesBefore + 1);
  });

  it('keeps at most 50 unsent uploads per user, even when uploads race past the first check together', async () => {
    const p = await readyPair(t);
    const path = `/api/conversations/${p.conversationId}/attachments`;
    // 47 unsent uploads already (rows only: this test is about the count, not their bytes).
    await sql().query(
      `INSERT INTO message_attachments (id, conversation_id, uploader_id, blob_key, size, created_at)
       SELECT gen_random_uuid(), $1, $2, 'messaging/test/' || g, 16, now() FROM generate_series(1, 47) g`,
      [p.conversationId, p.client.id],
    );
    const filesBefore = blobFiles();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(t.server)
          .post(`${path}/${randomUUID()}`)
          .set(bearer(p.client.token))
          .set('content-type', 'application/octet-stream')
          .send(randomBytes(200_000)),
      ),
    );
    const statuses = answers.map((a) => (a.status === 201 ? 201 : `${a.status} ${a.body.code}`)).sort();
    expect(statuses).toEqual([
      201,
      201,
      201,
      '409 ATTACHMENT_PENDING_LIMIT',
      '409 ATTACHMENT_PENDING_LIMIT',
      '409 ATTACHMENT_PENDING_LIMIT',
    ]);
    const [{ n }] = await sql().query(
      `SELECT count(*)::int AS n FROM message_attachments WHERE uploader_id = $1 AND message_id IS NULL`,
      [p.client.id],
    );
    expect(n).toBe(50);
    // The refused uploads' bytes are gone too.
    expect(blobFiles()).toBe(filesBefore + 3);
  });

  it('removes uploads no message carried within a day (row and blob), never sent ones', async () => {
    const p = await readyPair(t);
    const base = `/api/conversations/${p.conversationId}`;
    const [unsent, sent] = [randomUUID(), randomUUID()];
    for (const id of [unsent, sent]) {
      await request(t.server)
        .post(`${base}/attachments/${id}`)
        .set(bearer(p.client.token))
        .set('content-type', 'application/octet-stream')
        .send(randomBytes(48))
        .expect(201);
    }
    await request(t.server)
      .post(`${base}/messages`)
      .set(bearer(p.client.token))
      .send(messageBody(p.conversationId, p.epoch, p.client.device, { attachmentIds: [sent] }))
      .expect(201);
    const keys: { id: string; blobKey: string }[] = await sql().query(
      `SELECT id, blob_key AS "blobKey" FROM message_attachments WHERE conversation_id = $1`,
      [p.conversationId],
    );
    const blobKey = (id: string) => keys.find((k) => k.id === id)!.blobKey;
    const cleanup = t.app.get(AttachmentsService);
    expect(await cleanup.cleanup()).toBe(0);
    t.clock.advance(25 * 3_600_000);
    try {
      expect(await cleanup.cleanup()).toBeGreaterThanOrEqual(1);
    } finally {
      t.clock.advance(-25 * 3_600_000);
    }
    const left: { id: string }[] = await sql().query(`SELECT id FROM message_attachments WHERE conversation_id = $1`, [
      p.conversationId,
    ]);
    expect(left.map((r) => r.id)).toEqual([sent]);
    const blobs = t.app.get(BlobStore);
    expect(await blobs.head(blobKey(unsent))).toBeNull();
    expect(await blobs.head(blobKey(sent))).toMatchObject({ size: 48 });
    expect((await request(t.server).get(`${base}/attachments/${unsent}`).set(bearer(p.client.token))).body.code).toBe(
      'ATTACHMENT_NOT_FOUND',
    );
  });

  it('emails the recipient once per conversation until they read, with no content; reads never email', async () => {
    const p = await readyPair(t);
    const base = `/api/conversations/${p.conversationId}`;
    const lawyerEmail: { email: string }[] = await sql().query(`SELECT email::text AS email FROM users WHERE id = $1`, [
      p.lawyer.id,
    ]);
    const clientEmail: { email: string }[] = await sql().query(`SELECT email::text AS email FROM users WHERE id = $1`, [
      p.client.id,
    ]);
    const bodies: string[] = [];
    const send = async (from: typeof p.client) => {
      const body = messageBody(p.conversationId, p.epoch, from.device);
      bodies.push(body.ciphertext, body.nonce, body.signature);
      await request(t.server).post(`${base}/messages`).set(bearer(from.token)).send(body).expect(201);
      return body.id;
    };

    await send(p.lawyer);
    await send(p.lawyer);
    const last = await send(p.lawyer);
    let emails = await outbox(t, clientEmail[0]!.email, 'message.received');
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe(`You have a new message from ${p.lawyerProfile.displayName}`);
    expect(emails[0]!.bodyText).toContain(`${t.config.PUBLIC_URL.replace(/\/+$/, '')}/messages/${p.conversationId}`);
    for (const secret of bodies) expect(emails[0]!.bodyText).not.toContain(secret.slice(0, 24));
    const inApp: { title: string; body: string; params: unknown }[] = await sql().query(
      `SELECT title, body, params FROM notifications WHERE user_id = $1 AND kind = 'message.received'`,
      [p.client.id],
    );
    expect(inApp).toHaveLength(1);
    expect(inApp[0]!.params).toEqual({ conversationId: p.conversationId, counterpartName: p.lawyerProfile.displayName });

    // The client reads: the lawyer is not emailed about it; the next message emails the client again.
    await request(t.server).post(`${base}/read`).set(bearer(p.client.token)).send({ messageId: last }).expect(204);
    expect(await outbox(t, lawyerEmail[0]!.email, 'message.received')).toHaveLength(0);
    t.clock.advance(1000);
    await send(p.lawyer);
    emails = await outbox(t, clientEmail[0]!.email, 'message.received');
    expect(emails).toHaveLength(2);

    // The other direction is its own.
    await send(p.client);
    await send(p.client);
    expect(await outbox(t, lawyerEmail[0]!.email, 'message.received')).toHaveLength(1);
  });
});
