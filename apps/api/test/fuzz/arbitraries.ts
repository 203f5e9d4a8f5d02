import fc from 'fast-check';
import { deref, type OpenApiDocument, type Operation, type Schema } from './openapi-model';

/** Values the callers' fixtures own: ids that exist, so valid cases reach the handlers. */
export interface ValuePool {
  /** Existing ids (users, lawyers, offerings, sessions, keys, blackouts…). */
  uuids: string[];
  /** Dates (YYYY-MM-DD) that have something on them. */
  dates: string[];
}

/** A case: what is sent, before encoding. `kind` says how it was made (printed with a failure). */
export interface FuzzCase {
  kind: string;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  /** `undefined`: no body. `raw`: sent as these exact bytes with `contentType`. */
  body?: { json: unknown } | { raw: string; contentType: string };
}

const DAY = 86_400_000;

/** Instants around now, on the 15-minute grid most of the time (slots start there). */
const instant = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: -2 * DAY, max: 90 * DAY }), fc.boolean())
    .map(([offset, grid]) => {
      const t = Date.now() + offset;
      return new Date(grid ? Math.ceil(t / 900_000) * 900_000 : t).toISOString().replace(/\.000Z$/, 'Z');
    });

const isoDate = (pool: ValuePool): fc.Arbitrary<string> =>
  fc.oneof(
    ...(pool.dates.length > 0 ? [fc.constantFrom(...pool.dates)] : []),
    fc.integer({ min: -2, max: 120 }).map((d) => new Date(Date.now() + d * DAY).toISOString().slice(0, 10)),
  );

/** Hostile values for any slot (path, query, body field): the shapes that break parsers and databases. */
export const HOSTILE_SCALARS: unknown[] = [
  null,
  '',
  ' ',
  0,
  -1,
  -0,
  1.5,
  1e20,
  -1e20,
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 31,
  2 ** 63,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e20',
  '1e308',
  '-0',
  '0x10',
  '1_000',
  '9'.repeat(40),
  true,
  'true',
  'null',
  'undefined',
  '\uD800',
  'a\uDFFFb',
  '\u0000',
  'nul\u0000byte',
  '\u202Eevil',
  '\uFEFF',
  'e\u0301\u0301\u0301\u0301',
  '😀👩‍👩‍👧‍👦',
  'Ω≈ç√∫',
  '%00',
  '%E0%A4%A',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'x'.repeat(300),
  'y'.repeat(5_000),
  'z'.repeat(70_000),
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59-14:00',
  '+275760-09-13T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '2026-02-30T10:00:00Z',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31',
  '2026-02-29',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  [],
  [1, 2],
  ['a'],
  {},
  { a: 1 },
  { __proto__: { admin: true } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
];

const hostile = (): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...HOSTILE_SCALARS) }, { weight: 1, arbitrary: fc.anything() });

/** Valid values for a schema (as far as the schema says; the handlers may still refuse them). */
export function valueFor(document: OpenApiDocument, raw: Schema | undefined, pool: ValuePool, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = deref(document, raw);
  const base = baseValue(document, schema, pool, name, depth);
  return schema.nullable ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) }) : base;
}

function baseValue(document: OpenApiDocument, schema: Schema, pool: ValuePool, name: string, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const examples = schema.example !== undefined ? [schema.example] : [];
  const withExamples = (arb: fc.Arbitrary<unknown>) =>
    examples.length > 0 ? fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...examples) }, { weight: 3, arbitrary: arb }) : arb;
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  switch (type) {
    case 'string':
      return withExamples(stringValue(schema, pool, name));
    case 'integer': {
      const min = schema.minimum ?? (schema.maximum !== undefined ? schema.maximum - 1000 : -10);
      const max = schema.maximum ?? min + 1000;
      return withExamples(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }));
    }
    case 'number': {
      const min = schema.minimum ?? -1e6;
      const max = schema.maximum ?? 1e6;
      return withExamples(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      if (depth > 6) return fc.constant([]);
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      return withExamples(fc.array(valueFor(document, schema.items, pool, name, depth + 1), { minLength, maxLength }));
    }
    case 'object': {
      if (depth > 6) return fc.constant({});
      const props = schema.properties ?? {};
      const required = schema.required ?? [];
      const record = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, valueFor(document, s, pool, k, depth + 1)]));
      return fc.record(record, { requiredKeys: required.filter((k) => k in props) });
    }
    default:
      return fc.oneof(fc.string(), fc.integer(), fc.boolean());
  }
}

function stringValue(schema: Schema, pool: ValuePool, name: string): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return pool.uuids.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool.uuids) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid();
    case 'date-time':
      return instant();
    case 'date':
      return isoDate(pool);
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
    case 'binary':
    case 'base64':
      return fc.base64String({ maxLength: 64 });
  }
  if (/(^|[a-z])Id$|^id$/.test(name) && pool.uuids.length > 0) return fc.oneof(fc.constantFrom(...pool.uuids), fc.uuid());
  if (name === 'date') return isoDate(pool);
  if (/^(from|to|startAt|endAt)$/.test(name)) return instant();
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 200));
  if (schema.pattern) {
    // Only the schema's own limits apply to a pattern (a default cap could exclude every match).
    const pattern = new RegExp(schema.pattern);
    const within = (s: string) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity);
    const edges = schema.maxLength !== undefined ? ['x'.repeat(schema.maxLength)].filter((e) => pattern.test(e)) : [];
    const matching = edges.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.stringMatching(pattern).filter(within) }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : fc.stringMatching(pattern).filter(within);
    return examples(schema).filter((e): e is string => typeof e === 'string' && pattern.test(e) && within(e)).length > 0
      ? fc.oneof(fc.constantFrom(...(examples(schema) as string[]).filter((e) => pattern.test(e) && within(e))), matching)
      : matching;
  }
  const base = fc.string({ minLength, maxLength, unit: 'grapheme' }).map((s) => (minLength > 0 && !/\S/.test(s) ? `${s}x`.slice(-Math.max(minLength, 1)) : s));
  // Boundaries: exactly the longest allowed, one more, and (without a declared limit) a long one.
  const edges = schema.maxLength !== undefined ? ['x'.repeat(schema.maxLength), 'x'.repeat(schema.maxLength + 1)] : ['x'.repeat(2_000)];
  if (minLength > 0) edges.push('x'.repeat(minLength - 1));
  return fc.oneof({ weight: 5, arbitrary: base }, { weight: 2, arbitrary: fc.constantFrom(...edges) });
}

const examples = (schema: Schema): unknown[] => (schema.example !== undefined ? [schema.example] : []);

/** A JSON text nested `levels` deep (the probe's 4 KB body was ~2,000 levels). */
export function deeplyNested(levels: number, open: '[' | '{"a":' = '['): string {
  const close = open === '[' ? ']' : '}';
  return open.repeat(levels) + '1' + close.repeat(levels);
}

const RAW_BODIES: { raw: string; contentType: string }[] = [
  { raw: deeplyNested(2_000), contentType: 'application/json' },
  { raw: deeplyNested(2_000, '{"a":'), contentType: 'application/json' },
  { raw: deeplyNested(60), contentType: 'application/json' },
  { raw: `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`, contentType: 'application/json' },
  { raw: `[${'0,'.repeat(200_000)}0]`, contentType: 'application/json' },
  { raw: '{"a":', contentType: 'application/json' },
  { raw: '', contentType: 'application/json' },
  { raw: 'null', contentType: 'application/json' },
  { raw: '[]', contentType: 'application/json' },
  { raw: '"just a string"', contentType: 'application/json' },
  { raw: '12345', contentType: 'application/json' },
  { raw: '1e308', contentType: 'application/json' },
  { raw: '{"__proto__":{"isAdmin":true}}', contentType: 'application/json' },
  { raw: '{"constructor":{"prototype":{"isAdmin":true}}}', contentType: 'application/json' },
  { raw: '{"a":1,"a":2}', contentType: 'application/json' },
  { raw: '\uFEFF{}', contentType: 'application/json' },
  { raw: '{"s":"\\ud800"}', contentType: 'application/json' },
  { raw: 'email=a%40b.c&password=x', contentType: 'application/x-www-form-urlencoded' },
  { raw: 'hello', contentType: 'text/plain' },
  { raw: '<a/>', contentType: 'application/xml' },
  { raw: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n', contentType: 'multipart/form-data; boundary=b' },
  { raw: '{}', contentType: 'application/json; charset=utf-16' },
  { raw: '{}', contentType: 'application/json;;;' },
  { raw: '{}', contentType: '' },
];

/**
 * Every case for one operation: valid values from its schemas, the same with one slot made
 * hostile, extra and prototype keys, and hostile raw bodies (deep nesting, wrong content types).
 */
export function caseFor(document: OpenApiDocument, op: Operation, pool: ValuePool): fc.Arbitrary<FuzzCase> {
  const paramsIn = (where: 'path' | 'query' | 'header') => op.parameters.filter((p) => p.in === where);
  const paramRecord = (where: 'path' | 'query' | 'header') =>
    fc.record(Object.fromEntries(paramsIn(where).map((p) => [p.name, valueFor(document, p.schema, pool, p.name)])), {
      requiredKeys: paramsIn(where).filter((p) => p.required).map((p) => p.name),
    });
  const jsonSchema = op.body.contentTypes['application/json'];
  const hasJsonBody = jsonSchema !== undefined;
  const bodyArb: fc.Arbitrary<FuzzCase['body']> = hasJsonBody
    ? valueFor(document, jsonSchema, pool, 'body').map((json) => ({ json }))
    : Object.keys(op.body.contentTypes).length > 0
      ? fc.constantFrom(...Object.keys(op.body.contentTypes)).chain((contentType) =>
          fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ raw: Buffer.from(bytes).toString('latin1'), contentType })),
        )
      : fc.constant(undefined);
  const sendsBody = ['POST', 'PUT', 'PATCH'].includes(op.method);

  const valid: fc.Arbitrary<FuzzCase> = fc
    .record({ path: paramRecord('path'), query: paramRecord('query'), header: paramRecord('header'), body: bodyArb })
    .map(({ path, query, header, body }) => ({
      kind: 'valid',
      path,
      query,
      headers: Object.fromEntries(Object.entries(header).map(([k, v]) => [k, String(v)])),
      body: body ?? (sendsBody ? { json: {} } : undefined),
    }));

  // One slot (a path or query parameter, or a body field) replaced by a hostile value.
  const slots: string[] = [
    ...paramsIn('path').map((p) => `path:${p.name}`),
    ...paramsIn('query').map((p) => `query:${p.name}`),
    ...(hasJsonBody ? Object.keys(deref(document, jsonSchema).properties ?? {}).map((k) => `body:${k}`) : []),
    ...(hasJsonBody ? ['body:*'] : []),
  ];
  const mutated: fc.Arbitrary<FuzzCase> =
    slots.length === 0
      ? valid
      : fc.tuple(valid, fc.constantFrom(...slots), hostile()).map(([c, slot, value]) => {
          const [where, name] = slot.split(':') as ['path' | 'query' | 'body', string];
          const next: FuzzCase = { ...c, kind: `hostile ${slot}`, path: { ...c.path }, query: { ...c.query } };
          if (where === 'path') next.path[name] = value;
          else if (where === 'query') next.query[name] = value;
          else if (name === '*') next.body = { json: value };
          else {
            const json = c.body && 'json' in c.body && isPlainObject(c.body.json) ? { ...c.body.json } : {};
            json[name] = value;
            next.body = { json };
          }
          return next;
        });

  const extra: fc.Arbitrary<FuzzCase> = fc
    .tuple(valid, fc.constantFrom('isAdmin', 'role', 'id', 'userId', 'status', '__proto__', 'constructor', 'prototype', 'page'), hostile())
    .map(([c, key, value]) => {
      const next: FuzzCase = { ...c, kind: `extra field ${key}`, query: { ...c.query } };
      if (sendsBody) {
        const base = c.body && 'json' in c.body && isPlainObject(c.body.json) ? c.body.json : {};
        // Built as text: an object literal would turn "__proto__" into a prototype, not a key.
        const text = JSON.stringify(base).replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}${Object.keys(base).length ? ',' : ''}`);
        next.body = { raw: text, contentType: 'application/json' };
      } else {
        next.query[key] = value;
      }
      return next;
    });

  const duplicatedQuery: fc.Arbitrary<FuzzCase> =
    paramsIn('query').length === 0
      ? valid
      : fc.tuple(valid, fc.constantFrom(...paramsIn('query').map((p) => p.name))).map(([c, name]) => ({
          ...c,
          kind: `repeated query ${name}`,
          query: { ...c.query, [name]: [c.query[name] ?? '1', '2'] },
        }));

  const rawBody: fc.Arbitrary<FuzzCase> = sendsBody
    ? fc.tuple(valid, fc.constantFrom(...RAW_BODIES)).map(([c, body]) => ({ ...c, kind: `raw body ${describeRaw(body)}`, body }))
    : fc.tuple(valid, fc.constantFrom(...RAW_BODIES.slice(0, 3))).map(([c, body]) => ({ ...c, kind: `unexpected body ${describeRaw(body)}`, body }));

  // The document's own example request, with one field at the edge of what its schema allows
  // (the longest string, the smallest and largest number): valid, and likely to reach the handler.
  const bodyProps = hasJsonBody ? Object.entries(deref(document, jsonSchema).properties ?? {}) : [];
  const edgeSlots = bodyProps.flatMap(([name, raw]) => edgeValues(deref(document, raw)).map((value) => ({ name, value })));
  const boundary: fc.Arbitrary<FuzzCase> =
    edgeSlots.length === 0
      ? valid
      : fc.tuple(valid, fc.constantFrom(...edgeSlots)).map(([c, { name, value }]) => ({
          ...c,
          kind: `boundary body:${name}`,
          body: { json: { ...(exampleOf(document, jsonSchema, pool) as Record<string, unknown>), [name]: value } },
        }));

  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 2, arbitrary: boundary },
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: extra },
    { weight: 1, arbitrary: duplicatedQuery },
    { weight: 2, arbitrary: rawBody },
  );
}

function describeRaw(body: { raw: string; contentType: string }): string {
  const head = body.raw.length > 24 ? `${body.raw.slice(0, 24)}… (${body.raw.length} chars)` : body.raw;
  return `${JSON.stringify(head)} as ${JSON.stringify(body.contentType)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Values at the limits a schema states: the longest allowed string, the extreme numbers. */
function edgeValues(schema: Schema): unknown[] {
  if (schema.enum || schema.format) return [];
  if (schema.type === 'string' && schema.maxLength !== undefined) {
    const longest = 'x'.repeat(schema.maxLength);
    return !schema.pattern || new RegExp(schema.pattern).test(longest) ? [longest] : [];
  }
  if (schema.type === 'integer' || schema.type === 'number') return [schema.minimum, schema.maximum].filter((v) => v !== undefined);
  return [];
}

/**
 * A value built from the schema's examples (and, without one, the first enum member, a pool id,
 * a near instant, a short string...): the document's own idea of a valid request.
 */
export function exampleOf(document: OpenApiDocument, raw: Schema | undefined, pool: ValuePool, depth = 0): unknown {
  const schema = deref(document, raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (depth > 6) return null;
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([k, s]) => (schema.required ?? []).includes(k) || deref(document, s).example !== undefined)
          .map(([k, s]) => [k, exampleOf(document, s, pool, depth + 1)]),
      );
    case 'array':
      return Array.from({ length: schema.minItems ?? 1 }, () => exampleOf(document, schema.items, pool, depth + 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return pool.uuids[0] ?? '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
      if (schema.format === 'date') return pool.dates[0] ?? new Date().toISOString().slice(0, 10);
      if (schema.format === 'email') return 'fuzz@example.com';
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    default:
      return null;
  }
}
