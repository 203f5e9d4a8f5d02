import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Matches, ValidateBy, type ValidationOptions } from 'class-validator';
import { fromB64 } from '../e2ee-wire';

/** Base64url text without padding of `n` bytes. */
export const b64Length = (n: number) => Math.ceil((n * 4) / 3);

/** A canonical base64url string without padding (optionally of exactly `bytes`, or at most `maxBytes`). */
export function IsB64(
  opts: { bytes?: number; minBytes?: number; maxBytes?: number } = {},
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isB64',
      constraints: [opts.bytes ?? null, opts.minBytes ?? null, opts.maxBytes ?? null],
      validator: {
        validate: (value: unknown) => {
          const bytes = fromB64(value);
          if (!bytes) return false;
          if (opts.bytes !== undefined && bytes.length !== opts.bytes) return false;
          if (opts.minBytes !== undefined && bytes.length < opts.minBytes) return false;
          return opts.maxBytes === undefined || bytes.length <= opts.maxBytes;
        },
        defaultMessage: () =>
          opts.bytes !== undefined
            ? `$property must be ${opts.bytes} bytes as base64url without padding`
            : `$property must be base64url without padding${sizeRange(opts.minBytes, opts.maxBytes)}`,
      },
    },
    options,
  );
}

function sizeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` (${min} to ${max} bytes)`;
  if (max !== undefined) return ` (at most ${max} bytes)`;
  return min !== undefined ? ` (at least ${min} bytes)` : '';
}

/**
 * A binary field: validation plus its OpenAPI description (base64url, its size). The pattern
 * carries the length too, as the other fixed-size fields' patterns do (a SHA-256 is
 * `^[0-9a-f]{64}$`), so generators of valid values (clients, the fuzz suite) produce the right size.
 */
export function B64Property(
  opts: { bytes?: number; minBytes?: number; maxBytes: number; description: string } | { bytes: number; description: string },
): PropertyDecorator {
  const o = opts as { bytes?: number; minBytes?: number; maxBytes?: number; description: string };
  const min = b64Length(o.bytes ?? o.minBytes ?? 0);
  const max = b64Length(o.bytes ?? o.maxBytes ?? 0);
  const pattern = min === max ? `^[A-Za-z0-9_-]{${min}}$` : `^[A-Za-z0-9_-]{${min},${max}}$`;
  return applyDecorators(
    ApiProperty({ type: String, pattern, minLength: min, maxLength: max, description: o.description }),
    IsB64({ bytes: o.bytes, minBytes: o.minBytes, maxBytes: o.maxBytes }),
  );
}

/**
 * An id the browser generates (device, message, attachment): a UUID in lower case, because it
 * is part of signed and authenticated strings (certificates, AAD) that must read the same to
 * the server, the sender and every recipient.
 */
export const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function ClientIdProperty(description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'uuid', pattern: LOWER_UUID.source, description }),
    Matches(LOWER_UUID, { message: '$property must be a UUID in lower case' }),
  );
}
