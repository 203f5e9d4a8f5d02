import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The calendar the business (and every date column) uses: 1970-01-01T00:00:00Z ≤ t < 2200-01-01T00:00:00Z. */
export const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
export const LATEST_INSTANT = Date.UTC(2200, 0, 1);

/**
 * False for a date-time string that parses to an instant outside the business calendar. What
 * does not parse is left to the format validators (and the window checks) beside this one.
 */
export function isInstantWithinCalendar(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  const t = Date.parse(value);
  return !Number.isFinite(t) || (t >= EARLIEST_INSTANT && t < LATEST_INSTANT);
}

/**
 * A date-time between 1970 and 2199 (inclusive). Syntactically valid ISO 8601 still admits year
 * 0000 or 9999 (and their offsets push them past the calendar), which PostgreSQL or luxon then
 * refuse mid-request with a 500; this refuses them up front with 400 VALIDATION_FAILED.
 */
export function InstantWithinCalendar(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'instantWithinCalendar',
      validator: {
        validate: isInstantWithinCalendar,
        defaultMessage: () => '$property must be a date-time between 1970-01-01 and 2199-12-31',
      },
    },
    options,
  );
}
