import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty } from '@nestjs/swagger';
import { LEDGER_ACCOUNTS, type LedgerAccount } from '../ledger-math';
import {
  LEDGER_TRANSACTION_KINDS,
  type LedgerBalanceRow,
  type LedgerEntryRow,
  type LedgerTransactionKind,
  type LedgerTransactionRow,
} from '../ledger.repository';

export class LedgerBalanceResponse {
  @ApiProperty({ enum: LEDGER_ACCOUNTS, example: 'lawyer_payable' })
  account: LedgerAccount;
  /** Whose payable it is (lawyer or partner); null for the platform's own accounts. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  partyId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Ana García' })
  partyName: string | null;
  @ApiProperty({ example: 'EUR' })
  currency: string;
  /**
   * Sum of the account's entries in minor units, debits positive and credits negative: money
   * held at Stripe is positive; what the platform owes (lawyer and partner payables) and what
   * it earned (platform revenue) are negative. All balances of a currency sum to zero.
   */
  @ApiProperty({ example: -8500 })
  balanceMinor: number;
}

export class LedgerBalancesResponse {
  @ApiProperty({ type: [LedgerBalanceResponse] })
  items: LedgerBalanceResponse[];
}

export class LedgerEntryResponse {
  @ApiProperty({ enum: LEDGER_ACCOUNTS })
  account: LedgerAccount;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  partyId: string | null;
  @ApiProperty({ nullable: true, type: String })
  partyName: string | null;
  /** Signed minor units: debit positive, credit negative. */
  amountMinor: number;
  currency: string;
  /** The rate (basis points) that produced the amount, frozen at posting time: the platform fee or the partner commission. */
  @ApiProperty({ nullable: true, type: Number, example: 1500 })
  rateBps: number | null;
}

export class LedgerTransactionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: LEDGER_TRANSACTION_KINDS })
  kind: LedgerTransactionKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  sessionId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  paymentId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  refundId: string | null;
  /** The manual payout a PAYOUT or PAYOUT_REVERSAL posts. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  payoutId: string | null;
  /** The transaction a REFUND (the payment's) or a PAYOUT_REVERSAL (the payout's) reverses. */
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  reversesId: string | null;
  @ApiProperty({ example: 'Payment of session 5b1f0e9c (Employment contract review)' })
  description: string;
  createdAt: Date;
  @ApiProperty({ type: [LedgerEntryResponse] })
  entries: LedgerEntryResponse[];
}

export class LedgerTransactionPageResponse extends PagedResponse(LedgerTransactionResponse) {}

export function toLedgerBalanceResponse(b: LedgerBalanceRow): LedgerBalanceResponse {
  return { account: b.account, partyId: b.partyId, partyName: b.partyName, currency: b.currency, balanceMinor: b.balanceMinor };
}

export function toLedgerTransactionResponse(t: LedgerTransactionRow & { entries: LedgerEntryRow[] }): LedgerTransactionResponse {
  return {
    id: t.id,
    kind: t.kind,
    sessionId: t.sessionId,
    paymentId: t.paymentId,
    refundId: t.refundId,
    payoutId: t.payoutId,
    reversesId: t.reversesId,
    description: t.description,
    createdAt: t.createdAt,
    entries: t.entries.map((e) => ({
      account: e.account,
      partyId: e.partyId,
      partyName: e.partyName,
      amountMinor: e.amountMinor,
      currency: e.currency,
      rateBps: e.rateBps,
    })),
  };
}
