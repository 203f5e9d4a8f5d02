import { domainError } from '../../common/errors/domain-error';

/** A report range whose `from` is after its `to`. */
export class ReportRangeInverted extends domainError(
  'REPORT_RANGE_INVERTED',
  400,
  'The report range is inverted: from must not be after to',
) {}
/** A report range longer than two years. */
export class ReportRangeTooLong extends domainError(
  'REPORT_RANGE_TOO_LONG',
  400,
  'A report covers at most two years: narrow from and to',
) {}
/** POST /api/admin/payouts without a usable Idempotency-Key header. */
export class IdempotencyKeyRequired extends domainError(
  'IDEMPOTENCY_KEY_REQUIRED',
  400,
  'An Idempotency-Key header of 1 to 255 visible ASCII characters is required',
) {}
/** The Idempotency-Key was already used for a payout with other details. */
export class IdempotencyKeyReused extends domainError(
  'IDEMPOTENCY_KEY_REUSED',
  422,
  'This Idempotency-Key was already used for a different payout; use a new key for a new payout',
) {}
/** No partner or lawyer with this id. */
export class PayeeNotFound extends domainError('PAYEE_NOT_FOUND', 404, 'No partner or lawyer with this id') {}
/** The payee is owed nothing in this currency (never was). */
export class PayoutCurrencyMismatch extends domainError(
  'PAYOUT_CURRENCY_MISMATCH',
  409,
  'The payee has no balance in this currency; pay in the currency of what is owed',
) {}
/** More than owed. `details.owedMinor` says how much is. */
export class PayoutExceedsOwed extends domainError(
  'PAYOUT_EXCEEDS_OWED',
  409,
  'The payout is more than what is owed to the payee',
) {}
/** A payout dated after now. */
export class PayoutPaidAtInFuture extends domainError(
  'PAYOUT_PAID_AT_IN_FUTURE',
  400,
  'paidAt must not be in the future: record a payout once it is made',
) {}
/** No such payout (or not the caller's). */
export class PayoutNotFound extends domainError('PAYOUT_NOT_FOUND', 404, 'Payout not found') {}
/** The payout was already reversed. */
export class PayoutAlreadyReversed extends domainError('PAYOUT_ALREADY_REVERSED', 409, 'This payout has already been reversed') {}

/** Every code of this module (for exhaustive handling). */
export type FinanceErrorCode =
  | 'REPORT_RANGE_INVERTED'
  | 'REPORT_RANGE_TOO_LONG'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYEE_NOT_FOUND'
  | 'PAYOUT_CURRENCY_MISMATCH'
  | 'PAYOUT_EXCEEDS_OWED'
  | 'PAYOUT_PAID_AT_IN_FUTURE'
  | 'PAYOUT_NOT_FOUND'
  | 'PAYOUT_ALREADY_REVERSED';
