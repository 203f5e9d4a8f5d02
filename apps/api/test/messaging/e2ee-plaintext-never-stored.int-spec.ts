import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  E2eeClient,
  MemoryKeyStore,
  createHttpTransport,
  generateRecoveryCode,
  isE2eeError,
  isUnreadable,
  normalizeRecoveryCode,
  type DecryptedMessage,
} from '@lm/e2ee';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createBookableLawyer, createSession, signedIn, type Caller } from '../factories/sessions';
import { createTestApp, type TestApp } from '../setup/test-app';

const FAST = { memoryKiB: 19456, iterations: 1 };

/** Every request body the E2EE clients sent, as bytes (the "request log"). */
const requestLog: Buffer[] = [];
/** Everything the server wrote to stdout/stderr while the spec ran (pino writes with fs.write*). */
const serverOutput: string[] = [];

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body == null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return Buffer.from(await body.arrayBuffer());
  return Buffer.from(String(body), 'utf8');
}

function recordingFetch(): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    requestLog.push(await bodyBytes(init?.body));
    return globalThis.fetch(input, init);
  }) as typeof fetch;
}

function clientFor(t: TestApp, caller: Caller, store = new MemoryKeyStore()): E2eeClient {
  const { port } = t.server.address() as AddressInfo;
  return new E2eeClient({
    userId: caller.id,
    store,
    argon2: FAST,
    transport: createHttpTransport({
      baseUrl: `http://127.0.0.1:${port}`,
      getAccessToken: () => caller.token,
      fetch: recordingFetch(),
    }),
  });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

describe('E2EE: plaintext, attachments, notes and the recovery code never reach the server', () => {
  let t: TestApp;
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    const capture = (chunk: unknown): void => {
      serverOutput.push(
        Buffer.isBuffer(chunk)
          ? chunk.toString('utf8')
          : ArrayBuffer.isView(chunk)
            ? Buffer.from(chunk.buffer).toString('utf8')
            : String(chunk),
      );
    };
    const origWriteSync = fs.writeSync.bind(fs) as (...a: unknown[]) => number;
    const origWrite = fs.write.bind(fs) as (...a: unknown[]) => void;
    spies.push(
      jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
        if (fd === 1 || fd === 2) {
          capture(data);
          return typeof data === 'string' ? Buffer.byteLength(data) : (data as Uint8Array).byteLength;
        }
        return origWriteSync(fd, data, ...rest);
      }) as typeof fs.writeSync),
      jest.spyOn(fs, 'write').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
        if (fd === 1 || fd === 2) capture(data);
        return origWrite(fd, data, ...rest);
      }) as typeof fs.write),
      jest
        .spyOn(process.stdout, 'write')
        .mockImplementation(((chunk: unknown) => (capture(chunk), true)) as typeof process.stdout.write),
      jest
        .spyOn(process.stderr, 'write')
        .mockImplementation(((chunk: unknown) => (capture(chunk), true)) as typeof process.stderr.write),
    );
    t = await createTestApp({ LOG_LEVEL: 'trace' });
  });
  afterAll(async () => {
    await t?.close();
    for (const s of spies) s.mockRestore();
  });

  const sql = () => t.app.get(DataSource);

  /** Hits of `marker` in every text-like column of every public table, the data directory (blobs) and the server output. */
  async function findEverywhere(marker: string): Promise<{ db: string[]; files: string[]; logs: number }> {
    const columns: { table_name: string; column_name: string; data_type: string }[] = await sql().query(
      `SELECT c.table_name, c.column_name, c.data_type
         FROM information_schema.columns c
         JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
          AND c.data_type IN ('text', 'character varying', 'bytea', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED')`,
    );
    const db: string[] = [];
    for (const c of columns) {
      const col = `"${c.column_name.replace(/"/g, '""')}"`;
      const where =
        c.data_type === 'bytea' ? `position(convert_to($1, 'UTF8') in ${col}) > 0` : `${col}::text ILIKE '%' || $1 || '%'`;
      const [{ n }] = (await sql().query(`SELECT count(*)::int AS n FROM public."${c.table_name}" WHERE ${where}`, [marker])) as {
        n: number;
      }[];
      if (n > 0) db.push(`${c.table_name}.${c.column_name}`);
    }
    const needle = Buffer.from(marker, 'utf8');
    const files = filesUnder(t.config.DATA_DIR).filter((f) => fs.readFileSync(f).includes(needle));
    if (t.config.BLOB_FS_ROOT)
      files.push(...filesUnder(t.config.BLOB_FS_ROOT).filter((f) => fs.readFileSync(f).includes(needle)));
    const logs = serverOutput.filter((line) => line.includes(marker)).length;
    return { db, files, logs };
  }

  it('sends, stores and restores only ciphertext', async () => {
    const marker = `MARKER-${randomUUID()}`;
    const control = `CONTROL-${randomUUID()}`;

    // A client (whose display name is the positive control) and a lawyer with a paid session.
    const client = await signedIn(t, { displayName: control });
    const lawyer = await createBookableLawyer(t);
    const lawyerCaller: Caller = { id: lawyer.id, token: lawyer.accessToken };
    const session = await createSession(t, { clientId: client.id, lawyer });
    const [conv] = (await sql().query(`SELECT id FROM conversations WHERE client_id = $1 AND lawyer_id = $2`, [
      client.id,
      lawyer.id,
    ])) as {
      id: string;
    }[];
    expect(conv).toBeDefined();
    const conversationId = conv!.id;

    const clientE2ee = clientFor(t, client);
    const lawyerE2ee = clientFor(t, lawyerCaller);
    const { recoveryCode } = await clientE2ee.setUp('Client test browser');
    await lawyerE2ee.setUp('Lawyer test browser');

    const attachmentBytes = new TextEncoder().encode(`%PDF-1.4 fake document ${marker} end`);
    const clientChat = await clientE2ee.conversation(conversationId);
    await clientChat.send({
      text: `Hello counsel, ${marker}`,
      attachments: [{ name: 'evidence.pdf', type: 'application/pdf', bytes: attachmentBytes }],
    });
    await clientChat.saveNote(session.id, 'AGENDA', `Agenda: ${marker}`);
    await clientChat.saveNote(session.id, 'PRIVATE', `Private thoughts: ${marker}`);

    // The lawyer reads it (the exchange worked).
    const lawyerChat = await lawyerE2ee.conversation(conversationId);
    const { items } = await lawyerChat.history({ limit: 50 });
    const seen = items.filter((i): i is DecryptedMessage => !isUnreadable(i));
    expect(seen.map((m) => m.text)).toContain(`Hello counsel, ${marker}`);
    const msg = seen.find((m) => m.text.includes(marker))!;
    expect(Buffer.from(await lawyerChat.downloadAttachment(msg.attachments[0]!)).includes(Buffer.from(marker))).toBe(true);
    expect((await lawyerChat.readNotes(session.id)).agenda?.text).toBe(`Agenda: ${marker}`);

    // Positive control in the logs: a request path carrying the control marker is logged.
    await request(t.server).get(`/api/no-such-route-${control}`);

    // Positive controls: the search finds what was deliberately put in plaintext places.
    const found = await findEverywhere(control);
    expect(found.db.length).toBeGreaterThan(0);
    expect(found.logs).toBeGreaterThan(0);
    expect(serverOutput.length).toBeGreaterThan(0);

    // The marker is nowhere: database, data directory (blobs), server output.
    expect(await findEverywhere(marker)).toEqual({ db: [], files: [], logs: 0 });

    // Recovery on a new browser: a wrong code is refused, the right one restores the history.
    const newBrowser = clientFor(t, client);
    let wrongCode = generateRecoveryCode();
    while (normalizeRecoveryCode(wrongCode) === normalizeRecoveryCode(recoveryCode)) wrongCode = generateRecoveryCode();
    const err: unknown = await newBrowser.restore(wrongCode, 'New browser').then(
      () => null,
      (e: unknown) => e,
    );
    expect(isE2eeError(err) && err.code).toBe('WRONG_RECOVERY_CODE');
    await newBrowser.restore(recoveryCode, 'New browser');
    const restored = await (await newBrowser.conversation(conversationId)).history({ limit: 50 });
    expect(restored.items.filter((i): i is DecryptedMessage => !isUnreadable(i)).map((m) => m.text)).toContain(
      `Hello counsel, ${marker}`,
    );

    // No request body ever carried the recovery code (any form) or the marker.
    expect(requestLog.length).toBeGreaterThan(0);
    const normalised = normalizeRecoveryCode(recoveryCode);
    const forms = [
      ...new Set([recoveryCode, normalised, normalised.match(/.{4}/g)!.join('-'), normalised.match(/.{4}/g)!.join(' ')]),
    ];
    const everything = Buffer.concat(requestLog);
    for (const secret of [...forms, marker]) expect(everything.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    // ...and the database, files and logs hold none of the code's forms either.
    for (const form of forms) expect(await findEverywhere(form)).toEqual({ db: [], files: [], logs: 0 });
  }, 120_000);
});
