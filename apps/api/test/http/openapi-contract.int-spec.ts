import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
// Loads every module (and so every error class) the way the document generator does.
import '../../src/app.module';
import { allErrorCodes } from '../../src/common/http/error-body';
import { DOCUMENTED_WEBHOOK_EVENT_TYPES } from '../../src/common/http/webhook-event.schemas';
import { API_SCOPES } from '@lm/domain';

/**
 * Issue 17: the committed OpenAPI document (apps/api/openapi.json, kept equal to the code by
 * `npm run openapi:check`) is a contract SDK generators can rely on.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc: Json = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
const schemas: Json = doc.components.schemas;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const operations = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ id: `${method.toUpperCase()} ${path}`, op: item[method] as Json })),
);
const deref = (s: Json): Json => (s?.$ref ? schemas[s.$ref.split('/').pop()] : s);
const refName = (s: Json): string | undefined => s?.$ref?.split('/').pop();

/** Leaf properties (through $refs, allOf, arrays) without an example, by path. */
function withoutExamples(schema: Json, at: string, seen = new Set<string>()): string[] {
  const name = refName(schema);
  if (name && seen.has(name)) return [];
  const next = name ? new Set(seen).add(name) : seen;
  const s = deref(schema);
  if (!s) return [`${at} (unresolved)`];
  if (s.example !== undefined || s.enum) return [];
  if (s.allOf || s.oneOf || s.anyOf)
    return (s.allOf ?? s.oneOf ?? s.anyOf).flatMap((part: Json) => withoutExamples(part, at, next));
  if (s.type === 'array') return withoutExamples(s.items, `${at}[]`, next);
  if (s.properties)
    return Object.entries<Json>(s.properties).flatMap(([key, prop]) => withoutExamples(prop, `${name ?? at}.${key}`, next));
  return [at];
}

/** The properties of a schema, through allOf. */
function propertiesOf(schema: Json): Json {
  const s = deref(schema);
  return Object.assign({}, ...(s.allOf ?? []).map(propertiesOf), s.properties ?? {});
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('OpenAPI contract (apps/api/openapi.json)', () => {
  it('has 170+ operations to check (the document is the whole API)', () => {
    expect(operations.length).toBeGreaterThan(150);
  });

  describe('errors', () => {
    it('every 4xx/5xx response of every operation is the shared ErrorResponse, as JSON', () => {
      const wrong = operations.flatMap(({ id, op }) =>
        Object.entries<Json>(op.responses)
          .filter(([status]) => Number(status) >= 400)
          .filter(([, response]) => {
            const types = Object.keys(response.content ?? {});
            return types.length !== 1 || refName(response.content['application/json']?.schema) !== 'ErrorResponse';
          })
          .map(([status]) => `${id} ${status}`),
      );
      expect(wrong).toEqual([]);
    });

    it('ErrorResponse matches the body the error filter sends', () => {
      const error = schemas.ErrorResponse;
      expect(error.required.sort()).toEqual(['code', 'message', 'requestId', 'statusCode']);
      expect(Object.keys(error.properties).sort()).toEqual(['code', 'details', 'fields', 'message', 'requestId', 'statusCode']);
    });

    it('ErrorResponse.code lists every stable code: each domainError declared in the source, and the filter’s own', () => {
      const codeEnum: string[] = schemas.ErrorResponse.properties.code.enum;
      expect(codeEnum).toEqual(allErrorCodes());
      // Independently of the runtime registry: every `domainError('CODE', …)` in the source.
      const declared = new Set<string>();
      for (const file of sourceFiles(join(__dirname, '..', '..', 'src'))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/domainError\(\s*'([A-Z0-9_]+)'/g)) declared.add(match[1]!);
      }
      expect(declared.size).toBeGreaterThan(100);
      expect([...declared].filter((code) => !codeEnum.includes(code))).toEqual([]);
      for (const code of [
        'VALIDATION_FAILED',
        'ROUTE_NOT_FOUND',
        'MALFORMED_JSON',
        'RATE_LIMITED',
        'INTERNAL_ERROR',
        'UNSUPPORTED_MEDIA_TYPE',
      ]) {
        expect(codeEnum).toContain(code);
      }
    });
  });

  describe('paging', () => {
    const listOps = operations.filter(({ op }) => {
      const ok = op.responses['200']?.content?.['application/json']?.schema;
      if (!ok || deref(ok).type === 'array') return false;
      const props = propertiesOf(ok);
      // A page of a longer list: items and where they stand (complete lists have items only).
      return props.items?.type === 'array' && ['total', 'page', 'pageSize', 'nextCursor'].some((key) => key in props);
    });

    it('every response with an `items` list is one shared page shape: allOf PageMeta or CursorPageMeta', () => {
      expect(listOps.length).toBeGreaterThan(20);
      const other = listOps.filter(({ op }) => {
        const page = deref(op.responses['200'].content['application/json'].schema);
        const meta = refName(page.allOf?.[0]);
        return !(meta === 'PageMeta' || meta === 'CursorPageMeta');
      });
      expect(other.map((o) => o.id)).toEqual([]);
    });

    it('?page=&pageSize= operations answer PageMeta pages; cursor operations CursorPageMeta pages', () => {
      for (const { id, op } of operations) {
        const params: string[] = (op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
        const schema = op.responses['200']?.content?.['application/json']?.schema;
        const meta = schema && refName(deref(schema).allOf?.[0]);
        const paged = params.includes('page') && params.includes('pageSize');
        if (paged) expect({ id, meta }).toEqual({ id, meta: 'PageMeta' });
        // Both (the directory: page numbers near the top, a cursor at any depth): PageMeta plus CursorPageMeta's nextCursor.
        if (paged && params.includes('cursor'))
          expect({ id, nextCursor: deref(schema).allOf?.[1]?.properties?.nextCursor }).toMatchObject({
            id,
            nextCursor: { type: 'string', nullable: true },
          });
        else if (params.includes('cursor') || (params.includes('before') && params.includes('limit')))
          expect({ id, meta }).toEqual({ id, meta: 'CursorPageMeta' });
      }
      expect(schemas.PageMeta.required).toEqual(['total', 'page', 'pageSize']);
      expect(schemas.CursorPageMeta.properties.nextCursor).toMatchObject({ type: 'string', nullable: true });
    });
  });

  describe('examples', () => {
    it('every JSON request body and every 2xx JSON response has an example for each property', () => {
      const missing = operations.flatMap(({ id, op }) => {
        const bodies: [string, Json | undefined][] = [['request', op.requestBody?.content?.['application/json']]];
        for (const [status, response] of Object.entries<Json>(op.responses)) {
          if (status.startsWith('2')) bodies.push([status, response.content?.['application/json']]);
        }
        return bodies
          .filter(([, media]) => media && media.example === undefined && media.examples === undefined)
          .flatMap(([where, media]) => withoutExamples(media!.schema, '').map((leaf) => `${id} ${where}: ${leaf}`));
      });
      expect(missing).toEqual([]);
    });

    it('examples are plausible: ids are UUIDs, times ISO-8601, amounts integers', () => {
      for (const [name, schema] of Object.entries<Json>(schemas)) {
        for (const [key, prop] of Object.entries<Json>(schema.properties ?? {})) {
          if (prop.example === undefined || prop.example === null) continue;
          if (prop.format === 'uuid')
            expect({
              at: `${name}.${key}`,
              ok: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(prop.example),
            }).toEqual({ at: `${name}.${key}`, ok: true });
          if (prop.format === 'date-time')
            expect({ at: `${name}.${key}`, ok: !Number.isNaN(Date.parse(prop.example)) }).toEqual({
              at: `${name}.${key}`,
              ok: true,
            });
          if (/Minor$/.test(key))
            expect({ at: `${name}.${key}`, ok: Number.isInteger(prop.example) }).toEqual({ at: `${name}.${key}`, ok: true });
        }
      }
    });
  });

  it('securitySchemes: the bearer session token and the API key', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'lmk_…' });
    expect(doc.components.securitySchemes.apiKey.description).toMatch(/scope/);
    for (const scope of API_SCOPES) expect(doc.components.securitySchemes.apiKey.description).toContain(`\`${scope}\``);
  });

  it('an operation an API key may call names `apiKey` (with no scopes in it: OpenAPI 3.0 keeps those for OAuth2) and lists them in x-scopes', () => {
    const keyed = operations.filter(({ op }) => (op.security ?? []).some((r: Json) => 'apiKey' in r));
    expect(keyed.length).toBeGreaterThan(100);
    for (const { id, op } of operations) {
      const requirement = (op.security ?? []).find((r: Json) => 'apiKey' in r);
      const scopes = op['x-scopes'] as string[] | undefined;
      expect({ id, apiKey: requirement?.apiKey ?? null, scoped: !!scopes?.length }).toEqual({
        id,
        apiKey: scopes ? [] : null,
        scoped: !!scopes,
      });
      for (const scope of scopes ?? []) expect(API_SCOPES).toContain(scope);
    }
  });

  describe('webhooks', () => {
    it('documents every event type: the envelope, one schema per type (discriminated on `type`) and x-webhooks', () => {
      expect(schemas.WebhookEventType.enum).toEqual([...DOCUMENTED_WEBHOOK_EVENT_TYPES]);
      expect(schemas.WebhookEvent.required).toEqual(['id', 'type', 'created', 'data']);
      const mapping: Record<string, string> = schemas.WebhookEvent.discriminator.mapping;
      expect(Object.keys(mapping)).toEqual([...DOCUMENTED_WEBHOOK_EVENT_TYPES]);
      for (const type of DOCUMENTED_WEBHOOK_EVENT_TYPES) {
        const event = deref({ $ref: mapping[type] });
        expect(refName(event.allOf[0])).toBe('WebhookEvent');
        expect(event.allOf[1].properties.type.enum).toEqual([type]);
        expect(refName(doc['x-webhooks'][type].post.requestBody.content['application/json'].schema)).toBe(
          refName({ $ref: mapping[type] }),
        );
      }
    });

    it('session events carry the session as the recipient sees it (the counterpart by display name only)', () => {
      const data = deref(schemas.SessionScheduledWebhookEvent.allOf[1].properties.data);
      expect(Object.keys(data.properties)).toEqual(['session']);
      const session = deref(data.properties.session);
      expect(Object.keys(session.properties).sort()).toEqual(
        [
          'cancelledAt',
          'completedAt',
          'counterpart',
          'durationMinutes',
          'endAt',
          'id',
          'offering',
          'paidAt',
          'price',
          'role',
          'startAt',
          'status',
        ].sort(),
      );
      expect(Object.keys(deref(session.properties.counterpart).properties)).toEqual(['displayName']);
    });
  });
});
