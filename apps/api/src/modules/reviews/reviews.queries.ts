/**
 * The two public reads of the reviews module as plain SQL, with no Nest or TypeORM dependency
 * (like marketplace.queries.ts): the repository runs them, and a benchmark baseline can import
 * the very same statements. Both are index-only in size: the rating is one primary-key row of
 * `lawyer_ratings`; a page of reviews walks `ix_review_states_public` from the cursor.
 *
 * Each is a named prepared statement (`{ name, text }`, run through pg with its values): they
 * run on every public lawyer page, and PostgreSQL then parses and plans them once per
 * connection instead of on every request (planning the page's joins cost more than running
 * them). A name must always carry the same text, so each one below is a constant.
 *
 * The page is two statements, the first page and the next ones, rather than one with
 * `$2 IS NULL OR (published_at, id) < (…)`: without the OR, the cursor is an index condition
 * of `ix_review_states_public` (subject_id, published_at DESC, review_id DESC), so the walk
 * starts at the cursor and stops after `limit` rows under a cached generic plan too.
 */

export interface NamedStatement {
  name: string;
  text: string;
}

/** `$1` lawyer id → one row when the lawyer is listed (rating columns null without reviews); none otherwise. */
export const LAWYER_RATING: NamedStatement = {
  name: 'reviews_lawyer_rating_v1',
  text: `
SELECT l.user_id AS "lawyerId", r.review_count AS count, r.rating_sum AS sum,
       r.c1, r.c2, r.c3, r.c4, r.c5, r.score::float8 AS score
  FROM listed_lawyers l
  LEFT JOIN lawyer_ratings r ON r.lawyer_id = l.user_id
 WHERE l.user_id = $1`,
};

export interface LawyerRatingRow {
  lawyerId: string;
  count: number | null;
  sum: number | null;
  c1: number | null;
  c2: number | null;
  c3: number | null;
  c4: number | null;
  c5: number | null;
  score: number | null;
}

/**
 * A page of a listed lawyer's public reviews, `cursor` the condition after the first page. No
 * row when the lawyer is not listed; one row with null review columns when the page is empty;
 * otherwise one row per review, newest published first, each carrying the total (the visible
 * count of `lawyer_ratings`). The offering's title is the one stored on the review (what was
 * reviewed), so no session is read.
 */
const publicReviews = (cursor: string, limit: string) => `
SELECT COALESCE(r.review_count, 0) AS total, page.*
  FROM listed_lawyers l
  LEFT JOIN lawyer_ratings r ON r.lawyer_id = l.user_id
  LEFT JOIN LATERAL (
    SELECT s.review_id AS id, v.rating, v.comment, s.published_at AS "publishedAt", v.offering_title AS "offeringTitle",
           CASE WHEN s.response_hidden THEN NULL ELSE rr.body END AS "responseBody",
           CASE WHEN s.response_hidden THEN NULL ELSE rr.created_at END AS "responseCreatedAt"
      FROM review_states s
      JOIN reviews v ON v.id = s.review_id
      LEFT JOIN review_responses rr ON rr.review_id = s.review_id
     WHERE s.subject_id = l.user_id AND s.author_side = 'CLIENT' AND s.published_at IS NOT NULL AND NOT s.hidden${cursor}
     ORDER BY s.published_at DESC, s.review_id DESC
     LIMIT ${limit}
  ) page ON true
 WHERE l.user_id = $1`;

/** `$1` lawyer id, `$2` the page size + 1 (to know whether a next page exists). */
export const PUBLIC_REVIEWS_FIRST: NamedStatement = { name: 'reviews_public_first_v1', text: publicReviews('', '$2') };

/** `$1` lawyer id, `$2`/`$3` the cursor's published_at and review id, `$4` the page size + 1. */
export const PUBLIC_REVIEWS_AFTER: NamedStatement = {
  name: 'reviews_public_after_v1',
  text: publicReviews(`\n       AND (s.published_at, s.review_id) < ($2::timestamptz, $3::uuid)`, '$4'),
};

/** The statement and values of a page: the first one, or the one after `cursor`. */
export function publicReviewsQuery(
  lawyerId: string,
  cursor: { publishedAt: Date | string; id: string } | null,
  limit: number,
): NamedStatement & { values: unknown[] } {
  return cursor
    ? { ...PUBLIC_REVIEWS_AFTER, values: [lawyerId, cursor.publishedAt, cursor.id, limit + 1] }
    : { ...PUBLIC_REVIEWS_FIRST, values: [lawyerId, limit + 1] };
}

export interface PublicReviewRow {
  total: number;
  id: string | null;
  rating: number;
  comment: string;
  publishedAt: Date;
  offeringTitle: string;
  responseBody: string | null;
  responseCreatedAt: Date | null;
}
