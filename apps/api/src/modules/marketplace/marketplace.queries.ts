/**
 * The marketplace's read SQL for the directory and for slots, with no Nest or TypeORM
 * dependency: the repositories run these through TypeORM, and the benchmark's bare
 * Fastify + `pg` baseline imports the very same text, so both sides measure one query.
 *
 * Cross-module read: the slot queries read `legal_sessions` (owned by consultations) read-only,
 * to know the lawyer's held times: sessions with a start that are neither CANCELLED nor
 * EXPIRED — exactly the rows the `ex_legal_sessions_no_double_booking` constraint covers. The
 * directory reads the reviews module's `lawyer_rating_summaries` view for ratings.
 */
import type { PracticeArea } from '@lm/domain';
import { computeSlots, type AvailabilityPolicy, type DateOverride, type TimeRange, type WeeklyRule } from './availability/slots';

/** Longest offering (minutes): a session ending after `t` started after `t - MAX_DURATION`. */
const MAX_DURATION = 240;

/**
 * The columns of one lawyer's slot inputs, for a lawyer_availability row aliased `a`:
 * rules, plus overrides, blackouts and held sessions around [$from, $to) as JSON arrays.
 * The windows are widened by two days on each side so a daily cap and the buffers see
 * every session of every local day the range touches.
 */
function slotContextColumns(from: string, to: string, excludeSessionId: string): string {
  return `
       a.time_zone AS "timeZone", a.weekly,
       a.buffer_before_minutes AS "bufferBeforeMinutes", a.buffer_after_minutes AS "bufferAfterMinutes",
       a.minimum_notice_minutes AS "minimumNoticeMinutes", a.max_sessions_per_day AS "maxSessionsPerDay",
       COALESCE((SELECT json_agg(json_build_object('date', to_char(ov.date, 'YYYY-MM-DD'), 'windows', ov.windows))
                   FROM availability_overrides ov
                  WHERE ov.lawyer_id = a.lawyer_id
                    AND ov.date BETWEEN (${from}::timestamptz - interval '2 days')::date AND (${to}::timestamptz + interval '2 days')::date),
                '[]'::json) AS overrides,
       COALESCE((SELECT json_agg(json_build_object('start', b.start_at, 'end', b.end_at))
                   FROM availability_blackouts b
                  WHERE b.lawyer_id = a.lawyer_id AND b.end_at > ${from}::timestamptz AND b.start_at < ${to}::timestamptz),
                '[]'::json) AS blackouts,
       COALESCE((SELECT json_agg(json_build_object('start', s.start_at, 'end', s.end_at))
                   FROM session_bookings s
                  WHERE s.lawyer_id = a.lawyer_id
                    AND s.start_at IS NOT NULL AND s.status NOT IN ('CANCELLED', 'EXPIRED')
                    AND s.start_at > ${from}::timestamptz - interval '2 days' - interval '${MAX_DURATION} minutes'
                    AND s.start_at < ${to}::timestamptz + interval '2 days'
                    AND s.end_at > ${from}::timestamptz - interval '2 days'
                    AND (${excludeSessionId}::uuid IS NULL OR s.id <> ${excludeSessionId}::uuid)),
                '[]'::json) AS busy`;
}

/**
 * Slot inputs of one lawyer (no visibility check): `$1` lawyer id, `$2` from, `$3` to (ISO
 * instants), `$4` a session id to leave out of the held times (a reschedule's own session) or
 * null. No row when the lawyer has not set availability.
 */
export const SLOT_CONTEXT_SQL = `
SELECT ${slotContextColumns('$2', '$3', '$4')}
  FROM lawyer_availability a
 WHERE a.lawyer_id = $1`;

/**
 * Serialises bookings of one lawyer. Run on its own before SLOT_CONTEXT_SQL: under READ
 * COMMITTED the next statement takes a fresh snapshot, so it sees a session committed by the
 * booking that held the lock before us (a single `SELECT … FOR UPDATE` with the sub-queries
 * would still read them from the snapshot taken before the wait).
 */
export const LOCK_AVAILABILITY_SQL = 'SELECT lawyer_id FROM lawyer_availability WHERE lawyer_id = $1 FOR UPDATE';

/**
 * The public slots endpoint in one round trip: the active offering `$2` of the listed
 * (VERIFIED, ACTIVE) lawyer `$1`, with that lawyer's slot inputs for [`$3`, `$4`). No row when
 * the offering is not for sale; a row with a null `timeZone` when the lawyer has no
 * availability yet (no slots).
 */
export const PUBLIC_SLOTS_SQL = `
SELECT o.duration_minutes AS "durationMinutes", ${slotContextColumns('$3', '$4', 'NULL')}
  FROM offerings o
  JOIN listed_lawyers p ON p.user_id = o.lawyer_id
  LEFT JOIN lawyer_availability a ON a.lawyer_id = o.lawyer_id
 WHERE o.id = $2 AND o.lawyer_id = $1 AND o.active`;

/** A row of SLOT_CONTEXT_SQL / PUBLIC_SLOTS_SQL as the `pg` driver returns it. */
export interface SlotContextRow {
  timeZone: string | null;
  weekly: WeeklyRule[] | null;
  bufferBeforeMinutes: number | null;
  bufferAfterMinutes: number | null;
  minimumNoticeMinutes: number | null;
  maxSessionsPerDay: number | null;
  overrides: DateOverride[];
  blackouts: { start: string; end: string }[];
  busy: { start: string; end: string }[];
}

const toRange = (r: { start: string; end: string }): TimeRange => ({ start: new Date(r.start), end: new Date(r.end) });

/** The free slots of a row of SLOT_CONTEXT_SQL / PUBLIC_SLOTS_SQL (none without availability). */
export function slotsOf(row: SlotContextRow, query: { durationMinutes: number; from: Date; to: Date; now: Date }): TimeRange[] {
  if (!row.timeZone) return [];
  const policy: AvailabilityPolicy = {
    timeZone: row.timeZone,
    weekly: row.weekly ?? [],
    overrides: row.overrides,
    blackouts: row.blackouts.map(toRange),
    bufferBeforeMinutes: row.bufferBeforeMinutes ?? 0,
    bufferAfterMinutes: row.bufferAfterMinutes ?? 0,
    minimumNoticeMinutes: row.minimumNoticeMinutes ?? 0,
    maxSessionsPerDay: row.maxSessionsPerDay,
  };
  return computeSlots(policy, { ...query, busy: row.busy.map(toRange) });
}

// ------------------------------------------------------------------------------- directory

export const DIRECTORY_SORTS = ['relevance', 'price', 'soonest', 'newest', 'rating'] as const;
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];

export interface DirectoryFilters {
  /** Free text over name, bio, practice areas and jurisdictions (words are matched as prefixes). */
  q?: string;
  /** Place names found in the free text: each matches its words as text OR the lawyers listing its code. */
  places?: { text: string; code: string }[];
  practiceArea?: PracticeArea;
  jurisdiction?: string;
  /** ISO 639-1, lower case. */
  language?: string;
  /** Only lawyers with an active offering in this currency (and at most maxPriceMinor, when given). */
  currency?: string;
  maxPriceMinor?: number;
  /** Only lawyers whose average rating (over visible reviews) is at least this; unrated lawyers are left out. */
  minRating?: number;
  sort: DirectorySort;
  page: number;
  pageSize: number;
}

/** A row of the directory query. `total` is on every row; a page past the end is one row with only `total`. */
export interface DirectoryRow {
  total: number;
  id: string | null;
  displayName: string;
  practiceAreas: PracticeArea[];
  jurisdictions: string[];
  languages: string[];
  shortBio: string;
  hasPhoto: boolean;
  fromPriceMinor: number;
  currency: string;
  nextAvailableAt: Date | null;
  verifiedAt: Date;
  /** Average stars (2 decimals) over visible reviews; null without any. */
  ratingAverage: number | null;
  ratingCount: number;
}

/** A lawyer's rating as cards and profiles show it. */
export interface RatingSummary {
  average: number | null;
  count: number;
}

/** A directory card as the API answers it (DirectoryLawyerResponse documents the same shape). */
export interface DirectoryItem extends Omit<DirectoryRow, 'total' | 'id' | 'ratingAverage' | 'ratingCount'> {
  id: string;
  photoUrl: string | null;
  rating: RatingSummary;
}

/** The rows of one directory page as the API's items (the past-the-end row carries only `total`). */
export function directoryItems(rows: DirectoryRow[]): DirectoryItem[] {
  return rows
    .filter((r): r is DirectoryRow & { id: string } => r.id !== null)
    .map((r) => ({
      id: r.id,
      displayName: r.displayName,
      practiceAreas: r.practiceAreas,
      jurisdictions: r.jurisdictions,
      languages: r.languages,
      shortBio: r.shortBio,
      hasPhoto: r.hasPhoto,
      photoUrl: r.hasPhoto ? `/api/lawyers/${r.id}/photo` : null,
      fromPriceMinor: r.fromPriceMinor,
      currency: r.currency,
      nextAvailableAt: r.nextAvailableAt,
      verifiedAt: r.verifiedAt,
      rating: { average: r.ratingAverage, count: r.ratingCount },
    }));
}

/** Short bio length (characters, including the ellipsis). */
export const SHORT_BIO_LENGTH = 280;
const MAX_QUERY_WORDS = 8;

/**
 * Turns free text into a prefix `tsquery` for the `lm_search` configuration (`simple` behind
 * `unaccent`, which also folds the accents of the query's words): letters and digits only (so
 * nothing the user types is tsquery syntax), lower case, each word `word:*`, all required.
 * Null when no word is left.
 */
export function toPrefixTsQuery(text: string): string | null {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_QUERY_WORDS);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

const ORDER: Record<DirectorySort, string> = {
  // Prices in different currencies are not converted: they group by currency, cheapest first.
  price: 'm.currency ASC, m.price_minor ASC, m.verified_at DESC, m.user_id ASC',
  soonest: 'm.next_available_at ASC NULLS LAST, m.price_minor ASC, m.user_id ASC',
  newest: 'm.verified_at DESC, m.user_id ASC',
  relevance: 'm.rank DESC, m.verified_at DESC, m.user_id ASC',
  // The Bayesian score of the reviews module (prior 4.0 × 5 reviews), most reviews on a tie; unrated lawyers last.
  rating: 'm.rating_score DESC NULLS LAST, m.rating_count DESC, m.user_id ASC',
};

/**
 * `$1` lawyer id → the lawyer's rating (the reviews module's view); no row while they have never
 * had a visible review.
 */
export const RATING_SUMMARY_SQL = `
SELECT average::float8 AS average, review_count AS count FROM lawyer_rating_summaries WHERE lawyer_id = $1`;

/**
 * The directory page and its total in one statement. Only VERIFIED lawyers of ACTIVE accounts
 * with at least one active offering (matching the currency / price filters) are listed; the
 * "from" price is their cheapest such offering. Text search uses the GIN-indexed
 * `search_document` of the lawyers module's `listed_lawyers` view (migrations 1764610000000,
 * 1764630000000 and 1764640000000).
 */
export function buildDirectoryQuery(filters: DirectoryFilters): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  const offeringWhere = ['o.lawyer_id = p.user_id', 'o.active'];
  let rank = '0::real';
  const tsQuery = filters.q ? toPrefixTsQuery(filters.q) : null;
  if (tsQuery) {
    const q = `to_tsquery('lm_search', ${param(tsQuery)})`;
    where.push(`p.search_document @@ ${q}`);
    rank = `ts_rank(p.search_document, ${q})`;
  }
  for (const place of filters.places ?? []) {
    const words = toPrefixTsQuery(place.text);
    const asText = words ? `p.search_document @@ to_tsquery('lm_search', ${param(words)}) OR ` : '';
    where.push(`(${asText}EXISTS (SELECT 1 FROM unnest(p.jurisdictions) j WHERE upper(j) = ${param(place.code)}))`);
  }
  if (filters.practiceArea) where.push(`p.practice_areas @> ARRAY[${param(filters.practiceArea)}]::text[]`);
  if (filters.jurisdiction)
    where.push(`EXISTS (SELECT 1 FROM unnest(p.jurisdictions) j WHERE lower(j) = lower(${param(filters.jurisdiction)}))`);
  if (filters.language) where.push(`p.languages @> ARRAY[${param(filters.language.toLowerCase())}]::text[]`);
  if (filters.currency) offeringWhere.push(`o.currency = ${param(filters.currency)}`);
  if (filters.maxPriceMinor !== undefined) offeringWhere.push(`o.price_minor <= ${param(filters.maxPriceMinor)}`);
  if (filters.minRating !== undefined) where.push(`rs.average >= ${param(filters.minRating)}`);
  const limit = param(filters.pageSize);
  const offset = param((filters.page - 1) * filters.pageSize);

  const text = `
WITH matches AS MATERIALIZED (
  SELECT p.user_id, p.display_name, p.practice_areas, p.jurisdictions, p.languages, p.bio, p.photo_key, p.verified_at,
         a.next_available_at, cheapest.price_minor, cheapest.currency, ${rank} AS rank,
         rs.average::float8 AS rating_average, COALESCE(rs.review_count, 0) AS rating_count, rs.score AS rating_score
    FROM listed_lawyers p
    CROSS JOIN LATERAL (
      SELECT o.price_minor, o.currency FROM offerings o
       WHERE ${offeringWhere.join(' AND ')}
       ORDER BY o.price_minor, o.currency LIMIT 1
    ) cheapest
    LEFT JOIN lawyer_availability a ON a.lawyer_id = p.user_id
    LEFT JOIN lawyer_rating_summaries rs ON rs.lawyer_id = p.user_id
   ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
)
SELECT t.total, page.*
  FROM (SELECT count(*)::int AS total FROM matches) t
  LEFT JOIN LATERAL (
    SELECT row_number() OVER (ORDER BY ${ORDER[filters.sort]}) AS ord,
           m.user_id AS id, m.display_name AS "displayName", m.practice_areas AS "practiceAreas",
           m.jurisdictions, m.languages,
           CASE WHEN char_length(m.bio) > ${SHORT_BIO_LENGTH} THEN rtrim(left(m.bio, ${SHORT_BIO_LENGTH - 1})) || '…' ELSE m.bio END AS "shortBio",
           m.photo_key IS NOT NULL AS "hasPhoto", m.price_minor::int AS "fromPriceMinor", m.currency,
           m.next_available_at AS "nextAvailableAt", m.verified_at AS "verifiedAt",
           m.rating_average AS "ratingAverage", m.rating_count AS "ratingCount"
      FROM matches m
     ORDER BY ${ORDER[filters.sort]}
     LIMIT ${limit} OFFSET ${offset}
  ) page ON true
 ORDER BY page.ord`;
  return { text, values };
}
