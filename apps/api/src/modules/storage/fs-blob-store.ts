import { Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../../config/app-config';
import { assertValidBlobKey } from './blob-key';
import { BlobContent, BlobHead, BlobRange, BlobStore, DEFAULT_BLOB_CONTENT_TYPE, PutBlobOptions, PutBlobResult } from './blob-store';
import { DigestStream } from './digest-stream';
import { BlobNotFound, BlobRangeNotSatisfiable, rangeInside } from './storage.errors';

/** The sidecar record of one blob; renaming it into place is what commits a put. */
interface FsBlobMeta {
  key: string;
  size: number;
  sha256: string;
  contentType: string;
  /** Base name of the data file, in the same directory as this record. */
  file: string;
}

/**
 * Filesystem driver (single-node deployments and development), rooted at `config.blobFsRoot`.
 *
 * Layout: a blob lives in `<root>/<h[0..2]>/<h[2..4]>/` where `h` = SHA-256 of its key, as
 *   - `<h>.json`: the metadata record {key, size, sha256, contentType, file};
 *   - `<h>.<uuid>.blob`: the bytes, named by the record's `file`.
 * Hashing the key means the key never becomes part of a path, so no key can escape the root,
 * and keys such as `a` and `a/b` can coexist (with key-shaped paths one would need `a` to be a
 * file and a directory at once, which S3 allows and a filesystem does not).
 *
 * A put streams the bytes into a fresh `<h>.<uuid>.blob` (invisible until referenced), then
 * writes the record to a temporary file in the same directory and `rename`s it over `<h>.json`.
 * That rename is the single atomic commit point: readers see the old blob or the new one, and
 * data and metadata can never disagree. The replaced data file is removed afterwards. Commits
 * and deletes of one key are serialised within the process so that no replaced data file is
 * missed; a crash can at worst leave an unreferenced `.blob` file behind, never a torn blob.
 */
export class FsBlobStore extends BlobStore {
  private readonly logger = new Logger(FsBlobStore.name);
  private readonly root: string;
  /** Tail of the queue of commits/deletes per key (see `serialised`). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(config: AppConfig) {
    super();
    this.root = config.blobFsRoot;
  }

  async put(key: string, body: Readable | Buffer, opts: PutBlobOptions = {}): Promise<PutBlobResult> {
    assertValidBlobKey(key);
    const { dir, hash, metaPath } = this.locate(key);
    await mkdir(dir, { recursive: true });

    const file = `${hash}.${randomUUID()}.blob`;
    const dataPath = join(dir, file);
    const digest = new DigestStream();
    try {
      // `flush` fsyncs before close, so a committed record never points at unwritten bytes.
      await pipeline(
        Buffer.isBuffer(body) ? Readable.from([body]) : body,
        digest,
        createWriteStream(dataPath, { flags: 'wx', flush: true }),
      );
    } catch (e) {
      await rm(dataPath, { force: true });
      throw e;
    }

    const { sha256, size } = digest.result();
    const meta: FsBlobMeta = { key, size, sha256, contentType: opts.contentType ?? DEFAULT_BLOB_CONTENT_TYPE, file };
    await this.serialised(key, async () => {
      const previous = await this.readMeta(key, metaPath);
      const tmpPath = join(dir, `${hash}.${randomUUID()}.json.tmp`);
      try {
        await writeFile(tmpPath, JSON.stringify(meta), { flag: 'wx', flush: true });
        await rename(tmpPath, metaPath);
      } catch (e) {
        await rm(tmpPath, { force: true });
        await rm(dataPath, { force: true });
        throw e;
      }
      if (previous) await this.removeData(dir, previous);
    });
    return { key, sha256, size };
  }

  async get(key: string, range?: BlobRange): Promise<BlobContent> {
    assertValidBlobKey(key);
    const { dir, metaPath } = this.locate(key);
    // A concurrent put may replace the record and remove its data file between our reading the
    // record and opening the file; the next attempt then finds the new record. Once open, the
    // file stays readable even if it is unlinked.
    for (let attempt = 0; attempt < 3; attempt++) {
      const meta = await this.readMeta(key, metaPath);
      if (!meta) throw new BlobNotFound();
      try {
        const handle = await open(join(dir, basename(meta.file)), 'r');
        const { size } = await handle.stat();
        if (range && !rangeInside(range, size)) {
          await handle.close();
          throw new BlobRangeNotSatisfiable();
        }
        const stream = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
        return { stream, size, contentType: meta.contentType };
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    throw new BlobNotFound();
  }

  async head(key: string): Promise<BlobHead | null> {
    assertValidBlobKey(key);
    const meta = await this.readMeta(key, this.locate(key).metaPath);
    return meta && { key, size: meta.size, contentType: meta.contentType, sha256: meta.sha256 };
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    const { dir, metaPath } = this.locate(key);
    await this.serialised(key, async () => {
      const meta = await this.readMeta(key, metaPath);
      if (!meta) return;
      await rm(metaPath, { force: true }); // the blob is gone from here on
      await this.removeData(dir, meta);
    });
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.R_OK | constants.W_OK);
  }

  private locate(key: string): { dir: string; hash: string; metaPath: string } {
    const hash = createHash('sha256').update(key).digest('hex');
    const dir = join(this.root, hash.slice(0, 2), hash.slice(2, 4));
    return { dir, hash, metaPath: join(dir, `${hash}.json`) };
  }

  private async readMeta(key: string, metaPath: string): Promise<FsBlobMeta | null> {
    let text: string;
    try {
      text = await readFile(metaPath, 'utf8');
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
    const meta = JSON.parse(text) as FsBlobMeta;
    if (meta.key !== key) throw new Error(`Blob metadata at ${metaPath} belongs to another key`);
    return meta;
  }

  /** Best effort: a leftover data file wastes space but is never read again. */
  private async removeData(dir: string, meta: FsBlobMeta): Promise<void> {
    try {
      await rm(join(dir, basename(meta.file)), { force: true });
    } catch (e) {
      this.logger.warn(`Could not remove replaced blob data ${meta.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Runs `task` after every earlier task queued for the same key has settled. */
  private async serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(key) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
  }
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
