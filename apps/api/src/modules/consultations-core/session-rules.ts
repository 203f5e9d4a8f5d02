import type { SessionStatus } from '@lm/domain';
import type { DomainError } from '../../common/errors/domain-error';
import { FREE_CANCELLATION_HOURS } from './cancellation-policy';
import {
  RescheduleTooLate,
  SessionAlreadyStarted,
  SessionNotEnded,
  SessionNotPaid,
  SessionTransitionNotAllowed,
} from './consultations.errors';
import { nextStatus, SESSION_ACTIONS, type SessionAction } from './session-state-machine';

/**
 * Who may do what to a session, and when. Pure: each `…Refusal` returns the coded error the
 * request would fail with, or null when it is allowed. The service throws these, and the
 * session response turns them into `actions` flags, so the SPA never repeats the rules.
 *
 * Decisions:
 * - Only the paying client schedules (payment-first scheduling).
 * - Reschedule: either participant, while SCHEDULED and before the start. The client only more
 *   than 24 h before the start (the same line as a free cancellation: inside it the lawyer's
 *   time is committed); the lawyer up to the start. The payment is kept; nothing is charged.
 * - Cancel: the client from PENDING_PAYMENT (abandons the checkout), PAID or SCHEDULED; the
 *   lawyer from PAID or SCHEDULED (always a full refund). Never after the start: from then on
 *   it is a completion or a no-show, resolved by support.
 * - Complete: the lawyer, from SCHEDULED or IN_PROGRESS, once the scheduled end has passed.
 */
export type Side = 'CLIENT' | 'LAWYER';

export interface SessionFacts {
  status: SessionStatus;
  startAt: Date | null;
  endAt: Date | null;
}

const HOUR = 3_600_000;

/** The error `action` meets from `status` under the state machine (what SessionLifecycle.transition throws). */
export function transitionRefusal(status: SessionStatus, action: SessionAction): DomainError | null {
  if (nextStatus(status, action)) return null;
  const details = { status, action, allowedFrom: [...SESSION_ACTIONS[action].from] };
  if (action === 'schedule' && (status === 'PENDING_PAYMENT' || status === 'EXPIRED')) return new SessionNotPaid(undefined, details);
  return new SessionTransitionNotAllowed(`A ${status} session cannot be ${action.replace(/_/g, ' ')}d`, details);
}

export function scheduleRefusal(s: SessionFacts, by: Side): DomainError | null {
  if (by !== 'CLIENT') return new SessionTransitionNotAllowed('Only the client who paid schedules the session', { status: s.status, action: 'schedule' });
  return transitionRefusal(s.status, 'schedule');
}

export function rescheduleRefusal(s: SessionFacts, by: Side, now: Date): DomainError | null {
  const refusal = transitionRefusal(s.status, 'reschedule');
  if (refusal) return refusal;
  if (!s.startAt || now.getTime() >= s.startAt.getTime()) return new SessionAlreadyStarted();
  if (by === 'CLIENT' && s.startAt.getTime() - now.getTime() <= FREE_CANCELLATION_HOURS * HOUR) return new RescheduleTooLate();
  return null;
}

export function cancelRefusal(s: SessionFacts, by: Side, now: Date): DomainError | null {
  const refusal = transitionRefusal(s.status, 'cancel');
  if (refusal) return refusal;
  if (s.status === 'PENDING_PAYMENT' && by !== 'CLIENT') {
    return new SessionTransitionNotAllowed('Only the client can cancel a checkout that has not been paid', { status: s.status, action: 'cancel' });
  }
  if (s.startAt && now.getTime() >= s.startAt.getTime()) return new SessionAlreadyStarted();
  return null;
}

export function completeRefusal(s: SessionFacts, by: Side, now: Date): DomainError | null {
  if (by !== 'LAWYER') return new SessionTransitionNotAllowed('Only the lawyer marks a session completed', { status: s.status, action: 'complete' });
  const refusal = transitionRefusal(s.status, 'complete');
  if (refusal) return refusal;
  if (!s.endAt || now.getTime() < s.endAt.getTime()) return new SessionNotEnded(undefined, { endAt: s.endAt?.toISOString() ?? null });
  return null;
}

export interface SessionActions {
  canSchedule: boolean;
  canReschedule: boolean;
  canCancel: boolean;
  canComplete: boolean;
}

/** What `by` may do next, as of `now`. */
export function allowedActions(s: SessionFacts, by: Side, now: Date): SessionActions {
  return {
    canSchedule: scheduleRefusal(s, by) === null,
    canReschedule: rescheduleRefusal(s, by, now) === null,
    canCancel: cancelRefusal(s, by, now) === null,
    canComplete: completeRefusal(s, by, now) === null,
  };
}
