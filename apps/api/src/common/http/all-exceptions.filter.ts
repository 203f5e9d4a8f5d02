import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, toErrorResponse } from './error-body';

/**
 * The one exception filter. Every error leaves as `{ statusCode, code, message, requestId }`.
 * An unknown GET outside /api that accepts HTML is answered with the SPA's index.html
 * (history fallback) when the SPA is served.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(private readonly spaFallback: boolean) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (
      this.spaFallback &&
      exception instanceof NotFoundException &&
      request.method === 'GET' &&
      !isApiPath(request.url) &&
      (request.headers.accept ?? '').includes('text/html')
    ) {
      void reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html');
      return;
    }
    sendError(exception, request, reply, this.logger);
  }
}

export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

export function sendError(exception: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const path = request.url.split('?')[0] ?? request.url;
  const { body, isServerError } = toErrorResponse(exception, { requestId: String(request.id), method: request.method, path });
  if (isServerError) {
    logger.error({ err: exception, requestId: request.id, method: request.method, path }, 'Unhandled error');
  }
  // Coded errors that know when to retry (e.g. TOO_MANY_LOGIN_ATTEMPTS) carry retryAfterSeconds.
  const retryAfter = (exception as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0) {
    void reply.header('retry-after', String(Math.ceil(retryAfter)));
  }
  if (body.code === 'DATABASE_UNAVAILABLE' && !reply.getHeader('retry-after')) {
    void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  }
  if (body.statusCode === HttpStatus.TOO_MANY_REQUESTS && !reply.getHeader('retry-after')) {
    void reply.header('retry-after', '60');
  }
  void reply.status(body.statusCode).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
}
