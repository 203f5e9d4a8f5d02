import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { createSidePool } from '../../../common/database/side-pool';
import {
  buildDirectoryQuery,
  directoryPage,
  directoryTotalCap,
  RATING_SUMMARY_SQL,
  type DirectoryFilters,
  type DirectoryPage,
  type DirectoryRow,
  type DirectorySortKey,
  type RatingSummary,
} from '../marketplace.queries';

/** Connections of the directory's prepared statements (the API's pool keeps its own). */
const PREPARED_POOL_MAX = 4;

/** Runs the directory query of marketplace.queries.ts (shared with the benchmark baseline) over the `directory_listings` read model. */
@Injectable()
export class DirectoryRepository implements OnApplicationShutdown {
  /**
   * The directory is the public, most requested read: planning its statement cost about as much
   * as running it. A statement whose plan does not depend on the values searched (genericPlan)
   * runs as a named prepared statement, planned once per connection, on connections of its own
   * whose sessions use generic plans (`plan_cache_mode`; PostgreSQL's default would keep
   * re-planning a statement whose LIMIT is a parameter). One statement per distinct text: a few
   * hundred shapes (sort × paging × filters present), never the values.
   */
  private readonly prepared: Pool;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.prepared = createSidePool(dataSource, {
      applicationName: 'lm-directory',
      max: PREPARED_POOL_MAX,
      sessionSettings: { plan_cache_mode: 'force_generic_plan' },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.prepared.ended) await this.prepared.end();
  }

  async search(filters: DirectoryFilters & { after?: DirectorySortKey }): Promise<DirectoryPage> {
    const { text, values, genericPlan } = buildDirectoryQuery(filters);
    const rows: DirectoryRow[] = genericPlan ? await this.runPrepared(text, values) : await this.dataSource.query(text, values);
    return directoryPage(rows, filters.pageSize, directoryTotalCap(filters));
  }

  /** A lawyer's rating, through the reviews module's `lawyer_rating_summaries` view. */
  async rating(lawyerId: string): Promise<RatingSummary> {
    const rows: RatingSummary[] = await this.dataSource.query(RATING_SUMMARY_SQL, [lawyerId]);
    return rows[0] ?? { average: null, count: 0 };
  }

  private async runPrepared<T>(text: string, values: unknown[]): Promise<T[]> {
    const name = `directory_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    try {
      return (await this.prepared.query({ name, text, values })).rows as T[];
    } catch (e) {
      // As TypeORM reports a failed query, so the error handling (503 for an unavailable database) is the same.
      throw new QueryFailedError(text, values, e as Error);
    }
  }
}
