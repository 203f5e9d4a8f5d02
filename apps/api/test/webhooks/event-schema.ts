import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonSchema } from '../fuzz/response-checker';
import type { OpenApiDocument, Schema } from '../fuzz/openapi-model';

/**
 * Checks a delivered webhook body against the committed OpenAPI document (apps/api/openapi.json):
 * the `<Type>WebhookEvent` schema its `type` maps to in the `WebhookEvent` discriminator, made
 * closed the way the fuzz suite checks responses (toJsonSchema), so a field the document does
 * not declare is a problem as much as a missing or mistyped one.
 */
export class WebhookEventSchemas {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly mapping: Record<string, string>;

  constructor(document: OpenApiDocument = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'))) {
    const components = document.components?.schemas ?? {};
    this.mapping = (components.WebhookEvent as { discriminator: { mapping: Record<string, string> } }).discriminator.mapping;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    const closed = { closed: true, components };
    this.ajv.addSchema({
      $id: 'openapi',
      components: { schemas: Object.fromEntries(Object.entries(components).map(([n, s]) => [n, toJsonSchema(s, closed)])) },
    });
    for (const [type, ref] of Object.entries(this.mapping)) {
      this.validators.set(type, this.ajv.compile(toJsonSchema({ $ref: ref } as Schema, closed) as object));
    }
  }

  /** Problems with one raw body; empty when it is exactly what the document says its type carries. */
  problems(rawBody: string): string[] {
    let body: { type?: unknown };
    try {
      body = JSON.parse(rawBody);
    } catch {
      return [`not JSON: ${rawBody.slice(0, 200)}`];
    }
    const type = body.type;
    const validate = typeof type === 'string' ? this.validators.get(type) : undefined;
    if (!validate) return [`type ${JSON.stringify(type)} is not documented`];
    if (validate(body)) return [];
    return [`${String(type)}: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}; body ${rawBody.slice(0, 400)}`];
  }
}

/**
 * A documented session.paid `data` for tests that emit through WebhookEvents directly: `n`
 * (0 ≤ n < 10¹²) becomes the session id's last digits, so a test can tell its events apart.
 */
export function sessionPaidData(n: number): Record<string, unknown> {
  return {
    session: {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      status: 'PAID',
      role: 'CLIENT',
      startAt: null,
      endAt: null,
      durationMinutes: 60,
      offering: { title: 'Initial consultation' },
      price: { amountMinor: 9000, currency: 'EUR' },
      counterpart: { displayName: 'Lawyer Lucia' },
      paidAt: '2026-03-01T10:00:00.000Z',
      cancelledAt: null,
      completedAt: null,
    },
  };
}

/** `n` back from a body made with sessionPaidData. */
export function sessionPaidNumber(rawBody: string): number {
  return Number((JSON.parse(rawBody) as { data: { session: { id: string } } }).data.session.id.slice(-12));
}
