import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildDirectoryQuery, type DirectoryFilters, type DirectoryRow } from '../marketplace.queries';

/** Runs the directory query of marketplace.queries.ts (shared with the benchmark baseline). */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(filters: DirectoryFilters): Promise<{ items: (DirectoryRow & { id: string })[]; total: number }> {
    const { text, values } = buildDirectoryQuery(filters);
    const rows: DirectoryRow[] = await this.dataSource.query(text, values);
    return { total: rows[0]?.total ?? 0, items: rows.filter((r): r is DirectoryRow & { id: string } => r.id !== null) };
  }
}
