import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The parts of an OpenAPI 3 document the fuzz suite reads. */
export type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  example?: unknown;
  default?: unknown;
};

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

interface OperationObject {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, unknown>[];
  'x-roles'?: string[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `GET /api/lawyers/{id}` */
  key: string;
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  parameters: Parameter[];
  /** Media types of the request body and their schemas; empty when the operation takes none. */
  body: { required: boolean; contentTypes: Record<string, Schema> };
  /** Declared responses by status: media type → schema (empty object when no body is declared). */
  responses: Record<string, Record<string, Schema>>;
  /** `x-roles`, or undefined for a public operation. */
  roles?: string[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const method = m.toUpperCase() as Operation['method'];
      const content = op.requestBody?.content ?? {};
      ops.push({
        key: `${method} ${path}`,
        operationId: op.operationId ?? `${method} ${path}`,
        method,
        path,
        parameters: (op.parameters ?? [])
          .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
          .map((p) => ({ name: p.name, in: p.in as Parameter['in'], required: p.in === 'path' || p.required === true, schema: p.schema ?? {} })),
        body: {
          required: op.requestBody?.required ?? false,
          contentTypes: Object.fromEntries(Object.entries(content).map(([type, media]) => [type, media.schema ?? {}])),
        },
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, r]) => [
            status,
            Object.fromEntries(Object.entries(r.content ?? {}).map(([type, media]) => [type, media.schema ?? {}])),
          ]),
        ),
        roles: op['x-roles'],
      });
    }
  }
  return ops;
}

/** Follows `$ref`s (and single-element allOf wrappers) to the schema itself. */
export function deref(document: OpenApiDocument, schema: Schema | undefined, depth = 0): Schema {
  if (!schema) return {};
  if (depth > 20) throw new Error('OpenAPI $ref cycle');
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
    return deref(document, target, depth + 1);
  }
  if (schema.allOf && schema.allOf.length === 1 && !schema.properties) {
    return { ...deref(document, schema.allOf[0], depth + 1), ...(schema.nullable ? { nullable: true } : {}) };
  }
  return schema;
}

/**
 * The document the suite fuzzes. Operations come from the document the running app serves
 * (so an operation added to the code is fuzzed the moment it exists). The API's build runs the
 * @nestjs/swagger CLI plugin, which jest's transpile-only ts-jest cannot (it needs a type
 * checker), so the served document lacks what the plugin infers (undecorated properties,
 * class-validator limits). Where the committed build document (`npm run openapi`, kept fresh by
 * `openapi:check` in CI) has the same operation, its richer definition is used; an operation it
 * does not have yet is fuzzed with the served definition, and reported.
 */
export function fuzzDocument(served: OpenApiDocument): { document: OpenApiDocument; onlyServed: string[] } {
  const committedPath = resolve(__dirname, '..', '..', 'openapi.json');
  const committed = JSON.parse(readFileSync(committedPath, 'utf8')) as OpenApiDocument;
  const onlyServed: string[] = [];
  const paths: OpenApiDocument['paths'] = {};
  for (const [path, item] of Object.entries(served.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const rich = committed.paths[path]?.[m];
      if (!rich) onlyServed.push(`${m.toUpperCase()} ${path}`);
      (paths[path] ??= {})[m] = rich ?? op;
    }
  }
  // Served-only operations may refer to schemas the committed document lacks: merge both.
  const schemas = { ...(served.components?.schemas ?? {}), ...(committed.components?.schemas ?? {}) };
  return { document: { ...served, paths, components: { ...served.components, schemas } }, onlyServed };
}
