import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  buildDirectoryQuery,
  directoryItems,
  RATING_SUMMARY_SQL,
  type DirectoryFilters,
  type DirectoryItem,
  type DirectoryRow,
  type RatingSummary,
} from '../marketplace.queries';

/** Runs the directory query of marketplace.queries.ts (shared with the benchmark baseline). */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(filters: DirectoryFilters): Promise<{ items: DirectoryItem[]; total: number }> {
    const { text, values } = buildDirectoryQuery(filters);
    const rows: DirectoryRow[] = await this.dataSource.query(text, values);
    return { total: rows[0]?.total ?? 0, items: directoryItems(rows) };
  }

  /** A lawyer's rating, through the reviews module's `lawyer_rating_summaries` view. */
  async rating(lawyerId: string): Promise<RatingSummary> {
    const rows: RatingSummary[] = await this.dataSource.query(RATING_SUMMARY_SQL, [lawyerId]);
    return rows[0] ?? { average: null, count: 0 };
  }
}
