import { DateTime } from 'luxon';

/**
 * Times travel through the API as UTC ISO 8601 instants; people read and type them in a zone.
 * These helpers are the only place where the two meet (luxon handles the zone rules, DST
 * included). Every function takes the zone explicitly, so a page always says which one it uses.
 */

/** The browser's IANA zone (the fallback when the account has none). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The browser's locale. */
export function browserLocale(): string {
  return (typeof navigator !== 'undefined' && navigator.language) || 'en';
}

/** Every IANA zone the runtime knows, plus `extra` (e.g. a stored zone it does not list). */
export function timeZoneOptions(...extra: (string | null | undefined)[]): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', ...zones, ...extra.filter((z): z is string => !!z)])];
}

type Instant = string | Date;

function inZone(at: Instant, zone: string, locale: string): DateTime {
  const dt = typeof at === 'string' ? DateTime.fromISO(at, { zone: 'utc' }) : DateTime.fromJSDate(at, { zone: 'utc' });
  return dt.setZone(zone).setLocale(locale);
}

/** "Wed, 4 Mar 2026, 10:00" in `zone`. */
export function formatDateTime(at: Instant, zone: string, locale: string): string {
  return inZone(at, zone, locale).toLocaleString({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}

/** "Wed, 4 Mar 2026" in `zone`. */
export function formatDate(at: Instant, zone: string, locale: string): string {
  return inZone(at, zone, locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

/** "Wed, 4 Mar 2026, 10:00–10:45" in `zone`: a session's day and hours. */
export function formatWhen(start: Instant, end: Instant, zone: string, locale: string): string {
  return `${formatDate(start, zone, locale)}, ${formatTimeRange(start, end, zone, locale)}`;
}

/** "10:00" in `zone`. */
export function formatTime(at: Instant, zone: string, locale: string): string {
  return inZone(at, zone, locale).toLocaleString(DateTime.TIME_SIMPLE);
}

/** "Wednesday, 4 March 2026" in `zone`. */
export function formatDay(at: Instant, zone: string, locale: string): string {
  return inZone(at, zone, locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** "Wed 4 Mar" in `zone` (compact, for day pickers). */
export function formatShortDay(at: Instant, zone: string, locale: string): string {
  return inZone(at, zone, locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' });
}

/** "10:00–10:45" in `zone`. */
export function formatTimeRange(start: Instant, end: Instant, zone: string, locale: string): string {
  return `${formatTime(start, zone, locale)}–${formatTime(end, zone, locale)}`;
}

/** The local calendar date of an instant in `zone`, as YYYY-MM-DD (a stable key for grouping by day). */
export function localDateKey(at: Instant, zone: string): string {
  return inZone(at, zone, 'en').toISODate() ?? '';
}

/** "Europe/Madrid (GMT+1)": the zone and its offset at `at` (default now). */
export function zoneLabel(zone: string, at: Instant = new Date()): string {
  const offset = inZone(at, zone, 'en').toFormat('ZZZZ');
  return offset && offset !== zone ? `${zone} (${offset})` : zone;
}

/**
 * A wall time typed in a `datetime-local` input (`2026-03-04T10:00`), read in `zone`, as a UTC
 * ISO instant; null when it is empty or not a time.
 */
export function localInputToUtcIso(local: string, zone: string): string | null {
  if (!local) return null;
  const dt = DateTime.fromISO(local, { zone });
  return dt.isValid ? dt.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

/** Today's date in `zone`, YYYY-MM-DD. */
export function todayIn(zone: string): string {
  return DateTime.now().setZone(zone).toISODate() ?? '';
}

/** "Monday, 24 December 2026" for a YYYY-MM-DD date (no zone involved: it is already local). */
export function formatLocalDate(date: string, locale: string): string {
  const dt = DateTime.fromISO(date, { zone: 'utc' }).setLocale(locale);
  return dt.isValid ? dt.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }) : date;
}

/** Minutes as "45 min", "1 h", "1 h 30 min". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** "Wed, 4 Mar 2026, 10:00 (Europe/Madrid)": a time that says which zone it is in. */
export function formatDateTimeZoned(at: Instant, zone: string, locale: string): string {
  return `${formatDateTime(at, zone, locale)} (${zone})`;
}

/** "Wed, 4 Mar 2026, 10:00–10:45 (Europe/Madrid)": a session's day and hours, zone named. */
export function formatWhenZoned(start: Instant, end: Instant, zone: string, locale: string): string {
  return `${formatWhen(start, end, zone, locale)} (${zone})`;
}
