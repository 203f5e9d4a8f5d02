import type { SessionStatus } from '@lm/domain';

/** Hours before the start above which a client's cancellation is refunded in full. */
export const FREE_CANCELLATION_HOURS = 24;

/**
 * The rules as numbers, for people to read before they book (the booking policy endpoint):
 * a client's change or cancellation more than FREE_CANCELLATION_HOURS before the start is free
 * and refunded in full; inside that window the time is fixed and a cancellation refunds
 * nothing; a lawyer's cancellation (or a client's after declining the lawyer's proposed new
 * time) always refunds in full. `decideCancellationRefund` is the executable form.
 */
export const CANCELLATION_RULES = {
  freeChangeHours: FREE_CANCELLATION_HOURS,
  refundPercentBeforeWindow: 100,
  refundPercentWithinWindow: 0,
  refundPercentUnscheduled: 100,
  refundPercentLawyerCancelled: 100,
} as const;

/**
 * Why a cancellation refunds what it refunds; a stable code the SPA turns into text:
 * - `NOTHING_PAID`: the client dropped the checkout before paying; nothing to refund.
 * - `CLIENT_BEFORE_SCHEDULING`: paid, no time booked yet → full refund.
 * - `CLIENT_MORE_THAN_24H`: the client cancels more than 24 h before the start → full refund.
 * - `CLIENT_WITHIN_24H`: the client cancels 24 h or less before the start → no refund.
 * - `LAWYER_CANCELLED`: the lawyer cancels → always a full refund.
 */
export const CANCELLATION_POLICIES = [
  'NOTHING_PAID',
  'CLIENT_BEFORE_SCHEDULING',
  'CLIENT_MORE_THAN_24H',
  'CLIENT_WITHIN_24H',
  'LAWYER_CANCELLED',
] as const;
export type CancellationPolicy = (typeof CANCELLATION_POLICIES)[number];

export interface CancellationCase {
  /** PENDING_PAYMENT, PAID or SCHEDULED (the statuses a session can be cancelled from). */
  status: SessionStatus;
  startAt: Date | null;
  cancelledBy: 'CLIENT' | 'LAWYER';
  /** What can still be given back: paid minus already refunded (0 when nothing was paid). */
  refundableMinor: number;
  now: Date;
}

export interface CancellationRefund {
  policy: CancellationPolicy;
  refundMinor: number;
}

/**
 * The refund a cancellation gives, decided by the server at the moment of cancelling (the
 * quote shown beforehand uses the same function). Pure: whether the cancellation is allowed at
 * all is decided elsewhere (see `cancelRefusal`).
 */
export function decideCancellationRefund(c: CancellationCase): CancellationRefund {
  const full = Math.max(0, c.refundableMinor);
  if (c.status === 'PENDING_PAYMENT') return { policy: 'NOTHING_PAID', refundMinor: 0 };
  if (c.cancelledBy === 'LAWYER') return { policy: 'LAWYER_CANCELLED', refundMinor: full };
  if (!c.startAt) return { policy: 'CLIENT_BEFORE_SCHEDULING', refundMinor: full };
  const msBeforeStart = c.startAt.getTime() - c.now.getTime();
  return msBeforeStart > FREE_CANCELLATION_HOURS * 3_600_000
    ? { policy: 'CLIENT_MORE_THAN_24H', refundMinor: full }
    : { policy: 'CLIENT_WITHIN_24H', refundMinor: 0 };
}
