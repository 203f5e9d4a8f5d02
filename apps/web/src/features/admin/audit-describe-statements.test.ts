import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './admin.queries';
import { describeAuditEvent } from './audit-describe';

const base = {
  id: '1',
  actorId: null,
  actorRole: null,
  actorName: null,
  subjectType: 'statement',
  subjectId: '00000000-0000-4000-8000-0000000000f1',
  subjectName: null,
  subjectSession: null,
  payload: {},
  createdAt: '2026-04-01T00:07:00.000Z',
} as unknown as AuditEvent;

const sha = 'ab'.repeat(32);
const describeAs = (action: string, payload: Record<string, unknown> = {}, overrides: Partial<AuditEvent> = {}) =>
  describeAuditEvent({ ...base, action, payload, ...overrides } as AuditEvent, 'en');

describe('describeAuditEvent (statements)', () => {
  it('says which statement the job issued, for which month, the closing balance and the PDF’s SHA-256', () => {
    expect(
      describeAs('statement.issued', {
        number: 'ST-202603-000042',
        periodStart: '2026-03-01',
        closingMinor: 12345,
        currency: 'EUR',
        pdfSha256: sha,
      }),
    ).toBe(`The monthly job issued statement ST-202603-000042 (March 2026, closing balance €123.45); PDF SHA-256 ${sha}`);
    expect(
      describeAs('statement.issued', { number: 'ST-202603-000043' }, {
        actorId: '00000000-0000-4000-8000-0000000000ad',
        actorRole: 'ADMIN',
        actorName: 'Root',
      } as Partial<AuditEvent>),
    ).toBe('Admin Root issued statement ST-202603-000043');
  });

  it('names the superseded statement and the reason of a re-issue', () => {
    expect(
      describeAs(
        'statement.reissued',
        {
          number: 'ST-202603-000050',
          supersedesNumber: 'ST-202603-000042',
          periodStart: '2026-03-01',
          closingMinor: 500,
          currency: 'JPY',
          reason: 'Missing refund',
          pdfSha256: sha,
        },
        { actorId: '00000000-0000-4000-8000-0000000000ad', actorRole: 'ADMIN', actorName: 'Root' } as Partial<AuditEvent>,
      ),
    ).toBe(
      `Admin Root re-issued ST-202603-000042 as statement ST-202603-000050 (March 2026, closing balance ¥500): “Missing refund”; PDF SHA-256 ${sha}`,
    );
  });
});
