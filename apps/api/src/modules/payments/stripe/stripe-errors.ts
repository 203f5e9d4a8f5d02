import Stripe from 'stripe';
import { PaymentProviderError, PaymentProviderUnavailable } from '../payments.errors';

/** Whether trying the same call again later can succeed: network trouble, Stripe-side errors, rate limits, lock conflicts. */
export function isTransientStripeError(e: unknown): boolean {
  if (!(e instanceof Stripe.errors.StripeError)) return false;
  if (e instanceof Stripe.errors.StripeConnectionError || e instanceof Stripe.errors.StripeRateLimitError) return true;
  const status = e.statusCode;
  return status === undefined || status >= 500 || status === 409 || status === 429;
}

/** The HTTP answer for a failed Stripe call: 503 when worth retrying, 502 when Stripe refused. */
export function providerFailure(e: unknown): Error {
  if (!(e instanceof Stripe.errors.StripeError)) return e instanceof Error ? e : new Error(String(e));
  return isTransientStripeError(e) ? new PaymentProviderUnavailable() : new PaymentProviderError();
}

/** A short description of a Stripe failure for our records (Stripe's messages never contain card data or keys). */
export function describeStripeError(e: unknown): string {
  if (e instanceof Stripe.errors.StripeError) {
    return `${e.type}${e.code ? ` (${e.code})` : ''}${e.statusCode ? ` ${e.statusCode}` : ''}: ${e.message}`.slice(0, 500);
  }
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}
