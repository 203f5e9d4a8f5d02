import { ApiProperty } from '@nestjs/swagger';
import { PAYABLE_ACCOUNTS, type PayableAccount } from '../ledger-math';
import { ROLLUP_FIELDS, type RollupField } from '../ledger-rollup';
import type { ReconciliationResult } from '../ledger.service';

export class LedgerRollupDifferenceResponse {
  @ApiProperty({ format: 'uuid' })
  partyId: string;
  @ApiProperty({ enum: PAYABLE_ACCOUNTS, example: 'lawyer_payable' })
  account: PayableAccount;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  /** The party's local day of the rollup row (YYYY-MM-DD). */
  @ApiProperty({ format: 'date', example: '2025-03-01' })
  day: string;
  @ApiProperty({ enum: ROLLUP_FIELDS, example: 'net_minor' })
  field: RollupField;
  /** The value in the rollup (0 when the row is missing). */
  @ApiProperty({ example: -8500 })
  rollupValue: number;
  /** The value recomputed from the ledger's entries (0 when the ledger has no such day). */
  @ApiProperty({ example: -8400 })
  ledgerValue: number;
}

export class LedgerReconciliationResponse {
  @ApiProperty({ example: true })
  ok: boolean;
  checkedAt: Date;
  /** Rows of `ledger_party_daily`. */
  @ApiProperty({ example: 42 })
  rollupRows: number;
  /** (party, account, currency, day) groups in the raw ledger. */
  @ApiProperty({ example: 42 })
  ledgerGroups: number;
  /** Every differing field, counted. */
  @ApiProperty({ example: 0 })
  differenceCount: number;
  /** The differing fields, ordered by party, account, currency, day and field; at most 1000. */
  @ApiProperty({ type: [LedgerRollupDifferenceResponse] })
  differences: LedgerRollupDifferenceResponse[];
}

export function toLedgerReconciliationResponse(r: ReconciliationResult): LedgerReconciliationResponse {
  return {
    ok: r.differenceCount === 0,
    checkedAt: r.checkedAt,
    rollupRows: r.rollupRows,
    ledgerGroups: r.ledgerGroups,
    differenceCount: r.differenceCount,
    differences: r.differences.map((d) => ({ ...d })),
  };
}
