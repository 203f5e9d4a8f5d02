import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The HS256 key of access tokens: JWT_SECRET when configured, otherwise a random key
 * generated once and kept in `<dataDir>/jwt-secret` (mode 0600), with a warning, so a
 * single-machine install works out of the box and survives restarts. Several replicas must
 * share one JWT_SECRET (each would otherwise generate its own).
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string, logger = new Logger('JwtSecret')): string {
  if (configured) return configured;
  const file = join(dataDir, 'jwt-secret');
  const existing = readSecret(file);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': if another process created it meanwhile, use theirs (read below).
    writeFileSync(file, randomBytes(48).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    logger.warn(`JWT_SECRET is not set: generated an access-token key in ${file}. Set JWT_SECRET (shared by every replica) in production.`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  chmodSync(file, 0o600);
  const created = readSecret(file);
  if (!created) throw new Error(`${file} is empty or too short; delete it to generate a new key`);
  return created;
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (text.length < 32) return undefined;
  return text;
}
