import { isJurisdictionCode, isLanguageCode, ROLES } from '@lm/domain';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import {
  demoAccountsBanner,
  DemoSeeder,
  DEMO_DIRECTORY_DOMAIN,
  DEMO_EMAIL_DOMAIN,
  type DemoSeedOutcome,
  type DemoLiveCall,
  type DemoSessions,
} from '../../src/modules/demo/demo-seeder.service';
import type { DemoHistory, DemoNoShowCase } from '../../src/modules/demo/demo-cases.service';
import { stripeFakeEnv } from '../factories/payments';
import { bearer, createUser, login } from '../factories/users';
import { startStripeFake } from '../payments/stripe-fake-server';
import { DemoClock } from '../../src/modules/demo/demo-clock';
import type { DemoFinanceHistory } from '../../src/modules/demo/demo-finance.service';
import type { DemoContracts } from '../../src/modules/demo/demo-contracts.service';
import type { DemoMessaging } from '../../src/modules/demo/demo-messaging.service';
import type { DemoIntegrations } from '../../src/modules/demo/demo-integrations.service';
import { createHttpTransport, E2eeClient, isUnreadable, MemoryKeyStore, type DecryptedMessage } from '@lm/e2ee';
import { createTestApp, TestApp } from '../setup/test-app';

describe('demo seed: when it runs', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['embedded mode (no DATABASE_URL)', {}, true],
    ['embedded mode with DEMO_SEED=false', { DEMO_SEED: 'false' }, false],
    ['an external database', { DATABASE_URL: 'postgres://app@db.internal/lexmarket' }, false],
    [
      'production with an external database',
      { DATABASE_URL: 'postgres://app@db.internal/lexmarket', NODE_ENV: 'production' },
      false,
    ],
    [
      'an external database with DEMO_SEED=true',
      { DATABASE_URL: 'postgres://app@db.internal/lexmarket', DEMO_SEED: 'true' },
      true,
    ],
  ])('%s', (_label, env, enabled) => {
    expect(loadConfig(env).demoSeedEnabled).toBe(enabled);
  });
});

/**
 * Sessions (each paid once) the first start seeds: 3 of the booking demo, the open call, 11
 * reviewed past sessions, the one to review, the reported no-show, the no-show case and the 7
 * of the partner's referred clients in the last three months (one cancelled and refunded).
 */
const SEEDED_PAYMENTS = 3 + 1 + 11 + 1 + 1 + 1 + 7;

describe('demo seed: an empty database in embedded mode', () => {
  let t: TestApp;
  let ds: DataSource;

  beforeAll(async () => {
    // The test app connects to its own database; config without DATABASE_URL = embedded mode,
    // with the demo server's clock (main.ts), which the seeder sets back to write the past months.
    t = await createTestApp({}, [], { clock: new DemoClock() });
    ds = t.app.get(DataSource);
    // As in main.ts, the seeder runs once the app listens (createTestApp listens): the demo
    // sessions are paid on the local Stripe sandbox this process serves, and its "Pay" delivers
    // the webhook over HTTP.
  });
  let created: Extract<DemoSeedOutcome, { kind: 'created' }>;
  afterAll(async () => {
    await t?.close();
  });

  it('creates one verified account per role once, each able to sign in; a second start reports them without passwords', async () => {
    // Two processes starting together: the advisory lock lets one seed and the other report.
    const outcomes = await Promise.all([t.app.get(DemoSeeder).run(), t.app.get(DemoSeeder).run()]);
    created = outcomes.find((o) => o.kind === 'created') as Extract<DemoSeedOutcome, { kind: 'created' }>;
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['created', 'existing']);
    expect(created.accounts.map((a) => a.role)).toEqual(['ADMIN', 'CLIENT', 'LAWYER', 'PARTNER']);
    // The four role accounts, four verified directory lawyers, one waiting for verification,
    // five past clients who wrote the history's reviews and two clients the partner referred
    // (passwords never printed).
    expect(await ds.query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 16 }]);
    expect(
      await ds.query(`SELECT count(*)::int AS n FROM users WHERE role = 'LAWYER' AND email LIKE '%@${DEMO_DIRECTORY_DOMAIN}'`),
    ).toEqual([{ n: 5 }]);
    // The pending lawyer has a complete profile and a licence document (a PDF) for the admin's review.
    const pending = await ds.query(
      `SELECT p.status, p.licence_content_type, p.licence_key FROM lawyer_profiles p JOIN users u ON u.id = p.user_id WHERE u.email = $1`,
      [`tomas.novak@${DEMO_DIRECTORY_DOMAIN}`],
    );
    expect(pending).toEqual([
      {
        status: 'PENDING_VERIFICATION',
        licence_content_type: 'application/pdf',
        licence_key: expect.stringMatching(/^lawyer-licences\//),
      },
    ]);

    for (const account of created.accounts) {
      expect(account.email).toBe(`${account.role.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`);
      expect(account.password.length).toBeGreaterThanOrEqual(16);
      const { accessToken } = await login(t, account);
      const me = await request(t.server).get('/api/auth/me').set(bearer(accessToken)).expect(200);
      expect(me.body).toMatchObject({ email: account.email, role: account.role, status: 'ACTIVE', emailVerified: true });
    }
    expect(new Set(created.accounts.map((a) => a.password)).size).toBe(ROLES.length);
    // Only hashes are kept; the demo addresses get no sign-up email (they are reserved and
    // verified). Besides the demo sessions' messages, contracts, reviews and support (checked below) the only
    // messages are the real flow's "you are verified" to each demo lawyer (the demo lawyer and
    // the four directory lawyers), in-app and in the outbox, and the real flow's notice of the
    // API key the demo partner's reporting tool was given.
    const hashes: { password_hash: string }[] = await ds.query('SELECT password_hash FROM users');
    for (const a of created.accounts) expect(JSON.stringify(hashes)).not.toContain(a.password);
    expect(
      await ds.query(
        `SELECT count(*)::int AS n FROM email_outbox
          WHERE template NOT LIKE 'session.%' AND template NOT LIKE 'review.%' AND template NOT LIKE 'support.%'
            AND template NOT LIKE 'payout.%' AND template NOT LIKE 'statement.%' AND template NOT LIKE 'contract.%'
            AND template <> 'refund.succeeded' AND template <> 'message.received'`,
      ),
    ).toEqual([{ n: 6 }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM email_outbox WHERE template = 'lawyer.verified'`)).toEqual([{ n: 5 }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM email_outbox WHERE template = 'security.api_key_created'`)).toEqual([{ n: 1 }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'lawyer.verified'`)).toEqual([{ n: 5 }]);
    expect(
      await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'user.created' AND actor_id IS NULL`),
    ).toEqual([{ n: 16 }]);

    // The demo lawyer is verified (by the demo admin, audited) and visible to anyone; the
    // partner has a referral link to share.
    const lawyer = (await ds.query(`SELECT id FROM users WHERE email = $1`, [`lawyer@${DEMO_EMAIL_DOMAIN}`]))[0].id as string;
    const profile = await request(t.server).get(`/api/lawyers/${lawyer}`).expect(200);
    expect(profile.body.practiceAreas).toEqual(expect.arrayContaining(['employment']));
    expect(profile.body.timeZone).toBe('America/New_York');
    expect(profile.body.offerings.map((o: { currency: string }) => o.currency)).toEqual(['USD', 'USD']);
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'lawyer.verified'`)).toEqual([{ n: 5 }]);

    // A directory to walk the booking flow with: five verified lawyers in different zones and
    // currencies, each with offerings and free slots in the next two weeks.
    const directory = await request(t.server).get('/api/lawyers').query({ sort: 'newest' }).expect(200);
    expect(directory.body.total).toBe(5);
    const zones = new Set<string>();
    const currencies = new Set<string>();
    for (const item of directory.body.items as { id: string }[]) {
      const lawyerProfile = await request(t.server).get(`/api/lawyers/${item.id}`).expect(200);
      zones.add(lawyerProfile.body.timeZone);
      for (const o of lawyerProfile.body.offerings as { currency: string }[]) currencies.add(o.currency);
      const slots = await request(t.server)
        .get(`/api/lawyers/${item.id}/slots`)
        .query({ offeringId: lawyerProfile.body.offerings[0].id })
        .expect(200);
      expect(slots.body.slots.length).toBeGreaterThan(0);
      // The public profile's preview of free times, and places and languages from the lists (shown by name).
      const preview = await request(t.server)
        .get(`/api/lawyers/${item.id}/free-times`)
        .query({ offeringId: lawyerProfile.body.offerings[0].id })
        .expect(200);
      expect(preview.body.slots.length).toBeGreaterThan(0);
      expect((lawyerProfile.body.jurisdictions as string[]).every(isJurisdictionCode)).toBe(true);
      expect((lawyerProfile.body.languages as string[]).every(isLanguageCode)).toBe(true);
    }
    expect([...zones].sort()).toEqual(['America/New_York', 'Asia/Tokyo', 'Europe/Berlin', 'Europe/Madrid']);
    expect([...currencies].sort()).toEqual(['EUR', 'JPY', 'USD']);
    const partner = created.accounts.find((a) => a.role === 'PARTNER')!;
    const link = await request(t.server)
      .get('/api/partner/referral-link')
      .set(bearer((await login(t, partner)).accessToken))
      .expect(200);
    expect(link.body.url).toMatch(/\/sign-up\?ref=[0-9A-Z]{8}$/);

    const again = await t.app.get(DemoSeeder).run();
    // A later start reports the accounts, the same open demo call and the same no-show case (not new ones).
    expect(again).toEqual({
      kind: 'existing',
      accounts: created.accounts.map(({ role, email }) => ({ role, email })),
      liveCall: created.liveCall,
      noShowCase: created.noShowCase,
    });
    expect(await ds.query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 16 }]);
    expect(await ds.query('SELECT count(*)::int AS n FROM legal_sessions')).toEqual([{ n: SEEDED_PAYMENTS }]);

    const firstBanner = demoAccountsBanner(created, 'http://localhost:3000')!;
    for (const a of created.accounts) {
      const line = firstBanner.split('\n').find((l) => l.includes(a.email));
      expect(line).toContain(a.role);
      expect(line).toContain(a.password);
    }
    expect(firstBanner).toContain('http://localhost:3000');
    expect(firstBanner).toContain('Demo sessions of the client with the lawyer (all paid): 1 to book, 1 booked,');
    expect(
      demoAccountsBanner(
        { ...created, sessions: { kind: 'skipped', reason: 'a real STRIPE_SECRET_KEY is configured' } },
        'http://localhost:3000',
      ),
    ).toContain('No demo sessions: a real STRIPE_SECRET_KEY is configured.');
    const laterBanner = demoAccountsBanner(again, 'http://localhost:3000')!;
    expect(laterBanner).toContain('already exist');
    for (const a of created.accounts) {
      expect(laterBanner).toContain(a.email);
      expect(laterBanner).not.toContain(a.password);
    }
  });

  it('seeds the demo client sessions with the demo lawyer through the real flows: to book, scheduled, and a proposed new time', async () => {
    expect(created.sessions).toEqual({
      kind: 'seeded',
      toBook: expect.any(String),
      scheduled: expect.any(String),
      proposal: expect.any(String),
    });
    const ids = created.sessions as Extract<DemoSessions, { kind: 'seeded' }>;
    const account = (role: string) => created.accounts.find((a) => a.role === role)!;
    const client = (await login(t, account('CLIENT'))).accessToken;
    const lawyer = (await login(t, account('LAWYER'))).accessToken;
    const admin = (await login(t, account('ADMIN'))).accessToken;

    // My sessions: the paid one and the one with a proposal need the client (a session with a
    // time to answer is not "upcoming" for them); the lawyer has all three ahead.
    const view = async (token: string, v: string) =>
      (
        (await request(t.server).get('/api/sessions').query({ view: v }).set(bearer(token)).expect(200)).body.items as {
          id: string;
        }[]
      )
        .map((s) => s.id)
        .sort();
    expect(await view(client, 'action')).toEqual([ids.toBook, ids.proposal].sort());
    const live = (created.liveCall as Extract<DemoLiveCall, { kind: 'open' }>).sessionId;
    const noShow = (created.noShowCase as Extract<DemoNoShowCase, { kind: 'open' }>).sessionId;
    const history = created.history as Extract<DemoHistory, { kind: 'seeded' }>;
    expect(await view(client, 'upcoming')).toEqual([ids.scheduled, live, noShow].sort());
    expect(await view(client, 'past')).toContain(history.toReview);
    expect(await view(lawyer, 'upcoming')).toEqual([ids.toBook, ids.scheduled, ids.proposal, live].sort());

    const detail = async (id: string, token = client) =>
      (await request(t.server).get(`/api/sessions/${id}`).set(bearer(token)).expect(200)).body;
    const toBook = await detail(ids.toBook);
    expect(toBook).toMatchObject({
      status: 'PAID',
      startAt: null,
      clientTimeZone: 'Europe/Madrid',
      lawyerTimeZone: 'America/New_York',
    });
    expect(toBook.payment).toMatchObject({ amountMinor: 12_000, currency: 'USD', refundedMinor: 0 });
    const now = t.clock.now().getTime();
    const scheduled = await detail(ids.scheduled);
    expect(scheduled.status).toBe('SCHEDULED');
    expect(new Date(scheduled.startAt).getTime()).toBeGreaterThanOrEqual(now + 3 * 86_400_000);
    expect(scheduled.payment).toMatchObject({ amountMinor: 5_000, currency: 'USD' });
    // Booked inside the lawyer's hours, which are in the lawyer's zone (09:00-17:00 New York, weekdays).
    const ny = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      weekday: 'short',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    const nyParts = (iso: string) => Object.fromEntries(ny.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
    for (const iso of [scheduled.startAt]) {
      const p = nyParts(iso);
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(p.weekday);
      expect(Number(p.hour)).toBeGreaterThanOrEqual(9);
      expect(Number(p.hour)).toBeLessThan(17);
    }
    // The lawyer's open proposal: the session keeps its time until the client answers.
    const proposal = await detail(ids.proposal);
    expect(proposal.status).toBe('SCHEDULED');
    expect(new Date(proposal.proposedStartAt).getTime()).toBeGreaterThanOrEqual(
      new Date(proposal.startAt).getTime() + 86_400_000,
    );
    const p = nyParts(proposal.proposedStartAt);
    expect(Number(p.hour)).toBeGreaterThanOrEqual(9);
    expect(Number(p.hour)).toBeLessThan(17);
    expect(proposal.events.map((e: { action: string }) => e.action).sort()).toEqual([
      'checkout_attached',
      'create',
      'pay',
      'reschedule_proposed',
      'schedule',
    ]);
    // Both sides see the same sessions.
    expect((await detail(ids.proposal, lawyer)).proposedStartAt).toBe(proposal.proposedStartAt);

    // Paid the way a real checkout is: a verified webhook event per payment, a balanced ledger.
    // (The reconciliation job may also have fetched a checkout whose webhook was still on its way:
    // the same payment, recorded once.)
    const events: { type: string; source: string; n: number }[] = await ds.query(
      `SELECT type, source, count(*)::int AS n FROM stripe_events GROUP BY type, source`,
    );
    expect(events.find((e) => e.source === 'webhook' && e.type === 'checkout.session.completed')).toEqual({
      type: 'checkout.session.completed',
      source: 'webhook',
      n: SEEDED_PAYMENTS,
    });
    // Besides: the partner history's refund, confirmed by Stripe's refund events.
    expect(events.filter((e) => e.source === 'webhook' && e.type !== 'checkout.session.completed').map((e) => e.type)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(charge\.refunded|refund\.\w+|charge\.refund\.updated)$/)]),
    );
    expect(events.filter((e) => e.source !== 'webhook').map((e) => [e.type, e.source])).toEqual(
      events.filter((e) => e.source !== 'webhook').map(() => ['checkout.session.completed', 'reconciliation']),
    );
    expect(await ds.query('SELECT count(*)::int AS n FROM payments')).toEqual([{ n: SEEDED_PAYMENTS }]);
    const ledger: { currency: string; total: number; transactions: number }[] = await ds.query(
      `SELECT currency, sum(amount_minor)::int AS total, count(DISTINCT transaction_id)::int AS transactions FROM ledger_entries GROUP BY currency`,
    );
    expect(ledger.map((l) => l.total)).toEqual(ledger.map(() => 0));
    // A transaction per payment, plus the partner history's refund and three payouts.
    expect(ledger.reduce((n, l) => n + l.transactions, 0)).toBe(SEEDED_PAYMENTS + 1 + 3);
    const balances = (await request(t.server).get('/api/admin/ledger/balances').set(bearer(admin)).expect(200)).body.items as {
      account: string;
      balanceMinor: number;
    }[];
    expect(balances.reduce((sum, b) => sum + Number(b.balanceMinor), 0)).toBe(0);
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'session.reschedule_proposed'`)).toEqual([
      { n: 1 },
    ]);

    // Both sides were told (in-app; the outbox has the same messages): the client about the
    // payments, bookings and the proposed time; the lawyer about the new bookings.
    const kinds = async (token: string) =>
      ((await request(t.server).get('/api/notifications').set(bearer(token)).expect(200)).body.items as { kind: string }[]).map(
        (n) => n.kind,
      );
    const clientKinds = await kinds(client);
    expect(clientKinds).toEqual(expect.arrayContaining(['session.paid', 'session.scheduled', 'session.reschedule_proposed']));
    const lawyerKinds = await kinds(lawyer);
    expect(lawyerKinds).toEqual(expect.arrayContaining(['session.scheduled']));
    expect(await ds.query(`SELECT count(*)::int AS n FROM email_outbox WHERE template LIKE 'session.%'`)).not.toEqual([{ n: 0 }]);

    // A later start seeds nothing again.
    expect(await t.app.get(DemoSeeder).run()).toMatchObject({ kind: 'existing' });
    expect(await ds.query('SELECT count(*)::int AS n FROM legal_sessions')).toEqual([{ n: SEEDED_PAYMENTS }]);
    expect(await ds.query('SELECT count(*)::int AS n FROM payments')).toEqual([{ n: SEEDED_PAYMENTS }]);
  });

  it('seeds the demo contracts through the contracts services: one executed (verifiable), one awaiting the client, one draft', async () => {
    const ids = created.contracts as Extract<DemoContracts, { kind: 'seeded' }>;
    expect(ids).toEqual({ kind: 'seeded', executed: expect.any(String), sent: expect.any(String), draft: expect.any(String) });
    const sessions = created.sessions as Extract<DemoSessions, { kind: 'seeded' }>;
    const account = (role: string) => created.accounts.find((a) => a.role === role)!;
    const client = (await login(t, account('CLIENT'))).accessToken;
    const lawyer = (await login(t, account('LAWYER'))).accessToken;
    const get = async (id: string, token: string) =>
      (await request(t.server).get(`/api/contracts/${id}`).set(bearer(token)).expect(200)).body;

    const executed = await get(ids.executed, client);
    expect(executed).toMatchObject({
      status: 'EXECUTED',
      sessionId: sessions.scheduled,
      executed: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(executed.parties.map((p: { name: string; signedAt: string | null }) => [p.name, p.signedAt !== null])).toEqual([
      ['Demo Lawyer', true],
      ['Demo Client', true],
    ]);
    const verified = await request(t.server).get(`/api/verify/${executed.executed.sha256}`).expect(200);
    expect(verified.body.matches).toEqual([
      { kind: 'contract', executedAt: expect.any(String), parties: 2, auditSeq: executed.executed.auditSeq },
    ]);

    const sent = await get(ids.sent, client);
    expect(sent).toMatchObject({ status: 'SENT', sessionId: sessions.toBook, allowedActions: { view: true, sign: true } });
    const toSign = await request(t.server).get('/api/contracts').query({ view: 'to_sign' }).set(bearer(client)).expect(200);
    expect(toSign.body.items.map((c: { id: string }) => c.id)).toEqual([ids.sent]);

    expect(await get(ids.draft, lawyer)).toMatchObject({ status: 'DRAFT', allowedActions: { edit: true, send: true } });
    await request(t.server).get(`/api/contracts/${ids.draft}`).set(bearer(client)).expect(404);
    // The messages of the flow: "please sign" twice, "signed" to the lawyer, "executed" to both.
    expect(
      await ds.query(
        `SELECT template, count(*)::int AS n FROM email_outbox WHERE template LIKE 'contract.%' GROUP BY 1 ORDER BY 1`,
      ),
    ).toEqual([
      { template: 'contract.executed', n: 2 },
      { template: 'contract.sign_requested', n: 2 },
      { template: 'contract.signed', n: 1 },
    ]);
    expect(demoAccountsBanner(created, 'http://localhost:4100')).toContain('http://localhost:4100/contracts');
  });

  it('seeds an encrypted conversation of the client and lawyer that only the printed recovery codes unlock', async () => {
    const seeded = created.messaging as Extract<DemoMessaging, { kind: 'seeded' }>;
    expect(seeded).toEqual({
      kind: 'seeded',
      conversationId: expect.any(String),
      messages: 4,
      clientRecoveryCode: expect.any(String),
      lawyerRecoveryCode: expect.any(String),
    });
    const sessions = created.sessions as Extract<DemoSessions, { kind: 'seeded' }>;
    const banner = demoAccountsBanner(created, 'http://localhost:4100')!;
    expect(banner).toContain('http://localhost:4100/messages');
    expect(banner).toContain(`client ${seeded.clientRecoveryCode}, lawyer ${seeded.lawyerRecoveryCode}`);

    // Each message told its recipient, who had read everything before it by writing: four emails, none with content.
    const emails = (await ds.query(`SELECT subject, body_text FROM email_outbox WHERE template = 'message.received'`)) as {
      subject: string;
      body_text: string;
    }[];
    expect(emails).toHaveLength(4);
    for (const e of emails) expect(`${e.subject} ${e.body_text}`).not.toMatch(/non-compete|timeline|termination/i);
    // The server holds ciphertext only; the seeding's devices are all revoked (their keys were in memory only).
    const stored = await ds.query(`SELECT ciphertext FROM conversation_messages WHERE conversation_id = $1`, [
      seeded.conversationId,
    ]);
    expect(stored).toHaveLength(4);
    for (const row of stored as { ciphertext: Buffer }[]) expect(row.ciphertext.includes(Buffer.from('non-compete'))).toBe(false);
    expect(await ds.query(`SELECT count(*)::int AS n FROM e2ee_devices WHERE revoked_at IS NULL`)).toEqual([{ n: 0 }]);

    // A new browser of each: locked until restored with that user's code; then it reads everything.
    const base = `http://127.0.0.1:${(t.server.address() as import('node:net').AddressInfo).port}`;
    const browserOf = async (role: 'CLIENT' | 'LAWYER') => {
      const account = created.accounts.find((a) => a.role === role)!;
      const token = (await login(t, account)).accessToken;
      const [{ id: userId }] = (await ds.query(`SELECT id FROM users WHERE email = $1`, [account.email])) as { id: string }[];
      return new E2eeClient({
        userId,
        transport: createHttpTransport({ baseUrl: base, getAccessToken: () => token }),
        store: new MemoryKeyStore(),
      });
    };
    const client = await browserOf('CLIENT');
    expect(await client.status()).toBe('needs-restore');
    await expect(client.restore(seeded.lawyerRecoveryCode, 'Wrong code')).rejects.toMatchObject({ code: 'WRONG_RECOVERY_CODE' });
    await client.restore(seeded.clientRecoveryCode, 'Client laptop');
    const chat = await client.conversation(seeded.conversationId);
    const { items } = await chat.history({ limit: 50 });
    const messages = items.filter((i): i is DecryptedMessage => !isUnreadable(i));
    expect(messages).toHaveLength(4);
    expect(messages.map((m) => m.text).reverse()[2]).toContain('non-compete clause');
    const withFile = messages.find((m) => m.attachments.length === 1)!;
    expect(withFile.attachments[0]).toMatchObject({ name: 'timeline.txt', type: 'text/plain' });
    expect(Buffer.from(await chat.downloadAttachment(withFile.attachments[0]!)).toString('utf8')).toContain('Termination letter');
    expect((await chat.readNotes(sessions.scheduled)).agenda?.text).toContain('non-compete clause');
    // The restored browser writes on (a new epoch for its new device), and the lawyer's restored browser reads it.
    await chat.send({ text: 'Thank you, see you at the session.' });
    const lawyer = await browserOf('LAWYER');
    await lawyer.restore(seeded.lawyerRecoveryCode, 'Lawyer office');
    const lawyerView = await (await lawyer.conversation(seeded.conversationId)).history({ limit: 50 });
    expect(lawyerView.items.filter((i) => !isUnreadable(i))).toHaveLength(5);
  });

  it("gives the partner a reports:read API key for the banner: it reads the partner's reports and nothing it is not scoped for", async () => {
    const seeded = created.integrations as Extract<DemoIntegrations, { kind: 'seeded' }>;
    expect(seeded).toEqual({ kind: 'seeded', partnerKey: expect.stringMatching(/^lmk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/) });
    expect(demoAccountsBanner(created, 'http://localhost:4100')).toContain(
      `curl -H "Authorization: Bearer ${seeded.partnerKey}" http://localhost:4100/api/partner/reports`,
    );
    await request(t.server).get('/api/partner/reports').set(bearer(seeded.partnerKey)).expect(200);
    const refused = await request(t.server).patch('/api/auth/me').set(bearer(seeded.partnerKey)).send({ displayName: 'Renamed' });
    expect([refused.status, refused.body.code]).toEqual([403, 'INSUFFICIENT_SCOPE']);
  });

  it('books a session whose video call is open now, paid like the others; both can join at once', async () => {
    expect(created.liveCall).toEqual({
      kind: 'open',
      sessionId: expect.any(String),
      startAt: expect.any(Date),
      endAt: expect.any(Date),
    });
    const live = created.liveCall as Extract<DemoLiveCall, { kind: 'open' }>;
    const now = t.clock.nowMs();
    expect(live.startAt.getTime() - now).toBeLessThanOrEqual(5 * 60_000);
    expect(live.endAt.getTime()).toBeGreaterThan(now + 20 * 60_000);
    const account = (role: string) => created.accounts.find((a) => a.role === role)!;
    for (const role of ['CLIENT', 'LAWYER']) {
      const token = (await login(t, account(role))).accessToken;
      const joined = await request(t.server)
        .post(`/api/sessions/${live.sessionId}/video/join`)
        .set(bearer(token))
        .send({ recordingConsent: true })
        .expect(200);
      expect(joined.body.room.myRole).toBe(role);
    }
    const session = await ds.query(`SELECT status FROM legal_sessions WHERE id = $1`, [live.sessionId]);
    expect(session).toEqual([{ status: 'IN_PROGRESS' }]);
    const banner = demoAccountsBanner(created, 'http://localhost:3000')!;
    expect(banner).toContain(`open http://localhost:3000/sessions/${live.sessionId}, Join.`);
    // While it is open, later starts keep it rather than booking another.
    expect(await t.app.get(DemoSeeder).run()).toMatchObject({
      kind: 'existing',
      liveCall: { kind: 'open', sessionId: live.sessionId },
    });
  });

  it('seeds a history through the real flows: ratings, a response, a reported review, a session to review, a no-show report and a support thread', async () => {
    expect(created.history).toEqual({
      kind: 'seeded',
      reviews: 11,
      toReview: expect.any(String),
      reportedNoShowTicket: expect.any(String),
    });
    const history = created.history as Extract<DemoHistory, { kind: 'seeded' }>;
    const account = (role: string) => created.accounts.find((a) => a.role === role)!;
    const [client, lawyer, admin] = await Promise.all(
      ['CLIENT', 'LAWYER', 'ADMIN'].map(async (r) => (await login(t, account(r))).accessToken),
    );
    const lawyerId = (await request(t.server).get('/api/auth/me').set(bearer(lawyer)).expect(200)).body.id as string;

    // The directory sorts by rating; the demo lawyer's 5, 4, 5, 3 average 4.25 over 4 public reviews.
    const directory = (await request(t.server).get('/api/lawyers').query({ sort: 'rating' }).expect(200)).body.items as {
      id: string;
      rating: { average: number | null; count: number };
    }[];
    expect(directory.filter((l) => l.rating.count > 0)).toHaveLength(5);
    expect(directory.find((l) => l.id === lawyerId)!.rating).toEqual({ average: 4.25, count: 4 });
    const rating = (await request(t.server).get(`/api/lawyers/${lawyerId}/rating`).expect(200)).body;
    expect(rating).toMatchObject({ count: 4, distribution: { '1': 0, '2': 0, '3': 1, '4': 1, '5': 2 } });
    const reviews = (await request(t.server).get(`/api/lawyers/${lawyerId}/reviews`).expect(200)).body.items as {
      response: { body: string } | null;
    }[];
    expect(reviews).toHaveLength(4);
    expect(reviews.filter((r) => r.response)).toHaveLength(1);
    const reported = (
      await request(t.server).get('/api/admin/reviews').query({ status: 'REPORTED' }).set(bearer(admin)).expect(200)
    ).body;
    expect(reported.total).toBe(1);

    // Yesterday's session: completed, the lawyer's review of the client in, the client's to write.
    const toReview = (await request(t.server).get(`/api/sessions/${history.toReview}/reviews`).set(bearer(client)).expect(200))
      .body;
    expect(toReview).toMatchObject({ canReview: true, mine: null, theirs: null, window: { state: 'OPEN' } });

    // The admin's support queue: the client's no-show report waiting, the billing question answered.
    const queue = (await request(t.server).get('/api/admin/support/tickets').set(bearer(admin)).expect(200)).body.items as {
      id: string;
      category: string;
      status: string;
    }[];
    expect(queue.map((q) => [q.category, q.status]).sort()).toEqual([
      ['BILLING', 'IN_PROGRESS'],
      ['NO_SHOW_LAWYER', 'OPEN'],
    ]);
    const billing = queue.find((q) => q.category === 'BILLING')!;
    const thread = (await request(t.server).get(`/api/support/tickets/${billing.id}`).set(bearer(client)).expect(200)).body;
    expect(thread.messages).toHaveLength(1);

    // The no-show case can be reported at once; once it is, the next start keeps a new one.
    const noShow = created.noShowCase as Extract<DemoNoShowCase, { kind: 'open' }>;
    expect(noShow.startAt.getTime()).toBeLessThanOrEqual(t.clock.nowMs());
    await request(t.server)
      .post('/api/support/tickets')
      .set(bearer(client))
      .send({ category: 'NO_SHOW_LAWYER', sessionId: noShow.sessionId, description: 'The lawyer never joined the call.' })
      .expect(201);
    const later = await t.app.get(DemoSeeder).run();
    expect(later).toMatchObject({ kind: 'existing', noShowCase: { kind: 'open' } });
    const next = (later as { noShowCase: Extract<DemoNoShowCase, { kind: 'open' }> }).noShowCase;
    expect(next.sessionId).not.toBe(noShow.sessionId);
    expect(next.startAt.getTime()).toBeLessThanOrEqual(t.clock.nowMs());
    expect(demoAccountsBanner(later, 'http://localhost:3000')).toContain(
      `open http://localhost:3000/sessions/${next.sessionId} and Report a problem`,
    );
  });

  it("seeds the partner's last three months through the real flows: referred clients, payments, a refund, payouts, statements", async () => {
    expect(created.finance).toEqual({
      kind: 'seeded',
      referred: 2,
      payments: 7,
      refunds: 1,
      payouts: 3,
      statements: expect.any(Number),
    });
    const finance = created.finance as Extract<DemoFinanceHistory, { kind: 'seeded' }>;
    const account = (role: string) => created.accounts.find((a) => a.role === role)!;
    const [partner, lawyer, admin] = await Promise.all(
      ['PARTNER', 'LAWYER', 'ADMIN'].map(async (r) => (await login(t, account(r))).accessToken),
    );

    // The postings carry the dates of the past months (business time set back), not today's.
    const months: { month: string }[] = await ds.query(
      `SELECT DISTINCT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month FROM ledger_transactions
        WHERE kind IN ('PAYMENT', 'REFUND', 'PAYOUT') AND created_at < date_trunc('month', now()) ORDER BY 1`,
    );
    expect(months.length).toBe(3);

    // The partner's dashboard: both referred clients signed up and converted; commission accrued
    // in two currencies, one reversed by the refund, paid out, and some pending again.
    const report = (await request(t.server).get('/api/partner/reports').set(bearer(partner)).expect(200)).body;
    expect(report.referrals.totals).toMatchObject({ clientsSignedUp: 2, clientsConverted: 2 });
    expect(report.funnel).toMatchObject({ signedUp: 2, converted: 2 });
    const byCurrency = new Map<string, { totals: Record<string, number> }>(
      report.currencies.map((c: { currency: string; totals: Record<string, number> }) => [c.currency, c]),
    );
    expect([...byCurrency.keys()].sort()).toEqual(['EUR', 'USD']);
    const totals = [...byCurrency.values()].map((c) => c.totals);
    expect(totals.every((x) => x.commissionAccruedMinor > 0 && x.paidOutMinor > 0)).toBe(true);
    expect(totals.some((x) => x.commissionReversedMinor > 0)).toBe(true);
    expect(totals.some((x) => x.pendingMinor > 0)).toBe(true);
    const payouts = (await request(t.server).get('/api/payouts').set(bearer(partner)).expect(200)).body;
    expect(payouts.total).toBe(2);

    // Monthly statements of the closed months, downloadable; the lawyer has earnings and statements too.
    const statements = (await request(t.server).get('/api/statements').set(bearer(partner)).expect(200)).body;
    expect(statements.total).toBeGreaterThanOrEqual(3);
    expect(finance.statements).toBeGreaterThanOrEqual(statements.total + 3);
    const pdf = await request(t.server)
      .get(`/api/statements/${statements.items[0].id}/file`)
      .query({ format: 'pdf' })
      .set(bearer(partner))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const earnings = (await request(t.server).get('/api/lawyer/earnings').set(bearer(lawyer)).expect(200)).body;
    const usd = earnings.currencies.find((c: { currency: string }) => c.currency === 'USD');
    expect(usd.totals.paidSessions).toBeGreaterThanOrEqual(4);
    expect(usd.totals.paidOutMinor).toBeGreaterThan(0);
    // Statements close on the payee's own month: in the first hours of a UTC month, the lawyer's
    // zone (west of UTC) may still be in the previous month, which is then not closed yet.
    expect((await request(t.server).get('/api/statements').set(bearer(lawyer)).expect(200)).body.total).toBeGreaterThanOrEqual(2);

    // The admin sees what is owed now (the lawyers' sessions since) and the ledger reconciles.
    const pending = (await request(t.server).get('/api/admin/payouts/pending').set(bearer(admin)).expect(200)).body;
    expect(pending.total).toBeGreaterThan(0);
    const reconciliation = (await request(t.server).get('/api/admin/ledger/reconciliation').set(bearer(admin)).expect(200)).body;
    expect(reconciliation.differences).toEqual([]);
  });
});

describe('demo seed: never into a database that has users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('adds nothing and prints nothing when real accounts exist', async () => {
    await createUser(t, { role: 'ADMIN' });
    const outcome = await t.app.get(DemoSeeder).run();
    expect(outcome).toEqual({ kind: 'skipped' });
    expect(demoAccountsBanner(outcome, 'http://localhost:3000')).toBeNull();
    expect(await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 1 }]);
  });

  it('with a real Stripe key (here a fake Stripe server) seeds the accounts but no sessions, and says why', async () => {
    const fake = await startStripeFake();
    const stripe = await createTestApp(stripeFakeEnv(fake));
    try {
      const outcome = await stripe.app.get(DemoSeeder).run();
      expect(outcome).toMatchObject({
        kind: 'created',
        sessions: { kind: 'skipped', reason: expect.stringContaining('STRIPE_SECRET_KEY') },
      });
      expect(demoAccountsBanner(outcome, 'http://localhost:3000')).toContain(
        'No demo sessions: a real STRIPE_SECRET_KEY is configured',
      );
      expect(await stripe.app.get(DataSource).query('SELECT count(*)::int AS n FROM legal_sessions')).toEqual([{ n: 0 }]);
    } finally {
      await stripe.close();
      await fake.close();
    }
  });

  it('does nothing when disabled', async () => {
    const disabled = await createTestApp({ DEMO_SEED: 'false' });
    try {
      expect(await disabled.app.get(DemoSeeder).run()).toEqual({ kind: 'disabled' });
      expect(await disabled.app.get(DataSource).query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 0 }]);
    } finally {
      await disabled.close();
    }
  });
});
