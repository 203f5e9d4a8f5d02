import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { isCurrencyCode } from '@lm/domain';
import { IsISO8601, Matches, ValidateBy } from 'class-validator';
import { InstantWithinCalendar } from '../../../common/http/instant-range';

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

/** An upper-case ISO 4217 code the runtime knows (`isCurrencyCode` of @lm/domain). */
export function IsCurrency(): PropertyDecorator {
  return applyDecorators(
    ValidateBy({
      name: 'isCurrency',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCurrencyCode(value),
        defaultMessage: () => '$property must be an upper-case ISO 4217 currency code such as EUR or USD',
      },
    }),
  );
}

/** 'HH:MM', 00:00–23:59 (a window start). */
export const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** 'HH:MM', 00:01–24:00 (a window end; '24:00' is the midnight that ends the day). */
export const WALL_TIME_END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
