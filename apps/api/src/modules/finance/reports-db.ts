import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import type { Statement } from './finance.queries';

/** application_name of the reports pool's connections (visible in pg_stat_activity). */
export const REPORTS_APPLICATION_NAME = 'lm-reports';
const REPORTS_POOL_MAX = 4;

/**
 * Where report queries run: with REPORTS_DATABASE_URL, a pool of its own (at most 4 read-only
 * connections named `lm-reports`, e.g. on a streaming replica, so heavy dashboards never take
 * connections the API's writes need); without it, the main database through TypeORM. The
 * statements (finance.queries.ts) return the same values either way.
 */
@Injectable()
export class ReportsDb implements OnModuleDestroy {
  private readonly logger = new Logger(ReportsDb.name);
  private readonly pool: Pool | null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.pool = config.REPORTS_DATABASE_URL
      ? new Pool({
          connectionString: config.REPORTS_DATABASE_URL,
          max: REPORTS_POOL_MAX,
          application_name: REPORTS_APPLICATION_NAME,
          idleTimeoutMillis: 10_000,
          statement_timeout: 30_000,
          options: '-c default_transaction_read_only=on',
        })
      : null;
    // An idle client that loses its server (a replica restarting) must not crash the process.
    this.pool?.on('error', (e) => this.logger.warn(`Reports database connection lost: ${e.message}`));
  }

  /** Whether reports read through their own pool (REPORTS_DATABASE_URL). */
  get separatePool(): boolean {
    return this.pool !== null;
  }

  async query<T>(s: Statement): Promise<T[]> {
    if (this.pool) return (await this.pool.query(s.text, s.values)).rows as T[];
    return (await this.dataSource.query(s.text, s.values)) as T[];
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }
}
