import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { E2eeError } from './errors';
import { createHttpTransport, parseEventStream } from './transport';
import type { MessagingEvent } from './wire';

/** A real HTTP server on loopback, so the transport is tested through fetch as the browser uses it. */
let server: Server;
let base: string;
let handler: (req: IncomingMessage, body: Buffer, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('createHttpTransport', () => {
  it('sends the current token and JSON, and maps paths of the contract', async () => {
    const seen: { method?: string; url?: string; auth?: string; type?: string; body: string }[] = [];
    handler = (req, body, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body: body.toString(),
      });
      if (req.method === 'DELETE' || req.url?.endsWith('/read')) return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [], nextCursor: null }));
    };
    let token = 't1';
    const t = createHttpTransport({ baseUrl: base + '/', getAccessToken: () => token });
    await t.listMessages('c 1', { before: 'm1', limit: 5 });
    token = 't2';
    await t.markRead('c1', 'm9');
    await t.revokeDevice('d1');
    await t.putNote('s1', 'PRIVATE', { version: 1, epoch: 1, senderDeviceId: 'd', nonce: 'n', ciphertext: 'c', signature: 's' });
    expect(seen.map((s) => `${s.method} ${s.url} ${s.auth}`)).toEqual([
      'GET /api/conversations/c%201/messages?before=m1&limit=5 Bearer t1',
      'POST /api/conversations/c1/read Bearer t2',
      'DELETE /api/e2ee/devices/d1 Bearer t2',
      'PUT /api/sessions/s1/notes/private Bearer t2',
    ]);
    expect(seen[1]).toMatchObject({ type: 'application/json', body: '{"messageId":"m9"}' });
  });

  it('uploads and downloads raw bytes', async () => {
    let received: Buffer | undefined;
    handler = (req, body, res) => {
      if (req.method === 'POST') {
        received = body;
        expect(req.headers['content-type']).toBe('application/octet-stream');
        return void res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 'a1', size: body.length, createdAt: 'x' }));
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([9, 8, 7]));
    };
    const t = createHttpTransport({ baseUrl: base, getAccessToken: async () => null });
    expect(await t.uploadAttachment('c1', 'a1', new Uint8Array([1, 2, 3, 4]))).toEqual({ id: 'a1', size: 4, createdAt: 'x' });
    expect([...received!]).toEqual([1, 2, 3, 4]);
    expect([...(await t.downloadAttachment('c1', 'a1'))]).toEqual([9, 8, 7]);
  });

  it("turns an error answer into E2eeError 'HTTP' with the status, the server's code and details", async () => {
    handler = (_req, _body, res) =>
      void res.writeHead(409, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          statusCode: 409,
          code: 'E2EE_RECIPIENTS_MISMATCH',
          message: 'Recipients differ',
          requestId: 'r',
          details: { expected: ['a'] },
        }),
      );
    const t = createHttpTransport({ baseUrl: base, getAccessToken: () => 'x' });
    const err = await t
      .createEpoch('c1', { epoch: 1, creatorDeviceId: 'd', recipients: [], sealed: [], signature: 's' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(E2eeError);
    expect(err).toMatchObject({
      code: 'HTTP',
      status: 409,
      serverCode: 'E2EE_RECIPIENTS_MISMATCH',
      message: 'Recipients differ',
      details: { expected: ['a'] },
    });

    handler = (_req, _body, res) => void res.writeHead(502).end('<html>bad gateway</html>');
    await expect(t.getMyKeys()).rejects.toMatchObject({ code: 'HTTP', status: 502, serverCode: undefined });
  });

  it('reports an unreachable server as HTTP status 0', async () => {
    const t = createHttpTransport({ baseUrl: 'http://127.0.0.1:9', getAccessToken: () => null });
    await expect(t.getMyKeys()).rejects.toMatchObject({ code: 'HTTP', status: 0 });
  });

  it('streams server-sent events: comments ignored, CRLF and split chunks handled, unknown events dropped', async () => {
    handler = (req, _body, res) => {
      expect(req.headers.accept).toBe('text/event-stream');
      expect(req.headers.authorization).toBe('Bearer live');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': ping\n\n');
      res.write('event: message\r\ndata: {"conversationId":"c1",');
      setTimeout(() => {
        res.write('"messageId":"m1"}\r');
        setTimeout(() => {
          res.write('\n\r\nevent: surprise\ndata: {}\n\nevent: keys\ndata: {"userId":"u2"}\n\n');
          res.end();
        }, 20);
      }, 20);
    };
    const t = createHttpTransport({ baseUrl: base, getAccessToken: () => 'live' });
    const events: MessagingEvent[] = [];
    let opened = 0;
    for await (const e of t.streamEvents(new AbortController().signal, () => opened++)) events.push(e);
    expect(opened).toBe(1);
    expect(events).toEqual([
      { type: 'message', conversationId: 'c1', messageId: 'm1' },
      { type: 'keys', userId: 'u2' },
    ]);
  });

  it('stops streaming when aborted', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: epoch\ndata: {"conversationId":"c1","epoch":2}\n\n');
    };
    const t = createHttpTransport({ baseUrl: base, getAccessToken: () => 'x' });
    const ac = new AbortController();
    const events: MessagingEvent[] = [];
    await expect(
      (async () => {
        for await (const e of t.streamEvents(ac.signal)) {
          events.push(e);
          ac.abort();
        }
      })(),
    ).resolves.toBeUndefined();
    expect(events).toEqual([{ type: 'epoch', conversationId: 'c1', epoch: 2 }]);
  });
});

describe('parseEventStream', () => {
  it('joins multi-line data and ignores events without data', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(
          new TextEncoder().encode(
            'event: read\ndata: {"conversationId":"c1",\ndata: "userId":"u1","messageId":"m1"}\n\nevent: note\n\n',
          ),
        );
        c.close();
      },
    });
    const out: MessagingEvent[] = [];
    for await (const e of parseEventStream(body)) out.push(e);
    expect(out).toEqual([{ type: 'read', conversationId: 'c1', userId: 'u1', messageId: 'm1' }]);
  });
});
