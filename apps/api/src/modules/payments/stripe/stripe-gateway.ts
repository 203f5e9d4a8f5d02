import { Injectable, Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { AppConfig } from '../../../config/app-config';
import { BaseUrlHttpClient } from './base-url-http-client';
import { OwnServerAddress } from './own-server-address';
import { resolveWebhookSecret } from './stripe-webhook-secret';

/**
 * The Stripe API version this code is written and tested against. Pinned (not the account's
 * default) so a dashboard upgrade cannot change object shapes under us; raise it together with
 * the `stripe` package after reading Stripe's upgrade notes.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const satisfies Stripe.LatestApiVersion;

/** Webhook timestamps older than this are refused (replay protection; Stripe's default). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Path under which this process serves the local Stripe sandbox's API. */
export const SANDBOX_API_PATH = '/api/sandbox/stripe';

export type StripeMode = 'stripe' | 'sandbox';

/**
 * The configured Stripe client and webhook secret.
 *
 * - `STRIPE_SECRET_KEY` set: mode `stripe`, the real API (or `STRIPE_API_BASE`, e.g. stripe-mock).
 * - unset: mode `sandbox`, the local stand-in served by this process under /api/sandbox/stripe
 *   (or at `STRIPE_API_BASE`), with a secret key derived from the webhook secret so only this
 *   installation can call it.
 *
 * Either way the code paths are the same SDK calls: network retries (STRIPE_MAX_NETWORK_RETRIES, 2 by
 * default, with Stripe's backoff and the idempotency keys we pass), a timeout per attempt
 * (STRIPE_TIMEOUT_MS, 10 s by default), and signature-checked webhooks.
 */
@Injectable()
export class StripeGateway {
  private readonly logger = new Logger(StripeGateway.name);
  readonly mode: StripeMode;
  readonly client: Stripe;
  readonly webhookSecret: string;
  /** The secret key the SDK presents (the sandbox checks it). */
  readonly apiKey: string;

  constructor(config: AppConfig, ownAddress: OwnServerAddress) {
    this.webhookSecret = resolveWebhookSecret(config.STRIPE_WEBHOOK_SECRET, config.dataDir);
    this.mode = config.STRIPE_SECRET_KEY ? 'stripe' : 'sandbox';
    this.apiKey = config.STRIPE_SECRET_KEY ?? sandboxApiKey(this.webhookSecret);
    if (this.mode === 'sandbox' && config.isProduction) {
      // main.ts refuses this configuration already; this guards every other way of creating the app.
      if (config.STRIPE_SANDBOX !== true) throw new Error('Refusing the Stripe sandbox in production without STRIPE_SANDBOX=true');
      this.logger.warn('TEST MODE: STRIPE_SANDBOX=true in production. Payments go to the built-in Stripe sandbox; nobody is charged.');
    }
    if (this.mode === 'stripe' && !config.STRIPE_WEBHOOK_SECRET) {
      this.logger.warn(
        'STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: Stripe’s webhooks will fail signature checks. ' +
          'Set the endpoint’s signing secret; until then only the reconciliation job applies payments.',
      );
    }
    const base = config.STRIPE_API_BASE
      ? () => new URL(config.STRIPE_API_BASE!)
      : this.mode === 'sandbox'
        ? () => new URL(SANDBOX_API_PATH, ownAddress.baseUrl())
        : undefined;
    this.client = new Stripe(this.apiKey, {
      apiVersion: STRIPE_API_VERSION,
      maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
      timeout: config.STRIPE_TIMEOUT_MS,
      telemetry: this.mode === 'stripe' && !config.STRIPE_API_BASE,
      appInfo: { name: 'LexMarket', url: config.PUBLIC_URL },
      ...(base ? { httpClient: new BaseUrlHttpClient(base) } : {}),
    });
  }

  /**
   * Verifies a webhook's `Stripe-Signature` over the exact raw body (HMAC-SHA256 with our
   * secret, timestamp within 5 minutes) and parses the event. Throws
   * Stripe.errors.StripeSignatureVerificationError otherwise.
   */
  constructEvent(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    return this.client.webhooks.constructEvent(rawBody, signature ?? '', this.webhookSecret, WEBHOOK_TOLERANCE_SECONDS);
  }
}

/** The sandbox's secret key: derived from the webhook secret (kept in DATA_DIR), so it is stable and not guessable. */
export function sandboxApiKey(webhookSecret: string): string {
  return `sk_test_sandbox_${createHmac('sha256', webhookSecret).update('lexmarket-sandbox-api-key').digest('hex').slice(0, 32)}`;
}
