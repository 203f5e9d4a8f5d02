import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { LEDGER_TRANSACTION_KINDS, type LedgerTransactionKind } from '../ledger.repository';

/** Pages of ledger transactions, newest first, optionally for one kind, session, payment or payout. */
export class ListLedgerTransactionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LEDGER_TRANSACTION_KINDS })
  @IsOptional()
  @IsIn(LEDGER_TRANSACTION_KINDS)
  kind?: LedgerTransactionKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  paymentId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  payoutId?: string;
}
