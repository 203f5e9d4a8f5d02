import { DateTime, IANAZone } from 'luxon';
import type { Granularity } from './finance.queries';
import { ReportRangeInverted, ReportRangeTooLong } from './finance.errors';

/** Longest report range: `to` at most this many years after `from`. */
export const MAX_RANGE_YEARS = 2;
/** Default range: from the first day of the month this many months before `to`'s month. */
export const DEFAULT_MONTHS_BACK = 11;

export interface ReportRangeQuery {
  from?: string;
  to?: string;
  granularity?: Granularity;
}

export interface ReportRange {
  from: string;
  to: string;
  granularity: Granularity;
}

/** The zone a report is read in: the user's, or UTC when it is missing or unknown to the runtime. */
export function reportZone(timeZone: string | null | undefined): string {
  return timeZone && IANAZone.isValidZone(timeZone) ? timeZone : 'UTC';
}

/**
 * The range of a report, with its defaults: `to` = today in `zone`, `from` = the first day of
 * the month 11 months before `to`'s month (a year of months), granularity = month. Dates are
 * 'YYYY-MM-DD' already validated as calendar dates. Refuses from > to and ranges over two years.
 */
export function resolveReportRange(q: ReportRangeQuery, zone: string, now: Date): ReportRange {
  const to = q.to ?? DateTime.fromJSDate(now, { zone }).toISODate()!;
  const toDay = DateTime.fromISO(to, { zone: 'UTC' });
  const from = q.from ?? toDay.startOf('month').minus({ months: DEFAULT_MONTHS_BACK }).toISODate()!;
  const fromDay = DateTime.fromISO(from, { zone: 'UTC' });
  if (fromDay > toDay) throw new ReportRangeInverted();
  if (toDay > fromDay.plus({ years: MAX_RANGE_YEARS })) throw new ReportRangeTooLong();
  return { from, to, granularity: q.granularity ?? 'month' };
}
