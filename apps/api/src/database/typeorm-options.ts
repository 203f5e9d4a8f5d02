import { DataSourceOptions } from 'typeorm';
import { DatabaseClient } from '../common/database/database-unavailable';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** Default wait for a free pooled connection (DB_POOL_ACQUIRE_TIMEOUT_MS). */
const DEFAULT_ACQUIRE_TIMEOUT_MS = 10_000;

/**
 * The single source of TypeORM options, used by the Nest app (TypeOrmModule), by the
 * TypeORM CLI (data-source.ts) and by the test harness. `synchronize` is never on: the
 * schema only changes through reviewed migrations in ./migrations.
 */
export function typeormOptions(
  url: string,
  opts: { poolSize?: number; acquireTimeoutMs?: number; migrationsRun?: boolean } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: opts.migrationsRun ?? false,
    migrationsTransactionMode: 'each',
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    entities: ENTITIES,
    extra: {
      max: opts.poolSize ?? 10,
      application_name: 'lm-api',
      // A starved pool answers 503 DATABASE_UNAVAILABLE after this long instead of leaving every request hanging.
      connectionTimeoutMillis: opts.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS,
      // Marks connection failures as the database's (see isDatabaseUnavailable).
      Client: DatabaseClient,
    },
    logging: ['error', 'warn', 'migration'],
  };
}
