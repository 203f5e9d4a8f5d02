import type { StatementDocument, StatementLine } from '../../src/modules/statements/render/statement-document';

/** A statement document with `n` lines whose balances run from `opening` (for renderer tests). */
export function statementDocument(over: Partial<StatementDocument> = {}, n = 3, opening = 1250): StatementDocument {
  const lines: StatementLine[] = [];
  let balance = opening;
  for (let i = 1; i <= n; i++) {
    const amountMinor = i % 3 === 0 ? -(i * 100) : i * 1234;
    balance += amountMinor;
    lines.push({
      lineNo: i,
      entryId: String(1000 + i),
      transactionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      kind: i % 3 === 0 ? 'REFUND' : 'PAYMENT',
      postedAt: new Date(Date.UTC(2026, 2, 1 + (i % 28), 9, 30)),
      localDay: `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`,
      description: `Client payment for session ${i}`,
      amountMinor,
      balanceMinor: balance,
    });
  }
  return {
    number: 'ST-202603-000042',
    payeeId: '11111111-1111-4111-8111-111111111111',
    payeeName: 'Łukasz Żółć',
    payeeRole: 'LAWYER',
    account: 'lawyer_payable',
    currency: 'EUR',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-31',
    zone: 'Europe/Warsaw',
    openingMinor: opening,
    closingMinor: balance,
    issuedAt: new Date('2026-04-01T00:05:00Z'),
    lines,
    supersedes: null,
    ...over,
  };
}
