import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { InstantWithinCalendar } from './instant-range';

/** An instant with an explicit offset (`Z` or `±HH:MM`): a wall time without a zone is refused, never guessed. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function IsInstant(description = 'ISO 8601 with an offset (Z or ±HH:MM)'): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', example: '2026-03-02T09:00:00Z', description }),
    IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be an ISO 8601 date-time' }),
    Matches(ISO_INSTANT, { message: '$property must be an ISO 8601 date-time with an offset (Z or ±HH:MM)' }),
    InstantWithinCalendar(),
  );
}
