import { Client } from 'pg';
import { SERVER_URL_ENV, startTestServer } from './test-server';

declare global {
  var __LM_TEST_SERVER_STOP__: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  const { url, stop } = await startTestServer();
  globalThis.__LM_TEST_SERVER_STOP__ = stop;
  process.env[SERVER_URL_ENV] = url;
  // Databases left behind by an interrupted earlier run.
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const stale = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'lm\\_t\\_%' OR datname LIKE 'lm\\_tpl\\_%'",
    );
    for (const { datname } of stale.rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
