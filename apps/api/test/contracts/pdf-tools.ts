import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Independent checks of a sealed PDF with tools that share no code with the sealer: poppler's
 * `pdfsig` and `pdftotext` (Debian poppler-utils, installed by .ci/run) and OpenSSL's `cms`.
 * A missing tool fails the test and says how to install it; nothing is skipped.
 */
const INSTALL: Record<string, string> = {
  pdfsig: 'apt-get install -y poppler-utils (.ci/run installs it)',
  pdftotext: 'apt-get install -y poppler-utils (.ci/run installs it)',
  openssl: 'apt-get install -y openssl',
};

export function requireTool(name: keyof typeof INSTALL): void {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (found.status !== 0)
    throw new Error(`${name} is not installed, so the PDF seal cannot be checked independently: ${INSTALL[name]}`);
}

function withFiles<T>(files: Record<string, Buffer>, run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'lm-pdf-'));
  try {
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pdfsig's report of every signature in the file (exit status and all output). */
export function pdfsig(pdf: Buffer): { status: number | null; output: string } {
  requireTool('pdfsig');
  return withFiles({ 'doc.pdf': pdf }, (dir) => {
    const r = spawnSync('pdfsig', [join(dir, 'doc.pdf')], { encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  });
}

/** poppler's text of the whole file (UTF-8, pages separated by form feeds). */
export function pdftotext(pdf: Buffer): string {
  requireTool('pdftotext');
  return withFiles({ 'doc.pdf': pdf }, (dir) =>
    execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' }),
  );
}

/** The signature's /ByteRange [a b c d] (the last one: the seal is the last incremental update). */
export function byteRange(pdf: Buffer): [number, number, number, number] {
  const text = pdf.toString('latin1');
  const matches = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const m = matches.at(-1);
  if (!m) throw new Error('no /ByteRange in the PDF');
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
}

/** The bytes the signature covers (both ranges) and the DER of the CMS in /Contents between them. */
export function signedParts(pdf: Buffer): { content: Buffer; signature: Buffer; range: [number, number, number, number] } {
  const range = byteRange(pdf);
  const [a, b, c, d] = range;
  const content = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const hex = pdf.subarray(a + b, c).toString('latin1');
  if (!/^<[0-9a-fA-F]+>$/.test(hex)) throw new Error('the gap between the byte ranges is not a hex string');
  const padded = Buffer.from(hex.slice(1, -1), 'hex');
  // /Contents is zero-padded to its reserved size: keep the DER SEQUENCE only (its length from the header).
  if (padded[0] !== 0x30) throw new Error('/Contents does not start with a DER SEQUENCE');
  let length = padded[1]!;
  let header = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = padded.subarray(2, 2 + n).reduce((acc, byte) => acc * 256 + byte, 0);
    header = 2 + n;
  }
  return { content, signature: padded.subarray(0, header + length), range };
}

/**
 * `openssl cms -verify -inform DER -binary -noverify -content <signed ranges>`: checks the
 * signature over the signed bytes (not the certificate's trust: the generated seal is self-signed).
 */
export function opensslCmsVerify(pdf: Buffer): { ok: boolean; output: string } {
  requireTool('openssl');
  const { content, signature } = signedParts(pdf);
  return withFiles({ 'sig.der': signature, 'content.bin': content }, (dir) => {
    const r = spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-inform',
        'DER',
        '-in',
        join(dir, 'sig.der'),
        '-binary',
        '-noverify',
        '-content',
        join(dir, 'content.bin'),
        '-out',
        join(dir, 'out.bin'),
      ],
      { encoding: 'utf8' },
    );
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  });
}

/** A PKCS#12 made by OpenSSL (an RSA key and a self-signed certificate), as an operator would configure one. */
export function opensslP12(dir: string, opts: { subject: string; passphrase: string; key?: 'rsa' | 'ec' }): string {
  requireTool('openssl');
  const key = join(dir, 'seal.key');
  const crt = join(dir, 'seal.crt');
  const p12 = join(dir, 'seal.p12');
  const newkey = opts.key === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  execFileSync(
    'openssl',
    ['req', '-x509', ...newkey, '-nodes', '-keyout', key, '-out', crt, '-days', '3650', '-subj', opts.subject],
    { stdio: 'pipe' },
  );
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', p12, '-passout', `pass:${opts.passphrase}`], {
    stdio: 'pipe',
  });
  return p12;
}
