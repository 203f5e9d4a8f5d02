import { ValidateBy, type ValidationOptions } from 'class-validator';
import { MAX_VARIABLES } from '../template-engine';

/** Longest key accepted in `values` (variable names have at most 48 characters). */
const MAX_KEY_CHARS = 64;

/**
 * `values` is a flat object of strings: at most MAX_VARIABLES keys of at most 64 characters.
 * Which keys are declared, and what the strings may contain, the template engine decides (with
 * its own codes: CONTRACT_VARIABLES_UNKNOWN, CONTRACT_VARIABLE_INVALID, CONTRACT_VARIABLES_MISSING).
 */
export function IsVariableValues(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isVariableValues',
      validator: {
        validate: (value: unknown) => {
          if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          return entries.length <= MAX_VARIABLES && entries.every(([k, v]) => k.length <= MAX_KEY_CHARS && typeof v === 'string');
        },
        defaultMessage: () => `$property must be an object of at most ${MAX_VARIABLES} text values, keyed by variable name`,
      },
    },
    options,
  );
}
