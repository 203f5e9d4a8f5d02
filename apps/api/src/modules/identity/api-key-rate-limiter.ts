import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { JobsService } from '../jobs';

const PERIOD_MS = 60_000;
const PURGE_QUEUE = 'identity.api-key-rate-limits.purge';

/**
 * Each API key's own request budget: a token bucket of `limit` requests that refills at `limit`
 * per minute, so a key can burst up to its limit and then sustain it. Kept in PostgreSQL
 * (`api_key_rate_limits`, UNLOGGED), so every API replica draws from the same bucket.
 *
 * The bucket is stored as one timestamp, its "theoretical arrival time" (GCRA, the token
 * bucket's equivalent): each request moves it one interval (`60 s / limit`) later, starting from
 * now when it lies in the past; a request is allowed while it stays within a minute of now. One
 * upsert per allowed request, whose row lock serialises concurrent requests of one key; a
 * refused request writes nothing and reads the wait. Time comes from the Clock so tests can move it.
 */
@Injectable()
export class ApiKeyRateLimiter implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: PURGE_QUEUE }, () => this.purge(), { cron: { expression: '*/10 * * * *' } });
  }

  /** Takes one request from the key's bucket; the seconds to wait when it is empty, else 0. */
  async take(keyId: string, limitPerMinute: number): Promise<number> {
    const now = this.clock.now();
    const intervalMs = PERIOD_MS / limitPerMinute;
    // Allowed while max(tat, now) + interval <= now + period; the half-interval of slack absorbs
    // the microsecond rounding of the timestamps (the next request is a whole interval away).
    const taken = (await this.dataSource.query(
      `INSERT INTO api_key_rate_limits AS r (api_key_id, theoretical_arrival_at)
       VALUES ($1, $2::timestamptz + make_interval(secs => $3::float8 / 1000))
       ON CONFLICT (api_key_id) DO UPDATE
         SET theoretical_arrival_at = greatest(r.theoretical_arrival_at, $2::timestamptz) + make_interval(secs => $3::float8 / 1000)
         WHERE greatest(r.theoretical_arrival_at, $2::timestamptz) < $2::timestamptz + make_interval(secs => ($4::float8 - $3::float8 / 2) / 1000)
       RETURNING 1`,
      [keyId, now, intervalMs, PERIOD_MS],
    )) as unknown[];
    if (taken.length > 0) return 0;
    // Refused: the next request fits once the bucket holds a whole token again.
    const rows = (await this.dataSource.query(
      `SELECT extract(epoch FROM theoretical_arrival_at - $2::timestamptz) * 1000 AS ahead_ms FROM api_key_rate_limits WHERE api_key_id = $1`,
      [keyId, now],
    )) as { ahead_ms: string | number }[];
    const aheadMs = Number(rows[0]?.ahead_ms ?? PERIOD_MS);
    return Math.max(1, Math.ceil((aheadMs + intervalMs - PERIOD_MS) / 1000));
  }

  /** Drops buckets that have refilled completely (their keys are idle; a missing row is a full bucket). */
  private async purge(): Promise<void> {
    await this.dataSource.query(`DELETE FROM api_key_rate_limits WHERE theoretical_arrival_at < $1`, [this.clock.now()]);
  }
}
