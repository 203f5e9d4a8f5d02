import { minorUnitsToDecimal } from '@lm/domain';
import { stringify } from 'csv-stringify/sync';
import { defuse } from '../../common/csv/defuse';
import type { PendingPayout } from './finance.queries';

/** The bank run's columns, in order (the header row). `owed` is a decimal in the row's currency. */
export const PENDING_PAYOUT_CSV_COLUMNS = [
  'payee_id',
  'payee_name',
  'payee_email',
  'role',
  'currency',
  'owed',
  'owed_minor',
  'last_activity_day',
] as const;

/**
 * RFC 4180 CSV (header + rows, CRLF) of the payees to pay, quoting by csv-stringify; names and
 * emails are typed by users, so cells a spreadsheet would run as formulas are defused.
 */
export function pendingPayoutsCsv(rows: PendingPayout[]): string {
  const records = rows.map((p) => [
    p.payeeId,
    defuse(p.payeeName),
    defuse(p.payeeEmail),
    p.role,
    p.currency,
    minorUnitsToDecimal(p.owedMinor, p.currency),
    String(p.owedMinor),
    p.lastActivityDay,
  ]);
  return stringify([[...PENDING_PAYOUT_CSV_COLUMNS], ...records], { record_delimiter: 'windows' });
}
