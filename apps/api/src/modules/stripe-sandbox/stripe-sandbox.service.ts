import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DatabaseClient } from '../../common/database/database-unavailable';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { OwnServerAddress, STRIPE_API_VERSION, StripeGateway } from '../payments';
import { PgSandboxStore } from './pg-sandbox-store';
import { StripeFakeApi, type FakeRequest, type FakeResponse, type StripeEventObject } from './stripe-fake-api';

/** Delays (ms) of redelivery after a failed webhook delivery, like Stripe's (much shortened). */
const REDELIVERY_DELAYS_MS = [5_000, 30_000, 120_000];
export const WEBHOOK_PATH = '/api/webhooks/stripe';
/** Connections of the sandbox's own pool (application_name `lm-stripe-sandbox`). */
const SANDBOX_POOL_MAX = 4;

/**
 * The local Stripe sandbox (on when STRIPE_SECRET_KEY is unset): the fake Stripe API over this
 * app's database, its hosted checkout page, and webhook delivery. Events are signed with the
 * webhook secret exactly as Stripe signs them (`t=<time>,v1=<HMAC-SHA256("t.payload")>`) and
 * POSTed over HTTP to this process's own /api/webhooks/stripe, so the production webhook path
 * (signature check included) handles them. A failed delivery is retried a few times; the
 * reconciliation job covers anything still missed.
 *
 * Like Stripe, it has its own database connections (a small pool on the same database), never
 * the API's: the app may hold a pooled connection while it waits for Stripe (a checkout holds its
 * per-client lock), so a sandbox sharing that pool would wait for the very connections its
 * callers hold, and as many concurrent checkouts as the pool has connections would stall every
 * request until Stripe's client timed out.
 */
@Injectable()
export class StripeSandbox implements OnApplicationShutdown {
  private readonly logger = new Logger('StripeSandbox');
  private readonly api: StripeFakeApi;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pool: Pool;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() dataSource: DataSource,
    private readonly gateway: StripeGateway,
    private readonly address: OwnServerAddress,
    clock: Clock,
  ) {
    this.pool = new Pool({
      connectionString: (dataSource.options as PostgresConnectionOptions).url,
      max: SANDBOX_POOL_MAX,
      application_name: 'lm-stripe-sandbox',
      idleTimeoutMillis: 10_000,
      // Like the app's pool: a starved pool answers 503 instead of hanging, and connection failures read as the database's.
      connectionTimeoutMillis: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
      Client: DatabaseClient,
    });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    this.pool.on('error', (e) => this.logger.warn(`Sandbox database connection lost: ${e.message}`));
    this.api = new StripeFakeApi({
      // The sandbox keeps business time (Stripe's clock is the real one; ours is too, except
      // when a test or the demo seeder moves it), so a checkout's expires_at, set from business
      // time, stays within Stripe's 30 min – 24 h bounds. Signatures still use real time.
      now: () => clock.nowSeconds(),
      store: new PgSandboxStore(this.pool),
      apiKey: gateway.apiKey,
      checkoutUrlBase: `${config.PUBLIC_URL.replace(/\/+$/, '')}/api/sandbox/checkout`,
      apiVersion: STRIPE_API_VERSION,
      onEvents: (events) => this.deliver(events),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.pool.end();
  }

  handle(request: FakeRequest): Promise<FakeResponse> {
    return this.api.handle(request);
  }

  checkout(id: string) {
    return this.api.checkoutPage(id);
  }

  /** "Pay": completes the checkout as paid, delivers checkout.session.completed, returns where to send the browser. */
  async pay(id: string): Promise<string> {
    const { session, events } = await this.api.completeCheckout(id, 'paid');
    await this.deliver(events);
    return (session.success_url as string | null) ?? this.config.PUBLIC_URL;
  }

  /** Delivers events one by one (awaiting the first attempt); failed ones are retried in the background. */
  async deliver(events: StripeEventObject[]): Promise<void> {
    for (const event of events) {
      if (!(await this.post(event))) this.redeliverLater(event, 0);
    }
  }

  private redeliverLater(event: StripeEventObject, attempt: number): void {
    const delay = REDELIVERY_DELAYS_MS[attempt];
    if (delay === undefined) {
      this.logger.warn(`Gave up delivering ${event.type} ${event.id}; the reconciliation job will apply it`);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.post(event).then((ok) => ok || this.redeliverLater(event, attempt + 1));
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private async post(event: StripeEventObject): Promise<boolean> {
    try {
      const payload = JSON.stringify(event, null, 2);
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = this.gateway.client.webhooks.generateTestHeaderString({ payload, secret: this.gateway.webhookSecret, timestamp });
      const response = await fetch(new URL(WEBHOOK_PATH, this.address.baseUrl()), {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) this.logger.warn(`Webhook ${event.type} ${event.id} answered ${response.status}`);
      return response.ok;
    } catch (e) {
      this.logger.warn(`Webhook ${event.type} ${event.id} not delivered: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }
}
