/**
 * SLOW (about a minute): uploads and downloads a 1 GB recording through a real API process.
 *
 * Issue 12, Done when 6: "Uploading and then downloading a 1 GB recording grows the API
 * process's RSS by less than 64 MB: media is streamed, never buffered whole." The API runs as a
 * child process (the built entry point, as in production) so its memory is its own; the test
 * generates the recording on the fly (AES-CTR keystream, 8 MiB at a time), sends it in 8 MiB
 * chunks over real HTTP, completes it, downloads it back, and reads the child's resident set
 * from /proc while it works.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { freePort } from '../../src/database/embedded-postgres';
import { asCaller, createBookableLawyer, createSession, scheduleDirectly, signedIn, type Caller } from '../factories/sessions';
import { createTestDatabase, type TestDatabase } from '../setup/test-database';
import type { TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';
import { TestClock } from '../support/test-clock';

const root = resolve(__dirname, '..', '..', '..', '..');
const MiB = 1024 * 1024;
const TOTAL = 1024 * MiB;
const CHUNK = 8 * MiB;
const BUDGET = 64 * MiB;

/** VmRSS and VmHWM (peak) of a process, in bytes. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets the kernel's peak-RSS mark (VmHWM) of a process we own; false where not supported. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

describe('A 1 GB recording through a real API process: RSS grows by less than 64 MB (SLOW)', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let output = '';
  let dataDirs: string[] = [];
  let api: string;
  let client: Caller;
  let sessionId: string;

  beforeAll(async () => {
    // The built entry point (tsx cannot emit the decorator metadata Nest injects by); rebuilt only when stale.
    const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs', '--only', 'api'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    db = await createTestDatabase();
    const jwtSecret = randomBytes(48).toString('base64url');
    const [childDir, setupDir] = [mkdtempSync(join(tmpdir(), 'lm-rec-mem-')), mkdtempSync(join(tmpdir(), 'lm-rec-mem-setup-'))];
    dataDirs = [childDir, setupDir];

    // The data (accounts, a paid session starting in 5 minutes) is made with the spec factories,
    // through an in-process app on the same database and with the same token key.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SERVE_WEB: 'false', DATA_DIR: setupDir, DB_MIGRATIONS_RUN: 'false', JWT_SECRET: jwtSecret, BOOKING_MIN_NOTICE_HOURS: '0' });
    const clock = new TestClock();
    const app = await createApp(config, db.url, { clock });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const setup = { app, config, db, clock, server: app.getHttpServer(), close: async () => app.close() } satisfies TestApp;
    const bookable = await createBookableLawyer(setup);
    client = await signedIn(setup);
    const session = await createSession(setup, { clientId: client.id, lawyer: bookable });
    await scheduleDirectly(setup, session.id, new Date(Date.now() + 5 * 60_000));
    sessionId = session.id;
    const lawyer = asCaller(bookable);
    await app.close();

    const port = await freePort();
    api = `http://127.0.0.1:${port}/api`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      DATA_DIR: childDir,
      JWT_SECRET: jwtSecret,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      SERVE_WEB: 'false',
      DEMO_SEED: 'false',
      VIDEO_RECORDING_CHUNK_MAX_BYTES: String(CHUNK),
    };
    for (const unset of ['PUBLIC_URL', 'STRIPE_SECRET_KEY', 'SMTP_URL', 'BLOB_DRIVER', 'TWILIO_ACCOUNT_SID']) delete env[unset];
    child = spawn(process.execPath, ['apps/api/dist/main.js'], { cwd: root, env });
    child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
    child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
    const healthy = await eventually(
      async () => (child.exitCode === null ? (await fetch(`${api}/health`).catch(() => null))?.status : -1),
      (s) => s === 200 || s === -1,
      90_000,
    );
    if (healthy !== 200) throw new Error(`the API did not start:\n${output}`);

    // Both participants join the call through the child, consenting to recording.
    for (const who of [client, lawyer]) {
      const res = await fetch(`${api}/sessions/${sessionId}/video/join`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ recordingConsent: true }),
      });
      if (res.status !== 200) throw new Error(`join: ${res.status} ${await res.text()}`);
    }
  }, 360_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${client.token}` });

  async function call<T>(path: string, init: RequestInit & { expect?: number } = {}): Promise<T> {
    const res = await fetch(`${api}${path}`, { ...init, headers: { ...auth(), 'content-type': 'application/json', ...init.headers } });
    if (res.status !== (init.expect ?? 200)) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Uploads `total` bytes of the keystream of `seed` in CHUNK pieces and completes; the SHA-256 sent and the recording. */
  async function upload(total: number, seed: string): Promise<{ sha256: string; recording: { id: string; sha256: string; sizeBytes: number } }> {
    const { uploadId } = await call<{ uploadId: string }>(`/sessions/${sessionId}/recordings/uploads`, {
      method: 'POST',
      expect: 201,
      body: JSON.stringify({ contentType: 'video/webm', startedAt: new Date(Date.now() - 3600_000).toISOString() }),
    });
    const cipher = createCipheriv('aes-256-ctr', createHash('sha256').update(seed).digest(), Buffer.alloc(16));
    const whole = createHash('sha256');
    let index = 0;
    for (let sent = 0; sent < total; sent += CHUNK, index++) {
      const chunk = cipher.update(Buffer.alloc(Math.min(CHUNK, total - sent)));
      whole.update(chunk);
      const res = await fetch(`${api}/sessions/${sessionId}/recordings/uploads/${uploadId}/chunks/${index}`, {
        method: 'PUT',
        headers: { ...auth(), 'content-type': 'application/octet-stream', 'x-chunk-sha256': createHash('sha256').update(chunk).digest('hex') },
        body: chunk,
      });
      if (res.status !== 200) throw new Error(`chunk ${index}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
    const recording = await call<{ id: string; sha256: string; sizeBytes: number }>(`/sessions/${sessionId}/recordings/uploads/${uploadId}/complete`, {
      method: 'POST',
      body: JSON.stringify({ chunkCount: index, endedAt: new Date().toISOString() }),
    });
    return { sha256: whole.digest('hex'), recording };
  }

  /** Downloads a recording, hashing it as it arrives; its SHA-256 and size. */
  async function download(recordingId: string): Promise<{ sha256: string; size: number }> {
    const res = await fetch(`${api}/sessions/${sessionId}/recordings/${recordingId}/media`, { headers: auth() });
    if (res.status !== 200) throw new Error(`download: ${res.status} ${await res.text()}`);
    const hash = createHash('sha256');
    let size = 0;
    for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(piece);
      size += piece.length;
    }
    return { sha256: hash.digest('hex'), size };
  }

  it('uploads 1 GB in 8 MiB chunks and downloads it back intact, with a peak RSS less than 64 MB above the baseline', async () => {
    const pid = child.pid!;
    // Warm-up (code paths loaded, pools open), so the baseline is the process at work, not at rest.
    const warm = await upload(3 * CHUNK, 'warm-up');
    expect(await download(warm.recording.id)).toEqual({ sha256: warm.sha256, size: 3 * CHUNK });

    const baseline = memoryOf(pid).rss;
    const peakReset = resetPeak(pid);
    let sampledPeak = baseline;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, memoryOf(pid).rss);
    }, 50);
    let result: { sent: string; stored: string; size: number; received: { sha256: string; size: number } };
    try {
      const { sha256, recording } = await upload(TOTAL, 'one gigabyte');
      const received = await download(recording.id);
      result = { sent: sha256, stored: recording.sha256, size: recording.sizeBytes, received };
    } finally {
      clearInterval(sampler);
    }
    const end = memoryOf(pid);
    const peak = Math.max(sampledPeak, peakReset ? end.hwm : 0, end.rss);
    const mb = (n: number): string => `${(n / MiB).toFixed(1)} MB`;
    process.stdout.write(`API RSS: baseline ${mb(baseline)}, peak ${mb(peak)} (${peakReset ? 'VmHWM reset at baseline' : 'sampled'}), growth ${mb(peak - baseline)}\n`);

    expect(result.stored).toBe(result.sent);
    expect(result.size).toBe(TOTAL);
    expect(result.received).toEqual({ sha256: result.sent, size: TOTAL });
    expect(peak - baseline).toBeLessThan(BUDGET);
  }, 240_000);
});
