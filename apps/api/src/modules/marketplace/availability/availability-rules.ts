import { canonicalTimeZone, isValidTimeZone } from '@lm/domain';
import { DateTime } from 'luxon';
import type { LocalWindow, WeeklyRule } from './slots';

/** Why a set of windows is refused: names the entry, never echoes input beyond its position. */
export interface WindowProblem {
  field: string;
  message: string;
}

/** The runtime's spelling of an IANA zone (`europe/berlin` → `Europe/Berlin`), or null for anything else (offsets, unknown names). */
export function ianaZone(timeZone: string): string | null {
  return isValidTimeZone(timeZone) ? canonicalTimeZone(timeZone) : null;
}

/** Minutes since local midnight of 'HH:MM' ('24:00' = 1440). */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

const toHhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * Checks the windows of one day (each ends after it starts, none overlap) and returns them
 * sorted, with windows that touch merged (09:00-12:00 + 12:00-13:00 = 09:00-13:00, so a slot may
 * run across the seam). `labels[i]` names window i in a problem (e.g. `weekly[3]`).
 */
function mergeDay(windows: LocalWindow[], labels: string[]): { windows: LocalWindow[]; problem?: WindowProblem } {
  const items = windows.map((w, i) => ({ start: minutesOf(w.start), end: minutesOf(w.end), label: labels[i] ?? `[${i}]` }));
  const bad = items.find((w) => w.end <= w.start);
  if (bad) return { windows: [], problem: { field: bad.label, message: 'end must be after start' } };
  items.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: { start: number; end: number }[] = [];
  for (let k = 0; k < items.length; k++) {
    const w = items[k]!;
    const last = merged[merged.length - 1];
    if (last && w.start < last.end)
      return { windows: [], problem: { field: w.label, message: `overlaps ${items[k - 1]!.label} on the same day` } };
    if (last && w.start === last.end) last.end = w.end;
    else merged.push({ start: w.start, end: w.end });
  }
  return { windows: merged.map((w) => ({ start: toHhmm(w.start), end: toHhmm(w.end) })) };
}

/** The windows of a date override, checked and merged like one day of the weekly rules. */
export function normaliseDay(windows: LocalWindow[]): { windows: LocalWindow[]; problem?: WindowProblem } {
  return mergeDay(
    windows,
    windows.map((_, i) => `windows[${i}]`),
  );
}

/** Weekly rules checked and merged per weekday; sorted by weekday, then start. */
export function normaliseWeekly(rules: WeeklyRule[]): { weekly: WeeklyRule[]; problem?: WindowProblem } {
  const weekly: WeeklyRule[] = [];
  for (const weekday of [1, 2, 3, 4, 5, 6, 7] as const) {
    const ofDay = rules.map((r, i) => ({ r, label: `weekly[${i}]` })).filter(({ r }) => r.weekday === weekday);
    const day = mergeDay(
      ofDay.map(({ r }) => r),
      ofDay.map(({ label }) => label),
    );
    if (day.problem) return { weekly: [], problem: day.problem };
    weekly.push(...day.windows.map((w) => ({ weekday, ...w })));
  }
  return { weekly };
}

/** Whether 'YYYY-MM-DD' is a real calendar date. */
export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
}

/** Today's date in `timeZone`. */
export function localToday(timeZone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() as string;
}
