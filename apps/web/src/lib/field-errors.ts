import { ApiError } from '@lm/api-client';
import { useEffect, useRef, type RefObject } from 'react';

/**
 * Per-field words for people, by the API's field name: `blank` replaces "must not be blank"
 * ("Enter your name"), `noun` names the value in the generic messages ("the duration").
 */
export interface FieldWords {
  blank?: string;
  noun?: string;
  unit?: string;
}

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A rule broken by a window of a day: the API's `field: problem` and `end must be after start`. */
const WINDOW_PROBLEMS: [RegExp, string][] = [
  [/end must be after start/i, 'Each end time must be after its start time.'],
  [/overlap/i, 'Time windows on the same day must not overlap.'],
  [/HH:MM/i, 'Enter times as hours and minutes, e.g. 09:30.'],
];

/**
 * One API validation message as words for people. The API's messages name the field and the rule
 * ("displayName must not be blank", "durationMinutes must be between 15 and 240 minutes"); this
 * maps the rules to sentences, never showing the field's code name.
 */
export function humanFieldMessage(field: string, raw: string, words: FieldWords = {}): string {
  const noun = words.noun ?? 'this value';
  const unit = words.unit ? ` ${words.unit}` : '';
  let m: RegExpMatchArray | null;
  if (/must not be blank|should not be empty|must be a string/i.test(raw)) return words.blank ?? `Enter ${noun}`;
  if ((m = raw.match(/must be between (-?\d+) and (-?\d+)/i))) return `Enter ${noun} between ${m[1]} and ${m[2]}${unit}`;
  if ((m = raw.match(/must not be less than (-?\d+)/i))) return `Enter ${noun} of at least ${m[1]}${unit}`;
  if ((m = raw.match(/must not be greater than (-?\d+)/i))) return `Enter ${noun} of at most ${m[1]}${unit}`;
  if ((m = raw.match(/(?:at most|shorter than or equal to) (\d+) characters/i))) return `Use at most ${m[1]} characters`;
  if ((m = raw.match(/(?:at most|no more than) (\d+) elements/i))) return `Choose at most ${m[1]}`;
  if (/whole number|must be an integer/i.test(raw)) return `Enter a whole number${unit ? ` of${unit}` : ''}`;
  if (/must be a number/i.test(raw)) return `Enter a number`;
  if (/jurisdiction must be a listed code/i.test(raw)) return 'Choose jurisdictions from the list';
  if (/language must be an ISO 639-1 code/i.test(raw)) return 'Choose languages from the list';
  if (/must be one of/i.test(raw)) return 'Choose one of the options';
  if (/must be an email/i.test(raw)) return 'Enter an email address like name@example.com';
  for (const [pattern, text] of WINDOW_PROBLEMS) if (pattern.test(raw)) return text;
  // Unknown rule: its words without the field's code name ("durationMinutes must …" → "Must …").
  const rest = raw.startsWith(field) ? raw.slice(field.length).trim() : raw.replace(/^[\w.[\]]+\s+(?=must|should)/, '');
  return upperFirst(rest.replace(/\.$/, '')) + '.';
}

/**
 * `ApiError.fields` as `{ field: "first message" }` for showing next to inputs, in words for
 * people (see humanFieldMessage; `words` per field). A domain error whose message is
 * `field: problem` (INVALID_AVAILABILITY's "weekly[0]: end must be after start") is mapped to
 * its top-level field ("weekly") too, so it shows where the problem is, not above the form.
 */
export function fieldErrorsOf(error: unknown, words: Record<string, FieldWords> = {}): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const { field, messages } of error.fields ?? []) {
    const top = field.split(/[.[]/)[0]!;
    if (messages[0] && !result[field]) result[field] = humanFieldMessage(field, messages[0], words[top] ?? words[field]);
    if (messages[0] && !result[top]) result[top] = result[field]!;
  }
  const domain = error.status === 400 && !error.fields ? error.message.match(/^([a-zA-Z]+)(?:\[\d+\])?(?:\.\w+)?: (.+)$/) : null;
  if (domain) result[domain[1]!] = humanFieldMessage(domain[1]!, domain[2]!, words[domain[1]!]);
  return result;
}

/**
 * After a submit that found errors, scrolls the first invalid field of the form into view and
 * focuses it (so Save never seems to do nothing), each time `attempt` changes with errors present.
 */
export function useFocusFirstError(formRef: RefObject<HTMLElement | null>, errors: Record<string, string>, attempt: unknown): void {
  const last = useRef<unknown>(undefined);
  const hasErrors = Object.keys(errors).length > 0;
  useEffect(() => {
    if (!hasErrors || attempt === last.current) return;
    last.current = attempt;
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"], [data-error-anchor]');
    if (!target) return;
    target.scrollIntoView({ block: 'center', behavior: 'smooth' });
    target.focus({ preventScroll: true });
  }, [formRef, hasErrors, attempt]);
}

/** "Fix the 2 highlighted fields" for a summary announced next to the Save button. */
export function errorSummary(errors: Record<string, string>): string | null {
  const count = Object.keys(errors).filter((k) => !/[.[]/.test(k)).length;
  if (count === 0) return null;
  return count === 1 ? 'Fix the highlighted field to save.' : `Fix the ${count} highlighted fields to save.`;
}
