import { ValidateIf } from 'class-validator';

/**
 * Like @IsOptional(), except that only an absent field skips validation: `null` is validated
 * like any other value (and so refused by @IsString & co). @IsOptional() lets null through, and
 * a service that reads "present" as "not undefined" then calls string methods on it (a 500).
 * Use it for optional fields whose only meaning of "nothing" is leaving them out.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
