import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigValidationError, loadConfig } from '../config/app-config';
import { MASTER_KEY_ID } from '../config/blob-master-keys';
import { initKeyRingFile, newMasterKey, rotateKeyRingFile } from '../modules/storage';

/**
 * `npm run blob-key:rotate [-- --id <key id>]`
 *
 * Rotates the master key of encryption at rest in the key ring FILE (BLOB_MASTER_KEYS_FILE, or
 * the generated DATA_DIR/blob-master-keys): prepends a new random key, which wraps the data keys
 * of every object stored from the next start on; the older keys stay for reading what they
 * wrapped. Restart the server (every replica) afterwards. No database is needed.
 *
 * `--print`: only prints a new `id:base64` entry, for deployments that set BLOB_MASTER_KEYS in
 * their environment (prepend it there, comma-separated). `--init`: creates the file with one key
 * when it does not exist and leaves an existing ring alone (a deployment's set-up step, e.g.
 * docker-compose's blob-keys-init).
 */
const USAGE = 'Usage: npm run blob-key:rotate [-- --id <key id>] | -- --print | -- --init';
const EX_USAGE = 64;
const EX_CONFIG = 78;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function main(): void {
  let values: { id?: string; print?: boolean; init?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { id: { type: 'string' }, print: { type: 'boolean' }, init: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`, EX_USAGE);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.id !== undefined && !MASTER_KEY_ID.test(values.id)) fail('--id must be 1-64 characters of A-Z a-z 0-9 . _ -', EX_USAGE);
  const key = { ...newMasterKey(), ...(values.id ? { id: values.id } : {}) };

  if (values.print) {
    process.stdout.write(`${key.id}:${key.key.toString('base64')}\n`);
    process.stderr.write(
      'Prepend this entry to BLOB_MASTER_KEYS (comma-separated, first = active) and restart. With several replicas, ' +
        'first append it at the END on every replica (they can then read what it encrypts), then move it to the front.\n',
    );
    return;
  }

  let config;
  try {
    config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  } catch (e) {
    if (e instanceof ConfigValidationError) fail(e.message, EX_CONFIG);
    throw e;
  }
  if (config.BLOB_MASTER_KEYS !== undefined) {
    fail(
      'BLOB_MASTER_KEYS is set: this deployment keeps its key ring in the environment, not in a file. ' +
        'Generate an entry with `npm run blob-key:rotate -- --print`, prepend it to BLOB_MASTER_KEYS (keep the old ones) and restart.',
      EX_CONFIG,
    );
  }
  const file = config.blobKeyRingFile;
  if (values.init) {
    const created = initKeyRingFile(file);
    process.stdout.write(created ? `Created the blob key ring ${file} with key ${created[0]!.id}.\n` : `The blob key ring ${file} exists; left as it is.\n`);
    return;
  }
  const { added, keys, created } = rotateKeyRingFile(file, key);
  process.stdout.write(
    (created ? `Created the blob key ring ${file} with key ${added.id}.\n` : `Added key ${added.id} as the active key of ${file}.\n`) +
      `Keys, active first: ${keys.map((k) => k.id).join(', ')}. Objects already stored stay readable with the older keys: never remove a key while objects written under it remain.\n` +
      'Restart the server (every replica, all with this file) so that new objects use the new key.\n',
  );
}

try {
  main();
} catch (e) {
  process.stderr.write(`blob-key:rotate failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
