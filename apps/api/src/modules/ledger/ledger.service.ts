import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { PartnersService } from '../partners';
import { paymentLines, refundReversal, sharesOf, splitPayment, type PayableAccount, type PaymentSplit } from './ledger-math';
import { LedgerRepository, type LedgerBalanceRow, type LedgerTransactionFilter } from './ledger.repository';

export interface PaymentPosting {
  paymentId: string;
  sessionId: string;
  clientId: string;
  lawyerId: string;
  amountMinor: number;
  currency: string;
}

export interface PostedPayment {
  transactionId: string;
  split: PaymentSplit;
}

export type { PayableAccount } from './ledger-math';

export interface PayoutPosting {
  /** The finance module's payout id: one PAYOUT transaction per payout. */
  payoutId: string;
  payeeId: string;
  account: PayableAccount;
  currency: string;
  /** Positive minor units paid to the payee. */
  amountMinor: number;
  description: string;
}

export interface OwedBalance {
  account: PayableAccount;
  currency: string;
  /** What the platform owes the payee (positive), from the daily rollups. */
  owedMinor: number;
}

export type RollupField =
  | 'payments_count'
  | 'gross_minor'
  | 'accrued_minor'
  | 'refunds_count'
  | 'refunded_gross_minor'
  | 'reversed_minor'
  | 'paid_out_minor'
  | 'payouts_reversed_minor'
  | 'net_minor'
  | 'entry_count';

export interface RollupDifference {
  partyId: string;
  account: PayableAccount;
  currency: string;
  /** YYYY-MM-DD (the party's local day). */
  day: string;
  field: RollupField;
  /** The value in `ledger_party_daily` (0 when the row is missing). */
  rollupValue: number;
  /** The value recomputed from `ledger_entries` (0 when the ledger has no such group). */
  ledgerValue: number;
}

export interface ReconciliationResult {
  checkedAt: Date;
  rollupRows: number;
  ledgerGroups: number;
  differences: RollupDifference[];
}

/**
 * The double-entry ledger. Postings happen inside the caller's transaction (the one that
 * records the payment or confirms the refund), so money moves in the ledger if and only if
 * the business change commits. The database refuses unbalanced transactions (deferred
 * zero-sum trigger) and any UPDATE/DELETE of history; both postings are idempotent per
 * payment / refund (partial unique indexes), so a replay cannot post twice.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly repo: LedgerRepository,
    private readonly partners: PartnersService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Posts a client payment: clearing debited with the amount; the platform fee
   * (PLATFORM_FEE_BPS of the amount) to platform revenue; the rest to the lawyer's payable; and
   * for each partner who referred the client and/or the lawyer, a commission of
   * PARTNER_COMMISSION_BPS of the fee moved from platform revenue to that partner's payable.
   * Rates are frozen on the entries.
   */
  async postPayment(manager: EntityManager, p: PaymentPosting): Promise<PostedPayment> {
    const referrers: string[] = [];
    for (const userId of [p.clientId, p.lawyerId]) {
      const partnerId = await this.partners.referrerOf(manager, userId);
      if (partnerId) referrers.push(partnerId);
    }
    const split = splitPayment(p.amountMinor, this.config.PLATFORM_FEE_BPS, this.config.PARTNER_COMMISSION_BPS, referrers);
    const transactionId = await this.repo.insertTransaction(manager, {
      kind: 'PAYMENT',
      sessionId: p.sessionId,
      paymentId: p.paymentId,
      refundId: null,
      reversesId: null,
      description: `Client payment ${p.paymentId} for session ${p.sessionId}`,
    });
    if (!transactionId) {
      // Already posted (a replay): the first posting stands, with the rates of its time.
      return { transactionId: (await this.repo.findTransactionId(manager, 'PAYMENT', p.paymentId))!, split };
    }
    await this.repo.insertEntries(manager, transactionId, p.currency, paymentLines(split, p.lawyerId));
    return { transactionId, split };
  }

  /**
   * Posts the reversal of a confirmed refund, proportional to the payment's own transaction
   * (see `refundReversal`); a refund of the whole payment reverses it exactly.
   */
  async postRefund(manager: EntityManager, r: { refundId: string; paymentId: string; amountMinor: number }): Promise<string> {
    const existing = await this.repo.findTransactionId(manager, 'REFUND', r.refundId);
    if (existing) return existing;
    const payment = await this.repo.lockPaymentTransaction(manager, r.paymentId);
    if (!payment) throw new Error(`Ledger: payment ${r.paymentId} has no PAYMENT transaction to reverse`);
    const paymentMinor = payment.lines.filter((l) => l.account === 'stripe_clearing').reduce((s, l) => s + l.amountMinor, 0);
    const before = await this.repo.reversedMinor(manager, r.paymentId);
    const lines = refundReversal(paymentMinor, sharesOf(payment.lines), before, r.amountMinor);
    const transactionId = await this.repo.insertTransaction(manager, {
      kind: 'REFUND',
      sessionId: payment.sessionId,
      paymentId: r.paymentId,
      refundId: r.refundId,
      reversesId: payment.id,
      description: `Refund ${r.refundId} of payment ${r.paymentId}`,
    });
    if (!transactionId) return (await this.repo.findTransactionId(manager, 'REFUND', r.refundId))!;
    await this.repo.insertEntries(manager, transactionId, payment.currency, lines);
    return transactionId;
  }

  /**
   * Posts a manual payout: the payee's payable debited with the amount, `payout_clearing`
   * credited (kind PAYOUT). Idempotent per payout id (returns the first posting's id).
   */
  async postPayout(manager: EntityManager, p: PayoutPosting): Promise<string> {
    void manager;
    void p;
    throw new Error('LedgerService.postPayout: not implemented yet');
  }

  /** Posts the exact mirror of a payout's PAYOUT transaction (kind PAYOUT_REVERSAL, reverses_id set). Idempotent per payout. */
  async postPayoutReversal(manager: EntityManager, r: { payoutId: string; description: string }): Promise<string> {
    void manager;
    void r;
    throw new Error('LedgerService.postPayoutReversal: not implemented yet');
  }

  /**
   * Serialises payouts of one payable (transaction-scoped advisory lock on payee, account and
   * currency), then reads what is owed from the rollups. `hasPayable`: the payee has any
   * posting on that account and currency.
   */
  async lockPayable(
    manager: EntityManager,
    payeeId: string,
    account: PayableAccount,
    currency: string,
  ): Promise<{ owedMinor: number; hasPayable: boolean }> {
    void manager;
    void payeeId;
    void account;
    void currency;
    throw new Error('LedgerService.lockPayable: not implemented yet');
  }

  /** What the platform owes the payee per account and currency (from the rollups). */
  async owedBalances(manager: EntityManager, payeeId: string): Promise<OwedBalance[]> {
    void manager;
    void payeeId;
    throw new Error('LedgerService.owedBalances: not implemented yet');
  }

  /** Compares `ledger_party_daily` with a recomputation from the raw ledger; every differing field is reported. */
  async reconcile(): Promise<ReconciliationResult> {
    throw new Error('LedgerService.reconcile: not implemented yet');
  }

  balances(): Promise<LedgerBalanceRow[]> {
    return this.repo.balances();
  }

  listTransactions(filter: LedgerTransactionFilter) {
    return this.repo.listTransactions(filter);
  }
}
