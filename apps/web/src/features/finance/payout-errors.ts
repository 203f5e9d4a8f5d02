import { ApiError } from '@lm/api-client';
import { formatMoney, isMinorUnits } from '@lm/domain';
import { describeError } from '../../lib/errors';
import type { DetailedApiError } from './finance.queries';

/** The payout API's refusals (contract §B), each with words for the admin. */
export type PayoutErrorCode =
  | 'PAYOUT_EXCEEDS_OWED'
  | 'PAYOUT_CURRENCY_MISMATCH'
  | 'PAYEE_NOT_FOUND'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYOUT_PAID_AT_IN_FUTURE'
  | 'PAYOUT_NOT_FOUND'
  | 'PAYOUT_ALREADY_REVERSED';

export interface PayoutProblem {
  message: string;
  /** What the payee is owed now, when the API said (PAYOUT_EXCEEDS_OWED). */
  owedMinor?: number;
}

/** Why recording (or reversing) a payout failed, for the admin; PAYOUT_EXCEEDS_OWED names what is owed now. */
export function describePayoutError(error: unknown, ctx: { payeeName: string; currency: string; locale: string }): PayoutProblem {
  if (!(error instanceof ApiError)) return { message: describeError(error).message };
  const code = error.code as PayoutErrorCode;
  switch (code) {
    case 'PAYOUT_EXCEEDS_OWED': {
      const owed = (error as DetailedApiError).details?.owedMinor;
      if (isMinorUnits(owed)) {
        return {
          owedMinor: owed,
          message: `That is more than ${ctx.payeeName} is owed: ${formatMoney(owed, ctx.currency, ctx.locale)}. Go back and enter at most that amount.`,
        };
      }
      return {
        message: `That is more than ${ctx.payeeName} is owed now (someone may have paid them meanwhile). Go back and check the amount.`,
      };
    }
    case 'PAYOUT_CURRENCY_MISMATCH':
      return { message: `${ctx.payeeName} is owed nothing in ${ctx.currency}, so no ${ctx.currency} payout can be recorded.` };
    case 'PAYEE_NOT_FOUND':
      return { message: `${ctx.payeeName} cannot receive payouts (the account is not a lawyer or partner any more).` };
    case 'IDEMPOTENCY_KEY_REUSED':
      return {
        message:
          'A payout from this dialog was already recorded with other details. Close the dialog and check the history before recording another one.',
      };
    case 'PAYOUT_PAID_AT_IN_FUTURE':
      return { message: 'The payment date is in the future: record a payout once the money has been sent.' };
    case 'PAYOUT_NOT_FOUND':
      return { message: 'This payout no longer exists. Reload the page.' };
    case 'PAYOUT_ALREADY_REVERSED':
      return { message: 'This payout has already been reversed.' };
    default:
      return { message: describeError(error).message };
  }
}
