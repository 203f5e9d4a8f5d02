import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..', '..');

/** Issue 10, finding 5: the real entry point refuses a production start that would run the free sandbox. */
describe('start-up in production without a Stripe key', () => {
  it('exits 78, names STRIPE_SECRET_KEY and says how to run the sandbox on purpose', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DATABASE_URL: '', LOG_LEVEL: 'silent' };
    delete env.STRIPE_SECRET_KEY;
    delete env.STRIPE_SANDBOX;
    const r = spawnSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'apps/api/tsconfig.json', 'apps/api/src/main.ts'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('STRIPE_SECRET_KEY:');
    expect(r.stderr).toContain('STRIPE_SANDBOX=true');
  });
});
