import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A number with at most `places` decimal places. class-validator's `IsNumber({ maxDecimalPlaces })`
 * reads the decimals from `value.toString()` and throws on exponent notation ("5e-324" has no
 * "."), which turned `?minRating=5e-324` into a 500 (found by the OpenAPI fuzz). This checks the
 * number itself, so any finite number is judged, never thrown on.
 */
export function MaxDecimals(places: number, options?: ValidationOptions): PropertyDecorator {
  const scale = 10 ** places;
  return ValidateBy(
    {
      name: 'maxDecimals',
      constraints: [places],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && Math.abs(Math.round(value * scale) - value * scale) < 1e-6,
        defaultMessage: buildMessage((each) => `${each}$property must have at most $constraint1 decimal places`, options),
      },
    },
    options,
  );
}
