/**
 * Webhook fan-out scenario of `npm run bench` (issue 17, Done when 7). BENCH_ONLY=webhooks runs it
 * alone (no HTTP servers of run.ts).
 *
 * The app (the production build, `createApp` from apps/api/dist, in this process, with its pg-boss
 * workers running, WEBHOOKS_ALLOW_PRIVATE_URLS=true) on a fresh database `bench_webhooks` (of
 * BENCH_DATABASE_URL's server, else an embedded PostgreSQL in .data/bench/pg-webhooks). One user
 * with 10 endpoints (registered through WebhookEndpointsService, the API's service) on a local
 * receiver (node:http on 127.0.0.1, one path per endpoint) that checks every signature with the
 * endpoint's secret and counts distinct event ids per endpoint. BENCH_WEBHOOK_EVENTS events
 * (default 100; the app delivers about 10 a second, see the report) are emitted through WebhookEvents.emit, each in its own transaction (as the
 * modules do), BENCH_WEBHOOK_EMITTERS at a time (default 4); the clock runs from the first emit
 * until the receiver has all N×10 deliveries and the database says every delivery is DELIVERED.
 *
 * The baseline: a bare loop that signs the same N×10 bodies the app stored (node:crypto
 * HMAC-SHA256, the same header format) and POSTs them to the same receiver with the same
 * concurrency as the app's delivery worker (one pg-boss worker, batches of 10 sent one after the
 * other: 1 request at a time) and a fresh connection per request, as the app's pinned-address
 * delivery opens. Figures: events/s (an event = its 10 deliveries) and deliveries/s; the ratio is
 * app / baseline.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres, freePort } from '../src/database/embedded-postgres';
import type { LocalBench } from './contracts-bench';

const EVENTS = Math.max(1, Number(process.env.BENCH_WEBHOOK_EVENTS ?? 100));
const EMITTERS = Math.max(1, Number(process.env.BENCH_WEBHOOK_EMITTERS ?? 4));
const ENDPOINTS = 10;
/** Give up after this long (a broken delivery path must not hang the bench). */
const TIMEOUT_MS = Math.max(10_000, Number(process.env.BENCH_WEBHOOK_TIMEOUT_MS ?? 600_000));

const root = resolve(__dirname, '..', '..', '..');
const dist = join(__dirname, '..', 'dist');
const silent = { log: () => undefined, warn: () => undefined, error: (m: unknown) => console.error(m) };

/** The production build (`npm run bench` builds it first): tsx cannot load the decorated classes from source. */
function built() {
  return {
    ...(require(join(dist, 'bootstrap')) as typeof import('../src/bootstrap')),
    ...(require(join(dist, 'config/app-config')) as typeof import('../src/config/app-config')),
    ...(require(join(dist, 'modules/webhooks')) as typeof import('../src/modules/webhooks')),
    ...(require(
      join(dist, 'modules/webhooks/webhook-endpoints.service'),
    ) as typeof import('../src/modules/webhooks/webhook-endpoints.service')),
    ...(require(join(dist, 'modules/identity/password-hasher')) as typeof import('../src/modules/identity/password-hasher')),
    typeorm: require(require.resolve('typeorm', { paths: [dist] })) as typeof import('typeorm'),
  };
}

/** Counts distinct event ids per endpoint path; a request whose signature does not verify is an error. */
class Receiver {
  readonly seen = new Map<string, Set<string>>();
  received = 0;
  badSignatures = 0;
  secrets = new Map<string, string>();
  private server?: Server;
  private waiters: { target: number; resolve: () => void }[] = [];
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '';
        if (!this.verified(path, body, String(req.headers['lexmarket-signature'] ?? ''))) {
          this.badSignatures++;
          res.statusCode = 400;
          return void res.end('bad signature');
        }
        const id = String(req.headers['lexmarket-event-id']);
        let ids = this.seen.get(path);
        if (!ids) this.seen.set(path, (ids = new Set()));
        if (!ids.has(id)) {
          ids.add(id);
          this.received++;
        }
        res.statusCode = 200;
        res.end('ok');
        this.waiters = this.waiters.filter((w) => (this.received >= w.target ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
  }

  reset(): void {
    this.seen.clear();
    this.received = 0;
    this.badSignatures = 0;
  }

  until(target: number): Promise<void> {
    if (this.received >= target) return Promise.resolve();
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`webhooks bench: ${this.received}/${target} deliveries after ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
      this.waiters.push({ target, resolve: () => (clearTimeout(timer), resolvePromise()) });
    });
  }

  private verified(path: string, body: string, header: string): boolean {
    const secret = this.secrets.get(path);
    const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
    if (!secret || !t) return false;
    const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
    return [...header.matchAll(/v1=([0-9a-f]+)/g)].some((m) => {
      const got = Buffer.from(m[1]!);
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** One signed POST on a fresh connection; resolves with the status code. */
function post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolvePromise(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function database(): Promise<{ url: string; stop: () => Promise<void> }> {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (!serverUrl) {
    const dataDir = join(root, '.data', 'bench', 'pg-webhooks');
    embedded = new EmbeddedPostgres({ dataDir, port: await freePort(), logger: silent });
    await embedded.start();
    serverUrl = embedded.url('postgres');
  }
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  await c.query('DROP DATABASE IF EXISTS bench_webhooks WITH (FORCE)');
  await c.query('CREATE DATABASE bench_webhooks');
  await c.end();
  const url = new URL(serverUrl);
  url.pathname = '/bench_webhooks';
  return { url: url.toString(), stop: async () => void (await embedded?.stop()) };
}

async function run(): Promise<string[]> {
  const b = built();
  const db = await database();
  const dataDir = mkdtempSync(join(tmpdir(), 'lm-bench-webhooks-'));
  const receiver = new Receiver();
  await receiver.start();
  const config = b.loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    SERVE_WEB: 'false',
    DATA_DIR: dataDir,
    JOBS_ENABLED: 'true',
    WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
    THROTTLE_LIMIT: '100000000',
  });
  const app = await b.createApp(config, db.url);
  await app.init();
  try {
    const sql = app.get(b.typeorm.DataSource);
    const [user] = (await sql.query(
      `INSERT INTO users (email, password_hash, role, status, display_name, email_verified_at)
       VALUES ('bench-webhooks@example.test', $1, 'LAWYER', 'ACTIVE', 'Bench Lawyer', now()) RETURNING id`,
      [await app.get(b.PasswordHasher).hash(randomBytes(24).toString('base64url'))],
    )) as { id: string }[];
    const actor = { id: user!.id, role: 'LAWYER' } as Parameters<InstanceType<typeof b.WebhookEndpointsService>['create']>[0];
    const endpoints = app.get(b.WebhookEndpointsService);
    for (let i = 0; i < ENDPOINTS; i++) {
      const path = `/e${i}`;
      const { secret } = await endpoints.create(actor, {
        url: `http://127.0.0.1:${receiver.port}${path}`,
        eventTypes: ['session.paid'],
      });
      receiver.secrets.set(path, secret);
    }
    const events = app.get(b.WebhookEvents);
    const total = EVENTS * ENDPOINTS;
    const data = (n: number) => ({
      session: {
        id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        status: 'PAID',
        role: 'LAWYER',
        startAt: null,
        endAt: null,
        durationMinutes: 60,
        offering: { title: 'Initial consultation' },
        price: { amountMinor: 9000, currency: 'EUR' },
        counterpart: { displayName: 'Bench Client' },
        paidAt: new Date().toISOString(),
        cancelledAt: null,
        completedAt: null,
      },
    });

    // The app: emit N events (each fans out to the 10 endpoints), until all N×10 are received and DELIVERED.
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: EMITTERS }, async () => {
        for (let n = next++; n < EVENTS; n = next++) {
          await sql.transaction((m) =>
            events.emit(m, { type: 'session.paid', occurredAt: new Date(), recipients: [{ userId: user!.id, data: data(n) }] }),
          );
        }
      }),
    );
    const emittedMs = performance.now() - start;
    await receiver.until(total);
    for (;;) {
      const [{ n }] = (await sql.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'DELIVERED'`)) as {
        n: number;
      }[];
      if (n >= total) break;
      if (performance.now() - start > TIMEOUT_MS) throw new Error(`webhooks bench: ${n}/${total} deliveries DELIVERED`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const appMs = performance.now() - start;
    const appBad = receiver.badSignatures;
    const perEndpoint = [...receiver.seen.values()].map((s) => s.size);
    if (perEndpoint.length !== ENDPOINTS || perEndpoint.some((c) => c !== EVENTS) || appBad > 0)
      throw new Error(`webhooks bench: per endpoint ${perEndpoint.join(',')}, bad signatures ${appBad}`);

    // The baseline: the same stored bodies, signed with node:crypto and posted one at a time.
    const rows = (await sql.query(
      `SELECT ev.id, ev.body, e.url, e.secret FROM webhook_deliveries d
         JOIN webhook_events ev ON ev.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id
        ORDER BY d.created_at, d.id`,
    )) as { id: string; body: string; url: string; secret: string }[];
    receiver.reset();
    const baseStart = performance.now();
    for (const r of rows) {
      const t = Math.floor(Date.now() / 1000);
      const v1 = createHmac('sha256', r.secret).update(`${t}.${r.body}`).digest('hex');
      const status = await post(new URL(r.url), r.body, {
        'content-type': 'application/json',
        'lexmarket-signature': `t=${t},v1=${v1}`,
        'lexmarket-event-id': r.id,
        'lexmarket-event-type': 'session.paid',
      });
      if (status !== 200) throw new Error(`webhooks bench baseline: ${status}`);
    }
    await receiver.until(total);
    const baseMs = performance.now() - baseStart;

    const row = (name: string, ms: number) => [
      name,
      String(EVENTS),
      String(total),
      (ms / 1000).toFixed(2),
      (EVENTS / (ms / 1000)).toFixed(1),
      (total / (ms / 1000)).toFixed(1),
    ];
    const table = [
      ['variant', 'events', 'deliveries', 'seconds', 'events/s', 'deliveries/s'],
      row('app: emit + pg-boss delivery', appMs),
      row('baseline: signed POST loop', baseMs),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    const lines = table.map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    );
    lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
    return [
      `Webhook fan-out: ${EVENTS} events × ${ENDPOINTS} endpoints of one user, local receiver (every signature verified, each event id once per endpoint)`,
      ...lines,
      `ratio app/baseline: ${(baseMs / appMs).toFixed(2)}x (deliveries/s); the app's emits took ${(emittedMs / 1000).toFixed(2)} s of its total (${EMITTERS} emitters, one transaction per event)`,
    ];
  } finally {
    await app.close();
    await receiver.stop();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const WEBHOOK_BENCHES: LocalBench[] = [{ name: 'webhooks', run }];
