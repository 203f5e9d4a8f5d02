import Mustache from 'mustache';
import type { ContractBlock, ContractBlockType } from './render/contract-document';
import {
  ContractVariableInvalid,
  ContractVariablesMissing,
  ContractVariablesUnknown,
  TemplateSyntaxInvalid,
  TemplateVariablesUndeclared,
} from './contracts.errors';

/**
 * The contract template language: Mustache syntax, parsed with the `mustache` package's
 * `parse()` (a maintained, specified tokenizer instead of a home-made regex), restricted to
 * plain `{{name}}` variable tags. Sections, inverted sections, partials, unescaped tags,
 * comments and delimiter changes are refused: a contract has no logic, and what a party signs
 * is exactly the text with the values in it.
 *
 * Markup is line based and applies to the TEMPLATE text only: `# ` heading, `## ` subheading,
 * `- ` bullet, a blank line between paragraphs (a non-blank line right after a paragraph or
 * bullet continues it, joined with a line break). Values are substituted after the blocks are
 * built, literally: a value `<script>`, `{{x}}` or `# x` appears as typed, never as markup.
 *
 * Strict: a variable used but not declared (template save), a value for an undeclared variable,
 * and a used variable without a value (render) are 400s that list the names; there is never an
 * empty gap in a contract.
 */

/** A variable name: lower-case letters, digits and underscores, starting with a letter. */
export const VARIABLE_NAME = /^[a-z][a-z0-9_]{0,47}$/;
/** Longest value, in Unicode code points (what PostgreSQL's char_length counts). */
export const MAX_VALUE_CHARS = 4000;
/** Longest template body, in code points. */
export const MAX_BODY_CHARS = 50_000;
/** Most variables a template may declare. */
export const MAX_VARIABLES = 100;

export interface TemplateVariable {
  name: string;
  label: string;
  hint?: string;
}

type Part = string | { name: string };

interface TemplateBlock {
  type: ContractBlockType;
  /** Lines of the block; each a sequence of literal text and variable references. */
  lines: Part[][];
}

/** A parsed template: its blocks and the variables it uses, in order of first use. */
export interface ParsedTemplate {
  blocks: TemplateBlock[];
  used: string[];
}

/** Control characters other than a line feed (tabs in bodies are turned into spaces first). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

/** NFC, CRLF/CR → LF, tabs → one space: the form every body is stored and parsed in. */
export function normalizeBody(body: string): string {
  return body.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
}

const TAG_PROBLEMS: Record<string, string> = {
  '#': 'Sections ({{#…}}) are not allowed; use only {{variable}} tags',
  '^': 'Inverted sections ({{^…}}) are not allowed; use only {{variable}} tags',
  '/': 'Section ends ({{/…}}) are not allowed; use only {{variable}} tags',
  '>': 'Partials ({{>…}}) are not allowed; use only {{variable}} tags',
  '&': 'Unescaped tags ({{{…}}} or {{&…}}) are not allowed; use {{variable}}',
  '!': 'Comments ({{!…}}) are not allowed',
  '=': 'Changing the tag delimiters ({{=…=}}) is not allowed',
};

/** mustache's own error messages can quote the template; ours never do (only a position). */
function syntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = /at (\d+)\s*$/.exec(message);
  const where = at ? ` (at character ${Number(at[1]) + 1})` : '';
  if (/^Unclosed tag/.test(message)) return `A tag opened with {{ is not closed with }}${where}`;
  if (/^Unclosed section|^Unopened section/.test(message)) return `${TAG_PROBLEMS['#']}${where}`;
  return 'The template has malformed tags; use only {{variable}} tags';
}

/**
 * Parses a (normalized) template body into blocks. Throws TemplateSyntaxInvalid (details
 * `{ message }`) for anything but text and `{{name}}` tags, or a control character.
 */
export function parseTemplate(body: string): ParsedTemplate {
  if ([...body].length > MAX_BODY_CHARS) throw syntaxError(`The template body is longer than ${MAX_BODY_CHARS} characters`);
  const control = CONTROL.exec(body);
  if (control) throw syntaxError(`The template body contains a control character (at character ${control.index + 1})`);
  let tokens: unknown[][];
  try {
    // A fresh Writer per parse: the default one caches every template it has seen, forever.
    tokens = new Mustache.Writer().parse(body) as unknown[][];
  } catch (e) {
    throw syntaxError(syntaxProblem(e));
  }

  // Lines of parts, in order; text tokens are split at line feeds.
  const lines: Part[][] = [[]];
  const used: string[] = [];
  for (const token of tokens) {
    const [type, value, start] = token as [string, string, number];
    if (type === 'text') {
      const pieces = value.split('\n');
      pieces.forEach((piece, i) => {
        if (i > 0) lines.push([]);
        if (piece) lines[lines.length - 1]!.push(piece);
      });
    } else if (type === 'name') {
      if (!VARIABLE_NAME.test(value)) {
        throw syntaxError(
          `Variable names use a–z, 0–9 and _, start with a letter and have at most 48 characters (tag at character ${start + 1})`,
        );
      }
      lines[lines.length - 1]!.push({ name: value });
      if (!used.includes(value)) used.push(value);
    } else {
      throw syntaxError(`${TAG_PROBLEMS[type] ?? 'Only {{variable}} tags are allowed'} (at character ${start + 1})`);
    }
  }
  return { blocks: toBlocks(lines), used };
}

function syntaxError(message: string): TemplateSyntaxInvalid {
  return new TemplateSyntaxInvalid(undefined, { message });
}

const MARKERS: [string, ContractBlockType][] = [
  ['## ', 'subheading'],
  ['# ', 'heading'],
  ['- ', 'bullet'],
];

/** Groups lines into blocks by the markup of their literal start (a line starting with a variable is text). */
function toBlocks(lines: Part[][]): TemplateBlock[] {
  const blocks: TemplateBlock[] = [];
  let open: TemplateBlock | null = null;
  for (const raw of lines) {
    const line = trimLine(raw);
    if (line.length === 0) {
      open = null;
      continue;
    }
    const first = line[0];
    const marker = typeof first === 'string' ? MARKERS.find(([prefix]) => first.startsWith(prefix)) : undefined;
    if (marker) {
      const [prefix, type] = marker;
      // Never empty: the line was trimmed, so text or a variable follows the marker.
      const rest = trimLine([(first as string).slice(prefix.length), ...line.slice(1)]);
      const block: TemplateBlock = { type, lines: [rest] };
      blocks.push(block);
      open = type === 'bullet' ? block : null;
    } else if (open) {
      open.lines.push(line);
    } else {
      open = { type: 'paragraph', lines: [line] };
      blocks.push(open);
    }
  }
  return blocks;
}

/** Drops leading and trailing white space of a line's literal text (never of a value). */
function trimLine(parts: Part[]): Part[] {
  const out = [...parts];
  while (typeof out[0] === 'string' && out[0].trimStart() === '') out.shift();
  if (typeof out[0] === 'string') out[0] = out[0].trimStart();
  while (typeof out[out.length - 1] === 'string' && (out[out.length - 1] as string).trimEnd() === '') out.pop();
  const last = out.length - 1;
  if (typeof out[last] === 'string') out[last] = (out[last] as string).trimEnd();
  return out;
}

/** Template save: every variable the body uses must be declared (TemplateVariablesUndeclared lists the others). */
export function assertDeclared(parsed: ParsedTemplate, declared: readonly TemplateVariable[]): void {
  const names = new Set(declared.map((v) => v.name));
  const undeclared = parsed.used.filter((n) => !names.has(n));
  if (undeclared.length > 0) throw new TemplateVariablesUndeclared(undefined, { names: undeclared });
}

/**
 * The values as stored: NFC, line breaks as LF, trimmed. Refuses values for undeclared names
 * (CONTRACT_VARIABLES_UNKNOWN), then values that are too long or contain control characters
 * (CONTRACT_VARIABLE_INVALID); each lists the names, sorted.
 */
export function normalizeValues(declared: readonly TemplateVariable[], values: Record<string, string>): Record<string, string> {
  const names = new Set(declared.map((v) => v.name));
  const unknown = Object.keys(values).filter((n) => !names.has(n));
  if (unknown.length > 0) throw new ContractVariablesUnknown(undefined, { names: unknown.sort() });
  // No prototype: a name such as `constructor` must never find an inherited member.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const invalid: string[] = [];
  for (const [name, raw] of Object.entries(values)) {
    if (typeof raw !== 'string') {
      invalid.push(name);
      continue;
    }
    const value = raw.normalize('NFC').replace(/\r\n?/g, '\n').trim();
    if ([...value].length > MAX_VALUE_CHARS || CONTROL.test(value)) invalid.push(name);
    else if (value) out[name] = value;
  }
  if (invalid.length > 0) throw new ContractVariableInvalid(undefined, { names: invalid.sort() });
  return out;
}

/**
 * The contract's blocks: the template's blocks with every variable replaced by its value, as
 * literal text. Checks the values first (normalizeValues), then that every used variable has a
 * non-blank value (CONTRACT_VARIABLES_MISSING lists the names in order of use).
 */
export function renderTemplate(
  parsed: ParsedTemplate,
  declared: readonly TemplateVariable[],
  values: Record<string, string>,
): { blocks: ContractBlock[]; values: Record<string, string> } {
  const clean = normalizeValues(declared, values);
  const missing = parsed.used.filter((n) => !Object.hasOwn(clean, n) || !clean[n]);
  if (missing.length > 0) throw new ContractVariablesMissing(undefined, { names: missing });
  const blocks = parsed.blocks.map((b) => ({
    type: b.type,
    text: b.lines.map((line) => line.map((p) => (typeof p === 'string' ? p : clean[p.name]!)).join('')).join('\n'),
  }));
  return { blocks, values: clean };
}

/** Parse + render in one step (preview, contract versions); the body is normalized first. */
export function renderBody(
  body: string,
  declared: readonly TemplateVariable[],
  values: Record<string, string>,
): { blocks: ContractBlock[]; values: Record<string, string> } {
  const parsed = parseTemplate(normalizeBody(body));
  assertDeclared(parsed, declared);
  return renderTemplate(parsed, declared, values);
}
