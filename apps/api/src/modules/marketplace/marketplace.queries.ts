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

/**
 * A row of the directory query. `total` (at most the cap + 1) is on every row; a page past
 * the end is one row with only `total`.
 */
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
  /** The row's key in the sort (for the next page's cursor). */
  sortKey: DirectorySortKey;
}

/** A lawyer's rating as cards and profiles show it. */
export interface RatingSummary {
  average: number | null;
  count: number;
}

/** A directory card as the API answers it (DirectoryLawyerResponse documents the same shape). */
export interface DirectoryItem extends Omit<DirectoryRow, 'total' | 'id' | 'ratingAverage' | 'ratingCount' | 'sortKey'> {
  id: string;
  photoUrl: string | null;
  rating: RatingSummary;
}

/** One directory page: its items, the (capped) total, and the sort key to continue after (null on the last page). */
export interface DirectoryPage {
  items: DirectoryItem[];
  /** Exact up to the search's cap (directoryTotalCap); the cap when `totalCapped`. */
  total: number;
  totalCapped: boolean;
  nextKey: DirectorySortKey | null;
}

/** The rows of the directory query (page size + 1 at most; the past-the-end row carries only `total`) as a page. */
export function directoryPage(rows: DirectoryRow[], pageSize: number, cap: number): DirectoryPage {
  const found = rows.filter((r): r is DirectoryRow & { id: string } => r.id !== null);
  const shown = found.slice(0, pageSize);
  const count = rows[0]?.total ?? 0;
  return {
    total: Math.min(count, cap),
    totalCapped: count > cap,
    nextKey: found.length > pageSize ? shown[shown.length - 1]!.sortKey : null,
    items: shown.map((r) => ({
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
    })),
  };
}

/** Short bio length (characters, including the ellipsis); the read model's migration cuts bios to it. */
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

/**
 * `$1` lawyer id → the lawyer's rating (the reviews module's view); no row while they have never
 * had a visible review.
 */
export const RATING_SUMMARY_SQL = `
SELECT average::float8 AS average, review_count AS count FROM lawyer_rating_summaries WHERE lawyer_id = $1`;

/** Totals are exact up to this many matches; above it the directory answers "1,000+" (`totalCapped`). */
export const DIRECTORY_TOTAL_CAP = 1000;
/**
 * The cap of a narrowed search (text, place, practice area, jurisdiction, language, price or
 * rating): counting its matches means intersecting the filters' index entries or scanning until
 * enough rows match, which grows with the directory, so it stops at 100 ("100+"): at most a few
 * thousand rows read whatever the directory's size. The unfiltered directory (or one currency)
 * counts along a btree, cheap up to 1,000.
 */
export const DIRECTORY_FILTERED_TOTAL_CAP = 100;

/** The total cap of a search with these filters. */
export function directoryTotalCap(filters: DirectoryFilters): number {
  const narrowed =
    !!filters.q ||
    (filters.places?.length ?? 0) > 0 ||
    !!filters.practiceArea ||
    !!filters.jurisdiction ||
    !!filters.language ||
    filters.maxPriceMinor !== undefined ||
    filters.minRating !== undefined;
  return narrowed ? DIRECTORY_FILTERED_TOTAL_CAP : DIRECTORY_TOTAL_CAP;
}

/**
 * Each sort as an ascending key over `directory_listings` (migration 1764800000000), one btree
 * per sort: the key's columns, and the PostgreSQL type each takes back from a cursor.
 * Prices in different currencies are not converted: `price` groups by currency, cheapest first.
 * `rating` is the reviews module's Bayesian score (prior 4.0 × 5 reviews), most reviews on a
 * tie, unrated lawyers last. `relevance`'s first key is computed (minus the text rank).
 */
const SORT_KEYS: Record<DirectorySort, { columns: string[]; types: string[] }> = {
  soonest: { columns: ['l.soon_at', 'l.price_minor', 'l.lawyer_id'], types: ['timestamptz', 'bigint', 'uuid'] },
  price: {
    columns: ['l.currency', 'l.price_minor', 'l.verified_key', 'l.lawyer_id'],
    types: ['text', 'bigint', 'bigint', 'uuid'],
  },
  newest: { columns: ['l.verified_key', 'l.lawyer_id'], types: ['bigint', 'uuid'] },
  relevance: { columns: ['RANK', 'l.verified_key', 'l.lawyer_id'], types: ['real', 'bigint', 'uuid'] },
  rating: { columns: ['l.rating_key', 'l.rating_count_key', 'l.lawyer_id'], types: ['numeric', 'int', 'uuid'] },
};

/** The values of a row's sort key, as the directory query returns them (JSON) and a cursor carries them. */
export type DirectorySortKey = (string | number)[];

/**
 * Whether `key` is a key of `sort` that PostgreSQL takes back without an error (a cursor from a
 * client is checked before it reaches SQL): the shape, and each value within its type's range —
 * a real calendar instant PostgreSQL accepts for `timestamptz` (no 30 February, no year 0, an
 * offset of at most 15:59), a 32-bit integer for `int`, a value `real` neither overflows nor
 * rounds to zero for `real` (22008 / 22003 would otherwise be a 500).
 */
export function isSortKey(sort: DirectorySort, key: unknown): key is DirectorySortKey {
  const { types } = SORT_KEYS[sort];
  if (!Array.isArray(key) || key.length !== types.length) return false;
  return types.every((type, i) => {
    const v: unknown = key[i];
    switch (type) {
      case 'uuid':
        return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
      case 'timestamptz':
        return typeof v === 'string' && (v === 'infinity' || isTimestamp(v));
      case 'text':
        return typeof v === 'string' && /^[A-Z]{3}$/.test(v);
      case 'int':
        return typeof v === 'number' && Number.isInteger(v) && v >= INT4_MIN && v <= INT4_MAX;
      case 'bigint':
        return typeof v === 'number' && Number.isSafeInteger(v);
      case 'real':
        return typeof v === 'number' && isFloat4(v);
      default:
        return typeof v === 'number' && Number.isFinite(v);
    }
  });
}

const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;

/** Whether PostgreSQL's `real` input takes `v`: finite in single precision, and not a non-zero that underflows to 0. */
function isFloat4(v: number): boolean {
  const single = Math.fround(v);
  return Number.isFinite(single) && (single !== 0 || v === 0);
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|([+-])(\d{2})(?::(\d{2}))?)$/;

/** An ISO 8601 instant whose fields are a real date and time (year 1 to 9999, offset under 16 hours). */
function isTimestamp(v: string): boolean {
  const m = TIMESTAMP.exec(v);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return false;
  if (m[8] !== 'Z' && (Number(m[10]) > 15 || Number(m[11] ?? 0) > 59)) return false;
  // Date.UTC rolls 30 February over to March: the fields must come back unchanged.
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(v))
  );
}

/**
 * The directory page and its (capped) total in one statement, over the `directory_listings`
 * read model: one row per listed lawyer (VERIFIED, ACTIVE account, at least one active offering
 * in the filtered currency / price), its "from" price the cheapest such offering. The page is a
 * range scan of the sort's btree — over `directory_facets` when a practice area, language or
 * jurisdiction is searched without text or currency — from `after` (keyset: the sort key of the
 * previous page's last row) or from an offset (page numbers); the total counts at most the cap + 1
 * matches (directoryTotalCap). Text search uses the listing's GIN-indexed copy of the lawyers
 * module's `search_document`. Each row carries its `sortKey` (JSON) for the next cursor.
 */
export function buildDirectoryQuery(filters: DirectoryFilters & { after?: DirectorySortKey }): {
  text: string;
  values: unknown[];
  /**
   * Whether one plan fits every value of the parameters: only btrees can serve the statement (no
   * text search, no GIN-indexed array test on the listings), so the plan is the sort's ordered
   * scan whatever is searched. Such a statement may run prepared with a generic plan (see
   * DirectoryRepository); the others are planned for their values each time (a rare
   * jurisdiction is best found through its GIN index, a common one by walking the sort's btree).
   */
  genericPlan: boolean;
} {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  let rank = '0::real';
  const tsQuery = filters.q ? toPrefixTsQuery(filters.q) : null;
  if (tsQuery) {
    const q = `to_tsquery('lm_search', ${param(tsQuery)})`;
    where.push(`l.search_document @@ ${q}`);
    rank = `ts_rank(l.search_document, ${q})`;
  }
  for (const place of filters.places ?? []) {
    const words = toPrefixTsQuery(place.text);
    const asText = words ? `l.search_document @@ to_tsquery('lm_search', ${param(words)}) OR ` : '';
    where.push(`(${asText}l.jurisdiction_keys @> ARRAY[lower(${param(place.code)})]::text[])`);
  }
  const textSearch = tsQuery !== null || (filters.places ?? []).length > 0;
  // Jurisdiction, practice area and language, most likely narrow first: each a facet of
  // `directory_facets` (the listings filed under it) or a test of the listing's array.
  const facets: { facet: string; test: string }[] = [];
  if (filters.jurisdiction) {
    const code = param(filters.jurisdiction);
    facets.push({ facet: `'j:' || lower(${code})`, test: `l.jurisdiction_keys @> ARRAY[lower(${code})]::text[]` });
  }
  if (filters.practiceArea) {
    const area = param(filters.practiceArea);
    facets.push({ facet: `'a:' || ${area}`, test: `l.practice_areas @> ARRAY[${area}]::text[]` });
  }
  if (filters.language) {
    const language = param(filters.language.toLowerCase());
    facets.push({ facet: `'l:' || ${language}`, test: `l.languages @> ARRAY[${language}]::text[]` });
  }
  // With a currency, the lawyer's row in that currency (its cheapest offering there); else their overall cheapest.
  const currency = filters.currency ? param(filters.currency) : null;
  const listing = (alias: string) => (currency ? `${alias}.currency = ${currency}` : `${alias}.is_primary`);
  // A faceted search over primary listings walks the first facet's entries (in the sort's order)
  // and tests the rest there; text search and a currency read the listings themselves.
  const [lead, ...others] = facets;
  const byFacet = lead !== undefined && currency === null && !textSearch;
  if (byFacet) where.push(`l.facet = ${lead.facet}`, ...others.map((f) => f.test));
  else where.push(...facets.map((f) => f.test), listing('l'));
  if (filters.maxPriceMinor !== undefined) where.push(`l.price_minor <= ${param(filters.maxPriceMinor)}`);
  if (filters.minRating !== undefined) where.push(`l.rating_average >= ${param(filters.minRating)}`);
  // Filters the sort's btree cannot seek to: the page skips non-matching entries, inside the index
  // (its INCLUDEd columns, DirectoryCoveringIndexes1764830000000 / DirectoryFacets1764830000001)
  // when it finds the page's keys first and reads only the shown listings after.
  const skips = !textSearch && where.length > 1;
  const source = byFacet ? 'directory_facets' : 'directory_listings';

  const { columns, types } = SORT_KEYS[filters.sort];
  const keys = columns.map((c) => (c === 'RANK' ? `(-${rank})` : c));
  const pageWhere = [...where];
  if (filters.after) {
    const after = filters.after.map((v, i) => `${param(v)}::${types[i]}`);
    pageWhere.push(`(${keys.join(', ')}) > (${after.join(', ')})`);
  }
  const cap = param(directoryTotalCap(filters) + 1);
  // One row more than the page: whether there is a next page.
  const limit = param(filters.pageSize + 1);
  const offset = param(filters.after ? 0 : (filters.page - 1) * filters.pageSize);
  const order = keys.join(', ');

  const shown = (
    alias: string,
  ) => `${alias}.lawyer_id AS id, ${alias}.display_name AS "displayName", ${alias}.practice_areas AS "practiceAreas",
           ${alias}.jurisdictions, ${alias}.languages, ${alias}.short_bio AS "shortBio", ${alias}.has_photo AS "hasPhoto",
           ${alias}.price_minor::int AS "fromPriceMinor", ${alias}.currency,
           ${alias}.next_available_at AS "nextAvailableAt", ${alias}.verified_at AS "verifiedAt",
           ${alias}.rating_average::float8 AS "ratingAverage", ${alias}.rating_count AS "ratingCount"`;
  // The page: straight from the sort's btree when every entry it walks is shown; else its keys
  // first (an index-only scan past the skipped entries), then the shown listings.
  const page =
    skips || byFacet
      ? `SELECT k.ord, ${shown('r')}, k."sortKey"
      FROM (SELECT row_number() OVER (ORDER BY ${order}) AS ord, l.lawyer_id, json_build_array(${keys.join(', ')}) AS "sortKey"
              FROM ${source} l
             WHERE ${pageWhere.join(' AND ')}
             ORDER BY ${order}
             LIMIT ${limit} OFFSET ${offset}) k
      JOIN directory_listings r ON r.lawyer_id = k.lawyer_id AND ${listing('r')}`
      : `SELECT row_number() OVER (ORDER BY ${order}) AS ord, ${shown('l')}, json_build_array(${keys.join(', ')}) AS "sortKey"
      FROM directory_listings l
     WHERE ${pageWhere.join(' AND ')}
     ORDER BY ${order}
     LIMIT ${limit} OFFSET ${offset}`;
  // A total with skipped entries is counted along the sort's btree (ORDER BY lets the planner take
  // it), stopping at the cap, rather than from bitmaps of every listing each filter matches; text
  // search counts through its GIN index (ordering its matches first would read them all).
  const text = `
SELECT t.total, page.*
  FROM (SELECT count(*)::int AS total FROM (SELECT 1 FROM ${source} l WHERE ${where.join(' AND ')} ${skips ? `ORDER BY ${order}` : ''} LIMIT ${cap}) c) t
  LEFT JOIN LATERAL (
    ${page}
  ) page ON true
 ORDER BY page.ord`;
  return { text, values, genericPlan: !textSearch && (byFacet || facets.length === 0) };
}
