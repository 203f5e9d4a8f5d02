import { describe, expect, it } from 'vitest';
import { describeMatch, foundTitle } from './verify-match';

describe('verify matches in words', () => {
  it('describes an executed contract by when it was signed, how many parties and its audit entry — no names', () => {
    const text = describeMatch(
      { kind: 'contract', executedAt: '2026-03-04T09:00:00Z', parties: 2, auditSeq: 812 },
      'Europe/Madrid',
      'en-GB',
    );
    expect(text).toBe('An executed contract, signed on Wed, 4 Mar 2026, 10:00 (Europe/Madrid), 2 parties, audit entry #812.');
    expect(foundTitle([{ kind: 'contract', executedAt: '2026-03-04T09:00:00Z', parties: 2, auditSeq: 812 }])).toBe(
      'This file is an executed contract kept by LexMarket',
    );
  });

  it('still describes recordings as before', () => {
    expect(describeMatch({ kind: 'recording', recordedAt: null, durationSeconds: null, auditSeq: null }, 'UTC', 'en')).toBe(
      'Recorded on an unknown date.',
    );
    expect(foundTitle([{ kind: 'recording', recordedAt: null, durationSeconds: null, auditSeq: 3 }])).toBe(
      'This file is a recording kept by LexMarket',
    );
  });
});
