import { MESSAGE_MAX_BUCKET, PADDING_BUCKETS } from './constants';
import type { Bytes } from './encoding';
import { E2eeError } from './errors';

/**
 * Length-hiding padding (contract section 1, "Records"): 4-byte big-endian length ‖ bytes ‖
 * zeros up to the smallest bucket of [256, 1024, 4096, 16384, 65536] that fits, so the server
 * sees one of five ciphertext sizes. `maxBucket` lowers the ceiling (notes: 16384).
 */
export function padPlaintext(plaintext: Uint8Array, maxBucket: number = MESSAGE_MAX_BUCKET): Bytes {
  const needed = 4 + plaintext.length;
  const bucket = PADDING_BUCKETS.find((b) => b >= needed && b <= maxBucket);
  if (bucket === undefined)
    throw new E2eeError('MESSAGE_TOO_LARGE', `The text is too long (${plaintext.length} bytes; at most ${maxBucket - 4})`);
  const out = new Uint8Array(bucket);
  new DataView(out.buffer).setUint32(0, plaintext.length, false);
  out.set(plaintext, 4);
  return out;
}

/** Inverse of padPlaintext; MALFORMED unless the size is a bucket, the length fits and the padding is all zeros. */
export function unpadPlaintext(padded: Uint8Array): Bytes {
  if (!(PADDING_BUCKETS as readonly number[]).includes(padded.length))
    throw new E2eeError('MALFORMED', 'The padded plaintext is not a bucket size');
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0, false);
  if (length > padded.length - 4) throw new E2eeError('MALFORMED', 'The padded plaintext has a bad length');
  for (let i = 4 + length; i < padded.length; i++)
    if (padded[i] !== 0) throw new E2eeError('MALFORMED', 'The padding is not zeros');
  return padded.slice(4, 4 + length);
}
