import { formatMoney } from '@lm/domain';
import { DateTime } from 'luxon';

/** How one recipient reads times and amounts: their account's zone and locale. */
export interface Reader {
  timeZone: string;
  locale: string;
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Z']);

/**
 * An instant as the reader's wall-clock time, always with its zone: "Tue 1 Dec 2026, 09:30 EST
 * (America/New_York)", or "… 09:30 UTC" for UTC. An unknown zone falls back to UTC (and says so).
 */
export function formatInstant(instant: string | Date, reader: Reader): string {
  const base = instant instanceof Date ? DateTime.fromJSDate(instant) : DateTime.fromISO(instant);
  let zone = reader.timeZone;
  let local = base.setZone(zone);
  if (!local.isValid) {
    zone = 'UTC';
    local = base.setZone('UTC');
  }
  const withLocale = local.setLocale(reader.locale);
  const text = (withLocale.isValid ? withLocale : local).toFormat('ccc d LLL yyyy, HH:mm');
  if (UTC_NAMES.has(zone)) return `${text} UTC`;
  const abbreviation = local.setLocale('en-US').toFormat('ZZZZ');
  return `${text} ${abbreviation} (${zone})`;
}

/** An amount in minor units in the reader's locale, e.g. "€90.00"; a locale Intl refuses falls back to English. */
export function formatAmount(amountMinor: number, currency: string, reader: Reader): string {
  try {
    return formatMoney(amountMinor, currency, reader.locale);
  } catch {
    return formatMoney(amountMinor, currency, 'en');
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** `${publicUrl}${path}` without a doubled slash, whatever trailing slash PUBLIC_URL has. */
export function absoluteUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}
