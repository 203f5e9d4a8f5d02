import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './admin.queries';
import { describeAuditEvent } from './audit-describe';

const base = {
  id: '1',
  actorId: '00000000-0000-4000-8000-0000000000ad',
  actorRole: 'ADMIN',
  actorName: 'Root',
  subjectType: 'support_ticket',
  subjectId: '00000000-0000-4000-8000-0000000000f1',
  subjectName: null,
  subjectSession: null,
  payload: {},
  createdAt: '2026-03-02T12:00:00.000Z',
} as unknown as AuditEvent;

const describeAs = (action: string, payload: Record<string, unknown> = {}, overrides: Partial<AuditEvent> = {}) =>
  describeAuditEvent({ ...base, action, payload, ...overrides } as AuditEvent, 'en');

describe('describeAuditEvent (support)', () => {
  it('writes a sentence for every support action', () => {
    expect(
      describeAs('support.ticket_opened', { category: 'NO_SHOW_LAWYER' }, {
        actorRole: 'CLIENT',
        actorName: 'Ana López',
      } as Partial<AuditEvent>),
    ).toBe('Client Ana López opened support ticket #00000000 (lawyer no-show)');
    expect(describeAs('support.message_posted')).toBe('Admin Root wrote in support ticket #00000000');
    expect(describeAs('support.ticket_assigned')).toBe('Admin Root took support ticket #00000000');
    expect(describeAs('support.ticket_status_changed', { from: 'OPEN', to: 'IN_PROGRESS' })).toBe(
      'Admin Root set support ticket #00000000 to in progress',
    );
    expect(describeAs('support.no_show_resolved', { decision: 'LAWYER_NO_SHOW', refundMinor: 9000, currency: 'EUR' })).toBe(
      'Admin Root decided support ticket #00000000: the lawyer did not show, client refunded (refund €90.00)',
    );
    expect(describeAs('support.no_show_resolved', { decision: 'DISMISS' })).toBe(
      'Admin Root decided support ticket #00000000: report dismissed',
    );
  });
});
