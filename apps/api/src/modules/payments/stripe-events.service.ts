import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit';
import type { LegalSession } from '../consultations-core';
import { SessionLifecycle } from '../consultations-core';
import { LedgerService } from '../ledger';
import { isUuid } from './payment-queues';
import { StripeSignatureInvalid } from './payments.errors';
import { PaymentsRepository } from './payments.repository';
import { RefundsService, type ApplyOutcome } from './refunds.service';
import { providerFailure } from './stripe/stripe-errors';
import { STRIPE_API_VERSION, StripeGateway } from './stripe/stripe-gateway';
import { transactionWithRetry } from '../../common/database/transaction-retry';

export type EventSource = 'webhook' | 'reconciliation';
export type EventOutcome = ApplyOutcome;

const REFUND_EVENTS = new Set(['refund.created', 'refund.updated', 'refund.failed', 'charge.refunded']);

/** What an event needs from Stripe beyond its own payload, fetched before the transaction opens. */
interface Prepared {
  /** Refund objects to apply (the event's own, or a charge's refunds). */
  refunds: Stripe.Refund[];
  /** Paid checkouts of ours behind those refunds whose payment we have not recorded yet (any order). */
  checkouts: Stripe.Checkout.Session[];
}

/**
 * The one idempotent path by which Stripe's facts enter our books, used by the webhook and by
 * the reconciliation and expiry jobs. Each event is one transaction: the `stripe_events` row
 * (its primary key makes a redelivery a no-op; a concurrent duplicate waits on the row and
 * then does nothing), the payment (unique per session and per checkout), the session's PAID
 * transition with its `session_events` row, the ledger entries and the audit entries. The
 * session row is locked before anything is checked, so the order of events does not matter.
 */
@Injectable()
export class StripeEventsService {
  private readonly logger = new Logger(StripeEventsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PaymentsRepository,
    private readonly lifecycle: SessionLifecycle,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly refunds: RefundsService,
    private readonly stripe: StripeGateway,
    private readonly clock: Clock,
  ) {}

  /** POST /api/webhooks/stripe: verify the signature on the raw bytes, then process. Nothing is written for a bad signature. */
  async handleWebhook(rawBody: Buffer | undefined, signature: string | undefined): Promise<EventOutcome> {
    let event: Stripe.Event;
    try {
      if (!rawBody || !signature) throw new StripeSignatureInvalid();
      event = this.stripe.constructEvent(rawBody, signature);
    } catch (e) {
      if (e instanceof StripeSignatureInvalid || e instanceof Stripe.errors.StripeSignatureVerificationError)
        throw new StripeSignatureInvalid();
      throw e;
    }
    return this.process(event, 'webhook');
  }

  async process(event: Stripe.Event, source: EventSource): Promise<EventOutcome> {
    if (await this.repo.eventExists(event.id)) return 'duplicate';
    let prepared: Prepared;
    try {
      prepared = await this.prepare(event);
    } catch (e) {
      // Stripe unreachable: answer 503 without recording the event, so Stripe delivers it again.
      throw providerFailure(e);
    }
    return transactionWithRetry(this.dataSource, (m) => this.apply(m, event, prepared, source));
  }

  /** A Stripe-shaped event for a fact a job read from Stripe's API, under a stable synthetic id. */
  syntheticEvent(
    type: 'checkout.session.completed' | 'checkout.session.expired',
    session: Stripe.Checkout.Session,
  ): Stripe.Event {
    return {
      id: `reconciliation:${session.id}:${type === 'checkout.session.completed' ? 'paid' : 'expired'}`,
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created: this.clock.nowSeconds(),
      data: { object: session },
      livemode: session.livemode,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
  }

  private async prepare(event: Stripe.Event): Promise<Prepared> {
    if (!REFUND_EVENTS.has(event.type)) return { refunds: [], checkouts: [] };
    let refunds: Stripe.Refund[];
    if (event.type === 'charge.refunded') {
      const charge = event.data.object as Stripe.Charge;
      refunds = charge.refunds?.has_more === false ? charge.refunds.data : await this.listRefunds(charge.id);
    } else {
      refunds = [event.data.object as Stripe.Refund];
    }
    const checkouts: Stripe.Checkout.Session[] = [];
    for (const intentId of new Set(
      refunds.map((r) => (typeof r.payment_intent === 'string' ? r.payment_intent : r.payment_intent?.id)),
    )) {
      if (!intentId || (await this.repo.findPaymentByIntent(this.repo.manager, intentId))) continue;
      const list = await this.stripe.client.checkout.sessions.list({ payment_intent: intentId, limit: 10 });
      checkouts.push(
        ...list.data.filter((cs) => isUuid(cs.metadata?.sessionId) && cs.status === 'complete' && cs.payment_status === 'paid'),
      );
    }
    return { refunds, checkouts };
  }

  private async listRefunds(chargeId: string): Promise<Stripe.Refund[]> {
    const refunds: Stripe.Refund[] = [];
    for await (const r of this.stripe.client.refunds.list({ charge: chargeId, limit: 100 })) refunds.push(r);
    return refunds;
  }

  private async apply(m: EntityManager, event: Stripe.Event, prepared: Prepared, source: EventSource): Promise<EventOutcome> {
    if (!(await this.repo.insertEvent(m, event, source))) return 'duplicate';
    const ctx = { eventId: event.id, eventType: event.type, source };
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return this.applyCheckoutPaid(m, event.data.object, ctx);
      case 'checkout.session.async_payment_failed':
        return this.applyCheckoutLapsed(m, event.data.object, ctx, 'payment_failed');
      case 'checkout.session.expired':
        return this.applyCheckoutLapsed(m, event.data.object, ctx, 'checkout_expired');
      default:
        // Other types are stored above and otherwise ignored.
        return REFUND_EVENTS.has(event.type) ? this.applyRefunds(m, prepared, ctx) : 'ignored';
    }
  }

  private async applyRefunds(
    m: EntityManager,
    prepared: Prepared,
    ctx: { eventId: string; eventType: string; source: EventSource },
  ): Promise<EventOutcome> {
    for (const cs of prepared.checkouts) await this.applyCheckoutPaid(m, cs, ctx);
    let outcome: EventOutcome = 'ignored';
    for (const r of prepared.refunds) {
      if ((await this.refunds.applyStripeRefund(m, r, { source: ctx.source, eventId: ctx.eventId })) === 'applied')
        outcome = 'applied';
    }
    return outcome;
  }

  /**
   * A paid checkout: records the payment, posts it to the ledger and unlocks scheduling (PAID).
   * Only `payment_status = paid` counts (a completed checkout of a delayed payment method is
   * still unpaid). Paid for a session already cancelled: recorded, then refunded in full.
   */
  private async applyCheckoutPaid(
    m: EntityManager,
    cs: Stripe.Checkout.Session,
    ctx: { eventId: string; eventType: string; source: EventSource },
  ): Promise<EventOutcome> {
    if (cs.mode !== 'payment' || cs.payment_status !== 'paid') return 'ignored';
    const session = await this.lockSessionOf(m, cs);
    if (!session) {
      this.logger.warn(`Paid checkout ${cs.id} (${ctx.eventType}) matches no session of ours; recorded and ignored`);
      return 'ignored';
    }
    if (await this.repo.findPaymentBySession(session.id, m)) return 'duplicate';
    if (!cs.amount_total || cs.amount_total <= 0 || !cs.currency) {
      this.logger.error(`Paid checkout ${cs.id} has no amount; not recorded`);
      return 'ignored';
    }
    const currency = cs.currency.toUpperCase();
    if (cs.amount_total !== session.priceMinor || currency !== session.currency) {
      this.logger.error(
        `Checkout ${cs.id} charged ${cs.amount_total} ${currency} for a session sold at ${session.priceMinor} ${session.currency}; recording what was charged`,
      );
    }
    const paymentIntentId = typeof cs.payment_intent === 'string' ? cs.payment_intent : (cs.payment_intent?.id ?? null);
    const payment = await this.repo.insertPayment(m, {
      sessionId: session.id,
      clientId: session.clientId,
      lawyerId: session.lawyerId,
      stripeCheckoutSessionId: cs.id,
      stripePaymentIntentId: paymentIntentId,
      amountMinor: cs.amount_total,
      currency,
      sourceEventId: ctx.eventId,
    });
    if (!payment) return 'duplicate';
    const { transactionId, split } = await this.ledger.postPayment(m, {
      paymentId: payment.id,
      sessionId: session.id,
      clientId: session.clientId,
      lawyerId: session.lawyerId,
      amountMinor: payment.amountMinor,
      currency,
    });
    // audit: payment.received
    await this.audit.record(m, {
      actorId: null,
      action: 'payment.received',
      subjectType: 'payment',
      subjectId: payment.id,
      payload: {
        sessionId: session.id,
        checkoutSessionId: cs.id,
        paymentIntentId,
        amountMinor: payment.amountMinor,
        currency,
        feeMinor: split.feeMinor,
        feeBps: split.feeBps,
        lawyerMinor: split.lawyerMinor,
        commissions: split.commissions,
        ledgerTransactionId: transactionId,
        eventId: ctx.eventId,
        source: ctx.source,
      },
    });
    if (this.lifecycle.can(session, 'pay')) {
      await this.lifecycle.transition(
        m,
        session,
        'pay',
        null,
        { paidAt: this.clock.now(), ...(session.stripeCheckoutSessionId ? {} : { stripeCheckoutSessionId: cs.id }) },
        { paymentId: payment.id, eventId: ctx.eventId, source: ctx.source },
      );
    } else if (session.status === 'CANCELLED') {
      // Money must not be kept for a session nobody will hold: refund it all.
      await this.refunds.request(m, {
        sessionId: session.id,
        amountMinor: payment.amountMinor,
        reason: 'Paid after the session was cancelled: refunded in full',
        requestedBy: null,
      });
    } else {
      this.logger.error(`Payment ${payment.id} arrived for session ${session.id} in status ${session.status}`);
    }
    return 'applied';
  }

  /** A checkout that lapsed or whose delayed payment failed: the unpaid session expires. */
  private async applyCheckoutLapsed(
    m: EntityManager,
    cs: Stripe.Checkout.Session,
    ctx: { eventId: string; source: EventSource },
    reason: 'checkout_expired' | 'payment_failed',
  ): Promise<EventOutcome> {
    const session = await this.lockSessionOf(m, cs);
    if (!session || session.status !== 'PENDING_PAYMENT') return 'ignored';
    if (await this.repo.findPaymentBySession(session.id, m)) return 'ignored';
    await this.lifecycle.transition(
      m,
      session,
      'expire',
      null,
      session.stripeCheckoutSessionId ? {} : { stripeCheckoutSessionId: cs.id },
      {
        reason,
        checkoutSessionId: cs.id,
        eventId: ctx.eventId,
        source: ctx.source,
      },
    );
    return 'applied';
  }

  /**
   * The session a checkout belongs to, locked: by the checkout id we stored; failing that (the
   * process stopped between creating the checkout and storing its id) by our id in the
   * checkout's metadata, only if that session has no checkout of its own.
   */
  private async lockSessionOf(m: EntityManager, cs: Stripe.Checkout.Session): Promise<LegalSession | null> {
    const byCheckout = await this.lifecycle.lockByCheckoutSession(m, cs.id);
    if (byCheckout) return byCheckout;
    const sessionId = cs.metadata?.sessionId ?? cs.client_reference_id;
    if (!isUuid(sessionId)) return null;
    const candidate = await this.lifecycle.find(sessionId, m);
    if (!candidate || candidate.stripeCheckoutSessionId !== null) return null;
    const locked = await this.lifecycle.lock(m, sessionId);
    return locked.stripeCheckoutSessionId === null ? locked : null;
  }
}
