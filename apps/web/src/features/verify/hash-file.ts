import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * The SHA-256 of a file, computed in the browser piece by piece as it is read (a recording can
 * be large: it is never held in memory whole, and never leaves the computer).
 */
export async function hashFile(file: Blob, onProgress?: (hashedBytes: number) => void, signal?: AbortSignal): Promise<string> {
  const hash = sha256.create();
  const reader = file.stream().getReader();
  let done = 0;
  for (;;) {
    if (signal?.aborted) {
      await reader.cancel();
      throw new DOMException('Hashing cancelled', 'AbortError');
    }
    const { value, done: finished } = await reader.read();
    if (finished) break;
    hash.update(value);
    done += value.length;
    onProgress?.(done);
  }
  return bytesToHex(hash.digest());
}
