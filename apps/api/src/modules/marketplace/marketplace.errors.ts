import { domainError } from '../../common/errors/domain-error';

/** No such offering, not the caller's, not active, or its lawyer is not listed (never revealed which). */
export class OfferingNotFound extends domainError('OFFERING_NOT_FOUND', 404, 'Offering not found') {}
/** A lawyer keeps at most MAX_OFFERINGS_PER_LAWYER offerings (deactivated ones count). */
export class OfferingLimitReached extends domainError(
  'OFFERING_LIMIT_REACHED',
  409,
  'You have reached the maximum number of offerings',
) {}
/** The currency is not an ISO 4217 code the runtime knows. */
export class InvalidCurrency extends domainError(
  'INVALID_CURRENCY',
  400,
  'The currency must be an ISO 4217 code such as EUR or USD',
) {}
/** The requested start is not a free slot of the lawyer (taken, inside a buffer, out of hours, too soon, day full). */
export class SlotNotAvailable extends domainError('SLOT_NOT_AVAILABLE', 409, 'This time is not available; pick another slot') {}
/** The time zone is not an IANA zone name (`Europe/Berlin`); UTC offsets are refused. */
export class InvalidTimeZone extends domainError(
  'INVALID_TIME_ZONE',
  400,
  'The time zone must be an IANA zone name such as Europe/Berlin',
) {}
/** Windows that end before they start, or overlap on one day. `details` names the offending entry. */
export class InvalidAvailability extends domainError('INVALID_AVAILABILITY', 400, 'The availability windows are invalid') {}
/** Overrides and blackouts need the weekly availability (and its time zone) first. */
export class AvailabilityNotSet extends domainError(
  'AVAILABILITY_NOT_SET',
  409,
  'Set your weekly availability and time zone first',
) {}
export class OverrideNotFound extends domainError('OVERRIDE_NOT_FOUND', 404, 'No override on this date') {}
export class BlackoutNotFound extends domainError('BLACKOUT_NOT_FOUND', 404, 'Blackout not found') {}
/** A time range query (`from`/`to`, blackout start/end) that is empty, reversed or too long. */
export class InvalidTimeRange extends domainError('INVALID_TIME_RANGE', 400, 'The time range is invalid') {}
/** A directory filter combination that has no meaning (e.g. a maximum price without a currency). */
export class InvalidDirectoryFilter extends domainError('INVALID_DIRECTORY_FILTER', 400, 'The directory filters are invalid') {}
/** A booking (or move) starting after the booking horizon (BOOKING_HORIZON_DAYS). */
export class BookingBeyondHorizon extends domainError('BOOKING_BEYOND_HORIZON', 400, 'Sessions can be booked at most a limited time ahead; pick an earlier slot') {}
