import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildDirectoryQuery, directoryItems, type DirectoryFilters, type DirectoryItem, type DirectoryRow } from '../marketplace.queries';

/** Runs the directory query of marketplace.queries.ts (shared with the benchmark baseline). */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(filters: DirectoryFilters): Promise<{ items: DirectoryItem[]; total: number }> {
    const { text, values } = buildDirectoryQuery(filters);
    const rows: DirectoryRow[] = await this.dataSource.query(text, values);
    return { total: rows[0]?.total ?? 0, items: directoryItems(rows) };
  }
}
