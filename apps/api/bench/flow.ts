/**
 * `npm run bench:flow [-- --users 200 --seconds 60]`: load with invariants. N simulated users
 * (clients and lawyers) run the whole consultation flow at once against the built API in its own
 * process, for a bounded time, then the invariants are checked in the database:
 *
 * - clients: browse the directory (search, a profile, its free times), checkout
 *   (POST /api/checkout/create-session), pay on the local Stripe sandbox's hosted page (its "Pay"
 *   sends the signed checkout.session.completed event to the real /api/webhooks/stripe), wait
 *   until the session is PAID, then either
 *   A. book a time more than 24 h ahead, move it (client reschedule), cancel it (full refund
 *      through the sandbox's refund API and its webhook events), or
 *   B. book the soonest time whose call is already open, wait until the lawyer has held the call
 *      and ended it (COMPLETED), and review it.
 *   Several clients pick among the same few slots of the same lawyers, so booking contends (409
 *   SLOT_NOT_AVAILABLE, then another slot).
 * - lawyers: poll their upcoming sessions; for each one whose call is open, join the call and end
 *   it (COMPLETED, through POST /api/sessions/:id/video/end, as a lawyer does), then review the client.
 *
 * No clock is moved and nothing is written behind the API's back: reviews need a COMPLETED
 * session, so B books the soonest slot the booking rules allow. The server runs with the e2e
 * journeys' settings for that (BOOKING_MIN_NOTICE_HOURS=1, VIDEO_JOIN_EARLY_MINUTES=120: a first
 * booking may be 1 h ahead and calls open 2 h before the start). A lawyer's soonest hour fills
 * up (completed sessions keep their time), so B flows are bounded by lawyers × ~4 slots; once no
 * slot with an open call is left, B ends by cancelling its unscheduled paid session (full
 * refund) and is counted as "B without an open slot".
 *
 * Then, with the load stopped and the refund queue drained (up to 300 s; the time is printed):
 * - ledger: every transaction sums to zero per currency; stripe_clearing per currency equals
 *   payments − succeeded refunds; every payment has exactly one PAYMENT transaction and every
 *   succeeded refund one REFUND transaction;
 * - no double booking: no two sessions of a lawyer holding a time (any status but CANCELLED or
 *   EXPIRED) overlap;
 * - every session that was paid has exactly one payment, of its price; refunded amounts match
 *   the succeeded refunds;
 * - the audit chain verifies (GET /api/admin/audit/verify, the product's verifier) with no gap in seq;
 * - no 5xx answer to any request (the server's own sandbox calls included: they go through its log);
 * - the API's peak RSS (VmHWM of the spawned node process, started with the environment and node
 *   flags of `npm run start:prod`, which `npm start` and the Dockerfile repeat) stays under 400 MB.
 * Any of these broken → exit code 1.
 *
 * Setup goes through the API like the e2e journeys: an admin from the admin:create CLI; lawyers
 * register, fill in the profile, are verified by the admin, sell one 15-minute offering and are
 * free around the clock (UTC, no notice); clients register and verify their email with the link
 * from the admin outbox. Every simulated user sends its own X-Forwarded-For (198.18.0.0/15, the
 * benchmarking range) through the loopback proxy the production config trusts, so the per-address
 * sign-up/sign-in limits apply per user as they would behind a reverse proxy. The global
 * per-address limit (THROTTLE_LIMIT) is raised as in `npm run bench`, because the sandbox's own
 * calls (its Stripe API and its webhook deliveries) all come from 127.0.0.1.
 *
 * Flags: --users N (default 200; a fifth of them lawyers, at least 5; --lawyers overrides),
 * --seconds S (default 60), --connections C (keep-alive sockets, default = users). The
 * database: BENCH_DATABASE_URL's server, else an embedded PostgreSQL under .data/bench-flow; a
 * fresh `bench_flow` database each run. Only 127.0.0.1 is ever contacted.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Client } from 'pg';
import { TERMS_VERSION } from '@lm/domain';
import { EmbeddedPostgres, freePort } from '../src/database/embedded-postgres';
import { initKeyRingFile } from '../src/modules/storage/blob-key-ring';

const root = resolve(__dirname, '..', '..', '..');
const PASSWORD = 'orbit maple canyon fiddle 7';
const DB_NAME = 'bench_flow';
const RSS_LIMIT_MB = 400;
const silent = { log: () => undefined, warn: () => undefined, error: (m: unknown) => console.error(m) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const { values: flags } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    lawyers: { type: 'string' },
    connections: { type: 'string' },
  },
  strict: true,
});
const USERS = positive('users', flags.users!);
const SECONDS = positive('seconds', flags.seconds!);
const LAWYERS = flags.lawyers ? positive('lawyers', flags.lawyers) : Math.max(5, Math.round(USERS / 5));
const CLIENTS = USERS - LAWYERS;
const CONNECTIONS = flags.connections ? positive('connections', flags.connections) : USERS;
if (CLIENTS < 1) throw new Error(`--users ${USERS} leaves no clients next to ${LAWYERS} lawyers`);

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${v}`);
  return n;
}

// ------------------------------------------------------------------ HTTP with a bounded pool

interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: http.IncomingHttpHeaders;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
let baseUrl = '';

/** Per step: latencies (ms) of every answer, and counts by status class. */
const steps = new Map<string, { ms: number[]; byStatus: Map<number, number> }>();
const fiveHundreds: string[] = [];
const unexpected: string[] = [];
let measuring = false;

function record(step: string, status: number, ms: number): void {
  if (!measuring) return;
  let s = steps.get(step);
  if (!s) steps.set(step, (s = { ms: [], byStatus: new Map() }));
  s.ms.push(ms);
  s.byStatus.set(status, (s.byStatus.get(status) ?? 0) + 1);
}

interface User {
  ip: string;
  token?: string;
  email: string;
  id?: string;
}

function call(step: string, user: User | null, method: string, path: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
  if (user) headers['x-forwarded-for'] = user.ip;
  if (user?.token) headers.authorization = `Bearer ${user.token}`;
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = payload.length;
  }
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const req = http.request(new URL(path, baseUrl), { method, headers, agent, timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        record(step, status, ms);
        if (status >= 500) fiveHundreds.push(`${step}: ${method} ${path} → ${status} ${text.slice(0, 300)}`);
        let parsed: unknown = undefined;
        if ((res.headers['content-type'] ?? '').includes('json') && text) parsed = JSON.parse(text);
        resolvePromise({ status, body: parsed, text, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The answer, which must have one of `ok` statuses; anything else is recorded as unexpected and thrown. */
async function expectStatus(answer: Answer, ok: number[], what: string): Promise<Answer> {
  if (ok.includes(answer.status)) return answer;
  const line = `${what}: ${answer.status} ${answer.text.slice(0, 300)}`;
  if (answer.status < 500) unexpected.push(line);
  throw new FlowError(line);
}

class FlowError extends Error {}

// ------------------------------------------------------------------ server and database

async function main(): Promise<void> {
  const dataDir = join(root, '.data', 'bench-flow');
  mkdirSync(join(dataDir, 'blobs'), { recursive: true });
  const blobKeyRing = join(dataDir, 'blob-master-keys');
  initKeyRingFile(blobKeyRing);
  let embedded: EmbeddedPostgres | undefined;
  let serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    embedded = new EmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: await freePort(), logger: silent });
    await embedded.start();
    serverUrl = embedded.url('postgres');
  }
  // A fresh database each run, so the invariants speak of this run only.
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${DB_NAME}`;
  const databaseUrl = u.toString();

  let server: ChildProcess | undefined;
  let serverLog = '';
  try {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      BLOB_MASTER_KEYS_FILE: blobKeyRing,
      LOG_LEVEL: 'warn',
      SERVE_WEB: 'false',
      STRIPE_SANDBOX: 'true',
      THROTTLE_LIMIT: '100000000',
      // The e2e journeys' booking and call windows (see the header): the soonest slot's call is open.
      BOOKING_MIN_NOTICE_HOURS: '1',
      VIDEO_JOIN_EARLY_MINUTES: '120',
    };
    // Started the way `npm run start:prod` starts it (its memory settings included), so the peak RSS is the one users get.
    const start = startCommand();
    server = spawn(process.execPath, [...start.nodeFlags, join(root, 'apps/api/dist/main.js')], {
      cwd: root,
      env: { ...process.env, ...start.env, ...env, TWILIO_ACCOUNT_SID: '', TWILIO_API_KEY_SID: '', TWILIO_API_KEY_SECRET: '', TWILIO_AUTH_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (c: Buffer) => (serverLog = (serverLog + c.toString()).slice(-200_000));
    server.stdout?.on('data', keep);
    server.stderr?.on('data', keep);
    await healthy(server, () => serverLog);
    const pid = server.pid!;
    const rss = sampleRss(pid);

    const adminUser = await createAdmin(databaseUrl, env);
    console.log(`bench:flow: API ${baseUrl} (pid ${pid}; as start:prod: ${[...Object.entries(start.env).map(([k, v]) => `${k}=${v}`), 'node', ...start.nodeFlags].join(' ')})`);
    console.log(`bench:flow: ${LAWYERS} lawyers + ${CLIENTS} clients, ${SECONDS} s, ${CONNECTIONS} connections; setting up…`);
    const setupStarted = Date.now();
    const lawyers = await pool(
      Array.from({ length: LAWYERS }, (_, i) => i),
      6,
      (i) => setUpLawyer(i, adminUser),
    );
    const clients = await pool(
      Array.from({ length: CLIENTS }, (_, i) => i),
      6,
      (i) => setUpClient(i, adminUser),
    );
    console.log(`bench:flow: set up in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s; running…`);

    // ---------------------------------------------------------------- the run
    measuring = true;
    const rssBefore = rss.peak();
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    const counters = { flowsA: 0, flowsB: 0, flowsBNoSlot: 0, failed: 0, bookingConflicts: 0, completedByLawyers: 0, lawyerReviews: 0 };
    const failures: string[] = [];
    let clientsRunning = clients.length;
    const clientLoops = clients.map(async (client, i) => {
      let n = i;
      while (Date.now() < deadline) {
        const kind = n++ % 4 === 0 ? 'B' : 'A';
        try {
          const outcome = await clientFlow(client, kind, counters);
          if (outcome === 'A') counters.flowsA++;
          else if (outcome === 'B') counters.flowsB++;
          else counters.flowsBNoSlot++;
        } catch (e) {
          counters.failed++;
          if (failures.length < 20) failures.push(e instanceof Error ? e.message : String(e));
          await sleep(200);
        }
      }
      clientsRunning--;
    });
    // Lawyers keep holding calls until the last client flow has finished (a B flow waits for them).
    const lawyerLoops = lawyers.map(async (lawyer) => {
      const ended = new Set<string>();
      while (clientsRunning > 0) {
        try {
          await lawyerRound(lawyer, ended, counters);
        } catch (e) {
          counters.failed++;
          if (failures.length < 20) failures.push(e instanceof Error ? e.message : String(e));
        }
        await sleep(300);
      }
    });
    await Promise.all(clientLoops);
    const flowSeconds = (Date.now() - started) / 1000;
    await Promise.all(lawyerLoops);
    measuring = false;

    // ---------------------------------------------------------------- invariants
    const settled = await settleRefunds(databaseUrl);
    const invariants = await checkInvariants(databaseUrl, adminUser);
    const peakMb = rss.stop() / 1024;
    const flows = counters.flowsA + counters.flowsB + counters.flowsBNoSlot;

    console.log('');
    printSteps();
    console.log('');
    console.log(
      `flows: ${flows} in ${flowSeconds.toFixed(1)} s = ${(flows / flowSeconds).toFixed(2)} flows/s ` +
        `(A book→move→cancel+refund: ${counters.flowsA}; B book→call→complete→review: ${counters.flowsB}; ` +
        `B without an open slot, cancelled+refunded: ${counters.flowsBNoSlot}; failed: ${counters.failed})`,
    );
    console.log(`booking conflicts answered 409 (slot taken by another client): ${counters.bookingConflicts}; sessions completed by lawyers: ${counters.completedByLawyers}, lawyer reviews: ${counters.lawyerReviews}`);
    console.log(`refunds settled: ${settled}`);
    console.log(`API peak RSS (VmHWM): ${peakMb.toFixed(0)} MB (before the run: ${(rssBefore / 1024).toFixed(0)} MB; limit ${RSS_LIMIT_MB} MB)`);
    console.log(`5xx answers: ${fiveHundreds.length}; unexpected 4xx: ${unexpected.length}`);
    for (const line of fiveHundreds.slice(0, 10)) console.log(`  5xx ${line}`);
    for (const line of unexpected.slice(0, 10)) console.log(`  4xx ${line}`);
    for (const line of failures.slice(0, 10)) console.log(`  failed flow: ${line}`);
    const serverErrors = serverLog.split('\n').filter((l) => /"level":(50|60)|\bERROR\b/.test(l));
    if (serverErrors.length) console.log(`server error log lines: ${serverErrors.length}\n  ${serverErrors.slice(0, 5).join('\n  ')}`);
    // Warnings are not failures (e.g. a webhook redelivered later), but they explain slow steps: the most frequent, by message.
    const warnings = new Map<string, number>();
    for (const l of serverLog.split('\n').filter((l) => /"level":40/.test(l))) {
      const msg = (/"msg":"([^"]*)"/.exec(l)?.[1] ?? l).replace(/[0-9a-f]{8}-[0-9a-f-]{27}|\b(evt|re|cs|pi|ch)_\w+/g, '…').slice(0, 160);
      warnings.set(msg, (warnings.get(msg) ?? 0) + 1);
    }
    if (warnings.size) console.log(`server warnings: ${[...warnings.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([m, n]) => `${n}× ${m}`).join('; ')}`);
    console.log('');
    for (const inv of invariants) console.log(`${inv.ok ? 'PASS' : 'FAIL'} ${inv.name}: ${inv.detail}`);
    const checks = [
      { ok: fiveHundreds.length === 0, line: `no 5xx (${fiveHundreds.length})` },
      { ok: peakMb < RSS_LIMIT_MB, line: `peak RSS ${peakMb.toFixed(0)} MB < ${RSS_LIMIT_MB} MB` },
      { ok: counters.failed === 0, line: `every flow finished (${counters.failed} failed)` },
      { ok: serverErrors.length === 0, line: `no error in the server's log (${serverErrors.length})` },
    ];
    for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'} ${c.line}`);
    if (!invariants.every((i) => i.ok) || !checks.every((c) => c.ok)) process.exitCode = 1;
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => (server!.exitCode !== null ? r(null) : server!.once('exit', r)));
    }
    agent.destroy();
    await embedded?.stop();
  }
}

/**
 * The environment assignments and node flags of the root package.json's `start:prod` script
 * (`VAR=value … node --flag … apps/api/dist/main.js`), which `npm start` and the Dockerfile
 * repeat: the bench runs the API with exactly the settings users run it with.
 */
function startCommand(): { env: Record<string, string>; nodeFlags: string[] } {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts['start:prod'];
  if (!script || !scripts.start?.endsWith(`&& ${script}`)) throw new Error(`npm start does not end with start:prod's command (${script}): ${scripts.start}`);
  const words = script.trim().split(/\s+/);
  const node = words.indexOf('node');
  if (node < 0 || words[words.length - 1] !== 'apps/api/dist/main.js') throw new Error(`start:prod is not "… node … apps/api/dist/main.js": ${script}`);
  const env = Object.fromEntries(words.slice(0, node).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { env, nodeFlags: words.slice(node + 1, -1) };
}

async function healthy(child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}:\n${log().slice(-3000)}`);
    const ok = await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`the API is not healthy after 120 s:\n${log().slice(-3000)}`);
}

/** Polls the process's resident set; the kernel's VmHWM is the peak, read at the end (and sampled meanwhile in case the process is gone). */
function sampleRss(pid: number) {
  let peakKb = 0;
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakKb = Math.max(peakKb, hwm, rss);
    } catch {
      // the process has exited; keep the last peak
    }
  };
  const timer = setInterval(read, 500);
  read();
  return {
    peak: () => (read(), peakKb),
    stop: () => {
      read();
      clearInterval(timer);
      return peakKb;
    },
  };
}

/** Runs `work` over `items` with at most `width` at a time; results in order. */
async function pool<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}

// ------------------------------------------------------------------ setup through the API

const runId = Date.now().toString(36);
/** User n's own client address in 198.18.0.0/15 (RFC 2544, benchmarking). */
const addressOf = (n: number) => `198.18.${(n >> 8) & 255}.${n & 255}`;

async function createAdmin(databaseUrl: string, env: Record<string, string>): Promise<User> {
  const email = `admin-${runId}@bench-flow.example`;
  await promisify(execFile)(process.execPath, [join(root, 'apps/api/dist/cli/admin-create.js'), '--email', email, '--password', PASSWORD, '--name', 'Bench admin'], {
    cwd: root,
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl },
    timeout: 120_000,
  });
  const user: User = { ip: addressOf(65_000), email };
  await signIn(user);
  return user;
}

async function signIn(user: User): Promise<void> {
  const login = await expectStatus(await call('setup', user, 'POST', '/api/auth/login', { email: user.email, password: PASSWORD }), [200], `sign in ${user.email}`);
  user.token = (login.body as { accessToken: string }).accessToken;
  const me = await expectStatus(await call('setup', user, 'GET', '/api/auth/me'), [200], 'me');
  user.id = (me.body as { id: string }).id;
}

async function register(user: User, role: 'CLIENT' | 'LAWYER', displayName: string): Promise<void> {
  await expectStatus(
    await call('setup', user, 'POST', '/api/auth/register', {
      email: user.email,
      password: PASSWORD,
      displayName,
      role,
      timeZone: 'UTC',
      locale: 'en',
      acceptedTermsVersion: TERMS_VERSION,
    }),
    [201],
    `register ${user.email}`,
  );
}

interface Lawyer extends User {
  offeringId: string;
}

const AREAS = ['family', 'employment', 'immigration', 'tax', 'consumer'];
const CURRENCIES = ['EUR', 'USD', 'GBP'];

async function setUpLawyer(i: number, admin: User): Promise<Lawyer> {
  const user: User = { ip: addressOf(i), email: `lawyer-${runId}-${i}@bench-flow.example` };
  await register(user, 'LAWYER', `Bench Lawyer ${i}`);
  await signIn(user);
  await expectStatus(
    await call('setup', user, 'PUT', '/api/lawyer/profile', {
      barNumber: `BENCH-${runId}-${i}`,
      barJurisdiction: 'Madrid, Spain',
      jurisdictions: ['ES'],
      practiceAreas: [AREAS[i % AREAS.length], AREAS[(i + 2) % AREAS.length]],
      languages: ['es', 'en'],
      bio: 'Fixed-price consultations with written next steps, for individuals and small businesses.',
    }),
    [200],
    'profile',
  );
  await expectStatus(await call('setup', admin, 'POST', `/api/admin/lawyers/${user.id}/verify`), [200, 201, 204], 'verify lawyer');
  const offering = await expectStatus(
    await call('setup', user, 'POST', '/api/lawyer/offerings', {
      title: 'Short consultation',
      description: 'A first look at your case, with written next steps.',
      durationMinutes: 15,
      priceMinor: 3000 + (i % 7) * 500,
      currency: CURRENCIES[i % CURRENCIES.length],
    }),
    [201],
    'offering',
  );
  await expectStatus(
    await call('setup', user, 'PUT', '/api/lawyer/availability', {
      timeZone: 'UTC',
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })),
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      maxSessionsPerDay: null,
    }),
    [200],
    'availability',
  );
  return { ...user, offeringId: (offering.body as { id: string }).id };
}

async function setUpClient(i: number, admin: User): Promise<User> {
  const user: User = { ip: addressOf(LAWYERS + i), email: `client-${runId}-${i}@bench-flow.example` };
  await register(user, 'CLIENT', `Bench Client ${i}`);
  // Booking needs a verified address: the link of the verification email, from the admin outbox.
  let token: string | undefined;
  for (let attempt = 0; !token && attempt < 120; attempt++) {
    const outbox = await expectStatus(await call('setup', admin, 'GET', `/api/admin/outbox?to=${encodeURIComponent(user.email)}`), [200], 'outbox');
    const { items } = outbox.body as { items: { body: string | null }[] };
    token = items.map((m) => /verify-email\?token=([^\s&]+)/.exec(m.body ?? '')?.[1]).find(Boolean);
    if (!token) await sleep(500);
  }
  if (!token) throw new Error(`no verification email for ${user.email}`);
  await expectStatus(await call('setup', user, 'POST', '/api/auth/verify-email', { token: decodeURIComponent(token) }), [204], 'verify email');
  await signIn(user);
  return user;
}

// ------------------------------------------------------------------ the flows

interface Slot {
  startAt: string;
}
interface SessionDetail {
  id: string;
  status: string;
  startAt: string | null;
}

const pick = <T>(items: T[], within = items.length): T | undefined => items[Math.floor(Math.random() * Math.min(within, items.length))];
const iso = (ms: number) => new Date(ms).toISOString();

async function clientFlow(client: User, kind: 'A' | 'B', counters: { bookingConflicts: number }): Promise<'A' | 'B' | 'B-no-slot'> {
  // Browse: a directory page (sometimes filtered), a profile, its free times.
  const area = pick(AREAS)!;
  const page = await expectStatus(
    await call('browse: directory', client, 'GET', Math.random() < 0.5 ? '/api/lawyers' : `/api/lawyers?practiceArea=${area}&sort=price`),
    [200],
    'directory',
  );
  let listed = (page.body as { items: { id: string }[] }).items;
  if (listed.length === 0) listed = ((await expectStatus(await call('browse: directory', client, 'GET', '/api/lawyers'), [200], 'directory')).body as typeof page.body & { items: { id: string }[] }).items;
  const lawyerId = pick(listed)!.id;
  const profile = await expectStatus(await call('browse: profile', client, 'GET', `/api/lawyers/${lawyerId}`), [200], 'profile');
  const offeringId = (profile.body as { offerings: { id: string }[] }).offerings[0]!.id;
  await expectStatus(await call('browse: free times', client, 'GET', `/api/lawyers/${lawyerId}/free-times?offeringId=${offeringId}`), [200], 'free times');

  // Checkout, and pay on the sandbox's hosted page (303 to the success URL once the webhook is in).
  const created = await expectStatus(await call('checkout', client, 'POST', '/api/checkout/create-session', { offeringId }), [201], 'checkout');
  const { sessionId, checkoutUrl } = created.body as { sessionId: string; checkoutUrl: string };
  const checkoutPath = new URL(checkoutUrl).pathname;
  await expectStatus(await call('pay (sandbox page)', client, 'POST', `${checkoutPath}/pay`), [303], 'pay');
  const waitStarted = performance.now();
  for (let attempt = 0; ; attempt++) {
    const s = await expectStatus(await call('session', client, 'GET', `/api/sessions/${sessionId}`), [200], 'session');
    if ((s.body as SessionDetail).status === 'PAID') break;
    if (attempt > 300) throw new FlowError(`session ${sessionId} not PAID after the sandbox payment`);
    await sleep(100);
  }
  record('paid (webhook applied)', 200, performance.now() - waitStarted);

  if (kind === 'A') {
    const now = Date.now();
    const window = `from=${encodeURIComponent(iso(now + 25 * 3_600_000))}&to=${encodeURIComponent(iso(now + 49 * 3_600_000))}`;
    const startAt = await book(client, sessionId, window, 6, counters);
    if (!startAt) throw new FlowError(`no free slot left for ${sessionId}`);
    // Move it to another of the first free times (client reschedule, more than 24 h ahead).
    for (let attempt = 0; ; attempt++) {
      const slots = await expectStatus(await call('slots', client, 'GET', `/api/sessions/${sessionId}/slots?${window}`), [200], 'slots');
      const other = pick(((slots.body as { slots: Slot[] }).slots).filter((s) => s.startAt !== startAt), 6);
      if (!other) throw new FlowError(`no other slot to move ${sessionId} to`);
      const moved = await expectStatus(await call('reschedule', client, 'POST', `/api/sessions/${sessionId}/reschedule`, { startAt: other.startAt }), [200, 409], 'reschedule');
      if (moved.status === 200) break;
      if ((moved.body as { code?: string }).code !== 'SLOT_NOT_AVAILABLE' || attempt >= 5) await expectStatus(moved, [200], 'reschedule');
      counters.bookingConflicts++;
    }
    await cancel(client, sessionId, 'full');
    return 'A';
  }

  // B: the soonest times whose call is already open (start within VIDEO_JOIN_EARLY_MINUTES).
  const now = Date.now();
  const window = `from=${encodeURIComponent(iso(now))}&to=${encodeURIComponent(iso(now + 115 * 60_000))}`;
  const startAt = await book(client, sessionId, window, 3, counters);
  if (!startAt) {
    await cancel(client, sessionId, 'full');
    return 'B-no-slot';
  }
  const waitStarted2 = performance.now();
  for (let attempt = 0; ; attempt++) {
    const s = await expectStatus(await call('session', client, 'GET', `/api/sessions/${sessionId}`), [200], 'session');
    if ((s.body as SessionDetail).status === 'COMPLETED') break;
    if (attempt > 600) throw new FlowError(`session ${sessionId} not COMPLETED by its lawyer within a minute`);
    await sleep(100);
  }
  record('completed (by the lawyer)', 200, performance.now() - waitStarted2);
  await expectStatus(await call('review', client, 'POST', `/api/sessions/${sessionId}/review`, { rating: 4 + (now % 2), comment: 'Clear advice and a written summary.' }), [201], 'client review');
  await expectStatus(await call('browse: rating', client, 'GET', `/api/lawyers/${lawyerId}/rating`), [200], 'rating');
  return 'B';
}

/** Books one of the first `within` free slots in `window`; another on 409 SLOT_NOT_AVAILABLE; undefined when none is left. */
async function book(client: User, sessionId: string, window: string, within: number, counters: { bookingConflicts: number }): Promise<string | undefined> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const slots = await expectStatus(await call('slots', client, 'GET', `/api/sessions/${sessionId}/slots?${window}`), [200], 'slots');
    const slot = pick((slots.body as { slots: Slot[] }).slots, within);
    if (!slot) return undefined;
    const booked = await expectStatus(await call('schedule', client, 'POST', '/api/sessions/schedule', { sessionId, startAt: slot.startAt }), [200, 409], 'schedule');
    if (booked.status === 200) return slot.startAt;
    if ((booked.body as { code?: string }).code !== 'SLOT_NOT_AVAILABLE') await expectStatus(booked, [200], 'schedule');
    counters.bookingConflicts++;
  }
  return undefined;
}

async function cancel(client: User, sessionId: string, policy: 'full'): Promise<void> {
  const quote = await expectStatus(await call('cancellation quote', client, 'GET', `/api/sessions/${sessionId}/cancellation-quote`), [200], 'quote');
  const cancelled = await expectStatus(await call('cancel (+refund)', client, 'POST', `/api/sessions/${sessionId}/cancel`, { reason: 'Plans changed' }), [200], 'cancel');
  const result = cancelled.body as { refundMinor: number; session: { status: string } };
  const quoted = (quote.body as { refundMinor: number }).refundMinor;
  if (result.session.status !== 'CANCELLED' || result.refundMinor <= 0 || result.refundMinor !== quoted)
    throw new FlowError(`cancel ${sessionId}: ${policy} refund expected, got ${JSON.stringify({ quoted, refunded: result.refundMinor, status: result.session.status })}`);
}

async function lawyerRound(lawyer: Lawyer, ended: Set<string>, counters: { completedByLawyers: number; lawyerReviews: number }): Promise<void> {
  const list = await expectStatus(await call('lawyer: upcoming', lawyer, 'GET', '/api/sessions?status=SCHEDULED&pageSize=50'), [200], 'lawyer sessions');
  const open = (list.body as { items: SessionDetail[] }).items.filter((s) => s.startAt && Date.parse(s.startAt) <= Date.now() + 119 * 60_000 && !ended.has(s.id));
  for (const s of open) {
    await expectStatus(await call('lawyer: join call', lawyer, 'POST', `/api/sessions/${s.id}/video/join`, { recordingConsent: false }), [200], 'join');
    await expectStatus(await call('lawyer: end call (complete)', lawyer, 'POST', `/api/sessions/${s.id}/video/end`), [200], 'end');
    ended.add(s.id);
    counters.completedByLawyers++;
    await expectStatus(await call('review', lawyer, 'POST', `/api/sessions/${s.id}/review`, { rating: 5, comment: 'Punctual and well prepared.' }), [201], 'lawyer review');
    counters.lawyerReviews++;
  }
}

// ------------------------------------------------------------------ invariants

/**
 * Waits (up to 300 s) until no refund is PENDING. Refunds are sent to Stripe by a job (a few at
 * once per poll) after the cancel commits, so they trail the run; the "fully refunded" check
 * means "once the queue has drained", and the time it took is printed.
 */
async function settleRefunds(databaseUrl: string): Promise<string> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const started = Date.now();
    for (;;) {
      const { rows } = await db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM refunds GROUP BY status ORDER BY status');
      const pending = Number(rows.find((r) => r.status === 'PENDING')?.n ?? 0);
      const summary = rows.map((r) => `${r.n} ${r.status}`).join(', ') || 'none';
      if (pending === 0 || Date.now() - started > 300_000) return `${summary} (after ${((Date.now() - started) / 1000).toFixed(1)} s)`;
      await sleep(1000);
    }
  } finally {
    await db.end();
  }
}

interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}

async function checkInvariants(databaseUrl: string, adminUser: User): Promise<Invariant[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const out: Invariant[] = [];
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);
  try {
    const unbalanced = await count(`SELECT count(*) AS n FROM (SELECT transaction_id, currency FROM ledger_entries GROUP BY 1, 2 HAVING sum(amount_minor) <> 0) x`);
    const txs = await count('SELECT count(*) AS n FROM ledger_transactions');
    const perCurrency = await db.query<{ currency: string; debits: string; credits: string }>(
      `SELECT currency, sum(amount_minor) FILTER (WHERE amount_minor > 0) AS debits, -sum(amount_minor) FILTER (WHERE amount_minor < 0) AS credits
         FROM ledger_entries GROUP BY currency ORDER BY currency`,
    );
    const currencyLines = perCurrency.rows.map((r) => `${r.currency} debits ${r.debits} = credits ${r.credits}`).join('; ');
    const currencyOk = perCurrency.rows.every((r) => r.debits === r.credits);
    out.push({ name: 'ledger balanced', ok: unbalanced === 0 && currencyOk && txs > 0, detail: `${txs} transactions, ${unbalanced} unbalanced; ${currencyLines}` });

    const clearing = await db.query<{ currency: string; ledger: string; expected: string }>(
      `WITH l AS (SELECT currency, sum(amount_minor) AS v FROM ledger_entries WHERE account = 'stripe_clearing' GROUP BY currency),
            p AS (SELECT currency, sum(amount_minor) AS v FROM payments GROUP BY currency),
            r AS (SELECT currency, sum(amount_minor) AS v FROM refunds WHERE status = 'SUCCEEDED' GROUP BY currency)
       SELECT c.currency, coalesce(l.v, 0) AS ledger, coalesce(p.v, 0) - coalesce(r.v, 0) AS expected
         FROM (SELECT currency FROM l UNION SELECT currency FROM p) c
         LEFT JOIN l USING (currency) LEFT JOIN p USING (currency) LEFT JOIN r USING (currency) ORDER BY 1`,
    );
    const paymentTx = await count(
      `SELECT count(*) AS n FROM payments p WHERE (SELECT count(*) FROM ledger_transactions t WHERE t.payment_id = p.id AND t.kind = 'PAYMENT') <> 1`,
    );
    const refundTx = await count(
      `SELECT count(*) AS n FROM refunds r WHERE r.status = 'SUCCEEDED' AND (SELECT count(*) FROM ledger_transactions t WHERE t.refund_id = r.id AND t.kind = 'REFUND') <> 1`,
    );
    out.push({
      name: 'ledger matches money moved',
      ok: clearing.rows.every((r) => r.ledger === r.expected) && paymentTx === 0 && refundTx === 0,
      detail:
        clearing.rows.map((r) => `${r.currency} stripe_clearing ${r.ledger} vs payments − refunds ${r.expected}`).join('; ') +
        `; payments without exactly one PAYMENT transaction: ${paymentTx}; succeeded refunds without exactly one REFUND transaction: ${refundTx}`,
    });

    const overlaps = await count(
      `SELECT count(*) AS n FROM legal_sessions a JOIN legal_sessions b
          ON a.lawyer_id = b.lawyer_id AND a.id < b.id AND tstzrange(a.start_at, a.end_at) && tstzrange(b.start_at, b.end_at)
       WHERE a.start_at IS NOT NULL AND b.start_at IS NOT NULL
         AND a.status NOT IN ('CANCELLED', 'EXPIRED') AND b.status NOT IN ('CANCELLED', 'EXPIRED')`,
    );
    const booked = await count(`SELECT count(*) AS n FROM legal_sessions WHERE start_at IS NOT NULL AND status NOT IN ('CANCELLED', 'EXPIRED')`);
    const everBooked = await count(`SELECT count(DISTINCT session_id) AS n FROM session_events WHERE to_status = 'SCHEDULED'`);
    out.push({ name: 'no double booking', ok: overlaps === 0, detail: `${overlaps} overlapping pairs among ${booked} sessions holding a time (${everBooked} sessions were ever scheduled)` });

    const paid = await count(`SELECT count(*) AS n FROM legal_sessions WHERE paid_at IS NOT NULL`);
    const paidWithoutOne = await count(
      `SELECT count(*) AS n FROM legal_sessions s WHERE s.paid_at IS NOT NULL
          AND (SELECT count(*) FROM payments p WHERE p.session_id = s.id AND p.amount_minor = s.price_minor AND p.currency = s.currency) <> 1`,
    );
    const paymentsWithoutPaid = await count(`SELECT count(*) AS n FROM payments p JOIN legal_sessions s ON s.id = p.session_id WHERE s.paid_at IS NULL`);
    const refundMismatch = await count(
      `SELECT count(*) AS n FROM payments p WHERE p.refunded_minor <> coalesce((SELECT sum(amount_minor) FROM refunds r WHERE r.payment_id = p.id AND r.status = 'SUCCEEDED'), 0)`,
    );
    const cancelledUnrefunded = await count(
      `SELECT count(*) AS n FROM legal_sessions s JOIN payments p ON p.session_id = s.id WHERE s.status = 'CANCELLED' AND p.refunded_minor <> p.amount_minor`,
    );
    out.push({
      name: 'every paid session has one payment',
      ok: paid > 0 && paidWithoutOne === 0 && paymentsWithoutPaid === 0 && refundMismatch === 0 && cancelledUnrefunded === 0,
      detail:
        `${paid} paid sessions; without exactly one payment of their price: ${paidWithoutOne}; payments of unpaid sessions: ${paymentsWithoutPaid}; ` +
        `payments whose refunded amount ≠ their succeeded refunds: ${refundMismatch}; cancelled (all with a full refund here) not fully refunded: ${cancelledUnrefunded}`,
    });

    const audit = await call('admin: audit verify', adminUser, 'GET', '/api/admin/audit/verify');
    const v = audit.body as { ok: boolean; checked: number; headSeq: number; firstBrokenSeq?: number; reason?: string };
    const gaps = await count(`SELECT count(*) AS n FROM (SELECT seq, lag(seq) OVER (ORDER BY seq) AS prev FROM audit_events) x WHERE prev IS NOT NULL AND seq <> prev + 1`);
    out.push({
      name: 'audit chain verifies',
      ok: audit.status === 200 && v.ok && gaps === 0 && v.checked === v.headSeq,
      detail: `GET /api/admin/audit/verify → ${audit.status} ok=${v?.ok} checked ${v?.checked} of head ${v?.headSeq}${v?.firstBrokenSeq ? `, first broken ${v.firstBrokenSeq} (${v.reason})` : ''}; seq gaps: ${gaps}`,
    });
  } finally {
    await db.end();
  }
  return out;
}

// ------------------------------------------------------------------ report

function printSteps(): void {
  const rows = [...steps.entries()].map(([name, s]) => {
    const sorted = [...s.ms].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    const statuses = [...s.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([st, n]) => `${st}×${n}`).join(' ');
    return [name, String(sorted.length), String(at(0.5)), String(at(0.99)), String(Math.round(sorted.at(-1) ?? 0)), statuses];
  });
  const header = ['step', 'count', 'p50 ms', 'p99 ms', 'max ms', 'statuses'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log('(waits — "paid", "completed" — are the time until the state is visible, polled every 100 ms)');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
