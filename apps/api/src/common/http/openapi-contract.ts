import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { createHash } from 'node:crypto';
import { allErrorCodes } from './error-body';
import { DOCUMENTED_WEBHOOK_EVENT_TYPES, WEBHOOK_EVENT_DATA } from './webhook-event.schemas';
import { API_SCOPES } from '@lm/domain';

/**
 * The SDK-facing rules of the OpenAPI document, applied after @nestjs/swagger built it (see
 * createOpenApiDocument). Each step is a rule a client generator can rely on; the tests in
 * apps/api/test/http/openapi-contract.int-spec.ts check them on the committed document.
 */

type Schema = SchemaObject | ReferenceObject;
const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const isRef = (s: Schema | undefined): s is ReferenceObject => !!s && '$ref' in s;

/** The shared meta schemas of paged lists. */
export const PAGE_META = 'PageMeta';
export const CURSOR_PAGE_META = 'CursorPageMeta';
const OFFSET_FIELDS = ['total', 'page', 'pageSize'] as const;
const CURSOR_FIELDS = ['nextCursor'] as const;

/** ErrorResponse.code lists every stable code the app can answer with (see allErrorCodes). */
export function withErrorCodeEnum(document: OpenAPIObject): OpenAPIObject {
  const schema = document.components!.schemas!.ErrorResponse as SchemaObject;
  const code = schema.properties!.code as SchemaObject;
  code.enum = allErrorCodes();
  code.description =
    'Stable machine-readable code; switch on this, not on the message. New codes may be added: treat an unknown one by its status.';
  return document;
}

/**
 * Every paged list response is `allOf: [PageMeta | CursorPageMeta, { items, …extras }]`:
 * `?page=&pageSize=` lists share PageMeta (total, page, pageSize), cursor lists share
 * CursorPageMeta (nextCursor). A list response is recognised by its `items` array and the meta
 * fields, wherever its DTO came from (PagedResponse() or a hand-written class).
 */
export function withSharedPageSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components!.schemas!;
  schemas[PAGE_META] = {
    type: 'object',
    description: 'Where a page of a `?page=&pageSize=` list stands in the whole list.',
    required: [...OFFSET_FIELDS],
    properties: {
      total: { type: 'integer', minimum: 0, description: 'Items matching the filters, across all pages.', example: 42 },
      page: { type: 'integer', minimum: 1, description: 'This page (1-based).', example: 1 },
      pageSize: { type: 'integer', minimum: 1, description: 'Items per page.', example: 20 },
    },
  };
  schemas[CURSOR_PAGE_META] = {
    type: 'object',
    description:
      'Where a page of a cursor list stands: pass `nextCursor` back (as the operation’s cursor parameter) for the next page.',
    required: [...CURSOR_FIELDS],
    properties: {
      nextCursor: {
        type: 'string',
        nullable: true,
        description: 'Opaque cursor of the next page; null on the last page.',
        example: 'eyJhdCI6IjIwMjYtMDMtMTJUMTQ6MDA6MDAuMDAwWiJ9',
      },
    },
  };
  for (const [name, schema] of Object.entries(schemas)) {
    if (name === PAGE_META || name === CURSOR_PAGE_META || isRef(schema)) continue;
    const props = schema.properties;
    const items = props?.items as SchemaObject | undefined;
    if (!props || !items || items.type !== 'array') continue;
    const meta = OFFSET_FIELDS.every((f) => f in props)
      ? PAGE_META
      : CURSOR_FIELDS.every((f) => f in props)
        ? CURSOR_PAGE_META
        : null;
    if (!meta) continue;
    const metaFields: readonly string[] = meta === PAGE_META ? OFFSET_FIELDS : CURSOR_FIELDS;
    const own = Object.fromEntries(Object.entries(props).filter(([key]) => !metaFields.includes(key)));
    const { properties: _p, required, type: _t, ...rest } = schema;
    schemas[name] = {
      ...rest,
      allOf: [
        ref(meta),
        { type: 'object', required: (required ?? []).filter((key) => !metaFields.includes(key)), properties: own },
      ],
    };
  }
  return document;
}

/**
 * The `apiKey` scheme: API keys (`lmk_…`) are sent like access tokens, as a bearer credential.
 * OpenAPI 3.0 allows scopes in a security requirement only for OAuth2/OpenID schemes, so an
 * operation an API key may call names `apiKey` with an empty list and carries its scopes in
 * `x-scopes`; the scheme's description lists the catalogue.
 */
export function withApiKeyScheme(document: OpenAPIObject): OpenAPIObject {
  document.components!.securitySchemes = {
    ...document.components!.securitySchemes,
    apiKey: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'lmk_…',
      description:
        'API key created under Developers → API keys (`lmk_…`), sent as `Authorization: Bearer lmk_…`. A key acts with its owner’s ' +
        'current role, but only within its scopes: each operation lists the scopes it needs in `x-scopes`; without them the answer ' +
        'is 403 INSUFFICIENT_SCOPE. Operations without an `apiKey` requirement take sign-in sessions only (403 API_KEY_NOT_ALLOWED). ' +
        'An expired or revoked key gets 401 INVALID_CREDENTIALS. Scopes: ' +
        API_SCOPES.map((s) => `\`${s}\``).join(', ') +
        '.',
    },
  };
  return document;
}

/**
 * Webhooks: OpenAPI 3.0 has no `webhooks` section, so each event is a component schema
 * (`<Type>WebhookEvent`, the envelope with its `type` fixed and its `data` schema), the union
 * `WebhookEvent` discriminates them on `type`, and `x-webhooks` describes each as the POST a
 * subscribed endpoint receives (the OpenAPI 3.1 `webhooks` shape).
 */
export function withWebhookEvents(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components!.schemas!;
  const mapping: Record<string, string> = {};
  const hooks: Record<string, unknown> = {};
  schemas.WebhookEventType = { type: 'string', enum: [...DOCUMENTED_WEBHOOK_EVENT_TYPES], example: 'session.scheduled' };
  for (const type of DOCUMENTED_WEBHOOK_EVENT_TYPES) {
    const { data, summary } = WEBHOOK_EVENT_DATA[type];
    const name = `${type
      .split(/[._]/)
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('')}WebhookEvent`;
    mapping[type] = ref(name).$ref;
    schemas[name] = {
      description: summary,
      allOf: [
        ref('WebhookEvent'),
        {
          type: 'object',
          required: ['type', 'data'],
          properties: { type: { type: 'string', enum: [type], example: type }, data: ref(data.name) },
        },
      ],
    };
    hooks[type] = {
      post: {
        summary,
        operationId: `webhook${name.replace(/WebhookEvent$/, '')}`,
        description:
          'Sent to each endpoint subscribed to this type, signed: `LexMarket-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, ' +
          'with `LexMarket-Event-Id` and `LexMarket-Event-Type`. Answer 2xx within 10 s; anything else is retried with backoff for 3 days.',
        // Authenticated by the signature, not by a credential of this API.
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: ref(name) } } },
        responses: { '200': { description: 'Any 2xx: delivered' } },
      },
    };
  }
  schemas.WebhookEvent = {
    type: 'object',
    description:
      'The body of every webhook delivery: `{ id, type, created, data }`; `data` by `type` (see the `<Type>WebhookEvent` schemas).',
    required: ['id', 'type', 'created', 'data'],
    properties: {
      id: {
        type: 'string',
        pattern: '^evt_',
        description: 'Event id; the same on every delivery attempt (deduplicate on it).',
        example: 'evt_3kTq9ZcYb2Lw8hXr',
      },
      type: ref('WebhookEventType'),
      created: {
        type: 'string',
        format: 'date-time',
        description: 'When the event happened.',
        example: '2026-03-12T13:05:00.000Z',
      },
      data: {
        type: 'object',
        additionalProperties: true,
        description: 'The event’s object, as the recipient may see it.',
        example: { sessionId: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47' },
      },
    },
    discriminator: { propertyName: 'type', mapping },
  };
  (document as OpenAPIObject & { 'x-webhooks': unknown })['x-webhooks'] = hooks;
  return document;
}

/**
 * Examples that follow from a property's format or name the same way everywhere (ids, times,
 * amounts, flags, hashes), so that each documented property has one without a hand-written
 * example on hundreds of DTO fields. Only a property without an example of its own gets one,
 * and only by these rules: a free-text field (a title, a note, a bio) matches none and must
 * say its example in its @ApiProperty — the example test fails until it does.
 */
export function withConventionalExamples(document: OpenAPIObject): OpenAPIObject {
  for (const schema of Object.values(document.components!.schemas!)) visitProperties(schema);
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      for (const param of (op.parameters ?? []) as { name: string; schema?: Schema; example?: unknown; in?: string }[]) {
        if (!param.schema || isRef(param.schema) || param.example !== undefined || param.schema.example !== undefined) continue;
        const example = conventionalExample(param.name, param.schema);
        if (example !== undefined) param.schema.example = example;
      }
    }
  }
  return document;
}

function visitProperties(schema: Schema | undefined): void {
  if (!schema || isRef(schema)) return;
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (isRef(prop)) continue;
    if (prop.type === 'array' && prop.items && !isRef(prop.items)) {
      if (prop.example === undefined && prop.items.example === undefined) {
        const example = conventionalExample(singular(name), prop.items);
        if (example !== undefined) prop.items.example = example;
      }
      visitProperties(prop.items);
    } else if (prop.example === undefined) {
      const example = conventionalExample(name, prop);
      if (example !== undefined) prop.example = example;
    }
    visitProperties(prop);
  }
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? [])]) visitProperties(part);
}

const singular = (name: string) => name.replace(/Ids$/, 'Id').replace(/s$/, '');

/** A fixed, valid UUID per property name: the same id reads the same across the document. */
function uuidFor(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const END_TIMES = /^(endAt|proposedEndAt|closesAt|to|until|expiresAt|deadlineAt|endedAt)$/;
const HASH_NAMES = /([sS]ha256|[hH]ash)$/;
const BASE64_NAMES =
  /^(nonce|ciphertext|signature|enc|salt|certificate|identityKey|backupKey|backupKeySignature|x25519PublicKey|ed25519PublicKey)$/;
const PERSON_NAMES =
  /^(payee|client|lawyer|author|subject|reporter|admin|actor|party|recordedBy|counterpart|display|partner)Name$/;
const FALSE_FLAGS = /^(hidden|responseHidden|archived|superseded|needsRekey|reset|revoked|hasMore)$/;

function conventionalExample(name: string, schema: SchemaObject): unknown {
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'boolean':
      return !FALSE_FLAGS.test(name);
    case 'integer':
    case 'number':
      return numberExample(name);
    case 'string':
      return stringExample(name, schema);
    default:
      return undefined;
  }
}

function numberExample(name: string): number | undefined {
  if (/Minor$/.test(name)) return 15000;
  if (/^(total)$/.test(name)) return 42;
  if (name === 'page') return 1;
  if (name === 'pageSize' || name === 'limit') return 20;
  if (/^(rating|[1-5])$/.test(name)) return name === 'rating' ? 5 : Number(name) * 3;
  if (/Minutes$/.test(name)) return name === 'durationMinutes' ? 60 : 15;
  if (/Seconds$/.test(name)) return 3540;
  if (/(Bytes|^size)$/.test(name)) return 524288;
  if (
    /(Count|^count|^attempts|^issued|^marked|^unread|^parties|^openReports|^lineCount|^paidSessions|SignedUp|Converted|^signedUp|^converted)$/.test(
      name,
    )
  )
    return 3;
  if (/^(version|versionNumber|number|epoch|currentEpoch|index|auditSeq|seq)$/.test(name)) return 2;
  if (/^(weekday)$/.test(name)) return 1;
  if (/^(maxSessionsPerDay|chunkCount)$/.test(name)) return 4;
  if (/^(memoryKiB)$/.test(name)) return 65536;
  if (/^(iterations|parallelism)$/.test(name)) return 3;
  if (/^chunkMaxBytes$/.test(name)) return 8388608;
  return undefined;
}

function stringExample(name: string, schema: SchemaObject): string | undefined {
  switch (schema.format) {
    case 'uuid':
      return uuidFor(name);
    case 'date-time':
      return END_TIMES.test(name)
        ? '2026-03-12T15:00:00.000Z'
        : /^(startAt|proposedStartAt|previousStartAt|currentStartAt|from|opensAt|startedAt)$/.test(name)
          ? '2026-03-12T14:00:00.000Z'
          : '2026-03-10T09:30:00.000Z';
    case 'date':
      return /End$|^to$/.test(name) ? '2026-03-31' : '2026-03-01';
    case 'email':
      return 'maria.lopez@example.com';
    case 'base64':
      return `${base64url(schema.minLength ?? 43)
        .replace(/-/g, '+')
        .replace(/_/g, '/')}=`;
    case undefined:
      break;
    default:
      return undefined;
  }
  if (HASH_NAMES.test(name)) return '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
  if (BASE64_NAMES.test(name)) return base64url(schema.minLength ?? 43);
  if (/[eE]mail$|^to$/.test(name)) return 'maria.lopez@example.com';
  if (name === 'currency') return 'eur';
  if (name === 'nextCursor') return 'eyJhdCI6IjIwMjYtMDMtMTJUMTQ6MDA6MDAuMDAwWiJ9';
  if (name === 'requestId') return '6f1c1f0e-4bd6-4c1c-9f6b-8f5d3c1f2a10';
  if (PERSON_NAMES.test(name)) return 'Maria López';
  return undefined;
}

/** A base64url string of `length` characters (the schema's own length when it fixes one). */
const base64url = (length: number): string => 'q83vEjRWeJ-7Ckx_0aZ3'.repeat(Math.ceil(length / 20)).slice(0, length);
