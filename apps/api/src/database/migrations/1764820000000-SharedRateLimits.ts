import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request limits shared by every API replica (issue 18, "Two replicas"): the per-address
 * throttler's windows (`request_throttles`, one row per route, throttler and client) and each API
 * key's token bucket (`api_key_rate_limits`, kept as the bucket's "theoretical arrival time").
 * Both were in each process's memory, so N replicas allowed N times every limit.
 *
 * UNLOGGED: they are written on every request and are worth nothing after a crash (PostgreSQL
 * empties them on crash recovery, which lifts every limit for one window), so they skip the WAL
 * and a commit that touched only them does not wait for a disk flush. Not indexed beyond the key,
 * so each update stays a HOT update; the purge jobs scan them (they hold one row per active
 * client and route, or per active key).
 */
export class SharedRateLimits1764820000000 implements MigrationInterface {
  name = 'SharedRateLimits1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE request_throttles (
        throttle_key      text        NOT NULL,
        window_started_at timestamptz NOT NULL,
        hits              integer     NOT NULL,
        blocked_until     timestamptz,
        expires_at        timestamptz NOT NULL,
        CONSTRAINT pk_request_throttles PRIMARY KEY (throttle_key),
        CONSTRAINT ck_request_throttles_hits CHECK (hits >= 0),
        CONSTRAINT ck_request_throttles_key CHECK (length(throttle_key) BETWEEN 1 AND 200)
      )
    `);
    await q.query(`
      CREATE UNLOGGED TABLE api_key_rate_limits (
        api_key_id             uuid        NOT NULL,
        theoretical_arrival_at timestamptz NOT NULL,
        CONSTRAINT pk_api_key_rate_limits PRIMARY KEY (api_key_id),
        CONSTRAINT fk_api_key_rate_limits_key FOREIGN KEY (api_key_id) REFERENCES api_keys (id) ON DELETE CASCADE
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_key_rate_limits');
    await q.query('DROP TABLE request_throttles');
  }
}
