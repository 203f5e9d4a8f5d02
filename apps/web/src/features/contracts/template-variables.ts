import type { TemplateVariable } from './contracts.types';

/** A variable's name as the template language accepts it. */
export const VARIABLE_NAME = /^[a-z][a-z0-9_]{0,47}$/;

/**
 * The values the API fills in from the session and the two profiles when a template declares a
 * variable of that name (the lawyer can still change them before saving).
 */
export const PREFILL_KEYS: readonly { name: string; label: string; hint: string }[] = [
  { name: 'client_name', label: 'Client name', hint: 'The client’s name on their account' },
  { name: 'client_email', label: 'Client email', hint: 'The client’s email address' },
  { name: 'lawyer_name', label: 'Lawyer name', hint: 'Your name on your profile' },
  { name: 'lawyer_email', label: 'Lawyer email', hint: 'Your email address' },
  { name: 'fee', label: 'Fee', hint: 'The session’s price, e.g. “250.00 PLN”' },
  { name: 'currency', label: 'Currency', hint: 'The session’s currency, e.g. “EUR”' },
  { name: 'session_date', label: 'Session date', hint: 'The session’s date in your time zone' },
  { name: 'scope', label: 'Scope', hint: 'The title of the consultation that was booked' },
  { name: 'jurisdiction', label: 'Jurisdiction', hint: 'Your jurisdictions, joined' },
  { name: 'effective_date', label: 'Effective date', hint: 'Today in your time zone' },
];

const PREFILL_BY_NAME = new Map(PREFILL_KEYS.map((k) => [k.name, k]));

/** Whether the API fills `name` in from the session and profiles. */
export function isPrefillKey(name: string): boolean {
  return PREFILL_BY_NAME.has(name);
}

/** A tag the template language understands: `{{ name }}` (spaces allowed inside the braces), not part of `{{{…}}}`. */
const TAG = /(?<!\{)\{\{(?!\{)\s*([^{}]*?)\s*\}\}(?!\})/g;

/**
 * The names of the `{{name}}` tags in a template body, in order of first use, each once. Only
 * plain variable tags count; anything else between braces (`{{#x}}`, `{{{x}}}`) is the API's to
 * refuse with its own message, so it is left out here.
 */
export function usedVariableNames(body: string): string[] {
  const names = new Set<string>();
  for (const match of body.matchAll(TAG)) {
    const name = match[1] ?? '';
    if (VARIABLE_NAME.test(name)) names.add(name);
  }
  return [...names];
}

export interface VariableProblems {
  /** Used in the body, not in the table: the API refuses to save (TEMPLATE_VARIABLES_UNDECLARED). */
  undeclared: string[];
  /** In the table, never used in the body: allowed, but nothing will show the value. */
  unused: string[];
  /** Table rows whose name the language does not accept. */
  invalidNames: string[];
  /** Names declared more than once. */
  duplicates: string[];
  /** Declared without a label (the form would have nothing to call the field). */
  unlabelled: string[];
}

/** What is wrong (or odd) about a template's variables table against its body, before the API says so. */
export function variableProblems(body: string, variables: readonly TemplateVariable[]): VariableProblems {
  const used = usedVariableNames(body);
  const declared = variables.map((v) => v.name.trim()).filter(Boolean);
  const declaredSet = new Set(declared);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of declared) {
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  const usedSet = new Set(used);
  return {
    undeclared: used.filter((n) => !declaredSet.has(n)),
    unused: [...declaredSet].filter((n) => VARIABLE_NAME.test(n) && !usedSet.has(n)),
    invalidNames: [...declaredSet].filter((n) => !VARIABLE_NAME.test(n)),
    duplicates: [...duplicates],
    unlabelled: variables.filter((v) => v.name.trim() && !v.label.trim()).map((v) => v.name.trim()),
  };
}

/** "client_name" → "Client name"; the prefill keys have their own labels. */
export function suggestLabel(name: string): string {
  const known = PREFILL_BY_NAME.get(name);
  if (known) return known.label;
  const words = name.replace(/_+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A table row for `name`, with the suggested label (and the prefill hint when the API fills it). */
export function declareVariable(name: string): TemplateVariable {
  const known = PREFILL_BY_NAME.get(name);
  return known ? { name, label: known.label, hint: known.hint } : { name, label: suggestLabel(name) };
}

/**
 * Sample values for the editor's preview: every declared variable's label (its name when it has
 * none yet), so the preview shows where each value lands and never trips "missing value".
 */
export function sampleValues(variables: readonly TemplateVariable[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of variables) {
    const name = v.name.trim();
    if (VARIABLE_NAME.test(name)) values[name] = v.label.trim() || name;
  }
  return values;
}

/** The table as the API wants it: trimmed, empty rows and empty hints left out. */
export function cleanVariables(variables: readonly TemplateVariable[]): TemplateVariable[] {
  return variables
    .map((v) => ({ name: v.name.trim(), label: v.label.trim(), hint: v.hint?.trim() ?? '' }))
    .filter((v) => v.name || v.label || v.hint)
    .map(({ name, label, hint }) => (hint ? { name, label, hint } : { name, label }));
}
