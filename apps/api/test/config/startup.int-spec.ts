import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..', '..');

/** The real entry point refuses bad configuration before touching anything. */
describe('start-up with bad configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ BLOB_DRIVER: 'ftp' }, 'BLOB_DRIVER'],
  ])('exits 78 and names the variable for %j', (env, variable) => {
    const r = spawnSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'apps/api/tsconfig.json', 'apps/api/src/main.ts'], {
      cwd: root,
      env: { ...process.env, ...env, DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain(`${variable}:`);
    expect(r.stderr).not.toMatch(/at .+\.(ts|js):\d+/);
  });
});
