import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module';
import { ConfigValidationError, loadConfig, productionProblems } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { ValidationFailed } from '../common/errors/common.errors';
import { resolveDatabase } from '../database/database-url';
import { AccountsService, passwordProblem, PASSWORD_RULE } from '../modules/identity';

/**
 * `npm run admin:create -- --email admin@example.com --password '…' [--name 'Site Admin']`
 *
 * Creates an ADMIN account (admins never self-register). Uses the same configuration and
 * database resolution as the server: DATABASE_URL, or the embedded PostgreSQL under DATA_DIR
 * (started for the command, or the running app's server, which is left running).
 */
const USAGE = "Usage: npm run admin:create -- --email <email> --password '<password>' [--name <display name>]";
const EX_USAGE = 64;
const EX_DATAERR = 65;
const EX_CONFIG = 78;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: { email?: string; password?: string; name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`, EX_USAGE);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n\nPassword rule: ${PASSWORD_RULE}\n`);
    return;
  }
  const email = values.email?.trim();
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(`--email must be an email address.\n${USAGE}`, EX_USAGE);
  if (!values.password) fail(`--password is required.\n${USAGE}`, EX_USAGE);
  const problem = passwordProblem(values.password, email);
  if (problem) fail(problem, EX_DATAERR);
  const displayName = values.name?.trim() || 'Administrator';

  let config;
  try {
    config = loadConfig({ ...process.env, JOBS_ENABLED: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    // The same configuration the server would refuse to start with (exit 78, the variable named).
    const problems = productionProblems(config);
    if (problems.length > 0) throw new ConfigValidationError(problems);
  } catch (e) {
    if (e instanceof ConfigValidationError) fail(e.message, EX_CONFIG);
    throw e;
  }
  const db = await resolveDatabase(config);
  db.embedded?.releaseIfAdopted();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: db.url }), { logger: ['error', 'warn'] });
  let exitCode = 0;
  try {
    const user = await app.get(AccountsService).createByAdmin(null, { email, password: values.password, displayName, role: 'ADMIN' });
    process.stdout.write(`Created ADMIN ${user.email} (id ${user.id}). Sign in at ${config.PUBLIC_URL}\n`);
  } catch (e) {
    if (e instanceof ValidationFailed) {
      process.stderr.write(`${e.fields.flatMap((f) => f.messages).join('\n')}\n`);
      exitCode = EX_DATAERR;
    } else if (e instanceof DomainError) {
      process.stderr.write(`${e.message}\n`);
      exitCode = 1;
    } else {
      throw e;
    }
  } finally {
    await app.close();
    await db.embedded?.stop();
  }
  process.exit(exitCode);
}

main().catch((e: unknown) => {
  process.stderr.write(`admin:create failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
