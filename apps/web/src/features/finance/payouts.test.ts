import { ApiError } from '@lm/api-client';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { validatePayoutDraft, type PayoutDraft } from './components/record-payout-modal';
import type { DetailedApiError } from './finance.queries';
import { describePayoutError } from './payout-errors';
import { pendingFilters } from './pending-filters';

const ctx = {
  payeeId: 'p1',
  currency: 'EUR',
  owedMinor: 12_050,
  zone: 'Europe/Madrid',
  locale: 'en-GB',
  now: DateTime.fromISO('2026-03-18T09:30:00Z'),
};
const draft = (over: Partial<PayoutDraft> = {}): PayoutDraft => ({
  amount: '120.50',
  method: 'BANK_TRANSFER',
  reference: ' SEPA-2026-0318 ',
  paidOn: '2026-03-18',
  ...over,
});
const apiError = (code: string, status = 409): DetailedApiError =>
  new ApiError({ status, code, message: `The API says ${code}`, requestId: 'req-1' });

describe('the payout draft', () => {
  it('becomes the API body: exact minor units, trimmed reference, paid at now for today or noon of an earlier day', () => {
    expect(validatePayoutDraft(draft(), ctx)).toEqual({
      body: {
        payeeId: 'p1',
        currency: 'EUR',
        amountMinor: 12_050,
        method: 'BANK_TRANSFER',
        reference: 'SEPA-2026-0318',
        paidAt: '2026-03-18T09:30:00Z',
      },
    });
    const earlier = validatePayoutDraft(draft({ paidOn: '2026-03-10', amount: '99,9' }), ctx);
    expect(earlier).toMatchObject({ body: { amountMinor: 9990, paidAt: '2026-03-10T11:00:00Z' } });
  });

  it('refuses zero, more than owed, too many decimals, no reference and future days', () => {
    expect(validatePayoutDraft(draft({ amount: '0' }), ctx)).toEqual({ errors: { amount: 'The amount must be more than zero' } });
    expect(validatePayoutDraft(draft({ amount: '120.51' }), ctx)).toEqual({
      errors: { amount: 'Enter at most €120.50, what is owed' },
    });
    expect(validatePayoutDraft(draft({ amount: '1.005' }), ctx)).toEqual({
      errors: { amount: 'EUR amounts have fewer decimal places' },
    });
    expect(validatePayoutDraft(draft({ amount: '-5' }), ctx)).toEqual({ errors: { amount: 'Enter a number, e.g. 120.50' } });
    expect(validatePayoutDraft(draft({ reference: '  ', paidOn: '2026-03-19' }), ctx)).toEqual({
      errors: { reference: 'Enter the transfer’s reference', paidOn: 'The payment cannot be in the future' },
    });
    expect(validatePayoutDraft(draft({ reference: 'x'.repeat(141) }), ctx)).toEqual({
      errors: { reference: 'Use at most 140 characters (now 141)' },
    });
  });
});

describe('payout errors in words', () => {
  const words = { payeeName: 'Łukasz Żółć', currency: 'EUR', locale: 'en-GB' };

  it('PAYOUT_EXCEEDS_OWED names what is owed now when the API says it', () => {
    const error = apiError('PAYOUT_EXCEEDS_OWED');
    error.details = { owedMinor: 4000 };
    expect(describePayoutError(error, words)).toEqual({
      owedMinor: 4000,
      message: 'That is more than Łukasz Żółć is owed: €40.00. Go back and enter at most that amount.',
    });
    expect(describePayoutError(apiError('PAYOUT_EXCEEDS_OWED'), words).message).toMatch(/more than Łukasz Żółć is owed now/);
  });

  it('maps the other refusals and falls back to the general wording', () => {
    expect(describePayoutError(apiError('PAYOUT_CURRENCY_MISMATCH'), words).message).toBe(
      'Łukasz Żółć is owed nothing in EUR, so no EUR payout can be recorded.',
    );
    expect(describePayoutError(apiError('IDEMPOTENCY_KEY_REUSED', 422), words).message).toMatch(
      /already recorded with other details/,
    );
    expect(describePayoutError(apiError('PAYEE_NOT_FOUND', 404), words).message).toMatch(/cannot receive payouts/);
    expect(describePayoutError(apiError('SOMETHING_NEW', 400), words).message).toBe('The API says SOMETHING_NEW');
    expect(describePayoutError(new ApiError({ status: 500, code: 'INTERNAL_ERROR', message: 'x' }), words).message).toMatch(
      /on our side|try again/i,
    );
  });
});

describe('pending list filters', () => {
  it('sends a minimum in minor units of the chosen currency', () => {
    expect(pendingFilters({ currency: 'EUR', role: 'PARTNER', minimum: '50' })).toEqual({
      query: { currency: 'EUR', role: 'PARTNER', minimumMinor: 5000 },
      errors: {},
    });
    expect(pendingFilters({ currency: 'JPY', role: null, minimum: '500' }).query).toEqual({ currency: 'JPY', minimumMinor: 500 });
  });

  it('needs a currency for a minimum, and leaves out what is not valid', () => {
    expect(pendingFilters({ currency: '', role: null, minimum: '50' })).toEqual({
      query: {},
      errors: { minimum: 'Choose a currency to set a minimum' },
    });
    expect(pendingFilters({ currency: 'EU', role: null, minimum: '' })).toEqual({
      query: {},
      errors: { currency: 'Use a 3-letter code such as EUR' },
    });
    expect(pendingFilters({ currency: 'EUR', role: null, minimum: 'ten' }).errors).toEqual({
      minimum: 'Enter an amount such as 50 or 12.50',
    });
  });
});
