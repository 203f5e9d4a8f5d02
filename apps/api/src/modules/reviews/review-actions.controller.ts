import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { Authenticated, CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import {
  MyReviewsPageResponse,
  MyReviewsQueryDto,
  ReportReviewDto,
  ReviewReplyResponse,
  ReviewReportResponse,
  SubmitResponseDto,
  toMyReviewResponse,
  toReportResponse,
} from './dto/reviews.dto';
import { ReviewsService } from './reviews.service';

/** What signed-in users do with a review: the lawyer responds, anyone who can see it reports it. */
@ApiTags('reviews')
@Controller('reviews')
export class ReviewActionsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Post(':id/response')
  @Roles(Role.LAWYER)
  @Scopes('reviews:write')
  @ApiOperation({
    operationId: 'respondToReview',
    summary:
      'The reviewed lawyer’s one public response to a published, visible client review; immutable. 404 REVIEW_NOT_FOUND (not a review of you); 409 RESPONSE_NOT_ALLOWED, RESPONSE_ALREADY_SUBMITTED.',
  })
  @ApiCreatedResponse({ type: ReviewReplyResponse })
  @ApiErrorResponses(400, 404, 409)
  async respond(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: SubmitResponseDto): Promise<ReviewReplyResponse> {
    const reply = await this.reviews.respond(actor, id, body.body);
    return { body: reply.body, createdAt: reply.createdAt };
  }

  @Post(':id/reports')
  @Authenticated()
  @Scopes('reviews:write')
  @ApiOperation({
    operationId: 'reportReview',
    summary:
      'Report a review (or its response) to the moderators, with a reason: the session’s two participants only (anyone else: 404). Once per reporter and target (409 REVIEW_ALREADY_REPORTED).',
  })
  @ApiCreatedResponse({ type: ReviewReportResponse })
  @ApiErrorResponses(400, 404, 409)
  async report(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: ReportReviewDto): Promise<ReviewReportResponse> {
    return toReportResponse(await this.reviews.report(actor, id, { target: body.target ?? 'REVIEW', reason: body.reason, note: body.note }));
  }
}

/** The caller's own reviews. */
@ApiTags('reviews')
@Controller('me')
export class MyReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get('reviews')
  @Roles(Role.CLIENT, Role.LAWYER)
  @Scopes('reviews:read')
  @ApiOperation({
    operationId: 'listMyReviews',
    summary: 'Reviews the caller wrote (any state) or received (once published, with the response and status), newest first.',
  })
  @ApiOkResponse({ type: MyReviewsPageResponse })
  @ApiErrorResponses(400)
  async mine(@CurrentUser() actor: AuthUser, @Query() query: MyReviewsQueryDto): Promise<MyReviewsPageResponse> {
    const { items, total } = await this.reviews.mine(actor, query.direction, query.page, query.pageSize);
    return { items: items.map((r) => toMyReviewResponse(r, actor.id)), total, page: query.page, pageSize: query.pageSize };
  }
}
