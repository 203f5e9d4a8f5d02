import { ApiProperty } from '@nestjs/swagger';

export const REFUND_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A session's payment as other modules and responses show it. Integer minor units + ISO currency. */
export class PaymentSummary {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 12000 })
  amountMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  /** Refunds Stripe confirmed so far. */
  @ApiProperty({ example: 0 })
  refundedMinor: number;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

/** A refund: PENDING until Stripe confirms it (SUCCEEDED) or it finally fails (FAILED). */
export class RefundSummary {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 12000 })
  amountMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ enum: REFUND_STATUSES })
  status: RefundStatus;
  @ApiProperty({ example: 'Cancelled by the lawyer' })
  reason: string;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}
