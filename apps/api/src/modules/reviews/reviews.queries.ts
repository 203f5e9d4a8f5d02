/**
 * The two public reads of the reviews module as plain SQL, with no Nest or TypeORM dependency
 * (like marketplace.queries.ts): the repository runs them, and a benchmark baseline can import
 * the very same text. Both are index-only in size: the rating is one primary-key row of
 * `lawyer_ratings`; a page of reviews walks `ix_review_states_public` from the cursor.
 */

/** `$1` lawyer id → one row when the lawyer is listed (rating columns null without reviews); none otherwise. */
export const LAWYER_RATING_SQL = `
SELECT l.user_id AS "lawyerId", r.review_count AS count, r.rating_sum AS sum,
       r.c1, r.c2, r.c3, r.c4, r.c5, r.score::float8 AS score
  FROM listed_lawyers l
  LEFT JOIN lawyer_ratings r ON r.lawyer_id = l.user_id
 WHERE l.user_id = $1`;

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
 * `$1` lawyer id, `$2`/`$3` the cursor's published_at and review id (both null for the first
 * page), `$4` the page size + 1 (to know whether a next page exists). No row when the lawyer is
 * not listed; one row with null review columns when the page is empty; otherwise one row per
 * review, newest published first, each carrying the total (the visible count of `lawyer_ratings`).
 */
export const PUBLIC_REVIEWS_SQL = `
WITH lawyer AS (
  SELECT l.user_id, COALESCE(r.review_count, 0) AS total
    FROM listed_lawyers l
    LEFT JOIN lawyer_ratings r ON r.lawyer_id = l.user_id
   WHERE l.user_id = $1
)
SELECT lawyer.total, page.*
  FROM lawyer
  LEFT JOIN LATERAL (
    SELECT s.review_id AS id, v.rating, v.comment, s.published_at AS "publishedAt", b.offering_title AS "offeringTitle",
           CASE WHEN s.response_hidden THEN NULL ELSE rr.body END AS "responseBody",
           CASE WHEN s.response_hidden THEN NULL ELSE rr.created_at END AS "responseCreatedAt"
      FROM review_states s
      JOIN reviews v ON v.id = s.review_id
      JOIN session_bookings b ON b.id = v.session_id
      LEFT JOIN review_responses rr ON rr.review_id = s.review_id
     WHERE s.subject_id = lawyer.user_id AND s.author_side = 'CLIENT' AND s.published_at IS NOT NULL AND NOT s.hidden
       AND ($2::timestamptz IS NULL OR (s.published_at, s.review_id) < ($2::timestamptz, $3::uuid))
     ORDER BY s.published_at DESC, s.review_id DESC
     LIMIT $4
  ) page ON true`;

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
