import { ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailed } from '../errors/common.errors';

/**
 * A UUID path parameter: `@Param('sessionId', UuidParam('sessionId'))`. A malformed value is a
 * 400 VALIDATION_FAILED naming the parameter, before any query runs.
 */
export function UuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => new ValidationFailed([{ field: name, messages: [`${name} must be a UUID`] }]),
  });
}
