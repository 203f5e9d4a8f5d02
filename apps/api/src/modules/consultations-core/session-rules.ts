import type { SessionStatus } from '@lm/domain';
import type { DomainError } from '../../common/errors/domain-error';
import { FREE_CANCELLATION_HOURS } from './cancellation-policy';
import {
  NoRescheduleProposal,
  RescheduleNeedsClientConsent,
  RescheduleProposalOpen,
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
 * - Reschedule: the client moves their own session directly, while SCHEDULED and more than 24 h
 *   before the start (the same line as a free cancellation: inside it the lawyer's time is
 *   committed). The payment is kept; nothing is charged.
 * - A lawyer never moves a client's session: up to the start they propose a new time (one open
 *   proposal per session, which they may withdraw); the client accepts it (the session moves, at
 *   any time before the start) or declines it (keeps the time, or cancels with a full refund
 *   because the lawyer asked).
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
  /** The lawyer's open reschedule proposal, if any. */
  proposedStartAt?: Date | null;
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
  if (by === 'LAWYER') return new RescheduleNeedsClientConsent();
  if (s.startAt.getTime() - now.getTime() <= FREE_CANCELLATION_HOURS * HOUR) return new RescheduleTooLate();
  return null;
}

/** The lawyer proposes a new time: SCHEDULED, before the start, no other proposal open. */
export function proposeRefusal(s: SessionFacts, by: Side, now: Date): DomainError | null {
  if (by !== 'LAWYER') return new SessionTransitionNotAllowed('Only the lawyer proposes a new time; a client reschedules directly', { status: s.status, action: 'reschedule' });
  const refusal = transitionRefusal(s.status, 'reschedule');
  if (refusal) return refusal;
  if (!s.startAt || now.getTime() >= s.startAt.getTime()) return new SessionAlreadyStarted();
  if (s.proposedStartAt) return new RescheduleProposalOpen(undefined, { proposedStartAt: s.proposedStartAt.toISOString() });
  return null;
}

/** The client accepts or declines the open proposal, until the session starts. */
export function answerProposalRefusal(s: SessionFacts, by: Side, now: Date): DomainError | null {
  if (by !== 'CLIENT') return new SessionTransitionNotAllowed('Only the client answers a proposed new time', { status: s.status, action: 'reschedule' });
  const refusal = transitionRefusal(s.status, 'reschedule');
  if (refusal) return refusal;
  if (!s.proposedStartAt) return new NoRescheduleProposal();
  if (!s.startAt || now.getTime() >= s.startAt.getTime()) return new SessionAlreadyStarted();
  return null;
}

/** The lawyer withdraws their open proposal. */
export function withdrawProposalRefusal(s: SessionFacts, by: Side): DomainError | null {
  if (by !== 'LAWYER') return new SessionTransitionNotAllowed('Only the lawyer withdraws a proposed new time', { status: s.status, action: 'reschedule' });
  if (!s.proposedStartAt) return new NoRescheduleProposal();
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
  /** Lawyer: propose a new time (the client decides). */
  canProposeReschedule: boolean;
  /** Client: accept or decline the lawyer's proposed time. */
  canAnswerProposal: boolean;
  /** Lawyer: withdraw their open proposal. */
  canWithdrawProposal: boolean;
}

/** What `by` may do next, as of `now`. */
export function allowedActions(s: SessionFacts, by: Side, now: Date): SessionActions {
  return {
    canSchedule: scheduleRefusal(s, by) === null,
    canReschedule: rescheduleRefusal(s, by, now) === null,
    canCancel: cancelRefusal(s, by, now) === null,
    canComplete: completeRefusal(s, by, now) === null,
    canProposeReschedule: proposeRefusal(s, by, now) === null,
    canAnswerProposal: answerProposalRefusal(s, by, now) === null,
    canWithdrawProposal: withdrawProposalRefusal(s, by) === null,
  };
}
