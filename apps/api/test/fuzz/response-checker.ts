import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, Operation, Schema } from './openapi-model';

/** What came back for one request. */
export interface Observed {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  durationMs: number;
}

/** String values a case submitted (any depth; not the field names, which errors may name), to check that no error echoes them. */
export function submittedStrings(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 50) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) submittedStrings(v, out, depth + 1);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) submittedStrings(v, out, depth + 1);
  return out;
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

/**
 * The rules every response must follow, whatever was sent:
 * - never a 5xx;
 * - a status the document declares for the operation;
 * - a JSON body that validates against the declared schema of that status (ajv);
 * - errors: exactly `{ statusCode, code, message, requestId[, fields] }`, statusCode = status,
 *   requestId = the x-request-id header, and no submitted value echoed back;
 * - slower than `slowMs`: flagged (a finding, not a failure unless `strictTime`).
 */
export class ResponseChecker {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  /** Text of the document: values that appear in it (enum members, examples, field names) are not "echoes". */
  private readonly vocabulary: string;
  private readonly components: Record<string, Schema>;

  constructor(
    document: OpenApiDocument,
    private readonly opts: { slowMs: number; strictTime: boolean } = { slowMs: 2_000, strictTime: false },
  ) {
    this.components = document.components?.schemas ?? {};
    this.ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('currency', /^[A-Z]{3}$/);
    // Response bodies are checked as closed objects: a field the document does not declare is a
    // finding (an accidental leak, like a password hash, or a document that fell behind the code).
    this.ajv.addSchema({ $id: 'openapi', components: { schemas: toJsonSchemas(this.components, { closed: true, components: this.components }) } });
    this.vocabulary = JSON.stringify(document);
  }

  /** Problems with one response; empty when it follows every rule. `slow` is reported separately. */
  check(op: Operation, observed: Observed, submitted: string[]): { violations: string[]; slow: boolean } {
    const violations: string[] = [];
    const { status } = observed;
    const slow = observed.durationMs > this.opts.slowMs;
    if (slow && this.opts.strictTime) violations.push(`took ${Math.round(observed.durationMs)} ms (bound ${this.opts.slowMs} ms)`);
    if (status >= 500) violations.push(`server error ${status}: ${observed.body.slice(0, 300)}`);
    const declared = op.responses[String(status)];
    if (!declared) {
      violations.push(`status ${status} is not declared (declared: ${Object.keys(op.responses).join(', ')}): ${observed.body.slice(0, 200)}`);
      return { violations, slow };
    }
    const contentType = String(observed.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const isJson = contentType === 'application/json';
    const declaredTypes = Object.keys(declared);
    if (status !== 204 && declaredTypes.length > 0 && contentType && !declaredTypes.includes(contentType)) {
      violations.push(`content type ${contentType} is not declared for ${status} (declared: ${declaredTypes.join(', ')})`);
    }
    if (status === 204 && observed.body.length > 0) violations.push('204 with a body');
    if (declaredTypes.length === 0 && status !== 204 && status < 300 && observed.body.length > 0) {
      violations.push(`${status} has a body but the document declares none`);
    }
    let body: unknown;
    if (isJson) {
      try {
        body = JSON.parse(observed.body);
      } catch {
        violations.push(`invalid JSON body: ${observed.body.slice(0, 200)}`);
        return { violations, slow };
      }
      const schema = declared['application/json'];
      if (schema) {
        const validate = this.validator(op, String(status), schema);
        if (!validate(body)) {
          violations.push(
            `body does not match the declared ${status} schema: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}; body ${observed.body.slice(0, 300)}`,
          );
        }
      }
    }
    if (status >= 400) violations.push(...this.checkError(observed, body, isJson, submitted));
    return { violations, slow };
  }

  private checkError(observed: Observed, body: unknown, isJson: boolean, submitted: string[]): string[] {
    const problems: string[] = [];
    if (!isJson || typeof body !== 'object' || body === null) return [`error ${observed.status} without the JSON error body`];
    const b = body as Record<string, unknown>;
    const keys = Object.keys(b).sort().join(',');
    // `fields` (validation) and `details` (a DomainError's facts, e.g. PAYOUT_EXCEEDS_OWED's owedMinor) are the optional members.
    if (!['code,message,requestId,statusCode', 'code,fields,message,requestId,statusCode', 'code,details,message,requestId,statusCode'].includes(keys))
      problems.push(`error body keys ${keys}`);
    if ('details' in b && (typeof b.details !== 'object' || b.details === null || Array.isArray(b.details))) problems.push('error details is not an object');
    if (b.statusCode !== observed.status) problems.push(`error statusCode ${String(b.statusCode)} ≠ status ${observed.status}`);
    if (typeof b.code !== 'string' || !ERROR_CODE.test(b.code)) problems.push(`error code ${String(b.code)} is not UPPER_SNAKE`);
    if (typeof b.message !== 'string' || b.message.length === 0) problems.push('error message missing');
    if (b.requestId !== observed.headers['x-request-id']) problems.push('error requestId ≠ x-request-id header');
    if (typeof b.code === 'string' && /INTERNAL/.test(b.code)) problems.push(`internal error code ${b.code}`);
    const text = observed.body;
    for (const value of submitted) {
      if (value.length >= 6 && text.includes(JSON.stringify(value).slice(1, -1)) && !this.vocabulary.includes(value)) {
        problems.push(`error body echoes a submitted value (${JSON.stringify(value.slice(0, 40))})`);
        break;
      }
    }
    if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(text)) problems.push('error body contains a stack trace or file path');
    return problems;
  }

  private validator(op: Operation, status: string, schema: Schema): ValidateFunction {
    const key = `${op.key} ${status}`;
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(toJsonSchema(schema, { closed: true, components: this.components }) as object);
      this.validators.set(key, v);
    }
    return v;
  }
}

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable`, refs into the registered components;
 * `closed`: objects with declared properties and no `additionalProperties` allow no others. A
 * closed composition (`allOf: [PageMeta, { items }]`) is merged into one object first (given the
 * `components` its parts refer to): closing each part would forbid the other parts' properties.
 */
export function toJsonSchema(schema: unknown, opts: { closed?: boolean; components?: Record<string, Schema> } = { closed: true }): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, opts));
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  if (opts.closed && opts.components && Array.isArray(s.allOf) && s.allOf.length > 1) return toJsonSchema(mergeAllOf(s, opts.components), opts);
  if (typeof s.$ref === 'string') return { $ref: `openapi${s.$ref}` };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'nullable' || k === 'example' || k === 'examples' || k === 'description' || k === 'xml' || k === 'externalDocs') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v).map(([p, ps]) => [p, toJsonSchema(ps, opts)]));
    } else {
      out[k] = toJsonSchema(v, opts);
    }
  }
  if (opts.closed && out.properties && out.additionalProperties === undefined && !out.allOf) out.additionalProperties = false;
  if (s.nullable === true) {
    // A nullable reference (`allOf: [$ref]`): null, or whatever the reference allows.
    if (out.allOf || out.$ref || out.oneOf || out.anyOf) return { anyOf: [{ type: 'null' }, out] };
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}

/** `allOf` of object schemas as one object schema: the parts' properties and required, merged. */
function mergeAllOf(schema: Record<string, unknown>, components: Record<string, Schema>): Record<string, unknown> {
  const { allOf, ...rest } = schema as { allOf: Record<string, unknown>[] } & Record<string, unknown>;
  const merged: Record<string, unknown> = { ...rest, type: 'object', properties: { ...(rest.properties as object) }, required: [...((rest.required as string[]) ?? [])] };
  for (const part of allOf) {
    const resolved = (typeof part.$ref === 'string' ? components[part.$ref.split('/').pop()!] : part) as Record<string, unknown>;
    const flat = Array.isArray(resolved.allOf) ? mergeAllOf(resolved, components) : resolved;
    Object.assign(merged.properties as object, flat.properties ?? {});
    (merged.required as string[]).push(...((flat.required as string[]) ?? []));
  }
  merged.required = [...new Set(merged.required as string[])];
  return merged;
}

function toJsonSchemas(schemas: Record<string, Schema>, opts: { closed?: boolean; components?: Record<string, Schema> }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, toJsonSchema(s, opts)]));
}
