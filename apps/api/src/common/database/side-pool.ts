import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DatabaseClient } from './database-unavailable';

/**
 * A few connections of their own, beside TypeORM's pool, to the same database: for work that
 * must not wait for the API's pool (request limits) or that needs its own session settings
 * (the directory's prepared statements). Connect failures are marked as the database's
 * (DatabaseClient), so an outage still reads as 503 DATABASE_UNAVAILABLE; an idle connection
 * that loses its server is logged and dropped, and the next query reconnects. End it on shutdown.
 */
export function createSidePool(
  dataSource: DataSource,
  opts: { applicationName: string; max: number; acquireTimeoutMs?: number; sessionSettings?: Record<string, string> },
): Pool {
  const main = dataSource.options as PostgresConnectionOptions & { extra?: { connectionTimeoutMillis?: number } };
  const settings = Object.entries(opts.sessionSettings ?? {})
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  const pool = new Pool({
    connectionString: main.url,
    max: opts.max,
    Client: DatabaseClient,
    application_name: opts.applicationName,
    idleTimeoutMillis: 10_000,
    // As long as the main pool waits for a connection (DB_POOL_ACQUIRE_TIMEOUT_MS) unless told otherwise.
    connectionTimeoutMillis: opts.acquireTimeoutMs ?? main.extra?.connectionTimeoutMillis ?? 10_000,
    ...(settings ? { options: settings } : {}),
  });
  const logger = new Logger(opts.applicationName);
  pool.on('error', (e) => logger.warn(`Idle database connection lost: ${e.message}`));
  return pool;
}
