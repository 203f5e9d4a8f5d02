import { ApiProperty } from '@nestjs/swagger';
import { PAYABLE_ACCOUNTS, type PayableAccount } from '../ledger-math';
import { BALANCE_FIELDS, ROLLUP_FIELDS, type BalanceField, type RollupField } from '../ledger-rollup';
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

export class LedgerBalanceDifferenceResponse {
  @ApiProperty({ format: 'uuid' })
  partyId: string;
  @ApiProperty({ enum: PAYABLE_ACCOUNTS, example: 'lawyer_payable' })
  account: PayableAccount;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  @ApiProperty({ enum: BALANCE_FIELDS, example: 'net_minor' })
  field: BalanceField;
  /** The value in the running balance (0 when the row is missing); first_day and last_day as YYYYMMDD numbers. */
  @ApiProperty({ example: -8500 })
  balanceValue: number;
  /** The value recomputed from the ledger's entries (0 when the ledger has no such account). */
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
  /** Rows of `ledger_party_balances` (running balance per party, account and currency). */
  @ApiProperty({ example: 7 })
  balanceRows: number;
  /** (party, account, currency) groups in the raw ledger. */
  @ApiProperty({ example: 7 })
  balanceGroups: number;
  /** Every differing field of the daily rollups and of the running balances, counted. */
  @ApiProperty({ example: 0 })
  differenceCount: number;
  /** The differing fields of the daily rollups, ordered by party, account, currency, day and field; at most 1000. */
  @ApiProperty({ type: [LedgerRollupDifferenceResponse] })
  differences: LedgerRollupDifferenceResponse[];
  /** The differing fields of the running balances, ordered by party, account, currency and field; at most 1000. */
  @ApiProperty({ type: [LedgerBalanceDifferenceResponse] })
  balanceDifferences: LedgerBalanceDifferenceResponse[];
}

export function toLedgerReconciliationResponse(r: ReconciliationResult): LedgerReconciliationResponse {
  return {
    ok: r.differenceCount === 0,
    checkedAt: r.checkedAt,
    rollupRows: r.rollupRows,
    ledgerGroups: r.ledgerGroups,
    balanceRows: r.balanceRows,
    balanceGroups: r.balanceGroups,
    differenceCount: r.differenceCount,
    differences: r.differences.map((d) => ({ ...d })),
    balanceDifferences: r.balanceDifferences.map((d) => ({ ...d })),
  };
}
