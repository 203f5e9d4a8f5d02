import { noShowReportRefusal, resolutionOf, statusAfter, statusChangeRefusal, type ReportedSession } from './support-rules';

const H = 3_600_000;
const start = new Date('2026-03-02T10:00:00Z');
const session = (over: Partial<ReportedSession> = {}): ReportedSession => ({
  clientId: 'client',
  lawyerId: 'lawyer',
  status: 'SCHEDULED',
  startAt: start,
  endAt: new Date(start.getTime() + H),
  ...over,
});
const at = (hoursFromStart: number) => new Date(start.getTime() + hoursFromStart * H);
const code = (e: { code?: string } | null) => e?.code ?? null;

describe('support rules', () => {
  it('lets each side report only the other side', () => {
    expect(noShowReportRefusal(session(), 'client', 'NO_SHOW_LAWYER', at(0.5))).toBeNull();
    expect(noShowReportRefusal(session(), 'lawyer', 'NO_SHOW_CLIENT', at(0.5))).toBeNull();
    expect(code(noShowReportRefusal(session(), 'client', 'NO_SHOW_CLIENT', at(0.5)))).toBe('NO_SHOW_WRONG_SIDE');
    expect(code(noShowReportRefusal(session(), 'lawyer', 'NO_SHOW_LAWYER', at(0.5)))).toBe('NO_SHOW_WRONG_SIDE');
  });

  it('opens the report at the start and closes it 48 hours after the scheduled end', () => {
    expect(code(noShowReportRefusal(session(), 'client', 'NO_SHOW_LAWYER', at(-0.01)))).toBe('NO_SHOW_REPORT_NOT_ALLOWED');
    expect(noShowReportRefusal(session(), 'client', 'NO_SHOW_LAWYER', at(0))).toBeNull();
    expect(noShowReportRefusal(session(), 'client', 'NO_SHOW_LAWYER', at(1 + 48))).toBeNull();
    expect(code(noShowReportRefusal(session(), 'client', 'NO_SHOW_LAWYER', at(1 + 48.01)))).toBe('NO_SHOW_REPORT_NOT_ALLOWED');
  });

  it('takes reports of held, running and completed sessions only', () => {
    for (const status of ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED'] as const) {
      expect(noShowReportRefusal(session({ status }), 'client', 'NO_SHOW_LAWYER', at(2))).toBeNull();
    }
    for (const status of ['PAID', 'PENDING_PAYMENT', 'CANCELLED', 'EXPIRED', 'NO_SHOW_CLIENT', 'NO_SHOW_LAWYER'] as const) {
      expect(code(noShowReportRefusal(session({ status }), 'client', 'NO_SHOW_LAWYER', at(2)))).toBe('NO_SHOW_REPORT_NOT_ALLOWED');
    }
    expect(code(noShowReportRefusal(session({ startAt: null, endAt: null }), 'client', 'NO_SHOW_LAWYER', at(2)))).toBe('NO_SHOW_REPORT_NOT_ALLOWED');
  });

  it('moves tickets forward only, closes no-show reports only by a decision, and keeps closed tickets closed', () => {
    expect(statusChangeRefusal('BILLING', 'OPEN', 'IN_PROGRESS')).toBeNull();
    expect(statusChangeRefusal('BILLING', 'OPEN', 'RESOLVED')).toBeNull();
    expect(statusChangeRefusal('BILLING', 'IN_PROGRESS', 'REJECTED')).toBeNull();
    expect(statusChangeRefusal('BILLING', 'IN_PROGRESS', 'IN_PROGRESS')).toBeNull();
    expect(code(statusChangeRefusal('BILLING', 'RESOLVED', 'IN_PROGRESS'))).toBe('TICKET_CLOSED');
    expect(code(statusChangeRefusal('BILLING', 'REJECTED', 'RESOLVED'))).toBe('TICKET_CLOSED');
    expect(statusChangeRefusal('NO_SHOW_LAWYER', 'OPEN', 'IN_PROGRESS')).toBeNull();
    expect(code(statusChangeRefusal('NO_SHOW_LAWYER', 'IN_PROGRESS', 'RESOLVED'))).toBe('NO_SHOW_DECISION_REQUIRED');
    expect(code(statusChangeRefusal('NO_SHOW_CLIENT', 'OPEN', 'REJECTED'))).toBe('NO_SHOW_DECISION_REQUIRED');
  });

  it('records a dismissal as a rejected ticket', () => {
    expect([resolutionOf('DISMISS'), statusAfter('DISMISS')]).toEqual(['DISMISSED', 'REJECTED']);
    expect([resolutionOf('LAWYER_NO_SHOW'), statusAfter('LAWYER_NO_SHOW')]).toEqual(['LAWYER_NO_SHOW', 'RESOLVED']);
    expect([resolutionOf('CLIENT_NO_SHOW'), statusAfter('CLIENT_NO_SHOW')]).toEqual(['CLIENT_NO_SHOW', 'RESOLVED']);
  });
});
