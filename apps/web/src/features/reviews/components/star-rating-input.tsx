import { Input, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { StarGlyph } from './stars';
import classes from './stars.module.css';

export const STAR_WORDS = ['Poor', 'Fair', 'Good', 'Very good', 'Excellent'] as const;

interface StarRatingInputProps {
  /** The group's name, read before the options ("Your rating"). */
  label: string;
  value: number | null;
  onChange: (value: number) => void;
  error?: string;
  disabled?: boolean;
  required?: boolean;
}

/**
 * Five stars that are native radio buttons in a fieldset: Tab reaches the group, the arrow keys
 * move between 1 and 5 stars (the browser's own radio behaviour), each option is read as
 * "3 stars, Good". Hovering previews a value; the chosen word is shown next to the stars.
 */
export function StarRatingInput({ label, value, onChange, error, disabled, required }: StarRatingInputProps) {
  const name = useId();
  const errorId = `${name}-error`;
  const [hover, setHover] = useState<number | null>(null);
  const shown = hover ?? value ?? 0;

  return (
    <fieldset
      className={classes.input}
      disabled={disabled}
      role="radiogroup"
      aria-labelledby={`${name}-label`}
      aria-required={required || undefined}
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
      data-error-anchor={error ? true : undefined}
    >
      <legend id={`${name}-label`}>
        <Text component="span" size="sm" fw={500}>
          {label}
        </Text>
        {required && (
          <Text component="span" c="red.8" aria-hidden>
            {' *'}
          </Text>
        )}
      </legend>
      <span className={classes.options} onMouseLeave={() => setHover(null)}>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className={classes.option} data-filled={n <= shown || undefined} onMouseEnter={() => setHover(n)}>
            <input
              type="radio"
              className={classes.radio}
              name={name}
              value={n}
              checked={value === n}
              onChange={() => onChange(n)}
              aria-label={`${n} star${n === 1 ? '' : 's'}, ${STAR_WORDS[n - 1]}`}
            />
            <StarGlyph size={28} filled={n <= shown} />
          </label>
        ))}
        <Text component="span" size="sm" c="gray.7" ml="xs" style={{ alignSelf: 'center' }} aria-hidden>
          {shown ? STAR_WORDS[shown - 1] : ''}
        </Text>
      </span>
      {error && (
        <Input.Error id={errorId} mt={4}>
          {error}
        </Input.Error>
      )}
    </fieldset>
  );
}
