import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';

/**
 * Pass-through that computes the SHA-256 and byte count of everything flowing through it, so a
 * body is hashed while it streams to its destination and is never held whole in memory.
 */
export class DigestStream extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private hex?: string;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  /** SHA-256 (hex) and size of the whole body; only available once the input has ended. */
  result(): { sha256: string; size: number } {
    if (!this.writableFinished) throw new Error('DigestStream.result() called before the body ended');
    this.hex ??= this.hash.digest('hex');
    return { sha256: this.hex, size: this.bytes };
  }
}
