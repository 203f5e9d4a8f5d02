import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit';
import { SessionLifecycle } from '../consultations-core';
import { JobsService } from '../jobs';
import { LedgerService } from '../ledger';
import { SessionNotifications } from '../notifications';
import { WebhookEvents } from '../webhooks';
import { Clock } from '../../common/time/clock';
import { isFinalAttempt, isUuid, REFUND_QUEUE, STRIPE_JOB_ATTEMPTS, type JobAttempt } from './payment-queues';
import type { RefundSummary } from './payment-summary';
import { NothingToRefund } from './payments.errors';
import { PaymentsRepository, type PaymentRow, type RefundRow } from './payments.repository';
import { describeStripeError, isTransientStripeError } from './stripe/stripe-errors';
import { StripeGateway } from './stripe/stripe-gateway';
import { transactionWithRetry } from '../../common/database/transaction-retry';

export interface RefundRequest {
  sessionId: string;
  amountMinor: number;
  reason: string;
  requestedBy: string | null;
}

/** Where a refund confirmation came from (for the audit trail). */
export interface RefundSource {
  source: 'webhook' | 'reconciliation' | 'job';
  eventId?: string;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'ignored';

/** Refund jobs run at once per worker (fewer than DB_POOL_SIZE's default 10, so requests keep connections). */
const REFUND_CONCURRENCY = 5;

/**
 * Refunds: requested in the caller's transaction (PENDING row + job), sent to Stripe by a job
 * with the idempotency key `refund-<our id>`, confirmed by Stripe's answer or its webhook
 * (whichever comes first; the other finds it SUCCEEDED and does nothing). Confirming writes the
 * refund, the payment's refunded total and the ledger reversal in one transaction. A refund made
 * in Stripe's dashboard is recorded the same way when its event arrives.
 *
 * Lock order everywhere: session row, then payment row (refunds of one payment are serialised
 * by the payment lock), then the audit chain.
 */
@Injectable()
export class RefundsService implements OnModuleInit {
  private readonly logger = new Logger(RefundsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PaymentsRepository,
    private readonly lifecycle: SessionLifecycle,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly stripe: StripeGateway,
    private readonly notifications: SessionNotifications,
    private readonly webhooks: WebhookEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Several refunds at once: one at a time, a poll (1 s) per refund made a burst of
    // cancellations wait minutes for their money (bench:flow: 241 refunds took 226 s). Each job
    // holds at most one pooled connection at a time (never while Stripe answers), refunds of one
    // payment are serialised by its row lock, and a job that fails is retried alone.
    this.jobs.registerEach<{ refundId: string }>(
      { name: REFUND_QUEUE, retryLimit: STRIPE_JOB_ATTEMPTS - 1, retryDelay: 5, retryBackoff: true },
      (job) => this.process(job.data.refundId, job),
      { concurrency: REFUND_CONCURRENCY, work: { pollingIntervalSeconds: 0.5 } },
    );
  }

  /**
   * Records a PENDING refund of the session's payment and enqueues the Stripe call, in the
   * caller's transaction. Never more than paid minus refunded minus already pending: a larger
   * request is reduced to that, and nothing left means no refund (null).
   */
  async request(manager: EntityManager, input: RefundRequest): Promise<RefundSummary | null> {
    if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < 0)
      throw new RangeError(`Invalid refund amount ${input.amountMinor}`);
    if (input.amountMinor === 0) return null;
    await this.lifecycle.lock(manager, input.sessionId);
    const found = await this.repo.findPaymentBySession(input.sessionId, manager);
    if (!found) throw new NothingToRefund();
    const payment = (await this.repo.lockPayment(manager, found.id))!;
    const pending = await this.repo.pendingRefundTotal(manager, payment.id);
    const amountMinor = Math.min(input.amountMinor, payment.amountMinor - payment.refundedMinor - pending);
    if (amountMinor <= 0) return null;
    const refund = await this.repo.insertRefund(manager, {
      paymentId: payment.id,
      sessionId: payment.sessionId,
      amountMinor,
      currency: payment.currency,
      reason: (input.reason.trim() || 'Refund').slice(0, 200),
      status: 'PENDING',
      stripeRefundId: null,
      requestedBy: input.requestedBy,
    });
    await this.jobs.send(REFUND_QUEUE, { refundId: refund.id }, { manager });
    // audit: refund.requested
    await this.audit.record(manager, {
      actorId: input.requestedBy,
      action: 'refund.requested',
      subjectType: 'refund',
      subjectId: refund.id,
      payload: {
        sessionId: payment.sessionId,
        paymentId: payment.id,
        amountMinor,
        requestedMinor: input.amountMinor,
        currency: payment.currency,
        reason: refund.reason,
      },
    });
    return toRefundSummary(refund);
  }

  /**
   * The refund job: asks Stripe to refund (idempotency key `refund-<id>`, so a retry after a
   * lost answer never refunds twice) and applies Stripe's answer. Temporary failures throw so
   * pg-boss retries with backoff; a refusal, or the last attempt, marks the refund FAILED.
   */
  async process(refundId: string, attempt: JobAttempt = {}): Promise<void> {
    const refund = await this.repo.findRefund(this.repo.manager, refundId);
    if (!refund || refund.status !== 'PENDING') return;
    const payment = (await this.repo.findPayment(this.repo.manager, refund.paymentId))!;
    if (!payment.stripePaymentIntentId) {
      await this.fail(refund.id, 'The payment has no Stripe PaymentIntent to refund');
      return;
    }
    let stripeRefund: Stripe.Refund;
    try {
      stripeRefund = refund.stripeRefundId
        ? await this.stripe.client.refunds.retrieve(refund.stripeRefundId)
        : await this.stripe.client.refunds.create(
            {
              payment_intent: payment.stripePaymentIntentId,
              amount: refund.amountMinor,
              reason: 'requested_by_customer',
              metadata: { refundId: refund.id, paymentId: payment.id, sessionId: payment.sessionId, reason: refund.reason },
            },
            { idempotencyKey: `refund-${refund.id}` },
          );
    } catch (e) {
      if (isTransientStripeError(e) && !isFinalAttempt(attempt)) throw e;
      this.logger.warn(`Refund ${refund.id} failed at Stripe: ${describeStripeError(e)}`);
      await this.fail(refund.id, describeStripeError(e));
      return;
    }
    await transactionWithRetry(this.dataSource, (m) => this.applyStripeRefund(m, stripeRefund, { source: 'job' }));
  }

  /**
   * Applies what Stripe says about a refund: `succeeded` confirms ours (or records one made in
   * the dashboard), `failed`/`canceled` fails ours, anything else (pending) only remembers
   * Stripe's id. Idempotent: a confirmed refund is never confirmed (or reversed) twice.
   */
  async applyStripeRefund(manager: EntityManager, r: Stripe.Refund, from: RefundSource): Promise<ApplyOutcome> {
    const intentId = typeof r.payment_intent === 'string' ? r.payment_intent : (r.payment_intent?.id ?? null);
    let found: PaymentRow | null = intentId ? await this.repo.findPaymentByIntent(manager, intentId) : null;
    if (!found && isUuid(r.metadata?.paymentId)) found = await this.repo.findPayment(manager, r.metadata.paymentId);
    if (!found) {
      this.logger.warn(`Stripe refund ${r.id} belongs to no payment of ours; ignored`);
      return 'ignored';
    }
    await this.lifecycle.lock(manager, found.sessionId);
    const payment = (await this.repo.lockPayment(manager, found.id))!;
    let ours: RefundRow | null = isUuid(r.metadata?.refundId) ? await this.repo.findRefund(manager, r.metadata.refundId) : null;
    if (ours && ours.paymentId !== payment.id) ours = null;
    ours ??= await this.repo.findRefundByStripeId(manager, r.id);

    if (r.status === 'succeeded') {
      if (ours?.status === 'SUCCEEDED') return 'duplicate';
      return ours ? this.confirm(manager, ours, payment, r, from) : this.recordExternal(manager, payment, r, from);
    }
    if (r.status === 'failed' || r.status === 'canceled') {
      if (!ours) return 'ignored'; // nothing of ours, and no money moved
      if (ours.status === 'PENDING') {
        await this.markFailed(manager, ours, r.failure_reason ?? r.status, from);
        return 'applied';
      }
      if (ours.status === 'SUCCEEDED') {
        // The money came back to us after a confirmed refund (e.g. the card was closed). Not
        // reversed automatically: an admin has to decide how to return it to the client.
        this.logger.error(`Refund ${ours.id} (Stripe ${r.id}) failed after it had succeeded; needs manual follow-up`);
        // audit: refund.failed_after_success
        await this.audit.record(manager, {
          actorId: null,
          action: 'refund.failed_after_success',
          subjectType: 'refund',
          subjectId: ours.id,
          payload: { stripeRefundId: r.id, failureReason: r.failure_reason ?? r.status, ...sourcePayload(from) },
        });
        return 'applied';
      }
      return 'duplicate';
    }
    if (ours && ours.status === 'PENDING' && !ours.stripeRefundId) {
      await this.repo.updateRefund(manager, ours.id, { stripeRefundId: r.id });
      return 'applied';
    }
    return 'ignored';
  }

  /** Marks a refund FAILED in its own transaction (job path). */
  private async fail(refundId: string, reason: string): Promise<void> {
    await transactionWithRetry(this.dataSource, async (m) => {
      const refund = await this.repo.findRefund(m, refundId);
      if (!refund) return;
      await this.lifecycle.lock(m, refund.sessionId);
      await this.repo.lockPayment(m, refund.paymentId);
      const current = (await this.repo.findRefund(m, refundId))!;
      if (current.status === 'PENDING') await this.markFailed(m, current, reason, { source: 'job' });
    });
  }

  private async confirm(
    manager: EntityManager,
    ours: RefundRow,
    payment: PaymentRow,
    r: Stripe.Refund,
    from: RefundSource,
  ): Promise<ApplyOutcome> {
    if (r.amount !== ours.amountMinor)
      this.logger.error(`Refund ${ours.id}: Stripe refunded ${r.amount}, we asked for ${ours.amountMinor}`);
    if (payment.refundedMinor + ours.amountMinor > payment.amountMinor) {
      this.logger.error(`Refund ${ours.id} would refund more than payment ${payment.id}; left for manual review`);
      return 'ignored';
    }
    await this.repo.updateRefund(manager, ours.id, { status: 'SUCCEEDED', stripeRefundId: r.id, failureReason: null });
    await this.repo.addRefunded(manager, payment.id, ours.amountMinor);
    const ledgerTransactionId = await this.ledger.postRefund(manager, {
      refundId: ours.id,
      paymentId: payment.id,
      amountMinor: ours.amountMinor,
    });
    // audit: refund.succeeded
    await this.audit.record(manager, {
      actorId: null,
      action: 'refund.succeeded',
      subjectType: 'refund',
      subjectId: ours.id,
      payload: {
        sessionId: payment.sessionId,
        paymentId: payment.id,
        stripeRefundId: r.id,
        amountMinor: ours.amountMinor,
        currency: ours.currency,
        ledgerTransactionId,
        ...sourcePayload(from),
      },
    });
    await this.tellClient(manager, ours, payment.sessionId);
    return 'applied';
  }

  /**
   * The client hears that the money is on its way back (once per refund, in this transaction),
   * and both participants' webhooks get `refund.succeeded`: the amount and the session for both,
   * the refund's reason for the client only (it may quote the client's cancellation).
   */
  private async tellClient(manager: EntityManager, refund: RefundRow, sessionId: string): Promise<void> {
    const session = await this.lifecycle.find(sessionId, manager);
    if (!session) return;
    await this.notifications.onRefundSucceeded(manager, refund, session);
    const at = this.clock.now();
    const base = {
      refundId: refund.id,
      sessionId,
      amountMinor: refund.amountMinor,
      currency: refund.currency,
      succeededAt: at.toISOString(),
    };
    await this.webhooks.emit(manager, {
      type: 'refund.succeeded',
      occurredAt: at,
      recipients: [
        { userId: session.clientId, data: { ...base, role: 'CLIENT', reason: refund.reason } },
        ...(session.lawyerId !== session.clientId ? [{ userId: session.lawyerId, data: { ...base, role: 'LAWYER' } }] : []),
      ],
    });
  }

  /** A refund we did not ask for (made in Stripe's dashboard): the money left, so the books follow. */
  private async recordExternal(
    manager: EntityManager,
    payment: PaymentRow,
    r: Stripe.Refund,
    from: RefundSource,
  ): Promise<ApplyOutcome> {
    if (payment.refundedMinor + r.amount > payment.amountMinor) {
      this.logger.error(`Stripe refund ${r.id} exceeds what is left of payment ${payment.id}; left for manual review`);
      return 'ignored';
    }
    const refund = await this.repo.insertRefund(manager, {
      paymentId: payment.id,
      sessionId: payment.sessionId,
      amountMinor: r.amount,
      currency: payment.currency,
      reason: `Refunded in Stripe${r.reason ? ` (${r.reason})` : ''}`,
      status: 'SUCCEEDED',
      stripeRefundId: r.id,
      requestedBy: null,
    });
    await this.repo.addRefunded(manager, payment.id, r.amount);
    const ledgerTransactionId = await this.ledger.postRefund(manager, {
      refundId: refund.id,
      paymentId: payment.id,
      amountMinor: r.amount,
    });
    // audit: refund.recorded
    await this.audit.record(manager, {
      actorId: null,
      action: 'refund.recorded',
      subjectType: 'refund',
      subjectId: refund.id,
      payload: {
        sessionId: payment.sessionId,
        paymentId: payment.id,
        stripeRefundId: r.id,
        amountMinor: r.amount,
        currency: payment.currency,
        ledgerTransactionId,
        ...sourcePayload(from),
      },
    });
    await this.tellClient(manager, refund, payment.sessionId);
    return 'applied';
  }

  private async markFailed(manager: EntityManager, refund: RefundRow, reason: string, from: RefundSource): Promise<void> {
    await this.repo.updateRefund(manager, refund.id, { status: 'FAILED', failureReason: reason.slice(0, 500) });
    // audit: refund.failed
    await this.audit.record(manager, {
      actorId: null,
      action: 'refund.failed',
      subjectType: 'refund',
      subjectId: refund.id,
      payload: {
        sessionId: refund.sessionId,
        paymentId: refund.paymentId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason,
        ...sourcePayload(from),
      },
    });
  }
}

export function toRefundSummary(r: RefundRow): RefundSummary {
  return {
    id: r.id,
    amountMinor: r.amountMinor,
    currency: r.currency,
    status: r.status,
    reason: r.reason,
    createdAt: r.createdAt,
  };
}

function sourcePayload(from: RefundSource): Record<string, unknown> {
  return from.eventId ? { source: from.source, eventId: from.eventId } : { source: from.source };
}
