import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ListMyStatementsQueryDto, StatementFileQueryDto } from './dto/statement.dto';
import { StatementPageResponse, toStatementResponse } from './dto/statement.response';
import { StatementsService } from './statements.service';

/** A partner's or lawyer's own monthly statements, and the files of any statement for its payee or an admin. */
@ApiTags('statements')
@Controller('statements')
export class StatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Get()
  @Roles(Role.LAWYER, Role.PARTNER)
  @Scopes('reports:read')
  @ApiOperation({
    operationId: 'listMyStatements',
    summary:
      'The caller’s monthly statements, newest period first; a re-issued statement shows `superseded` and the one that replaced it.',
  })
  @ApiOkResponse({ type: StatementPageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListMyStatementsQueryDto): Promise<StatementPageResponse> {
    const { items, total } = await this.statements.list({ payeeId: actor.id, page: query.page, pageSize: query.pageSize });
    return { items: items.map(toStatementResponse), total, page: query.page, pageSize: query.pageSize };
  }

  @Get(':id/file')
  @Roles(Role.LAWYER, Role.PARTNER, Role.ADMIN)
  @Scopes('reports:read')
  @ApiOperation({
    operationId: 'downloadStatement',
    summary:
      'A statement as PDF (default) or CSV, exactly as issued (its payee or an admin; anyone else 404). ' +
      'The ETag is the file’s SHA-256, the one in the audit trail’s statement.issued / statement.reissued entry.',
  })
  @ApiProduces('application/pdf', 'text/csv')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The PDF or CSV file' })
  @ApiErrorResponses(400, 404)
  async file(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Query() query: StatementFileQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.statements.open(actor, id, query.format);
    void reply
      .header('etag', `"${file.sha256}"`)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff');
    return new StreamableFile(file.stream, {
      type: file.contentType,
      length: file.size,
      disposition: `attachment; filename="${file.filename}"`,
    });
  }
}
