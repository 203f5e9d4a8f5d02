import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { INestApplication, Logger, ValidationError, ValidationPipe } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger as PinoLogger } from 'nestjs-pino';
import { FieldError, ValidationFailed } from './common/errors/common.errors';
import { AllExceptionsFilter, isApiPath } from './common/http/all-exceptions.filter';
import { ErrorResponse } from './common/http/error-response.dto';
import {
  withApiKeyScheme,
  withConventionalExamples,
  withErrorCodeEnum,
  withSharedPageSchemas,
  withWebhookEvents,
} from './common/http/openapi-contract';
import { WEBHOOK_EVENT_DATA } from './common/http/webhook-event.schemas';
import { AppConfig, originKey } from './config/app-config';

export const API_PREFIX = 'api';

/**
 * Everything applied to the Nest application after it is created: security headers, CORS,
 * validation, the error filter, Swagger and the SPA. `main.ts` and every test call this, so
 * tests exercise exactly what production serves.
 */
export async function setupApp(app: NestFastifyApplication, config: AppConfig): Promise<NestFastifyApplication> {
  app.useLogger(app.get(PinoLogger));
  app.flushLogs();
  app.setGlobalPrefix(API_PREFIX);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

  // helmet's middleware is built once here: @fastify/helmet rebuilds it (re-parsing the CSP)
  // on every request, which cost ~6% of a health check's CPU in the benchmark.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // 'wasm-unsafe-eval' lets the SPA compile WebAssembly (Argon2id of the E2EE recovery code,
        // hash-wasm); it does not allow eval() of JavaScript.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        // Mantine and Swagger UI set inline style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: config.isProduction && config.PUBLIC_URL.startsWith('https://'),
  });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));

  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (isApiPath(request.url)) void reply.header('cache-control', 'no-store');
  });

  if (config.NODE_ENV === 'development') warnOnForeignOrigin(fastify, config);

  // Parses the Cookie header (the refresh-token cookie of /api/auth); unsigned, values are opaque tokens.
  await app.register(fastifyCookie);

  app.enableCors({
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Messages name the field and the rule, never the submitted value (it may be a secret).
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
    }),
  );

  const webDist = resolve(config.WEB_DIST_DIR ?? resolve(__dirname, '..', '..', 'web', 'dist'));
  const serveWeb = config.SERVE_WEB && existsSync(resolve(webDist, 'index.html'));
  app.useGlobalFilters(new AllExceptionsFilter(serveWeb));
  if (config.SERVE_WEB && !serveWeb) {
    new Logger('Web').warn(`SPA not found at ${webDist} (run \`npm run build\`); serving the API only`);
  }
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      wildcard: false,
      setHeaders: (res, path) => {
        void res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  // Public by default (integrators need it); API_DOCS_PUBLIC=false serves neither UI nor document.
  if (!config.API_DOCS_PUBLIC) return app;
  const document = createOpenApiDocument(app, config.PUBLIC_URL);
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, {
    jsonDocumentUrl: `${API_PREFIX}/openapi.json`,
    yamlDocumentUrl: `${API_PREFIX}/openapi.yaml`,
    customSiteTitle: 'LexMarket API',
    swaggerOptions: { persistAuthorization: true, validatorUrl: null, showExtensions: true },
  });
  return app;
}

/**
 * The OpenAPI 3 document of the API, as served at /api/openapi.json and committed as
 * apps/api/openapi.json. The served one names the deployment's PUBLIC_URL as its server (paths
 * already start with /api), so integrators' code generators get a base URL. The committed one
 * (no `publicUrl`, see openapi.ts) says `/`, the origin serving the document, so it is the same
 * whoever generates it and names no machine that is not the API.
 */
export function createOpenApiDocument(app: INestApplication, publicUrl?: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('LexMarket API')
    .setDescription(
      'REST API of the legal-services marketplace. Errors always have the body ' +
        '`{ statusCode, code, message, requestId }`; switch on `code`. Every response carries `x-request-id`.',
    )
    .setVersion('1.0')
    .addServer(
      publicUrl ? publicUrl.replace(/\/+$/, '') : '/',
      publicUrl ? 'This LexMarket deployment (PUBLIC_URL)' : 'The origin serving this document: each deployment serves its own at /api/openapi.json',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token (JWT) of a signed-in session; limited by its role only' })
    .build();
  // Not DocumentBuilder's setContact/setLicense: they always write url/email, empty or not.
  config.info.contact = { name: 'LexMarket API support', ...(publicUrl ? { url: publicUrl } : {}) };
  config.info.license = { name: 'Proprietary: use is governed by your LexMarket integration agreement' };
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponse, ...new Set(Object.values(WEBHOOK_EVENT_DATA).map((event) => event.data))],
    operationIdFactory: (controllerKey, methodKey) =>
      `${lowerFirst(controllerKey.replace(/Controller$/, ''))}${upperFirst(methodKey)}`,
  });
  const built = unwrapSingleAllOf(addStandardErrorResponses(withoutInternalPaths(document)));
  // The SDK contract (openapi-contract.ts): one error schema with every code, shared page
  // schemas, the API-key scheme, the webhook events, and examples that follow from conventions.
  return withConventionalExamples(withWebhookEvents(withApiKeyScheme(withErrorCodeEnum(withSharedPageSchemas(built)))));
}

/**
 * The Swagger plugin wraps an enum reference as `{ allOf: [{ $ref }] }`; with nothing beside it
 * that is just the reference, which is what linters (no-illogical-composition-keywords) and
 * code generators expect.
 */
function unwrapSingleAllOf<T>(node: T): T {
  if (Array.isArray(node)) return node.map(unwrapSingleAllOf) as T;
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>);
  const only = entries.length === 1 && entries[0]![0] === 'allOf' && Array.isArray(entries[0]![1]) ? (entries[0]![1] as unknown[]) : undefined;
  if (only?.length === 1) return unwrapSingleAllOf(only[0] as T);
  return Object.fromEntries(entries.map(([key, value]) => [key, unwrapSingleAllOf(value)])) as T;
}

/** Paths that are never part of the public API, whatever their controllers declare. */
const INTERNAL_PATH_PREFIXES = [`/${API_PREFIX}/sandbox/`];

/**
 * The local Stripe sandbox stands in for Stripe's own API and checkout page; its controllers are
 * excluded from the document, and this makes sure that a future internal route cannot appear in
 * it by a forgotten decorator either.
 */
function withoutInternalPaths(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.keys(document.paths)) {
    if (INTERNAL_PATH_PREFIXES.some((prefix) => path.startsWith(prefix))) delete document.paths[path];
  }
  return document;
}

/**
 * Every operation documents the errors any request can get (validation, rate limit, server
 * error), and every error response is the JSON ErrorResponse: an operation that produces
 * another type (an image, a calendar file) still answers errors in JSON.
 */
function addStandardErrorResponses(document: OpenAPIObject): OpenAPIObject {
  const ref = { $ref: '#/components/schemas/ErrorResponse' };
  const standard: Record<string, string> = {
    '400': 'Invalid request (VALIDATION_FAILED, MALFORMED_JSON, ...)',
    '429': 'Rate limited (RATE_LIMITED); see Retry-After',
    '500': 'Unexpected error (INTERNAL_ERROR); quote the requestId',
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      for (const [status, description] of Object.entries(standard)) {
        op.responses[status] ??= { description, content: { 'application/json': { schema: ref } } };
      }
      // A path parameter can name nothing (an unknown id, an empty segment: ROUTE_NOT_FOUND).
      if (path.includes('{')) {
        op.responses['404'] ??= { description: 'Not found (NOT_FOUND codes of the resource, or ROUTE_NOT_FOUND)', content: { 'application/json': { schema: ref } } };
      }
      // Any request body can come with a type the operation does not parse.
      if (method !== 'get') {
        op.responses['415'] ??= { description: 'Unsupported Content-Type (UNSUPPORTED_MEDIA_TYPE)', content: { 'application/json': { schema: ref } } };
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400 && response && 'description' in response) response.content = { 'application/json': { schema: ref } };
      }
    }
  }
  return document;
}

function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Development aid: a page opened at another origin than PUBLIC_URL gets links (emails, payment
 * returns) that lead somewhere else. Said once per origin in the log instead of silently.
 */
function warnOnForeignOrigin(fastify: FastifyInstance, config: AppConfig): void {
  const expected = originKey(config.PUBLIC_URL);
  const seen = new Set<string>();
  const logger = new Logger('PublicUrl');
  fastify.addHook('onRequest', (request, _reply, done) => {
    const host = request.headers.host;
    if (host && !seen.has(host) && seen.size < 20) {
      seen.add(host);
      let key: string | null = null;
      try {
        key = originKey(host);
      } catch {
        key = null; // not a host[:port]; nothing to compare
      }
      if (key && key !== expected) {
        logger.warn(`Request for ${host}, but links in emails and payment returns use PUBLIC_URL ${config.PUBLIC_URL}; set PUBLIC_URL to the address users open`);
      }
    }
    done();
  });
}
