import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponse } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (code VALIDATION_FAILED, MALFORMED_JSON, ...)',
  401: 'Missing or invalid credentials',
  403: 'Authenticated but not allowed',
  404: 'Not found (or not yours)',
  409: 'Conflicts with the current state',
  415: 'Unsupported Content-Type',
  429: 'Rate limited; see Retry-After',
  503: 'A dependency is unavailable',
};

/** Documents the error responses of an operation, all with the ErrorResponse body. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponse })),
  );
}
