import { Client } from 'pg';
import { isStaleTestDatabase, TEMPLATE_LOCK } from './test-database';
import { SERVER_URL_ENV, startTestServer } from './test-server';

declare global {
  var __LM_TEST_SERVER_STOP__: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  const { url, stop } = await startTestServer();
  globalThis.__LM_TEST_SERVER_STOP__ = stop;
  process.env[SERVER_URL_ENV] = url;
  // The workers (forked after this, with this environment) hash passwords with argon2, read
  // files and resolve host names on libuv's thread pool, 4 threads by default; a larger pool
  // keeps one spec's background work from queueing the next request behind it.
  process.env.UV_THREADPOOL_SIZE ??= '16';
  // Databases left behind by an interrupted earlier run. Another run may be using the same
  // server right now, and its databases can be idle for a moment (just created, or pools that
  // closed idle connections), so idle is not enough: spec databases must also be old (see
  // isStaleTestDatabase), and half-built templates go only while nobody holds the template lock.
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const idle = await client.query<{ datname: string }>(
      `SELECT d.datname FROM pg_database d
        WHERE (d.datname LIKE 'lm\\_t\\_%' OR d.datname LIKE 'lm\\_tpl\\_%\\_building')
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    const spec = idle.rows.map((r) => r.datname).filter((name) => name.startsWith('lm_t_') && isStaleTestDatabase(name));
    const building = idle.rows.map((r) => r.datname).filter((name) => name.endsWith('_building'));
    for (const datname of spec) await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
    if (building.length > 0 && (await client.query(`SELECT pg_try_advisory_lock(${TEMPLATE_LOCK}) AS ok`)).rows[0].ok) {
      try {
        for (const datname of building) await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${TEMPLATE_LOCK})`);
      }
    }
  } finally {
    await client.end();
  }
}
