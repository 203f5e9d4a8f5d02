import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

/** Runs the directory query of marketplace.queries.ts (shared with the benchmark baseline) over the `directory_listings` read model. */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(filters: DirectoryFilters & { after?: DirectorySortKey }): Promise<DirectoryPage> {
    const { text, values } = buildDirectoryQuery(filters);
    const rows: DirectoryRow[] = await this.dataSource.query(text, values);
    return directoryPage(rows, filters.pageSize, directoryTotalCap(filters));
  }

  /** A lawyer's rating, through the reviews module's `lawyer_rating_summaries` view. */
  async rating(lawyerId: string): Promise<RatingSummary> {
    const rows: RatingSummary[] = await this.dataSource.query(RATING_SUMMARY_SQL, [lawyerId]);
    return rows[0] ?? { average: null, count: 0 };
  }
}
