import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleImport } from '../../src/app.module';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';
import type { Clock } from '../../src/common/time/clock';
import { TestClock } from '../support/test-clock';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  db: TestDatabase;
  /** Business time of this app; move it with `clock.advance(ms)`. */
  clock: TestClock;
  /** The underlying Node HTTP server, listening on 127.0.0.1 (an ephemeral port), for supertest. */
  server: import('node:http').Server;
  close(): Promise<void>;
}

/**
 * Every TestApp created and not yet closed, in this jest worker (one spec file at a time).
 * Checks that run after each test over whatever apps a spec has open read it (see
 * ledger-rollups-check.ts); an app leaves it as soon as its `close()` starts.
 */
export const openTestApps: ReadonlySet<TestApp> = new Set<TestApp>();

/**
 * The real application (same setupApp as production) on its own fresh database and its own
 * temporary data directory. `env` overrides configuration for one spec. `options.clock` gives
 * the app another business clock than the TestClock (the demo spec runs the demo server's
 * DemoClock); `TestApp.clock` then moves nothing the app reads. `options.database` runs the app
 * on another, already migrated database (the fault specs' own PostgreSQL server); `close()`
 * then drops it through its own `drop`.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  extraModules: ModuleImport[] = [],
  options: { clock?: Clock; database?: TestDatabase } = {},
): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'lm-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SERVE_WEB: 'false',
    DATA_DIR: dataDir,
    DB_MIGRATIONS_RUN: 'false',
    // Specs book times close to their (test) clock; the first-booking notice is tested on its own.
    BOOKING_MIN_NOTICE_HOURS: '0',
    ...env,
  });
  const clock = new TestClock();
  const app = await createApp(config, db.url, { extraModules, clock: options.clock ?? clock });
  // Listening once, for the app's lifetime: supertest then sends every request to this
  // address instead of starting the server for each request and waiting for it to close,
  // a close that could wait out Fastify's 72-second keep-alive timeout (see http-agent.ts).
  await app.listen(0, '127.0.0.1');
  const testApp: TestApp = {
    app,
    config,
    db,
    clock,
    server: app.getHttpServer(),
    close: async () => {
      (openTestApps as Set<TestApp>).delete(testApp);
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  (openTestApps as Set<TestApp>).add(testApp);
  return testApp;
}
