import type { CancellationPolicy, SessionEvent, SessionRefund, SessionStatus } from './sessions.queries';

/** How each status looks to people; `PAID` reads as a to-do for the client. */
export const STATUS_LOOK: Record<SessionStatus, { label: string; color: string }> = {
  PENDING_PAYMENT: { label: 'Awaiting payment', color: 'yellow' },
  PAID: { label: 'Paid – no time yet', color: 'blue' },
  SCHEDULED: { label: 'Scheduled', color: 'indigo' },
  IN_PROGRESS: { label: 'In progress', color: 'teal' },
  COMPLETED: { label: 'Completed', color: 'green' },
  CANCELLED: { label: 'Cancelled', color: 'gray' },
  EXPIRED: { label: 'Expired', color: 'gray' },
  NO_SHOW_CLIENT: { label: 'Client did not attend', color: 'orange' },
  NO_SHOW_LAWYER: { label: 'Lawyer did not attend', color: 'orange' },
};

export const STATUS_OPTIONS = (Object.keys(STATUS_LOOK) as SessionStatus[]).map((value) => ({
  value,
  label: STATUS_LOOK[value].label,
}));

export const REFUND_LOOK: Record<SessionRefund['status'], { label: string; color: string }> = {
  PENDING: { label: 'Refund pending', color: 'yellow' },
  SUCCEEDED: { label: 'Refunded', color: 'green' },
  FAILED: { label: 'Refund failed', color: 'red' },
};

/** The refund rule a cancellation falls under, in words. */
export const POLICY_TEXT: Record<CancellationPolicy, string> = {
  NOTHING_PAID: 'Nothing has been paid, so there is nothing to refund.',
  CLIENT_BEFORE_SCHEDULING: 'Full refund: no time has been booked yet.',
  CLIENT_MORE_THAN_24H: 'Full refund: the session starts in more than 24 hours.',
  CLIENT_WITHIN_24H: 'No refund: the session starts within 24 hours.',
  LAWYER_CANCELLED: 'Full refund to the client: cancellations by the lawyer are always refunded in full.',
};

const ACTION_TEXT: Record<string, string> = {
  create: 'Checkout started',
  checkout_attached: 'Stripe payment page ready',
  pay: 'Payment confirmed',
  expire: 'Checkout expired unpaid',
  schedule: 'Time booked',
  reschedule: 'Rescheduled',
  reschedule_proposed: 'New time proposed',
  reschedule_declined: 'Proposed time declined',
  reschedule_withdrawn: 'Proposed time withdrawn',
  start: 'Session started',
  complete: 'Marked completed',
  cancel: 'Cancelled',
  no_show_client: 'Client did not attend',
  no_show_lawyer: 'Lawyer did not attend',
};

const ACTOR_TEXT: Record<string, string> = { CLIENT: 'by the client', LAWYER: 'by the lawyer', ADMIN: 'by support' };

/** "Cancelled by the client" — a timeline step's title. */
export function eventTitle(event: SessionEvent): string {
  const action = ACTION_TEXT[event.action] ?? event.action.replace(/_/g, ' ');
  const actor = event.actorRole ? ACTOR_TEXT[event.actorRole] : undefined;
  // A no-show is support's finding, not something support did: "Lawyer did not attend (decided by support)".
  if (actor && (event.action === 'no_show_lawyer' || event.action === 'no_show_client')) return `${action} (decided ${actor})`;
  return actor && event.action !== 'create' && event.action !== 'checkout_attached' ? `${action} ${actor}` : action;
}
