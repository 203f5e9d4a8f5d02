/**
 * Seeds a marketplace big enough to benchmark the directory and slot queries: verified lawyers
 * with offerings and weekly availability in several time zones, clients, and sessions spread
 * over the past months and the coming weeks (completed, cancelled, scheduled, paid, pending).
 *
 * Runs against a migrated database: `npm run bench:seed -- <databaseUrl> [lawyers] [sessions]`,
 * or from `npm run bench` (scenario setup). Idempotent: a database that already holds the bench
 * lawyers is left as it is. Set-based SQL in batches, with progress on stderr.
 */
import { Client } from 'pg';
import { FIRST_NAMES, LAST_NAMES } from './seed-names';
import { PRACTICE_AREAS } from '@lm/domain';

export interface SeedOptions {
  lawyers: number;
  sessions: number;
  clients: number;
  log?: (line: string) => void;
}

export interface SeedSummary {
  lawyers: number;
  offerings: number;
  sessions: number;
  seconds: number;
  reused: boolean;
}

const DOMAIN = 'bench.lexmarket.example';
/** Never a usable hash: bench accounts cannot sign in. */
const NO_LOGIN_HASH = '$argon2id$v=19$m=65536,t=3,p=4$YmVuY2g$bm8tbG9naW4tYmVuY2gtYWNjb3VudA';

/** Every practice area a lawyer can list (the domain's own list, so the seed follows it). */
const AREAS: readonly string[] = PRACTICE_AREAS;
const PLACES: [zone: string, jurisdiction: string, language: string, currency: string][] = [
  ['America/New_York', 'US-NY', 'en', 'USD'],
  ['America/Los_Angeles', 'US-CA', 'en', 'USD'],
  ['Europe/Berlin', 'DE', 'de', 'EUR'],
  ['Europe/Madrid', 'ES', 'es', 'EUR'],
  ['Europe/Paris', 'FR', 'fr', 'EUR'],
  ['Europe/London', 'GB', 'en', 'GBP'],
  ['Asia/Tokyo', 'JP', 'ja', 'JPY'],
  ['America/Sao_Paulo', 'BR', 'pt', 'BRL'],
];

/** The sources of `directory_listings` whose deferred triggers a bulk load switches off (it refreshes the listings itself). */
const LISTING_SOURCES = ['lawyer_profiles', 'offerings', 'lawyer_availability'];

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;

export async function seedMarketplace(databaseUrl: string, options: SeedOptions): Promise<SeedSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const started = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const existing = await db.query<{ lawyers: string; sessions: string; offerings: string }>(
      `SELECT (SELECT count(*) FROM users WHERE email LIKE 'lawyer-%@${DOMAIN}') AS lawyers,
              (SELECT count(*) FROM legal_sessions s JOIN users u ON u.id = s.lawyer_id WHERE u.email LIKE 'lawyer-%@${DOMAIN}') AS sessions,
              (SELECT count(*) FROM offerings o JOIN users u ON u.id = o.lawyer_id WHERE u.email LIKE 'lawyer-%@${DOMAIN}') AS offerings`,
    );
    const have = existing.rows[0]!;
    if (Number(have.lawyers) >= options.lawyers && Number(have.sessions) >= options.sessions) {
      log(
        `seed: reusing ${have.lawyers} lawyers, ${have.offerings} offerings, ${have.sessions} sessions already in the database`,
      );
      return {
        lawyers: Number(have.lawyers),
        offerings: Number(have.offerings),
        sessions: Number(have.sessions),
        seconds: 0,
        reused: true,
      };
    }
    if (Number(have.lawyers) > 0)
      throw new Error('The database holds a partial bench seed; use a fresh database (or drop the bench data).');

    await db.query('BEGIN');
    // The read model is refreshed once, set-based, before COMMIT (see seedDirectoryLawyers).
    for (const table of LISTING_SOURCES) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_directory_listings`);
    const admin = await db.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, role, display_name) VALUES ($1, $2, 'ADMIN', 'Bench verifier') RETURNING id`,
      [`admin@${DOMAIN}`, NO_LOGIN_HASH],
    );
    const adminId = admin.rows[0]!.id;

    log(`seed: ${options.lawyers} lawyers…`);
    // Lawyer n: name from the lists, place from PLACES, two practice areas, created over the last 2 years.
    await db.query(
      `INSERT INTO users (email, password_hash, role, display_name, email_verified_at, created_at)
       SELECT 'lawyer-' || n || '@${DOMAIN}', $1, 'LAWYER',
              (${sqlArray(FIRST_NAMES)})[1 + n % ${FIRST_NAMES.length}] || ' ' || (${sqlArray(LAST_NAMES)})[1 + (n / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}] || ' ' || n,
              now(), now() - make_interval(days => n % 730)
         FROM generate_series(1, $2::int) n`,
      [NO_LOGIN_HASH, options.lawyers],
    );
    await db.query(
      `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status, verified_at, verified_by, created_at)
       SELECT u.id, 'BAR-' || n, p.jurisdiction, ARRAY[p.jurisdiction],
              ARRAY[(${sqlArray(AREAS)})[1 + n % ${AREAS.length}], (${sqlArray(AREAS)})[1 + (n * 7 + 3) % ${AREAS.length}]],
              CASE WHEN p.language = 'en' THEN ARRAY['en'] ELSE ARRAY[p.language, 'en'] END,
              'Advises individuals and small businesses on ' || (${sqlArray(AREAS)})[1 + n % ${AREAS.length}] || ' and '
                || (${sqlArray(AREAS)})[1 + (n * 7 + 3) % ${AREAS.length}] || ' matters. Clear fixed-price consultations, '
                || 'written follow-up within two days. Practising since ' || (1990 + n % 33) || '.',
              'VERIFIED', now() - make_interval(days => n % 700), $2, u.created_at
         FROM generate_series(1, $1::int) n
         JOIN users u ON u.email = 'lawyer-' || n || '@${DOMAIN}'
         CROSS JOIN LATERAL (SELECT (${sqlArray(PLACES.map((p) => p[1]))})[1 + n % ${PLACES.length}] AS jurisdiction,
                                    (${sqlArray(PLACES.map((p) => p[2]))})[1 + n % ${PLACES.length}] AS language) p`,
      [options.lawyers, adminId],
    );

    log('seed: offerings and availability…');
    // 1-3 offerings per lawyer; prices vary so "sort by price" and "max price" have work to do.
    await db.query(
      `INSERT INTO offerings (lawyer_id, title, description, duration_minutes, price_minor, currency, active)
       SELECT u.id, (ARRAY['Initial consultation', 'Document review', 'Strategy session'])[k],
              'A focused consultation with written notes afterwards.', (ARRAY[30, 60, 90])[k],
              (CASE WHEN c.currency = 'JPY' THEN 50 ELSE 1 END) * (4000 + (n * 37 + k * 1500) % 26000), c.currency, k <> 3 OR n % 2 = 0
         FROM generate_series(1, $1::int) n
         JOIN users u ON u.email = 'lawyer-' || n || '@${DOMAIN}'
         CROSS JOIN LATERAL (SELECT (${sqlArray(PLACES.map((p) => p[3]))})[1 + n % ${PLACES.length}] AS currency) c
         CROSS JOIN generate_series(1, 1 + n % 3) k`,
      [options.lawyers],
    );
    await db.query(
      `INSERT INTO lawyer_availability (lawyer_id, time_zone, weekly, buffer_before_minutes, buffer_after_minutes, minimum_notice_minutes, max_sessions_per_day, next_available_at)
       SELECT u.id, (${sqlArray(PLACES.map((p) => p[0]))})[1 + n % ${PLACES.length}],
              (SELECT jsonb_agg(jsonb_build_object('weekday', d, 'start', '09:00', 'end', '12:30'))
                      || jsonb_agg(jsonb_build_object('weekday', d, 'start', '14:00', 'end', '18:00'))
                 FROM generate_series(1, 5) d),
              (n % 3) * 5, 10, 120 + (n % 4) * 60, CASE WHEN n % 5 = 0 THEN 4 END,
              date_trunc('hour', now()) + make_interval(hours => 3 + n % 200)
         FROM generate_series(1, $1::int) n
         JOIN users u ON u.email = 'lawyer-' || n || '@${DOMAIN}'`,
      [options.lawyers],
    );

    log(`seed: ${options.clients} clients…`);
    await db.query(
      `INSERT INTO users (email, password_hash, role, display_name)
       SELECT 'client-' || n || '@${DOMAIN}', $1, 'CLIENT', 'Bench client ' || n FROM generate_series(1, $2::int) n`,
      [NO_LOGIN_HASH, options.clients],
    );
    await db.query(`SELECT directory_listings_refresh(ARRAY(SELECT id FROM users WHERE email LIKE 'lawyer-%@${DOMAIN}'), false)`);
    for (const table of LISTING_SOURCES) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_directory_listings`);
    await db.query('COMMIT');

    // Sessions: lawyer n's k-th session starts (k × 2 days + hour n % 8) after a day 170 days
    // ago at 14:00 UTC, so one lawyer's sessions never overlap; the last ~15 lie in the future.
    await db.query(`CREATE TEMP TABLE bench_lawyers AS
      SELECT row_number() OVER (ORDER BY u.email) AS n, u.id AS lawyer_id,
             (SELECT o.id FROM offerings o WHERE o.lawyer_id = u.id ORDER BY o.duration_minutes LIMIT 1) AS offering_id
        FROM users u WHERE u.email LIKE 'lawyer-%@${DOMAIN}'`);
    await db.query(`CREATE TEMP TABLE bench_clients AS
      SELECT row_number() OVER (ORDER BY u.email) - 1 AS i, u.id AS client_id FROM users u WHERE u.email LIKE 'client-%@${DOMAIN}'`);
    const perLawyer = Math.ceil(options.sessions / options.lawyers);
    const batchLawyers = Math.max(1, Math.floor(20_000 / perLawyer));
    let inserted = 0;
    for (let first = 1; first <= options.lawyers && inserted < options.sessions; first += batchLawyers) {
      const last = Math.min(options.lawyers, first + batchLawyers - 1);
      const remaining = options.sessions - inserted;
      const res = await db.query(
        `INSERT INTO legal_sessions (client_id, lawyer_id, offering_id, offering_title, duration_minutes, price_minor, currency,
                                     status, start_at, end_at, stripe_checkout_session_id, checkout_expires_at, paid_at,
                                     cancelled_at, completed_at, created_at, updated_at)
         SELECT c.client_id, l.lawyer_id, o.id, o.title, o.duration_minutes, o.price_minor, o.currency,
                st.status,
                CASE WHEN st.status IN ('PENDING_PAYMENT', 'EXPIRED', 'PAID') THEN NULL ELSE t.start_at END,
                CASE WHEN st.status IN ('PENDING_PAYMENT', 'EXPIRED', 'PAID') THEN NULL ELSE t.start_at + make_interval(mins => o.duration_minutes) END,
                'cs_bench_' || l.n || '_' || k, t.start_at - interval '6 days',
                CASE WHEN st.status IN ('PENDING_PAYMENT', 'EXPIRED') THEN NULL ELSE t.start_at - interval '7 days' END,
                CASE WHEN st.status = 'CANCELLED' THEN t.start_at - interval '3 days' END,
                CASE WHEN st.status = 'COMPLETED' THEN t.start_at + make_interval(mins => o.duration_minutes) END,
                t.start_at - interval '7 days', t.start_at - interval '7 days'
           FROM bench_lawyers l
           JOIN offerings o ON o.id = l.offering_id
           CROSS JOIN generate_series(0, $3::int - 1) k
           JOIN bench_clients c ON c.i = (l.n * 31 + k) % (SELECT count(*) FROM bench_clients)
           CROSS JOIN LATERAL (SELECT date_trunc('day', now()) - interval '170 days' + interval '14 hours'
                                      + make_interval(days => 2 * k::int, hours => (l.n % 8)::int) AS start_at) t
           CROSS JOIN LATERAL (SELECT CASE
                    WHEN k % 23 = 0 THEN 'CANCELLED'
                    WHEN t.start_at > now() AND k % 11 = 0 THEN 'PAID'
                    WHEN t.start_at > now() AND k % 13 = 0 THEN 'PENDING_PAYMENT'
                    WHEN t.start_at > now() THEN 'SCHEDULED'
                    WHEN k % 29 = 0 THEN 'EXPIRED'
                    WHEN k % 31 = 0 THEN 'NO_SHOW_CLIENT'
                    ELSE 'COMPLETED' END AS status) st
          WHERE l.n BETWEEN $1 AND $2 AND (l.n - $1) * $3 + k < $4`,
        [first, last, perLawyer, remaining],
      );
      inserted += res.rowCount ?? 0;
      log(
        `seed: sessions ${inserted.toLocaleString('en-US')} / ${options.sessions.toLocaleString('en-US')} (${Math.round((inserted / options.sessions) * 100)} %)`,
      );
    }
    await db.query(
      'ANALYZE users; ANALYZE lawyer_profiles; ANALYZE offerings; ANALYZE lawyer_availability; ANALYZE legal_sessions; ANALYZE directory_listings',
    );
    const counts = await db.query<{ offerings: string }>('SELECT count(*) AS offerings FROM offerings');
    const seconds = (Date.now() - started) / 1000;
    log(`seed: done in ${seconds.toFixed(1)} s`);
    return { lawyers: options.lawyers, offerings: Number(counts.rows[0]!.offerings), sessions: inserted, seconds, reused: false };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}

/**
 * Tops the bench directory up to `lawyers` listed lawyers (profiles, 1-3 offerings, weekly
 * availability with a next free time in the coming days; no sessions), in batches of 10,000 with
 * progress: the same rows as seedMarketplace's lawyers, numbered on from the ones already there.
 * Inside each batch's transaction the read model's per-row triggers are off and the batch's
 * listings are refreshed in one set-based call instead (`directory_listings_refresh`, what the
 * triggers call per lawyer), so 100,000 lawyers take seconds, not a refresh per row.
 */
export async function seedDirectoryLawyers(
  databaseUrl: string,
  lawyers: number,
  log: (line: string) => void,
): Promise<{ added: number; seconds: number }> {
  const started = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const have = Number(
      (await db.query<{ n: string }>(`SELECT count(*) AS n FROM users WHERE email LIKE 'lawyer-%@${DOMAIN}'`)).rows[0]!.n,
    );
    const admin = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [`admin@${DOMAIN}`]);
    if (!admin.rows[0]) throw new Error('seedDirectoryLawyers: run the marketplace seed first');
    const BATCH = 10_000;
    for (let first = have + 1; first <= lawyers; first += BATCH) {
      const last = Math.min(lawyers, first + BATCH - 1);
      await db.query('BEGIN');
      for (const table of LISTING_SOURCES) await db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_directory_listings`);
      await db.query(
        `INSERT INTO users (email, password_hash, role, display_name, email_verified_at, created_at)
         SELECT 'lawyer-' || n || '@${DOMAIN}', $1, 'LAWYER',
                (${sqlArray(FIRST_NAMES)})[1 + n % ${FIRST_NAMES.length}] || ' ' || (${sqlArray(LAST_NAMES)})[1 + (n / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}] || ' ' || n,
                now(), now() - make_interval(days => n % 730)
           FROM generate_series($2::int, $3::int) n`,
        [NO_LOGIN_HASH, first, last],
      );
      await db.query(
        `CREATE TEMP TABLE batch ON COMMIT DROP AS
           SELECT n, u.id FROM generate_series($1::int, $2::int) n JOIN users u ON u.email = 'lawyer-' || n || '@${DOMAIN}'`,
        [first, last],
      );
      await db.query(
        `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status, verified_at, verified_by)
         SELECT b.id, 'BAR-' || n, p.jurisdiction, ARRAY[p.jurisdiction],
                ARRAY[(${sqlArray(AREAS)})[1 + n % ${AREAS.length}], (${sqlArray(AREAS)})[1 + (n * 7 + 3) % ${AREAS.length}]],
                CASE WHEN p.language = 'en' THEN ARRAY['en'] ELSE ARRAY[p.language, 'en'] END,
                'Advises individuals and small businesses on ' || (${sqlArray(AREAS)})[1 + n % ${AREAS.length}] || ' and '
                  || (${sqlArray(AREAS)})[1 + (n * 7 + 3) % ${AREAS.length}] || ' matters. Clear fixed-price consultations, '
                  || 'written follow-up within two days. Practising since ' || (1990 + n % 33) || '.',
                'VERIFIED', now() - make_interval(days => n % 700, secs => n % 86400), $1
           FROM batch b
           CROSS JOIN LATERAL (SELECT (${sqlArray(PLACES.map((p) => p[1]))})[1 + n % ${PLACES.length}] AS jurisdiction,
                                      (${sqlArray(PLACES.map((p) => p[2]))})[1 + n % ${PLACES.length}] AS language) p`,
        [admin.rows[0].id],
      );
      await db.query(
        `INSERT INTO offerings (lawyer_id, title, description, duration_minutes, price_minor, currency, active)
         SELECT b.id, (ARRAY['Initial consultation', 'Document review', 'Strategy session'])[k],
                'A focused consultation with written notes afterwards.', (ARRAY[30, 60, 90])[k],
                (CASE WHEN c.currency = 'JPY' THEN 50 ELSE 1 END) * (4000 + (n * 37 + k * 1500) % 26000), c.currency, k <> 3 OR n % 2 = 0
           FROM batch b
           CROSS JOIN LATERAL (SELECT (${sqlArray(PLACES.map((p) => p[3]))})[1 + n % ${PLACES.length}] AS currency) c
           CROSS JOIN generate_series(1, 1 + n % 3) k`,
      );
      await db.query(
        `INSERT INTO lawyer_availability (lawyer_id, time_zone, weekly, buffer_before_minutes, buffer_after_minutes, minimum_notice_minutes, max_sessions_per_day, next_available_at)
         SELECT b.id, (${sqlArray(PLACES.map((p) => p[0]))})[1 + n % ${PLACES.length}],
                (SELECT jsonb_agg(jsonb_build_object('weekday', d, 'start', '09:00', 'end', '12:30'))
                        || jsonb_agg(jsonb_build_object('weekday', d, 'start', '14:00', 'end', '18:00'))
                   FROM generate_series(1, 5) d),
                (n % 3) * 5, 10, 120 + (n % 4) * 60, CASE WHEN n % 5 = 0 THEN 4 END,
                date_trunc('hour', now()) + make_interval(hours => 3 + n % 200)
           FROM batch b`,
      );
      await db.query('SELECT directory_listings_refresh(ARRAY(SELECT id FROM batch), false)');
      for (const table of LISTING_SOURCES) await db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_directory_listings`);
      await db.query('COMMIT');
      log(
        `seed: directory ${last.toLocaleString('en-US')} / ${lawyers.toLocaleString('en-US')} lawyers (${Math.round(((last - have) / (lawyers - have)) * 100)} %)`,
      );
    }
    await db.query(
      'ANALYZE users; ANALYZE lawyer_profiles; ANALYZE offerings; ANALYZE lawyer_availability; ANALYZE directory_listings',
    );
    return { added: Math.max(0, lawyers - have), seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  const [url, lawyers = '2000', sessions = '200000'] = process.argv.slice(2);
  if (!url) {
    console.error('usage: bench:seed <databaseUrl> [lawyers=2000] [sessions=200000]');
    process.exit(64);
  }
  seedMarketplace(url, { lawyers: Number(lawyers), sessions: Number(sessions), clients: 5000 }).then(
    (s) => console.log(JSON.stringify(s)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
