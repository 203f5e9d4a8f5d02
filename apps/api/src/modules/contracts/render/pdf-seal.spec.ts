import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from '../../../config/app-config';
import { Clock } from '../../../common/time/clock';
import { executedInput, NAMES, signerEvents } from '../../../../test/contracts/pdf-fixtures';
import { byteRange, opensslCmsVerify, opensslP12, pdfsig, pdftotext, signedParts } from '../../../../test/contracts/pdf-tools';
import { pdfText } from '../../../../test/support/pdf-text';
import { renderExecutedPdf } from './contract-pdf';
import { ContractSealer, GENERATED_SEAL_FILE } from './pdf-seal';

const SEALED_AT = new Date('2026-03-02T11:02:01Z');
const squash = (s: string) => s.replace(/\s+/g, '');

function configError(run: () => unknown): ConfigValidationError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigValidationError) return e;
    throw e;
  }
  throw new Error('expected a ConfigValidationError');
}

/** The same file with one byte changed at `offset`. */
function flip(pdf: Buffer, offset: number): Buffer {
  const copy = Buffer.from(pdf);
  copy[offset] = copy[offset]! ^ 0x01;
  return copy;
}

describe('ContractSealer', () => {
  let dataDir: string;
  let unsealed: Buffer;
  const clock = new (class extends Clock {
    now() {
      return new Date('2026-03-02T11:00:00Z');
    }
  })();
  const sealer = (env: Record<string, string> = {}) => new ContractSealer(loadConfig({ DATA_DIR: dataDir, ...env }), clock);

  beforeAll(async () => {
    unsealed = await renderExecutedPdf(executedInput());
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'lm-seal-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seals with a signature that pdfsig and openssl cms verify, over the whole file', async () => {
    const sealed = await sealer().seal(unsealed, { signedAt: SEALED_AT, reason: 'Executed contract C-2026-000123' });

    const sig = pdfsig(sealed);
    expect(sig.output).toContain('Signature Validation: Signature is Valid.');
    expect(sig.output).toContain('Total document signed');
    expect(sig.output).toContain('Signature Type: adbe.pkcs7.detached');
    expect(sig.output).toContain('Signer Certificate Common Name: LexMarket contract seal');
    expect(sig.output).toContain('Signing Time: Mar 02 2026 11:02:01');
    expect(sig.output.match(/Signature #\d/g)).toHaveLength(1);

    const cms = opensslCmsVerify(sealed);
    expect(cms).toMatchObject({ ok: true });
    expect(cms.output).toMatch(/Verification successful/);

    // Every byte is covered except the signature's own hex string, and the original file is untouched.
    const [a, b, c, d] = byteRange(sealed);
    expect(a).toBe(0);
    expect(c + d).toBe(sealed.length);
    expect(sealed.subarray(b, c).toString('latin1')).toMatch(/^<[0-9a-f]+>$/);
    expect(sealed.subarray(0, unsealed.length - 1).equals(unsealed.subarray(0, unsealed.length - 1))).toBe(true);
  });

  it('breaks when any signed byte changes: one flipped byte in either range fails pdfsig and openssl', async () => {
    const sealed = await sealer().seal(unsealed, { signedAt: SEALED_AT, reason: 'Executed contract' });
    const [, b, c, d] = byteRange(sealed);
    // The binary comment on line 2 (the reader ignores it), a byte of the first page's content,
    // and the signature dictionary's /Reason after the hex string: each is signed.
    const reason = sealed.indexOf('(Executed contract)', c);
    expect(reason).toBeGreaterThan(c);
    for (const offset of [10, Math.floor(b / 2), reason + 3]) {
      expect(offset < b || (offset >= c && offset < c + d)).toBe(true);
      const tampered = flip(sealed, offset);
      const sig = pdfsig(tampered);
      expect(sig.output).not.toContain('Signature is Valid.');
      expect(sig.output).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
      expect(opensslCmsVerify(tampered).ok).toBe(false);
    }
    // The untouched file still verifies (the checks above are not failing for another reason).
    expect(opensslCmsVerify(sealed).ok).toBe(true);
  });

  it('keeps the certificate page and the Unicode names readable by an independent extractor (pdftotext), and by pdf.js', async () => {
    const sealed = await sealer().seal(unsealed, { signedAt: SEALED_AT, reason: 'Executed contract' });
    const text = squash(pdftotext(sealed));
    for (const s of [
      'Signing certificate',
      NAMES.polish,
      NAMES.russian,
      NAMES.greek,
      NAMES.japanese,
      'C-2026-000123',
      'https://lexmarket.example/verify',
      'Consented to sign', // the label wraps in its column: 'electronically' comes after the party's name
      '2026-03-02 10:00:00 UTC',
      '203.0.113.5',
      '2001:db8::1',
    ])
      expect(text).toContain(squash(s));
    // The browser's viewer (pdf.js) reads the sealed file, incremental update included, page by page.
    const { pages } = await pdfText(sealed);
    expect(pages.some((p) => p.includes('Signing certificate'))).toBe(true);
    expect(squash(pages.join(''))).toContain(squash(NAMES.greek));
  });

  it('generates a self-signed seal once into DATA_DIR/contract-seal (0600) and reuses it', async () => {
    const first = sealer();
    const cert = first.certificate();
    const file = join(dataDir, 'contract-seal', GENERATED_SEAL_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(cert.subject).toContain('CN=LexMarket contract seal');
    expect(cert.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    // Valid for ten years from the clock's now.
    expect(cert.notAfter.getTime()).toBeGreaterThan(clock.now().getTime() + 9 * 365 * 86400_000);

    const bytes = readFileSync(file);
    const again = sealer();
    expect(again.certificate()).toEqual(cert);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // The seal carries that certificate.
    const sealed = await again.seal(unsealed, { signedAt: SEALED_AT, reason: 'Executed contract' });
    const { signature } = signedParts(sealed);
    const der = signature.toString('latin1');
    const p12Cert = new X509Certificate(extractCert(der));
    expect(createHash('sha256').update(p12Cert.raw).digest('hex')).toBe(cert.fingerprintSha256);
  });

  it('renders the same sealed bytes for the same PDF, time and key', async () => {
    const s = sealer();
    const a = await s.seal(unsealed, { signedAt: SEALED_AT, reason: 'Executed contract' });
    const b = await s.seal(unsealed, { signedAt: SEALED_AT, reason: 'Executed contract' });
    expect(a.equals(b)).toBe(true);
  });

  it('seals many events across pages and still verifies', async () => {
    const events = Array.from({ length: 12 }, (_, i) => signerEvents(new Date(Date.UTC(2026, 2, 2, 9, i * 3)))).flat();
    const pdf = await renderExecutedPdf(executedInput({ events }));
    const sealed = await sealer().seal(pdf, { signedAt: SEALED_AT, reason: 'Executed contract' });
    expect(pdfsig(sealed).output).toContain('Signature is Valid.');
    expect(opensslCmsVerify(sealed).ok).toBe(true);
  });

  it('uses a configured PKCS#12 made by OpenSSL, with its passphrase, and writes no generated seal', async () => {
    const p12 = opensslP12(dataDir, { subject: '/CN=Example Law Seal/O=Example', passphrase: 'correct horse' });
    const s = sealer({ CONTRACT_SEAL_P12_PATH: p12, CONTRACT_SEAL_P12_PASSPHRASE: 'correct horse' });
    expect(s.certificate().subject).toBe('CN=Example Law Seal, O=Example');
    const sealed = await s.seal(unsealed, { signedAt: SEALED_AT, reason: 'Executed contract' });
    const sig = pdfsig(sealed);
    expect(sig.output).toContain('Signature is Valid.');
    expect(sig.output).toContain('Signer Certificate Common Name: Example Law Seal');
    expect(opensslCmsVerify(sealed).ok).toBe(true);
    expect(() => statSync(join(dataDir, 'contract-seal'))).toThrow();
  });

  it('refuses an unusable configured PKCS#12 at construction, naming the variable', () => {
    const p12 = opensslP12(dataDir, { subject: '/CN=Seal', passphrase: 'right' });
    expect(configError(() => sealer({ CONTRACT_SEAL_P12_PATH: p12, CONTRACT_SEAL_P12_PASSPHRASE: 'wrong' })).problems).toEqual([
      { variable: 'CONTRACT_SEAL_P12_PASSPHRASE', message: expect.stringMatching(/cannot open the PKCS#12/) },
    ]);
    expect(configError(() => sealer({ CONTRACT_SEAL_P12_PATH: join(dataDir, 'missing.p12') })).problems).toEqual([
      { variable: 'CONTRACT_SEAL_P12_PATH', message: expect.stringMatching(/cannot read .*missing\.p12/) },
    ]);
    expect(configError(() => sealer({ CONTRACT_SEAL_P12_PATH: __filename })).problems[0]!.variable).toBe(
      'CONTRACT_SEAL_P12_PATH',
    );
    const ecDir = mkdtempSync(join(dataDir, 'ec-'));
    const ec = opensslP12(ecDir, { subject: '/CN=EC Seal', passphrase: 'x', key: 'ec' });
    expect(configError(() => sealer({ CONTRACT_SEAL_P12_PATH: ec, CONTRACT_SEAL_P12_PASSPHRASE: 'x' })).problems).toEqual([
      { variable: 'CONTRACT_SEAL_P12_PATH', message: expect.stringMatching(/RSA private key/) },
    ]);
    // A passphrase alone is a configuration mistake, reported by loadConfig.
    expect(configError(() => loadConfig({ DATA_DIR: dataDir, CONTRACT_SEAL_P12_PASSPHRASE: 'x' })).problems[0]!.variable).toBe(
      'CONTRACT_SEAL_P12_PASSPHRASE',
    );
  });
});

/** The first certificate in a DER CMS SignedData: the first `30 82 ....` SEQUENCE that parses as X.509. */
function extractCert(der: string): Buffer {
  const bytes = Buffer.from(der, 'latin1');
  for (let i = 0; i < bytes.length - 4; i++) {
    if (bytes[i] !== 0x30 || bytes[i + 1] !== 0x82) continue;
    const len = bytes.readUInt16BE(i + 2) + 4;
    try {
      return Buffer.from(new X509Certificate(bytes.subarray(i, i + len)).raw);
    } catch {
      // not a certificate; keep looking
    }
  }
  throw new Error('no certificate in the CMS');
}
