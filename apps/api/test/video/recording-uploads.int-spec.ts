import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { BlobStore } from '../../src/modules/storage';
import { VideoProvider } from '../../src/modules/video/provider/video-provider';
import { signedIn } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { complete, joinedCall, putChunk, sha256Hex, startUpload } from './recording-fixtures';

const CHUNK_LIMIT = 256 * 1024;

/** Every blob data file under the filesystem driver's root (to show that nothing was left behind). */
async function blobFiles(t: TestApp): Promise<string[]> {
  const entries = await readdir(t.config.blobFsRoot, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith('.blob')).map((e) => join(t.config.blobFsRoot, e));
}

describe('Peer-to-peer recording uploads: chunked, resumable, hash-checked (issue 12, Done when 5 and 6)', () => {
  let t: TestApp;
  let sql: DataSource;

  beforeAll(async () => {
    t = await createTestApp({ VIDEO_RECORDING_CHUNK_MAX_BYTES: String(CHUNK_LIMIT) });
    sql = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const recordingsOf = async (sessionId: string): Promise<{ id: string; status: string }[]> =>
    sql.query(`SELECT id, status FROM recordings WHERE session_id = $1`, [sessionId]);
  const chunkRows = async (recordingId: string): Promise<{ idx: number; blob_key: string }[]> =>
    sql.query(`SELECT idx, blob_key FROM recording_chunks WHERE recording_id = $1 ORDER BY idx`, [recordingId]);

  it('an upload interrupted halfway is resumed by a fresh client and ends with the SHA-256 of the whole file', async () => {
    const call = await joinedCall(t);
    const file = randomBytes(10 * 100_000 + 1234);
    const parts = Array.from({ length: 11 }, (_, i) => file.subarray(i * 100_000, (i + 1) * 100_000));
    const uploadId = await startUpload(t, call, call.client);

    // The first client sends chunks 0..4, then goes away.
    for (let i = 0; i < 5; i++) {
      const res = await putChunk(t, call, call.client, uploadId, i, parts[i]!).expect(200);
      expect(res.body).toEqual({ index: i, size: parts[i]!.length, sha256: sha256Hex(parts[i]!) });
    }
    const chunkKeys = (await chunkRows(uploadId)).map((r) => r.blob_key);
    expect(chunkKeys).toHaveLength(5);

    // A fresh client asks what the server has, and sends the rest (in a shuffled order, and chunk 4 once more).
    const state = await request(t.server).get(`/api/sessions/${call.sessionId}/recordings/uploads/${uploadId}`).set(bearer(call.client.token)).expect(200);
    expect(state.body).toEqual({
      uploadId,
      status: 'uploading',
      chunks: parts.slice(0, 5).map((p, index) => ({ index, size: p.length, sha256: sha256Hex(p) })),
    });
    const have = new Set((state.body as { chunks: { index: number }[] }).chunks.map((c) => c.index));
    for (const i of [10, 7, 5, 9, 6, 8]) if (!have.has(i)) await putChunk(t, call, call.client, uploadId, i, parts[i]!).expect(200);
    await putChunk(t, call, call.client, uploadId, 4, parts[4]!).expect(200); // idempotent re-send

    const done = await complete(t, call, call.client, uploadId, 11).expect(200);

    expect(done.body).toMatchObject({
      id: uploadId,
      provider: 'p2p',
      kind: 'participant',
      role: 'CLIENT',
      status: 'available',
      sizeBytes: file.length,
      sha256: sha256Hex(file),
      contentType: 'video/webm',
    });
    expect(done.body.durationSeconds).toBeGreaterThanOrEqual(60);
    expect(done.body.durationSeconds).toBeLessThan(120);
    expect(done.body.auditSeq).toEqual(expect.any(Number));
    // The stored file is the whole recording; the chunks (rows and blobs) are gone.
    const stored = await t.app.get(BlobStore).head((await sql.query(`SELECT blob_key FROM recordings WHERE id = $1`, [uploadId]))[0].blob_key);
    expect(stored).toMatchObject({ size: file.length, sha256: sha256Hex(file) });
    expect(await chunkRows(uploadId)).toEqual([]);
    for (const key of chunkKeys) expect(await t.app.get(BlobStore).head(key)).toBeNull();
    const [entry] = await sql.query(`SELECT action, subject_id, payload FROM audit_events WHERE seq = $1`, [done.body.auditSeq]);
    expect(entry).toMatchObject({ action: 'recording.stored', subject_id: uploadId, payload: expect.objectContaining({ sha256: sha256Hex(file), sizeBytes: file.length }) });

    // Completing again answers the same recording; chunks after completion are refused.
    expect((await complete(t, call, call.client, uploadId, 11).expect(200)).body).toEqual(done.body);
    expect((await putChunk(t, call, call.client, uploadId, 11, randomBytes(10)).expect(409)).body.code).toBe('UPLOAD_ALREADY_COMPLETE');
  });

  it('a chunk whose bytes do not match X-Chunk-Sha256 → 422 CHUNK_HASH_MISMATCH, and nothing is kept', async () => {
    const call = await joinedCall(t);
    const uploadId = await startUpload(t, call, call.lawyer);
    const before = await blobFiles(t);

    const res = await putChunk(t, call, call.lawyer, uploadId, 0, randomBytes(50_000), sha256Hex(Buffer.from('other bytes'))).expect(422);

    expect(res.body.code).toBe('CHUNK_HASH_MISMATCH');
    expect(await chunkRows(uploadId)).toEqual([]);
    expect(await blobFiles(t)).toEqual(before);
  });

  it('the same index with other bytes → 409 CHUNK_CONFLICT, keeping the first', async () => {
    const call = await joinedCall(t);
    const uploadId = await startUpload(t, call, call.client);
    const first = randomBytes(1000);
    await putChunk(t, call, call.client, uploadId, 0, first).expect(200);
    const before = await blobFiles(t);

    expect((await putChunk(t, call, call.client, uploadId, 0, randomBytes(1000)).expect(409)).body.code).toBe('CHUNK_CONFLICT');

    expect((await request(t.server).get(`/api/sessions/${call.sessionId}/recordings/uploads/${uploadId}`).set(bearer(call.client.token)).expect(200)).body.chunks).toEqual([
      { index: 0, size: 1000, sha256: sha256Hex(first) },
    ]);
    expect(await blobFiles(t)).toEqual(before);
  });

  it('refuses malformed chunks with stable codes: no hash, a bad index, a JSON body, a chunk over the limit (also when streamed without a length)', async () => {
    const call = await joinedCall(t);
    const uploadId = await startUpload(t, call, call.client);
    const url = `/api/sessions/${call.sessionId}/recordings/uploads/${uploadId}/chunks`;
    const bytes = randomBytes(100);

    const noHash = await request(t.server).put(`${url}/0`).set(bearer(call.client.token)).set('content-type', 'application/octet-stream').send(bytes).expect(400);
    expect(noHash.body.code).toBe('CHUNK_HASH_REQUIRED');
    expect((await putChunk(t, call, call.client, uploadId, 0, bytes, 'abc').expect(400)).body.code).toBe('CHUNK_HASH_REQUIRED');
    for (const index of ['-1', 'x', '100000', '1.5']) {
      const res = await request(t.server).put(`${url}/${index}`).set(bearer(call.client.token)).set('content-type', 'application/octet-stream').set('x-chunk-sha256', sha256Hex(bytes)).send(bytes);
      expect([res.status, res.body.code]).toEqual([400, 'CHUNK_INDEX_INVALID']);
    }
    const json = await request(t.server).put(`${url}/0`).set(bearer(call.client.token)).set('x-chunk-sha256', sha256Hex(bytes)).send({ bytes: 'x' }).expect(415);
    expect(json.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const big = randomBytes(CHUNK_LIMIT + 1);
    expect((await putChunk(t, call, call.client, uploadId, 0, big).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    // Without Content-Length (chunked transfer encoding) the limit is enforced while the body streams.
    const streamed = request(t.server)
      .put(`${url}/0`)
      .set(bearer(call.client.token))
      .set('content-type', 'application/octet-stream')
      .set('x-chunk-sha256', sha256Hex(big));
    for (let i = 0; i < big.length; i += 16 * 1024) streamed.write(big.subarray(i, i + 16 * 1024));
    const res = await streamed;
    expect([res.status, res.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);

    // The limit itself is accepted, and nothing of the refused ones was kept.
    const atLimit = randomBytes(CHUNK_LIMIT);
    await putChunk(t, call, call.client, uploadId, 0, atLimit).expect(200);
    expect((await chunkRows(uploadId)).map((r) => r.idx)).toEqual([0]);
  });

  it('completing with chunks missing → 409 UPLOAD_INCOMPLETE naming them, and the upload stays open', async () => {
    const call = await joinedCall(t);
    const uploadId = await startUpload(t, call, call.client);
    for (const i of [0, 2, 3]) await putChunk(t, call, call.client, uploadId, i, randomBytes(10)).expect(200);

    const res = await complete(t, call, call.client, uploadId, 6).expect(409);

    expect(res.body.code).toBe('UPLOAD_INCOMPLETE');
    expect(res.body.message).toContain('1, 4, 5');
    expect(await recordingsOf(call.sessionId)).toEqual([{ id: uploadId, status: 'uploading' }]);
    expect((await complete(t, call, call.client, uploadId, 3).expect(409)).body.code).toBe('UPLOAD_INCOMPLETE');
    await putChunk(t, call, call.client, uploadId, 1, randomBytes(10)).expect(200);
    expect((await complete(t, call, call.client, uploadId, 3).expect(409)).body.code).toBe('UPLOAD_CHUNK_COUNT_MISMATCH');
  });

  it('an upload for someone else’s session → 404; someone else’s upload id → 404 (the other participant too)', async () => {
    const call = await joinedCall(t);
    const other = await joinedCall(t);
    const outsider = await signedIn(t);
    const uploadId = await startUpload(t, call, call.client);
    await putChunk(t, call, call.client, uploadId, 0, randomBytes(10)).expect(200);

    const body = { contentType: 'video/webm', startedAt: t.clock.now().toISOString() };
    const refused = await request(t.server).post(`/api/sessions/${call.sessionId}/recordings/uploads`).set(bearer(outsider.token)).send(body).expect(404);
    expect(refused.body.code).toBe('SESSION_NOT_FOUND');
    // A participant of another session, on this one.
    await request(t.server).post(`/api/sessions/${call.sessionId}/recordings/uploads`).set(bearer(other.client.token)).send(body).expect(404);

    const bytes = randomBytes(10);
    for (const [who, sessionId] of [
      [call.lawyer, call.sessionId], // the other participant of the same call
      [outsider, call.sessionId],
      [other.client, other.sessionId], // the upload id under another session
    ] as const) {
      const base = `/api/sessions/${sessionId}/recordings/uploads/${uploadId}`;
      expect((await request(t.server).get(base).set(bearer(who.token)).expect(404)).body.code).toBe('RECORDING_UPLOAD_NOT_FOUND');
      const chunk = await request(t.server).put(`${base}/chunks/1`).set(bearer(who.token)).set('content-type', 'application/octet-stream').set('x-chunk-sha256', sha256Hex(bytes)).send(bytes);
      expect([chunk.status, chunk.body.code]).toEqual([404, 'RECORDING_UPLOAD_NOT_FOUND']);
      const done = await request(t.server).post(`${base}/complete`).set(bearer(who.token)).send({ chunkCount: 1, endedAt: t.clock.now().toISOString() });
      expect([done.status, done.body.code]).toEqual([404, 'RECORDING_UPLOAD_NOT_FOUND']);
    }
    expect((await chunkRows(uploadId)).map((r) => r.idx)).toEqual([0]);
  });

  it('without both consents → 409 RECORDING_CONSENT_MISSING and nothing is written (also after a withdrawal)', async () => {
    const call = await joinedCall(t, { client: true, lawyer: false });
    const auditBefore = Number((await sql.query(`SELECT count(*) AS n FROM audit_events`))[0].n);
    const body = { contentType: 'video/webm', startedAt: t.clock.now().toISOString() };

    for (const who of [call.client, call.lawyer]) {
      const res = await request(t.server).post(`/api/sessions/${call.sessionId}/recordings/uploads`).set(bearer(who.token)).send(body).expect(409);
      expect(res.body.code).toBe('RECORDING_CONSENT_MISSING');
    }
    expect(await recordingsOf(call.sessionId)).toEqual([]);
    expect(Number((await sql.query(`SELECT count(*) AS n FROM audit_events`))[0].n)).toBe(auditBefore);

    // Both consent → allowed; the client withdraws → refused again.
    await request(t.server).put(`/api/sessions/${call.sessionId}/video/consent`).set(bearer(call.lawyer.token)).send({ recordingConsent: true }).expect(200);
    await startUpload(t, call, call.lawyer);
    await request(t.server).put(`/api/sessions/${call.sessionId}/video/consent`).set(bearer(call.client.token)).send({ recordingConsent: false }).expect(200);
    expect((await request(t.server).post(`/api/sessions/${call.sessionId}/recordings/uploads`).set(bearer(call.client.token)).send(body).expect(409)).body.code).toBe(
      'RECORDING_CONSENT_MISSING',
    );
    expect(await recordingsOf(call.sessionId)).toHaveLength(1);
  });

  it('with a provider that records the call itself (Twilio) → 409 RECORDING_UPLOAD_NOT_SUPPORTED, nothing written', async () => {
    const call = await joinedCall(t);
    const provider = t.app.get(VideoProvider) as { recordsInBrowser: boolean };
    provider.recordsInBrowser = false;
    try {
      const res = await request(t.server)
        .post(`/api/sessions/${call.sessionId}/recordings/uploads`)
        .set(bearer(call.client.token))
        .send({ contentType: 'video/webm', startedAt: t.clock.now().toISOString() })
        .expect(409);
      expect(res.body.code).toBe('RECORDING_UPLOAD_NOT_SUPPORTED');
    } finally {
      provider.recordsInBrowser = true;
    }
    expect(await recordingsOf(call.sessionId)).toEqual([]);
  });

  it('refuses an unknown content type and a missing start time (400)', async () => {
    const call = await joinedCall(t);
    for (const body of [{ contentType: 'text/html', startedAt: t.clock.now().toISOString() }, { contentType: 'video/webm' }]) {
      const res = await request(t.server).post(`/api/sessions/${call.sessionId}/recordings/uploads`).set(bearer(call.client.token)).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect(await recordingsOf(call.sessionId)).toEqual([]);
  });
});
