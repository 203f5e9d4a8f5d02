/**
 * Time-zone helpers. Instants are stored and sent as UTC ISO-8601 strings; a lawyer's
 * availability and a person's display use an IANA zone name (`Europe/Paris`).
 */

/**
 * Whether `timeZone` is an IANA zone name the runtime knows (`Europe/Paris`, `UTC`).
 * Rejects UTC offsets like `+02:00` (newer runtimes accept them in Intl, but an offset is
 * not a zone: it has no daylight-saving rules).
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.trim() === '' || /^[+-]/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The runtime's canonical spelling of a valid zone (`europe/paris` → `Europe/Paris`). */
export function canonicalTimeZone(timeZone: string): string {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);
  return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
}

/**
 * Formats an instant as wall-clock time in `timeZone`, e.g. for showing a slot in the
 * lawyer's zone. Defaults to a medium date and short time.
 */
export function formatInTimeZone(
  instant: Date | string | number,
  timeZone: string,
  locale?: string | string[],
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid date: ${String(instant)}`);
  return new Intl.DateTimeFormat(locale, {
    ...options,
    timeZone: canonicalTimeZone(timeZone),
  }).format(date);
}
