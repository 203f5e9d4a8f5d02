import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, ConfigValidationError } from '../../config/app-config';

export const GENERATED_KEY_FILE = 'audit-signing-key.pem';

/** Parses AUDIT_SIGNING_KEY: a PKCS#8 PEM (literal `\n` allowed) or base64 of the PKCS#8 DER. */
export function parseSigningKey(value: string): KeyObject {
  const text = value.trim().replace(/\\n/g, '\n');
  const key = text.startsWith('-----BEGIN')
    ? createPrivateKey({ key: text, format: 'pem' })
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(`expected an Ed25519 private key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

/** First 16 hex characters of SHA-256 over the public key's SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The Ed25519 key that signs audit checkpoints. From AUDIT_SIGNING_KEY when set; otherwise a
 * key generated once and kept in DATA_DIR/audit-signing-key.pem (mode 0600), with a warning:
 * every replica must share one configured key in production.
 */
@Injectable()
export class AuditSigner implements OnModuleInit {
  private readonly logger = new Logger(AuditSigner.name);
  private privateKey?: KeyObject;
  private publicKey?: KeyObject;
  private id?: string;

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.privateKey = this.config.AUDIT_SIGNING_KEY ? this.configuredKey(this.config.AUDIT_SIGNING_KEY) : this.generatedKey();
    this.publicKey = createPublicKey(this.privateKey);
    this.id = keyIdOf(this.publicKey);
  }

  get keyId(): string {
    return this.require().id;
  }

  get publicKeyPem(): string {
    return this.require().publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** Base64 Ed25519 signature of `message`. */
  sign(message: Buffer): string {
    return sign(null, message, this.require().privateKey).toString('base64');
  }

  /** Whether `signature` (base64) is this key's signature of `message`; malformed input is simply invalid. */
  verify(message: Buffer, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64) return false;
    try {
      return verify(null, message, this.require().publicKey, bytes);
    } catch {
      return false;
    }
  }

  private require(): { privateKey: KeyObject; publicKey: KeyObject; id: string } {
    if (!this.privateKey || !this.publicKey || !this.id) throw new Error('AuditSigner used before initialisation');
    return { privateKey: this.privateKey, publicKey: this.publicKey, id: this.id };
  }

  private configuredKey(value: string): KeyObject {
    try {
      return parseSigningKey(value);
    } catch (e) {
      throw new ConfigValidationError([
        {
          variable: 'AUDIT_SIGNING_KEY',
          message: `must be an Ed25519 private key (PKCS#8 PEM or base64 DER): ${(e as Error).message}`,
        },
      ]);
    }
  }

  private generatedKey(): KeyObject {
    const file = join(this.config.dataDir, GENERATED_KEY_FILE);
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
      if ((statSync(file).mode & 0o077) !== 0) this.logger.warn(`${file} is readable by other users; chmod 600 it`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(this.config.dataDir, { recursive: true });
      pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      try {
        writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      } catch (writeError) {
        // Another process created it first: use theirs so both sign with the same key.
        if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
        pem = readFileSync(file, 'utf8');
      }
    }
    this.logger.warn(
      `AUDIT_SIGNING_KEY is not set: audit checkpoints are signed with the generated key in ${file}. ` +
        'Set AUDIT_SIGNING_KEY in production (every replica must use the same key) and keep a copy of the public key.',
    );
    return parseSigningKey(pem);
  }
}
