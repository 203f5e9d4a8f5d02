import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import type { LedgerTransactionKind } from '../ledger.repository';

/** Pages of ledger transactions, newest first, optionally for one kind, session or payment. */
export class ListLedgerTransactionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['PAYMENT', 'REFUND', 'ADJUSTMENT', 'PAYOUT'] })
  @IsOptional()
  @IsIn(['PAYMENT', 'REFUND', 'ADJUSTMENT', 'PAYOUT'])
  kind?: LedgerTransactionKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  paymentId?: string;
}
