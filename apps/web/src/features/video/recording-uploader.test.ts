import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { RecordingUploader, type FetchLike, type UploadProgress } from './recording-uploader';

const KiB = 1024;

/**
 * A fake of the recordings upload API (contract of issue 12): keeps the chunks it accepted,
 * checks each one's X-Chunk-Sha256, refuses a different body for an index it already has, and
 * assembles the file on complete. `failNext` makes the next PUTs fail before (or after) storing.
 */
function fakeUploadApi(opts: { chunkMaxBytes?: number } = {}) {
  const chunks = new Map<number, Uint8Array>();
  const puts: number[] = [];
  const failures: ('network' | '500' | 'lost-answer')[] = [];
  let completed: { chunkCount: number; file: Buffer } | null = null;
  const base = '/api/sessions/s1/recordings/uploads';
  const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  const fetch: FetchLike = async (url, init = {}) => {
    const method = init.method ?? 'GET';
    if (method === 'POST' && url === base) return Response.json({ uploadId: 'u1', chunkMaxBytes: opts.chunkMaxBytes ?? 8 * 1024 * KiB }, { status: 201 });
    if (method === 'GET' && url === `${base}/u1`) {
      return Response.json({
        uploadId: 'u1',
        status: 'uploading',
        chunks: [...chunks].map(([index, b]) => ({ index, size: b.length, sha256: hex(b) })),
      });
    }
    const put = /\/chunks\/(\d+)$/.exec(url);
    if (method === 'PUT' && put) {
      const index = Number(put[1]);
      puts.push(index);
      const failure = failures.shift();
      if (failure === 'network') throw new TypeError('Failed to fetch');
      if (failure === '500') return Response.json({ statusCode: 500, code: 'INTERNAL', message: 'boom' }, { status: 500 });
      const body = new Uint8Array(init.body as Uint8Array);
      const header = new Headers(init.headers).get('X-Chunk-Sha256');
      if (header !== hex(body)) return Response.json({ statusCode: 422, code: 'CHUNK_HASH_MISMATCH', message: 'x' }, { status: 422 });
      const had = chunks.get(index);
      if (had && hex(had) !== header) return Response.json({ statusCode: 409, code: 'CHUNK_CONFLICT', message: 'x' }, { status: 409 });
      chunks.set(index, body);
      if (failure === 'lost-answer') throw new TypeError('Failed to fetch');
      return Response.json({ index, size: body.length, sha256: header });
    }
    if (method === 'POST' && url === `${base}/u1/complete`) {
      const { chunkCount } = JSON.parse(String(init.body)) as { chunkCount: number };
      for (let i = 0; i < chunkCount; i++) {
        if (!chunks.has(i)) return Response.json({ statusCode: 409, code: 'UPLOAD_INCOMPLETE', message: 'x' }, { status: 409 });
      }
      const file = Buffer.concat(Array.from({ length: chunkCount }, (_, i) => chunks.get(i)!));
      completed = { chunkCount, file };
      return Response.json({ id: 'r1', status: 'available', sha256: hex(file), sizeBytes: file.length });
    }
    return Response.json({ statusCode: 404, code: 'NOT_FOUND', message: 'x' }, { status: 404 });
  };
  return { fetch, puts, failures, chunks, completed: () => completed };
}

/** `n` bytes of recognisable data (byte i = i mod 251), split into MediaRecorder-like pieces of `piece`. */
function recorded(n: number, piece: number): { whole: Uint8Array; blobs: Blob[] } {
  const whole = Uint8Array.from({ length: n }, (_, i) => i % 251);
  const blobs: Blob[] = [];
  for (let at = 0; at < n; at += piece) blobs.push(new Blob([whole.slice(at, at + piece)]));
  return { whole, blobs };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const instant = () => Promise.resolve();

describe('RecordingUploader', () => {
  it('gathers small recorder pieces into ordered chunks and completes with the exact bytes', async () => {
    const server = fakeUploadApi();
    const { whole, blobs } = recorded(70 * KiB + 123, 3 * KiB);
    const uploader = await RecordingUploader.start({
      sessionId: 's1',
      contentType: 'video/webm',
      startedAt: new Date(),
      fetch: server.fetch,
      chunkBytes: 16 * KiB,
      sleep: instant,
    });
    for (const blob of blobs) uploader.push(blob);
    const recording = await uploader.finish();

    // 24 pieces of 3 KiB became 5 chunks (4 full ones of 16 KiB and the rest), not 24 requests.
    expect(server.puts).toEqual([0, 1, 2, 3, 4]);
    expect([...server.chunks.values()].map((c) => c.length)).toEqual([16 * KiB, 16 * KiB, 16 * KiB, 16 * KiB, 6 * KiB + 123]);
    expect(server.completed()?.chunkCount).toBe(5);
    expect(Buffer.compare(server.completed()!.file, Buffer.from(whole))).toBe(0);
    expect(recording.sha256).toBe(sha(whole));
    expect(uploader.progress).toMatchObject({ state: 'completed', sentChunks: 5, pendingBytes: 0 });
  });

  it('never sends a chunk larger than the server allows', async () => {
    const server = fakeUploadApi({ chunkMaxBytes: 10 * KiB });
    const { whole, blobs } = recorded(45 * KiB, 45 * KiB);
    const uploader = await RecordingUploader.start({
      sessionId: 's1',
      contentType: 'video/webm',
      startedAt: new Date(),
      fetch: server.fetch,
      chunkBytes: 64 * KiB,
      sleep: instant,
    });
    blobs.forEach((b) => uploader.push(b));
    await uploader.finish();
    expect(Math.max(...[...server.chunks.values()].map((c) => c.length))).toBe(10 * KiB);
    expect(sha(server.completed()!.file)).toBe(sha(whole));
  });

  it('retries a failed chunk with backoff, keeping the order', async () => {
    const server = fakeUploadApi();
    const waits: number[] = [];
    const { whole, blobs } = recorded(40 * KiB, 8 * KiB);
    const uploader = await RecordingUploader.start({
      sessionId: 's1',
      contentType: 'video/webm',
      startedAt: new Date(),
      fetch: server.fetch,
      chunkBytes: 16 * KiB,
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    });
    blobs.slice(0, 2).forEach((b) => uploader.push(b));
    server.failures.push('500', 'network'); // chunk 0 fails twice, then goes through
    blobs.slice(2).forEach((b) => uploader.push(b));
    await uploader.finish();

    expect(server.puts).toEqual([0, 0, 0, 1, 2]);
    expect(waits).toEqual([250, 500]);
    expect(sha(server.completed()!.file)).toBe(sha(whole));
  });

  it('does not send a chunk again when only its answer was lost', async () => {
    const server = fakeUploadApi();
    const { whole, blobs } = recorded(32 * KiB, 16 * KiB);
    const uploader = await RecordingUploader.start({
      sessionId: 's1',
      contentType: 'video/webm',
      startedAt: new Date(),
      fetch: server.fetch,
      chunkBytes: 16 * KiB,
      sleep: instant,
    });
    server.failures.push('lost-answer');
    blobs.forEach((b) => uploader.push(b));
    await uploader.finish();
    expect(server.puts).toEqual([0, 1]);
    expect(sha(server.completed()!.file)).toBe(sha(whole));
  });

  it('resumes after an interruption from the chunks the server has, ending with the right hash', async () => {
    const server = fakeUploadApi();
    const states: UploadProgress['state'][] = [];
    const { whole, blobs } = recorded(64 * KiB, 16 * KiB);
    const uploader = await RecordingUploader.start({
      sessionId: 's1',
      contentType: 'video/webm',
      startedAt: new Date(),
      fetch: server.fetch,
      chunkBytes: 16 * KiB,
      maxAttempts: 3,
      sleep: instant,
      onProgress: (p) => states.push(p.state),
    });
    uploader.push(blobs[0]!);
    uploader.push(blobs[1]!);
    await vi.waitFor(() => expect(server.chunks.size).toBe(2), { timeout: 5000 });
    // Halfway the network goes: chunk 2 fails twice, then arrives but its answer is lost.
    server.failures.push('network', 'network', 'lost-answer');
    uploader.push(blobs[2]!);
    uploader.push(blobs[3]!);
    await expect(uploader.finish()).rejects.toThrow();
    expect(uploader.progress.state).toBe('interrupted');
    expect(server.completed()).toBeNull();
    expect([...server.chunks.keys()]).toEqual([0, 1, 2]);

    // Back online: the server's list says 0–2 are there, so only 3 is sent.
    const before = server.puts.length;
    await uploader.resume();
    expect(server.puts.slice(before)).toEqual([3]);
    const recording = await uploader.finish();
    expect(server.completed()?.chunkCount).toBe(4);
    expect(recording.sha256).toBe(sha(whole));
    expect(states).toContain('interrupted');
    expect(states.at(-1)).toBe('completed');
  });

  it('stops on a conflict instead of overwriting a chunk the server holds', async () => {
    const server = fakeUploadApi();
    server.chunks.set(0, new Uint8Array([1, 2, 3]));
    const uploader = await RecordingUploader.start({
      sessionId: 's1',
      contentType: 'video/webm',
      startedAt: new Date(),
      fetch: server.fetch,
      chunkBytes: 16 * KiB,
      sleep: instant,
    });
    uploader.push(recorded(4 * KiB, 4 * KiB).blobs[0]!);
    await expect(uploader.finish()).rejects.toMatchObject({ code: 'CHUNK_CONFLICT' });
    expect(uploader.progress.state).toBe('failed');
    expect(server.puts).toEqual([0]);
  });

  it('after a reload, completes what the server received of the upload the last page left open', async () => {
    const server = fakeUploadApi();
    const { blobs } = recorded(48 * KiB, 16 * KiB);
    const uploader = await RecordingUploader.start({
      sessionId: 's1',
      contentType: 'video/webm',
      startedAt: new Date(),
      fetch: server.fetch,
      chunkBytes: 16 * KiB,
      sleep: instant,
    });
    blobs.forEach((b) => uploader.push(b));
    await vi.waitFor(() => expect(server.chunks.size).toBe(3), { timeout: 5000 });
    // The page is gone before finish(); the next page finds the upload id it saved.
    const recording = await RecordingUploader.completeLeftover(server.fetch, 's1', 'u1');
    expect(server.completed()?.chunkCount).toBe(3);
    expect(recording?.sha256).toBe(sha(Buffer.concat([...server.chunks.values()])));
  });
});
