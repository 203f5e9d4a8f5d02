/**
 * The baseline the real app is compared with: bare Fastify + `pg`, no framework, doing the
 * same work per request as the app's scenario. Started as its own process by run.ts:
 *   tsx baseline-server.ts <port> <databaseUrl> <blobRoot>
 */
import Fastify from 'fastify';
import { access, constants, mkdir } from 'node:fs/promises';
import { Pool } from 'pg';

async function main(): Promise<void> {
  const [port, databaseUrl, blobRoot] = process.argv.slice(2);
  if (!port || !databaseUrl || !blobRoot) throw new Error('usage: baseline-server <port> <databaseUrl> <blobRoot>');
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const app = Fastify({ logger: false });

  // Same checks as GET /api/health: database ping, blob root present and writable, pg-boss
  // schema present; plus the no-store header the API sends.
  app.get('/api/health', async (_req, reply) => {
    const [db, jobs] = await Promise.all([
      pool.query('SELECT 1').then(() => 'up' as const),
      pool.query("SELECT to_regclass('pgboss.version') IS NOT NULL AS installed").then((r) => (r.rows[0].installed ? 'up' : 'down')),
    ]);
    await mkdir(blobRoot, { recursive: true });
    await access(blobRoot, constants.R_OK | constants.W_OK);
    void reply.header('cache-control', 'no-store');
    return { status: 'ok', details: { database: { status: db }, storage: { status: 'up' }, jobs: { status: jobs } } };
  });

  await app.listen({ port: Number(port), host: '127.0.0.1' });
  const stop = () => void app.close().then(() => pool.end()).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
