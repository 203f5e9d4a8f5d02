import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createApp } from './bootstrap';
import { loadConfig } from './config/app-config';
import { createOpenApiDocument } from './app.setup';

/**
 * Writes the OpenAPI document to the given path (default apps/api/openapi.json) without
 * connecting to any database: the module graph is built but never initialised.
 */
async function run(): Promise<void> {
  const out = resolve(process.argv[2] ?? resolve(__dirname, '..', 'openapi.json'));
  const config = loadConfig({ ...process.env, SERVE_WEB: 'false', LOG_LEVEL: 'warn', DATABASE_URL: undefined });
  const app = await createApp(config, 'postgres://openapi@127.0.0.1:1/none', { documentOnly: true });
  // No PUBLIC_URL: the committed document (and openapi:check) must not depend on the generating
  // machine's environment; a deployment serves its own, with its PUBLIC_URL, at /api/openapi.json.
  const document = createOpenApiDocument(app);
  writeFileSync(out, JSON.stringify(document, null, 2) + '\n');
  process.stdout.write(`OpenAPI document written to ${out}\n`);
  process.exit(0);
}

void run();
