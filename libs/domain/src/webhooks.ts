/**
 * Outbound webhooks: the event types an endpoint may subscribe to. Each payload carries only
 * what the endpoint's owner may see (the emitting module shapes it per recipient).
 */
export const WEBHOOK_EVENT_TYPES = [
  'session.paid',
  'session.scheduled',
  'session.rescheduled',
  'session.cancelled',
  'session.completed',
  'refund.succeeded',
  'recording.available',
  'review.published',
  'contract.executed',
  'payout.created',
  'lawyer.verified',
] as const;

/** A type an endpoint may subscribe to. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "send test event" to one endpoint; never subscribable. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** Any type a delivered event may have. */
export type WebhookDeliveredType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=…]`. */
export const WEBHOOK_SIGNATURE_HEADER = 'LexMarket-Signature';
export const WEBHOOK_EVENT_ID_HEADER = 'LexMarket-Event-Id';
export const WEBHOOK_EVENT_TYPE_HEADER = 'LexMarket-Event-Type';
