/**
 * `npm run bench`: runs each scenario against the real app (built, in its own process) and
 * against a bare Fastify + pg baseline doing the same work, in the same run on the same
 * database, and prints throughput/latency and the app/baseline ratios.
 *
 * Bounded: BENCH_DURATION seconds per server per scenario (default 10), BENCH_CONNECTIONS
 * concurrent connections (default 20), loopback only. BENCH_DATABASE_URL uses an existing
 * server instead of an embedded one. Scenarios that need data seed it in their setup (the
 * marketplace: BENCH_LAWYERS, default 2,000, and BENCH_SESSIONS, default 200,000; reused on the
 * next run), and each scenario first checks that both servers give the same 2xx answer (the same
 * status: 200, or 201 where a request creates something).
 * BENCH_ONLY=<text>[,<text>…] runs only the scenarios whose name contains one of them (e.g. BENCH_ONLY=health,twilio).
 * BENCH_ONLY=contracts runs the in-process contracts bench alone (rendering and sealing an executed
 * contract PDF, documents per second per core against a plain pdfkit baseline; contracts-bench.ts),
 * without starting the servers. BENCH_ONLY=e2ee runs the in-process @lm/e2ee bench alone (record and
 * attachment encrypt/decrypt MB/s next to raw WebCrypto AES-256-GCM; e2ee-crypto.ts).
 * BENCH_ONLY=blobs runs the in-process blob bench alone (the encrypting
 * BlobStore against the raw filesystem and in-memory drivers: put, get and ranged get in MB/s and
 * their ratio; blobs-bench.ts).
 * BENCH_ONLY=webhooks runs the in-process webhook fan-out bench alone (the built app with its
 * delivery workers on a fresh `bench_webhooks` database: BENCH_WEBHOOK_EVENTS events, default 100,
 * each to 10 endpoints of one user on a local receiver that verifies every signature; events/s and
 * deliveries/s until all are delivered, next to a bare loop posting the same bodies signed with
 * node:crypto HMAC at the worker's concurrency; webhooks-bench.ts).
 * The reviews scenarios (BENCH_ONLY=reviews) seed 10k then 1M reviews (BENCH_REVIEWS) and run
 * BENCH_REVIEWS_DURATION seconds each (default 6); see reviews-scenarios.ts. The finance scenarios
 * (BENCH_ONLY=payouts) seed a ledger of 10k then 1M entries (BENCH_LEDGER_ENTRIES sets the larger;
 * seed-ledger.ts) and measure GET /api/partner/reports (12 months by month) and GET
 * /api/admin/payouts/pending at each size, BENCH_LEDGER_DURATION seconds each (default 12) with
 * BENCH_LEDGER_CONNECTIONS connections (default 4); PASS when each keeps its req/s within ±20 %
 * from 10k to 1M; see payouts-scenarios.ts. BENCH_ONLY=messaging runs the end-to-end encrypted
 * messaging scenarios: sending a message (pre-sealed with @lm/e2ee, BENCH_MESSAGING_MESSAGES per
 * server, each sent once) and a page of 50 from a conversation of BENCH_MESSAGING_HISTORY messages
 * (default 500); the report decrypts stored rows as the recipient; see messaging-scenarios.ts. Scenarios of one
 * `interleave` group are measured in BENCH_ROUNDS alternating slices (default 6), so that a
 * change of the machine's load (other processes) weighs on all of them alike.
 */
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres, freePort } from '../src/database/embedded-postgres';
import { initKeyRingFile } from '../src/modules/storage/blob-key-ring';
import { BLOB_BENCHES } from './blobs-bench';
import { LOCAL_BENCHES } from './contracts-bench';
import { E2EE_BENCHES } from './e2ee-crypto';
import { SCENARIOS, type RequestStream } from './scenarios';
import { BENCH_TWILIO } from './video-scenarios';
import { WEBHOOK_BENCHES } from './webhooks-bench';

const root = resolve(__dirname, '..', '..', '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
/** Slices per scenario of an interleaved group (BENCH_ROUNDS, default 6: one-second slices of a 6-second run). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
const silent = { log: () => undefined, warn: () => undefined, error: (m: unknown) => console.error(m) };

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
  seconds: number;
  latencies: number[];
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.toLowerCase().split(',').filter(Boolean);
  const picked = (name: string) => !only || only.some((part) => name.toLowerCase().includes(part));
  // In-process benches (the contracts PDF path) need no servers: run them first, and alone when only they are selected.
  for (const bench of [...LOCAL_BENCHES, ...E2EE_BENCHES, ...BLOB_BENCHES, ...WEBHOOK_BENCHES].filter((b) => picked(b.name))) console.log((await bench.run()).join('\n') + '\n');
  const selected = SCENARIOS.filter((scenario) => picked(scenario.name));
  if (selected.length === 0) return;
  const dataDir = join(root, '.data', 'bench');
  mkdirSync(join(dataDir, 'blobs'), { recursive: true });
  // Production with a database needs a configured blob key ring: one kept with the bench's data, reused by later runs.
  const blobKeyRing = join(dataDir, 'blob-master-keys');
  initKeyRingFile(blobKeyRing);
  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) {
    embedded = new EmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: await freePort(), logger: silent });
    await embedded.start();
    const c = new Client({ connectionString: embedded.url('postgres') });
    await c.connect();
    const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = 'bench'");
    if (exists.rowCount === 0) await c.query('CREATE DATABASE bench');
    await c.end();
    databaseUrl = embedded.url('bench');
  }
  const children: ChildProcess[] = [];
  try {
    const appPort = await freePort();
    const basePort = await freePort();
    children.push(
      await startProcess(process.execPath, [join(root, 'apps/api/dist/main.js')], appPort, {
        PORT: String(appPort),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        NODE_ENV: 'production',
        BLOB_MASTER_KEYS_FILE: blobKeyRing,
        LOG_LEVEL: 'warn',
        SERVE_WEB: 'false',
        THROTTLE_LIMIT: '100000000',
        // Twilio Video (fake credentials; the video scenarios seed their rooms, so nothing calls Twilio).
        ...BENCH_TWILIO,
        // No Stripe key here: the sandbox, deliberately (production refuses it otherwise).
        STRIPE_SANDBOX: 'true',
        // An API-only process (pg-boss in send-only mode, as on a web replica): the workers' polling and the
        // 15-minute next-available sweep (up to 5,000 lawyers on a reused, stale seed) would otherwise fire at
        // random moments inside the measured seconds. BENCH_JOBS=true measures with them running.
        JOBS_ENABLED: process.env.BENCH_JOBS === 'true' ? 'true' : 'false',
      }),
    );
    children.push(
      await startProcess(
        process.execPath,
        [join(root, 'node_modules/tsx/dist/cli.mjs'), join(__dirname, 'baseline-server.ts'), String(basePort), databaseUrl, join(dataDir, 'blobs')],
        basePort,
        { ...BENCH_TWILIO },
      ),
    );
    const appUrl = `http://127.0.0.1:${appPort}`;
    const baseUrl = `http://127.0.0.1:${basePort}`;
    console.log(`Bench: ${DURATION}s per run, ${CONNECTIONS} connections, app ${appUrl} vs baseline ${baseUrl}\n`);
    const rows: string[][] = [];
    const notes: string[] = [];
    for (let i = 0; i < selected.length; ) {
      // Consecutive scenarios of one `interleave` group are measured in alternating slices (see Scenario.interleave).
      const group = selected[i]!.interleave;
      let end = i + 1;
      while (group && end < selected.length && selected[end]!.interleave === group) end++;
      const members = selected.slice(i, end);
      i = end;
      const prepared = [];
      for (const scenario of members) {
        const ctx = { appUrl, databaseUrl };
        const vars = (await scenario.setup?.(ctx)) ?? {};
        const path = typeof scenario.path === 'function' ? scenario.path(vars) : scenario.path;
        // Scenarios with bodies get one request stream per server, shared by the check, the warm-up and the run.
        const streams = scenario.request ? { app: scenario.request(vars, 'app'), baseline: scenario.request(vars, 'baseline') } : undefined;
        // Both must answer the same 2xx with the same JSON before their speed means anything.
        await sameAnswer(scenario.name, scenario.method, appUrl + path, baseUrl + path, streams, scenario.canonical);
        // Warm both (JIT, pools), then measure one after the other so they never compete.
        await load(appUrl + path, scenario.method, 2, streams?.app, scenario.connections);
        await load(baseUrl + path, scenario.method, 2, streams?.baseline, scenario.connections);
        prepared.push({ scenario, ctx, vars, path, streams, app: [] as Result[], base: [] as Result[] });
      }
      const rounds = members.length > 1 ? ROUNDS : 1;
      for (let round = 0; round < rounds; round++) {
        for (const p of prepared) {
          const seconds = (p.scenario.duration ?? DURATION) / rounds;
          p.app.push(await load(appUrl + p.path, p.scenario.method, seconds, p.streams?.app, p.scenario.connections));
          p.base.push(await load(baseUrl + p.path, p.scenario.method, seconds, p.streams?.baseline, p.scenario.connections));
        }
      }
      for (const { scenario, ctx, vars, streams, ...measured } of prepared) {
        const app = merge(measured.app);
        const base = merge(measured.base);
        rows.push([
          scenario.name,
          fmt(app.rps),
          fmt(base.rps),
          `${(app.rps / base.rps).toFixed(2)}x`,
          `${app.p50} / ${app.p99}`,
          `${base.p50} / ${base.p99}`,
          `${(app.p99 / Math.max(base.p99, 1)).toFixed(2)}x`,
          String(app.errors + app.non2xx + base.errors + base.non2xx),
        ]);
        if (scenario.report) notes.push(...(await scenario.report(ctx, vars, { app: app.rps, baseline: base.rps }, streams, { app, baseline: base })));
      }
    }
    console.log('');
    printTable(['scenario', 'app req/s', 'baseline req/s', 'throughput ratio', 'app p50/p99 ms', 'baseline p50/p99 ms', 'p99 ratio', 'errors'], rows);
    if (notes.length) console.log('\n' + notes.join('\n'));
    if (notes.some((n) => n.startsWith('FAIL'))) process.exitCode = 1;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await embedded?.stop();
  }
}

function load(url: string, method: 'GET' | 'POST', duration: number, stream?: RequestStream, connections = CONNECTIONS): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const requests = stream
      ? [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, ...stream.next() }) }]
      : undefined;
    const latencies: number[] = [];
    const instance = autocannon({ url, method, duration, connections, ...(requests ? { requests } : {}) } as autocannon.Options, (err, r) => {
      if (err) return reject(err);
      resolvePromise({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        errors: r.errors,
        non2xx: r.non2xx,
        requests: r.requests.total,
        seconds: r.duration,
        latencies,
      });
    });
    // Like autocannon's own histogram, only 2xx answers count in the latencies (kept to merge interleaved slices).
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/** One run's result, or the slices of an interleaved run as one: requests ÷ seconds, percentiles of all latencies. */
function merge(slices: Result[]): Result {
  if (slices.length === 1) return slices[0]!;
  const latencies = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!) : 0);
  const sum = (f: (s: Result) => number) => slices.reduce((total, s) => total + f(s), 0);
  return {
    rps: sum((s) => s.requests) / sum((s) => s.seconds),
    p50: at(0.5),
    p99: at(0.99),
    errors: sum((s) => s.errors),
    non2xx: sum((s) => s.non2xx),
    requests: sum((s) => s.requests),
    seconds: sum((s) => s.seconds),
    latencies,
  };
}

/**
 * Fails unless the app and the baseline both answer the same 2xx status with equal JSON bodies (after
 * `canonical`, for answers that legitimately differ, e.g. freshly signed tokens) and the same
 * cache-control.
 */
async function sameAnswer(
  name: string,
  method: string,
  appUrl: string,
  baseUrl: string,
  streams?: { app: RequestStream; baseline: RequestStream },
  canonical: (body: unknown) => unknown = (body) => body,
): Promise<void> {
  const send = (url: string, stream?: RequestStream) => {
    if (!stream) return fetch(url, { method });
    const r = stream.next();
    return fetch(new URL(r.path, url).toString(), { method: r.method, headers: r.headers, body: r.body });
  };
  const [app, base] = await Promise.all([send(appUrl, streams?.app), send(baseUrl, streams?.baseline)]);
  const [appBody, baseBody] = await Promise.all([app!.text(), base!.text()]);
  // 2xx and the same status from both (201 for a created message); anything else is a failed check.
  if (app!.status !== base!.status || app!.status < 200 || app!.status >= 300)
    throw new Error(`${name}: app answered ${app!.status}, baseline ${base!.status}\napp: ${appBody.slice(0, 500)}\nbaseline: ${baseBody.slice(0, 500)}`);
  // uptimeSeconds (health) is the one field that legitimately differs between the two processes.
  const normal = (body: string) => JSON.stringify(canonical(JSON.parse(body)), (k, v: unknown) => (k === 'uptimeSeconds' ? undefined : v));
  if (normal(appBody) !== normal(baseBody))
    throw new Error(`${name}: the app and the baseline answer differently\napp: ${appBody.slice(0, 500)}\nbaseline: ${baseBody.slice(0, 500)}`);
  if (app!.headers.get('cache-control') !== base!.headers.get('cache-control'))
    throw new Error(`${name}: cache-control differs (app ${app!.headers.get('cache-control')}, baseline ${base!.headers.get('cache-control')})`);
  console.log(`${name}: both ${app!.status}, same ${appBody.length.toLocaleString('en-US')}-character body`);
}

/** Starts a server process and resolves once its GET /api/health answers 200. */
async function startProcess(cmd: string, args: string[], port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}:\n${output.slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`${args.join(' ')} not healthy after 60 s:\n${output.slice(-2000)}`);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  console.log('\nthroughput ratio = app req/s ÷ baseline req/s (1.00x = framework adds nothing); p99 ratio = app p99 ÷ baseline p99.');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
