/**
 * The pure rules of reviews: the rating aggregate and its Bayesian score, which reviews are
 * visible to whom, and the public list's keyset cursor. No Nest, no SQL: unit-tested on their own.
 */

/**
 * The Bayesian ("damped mean") score the directory ranks by:
 *
 *     score = (PRIOR_WEIGHT × PRIOR_MEAN + sum of ratings) / (PRIOR_WEIGHT + count)
 *
 * i.e. every lawyer starts as if they had PRIOR_WEIGHT reviews of PRIOR_MEAN stars; real reviews
 * pull the score towards their own average as they accumulate. A single 5-star review (score
 * 4.17) does not outrank forty reviews averaging 4.8 (score 4.71), and a lawyer without reviews
 * scores PRIOR_MEAN. PRIOR_MEAN 4.0 is about the average rating on consultation marketplaces;
 * PRIOR_WEIGHT 5 lets a lawyer's own reviews dominate after a handful.
 */
export const RATING_PRIOR_MEAN = 4.0;
export const RATING_PRIOR_WEIGHT = 5;

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const REVIEW_COMMENT_MAX = 2000;
export const RESPONSE_BODY_MAX = 2000;
export const MODERATION_NOTE_MAX = 1000;

export type ReviewSide = 'CLIENT' | 'LAWYER';

export interface RatingAggregate {
  count: number;
  sum: number;
  /** How many visible reviews gave 1..5 stars (index 0 = 1 star). */
  distribution: [number, number, number, number, number];
}

export function bayesianScore(count: number, sum: number): number {
  return round((RATING_PRIOR_WEIGHT * RATING_PRIOR_MEAN + sum) / (RATING_PRIOR_WEIGHT + count), 4);
}

/** The average to two decimals, or null without reviews. */
export function averageOf(count: number, sum: number): number | null {
  return count > 0 ? round(sum / count, 2) : null;
}

/** The aggregate of a list of ratings (the property test recomputes with this). */
export function aggregate(ratings: number[]): RatingAggregate {
  const distribution: RatingAggregate['distribution'] = [0, 0, 0, 0, 0];
  for (const r of ratings) distribution[r - 1]! += 1;
  return { count: ratings.length, sum: ratings.reduce((a, b) => a + b, 0), distribution };
}

/** What decides whether a review counts in its subject's public rating. */
export interface VisibilityFacts {
  authorSide: ReviewSide;
  publishedAt: Date | null;
  hidden: boolean;
}

/** A client's review of the lawyer, published and not hidden: public, and counted in the rating. */
export function isPubliclyVisible(s: VisibilityFacts): boolean {
  return s.authorSide === 'CLIENT' && s.publishedAt !== null && !s.hidden;
}

/** The other participant sees a review once it is published and unless it is hidden (double-blind before). */
export function isVisibleToCounterpart(s: VisibilityFacts): boolean {
  return s.publishedAt !== null && !s.hidden;
}

/** The public list's keyset position: newest published first, ties by id. */
export interface ReviewCursor {
  publishedAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(c: ReviewCursor): string {
  return Buffer.from(`${c.publishedAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');
}

/** The cursor's position, or null when it is not one `encodeCursor` made. */
export function decodeCursor(cursor: string): ReviewCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !at || !id || !UUID.test(id) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at)) return null;
  const publishedAt = new Date(at);
  return Number.isNaN(publishedAt.getTime()) ? null : { publishedAt, id };
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
