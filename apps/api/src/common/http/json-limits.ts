import { domainError } from '../errors/domain-error';

/**
 * Limits on the structure of a request body, checked on the raw bytes before anything parses
 * or walks it. Our DTOs nest four levels at most and Stripe's events about ten; nothing we
 * accept has thousands of members. Without these, a 4 KB body nested 2,000 levels overflowed
 * the stack of the recursive prototype-key stripping that runs before validation (a 500 on
 * every JSON route), and 1 MB of nesting kept the event loop busy for seconds per request.
 */
export const BODY_LIMITS = {
  /** Objects and arrays inside one another. */
  maxDepth: 32,
  /** Object members plus array elements, over the whole body. */
  maxMembers: 10_000,
} as const;

export class JsonTooDeep extends domainError('JSON_TOO_DEEP', 400, `The JSON body nests objects or arrays more than ${BODY_LIMITS.maxDepth} levels deep`) {}
export class JsonTooManyMembers extends domainError('JSON_TOO_MANY_MEMBERS', 400, `The request body has more than ${BODY_LIMITS.maxMembers} fields or elements`) {}

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const COMMA = 0x2c; // ,

/**
 * One linear pass over a JSON text (no recursion, no allocation): throws JsonTooDeep or
 * JsonTooManyMembers as soon as a limit is passed, so an abusive body costs at most the bytes
 * read up to that point. Syntax is left to the parser that runs afterwards.
 */
export function assertJsonWithinLimits(body: Buffer | string, limits: { maxDepth: number; maxMembers: number } = BODY_LIMITS): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limits.maxDepth) throw new JsonTooDeep();
      if (++members > limits.maxMembers) throw new JsonTooManyMembers();
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    else if (c === COMMA && ++members > limits.maxMembers) throw new JsonTooManyMembers();
  }
}

/** The same member limit for `application/x-www-form-urlencoded` bodies (one member per `&`). */
export function assertFormWithinLimits(body: Buffer | string, limits: { maxMembers: number } = BODY_LIMITS): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let members = 1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x26 && ++members > limits.maxMembers) throw new JsonTooManyMembers();
  }
}

/**
 * NUL, which PostgreSQL text cannot hold (it failed the insert: a 500), or a lone surrogate
 * (with the u flag a surrogate pair is one code point, so only unpaired halves match).
 */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE_CHARACTER = /[\u0000\uD800-\uDFFF]/u;

export class MalformedText extends domainError('MALFORMED_TEXT', 400, 'The request contains text that cannot be stored (a NUL character or a lone surrogate)') {}

/**
 * Refuses strings with NUL characters or lone UTF-16 surrogates anywhere in a parsed body, query
 * or path (JSON can spell them as `\u0000`, `\ud800`): no client has a reason to send them,
 * PostgreSQL cannot store them, and library code chokes on them (validator's isEmail throws a URIError, a 500). Walks
 * with an explicit stack, so depth costs no call stack; the body limits bound its work.
 */
export function assertWellFormedText(value: unknown): void {
  const stack: unknown[] = [value];
  let visited = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (UNSTORABLE_CHARACTER.test(v)) throw new MalformedText();
    } else if (v !== null && typeof v === 'object') {
      if (++visited > 4 * BODY_LIMITS.maxMembers) return; // only reachable for non-JSON objects; JSON is bounded above
      for (const [k, item] of Object.entries(v)) {
        if (UNSTORABLE_CHARACTER.test(k)) throw new MalformedText();
        stack.push(item);
      }
    }
  }
}
