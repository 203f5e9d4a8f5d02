import { domainError } from '../../common/errors/domain-error';

/** Stripe could not be reached or answered with a temporary error; nothing was charged. Retry later. */
export class PaymentProviderUnavailable extends domainError(
  'PAYMENT_PROVIDER_UNAVAILABLE',
  503,
  'The payment provider is unavailable right now; nothing was charged. Please try again in a moment.',
) {}
/** Stripe refused our request (configuration or a bug on our side); nothing was charged. */
export class PaymentProviderError extends domainError(
  'PAYMENT_PROVIDER_ERROR',
  502,
  'The payment provider refused the request; nothing was charged.',
) {}
/** The webhook's Stripe-Signature is missing, wrong, for another secret, or too old. */
export class StripeSignatureInvalid extends domainError(
  'STRIPE_SIGNATURE_INVALID',
  400,
  'The Stripe-Signature header does not verify for this payload',
) {}
/** A refund was asked for a session that has no payment. */
export class NothingToRefund extends domainError('NOTHING_TO_REFUND', 409, 'This session has no payment to refund') {}
/** The session has no open checkout to go back to (paid, expired, cancelled, or closed at Stripe). */
export class CheckoutNotOpen extends domainError('CHECKOUT_NOT_OPEN', 409, 'This booking has no open checkout; book the offering again') {}
/** Booking (checkout) needs a verified email address: receipts and booking messages go there. */
export class EmailNotVerified extends domainError(
  'EMAIL_NOT_VERIFIED',
  403,
  'Please verify your email address before booking: open the link we sent you, or ask for a new one',
) {}
export class ExportTooLarge extends domainError('EXPORT_TOO_LARGE', 400, 'Too many payments match to export at once; narrow the filters') {}
