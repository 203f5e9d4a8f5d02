import { domainError } from '../../common/errors/domain-error';

/** No such endpoint, or not the caller's. */
export class WebhookEndpointNotFound extends domainError('WEBHOOK_ENDPOINT_NOT_FOUND', 404, 'Webhook endpoint not found') {}
/** No such delivery, or not to one of the caller's endpoints. */
export class WebhookDeliveryNotFound extends domainError('WEBHOOK_DELIVERY_NOT_FOUND', 404, 'Webhook delivery not found') {}
/** The URL is not http(s), has credentials or a fragment, or cannot be parsed. */
export class WebhookUrlInvalid extends domainError(
  'WEBHOOK_URL_INVALID',
  400,
  'The webhook URL must be an absolute http(s) URL without credentials',
) {}
/** The URL's host is (or resolves to) an address deliveries may not reach here (SSRF guard). */
export class WebhookUrlForbidden extends domainError(
  'WEBHOOK_URL_FORBIDDEN',
  400,
  'The webhook URL resolves to a loopback, private, link-local or otherwise non-public address',
) {}
/** The host of the URL does not resolve. */
export class WebhookUrlUnresolvable extends domainError(
  'WEBHOOK_URL_UNRESOLVABLE',
  400,
  'The host of the webhook URL does not resolve',
) {}
/** The caller already has the most endpoints allowed. */
export class WebhookEndpointLimit extends domainError(
  'WEBHOOK_ENDPOINT_LIMIT',
  409,
  'You have the most webhook endpoints allowed; delete one first',
) {}
/** The endpoint is disabled: enable it before sending it a test event. */
export class WebhookEndpointDisabled extends domainError(
  'WEBHOOK_ENDPOINT_DISABLED',
  409,
  'The webhook endpoint is disabled; enable it first',
) {}
/**
 * Too many test events and replays for this endpoint in the last minute (counted in the
 * database, so the limit holds across API processes); `retryAfterSeconds` becomes Retry-After.
 * The same code as the other request limits.
 */
export class WebhookManualSendsLimited extends domainError(
  'RATE_LIMITED',
  429,
  'Too many test events and replays for this webhook endpoint; wait a minute and try again',
) {
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}
/**
 * Too many test events and replays over all of the caller's webhook endpoints in the last minute
 * (deleted endpoints included, so re-creating one does not reset it). Same code and Retry-After
 * as the per-endpoint limit.
 */
export class WebhookOwnerManualSendsLimited extends domainError(
  'RATE_LIMITED',
  429,
  'Too many test events and replays for your webhook endpoints; wait a minute and try again',
) {
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}
/** Outside development and tests, webhook URLs must use https. */
export class WebhookUrlHttpsRequired extends domainError(
  'WEBHOOK_URL_HTTPS_REQUIRED',
  400,
  'The webhook URL must use https',
) {}
