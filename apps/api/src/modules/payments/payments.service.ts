import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobsService } from '../jobs';
import { CHECKOUT_EXPIRE_QUEUE } from './payment-queues';
import type { PaymentSummary, RefundSummary } from './payment-summary';
import { PaymentsRepository, type AdminPaymentRow, type PaymentFilter } from './payments.repository';
import { RefundsService, toRefundSummary } from './refunds.service';

export type { PaymentSummary, RefundSummary } from './payment-summary';

/** Paid minus everything already refunded or on its way (PENDING or SUCCEEDED refunds): what a refund may still return. */
export function refundable({ payment, refunds }: { payment: PaymentSummary | null; refunds: RefundSummary[] }): number {
  if (!payment) return 0;
  const requested = refunds.filter((r) => r.status !== 'FAILED').reduce((sum, r) => sum + r.amountMinor, 0);
  return Math.max(0, payment.amountMinor - Math.max(payment.refundedMinor, requested));
}

/**
 * What other modules use of payments (the consultations module: refunds on cancellation,
 * abandoning an unpaid checkout, a session's money for its page). Every method that changes
 * something takes the caller's transaction, so the change and its job commit together.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly refunds: RefundsService,
    private readonly jobs: JobsService,
  ) {}

  /**
   * Records a PENDING refund for the session's payment and enqueues the Stripe refund call in the
   * caller's transaction (idempotency key derived from the refund id). amountMinor 0 → returns
   * null. Never refunds more than paid minus already refunded (or pending). The ledger reversal is
   * posted when Stripe confirms. Throws NOTHING_TO_REFUND (409) when the session has no payment.
   */
  requestRefund(
    manager: EntityManager,
    input: { sessionId: string; amountMinor: number; reason: string; requestedBy: string | null },
  ): Promise<RefundSummary | null> {
    return this.refunds.request(manager, input);
  }

  /** Enqueues expiring the session's open Stripe Checkout Session (client cancelled before paying). */
  async abandonCheckout(manager: EntityManager, sessionId: string): Promise<void> {
    await this.jobs.send(CHECKOUT_EXPIRE_QUEUE, { sessionId }, { manager });
  }

  /** Payment + refunds of a session, for session responses. */
  async findForSession(
    sessionId: string,
    manager?: EntityManager,
  ): Promise<{ payment: PaymentSummary | null; refunds: RefundSummary[] }> {
    const [payment, refunds] = await Promise.all([
      this.repo.findPaymentBySession(sessionId, manager),
      this.repo.refundsOfSession(sessionId, manager),
    ]);
    return {
      payment: payment
        ? {
            id: payment.id,
            amountMinor: payment.amountMinor,
            currency: payment.currency,
            refundedMinor: payment.refundedMinor,
            createdAt: payment.createdAt,
          }
        : null,
      refunds: refunds.map(toRefundSummary),
    };
  }

  /** Admin list of payments, newest first, with their refunds. */
  listPayments(filter: PaymentFilter & { page: number; pageSize: number }) {
    return this.repo.listPayments(filter);
  }

  exportPayments(filter: PaymentFilter, limit: number): Promise<AdminPaymentRow[]> {
    return this.repo.exportPayments(filter, limit);
  }
}
