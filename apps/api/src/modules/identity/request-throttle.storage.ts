import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { isDatabaseDown } from '../../common/database/database-unavailable';
import { createSidePool } from '../../common/database/side-pool';
import { JobsService } from '../jobs';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

const PURGE_QUEUE = 'identity.request-throttles.purge';
/** Connections of the limits' own pool (application_name `lm-request-limits`): one short statement each. */
const LIMITS_POOL_MAX = 4;

/** `$2` milliseconds (the window) and `$4` (the block) as intervals. */
const WINDOW = 'make_interval(secs => $2::float8 / 1000)';
const BLOCK = 'make_interval(secs => $4::float8 / 1000)';

/**
 * One hit on a throttle key, atomically (the row lock of the upsert serialises concurrent hits
 * from every replica). A fixed window opened by its first hit; the hit that goes over the limit
 * blocks the key for the block duration (no hits counted meanwhile), after which a new window
 * starts. Time is the database's, the one clock every replica shares.
 */
const HIT = `
  INSERT INTO request_throttles AS t (throttle_key, window_started_at, hits, blocked_until, expires_at)
  SELECT $1, now(), 1, b.until, greatest(now() + ${WINDOW}, b.until)
    FROM (SELECT CASE WHEN 1 > $3 THEN now() + ${BLOCK} END AS until) b
  ON CONFLICT (throttle_key) DO UPDATE SET (hits, window_started_at, blocked_until, expires_at) = (
    SELECT n.hits, n.started, n.until, greatest(n.started + ${WINDOW}, n.until)
      FROM (SELECT h.hits, h.started,
                   CASE WHEN s.blocked THEN t.blocked_until WHEN h.hits > $3 THEN now() + ${BLOCK} END AS until
              FROM (SELECT coalesce(t.blocked_until > now(), false) AS blocked,
                           CASE WHEN t.blocked_until IS NOT NULL THEN t.blocked_until <= now()
                                ELSE t.window_started_at + ${WINDOW} <= now() END AS fresh) s
              CROSS JOIN LATERAL (SELECT CASE WHEN s.blocked THEN t.hits WHEN s.fresh THEN 1 ELSE t.hits + 1 END AS hits,
                                         CASE WHEN s.fresh THEN now() ELSE t.window_started_at END AS started) h) n)
  RETURNING hits,
    ceil(extract(epoch FROM window_started_at + ${WINDOW} - now()))::int AS time_to_expire,
    coalesce(blocked_until > now(), false) AS is_blocked,
    coalesce(ceil(extract(epoch FROM blocked_until - now())), 0)::int AS time_to_block_expire`;

/**
 * The storage of the per-address throttler (`@nestjs/throttler`, THROTTLE_LIMIT and the
 * `@Throttle` routes) in PostgreSQL, so every API replica counts against the same limit (the
 * library's default keeps counts in each process's memory: N replicas would allow N times the
 * limit). One statement per throttled request, on an UNLOGGED table (see migration
 * 1764820000000). Unlike the library's sliding log, a window is fixed from its first hit.
 */
@Injectable()
export class RequestThrottleStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  /**
   * Its own few connections, never the API's pool: a request holding a pooled connection may
   * call this very app (a checkout calls the local Stripe sandbox while it holds its lock), and
   * that call's limit check must not wait for the connections its caller holds (found by
   * bench:flow at 200 users: with every pooled connection held by a checkout, every request of
   * the process stalled until Stripe's client timed out).
   */
  private readonly pool: Pool;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly jobs: JobsService,
  ) {
    this.pool = createSidePool(dataSource, {
      applicationName: 'lm-request-limits',
      max: LIMITS_POOL_MAX,
      acquireTimeoutMs: 5_000,
    });
  }

  /** Called once per module that lists the provider (identity and the throttler's), so idempotent. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  onModuleInit(): void {
    this.jobs.register({ name: PURGE_QUEUE }, () => this.purge(), { cron: { expression: '*/10 * * * *' } });
  }

  /**
   * With the database unreachable the hit is let through uncounted (fail open): the request then
   * meets the same outage in its own work (503 DATABASE_UNAVAILABLE) — and the health check can
   * still say which dependency is down instead of failing in front of it. Only for a database
   * that is down: one that is busy (too many connections, no free pooled connection in time) is
   * load, where failing open would lift the login and reset limits just when someone floods them;
   * that error goes on (503).
   */
  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    let rows: { hits: number; time_to_expire: number; is_blocked: boolean; time_to_block_expire: number }[];
    try {
      rows = (await this.pool.query(HIT, [key, ttl, limit, blockDuration])).rows;
    } catch (e) {
      if (!isDatabaseDown(e)) throw e;
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
    const row = rows[0]!;
    return {
      totalHits: row.hits,
      timeToExpire: row.time_to_expire,
      isBlocked: row.is_blocked,
      timeToBlockExpire: row.time_to_block_expire,
    };
  }

  /** Drops windows and blocks that are over (a missing row is the same as an expired one). */
  private async purge(): Promise<void> {
    await this.pool.query(`DELETE FROM request_throttles WHERE expires_at < now()`);
  }
}
