import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ListStatementsQueryDto, ReissueStatementDto } from './dto/statement.dto';
import { StatementPageResponse, StatementResponse, StatementRunResponse, toStatementResponse } from './dto/statement.response';
import { StatementsService } from './statements.service';

/** Every payee's statements, the corrected re-issue, and running the monthly job now. */
@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/statements')
export class AdminStatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Get()
  @Scopes('admin')
  @ApiOperation({
    operationId: 'listStatements',
    summary: 'Every issued statement (or one payee’s), newest period first (ADMIN).',
  })
  @ApiOkResponse({ type: StatementPageResponse })
  @ApiErrorResponses(400)
  async list(@Query() query: ListStatementsQueryDto): Promise<StatementPageResponse> {
    const { items, total } = await this.statements.list({ payeeId: query.payeeId, page: query.page, pageSize: query.pageSize });
    return { items: items.map(toStatementResponse), total, page: query.page, pageSize: query.pageSize };
  }

  @Post('run')
  @Scopes('admin')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'runStatements',
    summary:
      'Issue every statement that is due now (what the hourly job does): each closed month without a statement, per payee and currency (ADMIN).',
  })
  @ApiOkResponse({ type: StatementRunResponse })
  async run(@CurrentUser() actor: AuthUser): Promise<StatementRunResponse> {
    return { issued: await this.statements.issueDue(actor) };
  }

  @Post(':id/reissue')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'reissueStatement',
    summary:
      'A corrected statement for the same payee, month and currency, recomputed from the ledger, with a new number; it supersedes this one, ' +
      'which stays unchanged. Once per statement: 409 STATEMENT_ALREADY_SUPERSEDED (re-issue the newest instead). Audited as statement.reissued (ADMIN).',
  })
  @ApiCreatedResponse({ type: StatementResponse })
  @ApiErrorResponses(400, 404, 409)
  async reissue(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: ReissueStatementDto,
  ): Promise<StatementResponse> {
    return toStatementResponse(await this.statements.reissue(actor, id, body.reason));
  }
}
