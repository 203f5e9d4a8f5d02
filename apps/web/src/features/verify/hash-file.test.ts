import { Blob as NodeBlob } from 'node:buffer';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashFile } from './hash-file';

// jsdom's Blob has no stream(); Node's is the one browsers have.
const blobOf = (bytes: Uint8Array) => new NodeBlob([bytes]) as unknown as Blob;

describe('hashFile', () => {
  it('hashes a file incrementally to the same SHA-256 as Node, reporting progress up to its size', async () => {
    const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256);
    const progress: number[] = [];
    const hex = await hashFile(blobOf(bytes), (n) => progress.push(n));
    expect(hex).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('gives a different fingerprint when one byte changes', async () => {
    const bytes = new Uint8Array(1000).fill(1);
    const changed = bytes.slice();
    changed[500] = 2;
    expect(await hashFile(blobOf(bytes))).not.toBe(await hashFile(blobOf(changed)));
  });
});
