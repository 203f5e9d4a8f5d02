import { formatInTimeZone, isValidTimeZone, jurisdictionName, minorUnitsToDecimal } from '@lm/domain';

/** The variables the module fills from the session and the profiles when a template declares them. */
export const PREFILL_KEYS = [
  'client_name',
  'client_email',
  'lawyer_name',
  'lawyer_email',
  'fee',
  'currency',
  'session_date',
  'scope',
  'jurisdiction',
  'effective_date',
] as const;
export type PrefillKey = (typeof PREFILL_KEYS)[number];

export interface PrefillSource {
  session: { offeringTitle: string; priceMinor: number; currency: string; startAt: Date | null };
  client: { name: string; email: string };
  lawyer: { name: string; email: string; timeZone: string | null; jurisdictions: string[] };
  now: Date;
}

/** Contracts are written in English: dates read "1 December 2026". */
const LOCALE = 'en-GB';

/**
 * The prefilled values (null where nothing is known, e.g. the date of a session not booked yet).
 * Dates are in the lawyer's zone, and the session's time says which zone it is in.
 */
export function prefillValues(src: PrefillSource): Record<PrefillKey, string | null> {
  const zone = src.lawyer.timeZone && isValidTimeZone(src.lawyer.timeZone) ? src.lawyer.timeZone : 'UTC';
  const jurisdictions = src.lawyer.jurisdictions.map((code) => jurisdictionName(code, 'en'));
  return {
    client_name: src.client.name,
    client_email: src.client.email,
    lawyer_name: src.lawyer.name,
    lawyer_email: src.lawyer.email,
    fee: `${minorUnitsToDecimal(src.session.priceMinor, src.session.currency)} ${src.session.currency}`,
    currency: src.session.currency,
    session_date: src.session.startAt
      ? `${formatInTimeZone(src.session.startAt, zone, LOCALE, { dateStyle: 'long', timeStyle: 'short' })} (${zone})`
      : null,
    scope: src.session.offeringTitle,
    jurisdiction: jurisdictions.length > 0 ? jurisdictions.join('; ') : null,
    effective_date: formatInTimeZone(src.now, zone, LOCALE, { dateStyle: 'long' }),
  };
}
