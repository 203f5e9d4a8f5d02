import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import {
  AdminReviewDetailResponse,
  AdminReviewsPageResponse,
  AdminReviewsQueryDto,
  ModerateReviewDto,
  ModerationDecisionResponse,
  toAdminReviewDetailResponse,
  toAdminReviewResponse,
  toDecisionResponse,
} from './dto/reviews.dto';
import { ReviewModerationService } from './review-moderation.service';

/** Review moderation (ADMIN): the queue, one review with its history, and hide/unhide decisions. */
@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/reviews')
export class AdminReviewsController {
  constructor(private readonly moderation: ReviewModerationService) {}

  @Get()
  @Scopes('admin')
  @ApiOperation({ operationId: 'listAdminReviews', summary: 'The moderation queue: reviews with open reports (default), hidden ones, or all; newest first (ADMIN).' })
  @ApiOkResponse({ type: AdminReviewsPageResponse })
  @ApiErrorResponses(400)
  async list(@Query() query: AdminReviewsQueryDto): Promise<AdminReviewsPageResponse> {
    const { items, total } = await this.moderation.list(query.status, query.page, query.pageSize);
    return { items: items.map(toAdminReviewResponse), total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':id')
  @Scopes('admin')
  @ApiOperation({ operationId: 'getAdminReview', summary: 'One review with its response, reports and moderation decisions (ADMIN).' })
  @ApiOkResponse({ type: AdminReviewDetailResponse })
  @ApiErrorResponses(400, 404)
  async get(@Param('id', UuidParam('id')) id: string): Promise<AdminReviewDetailResponse> {
    return toAdminReviewDetailResponse(await this.moderation.detail(id));
  }

  @Post(':id/moderation')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'moderateReview',
    summary:
      'Hide or unhide a review or its response, with a reason code: an append-only decision that changes visibility (and the rating), never content, and closes the open reports of that target. 409 MODERATION_NO_CHANGE (ADMIN).',
  })
  @ApiCreatedResponse({ type: ModerationDecisionResponse })
  @ApiErrorResponses(400, 404, 409)
  async moderate(@CurrentUser() admin: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: ModerateReviewDto): Promise<ModerationDecisionResponse> {
    return toDecisionResponse(await this.moderation.decide(admin, id, body));
  }
}
