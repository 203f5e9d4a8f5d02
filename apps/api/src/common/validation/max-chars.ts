import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * At most `max` characters counted as Unicode code points — what PostgreSQL's `char_length`
 * counts in the CHECK constraints that back text limits. class-validator's @MaxLength does not
 * count variation selectors (U+FE0E/U+FE0F), so "❤️" × 2000 passes it as 2000 characters and
 * then breaks a `char_length(…) <= 2000` CHECK (a 500 instead of a 400).
 */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxChars',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && [...value].length <= max,
        defaultMessage: buildMessage((each) => `${each}$property must be at most $constraint1 characters`, options),
      },
    },
    options,
  );
}
