import { SESSION_STATUSES, type SessionStatus } from '@lm/domain';
import { nextStatus, SESSION_ACTIONS, type SessionAction } from './session-state-machine';

describe('session state machine', () => {
  it('unlocks scheduling only through a payment', () => {
    const reachPaid = (Object.keys(SESSION_ACTIONS) as SessionAction[]).filter((a) => SESSION_ACTIONS[a].to === 'PAID');
    expect(reachPaid).toEqual(['pay']);
    expect(nextStatus('PENDING_PAYMENT', 'schedule')).toBeNull();
    expect(nextStatus('EXPIRED', 'schedule')).toBeNull();
    expect(nextStatus('PAID', 'schedule')).toBe('SCHEDULED');
  });

  it('accepts a payment that lands after the checkout expired locally, never twice', () => {
    expect(nextStatus('EXPIRED', 'pay')).toBe('PAID');
    expect(nextStatus('PAID', 'pay')).toBeNull();
    expect(nextStatus('SCHEDULED', 'pay')).toBeNull();
    expect(nextStatus('CANCELLED', 'pay')).toBeNull();
  });

  it('ends nothing that is already over', () => {
    const final: SessionStatus[] = ['COMPLETED', 'CANCELLED', 'EXPIRED', 'NO_SHOW_CLIENT', 'NO_SHOW_LAWYER'];
    for (const status of final) {
      for (const action of ['schedule', 'reschedule', 'cancel', 'complete', 'start'] as SessionAction[]) {
        expect(nextStatus(status, action)).toBeNull();
      }
    }
  });

  it('keeps a rescheduled session SCHEDULED and completes only a held session', () => {
    expect(nextStatus('SCHEDULED', 'reschedule')).toBe('SCHEDULED');
    expect(nextStatus('PAID', 'reschedule')).toBeNull();
    expect(nextStatus('PAID', 'complete')).toBeNull();
    expect(nextStatus('IN_PROGRESS', 'complete')).toBe('COMPLETED');
  });

  it('turns a held, running or completed session into a no-show, and nothing else', () => {
    for (const [action, to] of [
      ['no_show_client', 'NO_SHOW_CLIENT'],
      ['no_show_lawyer', 'NO_SHOW_LAWYER'],
    ] as const) {
      // COMPLETED too: the video module completes a call that only one side joined.
      for (const from of ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED'] as const) expect(nextStatus(from, action)).toBe(to);
      for (const from of ['PENDING_PAYMENT', 'PAID', 'CANCELLED', 'EXPIRED', 'NO_SHOW_CLIENT', 'NO_SHOW_LAWYER'] as const) {
        expect(nextStatus(from, action)).toBeNull();
      }
    }
  });

  it('names only known statuses', () => {
    for (const rule of Object.values(SESSION_ACTIONS)) {
      for (const s of [...rule.from, rule.to]) expect(SESSION_STATUSES).toContain(s);
    }
  });
});
