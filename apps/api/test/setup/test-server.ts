import { join, resolve } from 'node:path';
import { EmbeddedPostgres, freePort } from '../../src/database/embedded-postgres';

/** Env var through which the global setup hands the server URL to the test workers. */
export const SERVER_URL_ENV = 'LM_TEST_SERVER_URL';

/**
 * The PostgreSQL server integration tests run against: TEST_DATABASE_URL when set (CI uses
 * the machine's server), otherwise an embedded server under .data/test-pg on a free port.
 * Returns the URL of a maintenance database on it and a stop function.
 */
export async function startTestServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { url: external, stop: async () => undefined };
  // One cluster per jest run (initdb takes well under a second), so concurrent runs never
  // restart or drop each other's server; removed again at teardown.
  const dataDir = join(resolve(__dirname, '..', '..', '..', '..'), '.data', `test-pg-${process.pid}`);
  const server = new EmbeddedPostgres({
    dataDir,
    port: await freePort(),
    logger: { log: () => undefined, warn: () => undefined, error: (m: unknown) => console.error(m) },
  });
  await server.start();
  return {
    url: server.url('postgres'),
    stop: async () => {
      await server.destroy();
    },
  };
}
