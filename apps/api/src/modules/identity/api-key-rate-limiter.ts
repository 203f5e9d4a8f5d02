import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Buckets kept before idle (full) ones are dropped. */
const MAX_BUCKETS = 10_000;

/**
 * Each API key's own request budget: a token bucket of `limit` requests that refills at `limit`
 * per minute, so a key can burst up to its limit and then sustain it. In memory, per API
 * process, like the per-address throttler in front of it (several processes each allow the
 * limit). Time comes from the Clock so tests can move it.
 */
@Injectable()
export class ApiKeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes one request from the key's bucket; the seconds to wait when it is empty, else 0. */
  take(keyId: string, limitPerMinute: number): number {
    const now = this.clock.nowMs();
    const ratePerMs = limitPerMinute / 60_000;
    const bucket = this.buckets.get(keyId);
    const tokens = bucket ? Math.min(limitPerMinute, bucket.tokens + Math.max(0, now - bucket.atMs) * ratePerMs) : limitPerMinute;
    if (tokens < 1) {
      this.buckets.set(keyId, { tokens, atMs: now });
      return Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));
    }
    if (!bucket && this.buckets.size >= MAX_BUCKETS) this.sweep(now);
    this.buckets.set(keyId, { tokens: tokens - 1, atMs: now });
    return 0;
  }

  /** Drops buckets that have refilled completely (their keys are idle; a fresh bucket is the same). */
  private sweep(now: number): void {
    for (const [id, b] of this.buckets) {
      if (now - b.atMs >= 60_000) this.buckets.delete(id);
    }
  }
}
