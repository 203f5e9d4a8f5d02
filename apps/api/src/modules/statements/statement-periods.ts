import { isValidTimeZone } from '@lm/domain';
import { DateTime } from 'luxon';
import type { PayableAccount, PayeeRole } from './render/statement-document';

/** Calendar months as their first day, 'YYYY-MM-01' (dates, not instants: a month of the payee's calendar). */
export type MonthStart = string;

/** The zone if the runtime knows it, else UTC (a statement must still be issued). */
export function zoneOrUtc(zone: string | null | undefined): string {
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

/** The month a calendar day (YYYY-MM-DD) belongs to. */
export function monthOf(day: string): MonthStart {
  return `${day.slice(0, 7)}-01`;
}

export function nextMonth(month: MonthStart): MonthStart {
  return DateTime.fromISO(month, { zone: 'UTC' }).plus({ months: 1 }).toISODate()!;
}

/** The month's last day. */
export function monthEnd(month: MonthStart): string {
  return DateTime.fromISO(month, { zone: 'UTC' }).endOf('month').toISODate()!;
}

/** The last month that has closed in `zone` at `now`: the one before the zone's current month. */
export function lastClosedMonth(now: Date, zone: string): MonthStart {
  return DateTime.fromJSDate(now).setZone(zoneOrUtc(zone)).startOf('month').minus({ months: 1 }).toISODate()!;
}

/** Every month from `from` to `to`, both included (none when from > to). */
export function monthsBetween(from: MonthStart, to: MonthStart): MonthStart[] {
  const months: MonthStart[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return months;
}

/** 'ST-202603-000042': the period's month and a number from the sequence (never cut short past six digits). */
export function statementNumber(periodStart: MonthStart, seq: number): string {
  return `ST-${periodStart.slice(0, 4)}${periodStart.slice(5, 7)}-${String(seq).padStart(6, '0')}`;
}

/** Whose statement it is follows from the account: lawyers earn on lawyer_payable, partners on commissions. */
export function roleOfAccount(account: PayableAccount): PayeeRole {
  return account === 'lawyer_payable' ? 'LAWYER' : 'PARTNER';
}

/** One month's movement of a payable, from the daily rollups. */
export interface MonthActivity {
  month: MonthStart;
  /** Sum of the party account's entries (ledger sign: credits negative). */
  netMinor: number;
  entryCount: number;
}

/**
 * The months a payable is due a statement: from `from` (the month after its last statement,
 * or its first month of activity) to the last closed month, those with ledger lines or a
 * non-zero opening balance (a payee who is owed money gets a statement every month until paid).
 * `openingBefore` is what was owed at the start of `from`.
 */
export function dueMonths(
  activity: MonthActivity[],
  from: MonthStart,
  lastClosed: MonthStart,
  openingBefore: number,
): MonthStart[] {
  const byMonth = new Map(activity.map((a) => [a.month, a]));
  const due: MonthStart[] = [];
  let owed = openingBefore;
  for (const month of monthsBetween(from, lastClosed)) {
    const a = byMonth.get(month);
    if ((a && a.entryCount > 0) || owed !== 0) due.push(month);
    owed -= a?.netMinor ?? 0;
  }
  return due;
}
