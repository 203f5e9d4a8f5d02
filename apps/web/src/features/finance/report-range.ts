import { DateTime } from 'luxon';
import { isDay } from '../../lib/date-range';
import type { Granularity, Period, ReportQuery } from './finance.types';

export const RANGE_PRESETS = ['12m', '90d', '30d', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const GRANULARITIES = ['day', 'week', 'month'] as const satisfies readonly Granularity[];

export const RANGE_LABELS: Record<RangePreset, string> = {
  '12m': 'Last 12 months',
  '90d': 'Last 90 days',
  '30d': 'Last 30 days',
  custom: 'Custom',
};

export const GRANULARITY_LABELS: Record<Granularity, string> = { day: 'By day', week: 'By week', month: 'By month' };
export const PERIOD_NOUN: Record<Granularity, string> = { day: 'day', week: 'week', month: 'month' };

/** What the range controls hold (the page's address: `?range=custom&from=…&to=…&granularity=…`). */
export interface RangeInput {
  range: RangePreset;
  from: string;
  to: string;
  granularity: Granularity;
}

export type RangeResult = { ok: true; query: Required<ReportQuery> } | { ok: false; errors: { from?: string; to?: string } };

/** The API refuses more than 2 years (`to > from + 2 years`). */
const MAX_YEARS = 2;

/**
 * The report range the controls stand for, as the API's query, or why it is not one. `today`
 * is today's date (YYYY-MM-DD) in the viewer's zone, which is also the zone the API reports in.
 * The presets end today: 12 months by month (from the 1st of the month 11 months ago, the API's
 * default), 90 days by week, 30 days by day.
 */
export function resolveRange(input: RangeInput, today: string): RangeResult {
  const end = DateTime.fromISO(today, { zone: 'utc' });
  const preset = (from: DateTime, granularity: Granularity): RangeResult => ({
    ok: true,
    query: { from: from.toISODate()!, to: today, granularity },
  });
  switch (input.range) {
    case '12m':
      return preset(end.startOf('month').minus({ months: 11 }), 'month');
    case '90d':
      return preset(end.minus({ days: 89 }), 'week');
    case '30d':
      return preset(end.minus({ days: 29 }), 'day');
    case 'custom':
      break;
  }
  const errors: { from?: string; to?: string } = {};
  if (!input.from) errors.from = 'Enter the first day';
  else if (!isDay(input.from)) errors.from = 'Enter a day such as 2026-03-01';
  if (!input.to) errors.to = 'Enter the last day';
  else if (!isDay(input.to)) errors.to = 'Enter a day such as 2026-03-31';
  if (!errors.from && !errors.to) {
    const from = DateTime.fromISO(input.from, { zone: 'utc' });
    const to = DateTime.fromISO(input.to, { zone: 'utc' });
    if (to < from) errors.to = 'The last day must be on or after the first day';
    else if (to > from.plus({ years: MAX_YEARS })) errors.to = `A report covers at most ${MAX_YEARS} years`;
  }
  if (errors.from || errors.to) return { ok: false, errors };
  return { ok: true, query: { from: input.from, to: input.to, granularity: input.granularity } };
}

const day = (date: string) => DateTime.fromISO(date, { zone: 'utc' });

/** A period for a chart's axis: "Mar 2026" for a month, "2 Mar" for a week (its first day) or a day. */
export function shortPeriodLabel(period: Period, granularity: Granularity, locale: string): string {
  const start = day(period.periodStart).setLocale(locale);
  return granularity === 'month'
    ? start.toLocaleString({ month: 'short', year: 'numeric' })
    : start.toLocaleString({ day: 'numeric', month: 'short' });
}

/**
 * A period in words: "March 2026" for a whole month, "Mon, 2 Mar 2026" for one day, otherwise
 * its first and last day ("2–8 Mar 2026"), as periods are clipped to the report's range.
 */
export function periodLabel(period: Period, locale: string): string {
  const start = day(period.periodStart);
  const end = day(period.periodEnd);
  if (!start.isValid || !end.isValid) return `${period.periodStart} – ${period.periodEnd}`;
  if (start.equals(end))
    return start.setLocale(locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  if (start.day === 1 && end.equals(start.endOf('month').startOf('day'))) {
    return start.setLocale(locale).toLocaleString({ month: 'long', year: 'numeric' });
  }
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return format.formatRange(start.toJSDate(), end.toJSDate());
}

/** "1 Mar 2025 – 28 Feb 2026": a report's whole range. */
export function rangeLabel(from: string, to: string, locale: string): string {
  return periodLabel({ periodStart: from, periodEnd: to }, locale);
}
