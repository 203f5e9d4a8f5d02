import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..', '..');

/** Issue 16: a production deployment with its own database does not start without a master key ring. */
describe('start-up in production without a blob master key ring', () => {
  it('exits 78 and names BLOB_MASTER_KEYS, before connecting anywhere', () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      // Unreachable on purpose: the refusal must come before any connection.
      DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
      STRIPE_SANDBOX: 'true',
      LOG_LEVEL: 'silent',
    };
    delete env.BLOB_MASTER_KEYS;
    delete env.BLOB_MASTER_KEYS_FILE;
    const r = spawnSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'apps/api/tsconfig.json', 'apps/api/src/main.ts'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('BLOB_MASTER_KEYS:');
    expect(r.stderr).toContain('openssl rand -base64 32');
    expect(r.stderr).not.toContain('STRIPE_SECRET_KEY');
  });
});
