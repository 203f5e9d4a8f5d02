import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import Stripe from 'stripe';
import { TERMS_VERSION } from '@lm/domain';
import { STRIPE_API_VERSION } from '../../src/modules/payments/stripe/stripe-gateway';
import { createTestDatabase, type TestDatabase } from '../setup/test-database';
import { eventually } from '../support/eventually';
import { SseClient } from '../video/signalling-support';
import { Receiver } from '../webhooks/receiver';

const root = resolve(__dirname, '..', '..', '..', '..');
const WEBHOOK_SECRET = `whsec_replicas_${randomBytes(12).toString('hex')}`;

/** One built API process (`node apps/api/dist/main.js`) and what it printed. */
class Replica {
  output = '';
  private child?: ChildProcess;

  /** Chosen free when the spec starts (a fixed port could be taken by a dev server or a parallel run). */
  port = 0;

  constructor(readonly name: string) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(env: NodeJS.ProcessEnv, readyWhen: string): Promise<void> {
    const child = spawn(process.execPath, ['apps/api/dist/main.js'], { cwd: root, env: { ...env, PORT: String(this.port) } });
    this.child = child;
    child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    await eventually(() => this.output.includes(readyWhen) || child.exitCode !== null, Boolean, 150_000);
    if (!this.output.includes(readyWhen)) throw new Error(`replica ${this.name} did not start:\n${this.output}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    // A shutdown that hangs must not leave the process behind: killed after 20 s.
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
  }
}

/** A port nobody listens on now (the system's choice for a throwaway listener). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/** A local round-robin load balancer: each request goes to the next replica in turn. */
class RoundRobin {
  readonly served: Record<string, number> = {};
  private next = 0;
  private server?: Server;

  constructor(private readonly replicas: Replica[]) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const target = this.replicas[this.next++ % this.replicas.length]!;
      this.served[target.name] = (this.served[target.name] ?? 0) + 1;
      const upstream = httpRequest(
        { host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        res.statusCode = 502;
        res.end();
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }
}

interface Res<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

async function call<T = Record<string, unknown>>(
  base: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${base}/api${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/**
 * Issue 18, "Two replicas": two API processes (the built entry point) on one PostgreSQL, behind
 * a local round-robin, both running background workers. What one process would guarantee still
 * holds: limits are counted once (login failures, an API key's budget, a @Throttle'd route),
 * a Stripe event delivered to both at once is applied once, every queued job and outbound
 * webhook runs once, every-minute cron jobs are not doubled, and a signal posted to one replica
 * reaches a stream held by the other.
 */
describe('two API replicas on one database behind a round-robin', () => {
  let db: TestDatabase;
  let sql: Client;
  let dataDir: string;
  const a = new Replica('A');
  const b = new Replica('B');
  const lb = new RoundRobin([a, b]);
  let rr: string;
  const receiver = new Receiver();
  let startedAt = 0;

  beforeAll(async () => {
    // The built entry point, rebuilt only when its sources changed (as the PUBLIC_URL spec does).
    const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs', '--only', 'api'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
    });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    a.port = await freePort();
    b.port = await freePort();
    db = await createTestDatabase();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    await receiver.start();
    // One blob directory for both, as replicas share a volume (or S3).
    dataDir = mkdtempSync(join(tmpdir(), 'lm-replicas-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SERVE_WEB: 'false',
      PUBLIC_URL: `http://localhost:${a.port}`,
      JWT_SECRET: `replicas-spec-${randomBytes(24).toString('hex')}`,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
      BOOKING_MIN_NOTICE_HOURS: '0',
      JOBS_ENABLED: 'true',
    };
    for (const unset of [
      'HOST',
      'STRIPE_SECRET_KEY',
      'STRIPE_SANDBOX',
      'SMTP_URL',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_API_KEY_SID',
      'TWILIO_API_KEY_SECRET',
      'TWILIO_AUTH_TOKEN',
      'THROTTLE_LIMIT',
    ])
      delete env[unset];
    // A seeds the demo (accounts and a video call open now); B starts on the seeded database.
    startedAt = Date.now();
    await a.start({ ...env, DEMO_SEED: 'true' }, 'DEMO ACCOUNTS');
    await b.start({ ...env, DEMO_SEED: 'false' }, 'LexMarket is up');
    rr = await lb.start();
  }, 420_000);

  afterAll(async () => {
    await lb.stop();
    await Promise.all([a.stop(), b.stop()]);
    await receiver.stop();
    await sql?.end();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  function demoCredentials(role: string): { email: string; password: string } {
    const line = a.output.split('\n').find((l) => new RegExp(`^\\|\\s+${role}\\s`).test(l));
    if (!line) throw new Error(`no ${role} in the banner:\n${a.output}`);
    const [, email, password] = line.replace(/^\|\s*|\s*\|$/g, '').split(/\s{3,}/);
    return { email: email!, password: password! };
  }

  async function signIn(credentials: { email: string; password: string }, base = rr): Promise<string> {
    const res = await call<{ accessToken: string }>(base, '/auth/login', { body: credentials });
    if (res.status !== 200) throw new Error(`sign-in ${credentials.email}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken;
  }

  const rows = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await sql.query(text, values)).rows as T[];

  /** New client accounts registered through the round-robin, e-mail verified through the link they were sent. */
  async function registeredClients(n: number, tag: string): Promise<{ email: string; password: string; token: string }[]> {
    const password = 'a long enough password 1';
    const emails = Array.from({ length: n }, (_, i) => `${tag}-${i}-${randomBytes(3).toString('hex')}@example.com`);
    for (const email of emails) {
      const res = await call(rr, '/auth/register', {
        body: { email, password, displayName: `Replica ${tag}`, role: 'CLIENT', acceptedTermsVersion: TERMS_VERSION },
      });
      expect(res.status).toBe(201);
    }
    // Each verification e-mail is a job; with both replicas' workers polling, each is captured exactly once.
    const outbox = await eventually(
      () =>
        rows<{ to: string; status: string; attempts: number; body: string }>(
          `SELECT to_address::text AS to, status, attempts, body_text AS body FROM email_outbox WHERE to_address = ANY($1)`,
          [emails],
        ),
      (r) => r.length === n && r.every((m) => m.status === 'CAPTURED'),
      60_000,
    );
    expect(outbox.map((m) => m.attempts)).toEqual(emails.map(() => 1));
    const clients = [];
    for (const email of emails) {
      const body = outbox.find((m) => m.to === email)!.body;
      const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(body)?.[1];
      if (!token) throw new Error(`no verification link in ${body}`);
      expect((await call(rr, '/auth/verify-email', { body: { token } })).status).toBe(204);
      clients.push({ email, password, token: await signIn({ email, password }) });
    }
    return clients;
  }

  it('runs on two processes that each serve requests and run workers', async () => {
    for (let i = 0; i < 4; i++) expect((await call(rr, '/health')).status).toBe(200);
    expect(lb.served.A).toBeGreaterThan(0);
    expect(lb.served.B).toBeGreaterThan(0);
    const workers = await rows<{ n: number }>(
      `SELECT count(DISTINCT pid)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'lm-jobs'`,
      [db.name],
    );
    // pg-boss keeps a pool per process: more than one process means more than one backend pool.
    expect(workers[0]!.n).toBeGreaterThanOrEqual(2);
  });

  it('counts failed sign-ins once across replicas: the 6th wrong password for one account and network is refused (429)', async () => {
    const [victim] = await registeredClients(1, 'login');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call(rr, '/auth/login', { body: { email: victim!.email, password: `wrong password ${i}` } })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Refused on both: the limit lives in the database, not in whichever process counted.
    expect((await call(a.base, '/auth/login', { body: { email: victim!.email, password: victim!.password } })).status).toBe(429);
    expect((await call(b.base, '/auth/login', { body: { email: victim!.email, password: victim!.password } })).status).toBe(429);
  }, 60_000);

  it("shares an API key's budget: with 5 per minute, the 6th request through the round-robin is 429 RATE_LIMITED", async () => {
    const [owner] = await registeredClients(1, 'apikey');
    const created = await call<{ key: string }>(rr, '/api-keys', {
      token: owner!.token,
      body: { name: 'replicas', scopes: ['profile:read'], rateLimitPerMinute: 5 },
    });
    expect(created.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call(rr, '/auth/me', { token: created.body.key })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await call<{ code: string }>(rr, '/auth/me', { token: created.body.key });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
  }, 60_000);

  it("shares a @Throttle'd route's limit (password-reset requests: 10 per minute per address), not 10 per replica", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await call(rr, '/auth/password-reset/request', { body: { email: `nobody-${i}@example.com` } })).status);
    expect(statuses.slice(0, 10).every((s) => s < 400)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('applies one Stripe event delivered to both replicas at once exactly once (one event row, one payment, one ledger posting); every outbound webhook is delivered once', async () => {
    const lawyerToken = await signIn(demoCredentials('LAWYER'));
    const lawyer = await call<{ id: string }>(rr, '/auth/me', { token: lawyerToken });
    // The lawyer's endpoint, on a receiver; both replicas' webhook workers are polling.
    const endpoint = await call<{ id: string }>(rr, '/webhooks/endpoints', {
      token: lawyerToken,
      body: { url: receiver.url('/replicas'), eventTypes: ['session.paid'] },
    });
    expect(endpoint.status).toBe(201);
    const profile = await call<{ offerings: { id: string }[] }>(rr, `/lawyers/${lawyer.body.id}`);
    const offeringId = profile.body.offerings[0]!.id;

    const clients = await registeredClients(4, 'pay');
    const sessionIds: string[] = [];
    for (const client of clients) {
      const checkout = await call<{ sessionId: string }>(rr, '/checkout/create-session', {
        token: client.token,
        body: { offeringId },
      });
      expect(checkout.status).toBe(201);
      sessionIds.push(checkout.body.sessionId);
    }
    const before = await rows<{ events: number; payments: number; postings: number }>(
      `SELECT (SELECT count(*)::int FROM stripe_events) AS events, (SELECT count(*)::int FROM payments) AS payments,
              (SELECT count(*)::int FROM ledger_transactions WHERE kind = 'PAYMENT') AS postings`,
    );

    for (const sessionId of sessionIds) {
      const [s] = await rows<{
        cs: string;
        client_id: string;
        lawyer_id: string;
        offering_id: string;
        price_minor: string;
        currency: string;
      }>(
        `SELECT stripe_checkout_session_id AS cs, client_id, lawyer_id, offering_id, price_minor, currency FROM legal_sessions WHERE id = $1`,
        [sessionId],
      );
      const now = Math.floor(Date.now() / 1000);
      const event = {
        id: `evt_replicas_${randomBytes(12).toString('hex')}`,
        object: 'event',
        api_version: STRIPE_API_VERSION,
        created: now,
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'checkout.session.completed',
        data: {
          object: {
            id: s!.cs,
            object: 'checkout.session',
            amount_subtotal: Number(s!.price_minor),
            amount_total: Number(s!.price_minor),
            client_reference_id: sessionId,
            created: now,
            currency: s!.currency.toLowerCase(),
            customer: 'cus_replicas',
            expires_at: now + 3600,
            livemode: false,
            metadata: { sessionId, clientId: s!.client_id, lawyerId: s!.lawyer_id, offeringId: s!.offering_id },
            mode: 'payment',
            payment_intent: `pi_replicas_${randomBytes(10).toString('hex')}`,
            payment_status: 'paid',
            status: 'complete',
            url: null,
          },
        },
      };
      const payload = JSON.stringify(event);
      const deliver = (base: string) =>
        call(base, '/webhooks/stripe', {
          body: payload,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
          },
        });
      // Stripe retries, and two replicas may each get a copy: four concurrent deliveries, two per replica.
      const answers = await Promise.all([deliver(a.base), deliver(b.base), deliver(a.base), deliver(b.base)]);
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await rows(`SELECT 1 FROM stripe_events WHERE id = $1`, [event.id])).length).toBe(1);
      expect((await rows(`SELECT 1 FROM payments WHERE session_id = $1`, [sessionId])).length).toBe(1);
      expect(
        (await rows(`SELECT 1 FROM ledger_transactions WHERE session_id = $1 AND kind = 'PAYMENT'`, [sessionId])).length,
      ).toBe(1);
      const [{ status } = { status: '' }] = await rows<{ status: string }>(`SELECT status FROM legal_sessions WHERE id = $1`, [
        sessionId,
      ]);
      expect(status).toBe('PAID');
    }
    const after = await rows<{ events: number; payments: number; postings: number }>(
      `SELECT (SELECT count(*)::int FROM stripe_events) AS events, (SELECT count(*)::int FROM payments) AS payments,
              (SELECT count(*)::int FROM ledger_transactions WHERE kind = 'PAYMENT') AS postings`,
    );
    expect({
      events: after[0]!.events - before[0]!.events,
      payments: after[0]!.payments - before[0]!.payments,
      postings: after[0]!.postings - before[0]!.postings,
    }).toEqual({
      events: 4,
      payments: 4,
      postings: 4,
    });

    // One session.paid per session reaches the receiver, once, though both replicas' workers deliver.
    const received = () =>
      receiver
        .at('/replicas')
        .map((r) => JSON.parse(r.body) as { id: string; type: string; data: { session?: { id: string }; sessionId?: string } });
    await eventually(
      () => received().length,
      (n) => n >= 4,
      60_000,
    );
    await eventually(
      () => rows<{ status: string }>(`SELECT d.status FROM webhook_deliveries d WHERE d.endpoint_id = $1`, [endpoint.body.id]),
      (r) => r.length === 4 && r.every((d) => d.status === 'DELIVERED'),
      30_000,
    );
    // A duplicate would arrive while the other worker's copy is in flight: give any second copy time to land.
    await new Promise((r) => setTimeout(r, 3_000));
    const events = received();
    expect(events.length).toBe(4);
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
    expect(events.every((e) => e.type === 'session.paid')).toBe(true);
  }, 180_000);

  it('relays a video signal posted through replica A to the stream the other participant holds on replica B', async () => {
    const sessionId = /\/sessions\/([0-9a-f-]{36}), Join/.exec(a.output)?.[1];
    if (!sessionId) throw new Error(`no open demo call in the banner:\n${a.output}`);
    const client = await signIn(demoCredentials('CLIENT'), a.base);
    const lawyer = await signIn(demoCredentials('LAWYER'), b.base);
    const clientJoin = await call<{ identity: string }>(a.base, `/sessions/${sessionId}/video/join`, {
      token: client,
      body: { recordingConsent: false },
    });
    const lawyerJoin = await call<{ identity: string }>(b.base, `/sessions/${sessionId}/video/join`, {
      token: lawyer,
      body: { recordingConsent: false },
    });
    expect([clientJoin.status, lawyerJoin.status]).toEqual([200, 200]);
    const lawyerOnB = await SseClient.open(b.base, sessionId, lawyer);
    const clientOnA = await SseClient.open(a.base, sessionId, client);
    try {
      expect([lawyerOnB.status, clientOnA.status]).toEqual([200, 200]);
      await lawyerOnB.waitFor((c) => c.ready);
      await clientOnA.waitFor((c) => c.ready);
      const offer = await call<{ id: string }>(a.base, `/sessions/${sessionId}/video/signals`, {
        token: client,
        body: { type: 'offer', data: { sdp: 'posted to A' } },
      });
      expect(offer.status).toBe(202);
      const answer = await call<{ id: string }>(b.base, `/sessions/${sessionId}/video/signals`, {
        token: lawyer,
        body: { type: 'answer', data: { sdp: 'posted to B' } },
      });
      expect(answer.status).toBe(202);
      await lawyerOnB.waitFor(
        (c) => c.fromPeer.length,
        (n) => n >= 1,
      );
      await clientOnA.waitFor(
        (c) => c.fromPeer.length,
        (n) => n >= 1,
      );
      expect(lawyerOnB.fromPeer).toEqual([
        { id: offer.body.id, from: clientJoin.body.identity, type: 'offer', data: { sdp: 'posted to A' } },
      ]);
      expect(clientOnA.fromPeer).toEqual([
        { id: answer.body.id, from: lawyerJoin.body.identity, type: 'answer', data: { sdp: 'posted to B' } },
      ]);
    } finally {
      lawyerOnB.close();
      clientOnA.close();
    }
  }, 60_000);

  it('runs an every-minute cron job once per minute though both replicas schedule it', async () => {
    // pg-boss: each process's cron monitor may fire a tick; a tick is a `__pgboss__send-it` job,
    // a singleton per minute slot, and its worker (on either process) enqueues the real job once.
    const ticks = () =>
      rows<{ slot: string; n: number }>(
        `SELECT singleton_on AS slot, count(*)::int AS n
           FROM (SELECT singleton_on, data FROM pgboss.job WHERE name = '__pgboss__send-it'
                 UNION ALL SELECT singleton_on, data FROM pgboss.archive WHERE name = '__pgboss__send-it') j
          WHERE data->>'name' = 'webhooks.retry-sweep' GROUP BY 1 ORDER BY 1`,
      );
    const runs = async () =>
      (
        await rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM (SELECT id FROM pgboss.job WHERE name = 'webhooks.retry-sweep'
                                           UNION ALL SELECT id FROM pgboss.archive WHERE name = 'webhooks.retry-sweep') j`,
        )
      )[0]!.n;
    // Both processes have been up for a while by now; wait for two ticks if the suite was quick.
    await eventually(ticks, (r) => r.length >= 2, 150_000);
    // Every tick that has been handed on (give the latest one its few seconds).
    const slots = await eventually(
      async () => ({ ticks: await ticks(), runs: await runs() }),
      (v) => v.runs === v.ticks.length,
      30_000,
    );
    expect(slots.ticks.map((tick) => tick.n)).toEqual(slots.ticks.map(() => 1));
    // One real job per minute slot, never more, and no more slots than minutes the replicas have run.
    expect(slots.runs).toBe(slots.ticks.length);
    expect(slots.runs).toBeLessThanOrEqual(Math.ceil((Date.now() - startedAt) / 60_000) + 1);
  }, 180_000);
});
