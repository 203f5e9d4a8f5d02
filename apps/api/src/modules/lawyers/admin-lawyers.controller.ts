import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';

import { AdminLawyerPageResponse, AdminLawyerResponse, toAdminLawyerResponse } from './dto/lawyer-profile.response';
import { ListLawyersQueryDto } from './dto/list-lawyers.query.dto';
import { RejectLawyerDto } from './dto/reject-lawyer.dto';
import { LawyersService } from './lawyers.service';

@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/lawyers')
export class AdminLawyersController {
  constructor(private readonly lawyers: LawyersService) {}

  @Get()
  @ApiOperation({ operationId: 'listLawyers', summary: 'Lawyer profiles, oldest first, optionally by status (the verification queue: status=PENDING_VERIFICATION).' })
  @ApiOkResponse({ type: AdminLawyerPageResponse })
  async list(@Query() query: ListLawyersQueryDto): Promise<AdminLawyerPageResponse> {
    const { items, total } = await this.lawyers.list(query);
    return { items: items.map(toAdminLawyerResponse), total, page: query.page, pageSize: query.pageSize };
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({ operationId: 'verifyLawyer', summary: 'Verify a pending lawyer: the profile becomes public. Audited as lawyer.verified.' })
  @ApiOkResponse({ type: AdminLawyerResponse })
  @ApiErrorResponses(404, 409)
  async verify(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<AdminLawyerResponse> {
    return toAdminLawyerResponse(await this.lawyers.verify(actor, id));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ operationId: 'rejectLawyer', summary: 'Reject a pending (or revoke a verified) lawyer with a reason shown to them. Audited as lawyer.rejected.' })
  @ApiOkResponse({ type: AdminLawyerResponse })
  @ApiErrorResponses(404, 409)
  async reject(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string, @Body() body: RejectLawyerDto): Promise<AdminLawyerResponse> {
    return toAdminLawyerResponse(await this.lawyers.reject(actor, id, body.reason));
  }
}
