import { parse } from 'csv-parse/sync';
import { pendingPayoutsCsv, PENDING_PAYOUT_CSV_COLUMNS } from './pending-payouts-csv';

describe('pending payouts CSV', () => {
  it('writes decimals per currency, quotes commas and quotes, and defuses formula cells', () => {
    const csv = pendingPayoutsCsv([
      {
        payeeId: 'a',
        payeeName: '=HYPERLINK("http://evil")',
        payeeEmail: '@x@example.com',
        role: 'PARTNER',
        currency: 'EUR',
        owedMinor: 123_456,
        lastActivityDay: '2026-02-28',
      },
      {
        payeeId: 'b',
        payeeName: 'García, "Ana"',
        payeeEmail: 'ana@example.com',
        role: 'LAWYER',
        currency: 'JPY',
        owedMinor: 5000,
        lastActivityDay: '2026-03-01',
      },
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows: string[][] = parse(csv);
    expect(rows[0]).toEqual([...PENDING_PAYOUT_CSV_COLUMNS]);
    expect(rows[1]).toEqual([
      'a',
      `'=HYPERLINK("http://evil")`,
      "'@x@example.com",
      'PARTNER',
      'EUR',
      '1234.56',
      '123456',
      '2026-02-28',
    ]);
    expect(rows[2]).toEqual(['b', 'García, "Ana"', 'ana@example.com', 'LAWYER', 'JPY', '5000', '5000', '2026-03-01']);
  });
});
