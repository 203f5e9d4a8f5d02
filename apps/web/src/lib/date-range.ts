import { DateTime } from 'luxon';

/**
 * A range of whole days typed as YYYY-MM-DD (either end optional, `to` inclusive), read in
 * `zone`, as the API's half-open instants: `from` = start of the first day, `to` = start of the
 * day after the last. Unparseable days are left out.
 */
export function dayRangeToInstants(fromDay: string, toDay: string, zone: string): { from?: string; to?: string } {
  const start = (day: string) => {
    const dt = DateTime.fromISO(day, { zone });
    return dt.isValid && /^\d{4}-\d\d-\d\d$/.test(day) ? dt.startOf('day') : null;
  };
  const from = fromDay ? start(fromDay) : null;
  const to = toDay ? start(toDay)?.plus({ days: 1 }) : null;
  return {
    ...(from ? { from: from.toUTC().toISO({ suppressMilliseconds: true })! } : {}),
    ...(to ? { to: to.toUTC().toISO({ suppressMilliseconds: true })! } : {}),
  };
}

/** A YYYY-MM-DD day in the address: anything else reads as no day. */
export function isDay(value: string): boolean {
  return /^\d{4}-\d\d-\d\d$/.test(value) && DateTime.fromISO(value).isValid;
}

/** The `from`/`to` days of a list's address as the API's instants; days that are not days are left out. */
export function dayFiltersToInstants(from: string, to: string, zone: string): { from?: string; to?: string } {
  return dayRangeToInstants(isDay(from) ? from : '', isDay(to) ? to : '', zone);
}
