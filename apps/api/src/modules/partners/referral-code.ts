import { randomInt } from 'node:crypto';

/** Crockford base32: digits and upper-case letters without I, L, O and U (no 1/I/L or 0/O confusion). */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERRAL_CODE_LENGTH = 8;

/** A random 8-character code (40 bits), e.g. `7K3QX9MD`. */
export function generateReferralCode(): string {
  let code = '';
  for (let i = 0; i < REFERRAL_CODE_LENGTH; i++) code += CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)];
  return code;
}

/**
 * The canonical form of a code as people type it: case-insensitive, hyphens and spaces
 * ignored, O read as 0 and I/L as 1 (Crockford's decoding rules). Null when it cannot be one.
 */
export function normalizeReferralCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return code.length === REFERRAL_CODE_LENGTH && [...code].every((c) => CROCKFORD_ALPHABET.includes(c)) ? code : null;
}

/** `j***@example.com`: the first character of the local part and the domain. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
