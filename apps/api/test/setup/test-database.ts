import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { typeormOptions } from '../../src/database/typeorm-options';
import { MIGRATIONS } from '../../src/database/migrations';
import { SERVER_URL_ENV } from './test-server';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Advisory lock held while the template is built and cloned (parallel workers and runs agree). */
export const TEMPLATE_LOCK = 7242001;

/** A database older than this is a leftover: no jest run lasts that long. */
export const STALE_TEST_DATABASE_MS = 2 * 60 * 60 * 1000;

/** `lm_t_<creation time, base 36 ms>_<random>`: the name says when it was made. */
export function testDatabaseName(now = Date.now()): string {
  return `lm_t_${now.toString(36)}_${randomBytes(4).toString('hex')}`;
}

/**
 * Whether an idle spec database may be dropped by another run's global setup. Several runs
 * (engineers, CI jobs) may share one server, and a fresh database has no connection yet (or
 * none for a while: pools close idle connections after 10 s), so being idle is not enough:
 * only databases made more than STALE_TEST_DATABASE_MS ago go, plus old-style names
 * (`lm_t_<12 hex>`) that carry no time and were made by an earlier version of this code.
 */
export function isStaleTestDatabase(name: string, now = Date.now()): boolean {
  if (/^lm_t_[0-9a-f]{12}$/.test(name)) return true;
  const match = /^lm_t_([0-9a-z]+)_[0-9a-f]{8}$/.exec(name);
  if (!match) return false;
  return now - parseInt(match[1]!, 36) > STALE_TEST_DATABASE_MS;
}

function serverUrl(): string {
  const url = process.env[SERVER_URL_ENV];
  if (!url) throw new Error(`${SERVER_URL_ENV} is not set: run integration tests through jest's global setup`);
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A fresh database for one spec file, cloned from a template that has every migration and
 * the pg-boss schema applied. The template is built once per server and migration set
 * (name derived from the migration list), under an advisory lock so parallel workers agree.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  const template = `lm_tpl_${createHash('sha256')
    // Name and source of every migration: editing one during development builds a new template.
    .update(MIGRATIONS.map((m) => `${m.name}:${m.toString()}`).join('\n'))
    .digest('hex')
    .slice(0, 12)}`;
  const name = testDatabaseName();
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_advisory_lock(${TEMPLATE_LOCK})`);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount === 0) await buildTemplate(admin, server, template);
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await admin.query(`SELECT pg_advisory_unlock(${TEMPLATE_LOCK})`);
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(server, name);
  return {
    name,
    url,
    drop: async () => {
      const c = new Client({ connectionString: server });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function buildTemplate(admin: Client, server: string, template: string): Promise<void> {
  const building = `${template}_building`;
  await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${building}"`);
  await migrateDatabase(withDatabase(server, building));
  // Renaming last makes the template appear atomically to other workers.
  await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
}

/** Applies every migration and installs the pg-boss schema in the (empty) database at `url`. */
export async function migrateDatabase(url: string): Promise<void> {
  const ds = new DataSource({ ...typeormOptions(url), logging: ['error'] });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  const boss = new PgBoss({ connectionString: url, max: 1, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.stop({ graceful: false, wait: true, close: true });
}
