import { toMinorUnits } from '@lm/domain';

/** Currencies offered in price inputs and filters (any ISO 4217 code works through the API). */
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'MXN', 'JPY'] as const;

export const CURRENCY_OPTIONS = CURRENCIES.map((code) => ({ value: code, label: code }));

/**
 * A price typed in major units ("90", "89.50", "89,50") as integer minor units of `currency`,
 * or an error message for people. Never rounds: too many decimals is an error.
 */
export function parsePrice(text: string, currency: string): { minor: number } | { error: string } {
  const normalized = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!normalized) return { error: 'Enter a price' };
  if (!/^\d+(\.\d+)?$/.test(normalized)) return { error: 'Enter a number, e.g. 90 or 89.50' };
  try {
    const minor = toMinorUnits(normalized, currency);
    return minor > 0 ? { minor } : { error: 'The price must be more than zero' };
  } catch {
    return { error: `${currency} prices have fewer decimal places` };
  }
}
