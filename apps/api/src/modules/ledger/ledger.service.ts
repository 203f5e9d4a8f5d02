import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { PartnersService } from '../partners';
import {
  paymentLines,
  refundReversal,
  sharesOf,
  splitPayment,
  type LedgerLine,
  type PayableAccount,
  type PaymentSplit,
} from './ledger-math';
import { balanceDeltas, localDay, rollupDeltas, type BalanceField, type RollupField } from './ledger-rollup';
import { LedgerRepository, type LedgerBalanceRow, type LedgerTransactionFilter, type PostedKind } from './ledger.repository';

/** At most this many differing fields are listed by a reconciliation (all are counted). */
export const RECONCILIATION_DIFFERENCE_LIMIT = 1000;

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
  /** What the platform owes the payee (positive), from the running balances. */
  owedMinor: number;
}

export type { BalanceField, RollupField } from './ledger-rollup';

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

export interface BalanceDifference {
  partyId: string;
  account: PayableAccount;
  currency: string;
  field: BalanceField;
  /**
   * The value in `ledger_party_balances` (0 when the row is missing); first_day and last_day as
   * YYYYMMDD numbers.
   */
  balanceValue: number;
  /** The value recomputed from `ledger_entries` (0 when the ledger has no such account). */
  ledgerValue: number;
}

export interface ReconciliationResult {
  checkedAt: Date;
  /** Rows of `ledger_party_daily`, and (party, account, currency, day) groups in the raw ledger. */
  rollupRows: number;
  ledgerGroups: number;
  /** Rows of `ledger_party_balances`, and (party, account, currency) groups in the raw ledger. */
  balanceRows: number;
  balanceGroups: number;
  /** Every differing field of both tables, counted (each list stops at RECONCILIATION_DIFFERENCE_LIMIT). */
  differenceCount: number;
  /** Differing fields of the daily rollup. */
  differences: RollupDifference[];
  /** Differing fields of the running balances. */
  balanceDifferences: BalanceDifference[];
}

/**
 * The double-entry ledger. Postings happen inside the caller's transaction (the one that
 * records the payment, confirms the refund or records the payout), so money moves in the
 * ledger if and only if the business change commits. The database refuses unbalanced
 * transactions (deferred zero-sum trigger) and any UPDATE/DELETE of history; every posting is
 * idempotent per payment / refund / payout (partial unique indexes), so a replay cannot post
 * twice. Every row carries business time (the injected clock) and each entry the local day of
 * its party; the same transaction adds the party entries to the daily rollup
 * (`ledger_party_daily`) and to the running balances (`ledger_party_balances`, see
 * ledger-rollup.ts) that reports and payouts read.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly repo: LedgerRepository,
    private readonly partners: PartnersService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Posts a client payment: clearing debited with the amount; the platform fee
   * (PLATFORM_FEE_BPS of the amount) to platform revenue; the rest to the lawyer's payable; and
   * for each partner who referred the client and/or the lawyer, a commission of
   * PARTNER_COMMISSION_BPS of the fee moved from platform revenue to that partner's payable.
   * Rates are frozen on the entries. The first payment of a referred client or lawyer converts
   * their referral (partners module, same transaction).
   */
  async postPayment(manager: EntityManager, p: PaymentPosting): Promise<PostedPayment> {
    const referrers: string[] = [];
    for (const userId of [p.clientId, p.lawyerId]) {
      const partnerId = await this.partners.referrerOf(manager, userId);
      if (partnerId) referrers.push(partnerId);
    }
    const split = splitPayment(p.amountMinor, this.config.PLATFORM_FEE_BPS, this.config.PARTNER_COMMISSION_BPS, referrers);
    const posted = await this.post(
      manager,
      {
        kind: 'PAYMENT',
        sessionId: p.sessionId,
        paymentId: p.paymentId,
        refundId: null,
        payoutId: null,
        reversesId: null,
        description: `Client payment ${p.paymentId} for session ${p.sessionId}`,
      },
      p.paymentId,
      p.currency,
      paymentLines(split, p.lawyerId),
    );
    // A replay: the first posting stands, with the rates of its time.
    if (!posted.created) return { transactionId: posted.id, split };
    for (const userId of [p.clientId, p.lawyerId]) {
      await this.partners.recordConversion(manager, { userId, paymentId: p.paymentId, at: posted.createdAt });
    }
    return { transactionId: posted.id, split };
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
    const posted = await this.post(
      manager,
      {
        kind: 'REFUND',
        sessionId: payment.sessionId,
        paymentId: r.paymentId,
        refundId: r.refundId,
        payoutId: null,
        reversesId: payment.id,
        description: `Refund ${r.refundId} of payment ${r.paymentId}`,
      },
      r.refundId,
      payment.currency,
      lines,
    );
    return posted.id;
  }

  /**
   * Posts a manual payout: the payee's payable debited with the amount, `payout_clearing`
   * credited (kind PAYOUT). Idempotent per payout id (returns the first posting's id). The
   * caller checks the amount against what is owed under `lockPayable` in the same transaction.
   */
  async postPayout(manager: EntityManager, p: PayoutPosting): Promise<string> {
    if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor <= 0) {
      throw new RangeError(`Ledger: a payout must be a positive safe integer, got ${p.amountMinor}`);
    }
    const posted = await this.post(
      manager,
      {
        kind: 'PAYOUT',
        sessionId: null,
        paymentId: null,
        refundId: null,
        payoutId: p.payoutId,
        reversesId: null,
        description: p.description,
      },
      p.payoutId,
      p.currency,
      [
        { account: p.account, partyId: p.payeeId, amountMinor: p.amountMinor, rateBps: null },
        { account: 'payout_clearing', partyId: null, amountMinor: -p.amountMinor, rateBps: null },
      ],
    );
    return posted.id;
  }

  /**
   * Posts the exact mirror of a payout's PAYOUT transaction (kind PAYOUT_REVERSAL, reverses_id
   * = the PAYOUT), restoring what is owed. Idempotent per payout.
   */
  async postPayoutReversal(manager: EntityManager, r: { payoutId: string; description: string }): Promise<string> {
    const existing = await this.repo.findTransactionId(manager, 'PAYOUT_REVERSAL', r.payoutId);
    if (existing) return existing;
    const payout = await this.repo.lockPayoutTransaction(manager, r.payoutId);
    if (!payout) throw new Error(`Ledger: payout ${r.payoutId} has no PAYOUT transaction to reverse`);
    const posted = await this.post(
      manager,
      {
        kind: 'PAYOUT_REVERSAL',
        sessionId: null,
        paymentId: null,
        refundId: null,
        payoutId: r.payoutId,
        reversesId: payout.id,
        description: r.description,
      },
      r.payoutId,
      payout.currency,
      payout.lines.map((l) => ({ ...l, amountMinor: -l.amountMinor })),
    );
    return posted.id;
  }

  /**
   * Serialises payouts of one payable (transaction-scoped advisory lock on payee, account and
   * currency, released when the caller's transaction ends), then reads what is owed from the
   * running balance (one row). `hasPayable`: the payee has any posting on that account and currency.
   */
  async lockPayable(
    manager: EntityManager,
    payeeId: string,
    account: PayableAccount,
    currency: string,
  ): Promise<{ owedMinor: number; hasPayable: boolean }> {
    await this.repo.advisoryXactLock(manager, `ledger.payable:${payeeId}:${account}:${currency}`);
    const [row] = await this.repo.owed(manager, payeeId, { account, currency });
    return { owedMinor: row?.owedMinor ?? 0, hasPayable: row !== undefined };
  }

  /** What the platform owes the payee per payable account and currency (from the running balances). */
  owedBalances(manager: EntityManager, payeeId: string): Promise<OwedBalance[]> {
    return this.repo.owed(manager, payeeId);
  }

  /**
   * Compares `ledger_party_daily` and `ledger_party_balances` with a recomputation from the raw
   * ledger; every differing field is reported.
   */
  async reconcile(): Promise<ReconciliationResult> {
    const checkedAt = this.clock.now();
    const r = await this.repo.reconcile(RECONCILIATION_DIFFERENCE_LIMIT);
    return {
      checkedAt,
      rollupRows: r.rollupRows,
      ledgerGroups: r.ledgerGroups,
      balanceRows: r.balanceRows,
      balanceGroups: r.balanceGroups,
      differenceCount: r.differenceCount + r.balanceDifferenceCount,
      differences: r.differences,
      balanceDifferences: r.balanceDifferences,
    };
  }

  balances(): Promise<LedgerBalanceRow[]> {
    return this.repo.balances();
  }

  listTransactions(filter: LedgerTransactionFilter) {
    return this.repo.listTransactions(filter);
  }

  /**
   * Writes one transaction unless its key already has one (then returns the existing id):
   * the transaction and its entries at the clock's now, each party entry on its party's local
   * day (one zone lookup per posting; platform accounts use the UTC day), and the party entries
   * added to the daily rollup and to the running balances.
   */
  private async post(
    manager: EntityManager,
    txn: {
      kind: PostedKind;
      sessionId: string | null;
      paymentId: string | null;
      refundId: string | null;
      payoutId: string | null;
      reversesId: string | null;
      description: string;
    },
    key: string,
    currency: string,
    lines: LedgerLine[],
  ): Promise<{ id: string; created: boolean; createdAt: Date }> {
    const createdAt = this.clock.now();
    const id = await this.repo.insertTransaction(manager, { ...txn, createdAt });
    if (!id) return { id: (await this.repo.findTransactionId(manager, txn.kind, key))!, created: false, createdAt };
    const parties = lines.flatMap((l) => (l.partyId ? [l.partyId] : []));
    const zones = await this.repo.partyZones(manager, parties);
    const utcDay = localDay(createdAt, 'UTC');
    const dayOf = (l: LedgerLine) => (l.partyId ? localDay(createdAt, zones.get(l.partyId)) : utcDay);
    await this.repo.insertEntries(manager, id, currency, lines, createdAt, dayOf);
    const deltas = rollupDeltas(txn.kind, currency, lines, dayOf);
    await this.repo.upsertRollups(manager, deltas);
    await this.repo.upsertBalances(manager, balanceDeltas(deltas));
    return { id, created: true, createdAt };
  }
}
