import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { InstantWithinCalendar } from '../../../common/validation/instant-range';
import { RefundSummary } from '../payment-summary';
import { PAYMENT_STATUSES, type AdminPaymentRow, type PaymentFilter, type PaymentStatus, type PaymentTotalsRow, type RefundRow } from '../payments.repository';
import { toRefundSummary } from '../refunds.service';

/** The filters of the payments list and of its CSV export; all optional, combined with AND. */
export class PaymentFilterQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  /** PAID (nothing refunded), PARTIALLY_REFUNDED or REFUNDED (in full). */
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES, { message: `status must be one of ${PAYMENT_STATUSES.join(', ')}` })
  status?: PaymentStatus;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 code, upper case' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code such as EUR' })
  currency?: string;

  /** Payments created at or after this instant (ISO-8601). */
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @InstantWithinCalendar()
  from?: string;

  /** Payments created before this instant (ISO-8601). */
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @InstantWithinCalendar()
  to?: string;

  /** Part of the client's or the lawyer's name or email (case-insensitive). */
  @ApiPropertyOptional({ example: 'lopez' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class ListPaymentsQueryDto extends IntersectionType(PageQueryDto, PaymentFilterQueryDto) {}

export function toPaymentFilter(q: PaymentFilterQueryDto): PaymentFilter {
  return {
    sessionId: q.sessionId,
    status: q.status,
    currency: q.currency,
    from: q.from === undefined ? undefined : new Date(q.from),
    to: q.to === undefined ? undefined : new Date(q.to),
    q: q.q?.trim() || undefined,
  };
}

/** The filtered set's sums in one currency (amounts are never added across currencies). */
export class PaymentTotalsResponse {
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ example: 12 })
  count: number;
  /** Everything paid, minor units. */
  @ApiProperty({ example: 108000 })
  grossMinor: number;
  /** Confirmed refunds, minor units. */
  @ApiProperty({ example: 9000 })
  refundedMinor: number;
  /** gross − refunded. */
  @ApiProperty({ example: 99000 })
  netMinor: number;
}

export class AdminRefundResponse extends RefundSummary {
  @ApiProperty({ nullable: true, type: String, example: 're_3Nk…' })
  stripeRefundId: string | null;
  @ApiProperty({ example: 'charge_already_refunded', nullable: true, type: String })
  failureReason: string | null;
  /** Who asked for it; null for the system or a refund made in Stripe's dashboard. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  requestedBy: string | null;
}

export class AdminPaymentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  @ApiProperty({ example: 'SCHEDULED' })
  sessionStatus: string;
  @ApiProperty({ example: 'Employment contract review (60 min)' })
  offeringTitle: string;
  @ApiProperty({ format: 'uuid' })
  clientId: string;
  @ApiProperty({ nullable: true, type: String })
  clientName: string | null;
  @ApiProperty({ nullable: true, type: String })
  clientEmail: string | null;
  @ApiProperty({ format: 'uuid' })
  lawyerId: string;
  @ApiProperty({ nullable: true, type: String })
  lawyerName: string | null;
  @ApiProperty({ nullable: true, type: String })
  lawyerEmail: string | null;
  @ApiProperty({ enum: PAYMENT_STATUSES })
  status: PaymentStatus;
  @ApiProperty({ example: 12000 })
  amountMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  refundedMinor: number;
  @ApiProperty({ example: 'cs_test_a1B2c3D4e5F6g7H8' })
  stripeCheckoutSessionId: string;
  @ApiProperty({ example: 'pi_3PqRsTuVwXyZ0123', nullable: true, type: String })
  stripePaymentIntentId: string | null;
  createdAt: Date;
  @ApiProperty({ type: [AdminRefundResponse] })
  refunds: AdminRefundResponse[];
}

export class AdminPaymentPageResponse extends PagedResponse(AdminPaymentResponse) {
  /** Sums of every payment matching the filters (all pages), one row per currency. */
  @ApiProperty({ type: [PaymentTotalsResponse] })
  totals: PaymentTotalsResponse[];
}

export function paymentStatusOf(p: Pick<AdminPaymentRow, 'amountMinor' | 'refundedMinor'>): PaymentStatus {
  return p.refundedMinor === 0 ? 'PAID' : p.refundedMinor >= p.amountMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

export function toPaymentTotalsResponse(t: PaymentTotalsRow): PaymentTotalsResponse {
  return { currency: t.currency, count: t.count, grossMinor: t.grossMinor, refundedMinor: t.refundedMinor, netMinor: t.netMinor };
}

export function toAdminPaymentResponse(p: AdminPaymentRow & { refunds: RefundRow[] }): AdminPaymentResponse {
  return {
    id: p.id,
    sessionId: p.sessionId,
    sessionStatus: p.sessionStatus,
    offeringTitle: p.offeringTitle,
    clientId: p.clientId,
    clientName: p.clientName,
    clientEmail: p.clientEmail,
    lawyerId: p.lawyerId,
    lawyerName: p.lawyerName,
    lawyerEmail: p.lawyerEmail,
    status: paymentStatusOf(p),
    amountMinor: p.amountMinor,
    currency: p.currency,
    refundedMinor: p.refundedMinor,
    stripeCheckoutSessionId: p.stripeCheckoutSessionId,
    stripePaymentIntentId: p.stripePaymentIntentId,
    createdAt: p.createdAt,
    refunds: p.refunds.map((r) => ({
      ...toRefundSummary(r),
      stripeRefundId: r.stripeRefundId,
      failureReason: r.failureReason,
      requestedBy: r.requestedBy,
    })),
  };
}
