import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ReviewResponse, SessionReviewsResponse, SubmitReviewDto, toReviewResponse, toSessionReviewsResponse } from './dto/reviews.dto';
import { ReviewsService } from './reviews.service';

/** Reviews of one session, for its two participants (anyone else: 404). */
@ApiTags('reviews')
@Controller('sessions')
export class SessionReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Post(':id/review')
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('reviews:write')
  @ApiOperation({
    operationId: 'submitSessionReview',
    summary:
      'Review the other participant of a COMPLETED, paid session, once, before the window’s deadline. Immutable once stored. ' +
      '404 SESSION_NOT_FOUND (not yours); 409 REVIEW_NOT_OPEN, REVIEW_NOT_ALLOWED (unpaid or refunded in full), REVIEW_WINDOW_CLOSED, ' +
      'REVIEW_ALREADY_SUBMITTED; 429 REVIEW_RATE_LIMITED. Double-blind: the other side sees it once both reviewed or the window closed.',
  })
  @ApiCreatedResponse({ type: ReviewResponse })
  @ApiErrorResponses(400, 404, 409, 429)
  async submit(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: SubmitReviewDto): Promise<ReviewResponse> {
    return toReviewResponse(await this.reviews.submit(actor, id, body));
  }

  @Get(':id/reviews')
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('reviews:read')
  @ApiOperation({
    operationId: 'getSessionReviews',
    summary: 'The review window of a session (state, deadline), whether the caller may review now, their review, and the other side’s once published.',
  })
  @ApiOkResponse({ type: SessionReviewsResponse })
  @ApiErrorResponses(400, 404)
  async get(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<SessionReviewsResponse> {
    return toSessionReviewsResponse(await this.reviews.forSession(actor, id));
  }
}
