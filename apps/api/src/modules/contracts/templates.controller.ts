import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ListTemplatesQueryDto, PreviewTemplateDto, SaveTemplateDto } from './dto/template.dto';
import {
  TemplatePageResponse,
  TemplatePreviewResponse,
  TemplateResponse,
  toBlockResponses,
  toTemplateResponse,
  toTemplateSummary,
} from './dto/template.response';
import { ContractTemplatesService } from './templates.service';

/** Contract templates: the platform's (admins) and each lawyer's own; every save is a new immutable version. */
@ApiTags('contracts')
@Roles(Role.LAWYER, Role.ADMIN)
@Controller('contract-templates')
export class ContractTemplatesController {
  constructor(private readonly templates: ContractTemplatesService) {}

  @Get()
  @Scopes('contracts:read')
  @ApiOperation({
    operationId: 'listContractTemplates',
    summary:
      'Templates the caller may use: a lawyer sees the platform’s and their own, an admin the platform’s. Platform templates first, then by name.',
  })
  @ApiOkResponse({ type: TemplatePageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListTemplatesQueryDto): Promise<TemplatePageResponse> {
    const { items, total } = await this.templates.list(actor, query);
    return { items: items.map(toTemplateSummary), total, page: query.page, pageSize: query.pageSize };
  }

  @Post('preview')
  @Scopes('contracts:read')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'previewContractTemplate',
    summary:
      'Renders a body with values, exactly as a contract would be: 400 TEMPLATE_SYNTAX_INVALID, TEMPLATE_VARIABLES_UNDECLARED, ' +
      'CONTRACT_VARIABLES_UNKNOWN, CONTRACT_VARIABLE_INVALID or CONTRACT_VARIABLES_MISSING (with `details.names`).',
  })
  @ApiOkResponse({ type: TemplatePreviewResponse })
  @ApiErrorResponses(400)
  preview(@Body() body: PreviewTemplateDto): TemplatePreviewResponse {
    return { blocks: toBlockResponses(this.templates.preview(body)) };
  }

  @Get(':id')
  @Scopes('contracts:read')
  @ApiOperation({
    operationId: 'getContractTemplate',
    summary: 'A template with its current version (404 for another lawyer’s).',
  })
  @ApiOkResponse({ type: TemplateResponse })
  @ApiErrorResponses(400, 404)
  async get(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<TemplateResponse> {
    return toTemplateResponse(await this.templates.get(actor, id));
  }

  @Post()
  @Scopes('contracts:write')
  @ApiOperation({
    operationId: 'createContractTemplate',
    summary:
      'A new template, version 1: a lawyer’s own, or (an admin) a platform template. Every variable the body uses must be declared ' +
      '(400 TEMPLATE_VARIABLES_UNDECLARED with `details.names`); only {{variable}} tags are allowed (400 TEMPLATE_SYNTAX_INVALID).',
  })
  @ApiCreatedResponse({ type: TemplateResponse })
  @ApiErrorResponses(400)
  async create(@CurrentUser() actor: AuthUser, @Body() body: SaveTemplateDto): Promise<TemplateResponse> {
    return toTemplateResponse(await this.templates.create(actor, body));
  }

  @Post(':id/versions')
  @Scopes('contracts:write')
  @ApiOperation({
    operationId: 'addContractTemplateVersion',
    summary:
      'Saves a new version of the template (its owner; platform templates: an admin). Earlier versions, and contracts made from them, ' +
      'are unchanged. Archived: 409 TEMPLATE_ARCHIVED.',
  })
  @ApiCreatedResponse({ type: TemplateResponse })
  @ApiErrorResponses(400, 404, 409)
  async addVersion(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: SaveTemplateDto,
  ): Promise<TemplateResponse> {
    return toTemplateResponse(await this.templates.addVersion(actor, id, body));
  }

  @Post(':id/archive')
  @Scopes('contracts:write')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'archiveContractTemplate',
    summary: 'Archives the template (its owner; platform templates: an admin): no new contracts from it. Idempotent.',
  })
  @ApiOkResponse({ type: TemplateResponse })
  @ApiErrorResponses(400, 404)
  async archive(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<TemplateResponse> {
    return toTemplateResponse(await this.templates.archive(actor, id));
  }
}
