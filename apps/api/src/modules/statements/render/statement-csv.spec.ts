import { parse } from 'csv-parse/sync';
import type { Readable } from 'node:stream';
import { statementDocument } from '../../../../test/statements/statement-fixtures';
import { STATEMENT_CSV_COLUMNS, statementCsv } from './statement-csv';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const rowsOf = (csv: string) =>
  parse(csv, { bom: true, columns: true }) as Record<(typeof STATEMENT_CSV_COLUMNS)[number], string>[];

describe('statement CSV', () => {
  it('is one table: header, OPENING, every line with its running balance, CLOSING (CRLF, UTF-8 with BOM)', async () => {
    const doc = statementDocument({}, 4);
    const csv = await text(statementCsv(doc));
    expect(csv.startsWith('\uFEFFstatement,payee,')).toBe(true);
    expect(csv).toContain('\r\n');
    const rows = rowsOf(csv);
    expect(rows.map((r) => r.type)).toEqual(['OPENING', 'PAYMENT', 'PAYMENT', 'REFUND', 'PAYMENT', 'CLOSING']);
    expect(rows[0]).toMatchObject({ statement: 'ST-202603-000042', payee: 'Łukasz Żółć', balance: '12.50', date: '2026-03-01' });
    expect(rows[3]).toMatchObject({ line: '3', amount: '-3.00', date: '2026-03-04', posted_at: '2026-03-04T09:30:00.000Z' });
    expect(rows[5]).toMatchObject({ balance: (doc.closingMinor / 100).toFixed(2), date: '2026-03-31' });
    // The amounts add up from the opening to the closing balance.
    const sum = rows.slice(1, -1).reduce((s, r) => s + Math.round(Number(r.amount) * 100), doc.openingMinor);
    expect(sum).toBe(doc.closingMinor);
  });

  it('writes amounts with the currency’s minor units (JPY none, BHD three)', async () => {
    const jpy = rowsOf(await text(statementCsv(statementDocument({ currency: 'JPY' }, 1, 500))));
    expect(jpy[0]!.balance).toBe('500');
    const bhd = rowsOf(await text(statementCsv(statementDocument({ currency: 'BHD' }, 1, 500))));
    expect(bhd[0]!.balance).toBe('0.500');
  });

  it('defuses cells a spreadsheet would run as formulas, but keeps negative amounts as numbers', async () => {
    const doc = statementDocument({ payeeName: '=HYPERLINK("http://evil.example","click")' }, 3);
    doc.lines[0]!.description = '+SUM(A1:A9)';
    doc.lines[1]!.description = '@cmd|calc';
    doc.lines[2]!.description = '-2+3';
    const rows = rowsOf(await text(statementCsv(doc)));
    expect(new Set(rows.map((r) => r.payee))).toEqual(new Set(['\'=HYPERLINK("http://evil.example","click")']));
    expect(rows.slice(1, 4).map((r) => r.description)).toEqual(["'+SUM(A1:A9)", "'@cmd|calc", "'-2+3"]);
    expect(rows[3]!.amount).toBe('-3.00'); // a plain number is data, not a formula
  });

  it('quotes commas, quotes and line breaks inside a value', async () => {
    const doc = statementDocument({ payeeName: 'Doe, "JD"\nJane' }, 1);
    const csv = await text(statementCsv(doc));
    expect(csv).toContain('"Doe, ""JD""\nJane"');
    expect(rowsOf(csv)[0]!.payee).toBe('Doe, "JD"\nJane');
  });

  it('has an OPENING and a CLOSING row even without lines', async () => {
    const rows = rowsOf(await text(statementCsv(statementDocument({}, 0, 700))));
    expect(rows.map((r) => [r.type, r.balance])).toEqual([
      ['OPENING', '7.00'],
      ['CLOSING', '7.00'],
    ]);
  });
});
