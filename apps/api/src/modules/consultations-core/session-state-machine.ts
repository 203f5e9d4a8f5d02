import type { SessionStatus } from '@lm/domain';

/**
 * Every change a session can go through, and from which statuses. Pure: the lifecycle service
 * asks it before writing, and an illegal move becomes a 409 with a code.
 */
export const SESSION_ACTIONS = {
  /** A verified Stripe payment arrived. EXPIRED too: a checkout paid just as it lapsed must still unlock (the money moved). */
  pay: { from: ['PENDING_PAYMENT', 'EXPIRED'], to: 'PAID' },
  /** The checkout lapsed unpaid. */
  expire: { from: ['PENDING_PAYMENT'], to: 'EXPIRED' },
  schedule: { from: ['PAID'], to: 'SCHEDULED' },
  /** Moves the time of a scheduled session; the payment is kept, nothing is charged again. */
  reschedule: { from: ['SCHEDULED'], to: 'SCHEDULED' },
  start: { from: ['SCHEDULED'], to: 'IN_PROGRESS' },
  complete: { from: ['SCHEDULED', 'IN_PROGRESS'], to: 'COMPLETED' },
  cancel: { from: ['PENDING_PAYMENT', 'PAID', 'SCHEDULED'], to: 'CANCELLED' },
  /**
   * A no-show, decided by support on a report. Also from COMPLETED: a call that only one side
   * joined is still completed by the video module when its window closes, and the evidence may
   * show the other side never came.
   */
  no_show_client: { from: ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED'], to: 'NO_SHOW_CLIENT' },
  no_show_lawyer: { from: ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED'], to: 'NO_SHOW_LAWYER' },
} as const satisfies Record<string, { from: readonly SessionStatus[]; to: SessionStatus }>;

export type SessionAction = keyof typeof SESSION_ACTIONS;

/** The status `action` leads to from `from`, or null when the move is not allowed. */
export function nextStatus(from: SessionStatus, action: SessionAction): SessionStatus | null {
  const rule = SESSION_ACTIONS[action];
  return (rule.from as readonly SessionStatus[]).includes(from) ? rule.to : null;
}
