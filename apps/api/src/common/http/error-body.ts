import { HttpException, HttpStatus } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { declaredErrorCodes, DomainError } from '../errors/domain-error';
import { ValidationFailed } from '../errors/common.errors';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import type { ErrorResponse } from './error-response.dto';

/** Fastify's own request-parsing errors, by their code (`status` when ours differs from Fastify's). */
const FASTIFY_CODES: Record<string, { code: string; message: string; status?: number }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Content-Type; send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'INVALID_CONTENT_LENGTH', message: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'EMPTY_JSON_BODY', message: 'The JSON body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'INVALID_CONTENT_TYPE', message: 'The Content-Type header is invalid' },
  FST_ERR_BAD_URL: { code: 'BAD_URL', message: 'The URL is malformed' },
  // Fastify says 414, but the URL is not too long for us: one path parameter is (ids are short).
  FST_ERR_MAX_PARAM_LENGTH: { code: 'PATH_PARAMETER_TOO_LONG', message: 'A path parameter is too long', status: 400 },
};

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Codes the error filter itself produces, besides the tables above and the modules' coded errors. */
const FILTER_CODES = {
  routeNotFound: 'ROUTE_NOT_FOUND',
  malformedJson: 'MALFORMED_JSON',
  rateLimited: 'RATE_LIMITED',
  internal: 'INTERNAL_ERROR',
  http: 'HTTP_ERROR',
  badRequest: 'BAD_REQUEST',
  databaseUnavailable: 'DATABASE_UNAVAILABLE',
} as const;

/** Seconds a client is told to wait (Retry-After) when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Every `code` an error body can carry, sorted: the coded errors declared by the loaded modules
 * (domainError) and the filter's own. The OpenAPI document's ErrorResponse.code enum is this list.
 */
export function allErrorCodes(): string[] {
  const codes = new Set<string>([
    ...declaredErrorCodes().keys(),
    ...Object.values(FASTIFY_CODES).map((c) => c.code),
    ...Object.values(STATUS_CODES),
    ...Object.values(FILTER_CODES),
  ]);
  return [...codes].sort();
}

export interface ErrorContext {
  requestId: string;
  method: string;
  /** Path without the query string (never echo query values back). */
  path: string;
}

/**
 * Maps anything thrown while handling a request to the one public error shape. Only
 * messages we wrote reach the client; unknown errors become a generic 500 (the caller logs
 * the original with the request id).
 */
export function toErrorResponse(error: unknown, ctx: ErrorContext): { body: ErrorResponse; isServerError: boolean } {
  const make = (statusCode: number, code: string, message: string, extra: Partial<ErrorResponse> = {}) => ({
    body: { statusCode, code, message, requestId: ctx.requestId, ...extra },
    isServerError: statusCode >= 500,
  });

  if (error instanceof ValidationFailed) {
    return make(error.status, error.code, error.message, { fields: error.fields });
  }
  if (error instanceof DomainError) {
    return make(error.status, error.code, error.message, error.details ? { details: error.details } : {});
  }
  if (error instanceof ThrottlerException) {
    return make(429, FILTER_CODES.rateLimited, 'Too many requests; slow down and retry later');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(error.message)) {
      return make(404, FILTER_CODES.routeNotFound, `No route for ${ctx.method} ${ctx.path}`);
    }
    if (status >= 500) return make(status, STATUS_CODES[status] ?? FILTER_CODES.internal, 'Internal server error');
    const response = error.getResponse();
    const code =
      typeof response === 'object' && response !== null && typeof (response as { code?: unknown }).code === 'string'
        ? (response as { code: string }).code
        : (STATUS_CODES[status] ?? FILTER_CODES.http);
    return make(status, code, error.message);
  }
  if (isFastifyError(error)) {
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return make(known.status ?? error.statusCode, known.code, known.message);
    if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return make(400, FILTER_CODES.malformedJson, 'The request body is not valid JSON');
    }
    if (error.statusCode >= 400 && error.statusCode < 500) {
      return make(
        error.statusCode,
        STATUS_CODES[error.statusCode] ?? FILTER_CODES.badRequest,
        'The request could not be processed',
      );
    }
  }
  if (isDatabaseUnavailable(error)) {
    // The connection died, never came, or the pool had none to give. Whether the request's work
    // committed is not known (the connection may have died during COMMIT), so the client is told
    // to check before sending it again. 503 tells it (and load balancers) to retry; 500 would read
    // as a bug of ours.
    return make(
      503,
      FILTER_CODES.databaseUnavailable,
      'The service is temporarily unavailable; your request may not have been completed. Please check and try again in a moment.',
    );
  }
  return make(500, FILTER_CODES.internal, 'Internal server error');
}

function isFastifyError(error: unknown): error is Error & { statusCode: number; code?: string } {
  return error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === 'number';
}
