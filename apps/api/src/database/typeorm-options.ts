import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The single source of TypeORM options, used by the Nest app (TypeOrmModule), by the
 * TypeORM CLI (data-source.ts) and by the test harness. `synchronize` is never on: the
 * schema only changes through reviewed migrations in ./migrations.
 */
export function typeormOptions(url: string, opts: { poolSize?: number; migrationsRun?: boolean } = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: opts.migrationsRun ?? false,
    migrationsTransactionMode: 'each',
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    entities: ENTITIES,
    extra: { max: opts.poolSize ?? 10, application_name: 'lm-api' },
    logging: ['error', 'warn', 'migration'],
  };
}
