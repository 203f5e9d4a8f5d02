import { toMinorUnits } from '@lm/domain';
import type { PayeeRole, PendingPayoutsQuery } from './finance.types';

export type PendingFilters = Omit<PendingPayoutsQuery, 'page' | 'pageSize'>;

/**
 * The pending filters as the API's query, and what is wrong with the typed ones. A minimum is
 * typed in the currency's major units ("50" = €50.00), so it needs a currency.
 */
export function pendingFilters(input: { currency: string; role: PayeeRole | null; minimum: string }): {
  query: PendingFilters;
  errors: { currency?: string; minimum?: string };
} {
  const errors: { currency?: string; minimum?: string } = {};
  const query: PendingFilters = {};
  if (input.currency) {
    if (/^[A-Z]{3}$/.test(input.currency)) query.currency = input.currency;
    else errors.currency = 'Use a 3-letter code such as EUR';
  }
  if (input.role) query.role = input.role;
  const minimum = input.minimum.replace(',', '.');
  if (minimum) {
    if (!query.currency) {
      if (!errors.currency) errors.minimum = 'Choose a currency to set a minimum';
    } else if (!/^\d+(\.\d+)?$/.test(minimum)) errors.minimum = 'Enter an amount such as 50 or 12.50';
    else {
      try {
        query.minimumMinor = toMinorUnits(minimum, query.currency);
      } catch {
        errors.minimum = `${query.currency} amounts have fewer decimal places`;
      }
    }
  }
  return { query, errors };
}
