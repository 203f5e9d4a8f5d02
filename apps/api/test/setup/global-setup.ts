import { Client } from 'pg';
import { SERVER_URL_ENV, startTestServer } from './test-server';

declare global {
  var __LM_TEST_SERVER_STOP__: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  const { url, stop } = await startTestServer();
  globalThis.__LM_TEST_SERVER_STOP__ = stop;
  process.env[SERVER_URL_ENV] = url;
  // Databases left behind by an interrupted earlier run. Only idle ones: a database another
  // concurrent run is using (same external server) has connections and is left alone.
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const stale = await client.query<{ datname: string }>(
      `SELECT d.datname FROM pg_database d
        WHERE (d.datname LIKE 'lm\\_t\\_%' OR d.datname LIKE 'lm\\_tpl\\_%\\_building')
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    for (const { datname } of stale.rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
