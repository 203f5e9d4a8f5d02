import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import { Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { AuditCheckpointsService } from './audit-checkpoints.service';
import { AuditService } from './audit.service';
import { AuditCheckpointResponse } from './dto/audit-checkpoint.response';
import { AuditEventPageResponse, toAuditEventResponse } from './dto/audit-event.response';
import { AuditVerificationResponse } from './dto/audit-verification.response';
import { ListAuditEventsQuery } from './dto/list-audit-events.dto';

@ApiTags('audit')
@Roles(Role.ADMIN)
@Controller('admin/audit')
export class AuditAdminController {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpointsService,
  ) {}

  @Get()
  @Scopes('admin')
  @ApiOperation({
    operationId: 'listAuditEvents',
    summary: 'Audit entries, newest first, filtered, with a seq cursor and the total (ADMIN)',
    description: 'Actors and subjects come with their names (resolved from the account directory and the session bookings); `actor` filters by part of the actor’s name or email.',
  })
  @ApiOkResponse({ type: AuditEventPageResponse })
  async list(@Query() query: ListAuditEventsQuery): Promise<AuditEventPageResponse> {
    const page = await this.audit.list(query);
    return {
      items: page.items.map((row) => toAuditEventResponse(row, page.names)),
      total: page.total,
      nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
    };
  }

  @Get('verify')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'verifyAuditChain',
    summary: 'Recompute the whole hash chain and check it against the latest checkpoint; names the first broken seq (ADMIN)',
  })
  @ApiOkResponse({ type: AuditVerificationResponse, description: 'Always 200; `ok` tells whether the chain verifies' })
  verify(): Promise<AuditVerificationResponse> {
    return this.audit.verify();
  }

  @Post('checkpoints')
  @Scopes('admin')
  @ApiOperation({ operationId: 'createAuditCheckpoint', summary: 'Sign a checkpoint of the current head now (ADMIN)' })
  @ApiCreatedResponse({ type: AuditCheckpointResponse, description: 'The checkpoint in export form' })
  @ApiErrorResponses(409)
  createCheckpoint(): Promise<AuditCheckpointResponse> {
    return this.checkpoints.create();
  }
}
