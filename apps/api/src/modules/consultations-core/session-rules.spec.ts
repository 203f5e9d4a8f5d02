import type { SessionStatus } from '@lm/domain';
import {
  allowedActions,
  answerProposalRefusal,
  cancelRefusal,
  completeRefusal,
  proposeRefusal,
  rescheduleRefusal,
  scheduleRefusal,
  transitionRefusal,
  withdrawProposalRefusal,
  type SessionFacts,
} from './session-rules';

const now = new Date('2026-03-01T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
const scheduled = (startInHours: number, minutes = 60): SessionFacts => ({
  status: 'SCHEDULED',
  startAt: hours(startInHours),
  endAt: new Date(hours(startInHours).getTime() + minutes * 60_000),
});
const unscheduled = (status: SessionStatus): SessionFacts => ({ status, startAt: null, endAt: null });
const code = (e: { code: string } | null) => e?.code ?? null;

describe('session rules', () => {
  it('schedules only a PAID session, only by its client; unpaid is SESSION_NOT_PAID', () => {
    expect(code(scheduleRefusal(unscheduled('PAID'), 'CLIENT'))).toBeNull();
    expect(code(scheduleRefusal(unscheduled('PENDING_PAYMENT'), 'CLIENT'))).toBe('SESSION_NOT_PAID');
    expect(code(scheduleRefusal(unscheduled('EXPIRED'), 'CLIENT'))).toBe('SESSION_NOT_PAID');
    expect(code(scheduleRefusal(scheduled(48), 'CLIENT'))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    expect(code(scheduleRefusal(unscheduled('PAID'), 'LAWYER'))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
  });

  it('lets the client reschedule only more than 24 h ahead; a lawyer never moves it directly', () => {
    expect(code(rescheduleRefusal(scheduled(25), 'CLIENT', now))).toBeNull();
    expect(code(rescheduleRefusal(scheduled(24), 'CLIENT', now))).toBe('RESCHEDULE_TOO_LATE');
    expect(code(rescheduleRefusal(scheduled(1), 'LAWYER', now))).toBe('RESCHEDULE_NEEDS_CLIENT_CONSENT');
    expect(code(rescheduleRefusal(scheduled(0), 'LAWYER', now))).toBe('SESSION_ALREADY_STARTED');
    expect(code(rescheduleRefusal(scheduled(-1), 'CLIENT', now))).toBe('SESSION_ALREADY_STARTED');
    expect(code(rescheduleRefusal(unscheduled('PAID'), 'CLIENT', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
  });

  it('lets the lawyer propose until the start, one proposal at a time; the client answers it until the start', () => {
    const proposed = { ...scheduled(12), proposedStartAt: hours(48) };
    expect(code(proposeRefusal(scheduled(1), 'LAWYER', now))).toBeNull();
    expect(code(proposeRefusal(scheduled(0), 'LAWYER', now))).toBe('SESSION_ALREADY_STARTED');
    expect(code(proposeRefusal(proposed, 'LAWYER', now))).toBe('RESCHEDULE_PROPOSAL_OPEN');
    expect(code(proposeRefusal(scheduled(12), 'CLIENT', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    expect(code(proposeRefusal(unscheduled('PAID'), 'LAWYER', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    expect(code(answerProposalRefusal(proposed, 'CLIENT', now))).toBeNull();
    expect(code(answerProposalRefusal(scheduled(12), 'CLIENT', now))).toBe('NO_RESCHEDULE_PROPOSAL');
    expect(code(answerProposalRefusal({ ...proposed, startAt: hours(-1) }, 'CLIENT', now))).toBe('SESSION_ALREADY_STARTED');
    expect(code(answerProposalRefusal(proposed, 'LAWYER', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    expect(code(withdrawProposalRefusal(proposed, 'LAWYER'))).toBeNull();
    expect(code(withdrawProposalRefusal(scheduled(12), 'LAWYER'))).toBe('NO_RESCHEDULE_PROPOSAL');
    expect(code(withdrawProposalRefusal(proposed, 'CLIENT'))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
  });

  it('cancels before the start only; an unpaid checkout only by the client', () => {
    expect(code(cancelRefusal(scheduled(2), 'CLIENT', now))).toBeNull();
    expect(code(cancelRefusal(scheduled(2), 'LAWYER', now))).toBeNull();
    expect(code(cancelRefusal(scheduled(-0.5), 'LAWYER', now))).toBe('SESSION_ALREADY_STARTED');
    expect(code(cancelRefusal(unscheduled('PAID'), 'LAWYER', now))).toBeNull();
    expect(code(cancelRefusal(unscheduled('PENDING_PAYMENT'), 'CLIENT', now))).toBeNull();
    expect(code(cancelRefusal(unscheduled('PENDING_PAYMENT'), 'LAWYER', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    expect(code(cancelRefusal(unscheduled('CANCELLED'), 'CLIENT', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    expect(code(cancelRefusal({ ...scheduled(-2), status: 'COMPLETED' }, 'CLIENT', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
  });

  it('completes only by the lawyer, only after the end', () => {
    expect(code(completeRefusal(scheduled(-2, 60), 'LAWYER', now))).toBeNull();
    expect(code(completeRefusal(scheduled(-1, 60), 'LAWYER', now))).toBeNull();
    expect(code(completeRefusal(scheduled(-0.5, 60), 'LAWYER', now))).toBe('SESSION_NOT_ENDED');
    expect(code(completeRefusal({ ...scheduled(-2), status: 'IN_PROGRESS' }, 'LAWYER', now))).toBeNull();
    expect(code(completeRefusal(scheduled(-2), 'CLIENT', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    expect(code(completeRefusal(unscheduled('PAID'), 'LAWYER', now))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
  });

  it('reports the same answers as flags for the SPA', () => {
    const none = { canProposeReschedule: false, canAnswerProposal: false, canWithdrawProposal: false };
    expect(allowedActions(unscheduled('PAID'), 'CLIENT', now)).toEqual({ canSchedule: true, canReschedule: false, canCancel: true, canComplete: false, ...none });
    expect(allowedActions(scheduled(12), 'CLIENT', now)).toEqual({ canSchedule: false, canReschedule: false, canCancel: true, canComplete: false, ...none });
    expect(allowedActions(scheduled(12), 'LAWYER', now)).toEqual({
      canSchedule: false,
      canReschedule: false,
      canCancel: true,
      canComplete: false,
      ...none,
      canProposeReschedule: true,
    });
    expect(allowedActions({ ...scheduled(12), proposedStartAt: hours(48) }, 'CLIENT', now)).toEqual({
      canSchedule: false,
      canReschedule: false,
      canCancel: true,
      canComplete: false,
      ...none,
      canAnswerProposal: true,
    });
    expect(allowedActions(scheduled(-3), 'LAWYER', now)).toEqual({ canSchedule: false, canReschedule: false, canCancel: false, canComplete: true, ...none });
  });

  it('keeps SESSION_NOT_PAID for schedule only; other illegal moves are SESSION_TRANSITION_NOT_ALLOWED', () => {
    expect(code(transitionRefusal('PENDING_PAYMENT', 'schedule'))).toBe('SESSION_NOT_PAID');
    expect(code(transitionRefusal('PENDING_PAYMENT', 'complete'))).toBe('SESSION_TRANSITION_NOT_ALLOWED');
    expect(code(transitionRefusal('PAID', 'schedule'))).toBeNull();
  });
});
