/**
 * Seeds reviews for the reviews benchmark (issue 13), on top of the marketplace seed (its
 * verified lawyers, their shortest offering, its clients): COMPLETED, paid past sessions with
 * a closed review window, and for each such session both reviews (the client's of the lawyer,
 * public; the lawyer's of the client, admins only), both published when the second came in.
 * One client review in 40 is hidden by a moderation decision; one visible client review in 4
 * has the lawyer's response (one response in 25 hidden by a decision). `lawyer_ratings` is
 * then computed from the visible client reviews, as the reviews module maintains it.
 *
 * One bench lawyer (the "top" lawyer) gets one session in ten, so 10 % of all reviews; the
 * other sessions go round-robin over the other lawyers (the "typical" ones).
 *
 * Sizes are totals of the `reviews` table (two per session): `seedReviews(url, 10_000)` then
 * `seedReviews(url, 1_000_000)` in one process tops up from the first to the second. The
 * sessions (tagged `cs_bench_rv_<n>`) and their windows persist across runs; the review rows
 * do not: the first call of a process empties the review tables so that every run measures
 * 10k before 1M. Those tables are immutable for the app (triggers refuse TRUNCATE); the bench
 * truncates them with triggers off (`session_replication_role = replica`, superuser only), and
 * refuses to do it when the database holds any review that is not on a bench session.
 *
 * Set-based SQL (generate_series) in batches of BATCH_SESSIONS sessions, with progress lines.
 * Standalone: `tsx apps/api/bench/seed-reviews.ts <databaseUrl> [total=1000000]` (migrated
 * database with the marketplace seed).
 */
import { Client } from 'pg';

const DOMAIN = 'bench.lexmarket.example';
const TAG = 'cs_bench_rv_';
/** Sessions per batch (two reviews each). */
const BATCH_SESSIONS = 25_000;
/** Every HEAVY_EVERY-th session is the top lawyer's. */
const HEAVY_EVERY = 10;
/**
 * Review sessions lie before this instant, one hour apart per lawyer (k-th session of a lawyer
 * starts k+1 hours earlier), so they never overlap each other nor the marketplace seed's
 * sessions (which start 170 days before the seed ran). Fixed, so sessions added by a later
 * run line up with the earlier ones.
 */
const BASE = '2026-01-01T00:00:00Z';
const WINDOW_DAYS = 14;

const PHRASES = [
  'Clear, practical advice on my options.',
  'Explained the procedure step by step and what it would cost.',
  'Very well prepared: had read my documents before the call.',
  'Answered every question patiently, in plain language.',
  'The written summary afterwards was exactly what I needed.',
  'A bit rushed at the end, but the advice was sound.',
  'Helped me avoid an expensive mistake with the contract.',
  'Punctual, friendly and precise.',
  'I would book again for the next step of my case.',
  'Good overview, though I expected more detail on deadlines.',
];
const RESPONSES = [
  'Thank you for your kind words, good luck with the next steps.',
  'Thanks for the feedback; I will keep more time for questions next time.',
  'Glad the summary helped. Do get in touch if anything changes.',
];
const CLIENT_NOTES = ['Well prepared and on time.', 'Clear questions, documents ready.', 'Pleasant call.', ''];

/** A parenthesised text[] literal, ready to be subscripted. */
const sqlArray = (values: string[]) => `(ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[])`;
const n0 = (n: number) => n.toLocaleString('en-US');

export interface ReviewSeedSummary {
  reviews: number;
  sessionsCreated: number;
  seconds: number;
}

/** Review rows written by this process so far (0 = the tables were not reset yet in this process). */
let seededReviews = -1;

export async function seedReviews(databaseUrl: string, total: number, log: (line: string) => void = (l) => console.log(l)): Promise<ReviewSeedSummary> {
  if (total % 2 !== 0) throw new Error('reviews bench: the total must be even (two reviews per session)');
  const started = Date.now();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const sessionsWanted = total / 2;
    if (seededReviews < 0 || seededReviews > total) {
      await resetReviews(db, log);
      seededReviews = 0;
    }
    const sessionsCreated = await ensureSessions(db, sessionsWanted, log);
    const admin = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [`admin@${DOMAIN}`]);
    if (!admin.rows[0]) throw new Error('reviews bench: the marketplace seed (its admin) is missing');
    for (let first = seededReviews / 2; first < sessionsWanted; first += BATCH_SESSIONS) {
      const last = Math.min(sessionsWanted, first + BATCH_SESSIONS);
      await insertReviews(db, first, last, admin.rows[0].id);
      seededReviews = last * 2;
      log(`reviews: ${n0(seededReviews)} / ${n0(total)} (${Math.round((seededReviews / total) * 100)} %)`);
    }
    await recomputeRatings(db);
    await db.query('ANALYZE reviews; ANALYZE review_states; ANALYZE review_responses; ANALYZE lawyer_ratings; ANALYZE legal_sessions');
    const seconds = (Date.now() - started) / 1000;
    log(`reviews: ${n0(total)} in total, seeded in ${seconds.toFixed(1)} s`);
    return { reviews: total, sessionsCreated, seconds };
  } finally {
    await db.end();
  }
}

/** Empties the review tables (only bench reviews may be in them) and the rating aggregate. */
async function resetReviews(db: Client, log: (line: string) => void): Promise<void> {
  const foreign = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reviews r JOIN legal_sessions s ON s.id = r.session_id
      WHERE s.stripe_checkout_session_id IS NULL OR s.stripe_checkout_session_id NOT LIKE '${TAG}%'`,
  );
  if (foreign.rows[0]!.n > 0)
    throw new Error(`reviews bench: the database holds ${foreign.rows[0]!.n} reviews that are not bench reviews; use a bench database`);
  const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM reviews');
  await db.query('BEGIN');
  try {
    await db.query('SET LOCAL session_replication_role = replica');
    await db.query('TRUNCATE review_reports, review_moderation_decisions, review_responses, review_states, reviews, lawyer_ratings');
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  if (before.rows[0]!.n > 0) log(`reviews: removed the previous run's ${n0(before.rows[0]!.n)} bench reviews`);
}

/**
 * Makes sure bench review sessions 0 … wanted-1 exist (with their closed review window). Session
 * i: the top lawyer's (i / HEAVY_EVERY)-th when i % HEAVY_EVERY = 0, else round-robin over the
 * other bench lawyers; client round-robin over the bench clients.
 */
async function ensureSessions(db: Client, wanted: number, log: (line: string) => void): Promise<number> {
  const have = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM legal_sessions WHERE stripe_checkout_session_id LIKE '${TAG}%'`)).rows[0]!.n);
  if (have >= wanted) return 0;
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS bench_rv_lawyers AS
    SELECT row_number() OVER (ORDER BY substring(u.email FROM 'lawyer-(\\d+)@')::int) AS n, u.id AS lawyer_id,
           (SELECT o.id FROM offerings o WHERE o.lawyer_id = u.id ORDER BY o.duration_minutes, o.id LIMIT 1) AS offering_id
      FROM users u WHERE u.email LIKE 'lawyer-%@${DOMAIN}'`);
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS bench_rv_clients AS
    SELECT row_number() OVER (ORDER BY u.email) - 1 AS i, u.id AS client_id FROM users u WHERE u.email LIKE 'client-%@${DOMAIN}'`);
  const counts = await db.query<{ lawyers: number; clients: number; longest: number | null }>(
    `SELECT (SELECT count(*)::int FROM bench_rv_lawyers) AS lawyers, (SELECT count(*)::int FROM bench_rv_clients) AS clients,
            (SELECT max(o.duration_minutes) FROM bench_rv_lawyers l JOIN offerings o ON o.id = l.offering_id) AS longest`,
  );
  const { lawyers, clients, longest } = counts.rows[0]!;
  if (lawyers < 2 || clients < 1) throw new Error('reviews bench: run the marketplace seed first (bench lawyers and clients)');
  if ((longest ?? 0) > 60) throw new Error('reviews bench: the shortest offering of a bench lawyer is over 60 minutes (sessions are an hour apart)');
  const others = lawyers - 1;
  for (let first = have; first < wanted; first += 50_000) {
    const last = Math.min(wanted, first + 50_000);
    await db.query('BEGIN');
    try {
      await db.query(
        `INSERT INTO legal_sessions (client_id, lawyer_id, offering_id, offering_title, duration_minutes, price_minor, currency,
                                     status, start_at, end_at, stripe_checkout_session_id, checkout_expires_at, paid_at,
                                     completed_at, created_at, updated_at)
         SELECT c.client_id, l.lawyer_id, o.id, o.title, o.duration_minutes, o.price_minor, o.currency,
                'COMPLETED', t.start_at, t.start_at + make_interval(mins => o.duration_minutes), '${TAG}' || g.i,
                t.start_at - interval '6 days', t.start_at - interval '7 days',
                t.start_at + make_interval(mins => o.duration_minutes), t.start_at - interval '7 days',
                t.start_at + make_interval(mins => o.duration_minutes)
           FROM generate_series($1::bigint, $2::bigint - 1) g(i)
           CROSS JOIN LATERAL (SELECT CASE WHEN g.i % ${HEAVY_EVERY} = 0 THEN 1 ELSE 2 + (g.i - g.i / ${HEAVY_EVERY} - 1) % ${others} END AS n,
                                      CASE WHEN g.i % ${HEAVY_EVERY} = 0 THEN g.i / ${HEAVY_EVERY} ELSE (g.i - g.i / ${HEAVY_EVERY} - 1) / ${others} END AS k) m
           JOIN bench_rv_lawyers l ON l.n = m.n
           JOIN offerings o ON o.id = l.offering_id
           JOIN bench_rv_clients c ON c.i = (g.i * 7) % ${clients}
           CROSS JOIN LATERAL (SELECT '${BASE}'::timestamptz - make_interval(hours => (m.k + 1)::int) AS start_at) t`,
        [first, last],
      );
      // Every COMPLETED session has its review window; these closed long ago, published (both reviews in, or the deadline).
      await db.query(
        `INSERT INTO review_windows (session_id, client_id, lawyer_id, completed_at, deadline_at, published_at)
         SELECT s.id, s.client_id, s.lawyer_id, s.completed_at, s.completed_at + interval '${WINDOW_DAYS} days',
                s.completed_at + make_interval(hours => 1 + (g.i % 72)::int)
           FROM generate_series($1::bigint, $2::bigint - 1) g(i)
           JOIN legal_sessions s ON s.stripe_checkout_session_id = '${TAG}' || g.i`,
        [first, last],
      );
      await db.query('COMMIT');
    } catch (e) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    log(`reviews: sessions ${n0(last)} / ${n0(wanted)} (${Math.round((last / wanted) * 100)} %)`);
  }
  return wanted - have;
}

/**
 * Both reviews of bench sessions first … last-1, their states, responses and moderation
 * decisions, in one transaction. The later review is written 1–72 h after the end, the earlier
 * one up to 24 h before that; both are published at the later one's time (the window's
 * published_at).
 */
async function insertReviews(db: Client, first: number, last: number, adminId: string): Promise<void> {
  await db.query('BEGIN');
  try {
    // Bulk load as pg_restore --disable-triggers does: the foreign-key checks (triggers) are skipped;
    // every id below comes from a join with the row it references. The tables have no other insert trigger.
    await db.query('SET LOCAL session_replication_role = replica');
    await db.query(
      `CREATE TEMP TABLE bench_rv_batch ON COMMIT DROP AS
       SELECT gen_random_uuid() AS id, g.i, side.side, s.id AS session_id, s.offering_title, w.published_at,
              CASE side.side WHEN 'CLIENT' THEN s.client_id ELSE s.lawyer_id END AS author_id,
              CASE side.side WHEN 'CLIENT' THEN s.lawyer_id ELSE s.client_id END AS subject_id,
              CASE side.side
                WHEN 'CLIENT' THEN (ARRAY[1, 2, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5])[1 + x.h % 20]
                ELSE (ARRAY[3, 4, 5, 5, 5])[1 + x.h % 5] END::smallint AS rating,
              CASE side.side
                WHEN 'CLIENT' THEN CASE WHEN x.h / 20 % 9 = 0 THEN ''
                  ELSE array_to_string(ARRAY[${sqlArray(PHRASES)}[1 + x.h / 180 % ${PHRASES.length}],
                                            CASE WHEN x.h / 1800 % 3 > 0 THEN ${sqlArray(PHRASES)}[1 + x.h / 5400 % ${PHRASES.length}] END,
                                            CASE WHEN x.h / 1800 % 3 > 1 THEN ${sqlArray(PHRASES)}[1 + x.h / 54000 % ${PHRASES.length}] END], ' ') END
                ELSE ${sqlArray(CLIENT_NOTES)}[1 + x.h / 20 % ${CLIENT_NOTES.length}] END AS comment,
              CASE WHEN (side.side = 'CLIENT') = (x.h / 7 % 2 = 0) THEN w.published_at
                   ELSE w.published_at - make_interval(mins => (g.i % 1440)::int) END AS created_at,
              side.side = 'CLIENT' AND x.h / 540000 % 40 = 7 AS hidden,
              side.side = 'CLIENT' AND x.h / 540000 % 40 <> 7 AND x.h / 21600000 % 4 = 1 AS responded,
              side.side = 'CLIENT' AND x.h / 540000 % 40 <> 7 AND x.h / 21600000 % 4 = 1 AND x.h % 25 = 3 AS response_hidden
         FROM generate_series($1::bigint, $2::bigint - 1) g(i)
         -- A 31-bit hash of the session number: ratings, texts, hiding and responses independent of the lawyer (every 10th session is the top lawyer's).
         CROSS JOIN LATERAL (SELECT (hashint8(g.i) & 2147483647)::bigint AS h) x
         JOIN legal_sessions s ON s.stripe_checkout_session_id = '${TAG}' || g.i
         JOIN review_windows w ON w.session_id = s.id
         CROSS JOIN (VALUES ('CLIENT'), ('LAWYER')) side(side)`,
      [first, last],
    );
    await db.query(
      `INSERT INTO reviews (id, session_id, offering_title, author_id, subject_id, author_side, rating, comment, created_at)
       SELECT id, session_id, offering_title, author_id, subject_id, side, rating, comment, created_at FROM bench_rv_batch`,
    );
    await db.query(
      `INSERT INTO review_responses (review_id, author_id, body, created_at)
       SELECT id, subject_id, ${sqlArray(RESPONSES)}[1 + i / 10 % ${RESPONSES.length}], published_at + interval '1 day'
         FROM bench_rv_batch WHERE responded`,
    );
    await db.query(
      `INSERT INTO review_moderation_decisions (review_id, target, action, reason_code, note, admin_id, created_at)
       SELECT id, 'REVIEW', 'HIDE', 'OFFENSIVE', 'Bench: hidden by moderation', $1::uuid, published_at + interval '2 days' FROM bench_rv_batch WHERE hidden
       UNION ALL
       SELECT id, 'RESPONSE', 'HIDE', 'PERSONAL_DATA', 'Bench: response hidden', $1::uuid, published_at + interval '3 days' FROM bench_rv_batch WHERE response_hidden`,
      [adminId],
    );
    await db.query(
      `INSERT INTO review_states (review_id, subject_id, author_side, published_at, hidden, response_hidden, updated_at)
       SELECT id, subject_id, side, published_at, hidden, response_hidden,
              CASE WHEN response_hidden THEN published_at + interval '3 days'
                   WHEN hidden THEN published_at + interval '2 days' ELSE published_at END
         FROM bench_rv_batch`,
    );
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

/**
 * lawyer_ratings from the visible client reviews (published, not hidden), with the module's
 * Bayesian score: (PRIOR_WEIGHT × PRIOR_MEAN + sum) / (PRIOR_WEIGHT + count), prior 4.0 × 5.
 */
async function recomputeRatings(db: Client): Promise<void> {
  await db.query('BEGIN');
  try {
    await db.query('DELETE FROM lawyer_ratings');
    await db.query(
      `INSERT INTO lawyer_ratings (lawyer_id, review_count, rating_sum, c1, c2, c3, c4, c5, score, updated_at)
       SELECT st.subject_id, count(*), sum(r.rating),
              count(*) FILTER (WHERE r.rating = 1), count(*) FILTER (WHERE r.rating = 2), count(*) FILTER (WHERE r.rating = 3),
              count(*) FILTER (WHERE r.rating = 4), count(*) FILTER (WHERE r.rating = 5),
              round((5 * 4.0 + sum(r.rating)) / (5 + count(*)), 4), max(st.updated_at)
         FROM review_states st JOIN reviews r ON r.id = st.review_id
        WHERE st.author_side = 'CLIENT' AND st.published_at IS NOT NULL AND NOT st.hidden
        GROUP BY st.subject_id`,
    );
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

if (require.main === module) {
  const [url, total = '1000000'] = process.argv.slice(2);
  if (!url) {
    console.error('usage: tsx apps/api/bench/seed-reviews.ts <databaseUrl> [total=1000000]');
    process.exit(64);
  }
  seedReviews(url, Number(total)).then(
    (s) => console.log(JSON.stringify(s)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
