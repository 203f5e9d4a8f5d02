import { ApiError } from '@lm/api-client';
import type { WebhookEventType } from '@lm/domain';
import { describeError, type ErrorDescription } from '../../lib/errors';

/** The webhook API's error codes, in words for people. */
const WEBHOOK_ERRORS: Record<string, { title: string; message: string }> = {
  WEBHOOK_URL_INVALID: {
    title: 'Check the URL',
    message: 'Enter a full address starting with https:// (or http://), without a user name, password or # part.',
  },
  WEBHOOK_URL_FORBIDDEN: {
    title: 'This address cannot receive webhooks',
    message:
      'It points to a private or local network (such as localhost, 10.x.x.x or 192.168.x.x). Use an address reachable from the internet.',
  },
  WEBHOOK_URL_HTTPS_REQUIRED: {
    title: 'Use https',
    message: 'Webhooks are sent only to https:// addresses, so their content is encrypted on the way. Enter an https:// URL.',
  },
  RATE_LIMITED: {
    title: 'Slow down',
    message: 'An endpoint takes at most 10 test events and replays a minute. Wait a minute, then try again.',
  },
  WEBHOOK_URL_UNRESOLVABLE: {
    title: 'Host not found',
    message: 'We could not find the host in this URL. Check it for typos, or try again once its DNS record exists.',
  },
  WEBHOOK_ENDPOINT_LIMIT: {
    title: 'Too many endpoints',
    message: 'You already have the most webhook endpoints allowed. Delete one you no longer use to add another.',
  },
  WEBHOOK_ENDPOINT_DISABLED: {
    title: 'Endpoint disabled',
    message: 'This endpoint is disabled. Enable it before sending it a test event.',
  },
  WEBHOOK_ENDPOINT_NOT_FOUND: {
    title: 'Endpoint not found',
    message: 'This webhook endpoint does not exist any more (it may have been deleted).',
  },
  WEBHOOK_DELIVERY_NOT_FOUND: {
    title: 'Delivery not found',
    message: 'This delivery does not exist any more (its endpoint may have been deleted).',
  },
};

/** Codes that are about the URL field (shown under it rather than above the form). */
export const URL_ERROR_CODES = new Set([
  'WEBHOOK_URL_INVALID',
  'WEBHOOK_URL_FORBIDDEN',
  'WEBHOOK_URL_HTTPS_REQUIRED',
  'WEBHOOK_URL_UNRESOLVABLE',
]);

/** Any error from the webhook API as words: its own codes first, then the app's general wording. */
export function describeWebhookError(error: unknown): ErrorDescription {
  if (error instanceof ApiError && WEBHOOK_ERRORS[error.code]) {
    return { ...WEBHOOK_ERRORS[error.code]!, requestId: error.requestId };
  }
  return describeError(error);
}

/** The browser's own check before sending: an absolute http(s) URL, else what is wrong with it. */
export function checkWebhookUrl(value: string): string | null {
  const text = value.trim();
  if (!text) return 'Enter the URL that should receive the events.';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full URL, e.g. https://example.com/hooks/lexmarket.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The URL must start with https:// or http://.';
  if (url.username || url.password) return 'Leave the user name and password out of the URL.';
  if (url.hash) return 'Leave the # part out of the URL.';
  return null;
}

/** What each event type means, next to its checkbox. */
export const EVENT_TYPE_HINTS: Record<WebhookEventType, string> = {
  'session.paid': 'A session was paid for',
  'session.scheduled': 'A session got its time',
  'session.rescheduled': 'A session moved to another time',
  'session.cancelled': 'A session was cancelled',
  'session.completed': 'A session took place',
  'refund.succeeded': 'A refund reached the client',
  'recording.available': 'A session recording is ready',
  'review.published': 'A review was published',
  'contract.executed': 'Every party signed a contract',
  'payout.created': 'A payout was recorded',
  'lawyer.verified': 'A lawyer profile was verified',
};

/** A delivery's state in words, and its badge colour. */
export const DELIVERY_STATUS: Record<string, { label: string; color: string }> = {
  PENDING: { label: 'Pending', color: 'yellow' },
  DELIVERED: { label: 'Delivered', color: 'green' },
  FAILED: { label: 'Failed', color: 'red' },
};

/** "120 ms", "1.4 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The delivered JSON, indented; anything that is not JSON as it is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
