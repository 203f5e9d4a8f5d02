import { applyDecorators } from '@nestjs/common';
import { isCurrencyCode } from '@lm/domain';
import { ValidateBy } from 'class-validator';

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

