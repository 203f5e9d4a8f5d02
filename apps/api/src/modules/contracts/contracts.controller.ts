import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ContractSigning, type SignerClient } from './contract-signing.service';
import { ContractsService, type ContractFile } from './contracts.service';
import {
  CloseContractDto,
  CreateContractDto,
  ListContractsQueryDto,
  PrefillQueryDto,
  SaveDraftDto,
  SignContractDto,
  ViewedDto,
} from './dto/contract.dto';
import {
  ContractPageResponse,
  ContractPrefillResponse,
  ContractResponse,
  toContractResponse,
  toContractSummary,
  toPrefillResponse,
} from './dto/contract.response';
import { Signer } from './signer-client.decorator';

/**
 * Contracts between a session's lawyer and client: drafting (lawyer), signing (both parties),
 * the executed PDF (parties and admins). A contract that is not the caller's is a 404.
 */
@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly signing: ContractSigning,
  ) {}

  @Get('prefill')
  @Roles(Role.LAWYER)
  @Scopes('contracts:read')
  @ApiOperation({
    operationId: 'prefillContract',
    summary:
      'The template’s variables, with the values known from the session and the profiles (client/lawyer name and email, fee, currency, ' +
      'session date, scope, jurisdiction, effective date); null where the lawyer has to type one. Not the lawyer’s session: 404 SESSION_NOT_FOUND.',
  })
  @ApiOkResponse({ type: ContractPrefillResponse })
  @ApiErrorResponses(400, 404, 409)
  async prefill(@CurrentUser() actor: AuthUser, @Query() query: PrefillQueryDto): Promise<ContractPrefillResponse> {
    return toPrefillResponse(await this.contracts.prefill(actor, query.sessionId, query.templateId));
  }

  @Get()
  @Roles(Role.LAWYER, Role.CLIENT, Role.ADMIN)
  @Scopes('contracts:read')
  @ApiOperation({
    operationId: 'listContracts',
    summary: 'The caller’s contracts (a client sees them once sent; an admin sees all), most recently changed first.',
  })
  @ApiOkResponse({ type: ContractPageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListContractsQueryDto): Promise<ContractPageResponse> {
    const { items, total } = await this.contracts.list(actor, query);
    return { items: items.map(toContractSummary), total, page: query.page, pageSize: query.pageSize };
  }

  @Post()
  @Roles(Role.LAWYER)
  @Scopes('contracts:write')
  @ApiOperation({
    operationId: 'createContract',
    summary:
      'A DRAFT contract (version 1, its PDF and SHA-256) for a paid session of the lawyer, from a template. 404 SESSION_NOT_FOUND (not yours), ' +
      '409 CONTRACT_SESSION_NOT_ELIGIBLE (not paid), 400 CONTRACT_VARIABLES_MISSING / CONTRACT_VARIABLES_UNKNOWN / CONTRACT_VARIABLE_INVALID (with `details.names`).',
  })
  @ApiCreatedResponse({ type: ContractResponse })
  @ApiErrorResponses(400, 404, 409)
  async create(@CurrentUser() actor: AuthUser, @Body() body: CreateContractDto): Promise<ContractResponse> {
    return toContractResponse(await this.contracts.create(actor, body));
  }

  @Get(':id')
  @Roles(Role.LAWYER, Role.CLIENT, Role.ADMIN)
  @Scopes('contracts:read')
  @ApiOperation({
    operationId: 'getContract',
    summary: 'A contract: parties, current version (blocks), versions, signer events, execution and what the caller may do.',
  })
  @ApiOkResponse({ type: ContractResponse })
  @ApiErrorResponses(400, 404)
  async get(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<ContractResponse> {
    return toContractResponse(await this.contracts.detail(actor, id));
  }

  @Put(':id/draft')
  @Roles(Role.LAWYER)
  @Scopes('contracts:write')
  @ApiOperation({
    operationId: 'saveContractDraft',
    summary:
      'Saves a new immutable version of a DRAFT (its PDF’s SHA-256 chained to the previous one). 409 CONTRACT_NOT_DRAFT once sent, ' +
      'CONTRACT_EXECUTED / CONTRACT_CLOSED when final.',
  })
  @ApiOkResponse({ type: ContractResponse })
  @ApiErrorResponses(400, 404, 409)
  async saveDraft(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: SaveDraftDto,
  ): Promise<ContractResponse> {
    return toContractResponse(await this.contracts.saveDraft(actor, id, body));
  }

  @Post(':id/send')
  @HttpCode(200)
  @Roles(Role.LAWYER)
  @Scopes('contracts:write')
  @ApiOperation({
    operationId: 'sendContract',
    summary: 'DRAFT → SENT: freezes the current version and asks the client to sign before the deadline (CONTRACT_SIGNING_DAYS).',
  })
  @ApiOkResponse({ type: ContractResponse })
  @ApiErrorResponses(400, 404, 409)
  async send(@CurrentUser() actor: AuthUser, @Param('id', UuidParam('id')) id: string): Promise<ContractResponse> {
    return toContractResponse(await this.contracts.send(actor, id));
  }

  @Post(':id/void')
  @HttpCode(200)
  @Roles(Role.LAWYER)
  @Scopes('contracts:write')
  @ApiOperation({
    operationId: 'voidContract',
    summary: 'The lawyer withdraws the contract before it is executed, with a reason (→ VOIDED).',
  })
  @ApiOkResponse({ type: ContractResponse })
  @ApiErrorResponses(400, 404, 409)
  async void(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: CloseContractDto,
  ): Promise<ContractResponse> {
    return toContractResponse(await this.contracts.void(actor, id, body.reason));
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Roles(Role.LAWYER, Role.CLIENT)
  @Scopes('contracts:write')
  @ApiOperation({
    operationId: 'declineContract',
    summary: 'A party refuses to sign, with a reason (→ DECLINED); recorded as a signer event.',
  })
  @ApiOkResponse({ type: ContractResponse })
  @ApiErrorResponses(400, 404, 409)
  async decline(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: CloseContractDto,
    @Signer() client: SignerClient,
  ): Promise<ContractResponse> {
    return toContractResponse(await this.signing.decline(actor, id, body.reason, client));
  }

  @Post(':id/viewed')
  @HttpCode(200)
  @Roles(Role.LAWYER, Role.CLIENT)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'markContractViewed',
    summary:
      'Records that the party opened the current version (VIEWED with time, IP, user agent and hash; once per version). ' +
      'Needed before signing. 409 CONTRACT_VERSION_STALE when the hash is not the current version’s.',
  })
  @ApiOkResponse({ type: ContractResponse })
  @ApiErrorResponses(400, 404, 409)
  async viewed(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: ViewedDto,
    @Signer() client: SignerClient,
  ): Promise<ContractResponse> {
    return toContractResponse(await this.signing.viewed(actor, id, body.versionSha256, client));
  }

  @Post(':id/sign')
  @HttpCode(200)
  @Roles(Role.LAWYER, Role.CLIENT)
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED).
  @ApiOperation({
    operationId: 'signContract',
    summary:
      'Signs the current version (consent, typed name, optional drawing), binding its SHA-256. The last signature executes the contract: ' +
      'the sealed executed PDF is made and its SHA-256 chained into the audit trail. 409 CONTRACT_VERSION_STALE, CONTRACT_ALREADY_SIGNED, ' +
      'CONTRACT_NOT_VIEWED, CONTRACT_EXECUTED, CONTRACT_CLOSED, CONTRACT_NOT_SIGNABLE; 400 CONTRACT_CONSENT_REQUIRED, CONTRACT_SIGNATURE_INVALID.',
  })
  @ApiOkResponse({ type: ContractResponse })
  @ApiErrorResponses(400, 404, 409)
  async sign(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: SignContractDto,
    @Signer() client: SignerClient,
  ): Promise<ContractResponse> {
    return toContractResponse(await this.signing.sign(actor, id, body, client));
  }

  @Get(':id/versions/:versionId/pdf')
  @Roles(Role.LAWYER, Role.CLIENT, Role.ADMIN)
  @Scopes('contracts:read')
  @ApiOperation({
    operationId: 'downloadContractVersion',
    summary: 'A version’s PDF, exactly as rendered when it was saved (its SHA-256 is the ETag and the hash a signature binds).',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The PDF' })
  @ApiErrorResponses(400, 404)
  async versionPdf(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Param('versionId', UuidParam('versionId')) versionId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return fileResponse(reply, await this.contracts.versionPdf(actor, id, versionId), 'inline');
  }

  @Get(':id/executed.pdf')
  @Roles(Role.LAWYER, Role.CLIENT, Role.ADMIN)
  @Scopes('contracts:read')
  @ApiOperation({
    operationId: 'downloadExecutedContract',
    summary:
      'The sealed executed PDF (document, signatures, certificate page), for a party or an admin; every download is audited. ' +
      'Its SHA-256 (the ETag) is the one in the contract.executed audit entry. Before execution: 409 CONTRACT_NOT_EXECUTED.',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The sealed PDF' })
  @ApiErrorResponses(400, 404, 409)
  async executedPdf(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return fileResponse(reply, await this.contracts.executedPdf(actor, id), 'attachment');
  }
}

function fileResponse(reply: FastifyReply, file: ContractFile, disposition: 'inline' | 'attachment'): StreamableFile {
  void reply
    .header('etag', `"${file.sha256}"`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff');
  return new StreamableFile(file.stream, {
    type: file.contentType,
    length: file.size,
    disposition: `${disposition}; filename="${file.filename}"`,
  });
}
