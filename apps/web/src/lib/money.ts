import { minorUnitsToDecimal, toMinorUnits } from '@lm/domain';

/** Currencies offered in price inputs and filters (any ISO 4217 code works through the API). */
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'MXN', 'JPY'] as const;

export const CURRENCY_OPTIONS = CURRENCIES.map((code) => ({ value: code, label: code }));

/**
 * A price typed in major units ("90", "89.50", "89,50") as integer minor units of `currency`,
 * or an error message for people. Never rounds: too many decimals is an error.
 */
/** The highest price an offering can have, in minor units (the API's limit). */
export const MAX_PRICE_MINOR = 100_000_000;

export function parsePrice(text: string, currency: string): { minor: number } | { error: string } {
  const normalized = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!normalized) return { error: 'Enter a price' };
  if (!/^\d+(\.\d+)?$/.test(normalized)) return { error: 'Enter a number, e.g. 90 or 89.50' };
  try {
    const minor = toMinorUnits(normalized, currency);
    if (minor <= 0) return { error: 'The price must be more than zero' };
    // The API's limit (MAX_PRICE_MINOR), in the currency's major units.
    if (minor > MAX_PRICE_MINOR) return { error: `Enter a price of at most ${minorUnitsToDecimal(MAX_PRICE_MINOR, currency)} ${currency}` };
    return { minor };
  } catch {
    return { error: `${currency} prices have fewer decimal places` };
  }
}

const CURRENCY_BY_REGION: Record<string, (typeof CURRENCIES)[number]> = {
  US: 'USD', GB: 'GBP', CH: 'CHF', CA: 'CAD', AU: 'AUD', SE: 'SEK', NO: 'NOK', DK: 'DKK', PL: 'PLN', MX: 'MXN', JP: 'JPY',
};
const LANGUAGE_DEFAULT_REGION: Record<string, string> = { en: 'US', ja: 'JP', sv: 'SE', nb: 'NO', da: 'DK', pl: 'PL' };

/** The currency a viewer most likely thinks in, from their locale ("en-GB" → GBP, "es" → EUR); EUR otherwise. */
export function currencyForLocale(locale: string): string {
  const [language = '', region] = locale.split(/[-_]/);
  const country = region?.toUpperCase() ?? LANGUAGE_DEFAULT_REGION[language.toLowerCase()];
  return (country && CURRENCY_BY_REGION[country]) || 'EUR';
}
