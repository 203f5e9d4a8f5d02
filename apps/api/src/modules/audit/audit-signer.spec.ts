import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from '../../config/app-config';
import { AuditSigner, GENERATED_KEY_FILE, keyIdOf } from './audit-signer';

describe('AuditSigner', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lm-signer-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const signer = (env: Record<string, string> = {}) => {
    const s = new AuditSigner(loadConfig({ DATA_DIR: dataDir, ...env }));
    s.onModuleInit();
    return s;
  };

  it('uses AUDIT_SIGNING_KEY given as PEM (with \\n escapes) or as base64 DER, and writes no key file', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    for (const value of [pem, pem.replace(/\n/g, '\\n'), der]) {
      const s = signer({ AUDIT_SIGNING_KEY: value });
      expect(s.keyId).toBe(keyIdOf(publicKey));
      const signature = s.sign(Buffer.from('hello'));
      expect(verify(null, Buffer.from('hello'), createPublicKey(s.publicKeyPem), Buffer.from(signature, 'base64'))).toBe(true);
    }
    expect(() => statSync(join(dataDir, GENERATED_KEY_FILE))).toThrow();
  });

  it('refuses a key that is not Ed25519, naming the variable', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    for (const value of [rsa, 'not a key']) {
      const error = (() => {
        try {
          signer({ AUDIT_SIGNING_KEY: value });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).problems[0]!.variable).toBe('AUDIT_SIGNING_KEY');
    }
  });

  it('without a configured key generates one into DATA_DIR (0600) and reuses it on the next start', () => {
    const first = signer();
    const file = join(dataDir, GENERATED_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(signer().keyId).toBe(first.keyId);
  });

  it('treats malformed signatures as invalid rather than throwing', () => {
    const s = signer();
    expect(s.verify(Buffer.from('x'), 'not base64!')).toBe(false);
    expect(s.verify(Buffer.from('x'), Buffer.alloc(64).toString('base64'))).toBe(false);
    expect(s.verify(Buffer.from('x'), s.sign(Buffer.from('x')))).toBe(true);
  });
});
