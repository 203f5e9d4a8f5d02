import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { RefundSummary } from '../payment-summary';
import type { AdminPaymentRow, RefundRow } from '../payments.repository';
import { toRefundSummary } from '../refunds.service';

export class ListPaymentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;
}

export class AdminRefundResponse extends RefundSummary {
  @ApiProperty({ nullable: true, type: String, example: 're_3Nk…' })
  stripeRefundId: string | null;
  @ApiProperty({ nullable: true, type: String })
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
  sessionStatus: string;
  offeringTitle: string;
  @ApiProperty({ format: 'uuid' })
  clientId: string;
  @ApiProperty({ nullable: true, type: String })
  clientName: string | null;
  @ApiProperty({ format: 'uuid' })
  lawyerId: string;
  @ApiProperty({ nullable: true, type: String })
  lawyerName: string | null;
  @ApiProperty({ example: 12000 })
  amountMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  refundedMinor: number;
  stripeCheckoutSessionId: string;
  @ApiProperty({ nullable: true, type: String })
  stripePaymentIntentId: string | null;
  createdAt: Date;
  @ApiProperty({ type: [AdminRefundResponse] })
  refunds: AdminRefundResponse[];
}

export class AdminPaymentPageResponse extends PagedResponse(AdminPaymentResponse) {}

export function toAdminPaymentResponse(p: AdminPaymentRow & { refunds: RefundRow[] }): AdminPaymentResponse {
  return {
    id: p.id,
    sessionId: p.sessionId,
    sessionStatus: p.sessionStatus,
    offeringTitle: p.offeringTitle,
    clientId: p.clientId,
    clientName: p.clientName,
    lawyerId: p.lawyerId,
    lawyerName: p.lawyerName,
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
