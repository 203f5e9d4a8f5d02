import { DateTime, Interval } from 'luxon';

/**
 * Free consultation slots of one lawyer, computed from availability rules written in the
 * lawyer's own IANA time zone and returned as UTC instants. Pure: no I/O, `now` is a parameter.
 *
 * Wall-clock rules are resolved per calendar day in the lawyer's zone, so "Mondays 09:00-12:00"
 * stays 09:00 local across DST changes (and therefore moves in UTC). Within a day, slots step in
 * real elapsed time: on the day clocks spring forward a 01:00-04:00 window holds two hours, on
 * the day they fall back a 00:00-03:00 window holds four. A wall time that does not exist (the
 * skipped hour) is moved forward past the gap, as Luxon does.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A wall-clock window of one day, 'HH:MM' to 'HH:MM' (end '24:00' = midnight at the end of the day). */
export interface LocalWindow {
  start: string;
  end: string;
}

export interface WeeklyRule extends LocalWindow {
  weekday: IsoWeekday;
}

/** Replaces the weekly rules on one local date; no windows = not available that day. */
export interface DateOverride {
  /** 'YYYY-MM-DD' in the lawyer's zone. */
  date: string;
  windows: LocalWindow[];
}

export interface TimeRange {
  start: Date;
  end: Date;
}

export interface AvailabilityPolicy {
  timeZone: string;
  weekly: WeeklyRule[];
  overrides: DateOverride[];
  /** Absolute periods with no sessions (holidays, court days), in UTC. */
  blackouts: TimeRange[];
  /** Free time kept before and after every session; the gap between two sessions is at least the larger. */
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Earliest bookable start, measured from now. */
  minimumNoticeMinutes: number;
  /** Cap on sessions starting on one local day; null = no cap. */
  maxSessionsPerDay: number | null;
  /** Distance between candidate starts (default 15). */
  slotStepMinutes?: number;
}

export interface SlotQuery {
  durationMinutes: number;
  /** Window of interest (UTC): slots starting in [from, to). */
  from: Date;
  to: Date;
  now: Date;
  /** The lawyer's active sessions (UTC). */
  busy: TimeRange[];
}

export class InvalidTimeZone extends Error {
  constructor(readonly timeZone: string) {
    super(`Unknown IANA time zone: ${timeZone}`);
  }
}

const MINUTE = 60_000;

export function computeSlots(policy: AvailabilityPolicy, query: SlotQuery): TimeRange[] {
  const zone = policy.timeZone;
  if (!DateTime.local().setZone(zone).isValid) throw new InvalidTimeZone(zone);
  const step = (policy.slotStepMinutes ?? 15) * MINUTE;
  const duration = query.durationMinutes * MINUTE;
  const before = policy.bufferBeforeMinutes * MINUTE;
  const after = policy.bufferAfterMinutes * MINUTE;
  const earliest = query.now.getTime() + policy.minimumNoticeMinutes * MINUTE;
  const from = Math.max(query.from.getTime(), earliest);
  const to = query.to.getTime();
  if (from >= to) return [];

  const overrides = new Map(policy.overrides.map((o) => [o.date, o.windows]));
  const busy = query.busy.map((b) => ({ start: b.start.getTime(), end: b.end.getTime() }));
  const blackouts = policy.blackouts.map((b) => ({ start: b.start.getTime(), end: b.end.getTime() }));
  const sessionsPerDay = countByLocalDate(busy, zone);

  const slots: TimeRange[] = [];
  // Every local date that can hold a slot starting inside [from, to).
  let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 });
  const lastDay = DateTime.fromMillis(to, { zone }).startOf('day');
  for (; day <= lastDay; day = day.plus({ days: 1 })) {
    const date = day.toISODate() as string;
    if (policy.maxSessionsPerDay !== null && (sessionsPerDay.get(date) ?? 0) >= policy.maxSessionsPerDay) continue;
    const windows = overrides.get(date) ?? policy.weekly.filter((r) => r.weekday === day.weekday);
    for (const window of windows) {
      const open = wallTime(day, window.start).toMillis();
      const close = wallTime(day, window.end).toMillis();
      for (let start = open; start + duration <= close; start += step) {
        const end = start + duration;
        if (start < from || start >= to) continue;
        const padded = { start: start - before, end: end + after };
        if (blackouts.some((b) => overlaps({ start, end }, b))) continue;
        // Our padding must not reach another session, nor theirs reach us.
        if (busy.some((b) => overlaps(padded, b) || overlaps({ start, end }, { start: b.start - before, end: b.end + after }))) continue;
        slots.push({ start: new Date(start), end: new Date(end) });
      }
    }
  }
  return dedupeSorted(slots);
}

function wallTime(day: DateTime, hhmm: string): DateTime {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new Error(`Invalid wall time ${hhmm}`);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour === 24 && minute === 0) return day.plus({ days: 1 }).startOf('day');
  if (hour > 23 || minute > 59) throw new Error(`Invalid wall time ${hhmm}`);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

function countByLocalDate(ranges: { start: number }[], zone: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of ranges) {
    const date = DateTime.fromMillis(r.start, { zone }).toISODate() as string;
    counts.set(date, (counts.get(date) ?? 0) + 1);
  }
  return counts;
}

function dedupeSorted(slots: TimeRange[]): TimeRange[] {
  const seen = new Set<number>();
  return slots
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .filter((s) => (seen.has(s.start.getTime()) ? false : (seen.add(s.start.getTime()), true)));
}

/** For tests and callers that think in the client's zone: the [start, end) of a local day. */
export function localDay(date: string, timeZone: string): TimeRange {
  const start = DateTime.fromISO(date, { zone: timeZone }).startOf('day');
  const interval = Interval.fromDateTimes(start, start.plus({ days: 1 }));
  return { start: interval.start!.toJSDate(), end: interval.end!.toJSDate() };
}
