import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { rotateKeyRingFile } from '../../src/modules/storage/blob-key-ring';
import { MAGIC } from '../../src/modules/storage/encrypted-blob-format';
import { StatementsService } from '../../src/modules/statements';
import { download as contractDownload, executedContract, partiesWithPaidSession } from '../contracts/contracts-support';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { download as statementDownload, payeesWithMoney, setClock, statementsOf } from '../statements/statements-support';
import { joinedCall, uploadRecording, type CallFixture } from '../video/recording-fixtures';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const C = 64 * 1024;

/** Supertest collects a binary body as a Buffer with this parser. */
function binary(res: request.Response, callback: (err: Error | null, body: Buffer) => void): void {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => callback(null, Buffer.concat(parts)));
}

/** Where the filesystem driver keeps `key`'s bytes (fs-blob-store.ts: the record names the data file). */
async function rawBlob(root: string, key: string): Promise<Buffer> {
  const h = sha256(Buffer.from(key));
  const dir = join(root, h.slice(0, 2), h.slice(2, 4));
  const meta = JSON.parse(await readFile(join(dir, `${h}.json`), 'utf8')) as { file: string };
  return readFile(join(dir, meta.file));
}

async function rawPath(root: string, key: string): Promise<string> {
  const h = sha256(Buffer.from(key));
  const dir = join(root, h.slice(0, 2), h.slice(2, 4));
  return join(dir, (JSON.parse(await readFile(join(dir, `${h}.json`), 'utf8')) as { file: string }).file);
}

/** Every stored data file under the blob root. */
async function allRawBlobs(root: string): Promise<Buffer[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return Promise.all(entries.filter((e) => e.isFile() && e.name.endsWith('.blob')).map((e) => readFile(join(e.parentPath, e.name))));
}

/** The master key id in an encrypted object's header. */
const keyIdOf = (raw: Buffer): string => raw.subarray(10, 10 + raw[9]!).toString('latin1');

/**
 * Issue 16, Done when 5: evidence is stored encrypted. A recording, an executed contract PDF and
 * a statement PDF read RAW from the blob directory are not their plaintext (no "%PDF", no
 * marker, no run of their bytes); read through the API they are byte-identical with the SHA-256
 * the API reports and keeps for custody; Range reads work; after a master-key rotation old and
 * new objects both read, and new objects carry the new key id.
 */
describe('encryption at rest of recordings, executed contracts and statements', () => {
  let t: TestApp;
  let root: string;
  let call: CallFixture;
  let recordingFile: Buffer;
  let recording: { id: string; sha256: string; sizeBytes: number };
  let contract: { id: string; sha256: string; pdf: Buffer; blobKey: string; token: string };
  let statement: { id: string; pdfSha256: string; token: string; pdfKey: string };
  const marker = `AT-REST-MARKER-${randomUUID()}`;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    root = t.config.blobFsRoot;
    const sql = t.app.get(DataSource);

    // A statement: payees earn in one month, the month closes, the issuing job runs.
    setClock(t, '2027-05-10T12:00:00Z');
    const payees = await payeesWithMoney(t, { payments: 1 });
    setClock(t, '2027-06-01T12:00:00Z');
    await t.app.get(StatementsService).issueDue(null);
    const [s] = await statementsOf(t, payees.lawyer.id);
    const [{ pdf_key: pdfKey }] = await sql.query(`SELECT pdf_key FROM statements WHERE id = $1`, [s!.id]);
    statement = { id: s!.id, pdfSha256: s!.pdfSha256, token: payees.lawyer.accessToken, pdfKey };

    // A recording (uploaded by the browser in chunks, assembled into the vault), with a marker inside.
    call = await joinedCall(t);
    recordingFile = Buffer.concat([Buffer.from(`\x1aE\xdf\xa3 webm ${marker} `), randomBytes(5 * C + 1234)]);
    recording = await uploadRecording(t, call, call.lawyer, recordingFile, 100_000);

    // An executed contract (both parties signed; sealed PDF stored).
    const p = await partiesWithPaidSession(t);
    const executed = await executedContract(t, p);
    const [{ blob_key: blobKey }] = await sql.query(`SELECT blob_key FROM contract_executions WHERE contract_id = $1`, [executed.id]);
    contract = {
      id: executed.id,
      sha256: executed.executed!.sha256,
      pdf: await contractDownload(t, p.client, `/api/contracts/${executed.id}/executed.pdf`),
      blobKey,
      token: p.client.token,
    };
  });
  afterAll(async () => {
    await t?.close();
  });

  const media = (app: { server: TestApp['server'] }, recordingId: string, sessionId: string, token: string) =>
    request(app.server).get(`/api/sessions/${sessionId}/recordings/${recordingId}/media`).set(bearer(token)).buffer(true).parse(binary);

  it('read raw from the blob directory, none of them is its plaintext: the format magic, no %PDF, no marker, no run of their bytes', async () => {
    const recordingKey = (await t.app.get(DataSource).query(`SELECT blob_key FROM recordings WHERE id = $1`, [recording.id]))[0].blob_key as string;
    const statementPdf = (await statementDownload(t, statement.token, statement.id, 'pdf').expect(200)).body as Buffer;
    expect(statementPdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(contract.pdf.subarray(0, 5).toString()).toBe('%PDF-');

    for (const [key, plain] of [
      [recordingKey, recordingFile],
      [contract.blobKey, contract.pdf],
      [statement.pdfKey, statementPdf],
    ] as const) {
      const raw = await rawBlob(root, key);
      expect(raw.subarray(0, 8).equals(MAGIC)).toBe(true);
      expect(raw.equals(plain)).toBe(false);
      expect(raw.includes('%PDF')).toBe(false);
      expect(raw.includes(plain.subarray(200, 264))).toBe(false);
      expect(sha256(raw)).not.toBe(sha256(plain));
    }
    // Nothing stored anywhere under the blob root (recording chunks, licences, the contract's version PDFs…) is in the clear.
    const everything = await allRawBlobs(root);
    expect(everything.length).toBeGreaterThanOrEqual(3);
    for (const raw of everything) {
      expect(raw.subarray(0, 8).equals(MAGIC)).toBe(true);
      expect(raw.includes('%PDF')).toBe(false);
      expect(raw.includes(marker)).toBe(false);
    }
  });

  it('read through the API they are byte-identical with the SHA-256 the API reports and custody keeps (verify-by-hash finds them)', async () => {
    const whole = await media(t, recording.id, call.sessionId, call.client.token).expect(200);
    expect((whole.body as Buffer).equals(recordingFile)).toBe(true);
    expect(recording.sha256).toBe(sha256(recordingFile));
    expect(whole.headers.etag).toBe(`"${sha256(recordingFile)}"`);
    expect(whole.headers['content-length']).toBe(String(recordingFile.length));

    expect(sha256(contract.pdf)).toBe(contract.sha256);
    const statementPdf = await statementDownload(t, statement.token, statement.id, 'pdf').expect(200);
    expect(sha256(statementPdf.body as Buffer)).toBe(statement.pdfSha256);

    for (const hash of [recording.sha256, contract.sha256]) {
      const res = await request(t.server).get(`/api/verify/${hash}`);
      expect(res.status).toBe(200);
    }
  });

  it('Range reads of the recording work across the 64 KiB chunk boundaries of the stored format', async () => {
    const n = recordingFile.length;
    for (const [header, start, end] of [
      ['bytes=0-0', 0, 0],
      [`bytes=${C - 3}-${C + 2}`, C - 3, C + 2],
      [`bytes=${C}-${2 * C - 1}`, C, 2 * C - 1],
      [`bytes=100-${3 * C + 50}`, 100, 3 * C + 50],
      [`bytes=${5 * C}-`, 5 * C, n - 1],
      ['bytes=-10', n - 10, n - 1],
    ] as const) {
      const part = await media(t, recording.id, call.sessionId, call.lawyer.token).set('range', header).expect(206);
      expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${n}`);
      expect((part.body as Buffer).equals(recordingFile.subarray(start, end + 1))).toBe(true);
    }
    const refused = await request(t.server)
      .get(`/api/sessions/${call.sessionId}/recordings/${recording.id}/media`)
      .set(bearer(call.lawyer.token))
      .set('range', `bytes=${n}-`);
    expect([refused.status, refused.body.code]).toEqual([416, 'RANGE_NOT_SATISFIABLE']);
  });

  it('a stored recording changed on disk is never served: the download breaks off at the bad chunk, and a read of it alone fails', async () => {
    const otherCall = await joinedCall(t);
    const file = randomBytes(4 * C);
    const rec = await uploadRecording(t, otherCall, otherCall.client, file, 100_000);
    const key = (await t.app.get(DataSource).query(`SELECT blob_key FROM recordings WHERE id = $1`, [rec.id]))[0].blob_key as string;
    const path = await rawPath(root, key);
    const raw = await readFile(path);
    raw[raw.length - 56 - C] ^= 0x40; // inside the last data chunk
    await writeFile(path, raw);

    const { port } = t.server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/sessions/${otherCall.sessionId}/recordings/${rec.id}/media`;
    /** What a client gets: the status, the bytes received, whether the transfer broke off. */
    const fetchAll = async (range?: string) => {
      const res = await fetch(url, { headers: { ...bearer(otherCall.client.token), ...(range ? { range } : {}) } });
      const received: Buffer[] = [];
      const reader = res.body!.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return { status: res.status, bytes: Buffer.concat(received), brokeOff: false };
          received.push(Buffer.from(value));
        }
      } catch {
        return { status: res.status, bytes: Buffer.concat(received), brokeOff: true };
      }
    };
    // Failing before the first byte is a generic 500; failing later, the transfer breaks off
    // after the verified chunks before the bad one. Never a byte of the bad chunk.
    const whole = await fetchAll();
    expect(whole.status === 500 || (whole.status === 200 && whole.brokeOff)).toBe(true);
    if (whole.status === 200) {
      expect(whole.bytes.length).toBeLessThanOrEqual(3 * C);
      expect(whole.bytes.equals(file.subarray(0, whole.bytes.length))).toBe(true);
    }
    const ranged = await fetchAll(`bytes=${3 * C + 10}-${3 * C + 20}`);
    expect(ranged.status === 500 || (ranged.status === 206 && ranged.brokeOff)).toBe(true);
    expect(ranged.bytes.equals(file.subarray(3 * C + 10, 3 * C + 21))).toBe(false);
    // Chunks that were not touched still read.
    const intact = await media(t, rec.id, otherCall.sessionId, otherCall.client.token).set('range', `bytes=10-${C + 10}`).expect(206);
    expect((intact.body as Buffer).equals(file.subarray(10, C + 11))).toBe(true);
  });

  describe('master-key rotation', () => {
    let b: TestApp;
    let newKeyId: string;
    let oldKeyId: string;

    beforeAll(async () => {
      oldKeyId = keyIdOf(await rawBlob(root, contract.blobKey));
      newKeyId = rotateKeyRingFile(t.config.blobKeyRingFile).added.id;
      // The server restarted after the rotation: another process on the same database and DATA_DIR.
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SERVE_WEB: 'false',
        DATA_DIR: t.config.DATA_DIR,
        DB_MIGRATIONS_RUN: 'false',
        BOOKING_MIN_NOTICE_HOURS: '0',
        THROTTLE_LIMIT: '100000',
        JOBS_ENABLED: 'false',
      });
      const app: NestFastifyApplication = await createApp(config, t.db.url, { clock: t.clock });
      await app.listen(0, '127.0.0.1');
      b = { ...t, app, config, server: app.getHttpServer(), close: () => app.close() };
    });
    afterAll(async () => {
      await b?.close();
    });

    it('objects stored before the rotation still read, whole and ranged, through the restarted server', async () => {
      const whole = await media(b, recording.id, call.sessionId, call.client.token).expect(200);
      expect(sha256(whole.body as Buffer)).toBe(recording.sha256);
      const part = await media(b, recording.id, call.sessionId, call.client.token).set('range', `bytes=${C - 1}-${C}`).expect(206);
      expect((part.body as Buffer).equals(recordingFile.subarray(C - 1, C + 1))).toBe(true);
      expect(sha256(await contractDownload(b, { id: '', token: contract.token }, `/api/contracts/${contract.id}/executed.pdf`))).toBe(contract.sha256);
      const statementPdf = await statementDownload(b, statement.token, statement.id, 'pdf').expect(200);
      expect(sha256(statementPdf.body as Buffer)).toBe(statement.pdfSha256);
      expect(keyIdOf(await rawBlob(root, contract.blobKey))).toBe(oldKeyId);
    });

    it('objects stored after it carry the new key id and read too; a server without the new key answers a generic 500', async () => {
      const newCall = await joinedCall(b);
      const file = Buffer.concat([Buffer.from(marker), randomBytes(2 * C + 5)]);
      const rec = await uploadRecording(b, newCall, newCall.lawyer, file, 100_000);
      const key = (await b.app.get(DataSource).query(`SELECT blob_key FROM recordings WHERE id = $1`, [rec.id]))[0].blob_key as string;
      const raw = await rawBlob(root, key);
      expect(keyIdOf(raw)).toBe(newKeyId);
      expect(newKeyId).not.toBe(oldKeyId);
      expect(raw.includes(marker)).toBe(false);

      const whole = await media(b, rec.id, newCall.sessionId, newCall.client.token).expect(200);
      expect((whole.body as Buffer).equals(file)).toBe(true);
      expect(sha256(whole.body as Buffer)).toBe(rec.sha256);
      const part = await media(b, rec.id, newCall.sessionId, newCall.client.token).set('range', `bytes=${C}-${C + 4}`).expect(206);
      expect((part.body as Buffer).equals(file.subarray(C, C + 5))).toBe(true);

      // The first server still has only the old key (it read its ring at start-up): it cannot
      // read the new object, and says nothing about why to the client.
      const refused = await request(t.server).get(`/api/sessions/${newCall.sessionId}/recordings/${rec.id}/media`).set(bearer(newCall.client.token));
      expect(refused.status).toBe(500);
      expect(refused.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', requestId: expect.any(String) });
      expect(JSON.stringify(refused.body)).not.toContain(newKeyId);
    });
  });
});
