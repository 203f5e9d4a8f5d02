/**
 * The public reads' rows as the API answers them, with no Nest dependency: the service and the
 * benchmark's bare baseline (apps/api/bench/baseline-server.ts) shape the very same JSON.
 */
import { averageOf, encodeCursor, RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT } from './review-rules';
import type { LawyerRatingRow, PublicReviewRow } from './reviews.queries';

export interface LawyerRating {
  lawyerId: string;
  average: number | null;
  count: number;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  score: number;
  prior: { mean: number; weight: number };
}

export interface PublicReview {
  id: string;
  rating: number;
  comment: string;
  publishedAt: Date;
  offeringTitle: string;
  author: 'Verified client';
  response: { body: string; createdAt: Date } | null;
}

export interface PublicReviewsPage {
  items: PublicReview[];
  nextCursor: string | null;
  total: number;
}

/** A listed lawyer's rating row (null columns: no visible review yet). */
export function toLawyerRating(lawyerId: string, row: LawyerRatingRow): LawyerRating {
  const count = row.count ?? 0;
  return {
    lawyerId,
    average: averageOf(count, row.sum ?? 0),
    count,
    distribution: { '1': row.c1 ?? 0, '2': row.c2 ?? 0, '3': row.c3 ?? 0, '4': row.c4 ?? 0, '5': row.c5 ?? 0 },
    score: row.score ?? RATING_PRIOR_MEAN,
    prior: { mean: RATING_PRIOR_MEAN, weight: RATING_PRIOR_WEIGHT },
  };
}

/** The rows of one page query (asked for `limit` + 1 to know whether another page follows; at least one row). */
export function toPublicReviewsPage(rows: PublicReviewRow[], limit: number): PublicReviewsPage {
  const found = rows.filter((r): r is PublicReviewRow & { id: string } => r.id !== null);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    total: rows[0]!.total,
    nextCursor: found.length > limit && last ? encodeCursor({ publishedAt: last.publishedAt, id: last.id }) : null,
    items: page.map((r) => ({
      id: r.id,
      rating: r.rating,
      comment: r.comment,
      publishedAt: r.publishedAt,
      offeringTitle: r.offeringTitle,
      author: 'Verified client',
      response: r.responseBody !== null && r.responseCreatedAt !== null ? { body: r.responseBody, createdAt: r.responseCreatedAt } : null,
    })),
  };
}
