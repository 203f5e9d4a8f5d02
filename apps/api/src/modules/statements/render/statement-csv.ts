import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import { defuse } from '../../../common/csv/defuse';
import { kindLabel, statementDecimal, type StatementDocument } from './statement-document';

/** The CSV's columns, in order (the header row). Amounts are decimals in the statement's currency. */
export const STATEMENT_CSV_COLUMNS = [
  'statement',
  'payee',
  'role',
  'currency',
  'period_start',
  'period_end',
  'zone',
  'line',
  'date',
  'posted_at',
  'type',
  'description',
  'amount',
  'balance',
  'transaction_id',
  'entry_id',
] as const;

function* records(doc: StatementDocument): Generator<string[]> {
  yield [...STATEMENT_CSV_COLUMNS];
  const fixed = [doc.number, defuse(doc.payeeName), doc.payeeRole, doc.currency, doc.periodStart, doc.periodEnd, doc.zone];
  const money = (minor: number) => statementDecimal(minor, doc.currency);
  yield [...fixed, '', doc.periodStart, '', 'OPENING', 'Opening balance', '', money(doc.openingMinor), '', ''];
  for (const l of doc.lines) {
    yield [
      ...fixed,
      String(l.lineNo),
      l.localDay,
      l.postedAt.toISOString(),
      l.kind,
      defuse(l.description || kindLabel(l.kind)),
      money(l.amountMinor),
      money(l.balanceMinor),
      l.transactionId,
      l.entryId,
    ];
  }
  yield [...fixed, '', doc.periodEnd, '', 'CLOSING', 'Closing balance', '', money(doc.closingMinor), '', ''];
}

/**
 * A statement as RFC 4180 CSV (CRLF, UTF-8 with a byte-order mark so spreadsheets read "Żółć"
 * and "山田太郎" correctly), one row per ledger line between an OPENING and a CLOSING row.
 * Streamed by csv-stringify, which does the quoting (commas, quotes, line breaks inside a
 * value); every cell a person typed goes through `defuse` so a spreadsheet does not run it as
 * a formula. The columns repeat the statement's identity on every row, as bank exports do, so
 * the file stays one plain table.
 */
export function statementCsv(doc: StatementDocument): Readable {
  const out = stringify({ record_delimiter: 'windows', bom: true });
  pipeline(Readable.from(records(doc)), out, () => undefined); // errors surface on `out`
  return out;
}
