import { Logger } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { sendError } from './all-exceptions.filter';
import { assertFormWithinLimits, assertJsonWithinLimits, assertWellFormedText } from './json-limits';

type BodyParser = Parameters<FastifyAdapter['useBodyParser']>[3];

/**
 * Nest registers a Fastify error handler that wraps Fastify's own errors (malformed JSON,
 * empty body, unsupported media type...) into generic HttpExceptions, losing their codes.
 * This adapter installs our handler in its place, so those errors get the same stable
 * `{ statusCode, code, message, requestId }` body as everything else.
 *
 * It also bounds request bodies: JSON and form bodies are checked for depth and member count
 * (json-limits.ts) on the raw bytes before they are parsed, and a route can lower the global
 * body size limit with `@RouteConfig({ bodyLimit: bytes })`.
 */
export class AppFastifyAdapter extends FastifyAdapter {
  private readonly errorLogger = new Logger('HttpError');

  /**
   * Applies `@RouteConfig({ bodyLimit })` of each route, and refuses ill-formed Unicode in any
   * parsed body, query or path parameter before a handler sees it. Call before routes are registered.
   */
  enableRouteBodyLimits(): this {
    const fastify = this.getInstance();
    fastify.addHook('onRoute', (route) => {
      const limit = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
      if (typeof limit === 'number') route.bodyLimit = limit;
    });
    fastify.addHook('preValidation', async (request) => {
      assertWellFormedText([request.params, request.query, Buffer.isBuffer(request.body) ? null : request.body]);
    });
    return this;
  }

  override setErrorHandler(_nestHandler: unknown): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance().setErrorHandler((error, request, reply) => sendError(error, request, reply, this.errorLogger));
  }

  override useBodyParser(type: string | string[] | RegExp, rawBody: boolean, options?: Parameters<FastifyAdapter['useBodyParser']>[2], parser?: BodyParser): void {
    const check = type === 'application/json' ? assertJsonWithinLimits : type === 'application/x-www-form-urlencoded' ? assertFormWithinLimits : undefined;
    if (!check || !parser) return super.useBodyParser(type, rawBody, options, parser);
    const bounded: BodyParser = (request, body, done) => {
      try {
        check(body);
      } catch (e) {
        done(e as Error, undefined);
        return;
      }
      parser(request, body, done);
    };
    super.useBodyParser(type, rawBody, options, bounded);
  }
}
