import { Injectable, Logger } from '@nestjs/common';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import signpdf from '@signpdf/signpdf';
import { DEFAULT_SIGNATURE_LENGTH, SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig, ConfigValidationError } from '../../../config/app-config';
import { Clock } from '../../../common/time/clock';

export const GENERATED_SEAL_FILE = 'seal.p12';

/** What a README, an admin page or a log line says about the seal's certificate. */
export interface SealCertificate {
  /** e.g. `CN=LexMarket contract seal, O=LexMarket` */
  subject: string;
  /** SHA-256 of the certificate's DER, lowercase hex (what `openssl x509 -fingerprint -sha256` shows, without colons). */
  fingerprintSha256: string;
  notAfter: Date;
}

interface SealMaterial {
  p12: Buffer;
  passphrase: string;
  certificate: SealCertificate;
}

/**
 * Reads a PKCS#12 the way the signer will (node-forge), and returns its signing certificate:
 * the one whose public key matches the first shrouded private key. Throws a message a person
 * configuring it can act on.
 */
function inspectP12(p12: Buffer, passphrase: string): SealCertificate {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, passphrase);
  } catch (e) {
    const message = (e as Error).message;
    if (/mac|password|passphrase|decrypt/i.test(message))
      throw new SealConfigError('CONTRACT_SEAL_P12_PASSPHRASE', `cannot open the PKCS#12: ${message}`);
    throw new SealConfigError('CONTRACT_SEAL_P12_PATH', `not a readable PKCS#12 file: ${message}`);
  }
  const keys = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? [];
  const certs = parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const key = keys[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key || !('n' in key))
    throw new SealConfigError(
      'CONTRACT_SEAL_P12_PATH',
      'the PKCS#12 must hold an encrypted RSA private key (EC keys are not supported by the signer)',
    );
  const cert = certs
    .map((b) => b.cert)
    .find((c) => {
      const pub = c?.publicKey as forge.pki.rsa.PublicKey | undefined;
      return !!pub && 'n' in pub && pub.n.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
    });
  if (!cert) throw new SealConfigError('CONTRACT_SEAL_P12_PATH', 'the PKCS#12 has no certificate for its private key');
  const x509 = new X509Certificate(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary'));
  return {
    subject: x509.subject.split('\n').join(', '),
    fingerprintSha256: x509.fingerprint256.replace(/:/g, '').toLowerCase(),
    notAfter: new Date(x509.validTo),
  };
}

class SealConfigError extends ConfigValidationError {
  constructor(variable: 'CONTRACT_SEAL_P12_PATH' | 'CONTRACT_SEAL_P12_PASSPHRASE', message: string) {
    super([{ variable, message }]);
  }
}

/**
 * A self-signed RSA-3072 seal certificate and key as a PKCS#12 with an empty passphrase (the
 * file's mode 0600 protects it, like the other keys generated into DATA_DIR). node:crypto makes
 * the key; node-forge writes the X.509 certificate and the PKCS#12, which node:crypto cannot.
 */
function selfSignedP12(now: Date): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  ) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // a positive INTEGER
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000); // tolerate clocks a little behind
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const name = [
    { name: 'commonName', value: 'LexMarket contract seal' },
    { name: 'organizationName', value: 'LexMarket' },
    { shortName: 'OU', value: 'Self-signed; generated on first use (set CONTRACT_SEAL_P12_PATH in production)' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], '', {
    algorithm: 'aes256',
    generateLocalKeyId: true,
    friendlyName: 'contract-seal',
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/**
 * Seals executed contract PDFs: one PDF signature over the whole file (every byte except the
 * signature's own placeholder, which /ByteRange records), so a change to any byte afterwards
 * makes every PDF reader and `pdfsig` report the signature as broken.
 *
 * Libraries, no signing code of our own: @signpdf/placeholder-plain appends the signature
 * field and a zero-filled /Contents as an incremental update to the finished bytes,
 * @signpdf/signpdf fills in /ByteRange and the signature, and @signpdf/signer-p12 makes it: a
 * detached CMS SignedData (SHA-256, RSA) built by node-forge, with the certificate(s) from the
 * PKCS#12. SubFilter adbe.pkcs7.detached: the signer puts signingTime among the signed
 * attributes and no ESS signing-certificate-v2, which PAdES (ETSI.CAdES.detached) requires, so
 * only the Adobe profile describes the result honestly.
 *
 * The key: CONTRACT_SEAL_P12_PATH (+ CONTRACT_SEAL_P12_PASSPHRASE), checked at start-up; unset,
 * a self-signed certificate generated once into DATA_DIR/contract-seal/seal.p12 (0600) and
 * reused (first writer wins when processes race, like the audit key).
 */
@Injectable()
export class ContractSealer {
  private readonly logger = new Logger(ContractSealer.name);
  private material?: SealMaterial;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    // A configured file is read now, so a wrong path or passphrase stops start-up and says
    // which variable; the generated one is made on first use (most processes never seal).
    if (config.CONTRACT_SEAL_P12_PATH) this.material = this.configured(config.CONTRACT_SEAL_P12_PATH);
  }

  certificate(): SealCertificate {
    return { ...this.load().certificate };
  }

  /**
   * The PDF with the platform's signature over all of it. `signedAt` is the signature's time
   * (the CMS signingTime and the signature dictionary's /M), so the same PDF sealed at the same
   * time with the same key gives the same bytes.
   */
  async seal(pdf: Buffer, opts: { signedAt: Date; reason: string }): Promise<Buffer> {
    const m = this.load();
    if (opts.signedAt > m.certificate.notAfter)
      this.logger.error(
        `The contract seal certificate expired on ${m.certificate.notAfter.toISOString()}; readers will flag new seals. Replace CONTRACT_SEAL_P12_PATH.`,
      );
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: opts.reason,
      contactInfo: '',
      name: m.certificate.subject,
      location: '',
      signingTime: opts.signedAt,
      // Room for the CMS: the certificates it carries (about the PKCS#12's size) plus the signature.
      signatureLength: Math.max(DEFAULT_SIGNATURE_LENGTH, m.p12.length + 4096),
      subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
      appName: 'LexMarket',
    });
    // A P12Signer reads its PKCS#12 once (its buffer is consumed), so one per seal.
    return signpdf.sign(withPlaceholder, new P12Signer(m.p12, { passphrase: m.passphrase }), opts.signedAt);
  }

  private load(): SealMaterial {
    this.material ??= this.generated();
    return this.material;
  }

  private configured(path: string): SealMaterial {
    let p12: Buffer;
    try {
      p12 = readFileSync(path);
    } catch (e) {
      throw new SealConfigError('CONTRACT_SEAL_P12_PATH', `cannot read ${path}: ${(e as Error).message}`);
    }
    const passphrase = this.config.CONTRACT_SEAL_P12_PASSPHRASE ?? '';
    const certificate = inspectP12(p12, passphrase);
    this.logger.log(
      `Contract seal: ${certificate.subject} (SHA-256 ${certificate.fingerprintSha256}, valid until ${certificate.notAfter.toISOString()})`,
    );
    return { p12, passphrase, certificate };
  }

  private generated(): SealMaterial {
    const dir = this.config.contractSealDir;
    const file = join(dir, GENERATED_SEAL_FILE);
    let p12: Buffer;
    try {
      p12 = readFileSync(file);
      if ((statSync(file).mode & 0o077) !== 0) this.logger.warn(`${file} is readable by other users; chmod 600 it`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      p12 = this.createOnce(file, selfSignedP12(this.clock.now()));
    }
    let certificate: SealCertificate;
    try {
      certificate = inspectP12(p12, '');
    } catch (e) {
      throw new Error(`${file} is not a usable contract seal (${(e as Error).message}); delete it to generate a new one`);
    }
    this.logger.warn(
      `CONTRACT_SEAL_P12_PATH is not set: executed contracts are sealed with the self-signed certificate in ${file} ` +
        `(SHA-256 ${certificate.fingerprintSha256}). PDF readers show such a seal as intact but its issuer as unknown; ` +
        'set CONTRACT_SEAL_P12_PATH to a certificate they trust in production, the same on every replica.',
    );
    return { p12, passphrase: '', certificate };
  }

  /**
   * Writes `p12` to `file` unless it exists, atomically: a complete temporary file is hard-linked
   * into place (link fails if the name exists), so no process ever reads half a file, and when
   * processes race the first one wins and every one uses its file.
   */
  private createOnce(file: string, p12: Buffer): Buffer {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, p12, { mode: 0o600 });
    chmodSync(tmp, 0o600); // whatever the umask
    try {
      linkSync(tmp, file);
      return p12;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return readFileSync(file);
    } finally {
      unlinkSync(tmp);
    }
  }
}
