import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, ConfigValidationError, loadConfig, productionProblems } from '../../src/config/app-config';
import { parseMasterKeyRing } from '../../src/config/blob-master-keys';
import { AppConfigModule } from '../../src/config/config.module';
import { BlobStore } from '../../src/modules/storage/blob-store';
import { resolveBlobKeyRing, rotateKeyRingFile } from '../../src/modules/storage/blob-key-ring';
import { EncryptingBlobStore } from '../../src/modules/storage/encrypting-blob-store';
import { FsBlobStore } from '../../src/modules/storage/fs-blob-store';
import { StorageModule } from '../../src/modules/storage/storage.module';
import { readAll } from './blob-store.contract';

const b64 = () => randomBytes(32).toString('base64');
const silent = { warn: jest.fn(), log: jest.fn() } as unknown as import('@nestjs/common').Logger;

describe('blob master key ring: configuration', () => {
  it('parses id:base64 entries, commas or lines, first = active; base64url and comments accepted', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const keys = parseMasterKeyRing(`# ring\nk2:${a.toString('base64')}, k1:${b.toString('base64url')}\n\n`);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[0]!.key.equals(a)).toBe(true);
    expect(keys[1]!.key.equals(b)).toBe(true);
  });

  it.each([
    ['empty', ' , '],
    ['no colon', b64()],
    ['a bad id', `bad id:${b64()}`],
    ['a short key', `k1:${randomBytes(16).toString('base64')}`],
    ['a key that is not base64', 'k1:not*base64!'],
    ['a duplicated id', `k1:${b64()},k1:${b64()}`],
  ])('BLOB_MASTER_KEYS with %s stops start-up naming the variable, without echoing key material', (_label, value) => {
    expect(() => loadConfig({ BLOB_MASTER_KEYS: value })).toThrow(ConfigValidationError);
    try {
      loadConfig({ BLOB_MASTER_KEYS: value });
    } catch (e) {
      expect((e as ConfigValidationError).problems.map((p) => p.variable)).toEqual(['BLOB_MASTER_KEYS']);
      const keyPart = value.split(':')[1]?.split(',')[0];
      if (keyPart && keyPart.length > 8) expect((e as Error).message).not.toContain(keyPart);
    }
  });

  it('BLOB_MASTER_KEYS and BLOB_MASTER_KEYS_FILE together are refused', () => {
    expect(() => loadConfig({ BLOB_MASTER_KEYS: `k1:${b64()}`, BLOB_MASTER_KEYS_FILE: '/run/secrets/keys' })).toThrow(/BLOB_MASTER_KEYS_FILE/);
  });

  it('production with its own database refuses to start without a configured ring; embedded mode and configured rings start', () => {
    const db = { DATABASE_URL: 'postgres://app@db.internal/lexmarket', STRIPE_SANDBOX: 'true' };
    expect(productionProblems(loadConfig({ NODE_ENV: 'production', ...db }))).toEqual([
      { variable: 'BLOB_MASTER_KEYS', message: expect.stringContaining('openssl rand -base64 32') },
    ]);
    expect(productionProblems(loadConfig({ NODE_ENV: 'production', ...db, BLOB_MASTER_KEYS: `k1:${b64()}` }))).toEqual([]);
    expect(productionProblems(loadConfig({ NODE_ENV: 'production', ...db, BLOB_MASTER_KEYS_FILE: '/run/secrets/keys' }))).toEqual([]);
    expect(productionProblems(loadConfig({ NODE_ENV: 'production', STRIPE_SANDBOX: 'true' }))).toEqual([]);
    expect(productionProblems(loadConfig({ NODE_ENV: 'development', DATABASE_URL: db.DATABASE_URL }))).toEqual([]);
  });
});

describe('blob master key ring: resolution, generation and rotation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lm-keyring-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const config = (env: Record<string, string> = {}): AppConfig => loadConfig({ DATA_DIR: dir, BLOB_FS_ROOT: join(dir, 'blobs'), ...env });

  it('BLOB_MASTER_KEYS wins and writes nothing', () => {
    const ring = resolveBlobKeyRing(config({ BLOB_MASTER_KEYS: `prod-1:${b64()},prod-0:${b64()}` }), silent);
    expect(ring.active.id).toBe('prod-1');
    expect(ring.keys.map((k) => k.id)).toEqual(['prod-1', 'prod-0']);
    expect(() => statSync(join(dir, 'blob-master-keys'))).toThrow();
  });

  it('unset: a ring is generated once into DATA_DIR/blob-master-keys (0600, with a warning) and reused', () => {
    const logger = { warn: jest.fn() } as unknown as import('@nestjs/common').Logger;
    const first = resolveBlobKeyRing(config(), logger);
    const file = join(dir, 'blob-master-keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((logger.warn as jest.Mock).mock.calls[0]![0]).toContain(file);
    expect(first.active.id).toMatch(/^k[0-9a-f]{8}$/);
    const again = resolveBlobKeyRing(config(), silent);
    expect(again.active.id).toBe(first.active.id);
    expect(again.active.key.equals(first.active.key)).toBe(true);
  });

  it('BLOB_MASTER_KEYS_FILE must exist; a broken ring file names the file, not a key', () => {
    const file = join(dir, 'secret-ring');
    expect(() => resolveBlobKeyRing(config({ BLOB_MASTER_KEYS_FILE: file }), silent)).toThrow(/BLOB_MASTER_KEYS_FILE: .*does not exist/);
    writeFileSync(file, 'k1:short\n', { mode: 0o600 });
    expect(() => resolveBlobKeyRing(config({ BLOB_MASTER_KEYS_FILE: file }), silent)).toThrow(`The blob key ring ${file} is invalid`);
    writeFileSync(file, `k9:${b64()}\n`, { mode: 0o600 });
    expect(resolveBlobKeyRing(config({ BLOB_MASTER_KEYS_FILE: file }), silent).active.id).toBe('k9');
  });

  it('rotation prepends a new active key and keeps the old ones (0600); old objects read, new ones carry the new id', async () => {
    const store = (): EncryptingBlobStore =>
      new EncryptingBlobStore(new FsBlobStore(config()), resolveBlobKeyRing(config(), silent));
    const before = store();
    await before.put('contracts/old.pdf', Buffer.from('%PDF-1.7 old'));
    const oldId = resolveBlobKeyRing(config(), silent).active.id;

    const file = join(dir, 'blob-master-keys');
    const { added, keys, created } = rotateKeyRingFile(file);
    expect(created).toBe(false);
    expect(keys.map((k) => k.id)).toEqual([added.id, oldId]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))[0]).toMatch(new RegExp(`^${added.id}:`));

    const after = store();
    await after.put('contracts/new.pdf', Buffer.from('%PDF-1.7 new'));
    expect((await readAll((await after.get('contracts/old.pdf')).stream)).toString()).toBe('%PDF-1.7 old');
    expect((await readAll((await after.get('contracts/new.pdf')).stream)).toString()).toBe('%PDF-1.7 new');
    // The object written before the rotation still reads with the old key; the new one cannot be read without the new key.
    await expect(before.get('contracts/new.pdf')).rejects.toThrow(`master key "${added.id}", which is not in the key ring`);
    expect(() => rotateKeyRingFile(file, added)).toThrow('already has a key');
  });

  it('rotating where there is no ring yet creates one', () => {
    const file = join(dir, 'nested', 'ring');
    const { keys, created } = rotateKeyRingFile(file);
    expect(created).toBe(true);
    expect(keys).toHaveLength(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('StorageModule binds BlobStore to the encrypting decorator over the configured driver, with the configured ring', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config({ BLOB_MASTER_KEYS: `mod-1:${b64()}` })), StorageModule],
    }).compile();
    const bound = moduleRef.get(BlobStore);
    await moduleRef.close();
    expect(bound).toBeInstanceOf(EncryptingBlobStore);
    expect((bound as EncryptingBlobStore).inner).toBeInstanceOf(FsBlobStore);
    await bound.put('x', Buffer.from('y'));
    const raw = await readAll((await (bound as EncryptingBlobStore).inner.get('x')).stream);
    expect(raw.subarray(10, 15).toString()).toBe('mod-1');
  });
});
