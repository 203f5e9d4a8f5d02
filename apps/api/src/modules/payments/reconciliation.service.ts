import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import type Stripe from 'stripe';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SessionLifecycle } from '../consultations-core';
import { JobsService } from '../jobs';
import { CheckoutExpiryService } from './checkout-expiry.service';
import { isUuid, RECONCILE_QUEUE } from './payment-queues';
import { PaymentsRepository } from './payments.repository';
import { RefundsService } from './refunds.service';
import { StripeEventsService } from './stripe-events.service';
import { describeStripeError } from './stripe/stripe-errors';
import { StripeGateway } from './stripe/stripe-gateway';
import { transactionWithRetry } from '../../common/database/transaction-retry';

/** How far back reconciliation looks (Stripe retries a webhook for up to 3 days). */
export const RECONCILE_WINDOW_SECONDS = 3 * 24 * 3600;
/** An open checkout whose session is gone or over is closed after this long (never one still being created). */
const STRAY_CHECKOUT_AGE_SECONDS = 10 * 60;

export interface ReconciliationReport {
  checked: number;
  paymentsApplied: number;
  expiriesApplied: number;
  strayCheckoutsClosed: number;
  refundsApplied: number;
}

/**
 * Catches up on webhooks that never arrived (endpoint down, misconfigured secret, lost
 * delivery): every 10 minutes and once at start-up it lists the Checkout Sessions Stripe
 * created in the last 3 days (all pages) and feeds each paid or expired one of ours that we
 * have not applied through the webhook's own idempotent path, as a synthetic event
 * `reconciliation:<checkout id>:paid|expired` stored with `source = 'reconciliation'`. A real
 * webhook for the same checkout arriving later finds the payment and changes nothing. It also
 * closes open checkouts whose session is gone or already over, and asks Stripe about refunds
 * still waiting for confirmation.
 */
@Injectable()
export class ReconciliationService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PaymentsRepository,
    private readonly lifecycle: SessionLifecycle,
    private readonly events: StripeEventsService,
    private readonly expiry: CheckoutExpiryService,
    private readonly refunds: RefundsService,
    private readonly jobs: JobsService,
    private readonly stripe: StripeGateway,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: RECONCILE_QUEUE, retryLimit: 1, retryDelay: 60 }, async () => void (await this.run()), {
      cron: { expression: '*/10 * * * *' },
      work: { pollingIntervalSeconds: 2 },
    });
  }

  /** One run soon after start-up, to catch what was missed while the app was down. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.jobs.send(RECONCILE_QUEUE, {}, { singletonKey: 'on-boot', singletonSeconds: 300, startAfter: 5 });
    } catch (e) {
      this.logger.warn(`Could not schedule the start-up reconciliation: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** One pass; `pageSize` is Stripe's page size (100, its maximum; tests use less to exercise paging). */
  async run(now: Date = this.clock.now(), pageSize = 100): Promise<ReconciliationReport> {
    const report: ReconciliationReport = {
      checked: 0,
      paymentsApplied: 0,
      expiriesApplied: 0,
      strayCheckoutsClosed: 0,
      refundsApplied: 0,
    };
    const nowSeconds = Math.floor(now.getTime() / 1000);
    for await (const cs of this.stripe.client.checkout.sessions.list({
      created: { gte: nowSeconds - RECONCILE_WINDOW_SECONDS },
      limit: pageSize,
    })) {
      const sessionId = cs.metadata?.sessionId;
      if (!isUuid(sessionId)) continue; // not one of ours
      report.checked++;
      try {
        await this.reconcileCheckout(cs, sessionId, nowSeconds, report);
      } catch (e) {
        this.logger.error({ err: e }, `Reconciling checkout ${cs.id} failed: ${describeStripeError(e)}`);
      }
    }
    for (const refund of await this.repo.unconfirmedRefunds(100)) {
      try {
        const r = await this.stripe.client.refunds.retrieve(refund.stripeRefundId!);
        const outcome = await transactionWithRetry(this.dataSource, (m) =>
          this.refunds.applyStripeRefund(m, r, { source: 'reconciliation' }),
        );
        if (outcome === 'applied') report.refundsApplied++;
      } catch (e) {
        this.logger.error(`Reconciling refund ${refund.id} failed: ${describeStripeError(e)}`);
      }
    }
    if (report.paymentsApplied + report.expiriesApplied + report.strayCheckoutsClosed + report.refundsApplied > 0) {
      this.logger.warn(`Reconciliation applied what webhooks had not: ${JSON.stringify(report)}`);
    }
    return report;
  }

  private async reconcileCheckout(
    cs: Stripe.Checkout.Session,
    sessionId: string,
    nowSeconds: number,
    report: ReconciliationReport,
  ): Promise<void> {
    if (cs.status === 'complete' && cs.payment_status === 'paid') {
      if (await this.repo.findPaymentBySession(sessionId)) return;
      const outcome = await this.events.process(this.events.syntheticEvent('checkout.session.completed', cs), 'reconciliation');
      if (outcome === 'applied') report.paymentsApplied++;
      return;
    }
    const session = await this.lifecycle.find(sessionId);
    if (cs.status === 'expired') {
      if (session?.status !== 'PENDING_PAYMENT') return;
      const outcome = await this.events.process(this.events.syntheticEvent('checkout.session.expired', cs), 'reconciliation');
      if (outcome === 'applied') report.expiriesApplied++;
      return;
    }
    if (cs.status === 'open' && cs.created < nowSeconds - STRAY_CHECKOUT_AGE_SECONDS) {
      const stray = !session || (session.status !== 'PENDING_PAYMENT' && !(await this.repo.findPaymentBySession(sessionId)));
      if (!stray) return;
      const outcome = await this.expiry.expireAtStripe(cs.id);
      if (outcome === 'expired') report.strayCheckoutsClosed++;
      if (outcome === 'paid') report.paymentsApplied++;
    }
  }
}
