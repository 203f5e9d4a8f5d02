import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './bootstrap';
import { AppConfig, ConfigValidationError, loadConfig, productionProblems, publicUrlMismatch } from './config/app-config';
import { resolveDatabase } from './database/database-url';
import { type EmbeddedPostgres, EmbeddedPostgresError } from './database/embedded-postgres';
import { demoAccountsBanner, DemoClock, DemoSeeder, holdRequestsWhileTravelling } from './modules/demo';

const EX_CONFIG = 78;
const logger = new Logger('Main');

/** What has been started so far, so a signal at any moment stops exactly that. */
const running: { app?: NestFastifyApplication; embedded?: EmbeddedPostgres } = {};
let shuttingDown = false;

async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.log(`${signal} received: finishing in-flight work and shutting down`);
  const force = setTimeout(() => {
    logger.error('Shutdown took longer than 25 s; exiting');
    process.exit(1);
  }, 25_000);
  force.unref();
  // A keep-alive connection that turns idle after close() began would hold the close until
  // Fastify's 72 s keep-alive timeout (the Stripe sandbox and its webhook talk to this very
  // server over such connections while the demo seeds): drop idle ones until the close is done.
  const server = running.app?.getHttpServer();
  const dropIdle = setInterval(() => server?.closeIdleConnections(), 250);
  dropIdle.unref();
  try {
    // Stops accepting connections, lets requests and jobs finish, closes the pools...
    await running.app?.close();
  } finally {
    clearInterval(dropIdle);
    // ...and only then stops the embedded database they were using.
    await running.embedded?.stop();
    process.exit(0);
  }
}

function readConfig(): AppConfig {
  try {
    const config = loadConfig();
    const problems = productionProblems(config);
    if (problems.length > 0) throw new ConfigValidationError(problems);
    return config;
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw e;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

  const db = await resolveDatabase(config);
  running.embedded = db.embedded;
  // A demo server's clock can be set back by the seeder while it writes the demo's past (DemoClock).
  const demoClock = config.demoSeedEnabled ? new DemoClock() : undefined;
  running.app = await createApp(config, db.url, demoClock ? { clock: demoClock } : {});
  if (demoClock) holdRequestsWhileTravelling(running.app, demoClock);
  await running.app.listen({ port: config.PORT, host: config.HOST });

  const url = config.PUBLIC_URL.replace(/\/+$/, '');
  logger.log(`LexMarket is up: ${url}  (API docs ${url}/api/docs, health ${url}/api/health)`);
  logger.log(
    config.publicUrlDerived
      ? `Links in emails, payment returns and calendar files use ${url} (PUBLIC_URL unset: derived from PORT/HOST)`
      : `Links in emails, payment returns and calendar files use PUBLIC_URL ${url}`,
  );
  const mismatch = publicUrlMismatch(config);
  if (mismatch) logger.warn(mismatch);
  if (db.embedded)
    logger.log(`Using embedded PostgreSQL (data in ${config.dataDir}/pg); set DATABASE_URL to use your own server`);
  // Demo accounts when the database is empty (embedded mode, or DEMO_SEED=true); see DemoSeeder.
  const banner = demoAccountsBanner(await running.app.get(DemoSeeder).run(), url);
  if (banner) process.stdout.write(banner);
}

main().catch(async (error: unknown) => {
  // Stopped while starting (a signal during the demo seeding): the shutdown ends the process.
  if (shuttingDown) return;
  // An operator-fixable problem is its message; anything else keeps its stack for a bug report.
  const known = error instanceof EmbeddedPostgresError;
  process.stderr.write(
    `Failed to start: ${error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error)}\n`,
  );
  await running.embedded?.stop().catch(() => undefined);
  process.exit(1);
});
