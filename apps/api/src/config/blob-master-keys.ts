/** One master key of the blob store's key ring (see modules/storage/encrypting-blob-store.ts). */
export interface MasterKey {
  /** Written into every object the key protects; 1..64 characters of `[A-Za-z0-9._-]`. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

export const MASTER_KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}|[A-Za-z0-9+/]{3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class MasterKeyRingInvalid extends Error {}

/**
 * Parses a master key ring: entries `id:base64-of-32-bytes`, separated by commas and/or line
 * breaks (the BLOB_MASTER_KEYS variable, or a key ring file with one entry per line); blank
 * entries and whole lines starting with `#` are ignored. The FIRST entry is the active key (new
 * objects); the others only read objects written before a rotation. Errors name the entry by
 * its position and never echo key material.
 */
export function parseMasterKeyRing(text: string): MasterKey[] {
  const entries = text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new MasterKeyRingInvalid('the key ring has no key; expected id:base64-of-32-bytes[,id:base64…] (first = active)');
  const keys: MasterKey[] = [];
  entries.forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new MasterKeyRingInvalid(`${where} is not id:base64-of-32-bytes`);
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!MASTER_KEY_ID.test(id)) throw new MasterKeyRingInvalid(`${where}: the key id must be 1-64 characters of A-Z a-z 0-9 . _ -`);
    if (keys.some((k) => k.id === id)) throw new MasterKeyRingInvalid(`${where}: the key id "${id}" appears twice`);
    if (!BASE64.test(encoded) && !BASE64URL.test(encoded)) throw new MasterKeyRingInvalid(`${where} (key "${id}"): the key is not base64`);
    const key = Buffer.from(encoded, BASE64.test(encoded) ? 'base64' : 'base64url');
    if (key.length !== 32) throw new MasterKeyRingInvalid(`${where} (key "${id}"): the key must be 32 bytes (base64 of 32 random bytes, e.g. openssl rand -base64 32), got ${key.length}`);
    keys.push({ id, key });
  });
  return keys;
}

/** The ring as text for a key ring file: one entry per line, active first. */
export function formatMasterKeyRing(keys: readonly MasterKey[]): string {
  return keys.map((k) => `${k.id}:${k.key.toString('base64')}\n`).join('');
}
