import { PUBLIC_KEY_BYTES } from './constants';
import { concat, fromB64, sha256, utf8 } from './encoding';

/**
 * Safety numbers (contract section 1): per party SHA-256(`lm-e2ee/v1/safety/${userId}/` ‖
 * identity key), its first 30 bytes as six 40-bit big-endian integers mod 100000 (5 digits
 * each); the two 30-digit halves ordered by user id and joined: 60 digits in 12 groups of 5.
 * Both sides compute the same number; it changes when either identity key changes.
 */
async function partyDigits(userId: string, identityKey: string): Promise<string> {
  const hash = await sha256(concat(utf8(`lm-e2ee/v1/safety/${userId}/`), fromB64(identityKey, PUBLIC_KEY_BYTES)));
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let n = 0;
    // 40 bits fit a double exactly (< 2^53).
    for (let i = 0; i < 5; i++) n = n * 256 + hash[chunk * 5 + i]!;
    digits += String(n % 100000).padStart(5, '0');
  }
  return digits;
}

export async function safetyNumber(
  a: { userId: string; identityKey: string },
  b: { userId: string; identityKey: string },
): Promise<{ digits: string; groups: string[] }> {
  const [first, second] = a.userId < b.userId ? [a, b] : [b, a];
  const digits = (await partyDigits(first.userId, first.identityKey)) + (await partyDigits(second.userId, second.identityKey));
  return { digits, groups: digits.match(/.{5}/g)! };
}
