import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { UserBillingService } from '../identity';
import { AuditService } from '../audit';
import type { LegalSession } from '../consultations-core';
import { SessionLifecycle, SessionNotFound } from '../consultations-core';
import { MarketplaceService } from '../marketplace';
import { CheckoutNotOpen, EmailNotVerified } from './payments.errors';
import { PaymentsRepository } from './payments.repository';
import { describeStripeError, providerFailure } from './stripe/stripe-errors';
import { StripeGateway } from './stripe/stripe-gateway';
import { transactionWithRetry } from '../../common/database/transaction-retry';

/** Stripe lets a Checkout Session live 30 minutes to 24 hours. */
const STRIPE_MIN_EXPIRY_SECONDS = 30 * 60;
const STRIPE_MAX_EXPIRY_SECONDS = 24 * 3600;
/** Stripe's deadline trails ours a little: our expiry job closes the checkout at Stripe first. */
const STRIPE_EXPIRY_GRACE_SECONDS = 60;

export interface CreatedCheckout {
  sessionId: string;
  checkoutUrl: string;
}

export interface StartedCheckout extends CreatedCheckout {
  /** True when the client's still-open checkout of this offering was returned instead of a new one. */
  resumed: boolean;
}

/**
 * POST /api/checkout/create-session. Three steps, so no database transaction (and no lock,
 * notably the audit chain's) is ever held while waiting for Stripe:
 *
 * 1. commit the PENDING_PAYMENT session with the offering's terms frozen (price, currency,
 *    duration, lawyer) and its checkout deadline;
 * 2. create the Stripe Checkout Session (idempotency key `checkout-session-<our id>`, our ids in
 *    `metadata` and `client_reference_id`, the client's Customer, `expires_at`);
 * 3. store its id on the session.
 *
 * If Stripe fails in step 2 the session is expired at once (reason `checkout_unavailable`,
 * visible in its events) and the caller gets 503/502; no payment state exists. If the process
 * dies between the steps, the expiry job expires the session at its deadline, and a payment on
 * the unlinked checkout is still matched through its metadata.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger(CheckoutService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly repo: PaymentsRepository,
    private readonly lifecycle: SessionLifecycle,
    private readonly marketplace: MarketplaceService,
    private readonly audit: AuditService,
    private readonly stripe: StripeGateway,
    private readonly billing: UserBillingService,
    private readonly clock: Clock,
  ) {}

  /**
   * The URL of the caller's still-open checkout, for a client who left it ("Cancel", closed tab)
   * and wants to pay after all. Asks Stripe, so a checkout that expired or completed there is
   * never offered again (409 CHECKOUT_NOT_OPEN); someone else's session is a 404.
   */
  async resume(actor: AuthUser, sessionId: string): Promise<CreatedCheckout> {
    const session = await this.lifecycle.find(sessionId);
    if (!session || session.clientId !== actor.id) throw new SessionNotFound();
    if (session.status !== 'PENDING_PAYMENT' || !session.stripeCheckoutSessionId) throw new CheckoutNotOpen();
    let checkout: Stripe.Checkout.Session;
    try {
      checkout = await this.stripe.client.checkout.sessions.retrieve(session.stripeCheckoutSessionId);
    } catch (e) {
      throw providerFailure(e);
    }
    if (checkout.status !== 'open' || !checkout.url) throw new CheckoutNotOpen();
    return { sessionId: session.id, checkoutUrl: checkout.url };
  }

  /**
   * "Book & pay": one pending checkout per client and offering. Serialised per client and
   * offering by a session-level advisory lock (a connection waits, but no transaction or row
   * lock is held while Stripe answers), so concurrent clicks create one session. Everything
   * under the lock runs on the lock's own connection: a checkout never holds one pooled
   * connection while waiting for a second, so as many concurrent checkouts as the pool has
   * connections cannot deadlock the pool (and with it every request of the process). The
   * client's Stripe Customer is ensured before the lock (it is idempotent on its own). If the client
   * already has an unexpired PENDING_PAYMENT session of the offering whose Stripe checkout is
   * still open, its URL is returned (`resumed`); one Stripe completed meanwhile returns its
   * session page (the payment is being confirmed); one closed at Stripe, or never linked, is
   * expired first and a new checkout begins. 403 EMAIL_NOT_VERIFIED before anything is written.
   */
  async createSession(actor: AuthUser, offeringId: string): Promise<StartedCheckout> {
    // Refuse an unknown offering and an unverified client before anything is created at Stripe.
    await this.marketplace.getOfferingForSale(this.dataSource.manager, offeringId);
    if (!(await this.billing.isEmailVerified(actor.id))) throw new EmailNotVerified();
    const customerId = await this.ensureCustomer(actor.id);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = `checkout:${actor.id}:${offeringId}`;
    try {
      await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      try {
        const db = runner.manager;
        return (await this.resumeOpen(db, actor, offeringId)) ?? { ...(await this.createNew(db, actor, offeringId, customerId)), resumed: false };
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      }
    } finally {
      await runner.release();
    }
  }

  /** The client's open checkout of the offering, if it can still be paid (see createSession). */
  private async resumeOpen(db: EntityManager, actor: AuthUser, offeringId: string): Promise<StartedCheckout | null> {
    const open = await db.transaction((m) => this.lifecycle.lockOpenCheckout(m, actor.id, offeringId, this.clock.now()));
    if (!open) return null;
    if (!open.stripeCheckoutSessionId) {
      await this.expireUnpayable(db, open.id, new Error('checkout never linked'));
      return null;
    }
    let checkout: Stripe.Checkout.Session;
    try {
      checkout = await this.stripe.client.checkout.sessions.retrieve(open.stripeCheckoutSessionId);
    } catch (e) {
      throw providerFailure(e);
    }
    if (checkout.status === 'open' && checkout.url) return { sessionId: open.id, checkoutUrl: checkout.url, resumed: true };
    if (checkout.status === 'complete') {
      return { sessionId: open.id, checkoutUrl: `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/sessions/${open.id}?checkout=success`, resumed: true };
    }
    await this.expireClosed(db, open.id);
    return null;
  }

  private async createNew(db: EntityManager, actor: AuthUser, offeringId: string, customerId: string): Promise<CreatedCheckout> {
    const { session, lawyerName } = await db.transaction(async (m) => {
      const offering = await this.marketplace.getOfferingForSale(m, offeringId);
      const checkoutExpiresAt = this.clock.fromNow(this.config.CHECKOUT_EXPIRY_MINUTES * 60_000);
      const created = await this.lifecycle.createPending(
        m,
        { clientId: actor.id, lawyerId: offering.lawyerId, offering, checkoutExpiresAt },
        { id: actor.id, role: actor.role },
      );
      return { session: created, lawyerName: await this.repo.lawyerName(m, offering.lawyerId) };
    });

    let checkout: Stripe.Checkout.Session;
    try {
      checkout = await this.stripe.client.checkout.sessions.create(this.checkoutParams(session, customerId, lawyerName), {
        idempotencyKey: `checkout-session-${session.id}`,
      });
    } catch (e) {
      this.logger.warn(`Stripe checkout for session ${session.id} failed: ${describeStripeError(e)}`);
      await this.expireUnpayable(db, session.id, e);
      throw providerFailure(e);
    }

    await transactionWithRetry(db, async (m) => {
      const locked = await this.lifecycle.lock(m, session.id);
      if (!(await this.lifecycle.attachCheckout(m, locked, checkout.id, { id: actor.id, role: actor.role }))) return;
      // audit: payment.checkout_created
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'payment.checkout_created',
        subjectType: 'session',
        subjectId: session.id,
        payload: {
          checkoutSessionId: checkout.id,
          customerId,
          amountMinor: session.priceMinor,
          currency: session.currency,
          expiresAt: checkout.expires_at,
        },
      });
    });
    if (!checkout.url) throw new Error(`Stripe returned checkout ${checkout.id} without a URL`);
    return { sessionId: session.id, checkoutUrl: checkout.url };
  }

  /**
   * The client's Stripe Customer, created once: our row first; otherwise Stripe with the
   * idempotency key `customer-<user id>` (concurrent first checkouts get the same Customer),
   * stored with ON CONFLICT DO NOTHING and read back, so every caller uses the one stored.
   */
  async ensureCustomer(userId: string): Promise<string> {
    const existing = await this.billing.stripeCustomerId(userId);
    if (existing) return existing;
    const contact = await this.repo.userContact(userId);
    let customer: Stripe.Customer;
    try {
      customer = await this.stripe.client.customers.create(
        { email: contact?.email, name: contact?.displayName, metadata: { userId } },
        { idempotencyKey: `customer-${userId}` },
      );
    } catch (e) {
      this.logger.warn(`Stripe customer for user ${userId} failed: ${describeStripeError(e)}`);
      throw providerFailure(e);
    }
    await this.billing.setStripeCustomerIdOnce(userId, customer.id);
    return (await this.billing.stripeCustomerId(userId))!;
  }

  private checkoutParams(
    session: LegalSession,
    customerId: string,
    lawyerName: string | null,
  ): Stripe.Checkout.SessionCreateParams {
    const now = this.clock.nowSeconds();
    const expiresAt = Math.min(
      Math.max(
        Math.ceil(session.checkoutExpiresAt.getTime() / 1000) + STRIPE_EXPIRY_GRACE_SECONDS,
        now + STRIPE_MIN_EXPIRY_SECONDS + 30,
      ),
      now + STRIPE_MAX_EXPIRY_SECONDS - 30,
    );
    const base = this.config.PUBLIC_URL.replace(/\/+$/, '');
    return {
      mode: 'payment',
      customer: customerId,
      client_reference_id: session.id,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: session.currency.toLowerCase(),
            unit_amount: session.priceMinor,
            product_data: {
              name: session.offeringTitle,
              description: `${session.durationMinutes}-minute consultation${lawyerName ? ` with ${lawyerName}` : ''}`,
            },
          },
        },
      ],
      metadata: { sessionId: session.id, clientId: session.clientId, lawyerId: session.lawyerId, offeringId: session.offeringId },
      payment_intent_data: { metadata: { sessionId: session.id } },
      expires_at: expiresAt,
      success_url: `${base}/sessions/${session.id}?checkout=success`,
      cancel_url: `${base}/sessions/${session.id}?checkout=cancelled`,
    };
  }

  /** Our open session whose Stripe checkout expired there: it expires here too, before a new checkout begins. */
  private async expireClosed(db: EntityManager, sessionId: string): Promise<void> {
    await transactionWithRetry(db, async (m) => {
      const session = await this.lifecycle.lock(m, sessionId);
      if (session.status !== 'PENDING_PAYMENT') return;
      await this.lifecycle.transition(m, session, 'expire', null, {}, { reason: 'checkout_closed' });
    });
  }

  /** After a failed Stripe call: the session can never be paid through us, so it expires now. */
  private async expireUnpayable(db: EntityManager, sessionId: string, cause: unknown): Promise<void> {
    try {
      await transactionWithRetry(db, async (m) => {
        const session = await this.lifecycle.lock(m, sessionId);
        if (session.status !== 'PENDING_PAYMENT' || session.stripeCheckoutSessionId) return;
        await this.lifecycle.transition(
          m,
          session,
          'expire',
          null,
          {},
          { reason: 'checkout_unavailable', error: describeStripeError(cause) },
        );
      });
    } catch (e) {
      // The expiry job expires it at its deadline instead.
      this.logger.error({ err: e }, `Could not expire session ${sessionId} after the failed checkout`);
    }
  }
}
