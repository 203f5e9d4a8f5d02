import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { LawyerRatingResponse, PublicReviewsPageResponse, PublicReviewsQueryDto, toLawyerRatingResponse, toPublicReviewResponse } from './dto/reviews.dto';
import { PublicReviewsService } from './public-reviews.service';

/** A listed lawyer's rating and public reviews, for everyone. */
@ApiTags('reviews')
@Public()
@Controller('lawyers')
export class LawyerReviewsController {
  constructor(private readonly reviews: PublicReviewsService) {}

  @Get(':id/rating')
  @ApiOperation({
    operationId: 'getLawyerRating',
    summary:
      'A listed lawyer’s rating over their visible client reviews: average (2 decimals), count, distribution 1–5 and the Bayesian score used for ranking, with its prior. 404 for a lawyer who is not listed.',
  })
  @ApiOkResponse({ type: LawyerRatingResponse })
  @ApiErrorResponses(400, 404)
  async rating(@Param('id', UuidParam('id')) id: string): Promise<LawyerRatingResponse> {
    return toLawyerRatingResponse(await this.reviews.rating(id));
  }

  @Get(':id/reviews')
  @ApiOperation({
    operationId: 'listLawyerReviews',
    summary: 'A listed lawyer’s published client reviews, newest first, with their responses (hidden ones absent); keyset-paged by cursor.',
  })
  @ApiOkResponse({ type: PublicReviewsPageResponse })
  @ApiErrorResponses(400, 404)
  async list(@Param('id', UuidParam('id')) id: string, @Query() query: PublicReviewsQueryDto): Promise<PublicReviewsPageResponse> {
    const page = await this.reviews.list(id, query.cursor, query.limit);
    return { ...page, items: page.items.map(toPublicReviewResponse) };
  }
}
