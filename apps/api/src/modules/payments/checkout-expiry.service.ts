import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type PgBoss from 'pg-boss';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { SessionLifecycle } from '../consultations-core';
import { Clock } from '../../common/time/clock';
import { JobsService } from '../jobs';
import {
  CHECKOUT_EXPIRE_QUEUE,
  CHECKOUT_EXPIRY_SWEEP_QUEUE,
  isFinalAttempt,
  STRIPE_JOB_ATTEMPTS,
  type JobAttempt,
} from './payment-queues';
import { PaymentsRepository } from './payments.repository';
import { StripeEventsService } from './stripe-events.service';
import { describeStripeError, isTransientStripeError } from './stripe/stripe-errors';
import { StripeGateway } from './stripe/stripe-gateway';
import { transactionWithRetry } from '../../common/database/transaction-retry';

const SWEEP_BATCH = 100;

export type StripeCheckoutOutcome = 'expired' | 'paid' | 'processing';

/**
 * Unpaid sessions end: a sweep (every minute) expires sessions still PENDING_PAYMENT past
 * their checkout deadline, and `abandonCheckout` closes the checkout of a session the client
 * cancelled. Both first ask Stripe to expire the Checkout Session so nobody can pay a dead
 * session; if Stripe answers that it was paid meanwhile, the payment is applied instead
 * (through the same idempotent path as the webhook), and if its delayed payment is still
 * processing, the session waits for that outcome. If Stripe is unreachable the session
 * expires locally anyway: a payment that still lands later is recorded and unlocks it (EXPIRED
 * → PAID is allowed), so no money is lost either way.
 */
@Injectable()
export class CheckoutExpiryService implements OnModuleInit {
  private readonly logger = new Logger(CheckoutExpiryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PaymentsRepository,
    private readonly lifecycle: SessionLifecycle,
    private readonly events: StripeEventsService,
    private readonly jobs: JobsService,
    private readonly stripe: StripeGateway,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: CHECKOUT_EXPIRY_SWEEP_QUEUE, retryLimit: 0 }, async () => void (await this.sweep()), {
      cron: { expression: '* * * * *' },
      work: { pollingIntervalSeconds: 2 },
    });
    this.jobs.register<{ sessionId: string }>(
      { name: CHECKOUT_EXPIRE_QUEUE, retryLimit: STRIPE_JOB_ATTEMPTS - 1, retryDelay: 5, retryBackoff: true },
      async (jobs) => {
        for (const job of jobs)
          await this.closeAbandoned(job.data.sessionId, job as PgBoss.Job<{ sessionId: string }> & JobAttempt);
      },
      { work: { pollingIntervalSeconds: 1, includeMetadata: true } as PgBoss.WorkOptions },
    );
  }

  /** Expires every overdue unpaid session (one failure does not stop the others). */
  async sweep(): Promise<number> {
    let expired = 0;
    for (const sessionId of await this.lifecycle.overdueCheckouts(this.clock.now(), SWEEP_BATCH)) {
      try {
        if (await this.expireOverdue(sessionId)) expired++;
      } catch (e) {
        this.logger.error({ err: e }, `Could not expire session ${sessionId}`);
      }
    }
    return expired;
  }

  /** Expires one session whose checkout deadline passed; true when it did. */
  async expireOverdue(sessionId: string): Promise<boolean> {
    const session = await this.lifecycle.find(sessionId);
    if (!session || session.status !== 'PENDING_PAYMENT' || session.checkoutExpiresAt.getTime() > this.clock.nowMs()) return false;
    if (session.stripeCheckoutSessionId) {
      try {
        const outcome = await this.expireAtStripe(session.stripeCheckoutSessionId);
        if (outcome !== 'expired') return false;
      } catch (e) {
        this.logger.warn(
          `Stripe did not expire checkout ${session.stripeCheckoutSessionId} (${describeStripeError(e)}); expiring session ${sessionId} locally`,
        );
      }
    }
    return transactionWithRetry(this.dataSource, async (m) => {
      const locked = await this.lifecycle.lock(m, sessionId);
      if (locked.status !== 'PENDING_PAYMENT' || (await this.repo.findPaymentBySession(sessionId, m))) return false;
      await this.lifecycle.transition(m, locked, 'expire', null, {}, { reason: 'checkout_expired', source: 'expiry_job' });
      return true;
    });
  }

  /**
   * Asks Stripe to expire a Checkout Session. Already complete: a paid one is applied (so a
   * payment that raced the deadline still counts); `processing` when a delayed payment is pending.
   */
  async expireAtStripe(checkoutSessionId: string): Promise<StripeCheckoutOutcome> {
    let cs: Stripe.Checkout.Session;
    try {
      cs = await this.stripe.client.checkout.sessions.expire(
        checkoutSessionId,
        {},
        { idempotencyKey: `checkout-expire-${checkoutSessionId}` },
      );
    } catch (e) {
      if (!(e instanceof Stripe.errors.StripeInvalidRequestError)) throw e;
      cs = await this.stripe.client.checkout.sessions.retrieve(checkoutSessionId);
    }
    if (cs.status === 'complete' && cs.payment_status === 'paid') {
      await this.events.process(this.events.syntheticEvent('checkout.session.completed', cs), 'reconciliation');
      return 'paid';
    }
    return cs.status === 'complete' ? 'processing' : 'expired';
  }

  /** Job of `abandonCheckout`: the client cancelled before paying; close the checkout at Stripe. */
  async closeAbandoned(sessionId: string, attempt: JobAttempt = {}): Promise<void> {
    const session = await this.lifecycle.find(sessionId);
    if (!session?.stripeCheckoutSessionId || (await this.repo.findPaymentBySession(sessionId))) return;
    try {
      await this.expireAtStripe(session.stripeCheckoutSessionId);
    } catch (e) {
      if (isTransientStripeError(e) && !isFinalAttempt(attempt)) throw e;
      // It lapses at Stripe on its own at expires_at; reconciliation also closes stray checkouts.
      this.logger.error(
        `Could not expire checkout ${session.stripeCheckoutSessionId} of cancelled session ${sessionId}: ${describeStripeError(e)}`,
      );
    }
  }
}
