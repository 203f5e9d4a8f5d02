import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { EmbeddedPostgres } from './embedded-postgres';

/**
 * DATABASE_URL when configured; otherwise starts (or adopts) the embedded PostgreSQL server
 * under DATA_DIR/pg and returns its URL plus the handle to stop it.
 */
export async function resolveDatabase(config: AppConfig): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = new EmbeddedPostgres({
    dataDir: join(config.dataDir, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    logger: new Logger('EmbeddedPostgres'),
  });
  await embedded.start();
  await ensureDatabase(embedded, 'lexmarket');
  return { url: embedded.url('lexmarket'), embedded };
}

async function ensureDatabase(server: EmbeddedPostgres, name: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: server.url('postgres') });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
