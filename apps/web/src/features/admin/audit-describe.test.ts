import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './admin.queries';
import { describeAuditEvent } from './audit-describe';

const event = (action: string, payload: Record<string, unknown>, over: Partial<AuditEvent> = {}): AuditEvent => ({
  seq: 1,
  occurredAt: '2030-03-02T10:00:00.000Z',
  actorId: 'a1000000-0000-4000-8000-000000000000',
  actorRole: 'ADMIN',
  actorName: 'Root',
  actorEmail: null,
  action,
  subjectType: 'review',
  subjectId: 'abcdef12-0000-4000-8000-000000000000',
  subjectName: null,
  subjectSession: null,
  payload,
  requestId: null,
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
  ...over,
});

describe('describeAuditEvent: reviews', () => {
  it('words each review action', () => {
    expect(
      describeAuditEvent(
        event('review.submitted', { rating: 4, authorSide: 'CLIENT' }, { actorRole: 'CLIENT', actorName: 'Ana' }),
      ),
    ).toBe('Client Ana submitted review #abcdef12 about their lawyer (4 of 5 stars)');
    expect(describeAuditEvent(event('review.published', { rating: 4 }, { actorId: null }))).toBe(
      'Review #abcdef12 was published (4 of 5 stars)',
    );
    expect(describeAuditEvent(event('review.hidden', { target: 'REVIEW', reasonCode: 'PERSONAL_DATA' }))).toBe(
      'Admin Root hid review #abcdef12 (reason: personal data)',
    );
    expect(describeAuditEvent(event('review.unhidden', { target: 'RESPONSE', reasonCode: 'REPORT_REJECTED' }))).toBe(
      'Admin Root showed again the lawyer’s response to review #abcdef12 (reason: report rejected)',
    );
    expect(
      describeAuditEvent(
        event('review.reported', { target: 'REVIEW', reason: 'SPAM' }, { actorRole: 'LAWYER', actorName: 'Luis' }),
      ),
    ).toBe('Lawyer Luis reported review #abcdef12 as spam');
    expect(describeAuditEvent(event('review.response_submitted', {}, { actorRole: 'LAWYER', actorName: 'Luis' }))).toBe(
      'Lawyer Luis responded to review #abcdef12',
    );
  });
});

describe('describeAuditEvent: payouts', () => {
  it('words recording and reversing a payout', () => {
    const payout = { subjectType: 'payout' };
    expect(
      describeAuditEvent(
        event('payout.recorded', { role: 'PARTNER', currency: 'EUR', amountMinor: 12_050, reference: 'SEPA-1' }, payout),
        'en-GB',
      ),
    ).toBe('Admin Root recorded a payout of €120.50 to a partner (reference “SEPA-1”)');
    expect(
      describeAuditEvent(event('payout.reversed', { currency: 'EUR', amountMinor: 500, reason: 'Sent twice' }, payout), 'en-GB'),
    ).toBe('Admin Root reversed the payout of €5.00: Sent twice');
  });
});
