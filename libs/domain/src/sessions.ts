/**
 * The consultation lifecycle (ARCHITECTURE.md §4). A session is sold first (PENDING_PAYMENT →
 * PAID on a verified Stripe event) and scheduled second; it holds the lawyer's time while
 * SCHEDULED or later, until it is CANCELLED.
 */
export const SESSION_STATUSES = [
  'PENDING_PAYMENT',
  'PAID',
  'SCHEDULED',
  'IN_PROGRESS',
  'COMPLETED',
  'CANCELLED',
  'EXPIRED',
  'NO_SHOW_CLIENT',
  'NO_SHOW_LAWYER',
] as const;

export type SessionStatus = (typeof SESSION_STATUSES)[number];
