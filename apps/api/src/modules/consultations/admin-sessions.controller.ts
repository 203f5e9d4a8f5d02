import { Controller, Get, Param, Query } from '@nestjs/common';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import { Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';

import { ConsultationsService } from './consultations.service';
import { ListAdminSessionsQueryDto } from './dto/list-sessions.query.dto';
import { AdminSessionDetailResponse, AdminSessionPageResponse, toAdminSessionDetailResponse, toSessionResponse } from './dto/session.response';

/** Every session, read-only, for support and reconciliation. */
@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/sessions')
export class AdminSessionsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @Get()
  @Scopes('admin')
  @ApiOperation({ operationId: 'listSessions', summary: 'All sessions, newest first, by status (one or several), lawyer or client.' })
  @ApiOkResponse({ type: AdminSessionPageResponse })
  @ApiErrorResponses(400)
  async list(@Query() query: ListAdminSessionsQueryDto): Promise<AdminSessionPageResponse> {
    const { items, total } = await this.consultations.listAll(query);
    return { items: items.map(toSessionResponse), total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':id')
  @Scopes('admin')
  @ApiOperation({ operationId: 'getSession', summary: 'Any session with its payment, refunds and timeline.' })
  @ApiOkResponse({ type: AdminSessionDetailResponse })
  @ApiErrorResponses(400, 404)
  async get(@Param('id', UuidParam('id')) id: string): Promise<AdminSessionDetailResponse> {
    return toAdminSessionDetailResponse(await this.consultations.getAny(id));
  }
}
