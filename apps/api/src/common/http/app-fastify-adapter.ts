import { Logger } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { sendError } from './all-exceptions.filter';

/**
 * Nest registers a Fastify error handler that wraps Fastify's own errors (malformed JSON,
 * empty body, unsupported media type...) into generic HttpExceptions, losing their codes.
 * This adapter installs our handler in its place, so those errors get the same stable
 * `{ statusCode, code, message, requestId }` body as everything else.
 */
export class AppFastifyAdapter extends FastifyAdapter {
  private readonly errorLogger = new Logger('HttpError');

  override setErrorHandler(_nestHandler: unknown): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance().setErrorHandler((error, request, reply) => sendError(error, request, reply, this.errorLogger));
  }
}
