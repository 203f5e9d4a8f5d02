import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role } from '@lm/domain';
import type { FastifyReply } from 'fastify';
import { Roles, Scopes } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { Clock } from '../../common/time/clock';
import {
  AdminPaymentPageResponse,
  ListPaymentsQueryDto,
  PaymentFilterQueryDto,
  toAdminPaymentResponse,
  toPaymentFilter,
  toPaymentTotalsResponse,
} from './dto/admin-payment.response';
import { paymentsCsv } from './payments-csv';
import { ExportTooLarge } from './payments.errors';
import { PaymentsService } from './payments.service';

/** Largest CSV export; a wider filter is refused (400 EXPORT_TOO_LARGE) rather than cut short. */
export const MAX_EXPORT_ROWS = 10_000;

@ApiTags('admin')
@Roles(Role.ADMIN)
@Controller('admin/payments')
export class AdminPaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Scopes('admin')
  @ApiOperation({
    operationId: 'listPayments',
    summary: 'Payments, newest first, with their refunds and the totals of the filtered set per currency (ADMIN).',
  })
  @ApiOkResponse({ type: AdminPaymentPageResponse })
  @ApiErrorResponses(400)
  async list(@Query() query: ListPaymentsQueryDto): Promise<AdminPaymentPageResponse> {
    const { items, total, totals } = await this.payments.listPayments({ ...toPaymentFilter(query), page: query.page, pageSize: query.pageSize });
    return { items: items.map(toAdminPaymentResponse), total, page: query.page, pageSize: query.pageSize, totals: totals.map(toPaymentTotalsResponse) };
  }

  @Get('export.csv')
  @Scopes('admin')
  @Header('cache-control', 'private, no-store')
  @ApiOperation({
    operationId: 'exportPaymentsCsv',
    summary: `Every payment matching the filters as CSV (RFC 4180, UTF-8), newest first (ADMIN). More than ${MAX_EXPORT_ROWS} rows → 400 EXPORT_TOO_LARGE: narrow the filters.`,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' }, description: 'CSV with a header row; amounts are decimals in the payment’s currency' })
  @ApiErrorResponses(400)
  async export(@Query() query: PaymentFilterQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const rows = await this.payments.exportPayments(toPaymentFilter(query), MAX_EXPORT_ROWS + 1);
    if (rows.length > MAX_EXPORT_ROWS) throw new ExportTooLarge(`More than ${MAX_EXPORT_ROWS} payments match; narrow the filters (a date range, a currency)`);
    const stamp = this.clock.now().toISOString().slice(0, 10);
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="payments-${stamp}.csv"`);
    return paymentsCsv(rows);
  }
}
