/**
 * Seeds a ledger for the finance benchmark (issue 14): partners, the clients and lawyers they
 * referred, paid consultations (sessions, payments, refunds) and their ledger postings, monthly
 * manual payouts, then the daily rollups, the running balances and the conversions computed
 * exactly as the LedgerReporting migration backfills them, and the tables reports read vacuumed
 * and analysed (what autovacuum does after a bulk load; reports then read them index-only).
 *
 * Population (created once, reused across runs): PARTNERS partners (partner 1, "the big
 * partner", referred a quarter of all referred users; the others follow a squared-uniform
 * skew, a few big ones and a long tail), LAWYERS lawyers (half referred; their profiles are
 * left unverified so the directory scenarios never see them) with one offering each in the
 * currency of their country, CLIENTS clients (35 % referred), an admin. Everyone's sign-up is
 * spread over the 20 months before the population's base day (BASE, the UTC day it was
 * created); referrals are made at sign-up.
 *
 * Unit i (0, 1, 2, …, always the same for the same i): one paid session of lawyer n (every 4th
 * unit goes to one of the BUSY earliest lawyers, the rest round-robin) in a two-hour slot of its
 * own between the lawyer's sign-up and BASE (so sessions never overlap), paid 1–6 days before it
 * by a client who had signed up by then. 3 % are cancelled with a full refund, 3 % get half back
 * after the session. Posting a unit writes what LedgerService writes: the PAYMENT (clearing,
 * lawyer payable, platform fee, a commission per distinct referring partner of the client and
 * the lawyer) and the REFUND (each share reversed in proportion, the platform takes the rest),
 * with the module's rates (fee 15 %, commission 20 % of the fee) and roundings.
 *
 * Payouts: at 09:00 UTC on the 2nd of each month the admin pays four payees in five what they
 * are owed at that instant (at least PAYOUT_MINIMUM; the last two months stay pending); one
 * payout in 200 is reversed the next day. Each is a `payouts` row and its PAYOUT (or
 * PAYOUT_REVERSAL) ledger transaction.
 *
 * Sizes are totals of `ledger_entries` (within a few entries): `seedLedger(url, 10_000)` then
 * `seedLedger(url, 1_000_000)` in one process tops the ledger up from the first to the second
 * (payouts are recomputed). Sessions, payments and refunds persist across runs; the ledger does
 * not when it is larger than asked: the first call of a process then empties the ledger tables
 * (and what hangs off them: rollups, balances, conversions, payouts, statements) with triggers off
 * (`session_replication_role = replica`, superuser only), and refuses to when the database holds
 * any ledger transaction that is not the bench's. The bulk load skips the per-row triggers (the
 * deferred zero-sum check included); one query checks afterwards that every transaction sums to
 * zero per currency, another that the rollups and balances equal the raw entries, and both are printed.
 *
 * Set-based SQL (generate_series) in batches of BATCH units, with progress lines.
 * Standalone: `tsx apps/api/bench/seed-ledger.ts <databaseUrl> [entries=1000000]` (migrated database).
 */
import { Client } from 'pg';
import {
  BACKFILL_PARTY_BALANCES_SQL,
  BACKFILL_PARTY_DAILY_SQL,
  BACKFILL_REFERRAL_CONVERSIONS_SQL,
} from '../src/database/migrations/1764730000000-LedgerReporting';
import { FIRST_NAMES, LAST_NAMES } from './seed-names';

const DOMAIN = 'bench.lexmarket.example';
const TAG = 'cs_bench_lg_';
const PARTNERS = 300;
const LAWYERS = 2000;
const CLIENTS = 40_000;
/** Lawyers 1…BUSY are the busy ones: every 4th unit is theirs. */
const BUSY = 100;
/** Units per batch (about five entries each). */
const BATCH = 25_000;
/** The module's defaults (AppConfig PLATFORM_FEE_BPS, PARTNER_COMMISSION_BPS); frozen on the entries like the app does. */
const FEE_BPS = 1500;
const COMMISSION_BPS = 2000;
/** AppConfig PAYOUT_MINIMUM_MINOR: smaller balances wait for the next run. */
const PAYOUT_MINIMUM = 1000;
/** Never a usable hash (the two accounts the bench signs in as get a fresh one per run, see benchLogins). */
const NO_LOGIN_HASH = '$argon2id$v=19$m=65536,t=3,p=4$YmVuY2g$bm8tbG9naW4tYmVuY2gtYWNjb3VudA';
const MASK = 2147483647;

/** [zone, jurisdiction, language, currency, JPY-like price factor] */
const PLACES: [string, string, string, string, number][] = [
  ['America/New_York', 'US-NY', 'en', 'USD', 1],
  ['America/Los_Angeles', 'US-CA', 'en', 'USD', 1],
  ['Europe/Berlin', 'DE', 'de', 'EUR', 1],
  ['Europe/Madrid', 'ES', 'es', 'EUR', 1],
  ['Europe/Paris', 'FR', 'fr', 'EUR', 1],
  ['Europe/London', 'GB', 'en', 'GBP', 1],
  ['Asia/Tokyo', 'JP', 'ja', 'JPY', 50],
  ['America/Sao_Paulo', 'BR', 'pt', 'BRL', 1],
];
const METHODS = ['BANK_TRANSFER', 'BANK_TRANSFER', 'BANK_TRANSFER', 'WISE', 'PAYPAL', 'CHECK'];

export const LEDGER_BENCH = {
  domain: DOMAIN,
  partnerEmail: `ledger-partner-1@${DOMAIN}`,
  adminEmail: `ledger-admin@${DOMAIN}`,
};

const sqlArray = (values: (string | number)[]) =>
  `(ARRAY[${values.map((v) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`)).join(',')}])`;
const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const place = (column: 0 | 1 | 2 | 3 | 4, index: string) =>
  `${sqlArray(PLACES.map((p) => p[column]))}[1 + (${index}) % ${PLACES.length}]`;

export interface LedgerSeedSummary {
  entries: number;
  transactions: number;
  units: number;
  payouts: number;
  seconds: number;
  reused: boolean;
}

/** Entries wanted by the last call of this process (-1: none yet; the first call may reset the ledger). */
let lastWanted = -1;

type Log = (line: string) => void;

export async function seedLedger(
  databaseUrl: string,
  entries: number,
  log: Log = (l) => console.log(l),
): Promise<LedgerSeedSummary> {
  const started = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await ensurePopulation(db, log);
    const state = await readState(db);
    const posted = await ledgerCounts(db);
    if (state.complete && state.entriesWanted === entries && posted.entries > 0 && (lastWanted < 0 || lastWanted === entries)) {
      lastWanted = entries;
      log(`ledger: reusing the ${n0(posted.entries)} entries already in the database`);
      return { ...posted, units: state.units, payouts: await payoutCount(db), seconds: 0, reused: true };
    }
    await assertBenchOnly(db);
    if (posted.entries > entries || posted.entries !== state.entriesPosted) {
      await resetLedger(db, log);
      state.units = 0;
    }
    lastWanted = entries;
    await removePayouts(db);
    await db.query('UPDATE bench_ledger_state SET complete = false, entries_wanted = $1', [entries]);

    // Payments and refunds first, up to the size minus what the payouts will add: estimated from
    // the payouts of what is posted so far (their share shrinks as the ledger grows, so each
    // estimate stops below the size), a few passes.
    let units = state.units;
    let target = Math.max(Math.floor(entries / 2), Math.min(entries, (await ledgerCounts(db)).entries + 1));
    for (let pass = 0; pass < 6; pass++) {
      units = await postUnits(db, state.base, units, target, entries, log);
      const have = (await ledgerCounts(db)).entries;
      const payoutEntries = 2 * (await payoutPlan(db, state.base, false));
      if (have + payoutEntries >= entries - Math.max(12, entries / 1000) || have === 0) break;
      target = Math.max(have + 1, Math.floor(entries / (1 + payoutEntries / have)));
    }
    const payouts = await payoutPlan(db, state.base, true);
    log(`ledger: ${n0(payouts)} payouts posted`);

    await rebuildRollups(db, log);
    await rebuildConversions(db, log);
    await db.query(
      'ANALYZE users; ANALYZE legal_sessions; ANALYZE payments; ANALYZE refunds; ANALYZE ledger_transactions; ANALYZE ledger_entries; ANALYZE payouts',
    );
    // What autovacuum does after a bulk load, done now so both sizes are measured alike: statistics,
    // and the visibility map that lets reports read the rollups and conversions index-only.
    for (const table of ['ledger_party_daily', 'ledger_party_balances', 'referrals', 'referral_conversions'])
      await db.query(`VACUUM (ANALYZE) ${table}`);
    const counts = await ledgerCounts(db);
    await verify(db, counts, log);
    await db.query('UPDATE bench_ledger_state SET units = $1, entries_posted = $2, complete = true', [units, counts.entries]);
    const seconds = (Date.now() - started) / 1000;
    log(`ledger: ${n0(counts.entries)} entries in ${n0(counts.transactions)} transactions, seeded in ${seconds.toFixed(1)} s`);
    return { ...counts, units, payouts, seconds, reused: false };
  } finally {
    await db.end();
  }
}

interface State {
  base: Date;
  units: number;
  entriesWanted: number;
  entriesPosted: number;
  complete: boolean;
}

async function readState(db: Client): Promise<State> {
  const { rows } = await db.query<{
    base: Date;
    units: number;
    entries_wanted: string;
    entries_posted: string;
    complete: boolean;
  }>('SELECT base, units, entries_wanted, entries_posted, complete FROM bench_ledger_state');
  const r = rows[0]!;
  return {
    base: r.base,
    units: r.units,
    entriesWanted: Number(r.entries_wanted),
    entriesPosted: Number(r.entries_posted),
    complete: r.complete,
  };
}

async function ledgerCounts(db: Client): Promise<{ entries: number; transactions: number }> {
  // Planner statistics would do for progress, but the sizes printed must be exact.
  const { rows } = await db.query<{ entries: string; transactions: string }>(
    'SELECT (SELECT count(*) FROM ledger_entries) AS entries, (SELECT count(*) FROM ledger_transactions) AS transactions',
  );
  return { entries: Number(rows[0]!.entries), transactions: Number(rows[0]!.transactions) };
}

async function payoutCount(db: Client): Promise<number> {
  return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM payouts')).rows[0]!.n);
}

async function inTransaction<T>(db: Client, work: () => Promise<T>, replica = false): Promise<T> {
  await db.query('BEGIN');
  try {
    // Bulk load as pg_restore --disable-triggers does: foreign keys, the append-only guards and the
    // deferred zero-sum check are skipped for this transaction only (verified afterwards, see verify()).
    if (replica) await db.query('SET LOCAL session_replication_role = replica');
    const result = await work();
    await db.query('COMMIT');
    return result;
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * Partners, lawyers (profile, offering), clients, the admin and the referrals, once; the base
 * day and the ledger's progress live in `bench_ledger_state`.
 */
async function ensurePopulation(db: Client, log: Log): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS bench_ledger_state (
    id int PRIMARY KEY CHECK (id = 1), base timestamptz NOT NULL, units int NOT NULL DEFAULT 0,
    entries_wanted bigint NOT NULL DEFAULT 0, entries_posted bigint NOT NULL DEFAULT 0, complete boolean NOT NULL DEFAULT false,
    sessions int NOT NULL DEFAULT 0)`);
  const have = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bench_ledger_state`);
  if (have.rows[0]!.n > 0) {
    await loadPopulation(db);
    return;
  }
  const partial = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'ledger-%@${DOMAIN}'`);
  if (partial.rows[0]!.n > 0)
    throw new Error('ledger bench: the database holds a partial ledger population; use a fresh bench database');
  const started = Date.now();
  log(`ledger: population: ${n0(PARTNERS)} partners, ${n0(LAWYERS)} lawyers, ${n0(CLIENTS)} clients, referrals…`);
  await inTransaction(db, async () => {
    const { rows } = await db.query<{ base: Date }>(
      `INSERT INTO bench_ledger_state (id, base) VALUES (1, date_trunc('day', now(), 'UTC')) RETURNING base`,
    );
    const base = rows[0]!.base.toISOString();
    const name = (n: string) =>
      `${sqlArray(FIRST_NAMES)}[1 + ${n} % ${FIRST_NAMES.length}] || ' ' || ${sqlArray(LAST_NAMES)}[1 + (${n} / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}]`;
    await db.query(
      `INSERT INTO users (email, password_hash, role, display_name, time_zone, email_verified_at, created_at, updated_at)
       SELECT 'ledger-admin@${DOMAIN}', $1, 'ADMIN', 'Bench finance admin', 'Europe/London', $2::timestamptz - interval '800 days',
              $2::timestamptz - interval '800 days', $2::timestamptz - interval '800 days'
       UNION ALL
       SELECT 'ledger-partner-' || n || '@${DOMAIN}', $1, 'PARTNER',
              CASE WHEN n = 1 THEN 'Łukasz Żółć Legal Network' ELSE ${name('n')} || ' Referrals ' || n END,
              CASE WHEN n = 1 THEN 'Europe/Berlin' ELSE ${place(0, 'n')} END, t, t, t
         FROM generate_series(1, ${PARTNERS}) n
        CROSS JOIN LATERAL (SELECT $2::timestamptz - interval '700 days' + n * interval '1 hour' AS t) x
       UNION ALL
       SELECT 'ledger-lawyer-' || n || '@${DOMAIN}', $1, 'LAWYER', ${name('(n * 7)')} || ' ' || n, ${place(0, 'n')}, t, t, t
         FROM generate_series(1, ${LAWYERS}) n
        CROSS JOIN LATERAL (SELECT $2::timestamptz - interval '600 days' + ((n - 1) * (480 * 86400 / ${LAWYERS})) * interval '1 second' AS t) x
       UNION ALL
       SELECT 'ledger-client-' || c || '@${DOMAIN}', $1, 'CLIENT', 'Bench client ' || c, ${place(0, 'c')}, t, t, t
         FROM generate_series(0, ${CLIENTS - 1}) c
        CROSS JOIN LATERAL (SELECT $2::timestamptz - interval '620 days' + (c::bigint * 610 * 86400 / ${CLIENTS}) * interval '1 second' AS t) x`,
      [NO_LOGIN_HASH, base],
    );
    await db.query(
      `INSERT INTO partner_referral_codes (partner_id, code, created_at)
       SELECT u.id, 'BN' || lpad(n::text, 6, '0'), u.created_at
         FROM generate_series(1, ${PARTNERS}) n JOIN users u ON u.email = 'ledger-partner-' || n || '@${DOMAIN}'`,
    );
    // Not verified: kept out of the directory the other scenarios read (their money is real all the same).
    await db.query(
      `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status, created_at, updated_at)
       SELECT u.id, 'BAR-LG-' || n, ${place(1, 'n')}, ARRAY[${place(1, 'n')}], '{family}', ARRAY[${place(2, 'n')}],
              'Bench ledger lawyer', 'PENDING_VERIFICATION', u.created_at, u.created_at
         FROM generate_series(1, ${LAWYERS}) n JOIN users u ON u.email = 'ledger-lawyer-' || n || '@${DOMAIN}'`,
    );
    await db.query(
      `INSERT INTO offerings (lawyer_id, title, description, duration_minutes, price_minor, currency, active, created_at, updated_at)
       SELECT u.id, 'Initial consultation', 'A focused consultation with written notes afterwards.', (ARRAY[30, 60, 90])[1 + n % 3],
              ${place(4, 'n')} * (4000 + (n * 37) % 26000), ${place(3, 'n')}, true, u.created_at, u.created_at
         FROM generate_series(1, ${LAWYERS}) n JOIN users u ON u.email = 'ledger-lawyer-' || n || '@${DOMAIN}'`,
    );
    // Half the lawyers and 35 % of the clients came through a partner: a quarter of those through partner 1.
    await db.query(
      `INSERT INTO referrals (partner_id, referred_user_id, role, code, created_at)
       SELECT p.id, r.user_id, r.role, 'BN' || lpad(r.partner_n::text, 6, '0'), r.created_at
         FROM (SELECT u.id AS user_id, u.role, u.created_at, h.h,
                      CASE WHEN h.h / 100 % 4 = 0 THEN 1 ELSE 2 + floor(${PARTNERS - 1} * power((h.h / 400 % 10000) / 10000.0, 2))::int END AS partner_n
                 FROM users u
                 CROSS JOIN LATERAL (SELECT (hashtext(u.email::text) & ${MASK})::bigint AS h) h
                WHERE (u.email LIKE 'ledger-lawyer-%@${DOMAIN}' AND h.h % 100 < 50)
                   OR (u.email LIKE 'ledger-client-%@${DOMAIN}' AND h.h % 100 < 35)) r
         JOIN users p ON p.email = 'ledger-partner-' || r.partner_n || '@${DOMAIN}'`,
    );
  });
  await loadPopulation(db);
  log(`ledger: population created in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Session temp tables: the population by number, with what unit generation and posting need. */
async function loadPopulation(db: Client): Promise<void> {
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS bench_lg_lawyers AS
    SELECT substring(u.email FROM 'ledger-lawyer-(\\d+)@')::int AS n, u.id, u.created_at AS signup, u.time_zone AS tz,
           o.id AS offering_id, o.title, o.duration_minutes, o.price_minor, o.currency
      FROM users u JOIN offerings o ON o.lawyer_id = u.id WHERE u.email LIKE 'ledger-lawyer-%@${DOMAIN}'`);
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS bench_lg_clients AS
    SELECT substring(u.email FROM 'ledger-client-(\\d+)@')::int AS c, u.id FROM users u WHERE u.email LIKE 'ledger-client-%@${DOMAIN}'`);
  // The zone of every party (PostgreSQL knows them all: they come from PLACES) and who referred them.
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS bench_lg_parties AS
    SELECT u.id, u.time_zone AS tz, r.partner_id FROM users u LEFT JOIN referrals r ON r.referred_user_id = u.id
     WHERE u.email LIKE 'ledger-%@${DOMAIN}'`);
  await db.query('CREATE UNIQUE INDEX IF NOT EXISTS bench_lg_lawyers_n ON bench_lg_lawyers (n)');
  await db.query('CREATE UNIQUE INDEX IF NOT EXISTS bench_lg_clients_c ON bench_lg_clients (c)');
  await db.query('CREATE UNIQUE INDEX IF NOT EXISTS bench_lg_parties_id ON bench_lg_parties (id)');
  await db.query('ANALYZE bench_lg_lawyers; ANALYZE bench_lg_clients; ANALYZE bench_lg_parties');
  const { rows } = await db.query<{ lawyers: number; clients: number }>(
    'SELECT (SELECT count(*)::int FROM bench_lg_lawyers) AS lawyers, (SELECT count(*)::int FROM bench_lg_clients) AS clients',
  );
  if (rows[0]!.lawyers !== LAWYERS || rows[0]!.clients !== CLIENTS)
    throw new Error('ledger bench: the population is incomplete; use a fresh bench database');
}

/** Refuses to touch a database whose ledger holds anything but the bench's postings. */
async function assertBenchOnly(db: Client): Promise<void> {
  const foreign = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_transactions t
      WHERE NOT EXISTS (SELECT 1 FROM legal_sessions s WHERE s.id = t.session_id AND s.stripe_checkout_session_id LIKE '${TAG}%')
        AND NOT EXISTS (SELECT 1 FROM payouts p JOIN users u ON u.id = p.payee_id WHERE p.id = t.payout_id AND u.email LIKE 'ledger-%@${DOMAIN}')`,
  );
  if (foreign.rows[0]!.n > 0)
    throw new Error(
      `ledger bench: the database holds ${foreign.rows[0]!.n} ledger transactions that are not the bench's; use a bench database`,
    );
}

/** Empties the ledger and everything derived from it (assertBenchOnly first). */
async function resetLedger(db: Client, log: Log): Promise<void> {
  const before = await ledgerCounts(db);
  const optional = await db.query<{ name: string }>(
    `SELECT name FROM unnest(ARRAY['statement_lines', 'statements', 'payout_reversals', 'payouts']) name WHERE to_regclass(name) IS NOT NULL`,
  );
  const tables = [
    ...optional.rows.map((r) => r.name),
    'referral_conversions',
    'ledger_party_balances',
    'ledger_party_daily',
    'ledger_entries',
    'ledger_transactions',
  ];
  await inTransaction(db, () => db.query(`TRUNCATE ${tables.join(', ')}`), true);
  await db.query('UPDATE bench_ledger_state SET units = 0, entries_posted = 0, complete = false');
  if (before.entries > 0) log(`ledger: removed the previous run's ${n0(before.entries)} bench ledger entries`);
}

/** Removes the payouts (recomputed after every top-up: what is owed changed). */
async function removePayouts(db: Client): Promise<void> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_transactions WHERE kind IN ('PAYOUT', 'PAYOUT_REVERSAL')`,
  );
  if (rows[0]!.n === 0) return;
  await inTransaction(
    db,
    async () => {
      await db.query('TRUNCATE payout_reversals, payouts');
      await db.query(
        `DELETE FROM ledger_entries WHERE transaction_id IN (SELECT id FROM ledger_transactions WHERE kind IN ('PAYOUT', 'PAYOUT_REVERSAL'))`,
      );
      await db.query(`DELETE FROM ledger_transactions WHERE kind = 'PAYOUT_REVERSAL'`);
      await db.query(`DELETE FROM ledger_transactions WHERE kind = 'PAYOUT'`);
    },
    true,
  );
}

/**
 * Makes sure sessions, payments and refunds of units 0 … wanted-1 exist (they persist across
 * runs); see the header for what unit i is.
 */
async function ensureUnits(db: Client, base: Date, wanted: number, log: Log): Promise<void> {
  // Units 0 … sessions-1 exist (the counter moves in the transaction that inserts them).
  const have = (await db.query<{ sessions: number }>('SELECT sessions FROM bench_ledger_state')).rows[0]!.sessions;
  if (have >= wanted) return;
  // Each lawyer's k-th session takes a distinct two-hour slot between sign-up + 8 days and BASE.
  const capacity = await db.query<{ busy: number; others: number }>(
    `SELECT min(slots) FILTER (WHERE n <= ${BUSY})::int AS busy, min(slots) FILTER (WHERE n > ${BUSY})::int AS others
       FROM (SELECT n, floor(extract(epoch FROM ($1::timestamptz - signup - interval '8 days')) / 7200) AS slots FROM bench_lg_lawyers) s`,
    [base.toISOString()],
  );
  const last = wanted - 1;
  const busyK = Math.floor(Math.floor(last / 4) / BUSY);
  const otherK = Math.floor((last - Math.floor(last / 4)) / (LAWYERS - BUSY));
  if (busyK >= capacity.rows[0]!.busy || otherK >= capacity.rows[0]!.others)
    throw new Error(`ledger bench: ${n0(wanted)} paid sessions do not fit the population's calendars; ask for fewer entries`);
  for (let first = have; first < wanted; first += BATCH) {
    const end = Math.min(wanted, first + BATCH);
    await inTransaction(db, async () => {
      await db.query(
        `CREATE TEMP TABLE bench_lg_new ON COMMIT DROP AS
         SELECT g.i, gen_random_uuid() AS session_id, gen_random_uuid() AS payment_id, l.id AS lawyer_id, cl.id AS client_id,
                l.offering_id, l.title, l.duration_minutes, l.price_minor, l.currency, t.start_at, t.paid_at,
                t.start_at + make_interval(mins => l.duration_minutes) AS end_at,
                CASE WHEN x.h2 % 100 < 3 THEN 'FULL'
                     WHEN x.h2 % 100 < 6 AND t.start_at + make_interval(mins => l.duration_minutes) + interval '1 day' < $3::timestamptz THEN 'PARTIAL'
                END AS refund
           FROM generate_series($1::bigint, $2::bigint - 1) g(i)
          CROSS JOIN LATERAL (SELECT (hashint8(g.i) & ${MASK})::bigint AS h, (hashint8(g.i * 7 + 3) & ${MASK})::bigint AS h2) x
          CROSS JOIN LATERAL (SELECT g.i % 4 = 0 AS busy, g.i - g.i / 4 - 1 AS j) b
          CROSS JOIN LATERAL (SELECT CASE WHEN b.busy THEN 1 + (g.i / 4) % ${BUSY} ELSE ${BUSY + 1} + b.j % ${LAWYERS - BUSY} END AS n,
                                     CASE WHEN b.busy THEN (g.i / 4) / ${BUSY} ELSE b.j / ${LAWYERS - BUSY} END AS k) m
           JOIN bench_lg_lawyers l ON l.n = m.n
          CROSS JOIN LATERAL (SELECT floor(extract(epoch FROM ($3::timestamptz - l.signup - interval '8 days')) / 7200)::bigint AS slots) s
          CROSS JOIN LATERAL (SELECT l.signup + interval '8 days' + ((m.k * 7919 + m.n * 131) % s.slots) * interval '2 hours' AS start_at) st
          CROSS JOIN LATERAL (SELECT st.start_at, st.start_at - make_interval(days => (1 + g.i % 6)::int, mins => ((g.i * 37) % 600)::int) AS paid_at) t
          CROSS JOIN LATERAL (SELECT least(${CLIENTS}, greatest(1, floor(${CLIENTS} * extract(epoch FROM (t.paid_at - ($3::timestamptz - interval '620 days')))
                                                                      / (610 * 86400.0))))::bigint AS cmax) cm
           JOIN bench_lg_clients cl ON cl.c = x.h % cm.cmax`,
        [first, end, base.toISOString()],
      );
      await db.query(
        `INSERT INTO legal_sessions (id, client_id, lawyer_id, offering_id, offering_title, duration_minutes, price_minor, currency,
                                     status, start_at, end_at, stripe_checkout_session_id, checkout_expires_at, paid_at,
                                     cancelled_at, cancelled_by, completed_at, created_at, updated_at)
         SELECT session_id, client_id, lawyer_id, offering_id, title, duration_minutes, price_minor, currency,
                CASE WHEN refund = 'FULL' THEN 'CANCELLED' ELSE 'COMPLETED' END, start_at, end_at, '${TAG}' || i,
                paid_at + interval '25 minutes', paid_at,
                CASE WHEN refund = 'FULL' THEN paid_at + (start_at - paid_at) / 2 END, CASE WHEN refund = 'FULL' THEN client_id END,
                CASE WHEN refund = 'FULL' THEN NULL ELSE end_at END, paid_at - interval '5 minutes',
                CASE WHEN refund = 'FULL' THEN paid_at + (start_at - paid_at) / 2 ELSE end_at END
           FROM bench_lg_new`,
      );
      await db.query(
        `INSERT INTO payments (id, session_id, client_id, lawyer_id, stripe_checkout_session_id, stripe_payment_intent_id, amount_minor,
                               currency, refunded_minor, created_at, updated_at)
         SELECT payment_id, session_id, client_id, lawyer_id, '${TAG}' || i, 'pi_bench_lg_' || i, price_minor, currency,
                CASE refund WHEN 'FULL' THEN price_minor WHEN 'PARTIAL' THEN price_minor / 2 ELSE 0 END, paid_at,
                CASE refund WHEN 'FULL' THEN paid_at + (start_at - paid_at) / 2 WHEN 'PARTIAL' THEN end_at + interval '1 day' ELSE paid_at END
           FROM bench_lg_new`,
      );
      await db.query(
        `INSERT INTO refunds (payment_id, session_id, amount_minor, currency, reason, status, stripe_refund_id, requested_by, created_at, updated_at)
         SELECT payment_id, session_id, CASE WHEN refund = 'FULL' THEN price_minor ELSE price_minor / 2 END, currency,
                CASE WHEN refund = 'FULL' THEN 'Cancelled by the client more than 24 hours before the session' ELSE 'Partial refund agreed by the lawyer' END,
                'SUCCEEDED', 're_bench_lg_' || i, NULL, r.at, r.at
           FROM bench_lg_new
          CROSS JOIN LATERAL (SELECT CASE WHEN refund = 'FULL' THEN paid_at + (start_at - paid_at) / 2 ELSE end_at + interval '1 day' END AS at) r
          WHERE refund IS NOT NULL`,
      );
      await db.query('UPDATE bench_ledger_state SET sessions = $1', [end]);
    });
    log(`ledger: paid sessions ${n0(end)} / ${n0(wanted)} (${Math.round((end / wanted) * 100)} %)`);
  }
  await db.query('ANALYZE legal_sessions; ANALYZE payments; ANALYZE refunds');
}

/**
 * Posts units from `units` on until the ledger holds `target` entries (the unit that reaches it
 * included). Returns the number of units posted in all.
 */
async function postUnits(db: Client, base: Date, units: number, target: number, total: number, log: Log): Promise<number> {
  let { entries } = await ledgerCounts(db);
  while (entries < target) {
    // About five entries a unit: ask for a little more than needed, the cut below keeps what fits.
    const ahead = Math.min(BATCH, Math.max(16, Math.ceil((target - entries) / 3.5)));
    await ensureUnits(db, base, units + ahead, log);
    const posted = await inTransaction(
      db,
      async () => {
        await db.query(
          `CREATE TEMP TABLE bench_lg_batch ON COMMIT DROP AS
           WITH u AS (
             SELECT g.i, s.id AS session_id, p.id AS payment_id, s.lawyer_id, p.amount_minor AS amount, p.currency, p.created_at AS paid_at,
                    lz.tz AS lawyer_tz, cz.partner_id AS p1, CASE WHEN lz.partner_id IS DISTINCT FROM cz.partner_id THEN lz.partner_id END AS p2,
                    rf.id AS refund_id, rf.amount_minor AS refund, rf.created_at AS refunded_at,
                    gen_random_uuid() AS pay_txn, gen_random_uuid() AS refund_txn
               FROM generate_series($1::bigint, $2::bigint - 1) g(i)
               JOIN legal_sessions s ON s.stripe_checkout_session_id = '${TAG}' || g.i
               JOIN payments p ON p.session_id = s.id
               JOIN bench_lg_parties lz ON lz.id = s.lawyer_id
               JOIN bench_lg_parties cz ON cz.id = s.client_id
               LEFT JOIN refunds rf ON rf.payment_id = p.id AND rf.status = 'SUCCEEDED'),
           -- splitPayment: fee = roundHalfUp(amount × fee bps), each commission roundHalfUp(fee × commission bps), capped by what is left of the fee.
           f AS (SELECT u.*, (2 * u.amount * ${FEE_BPS} + 10000) / 20000 AS fee FROM u),
           c AS (SELECT f.*, CASE WHEN f.p1 IS NULL THEN 0 ELSE least((2 * f.fee * ${COMMISSION_BPS} + 10000) / 20000, f.fee) END AS c1 FROM f),
           c2 AS (SELECT c.*, CASE WHEN c.p2 IS NULL THEN 0 ELSE least((2 * c.fee * ${COMMISSION_BPS} + 10000) / 20000, c.fee - c.c1) END AS c2 FROM c),
           -- refundReversal (nothing refunded before): each share but the platform's reversed by roundHalfUp(share × refund ÷ payment).
           r AS (SELECT c2.*, c2.amount - c2.fee AS lawyer_share,
                        CASE WHEN c2.refund IS NULL THEN 0 ELSE (2 * (c2.amount - c2.fee) * c2.refund + c2.amount) / (2 * c2.amount) END AS r_lawyer,
                        CASE WHEN c2.refund IS NULL THEN 0 ELSE (2 * c2.c1 * c2.refund + c2.amount) / (2 * c2.amount) END AS r1,
                        CASE WHEN c2.refund IS NULL THEN 0 ELSE (2 * c2.c2 * c2.refund + c2.amount) / (2 * c2.amount) END AS r2
                   FROM c2)
           SELECT r.*, coalesce(r.refund - r.r_lawyer - r.r1 - r.r2, 0) AS r_platform,
                  3 + (r.c1 > 0)::int * 2 + (r.c2 > 0)::int * 2
                    + CASE WHEN r.refund IS NULL THEN 0
                           ELSE 1 + (r.r_lawyer <> 0)::int + (r.r1 <> 0)::int + (r.r2 <> 0)::int + (r.refund - r.r_lawyer - r.r1 - r.r2 <> 0)::int END AS lines
             FROM r`,
          [units, units + ahead],
        );
        // Keep the units up to the one that reaches the target.
        await db.query(
          `DELETE FROM bench_lg_batch b USING (SELECT i, sum(lines) OVER (ORDER BY i) - lines AS before FROM bench_lg_batch) w
            WHERE w.i = b.i AND w.before >= $1`,
          [target - entries],
        );
        const kept = await db.query<{ n: number; last: string | null }>(
          'SELECT count(*)::int AS n, max(i) AS last FROM bench_lg_batch',
        );
        if (kept.rows[0]!.n !== Number(kept.rows[0]!.last) - units + 1)
          throw new Error('ledger bench: a paid session of the batch is missing');
        await db.query(
          `INSERT INTO ledger_transactions (id, kind, session_id, payment_id, refund_id, reverses_id, description, created_at)
           SELECT pay_txn, 'PAYMENT', session_id, payment_id, NULL::uuid, NULL::uuid, 'Client payment ' || payment_id || ' for session ' || session_id, paid_at
             FROM bench_lg_batch
           UNION ALL
           SELECT refund_txn, 'REFUND', session_id, payment_id, refund_id, pay_txn, 'Refund ' || refund_id || ' of payment ' || payment_id, refunded_at
             FROM bench_lg_batch WHERE refund_id IS NOT NULL`,
        );
        await db.query(
          `INSERT INTO ledger_entries (transaction_id, account, party_id, amount_minor, currency, rate_bps, created_at, local_day)
           SELECT l.txn, l.account, l.party, l.amount, b.currency, l.rate, l.at,
                  (l.at AT TIME ZONE coalesce(l.tz, 'UTC'))::date
             FROM bench_lg_batch b
             LEFT JOIN bench_lg_parties z1 ON z1.id = b.p1
             LEFT JOIN bench_lg_parties z2 ON z2.id = b.p2
            CROSS JOIN LATERAL (VALUES
              (1, b.pay_txn, 'stripe_clearing', NULL::uuid, b.amount, NULL::int, b.paid_at, NULL::text),
              (2, b.pay_txn, 'lawyer_payable', b.lawyer_id, -b.lawyer_share, ${FEE_BPS}, b.paid_at, b.lawyer_tz),
              (3, b.pay_txn, 'platform_revenue', NULL, -b.fee, ${FEE_BPS}, b.paid_at, NULL),
              (4, b.pay_txn, 'platform_revenue', NULL, b.c1, ${COMMISSION_BPS}, b.paid_at, NULL),
              (5, b.pay_txn, 'partner_commission_payable', b.p1, -b.c1, ${COMMISSION_BPS}, b.paid_at, z1.tz),
              (6, b.pay_txn, 'platform_revenue', NULL, b.c2, ${COMMISSION_BPS}, b.paid_at, NULL),
              (7, b.pay_txn, 'partner_commission_payable', b.p2, -b.c2, ${COMMISSION_BPS}, b.paid_at, z2.tz),
              (8, b.refund_txn, 'stripe_clearing', NULL, -b.refund, NULL, b.refunded_at, NULL),
              (9, b.refund_txn, 'lawyer_payable', b.lawyer_id, b.r_lawyer, ${FEE_BPS}, b.refunded_at, b.lawyer_tz),
              (10, b.refund_txn, 'partner_commission_payable', b.p1, b.r1, ${COMMISSION_BPS}, b.refunded_at, z1.tz),
              (11, b.refund_txn, 'partner_commission_payable', b.p2, b.r2, ${COMMISSION_BPS}, b.refunded_at, z2.tz),
              (12, b.refund_txn, 'platform_revenue', NULL, b.r_platform, ${FEE_BPS}, b.refunded_at, NULL)
            ) l(line, txn, account, party, amount, rate, at, tz)
            WHERE l.amount IS NOT NULL AND l.amount <> 0 AND (l.line < 8 OR b.refund_id IS NOT NULL)
            ORDER BY b.i, l.line`,
        );
        return kept.rows[0]!.n;
      },
      true,
    );
    units += posted;
    entries = (await ledgerCounts(db)).entries;
    await db.query('UPDATE bench_ledger_state SET units = $1, entries_posted = $2', [units, entries]);
    log(`ledger: ${n0(entries)} / ${n0(total)} entries (${Math.min(100, Math.round((entries / total) * 100))} %)`);
    if (posted === 0) break;
  }
  return units;
}

/**
 * The monthly payout runs (see the header). Payee p's owed amount just before run m is the sum
 * of its PAYMENT and REFUND entries before that instant (C), minus what earlier runs paid; a
 * run pays C minus the largest C of the earlier runs that paid p, so payouts never exceed what
 * is owed. With `post`, writes them and returns how many; without, returns how many payouts
 * and reversals it would write (two entries each).
 */
async function payoutPlan(db: Client, base: Date, post: boolean): Promise<number> {
  const plan = `
    WITH acc AS (
      -- Run of month m at m + 1 month + 1 day 9 h (UTC): it sees the entries before it.
      SELECT e.party_id, e.account, e.currency,
             date_trunc('month', e.created_at AT TIME ZONE 'UTC' - interval '1 day 9 hours') AS m, -sum(e.amount_minor) AS accrued
        FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
       WHERE e.party_id IS NOT NULL AND t.kind IN ('PAYMENT', 'REFUND')
       GROUP BY 1, 2, 3, 4),
    cum AS (
      SELECT acc.*, sum(accrued) OVER (PARTITION BY party_id, account, currency ORDER BY m) AS owed_before_run,
             ((m + interval '1 month 1 day 9 hours') AT TIME ZONE 'UTC') AS run_at
        FROM acc),
    chosen AS (
      -- The admin pays four payees in five at each run; the last two months are still open.
      SELECT cum.*, coalesce(greatest(0, max(owed_before_run) OVER (PARTITION BY party_id, account, currency ORDER BY m
                                                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)), 0) AS paid_before
        FROM cum
       WHERE (hashtext(party_id::text || m::text) & ${MASK}) % 5 <> 0
         AND run_at < date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 month')
    SELECT party_id, account, currency, run_at, owed_before_run - paid_before AS amount, m,
           (hashtext(party_id::text || m::text || 'r') & ${MASK}) % 200 = 0 AS reversed
      FROM chosen WHERE owed_before_run - paid_before >= ${PAYOUT_MINIMUM}`;
  if (!post) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT (count(*) + count(*) FILTER (WHERE reversed))::int AS n FROM (${plan}) p`,
      [base.toISOString()],
    );
    return rows[0]!.n;
  }
  return inTransaction(
    db,
    async () => {
      await db.query(
        `CREATE TEMP TABLE bench_lg_payouts ON COMMIT DROP AS
         SELECT p.*, gen_random_uuid() AS id, gen_random_uuid() AS txn, gen_random_uuid() AS reversal_txn,
                CASE WHEN p.account = 'lawyer_payable' THEN 'LAWYER' ELSE 'PARTNER' END AS role,
                ${sqlArray(METHODS)}[1 + (hashtext(p.party_id::text) & ${MASK}) % ${METHODS.length}] AS method, z.tz,
                'Bank run ' || to_char(p.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' / ' || upper(left(md5(p.party_id::text || p.m::text), 8)) AS reference
           FROM (${plan}) p JOIN bench_lg_parties z ON z.id = p.party_id`,
        [base.toISOString()],
      );
      const admin = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [LEDGER_BENCH.adminEmail]);
      await db.query(
        `INSERT INTO ledger_transactions (id, kind, payout_id, reverses_id, description, created_at)
         SELECT txn, 'PAYOUT', id, NULL::uuid, 'Manual payout ' || id || ' by ' || method || ', reference ' || reference, run_at FROM bench_lg_payouts
         UNION ALL
         SELECT reversal_txn, 'PAYOUT_REVERSAL', id, txn, 'Reversal of manual payout ' || id, run_at + interval '1 day' FROM bench_lg_payouts WHERE reversed`,
      );
      await db.query(
        `INSERT INTO ledger_entries (transaction_id, account, party_id, amount_minor, currency, rate_bps, created_at, local_day)
         SELECT l.txn, l.account, l.party, l.amount, p.currency, NULL, l.at, (l.at AT TIME ZONE coalesce(l.tz, 'UTC'))::date
           FROM bench_lg_payouts p
          CROSS JOIN LATERAL (VALUES
            (1, p.txn, p.account, p.party_id, p.amount, p.run_at, p.tz),
            (2, p.txn, 'payout_clearing', NULL::uuid, -p.amount, p.run_at, NULL::text),
            (3, p.reversal_txn, p.account, p.party_id, -p.amount, p.run_at + interval '1 day', p.tz),
            (4, p.reversal_txn, 'payout_clearing', NULL::uuid, p.amount, p.run_at + interval '1 day', NULL::text)
          ) l(line, txn, account, party, amount, at, tz)
          WHERE l.line < 3 OR p.reversed
          ORDER BY p.run_at, p.party_id, l.line`,
      );
      await db.query(
        `INSERT INTO payouts (id, payee_id, payee_role, account, currency, amount_minor, method, reference, paid_at, recorded_by,
                              idempotency_key, request_hash, ledger_transaction_id, created_at)
         SELECT id, party_id, role, account, currency, amount, method, reference,
                run_at - interval '30 minutes', $1, 'bench-' || id, encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), txn, run_at
           FROM bench_lg_payouts`,
        [admin.rows[0]!.id],
      );
      await db.query(
        `INSERT INTO payout_reversals (payout_id, reason, reversed_by, ledger_transaction_id, created_at)
         SELECT id, 'Entered twice by mistake', $1, reversal_txn, run_at + interval '1 day' FROM bench_lg_payouts WHERE reversed`,
        [admin.rows[0]!.id],
      );
      return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM bench_lg_payouts')).rows[0]!.n);
    },
    true,
  );
}

/** ledger_party_daily from the raw ledger, then ledger_party_balances from it: the LedgerReporting migration's backfill statements. */
async function rebuildRollups(db: Client, log: Log): Promise<void> {
  const started = Date.now();
  await inTransaction(
    db,
    async () => {
      await db.query('TRUNCATE ledger_party_daily, ledger_party_balances');
      await db.query(BACKFILL_PARTY_DAILY_SQL);
      await db.query(BACKFILL_PARTY_BALANCES_SQL);
    },
    true,
  );
  const { rows } = await db.query<{ n: string; balances: string }>(
    'SELECT (SELECT count(*) FROM ledger_party_daily) AS n, (SELECT count(*) FROM ledger_party_balances) AS balances',
  );
  log(
    `ledger: rollups: ${n0(Number(rows[0]!.n))} party-day rows, ${n0(Number(rows[0]!.balances))} party balances in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** referral_conversions from the ledger's payments: the LedgerReporting migration's backfill statement. */
async function rebuildConversions(db: Client, log: Log): Promise<void> {
  await inTransaction(
    db,
    async () => {
      await db.query('TRUNCATE referral_conversions');
      await db.query(BACKFILL_REFERRAL_CONVERSIONS_SQL);
    },
    true,
  );
  const { rows } = await db.query<{ converted: number; referrals: number }>(
    'SELECT (SELECT count(*)::int FROM referral_conversions) AS converted, (SELECT count(*)::int FROM referrals) AS referrals',
  );
  log(`ledger: ${n0(rows[0]!.referrals)} referrals, ${n0(rows[0]!.converted)} converted`);
}

/** The checks the skipped triggers would have made, once for the whole ledger, and the rollups against the raw entries. */
async function verify(db: Client, counts: { entries: number; transactions: number }, log: Log): Promise<void> {
  const balance = await db.query<{ unbalanced: number; empty: number }>(
    `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM ledger_entries GROUP BY transaction_id, currency HAVING sum(amount_minor) <> 0) x) AS unbalanced,
            (SELECT count(*)::int FROM ledger_transactions t WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = t.id)) AS empty`,
  );
  const rollups = await db.query<{ differences: number }>(
    `WITH raw AS MATERIALIZED (
       SELECT party_id, account, currency, sum(amount_minor) AS net, count(*) AS n, min(local_day) AS first_day, max(local_day) AS last_day
         FROM ledger_entries WHERE party_id IS NOT NULL GROUP BY 1, 2, 3)
     SELECT (SELECT count(*) FROM raw FULL JOIN (
               SELECT party_id, account, currency, sum(net_minor) AS net, sum(entry_count) AS n FROM ledger_party_daily GROUP BY 1, 2, 3
             ) r USING (party_id, account, currency)
             WHERE raw.net IS DISTINCT FROM r.net OR raw.n IS DISTINCT FROM r.n)::int
          + (SELECT count(*) FROM raw FULL JOIN ledger_party_balances b USING (party_id, account, currency)
             WHERE raw.net IS DISTINCT FROM b.net_minor OR raw.n IS DISTINCT FROM b.entry_count
                OR raw.first_day IS DISTINCT FROM b.first_day OR raw.last_day IS DISTINCT FROM b.last_day)::int AS differences`,
  );
  const { unbalanced, empty } = balance.rows[0]!;
  const { differences } = rollups.rows[0]!;
  log(
    `ledger: check: ${n0(counts.transactions)} transactions, ${unbalanced} not summing to zero per currency, ${empty} without entries; ` +
      `rollups and balances vs raw entries per payee: ${differences} differences`,
  );
  if (unbalanced > 0 || empty > 0 || differences > 0)
    throw new Error('ledger bench: the seeded ledger does not balance (see the check above)');
}

if (require.main === module) {
  const [url, entries = '1000000'] = process.argv.slice(2);
  if (!url) {
    console.error('usage: tsx apps/api/bench/seed-ledger.ts <databaseUrl> [entries=1000000]');
    process.exit(64);
  }
  seedLedger(url, Number(entries)).then(
    (s) => console.log(JSON.stringify(s)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
