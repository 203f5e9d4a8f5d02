import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { formatMasterKeyRing, MasterKeyRingInvalid, parseMasterKeyRing, type MasterKey } from '../../config/blob-master-keys';

/**
 * The master keys of encryption at rest: the active one (first) wraps the data key of every new
 * object; every key of the ring can unwrap the objects written under it.
 */
export class BlobKeyRing {
  readonly active: MasterKey;

  constructor(
    readonly keys: readonly MasterKey[],
    /** Where the ring came from, for messages (never the keys). */
    readonly source: string,
  ) {
    if (keys.length === 0) throw new Error('A blob key ring needs at least one key');
    this.active = keys[0]!;
  }

  find(id: string): MasterKey | undefined {
    return this.keys.find((k) => k.id === id);
  }
}

/** A fresh master key: 32 random bytes, a random id `k<8 hex>` (ids only need to be unique in a ring; its order says which is newer). */
export function newMasterKey(): MasterKey {
  return { id: `k${randomBytes(4).toString('hex')}`, key: randomBytes(32) };
}

/**
 * The key ring of this process:
 * - BLOB_MASTER_KEYS (validated with the rest of the configuration);
 * - else BLOB_MASTER_KEYS_FILE, which must exist (e.g. a mounted secret);
 * - else DATA_DIR/blob-master-keys, generated once (0600) with a warning, as the JWT secret and
 *   the contract seal are. Production with an external database never gets here
 *   (productionProblems refuses to start without a configured ring).
 * Read once at start-up: after a rotation, restart (every replica).
 */
export function resolveBlobKeyRing(config: AppConfig, logger = new Logger('BlobKeyRing')): BlobKeyRing {
  if (config.BLOB_MASTER_KEYS !== undefined) return new BlobKeyRing(parseMasterKeyRing(config.BLOB_MASTER_KEYS), 'BLOB_MASTER_KEYS');
  const file = config.blobKeyRingFile;
  if (config.BLOB_MASTER_KEYS_FILE) {
    const ring = readKeyRingFile(file, logger);
    if (!ring) throw new Error(`BLOB_MASTER_KEYS_FILE: ${file} does not exist (create it with npm run blob-key:rotate, or unset the variable)`);
    return ring;
  }
  const existing = readKeyRingFile(file, logger);
  if (existing) return existing;
  const created = createKeyRingFileOnce(file, [newMasterKey()]);
  logger.warn(
    `BLOB_MASTER_KEYS is not set: stored files are encrypted under a master key generated into ${file}. ` +
      'Back it up with the data (without it nothing stored can be read), and set BLOB_MASTER_KEYS in production, the same on every replica.',
  );
  return new BlobKeyRing(created, file);
}

/** The ring in `file`, or null when there is no such file. Errors name the file, never a key. */
export function readKeyRingFile(file: string, logger?: Logger): BlobKeyRing | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read the blob key ring ${file}: ${(e as Error).message}`);
  }
  if (logger && (statSync(file).mode & 0o077) !== 0) logger.warn(`${file} is readable by other users; chmod 600 it`);
  try {
    return new BlobKeyRing(parseMasterKeyRing(text), file);
  } catch (e) {
    if (e instanceof MasterKeyRingInvalid) throw new Error(`The blob key ring ${file} is invalid: ${e.message}`);
    throw e;
  }
}

/**
 * Writes a ring to `file` unless it exists, atomically (a complete temporary file hard-linked
 * into place), so concurrent first starts agree on one ring: the first wins, all use its keys.
 */
function createKeyRingFileOnce(file: string, keys: MasterKey[]): MasterKey[] {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, header() + formatMasterKeyRing(keys), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  try {
    linkSync(tmp, file);
    return keys;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return [...(readKeyRingFile(file)?.keys ?? [])];
  } finally {
    unlinkSync(tmp);
  }
}

function header(): string {
  return (
    '# LexMarket blob master key ring: id:base64-of-32-bytes, one per line, the FIRST is active.\n' +
    '# Never remove a key while objects written under it remain. Rotate: npm run blob-key:rotate\n'
  );
}

/**
 * Rotation of a key ring file: prepends `key` (a new one by default) as the active key and
 * keeps every older key for reading; creates the file when there is none (`created`). The file
 * is replaced atomically (rename) and stays 0600. The server reads the ring at start-up.
 */
export function rotateKeyRingFile(file: string, key: MasterKey = newMasterKey()): { added: MasterKey; keys: MasterKey[]; created: boolean } {
  const existing = readKeyRingFile(file);
  if (existing?.find(key.id)) throw new Error(`The key ring ${file} already has a key "${key.id}"`);
  const keys = [key, ...(existing?.keys ?? [])];
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, header() + formatMasterKeyRing(keys), { mode: 0o600, flag: 'wx' });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed or never written
    }
    throw e;
  }
  return { added: key, keys, created: !existing };
}

/** Creates the key ring file with one new key when it does not exist yet (deployment set-up); null when it exists. */
export function initKeyRingFile(file: string): MasterKey[] | null {
  if (readKeyRingFile(file)) return null;
  return createKeyRingFileOnce(file, [newMasterKey()]);
}
