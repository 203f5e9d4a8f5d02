import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { AppConfig } from '../../src/config/app-config';
import { FsBlobStore } from '../../src/modules/storage/fs-blob-store';
import { describeBlobStoreContract, failingStream, readAll } from './blob-store.contract';

const fsConfig = (root: string): AppConfig =>
  Object.assign(new AppConfig(), { BLOB_DRIVER: 'fs', BLOB_FS_ROOT: root } satisfies Partial<AppConfig>);

async function tempRoot(): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'lm-blobs-'));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Every file under `root`, as paths relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

describeBlobStoreContract('filesystem driver', async () => {
  const { root, remove } = await tempRoot();
  return { store: new FsBlobStore(fsConfig(root)), cleanup: remove };
});

describe('FsBlobStore on disk', () => {
  let root: string;
  let remove: () => Promise<void>;
  let store: FsBlobStore;

  beforeEach(async () => {
    ({ root, remove } = await tempRoot());
    store = new FsBlobStore(fsConfig(root));
  });
  afterEach(async () => {
    await remove();
  });

  it('keeps exactly one data file and one metadata record per blob across overwrites, and none after delete', async () => {
    await store.put('contracts/1.pdf', Buffer.from('v1'));
    await store.put('contracts/1.pdf', Readable.from([Buffer.from('v2')]));
    await store.put('contracts/1.pdf', Buffer.from('v3'));

    const files = await filesUnder(root);
    expect(files).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.blob'))).toHaveLength(1);

    await store.delete('contracts/1.pdf');
    expect(await filesUnder(root)).toEqual([]);
  });

  it('leaves no orphaned data file after concurrent puts of one key', async () => {
    await store.put('contended', Buffer.from('v0'));

    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put('contended', Buffer.from(`version ${i}`))));

    expect(await filesUnder(root)).toHaveLength(2);
  });

  it('leaves no file behind when the body fails midway', async () => {
    await expect(store.put('uploads/broken', failingStream(64 * 1024))).rejects.toThrow('client went away');
    expect(await filesUnder(root)).toEqual([]);
  });

  it('never uses the key as a path, so nothing is written outside the root', async () => {
    const outside = await tempRoot();
    try {
      const nested = new FsBlobStore(fsConfig(join(outside.root, 'blobs')));
      await nested.put('..-not-a-parent/..x/x..', Buffer.from('dots inside segments are fine'));

      expect(await filesUnder(outside.root)).toEqual(expect.arrayContaining([expect.stringMatching(/^blobs\//)]));
      expect((await filesUnder(outside.root)).every((f) => f.startsWith('blobs/'))).toBe(true);
      expect((await readAll((await nested.get('..-not-a-parent/..x/x..')).stream)).toString()).toBe(
        'dots inside segments are fine',
      );
    } finally {
      await outside.remove();
    }
  });

  it('creates a missing root on ping, and fails ping when the root cannot be a directory', async () => {
    await expect(new FsBlobStore(fsConfig(join(root, 'not', 'yet'))).ping()).resolves.toBeUndefined();

    await writeFile(join(root, 'a-file'), 'x');
    await expect(new FsBlobStore(fsConfig(join(root, 'a-file'))).ping()).rejects.toThrow();
  });
});
