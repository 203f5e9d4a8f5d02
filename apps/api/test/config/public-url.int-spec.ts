import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TERMS_VERSION } from '@lm/domain';
import { eventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../setup/test-database';

const root = resolve(__dirname, '..', '..', '..', '..');
const PORT = 4100;
const ORIGIN = `http://localhost:${PORT}`;
const API = `http://127.0.0.1:${PORT}/api`;

/**
 * Issue 11, found item 1: started with only PORT set (no PUBLIC_URL, no HOST), every link the
 * app hands out — checkout URL and its return, referral link, calendar file, emails — leads to
 * the port it serves, not to a default 3000. The real entry point, on a real database.
 */
describe('PUBLIC_URL defaults to the served address (real entry point, PORT=4100)', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let stdout = '';
  let dataDir: string;

  beforeAll(async () => {
    // The built entry point (tsx cannot emit the decorator metadata Nest injects by); built
    // only when its sources changed since the last build (a no-op after `npm start`/`npm run build`).
    const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs', '--only', 'api'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'lm-public-url-'));
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(PORT), DATABASE_URL: db.url, DEMO_SEED: 'true', DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'info', SERVE_WEB: 'false' };
    for (const unset of ['PUBLIC_URL', 'HOST', 'STRIPE_SECRET_KEY', 'STRIPE_SANDBOX', 'SMTP_URL']) delete env[unset];
    child = spawn(process.execPath, ['apps/api/dist/main.js'], { cwd: root, env });
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await eventually(() => stdout.includes('DEMO ACCOUNTS') || child.exitCode !== null, Boolean, 90_000);
    if (!stdout.includes('DEMO ACCOUNTS')) throw new Error(`the app did not start:\n${stdout}`);
  }, 360_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  function password(role: string): { email: string; password: string } {
    const line = stdout.split('\n').find((l) => new RegExp(`^\\|\\s+${role}\\s`).test(l));
    if (!line) throw new Error(`no ${role} in the banner:\n${stdout}`);
    const [, email, pw] = line.replace(/^\|\s*|\s*\|$/g, '').split(/\s{3,}/);
    return { email: email!, password: pw! };
  }

  async function signIn(role: string): Promise<string> {
    const res = await fetch(`${API}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(password(role)) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  async function call<T>(token: string, path: string, init: RequestInit = {}): Promise<T> {
    const res = await fetch(`${API}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (res.headers.get('content-type') ?? '').includes('json') ? ((await res.json()) as T) : ((await res.text()) as T);
  }

  /** Every absolute http(s) link in a text. */
  const links = (text: string): string[] => text.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];

  it('says at start-up where links lead', () => {
    expect(stdout).toContain(`LexMarket is up: ${ORIGIN}`);
    expect(stdout).toContain(`use ${ORIGIN} (PUBLIC_URL unset: derived from PORT/HOST)`);
    expect(stdout).toContain(`Sign in at ${ORIGIN}`);
  });

  it('gives referral, checkout, payment-return, calendar and email links on port 4100', async () => {
    const partner = await signIn('PARTNER');
    const referral = await call<{ url: string }>(partner, '/partner/referral-link');
    expect(referral.url.startsWith(`${ORIGIN}/sign-up?ref=`)).toBe(true);

    const client = await signIn('CLIENT');
    const directory = await call<{ items: { id: string }[] }>(client, '/lawyers');
    const lawyer = await call<{ offerings: { id: string }[] }>(client, `/lawyers/${directory.items[0]!.id}`);
    const checkout = await call<{ sessionId: string; checkoutUrl: string }>(client, '/checkout/create-session', {
      method: 'POST',
      body: JSON.stringify({ offeringId: lawyer.offerings[0]!.id }),
    });
    expect(checkout.checkoutUrl.startsWith(`${ORIGIN}/api/sandbox/checkout/`)).toBe(true);

    // "Pay" on the sandbox's page: the browser is sent back to the app's success URL.
    const paid = await fetch(checkout.checkoutUrl.replace(ORIGIN, `http://127.0.0.1:${PORT}`) + '/pay', { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBeGreaterThanOrEqual(300);
    expect(paid.status).toBeLessThan(400);
    expect(paid.headers.get('location')!.startsWith(`${ORIGIN}/`)).toBe(true);

    await eventually(async () => (await call<{ status: string }>(client, `/sessions/${checkout.sessionId}`)).status, (s) => s === 'PAID', 20_000);
    const slots = await call<{ slots: { startAt: string }[] }>(client, `/sessions/${checkout.sessionId}/slots`);
    await call(client, '/sessions/schedule', { method: 'POST', body: JSON.stringify({ sessionId: checkout.sessionId, startAt: slots.slots[0]!.startAt }) });
    const ics = await call<string>(client, `/sessions/${checkout.sessionId}/calendar.ics`);
    const icsLinks = links(ics.replace(/\r\n[ \t]/g, ''));
    expect(icsLinks.length).toBeGreaterThan(0);
    for (const link of icsLinks) expect(link.startsWith(`${ORIGIN}/`)).toBe(true);

    // A sign-up sends a verification email; every email so far links to port 4100 only.
    const signUp = await fetch(`${API}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'port-check@example.com', password: 'a long enough password 1', displayName: 'Port Check', role: 'CLIENT', acceptedTermsVersion: TERMS_VERSION }),
    });
    expect(signUp.status).toBe(201);
    const admin = await signIn('ADMIN');
    // Bodies are shown once the outbox job has captured the message (no SMTP here).
    const outbox = await eventually(
      () => call<{ items: { status: string; body: string | null }[] }>(admin, '/admin/outbox?pageSize=100'),
      (page) => page.items.length > 0 && page.items.every((m) => m.status === 'CAPTURED'),
      // The demo seed queues a few dozen emails (its sessions, the open demo call) ahead of ours.
      60_000,
    );
    const emailLinks = outbox.items.flatMap((m) => links(m.body ?? ''));
    expect(emailLinks.length).toBeGreaterThan(0);
    for (const link of emailLinks) expect(link.startsWith(`${ORIGIN}/`)).toBe(true);
    expect(stdout).not.toContain('localhost:3000');
  }, 150_000);
});
