import { Injectable } from '@nestjs/common';
import { toLawyerRating, toPublicReviewsPage, type LawyerRating, type PublicReviewsPage } from './public-reviews.mapping';
import { decodeCursor } from './review-rules';
import { InvalidReviewCursor, LawyerNotListed } from './reviews.errors';
import { ReviewsRepository } from './reviews.repository';

export type { LawyerRating, PublicReview, PublicReviewsPage } from './public-reviews.mapping';

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
    return toLawyerRating(lawyerId, row);
  }

  async list(lawyerId: string, cursor: string | undefined, limit: number): Promise<PublicReviewsPage> {
    const position = cursor === undefined ? null : decodeCursor(cursor);
    if (cursor !== undefined && !position) throw new InvalidReviewCursor();
    const rows = await this.repo.publicPage(lawyerId, position, limit);
    if (!rows) throw new LawyerNotListed();
    return toPublicReviewsPage(rows, limit);
  }
}
