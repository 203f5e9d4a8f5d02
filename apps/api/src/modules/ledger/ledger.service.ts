import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { PartnersService } from '../partners';
import { paymentLines, refundReversal, sharesOf, splitPayment, type PaymentSplit } from './ledger-math';
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

  balances(): Promise<LedgerBalanceRow[]> {
    return this.repo.balances();
  }

  listTransactions(filter: LedgerTransactionFilter) {
    return this.repo.listTransactions(filter);
  }
}
