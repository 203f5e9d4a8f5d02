import { Injectable } from '@nestjs/common';
import { averageOf, decodeCursor, encodeCursor, RATING_PRIOR_MEAN, RATING_PRIOR_WEIGHT } from './review-rules';
import { InvalidReviewCursor, LawyerNotListed } from './reviews.errors';
import { ReviewsRepository } from './reviews.repository';

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

/**
 * What everyone sees of a listed lawyer's reviews: the rating (one primary-key row of the
 * incrementally maintained aggregate, however many reviews exist) and the published, visible
 * client reviews, newest first, by keyset cursor. Authors are never named.
 */
@Injectable()
export class PublicReviewsService {
  constructor(private readonly repo: ReviewsRepository) {}

  async rating(lawyerId: string): Promise<LawyerRating> {
    const row = await this.repo.rating(lawyerId);
    if (!row) throw new LawyerNotListed();
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

  async list(lawyerId: string, cursor: string | undefined, limit: number): Promise<{ items: PublicReview[]; nextCursor: string | null; total: number }> {
    const position = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && !position) throw new InvalidReviewCursor();
    const rows = await this.repo.publicPage(lawyerId, position, limit);
    if (!rows) throw new LawyerNotListed();
    const found = rows.filter((r): r is typeof r & { id: string } => r.id !== null);
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
}
