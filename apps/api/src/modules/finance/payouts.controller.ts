import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { PageQueryDto } from '../../common/http/page-query.dto';
import { UuidParam } from '../../common/http/uuid-param';
import { Clock } from '../../common/time/clock';
import {
  ListPayoutsQueryDto,
  PayoutPageResponse,
  PayoutResponse,
  PendingPayoutPageResponse,
  PendingPayoutsFilterDto,
  PendingPayoutsQueryDto,
  RecordPayoutDto,
  ReversePayoutDto,
  toPayoutResponse,
  toPendingPayoutResponse,
} from './dto/payout.dto';
import { pendingPayoutsCsv } from './pending-payouts-csv';
import { PayoutsService } from './payouts.service';

/** Manual payouts: who is owed, recording what was paid, and correcting a mistake. */
@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/payouts')
export class AdminPayoutsController {
  constructor(
    private readonly payouts: PayoutsService,
    private readonly clock: Clock,
  ) {}

  @Get('pending')
  @Scopes('admin')
  @ApiOperation({
    operationId: 'listPendingPayouts',
    summary:
      'Every partner and lawyer owed at least the threshold (minimumMinor, default PAYOUT_MINIMUM_MINOR), one row per payee and currency, most owed first (ADMIN).',
  })
  @ApiOkResponse({ type: PendingPayoutPageResponse })
  @ApiErrorResponses(400)
  async pending(@Query() query: PendingPayoutsQueryDto): Promise<PendingPayoutPageResponse> {
    const page = await this.payouts.pending(query);
    return { ...page, items: page.items.map(toPendingPayoutResponse) };
  }

  @Get('pending/export')
  @Scopes('admin')
  @Header('cache-control', 'private, no-store')
  @ApiOperation({
    operationId: 'exportPendingPayoutsCsv',
    summary:
      'The whole pending list (same filters, every row) as CSV for the bank run (RFC 4180, UTF-8; formula cells defused) (ADMIN).',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    schema: { type: 'string' },
    description: 'CSV with a header row; `owed` is a decimal in the row’s currency, `owed_minor` the same in minor units',
  })
  @ApiErrorResponses(400)
  async export(@Query() query: PendingPayoutsFilterDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const rows = await this.payouts.pendingAll(query);
    const stamp = this.clock.now().toISOString().slice(0, 10);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="pending-payouts-${stamp}.csv"`);
    return pendingPayoutsCsv(rows);
  }

  @Post()
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED): it moves money, so an admin does it signed in, never a key.
  @ApiOperation({
    operationId: 'recordPayout',
    summary:
      'Record a payout made outside the platform: posts it to the ledger (the payee’s payable → payout clearing), audits it and emails the payee (ADMIN, ' +
      'signed-in session only: an API key gets 403 API_KEY_NOT_ALLOWED). ' +
      'Never more than owed (409 PAYOUT_EXCEEDS_OWED, details.owedMinor), only in a currency the payee is owed in (409 PAYOUT_CURRENCY_MISMATCH), ' +
      'to a partner or lawyer (404 PAYEE_NOT_FOUND), not dated in the future (400 PAYOUT_PAID_AT_IN_FUTURE). ' +
      'The Idempotency-Key makes a retry safe: the same key with the same body answers 200 with the payout already recorded ' +
      '(header Idempotent-Replayed: true); with another body 422 IDEMPOTENCY_KEY_REUSED.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'A unique key per payout (e.g. a UUID), 1–255 visible ASCII characters; missing or malformed: 400 IDEMPOTENCY_KEY_REQUIRED.',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]{1,255}$' },
  })
  @ApiCreatedResponse({ type: PayoutResponse, description: 'Recorded' })
  @ApiOkResponse({
    type: PayoutResponse,
    description: 'Replayed: the payout recorded earlier with this Idempotency-Key and body',
    headers: { 'Idempotent-Replayed': { description: 'true', schema: { type: 'string', enum: ['true'] } } },
  })
  @ApiErrorResponses(400, 404, 409, 422)
  async record(
    @CurrentUser() actor: AuthUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: RecordPayoutDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PayoutResponse> {
    const { payout, replayed } = await this.payouts.record(actor, idempotencyKey, body);
    void reply.status(replayed ? 200 : 201);
    if (replayed) void reply.header('idempotent-replayed', 'true');
    return toPayoutResponse(payout, 'admin');
  }

  @Post(':id/reversal')
  // No @Scopes: session only (API keys get 403 API_KEY_NOT_ALLOWED): it moves money.
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reversePayout',
    summary:
      'Correct a payout recorded by mistake: the mirror ledger posting makes the amount owed again; audited, the payee is emailed (ADMIN, ' +
      'signed-in session only). ' +
      'Once per payout (409 PAYOUT_ALREADY_REVERSED).',
  })
  @ApiOkResponse({ type: PayoutResponse })
  @ApiErrorResponses(400, 404, 409)
  async reverse(
    @CurrentUser() actor: AuthUser,
    @Param('id', UuidParam('id')) id: string,
    @Body() body: ReversePayoutDto,
  ): Promise<PayoutResponse> {
    return toPayoutResponse(await this.payouts.reverse(actor, id, body.reason), 'admin');
  }

  @Get()
  @Scopes('admin')
  @ApiOperation({
    operationId: 'listPayouts',
    summary: 'Payouts recorded, newest first, optionally of one payee, with their reversals (ADMIN).',
  })
  @ApiOkResponse({ type: PayoutPageResponse })
  @ApiErrorResponses(400)
  async list(@Query() query: ListPayoutsQueryDto): Promise<PayoutPageResponse> {
    const page = await this.payouts.list(query);
    return { ...page, items: page.items.map((p) => toPayoutResponse(p, 'admin')) };
  }
}

/** A partner's or lawyer's own payouts. */
@ApiTags('payouts')
@Roles(Role.LAWYER, Role.PARTNER)
@Controller('payouts')
export class PayoutsController {
  constructor(private readonly payouts: PayoutsService) {}

  @Get()
  @Scopes('reports:read')
  @ApiOperation({
    operationId: 'listMyPayouts',
    summary: 'Payouts made to the caller, newest first, with any correction (LAWYER, PARTNER).',
  })
  @ApiOkResponse({ type: PayoutPageResponse })
  @ApiErrorResponses(400)
  async list(@CurrentUser() actor: AuthUser, @Query() query: PageQueryDto): Promise<PayoutPageResponse> {
    const page = await this.payouts.listMine(actor, query);
    return { ...page, items: page.items.map((p) => toPayoutResponse(p, 'payee')) };
  }
}
