/**
 * E2EE scenario of `npm run bench` (issue 16, done-when 7): the throughput of @lm/e2ee's record
 * and attachment encryption next to raw WebCrypto AES-256-GCM on the same sizes, in this process
 * (the library runs in the browser; Node's WebCrypto is the same API over OpenSSL).
 *
 * - record: a 64 KiB message (the largest bucket: 65,532 bytes of text padded to 65,536) —
 *   library = pad + AES-256-GCM + Ed25519 signature (encrypt), Ed25519 verification + AES-GCM +
 *   unpad (decrypt); baseline = one AES-256-GCM call on the 65,536 padded bytes;
 * - attachment: an 8 MiB file — library = AES-256-GCM + SHA-256 of the plaintext (encrypt),
 *   AES-GCM + SHA-256 check (decrypt); baseline = one AES-256-GCM call on the 8 MiB.
 * MB/s counts plaintext bytes (10^6 bytes per MB). Variants are interleaved in BENCH_ROUNDS
 * slices (default 6) of BENCH_E2EE_DURATION seconds in all per variant (default 3), so a change
 * of the machine's load weighs on all alike. Below: HPKE seal/open of one epoch key and one
 * Argon2id derivation at the default cost, for scale.
 */
import {
  decryptAttachment,
  decryptRecord,
  encryptAttachment,
  encryptRecord,
  generateDeviceKeys,
  generateRecoveryCode,
  importAesKey,
  openEpochKey,
  randomBytes,
  recordAad,
  recordSigningBytes,
  sign,
  verify,
  sealEpochKey,
  fromB64,
  wrapBackup,
} from '@lm/e2ee';
import type { LocalBench } from './contracts-bench';

const DURATION = Number(process.env.BENCH_E2EE_DURATION ?? 3);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
const subtle = globalThis.crypto.subtle;

interface Variant {
  name: string;
  bytes: number;
  work: () => Promise<unknown>;
  ops: number;
  ms: number;
}

async function slice(v: Variant, seconds: number): Promise<void> {
  const start = performance.now();
  const end = start + seconds * 1000;
  do {
    await v.work();
    v.ops++;
  } while (performance.now() < end);
  v.ms += performance.now() - start;
}

const mbps = (v: Variant) => (v.ops * v.bytes) / 1e6 / (v.ms / 1000);

async function runE2eeBench(): Promise<string[]> {
  const device = await generateDeviceKeys();
  const rawKey = randomBytes(32);
  const key = await importAesKey(rawKey);
  const iv = randomBytes(12);
  const aadBytes = new TextEncoder().encode('lm-e2ee/v1/bench');

  // Record: 65,532 bytes of text fill the 65,536-byte bucket exactly.
  const text = randomBytes(65_532);
  const padded = randomBytes(65_536);
  const aad = recordAad({ kind: 'message', conversationId: 'c', epoch: 1, senderDeviceId: 'd', recordId: 'm' });
  const record = await encryptRecord({ key, signingKey: device.signingKey.privateKey, aad, plaintext: text });
  const rawRecord = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, padded));

  // Attachment: 8 MiB.
  const file = randomBytes(8 * 1024 * 1024);
  const attachment = await encryptAttachment({
    conversationId: 'c',
    attachmentId: 'a',
    name: 'f.bin',
    type: 'application/octet-stream',
    bytes: file,
  });
  const rawFile = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadBytes }, key, file));

  const variants: Variant[] = [
    {
      name: 'record 64 KiB: raw AES-256-GCM encrypt',
      bytes: padded.length,
      ops: 0,
      ms: 0,
      work: () => subtle.encrypt({ name: 'AES-GCM', iv }, key, padded),
    },
    {
      name: 'record 64 KiB: library pad+encrypt+sign',
      bytes: text.length,
      ops: 0,
      ms: 0,
      work: () => encryptRecord({ key, signingKey: device.signingKey.privateKey, aad, plaintext: text }),
    },
    {
      name: 'record 64 KiB: raw AES-256-GCM decrypt',
      bytes: padded.length,
      ops: 0,
      ms: 0,
      work: () => subtle.decrypt({ name: 'AES-GCM', iv }, key, rawRecord),
    },
    {
      name: 'record 64 KiB: library verify+decrypt+unpad',
      bytes: text.length,
      ops: 0,
      ms: 0,
      work: () => decryptRecord({ ...record, aad, key, verifyKey: device.signingKey.publicKey }),
    },
    {
      name: 'attachment 8 MiB: raw AES-256-GCM encrypt',
      bytes: file.length,
      ops: 0,
      ms: 0,
      work: () => subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadBytes }, key, file),
    },
    {
      name: 'attachment 8 MiB: library encrypt+SHA-256',
      bytes: file.length,
      ops: 0,
      ms: 0,
      work: () => encryptAttachment({ conversationId: 'c', attachmentId: 'a', name: 'f.bin', type: 'x', bytes: file }),
    },
    {
      name: 'attachment 8 MiB: raw AES-256-GCM decrypt',
      bytes: file.length,
      ops: 0,
      ms: 0,
      work: () => subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aadBytes }, key, rawFile),
    },
    {
      name: 'attachment 8 MiB: library decrypt+SHA-256 check',
      bytes: file.length,
      ops: 0,
      ms: 0,
      work: () => decryptAttachment({ conversationId: 'c', ref: attachment.ref, ciphertext: attachment.ciphertext }),
    },
  ];
  for (const v of variants) for (let i = 0; i < 3; i++) await v.work(); // warm-up
  console.log(`e2ee: ${DURATION}s per variant in ${ROUNDS} interleaved slices, one thread`);
  for (let round = 0; round < ROUNDS; round++) for (const v of variants) await slice(v, DURATION / ROUNDS);

  // For scale: sealing/opening one epoch key (per recipient), and the recovery-code KDF.
  const sealed = await sealEpochKey({
    contentKey: rawKey,
    recipientPublicKey: fromB64(device.x25519PublicKey),
    conversationId: 'c',
    epoch: 1,
    recipient: 'device:d',
  });
  const timeOps = async (n: number, f: () => Promise<unknown>) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) await f();
    return (performance.now() - t) / n;
  };
  const sealMs = await timeOps(200, () =>
    sealEpochKey({
      contentKey: rawKey,
      recipientPublicKey: fromB64(device.x25519PublicKey),
      conversationId: 'c',
      epoch: 1,
      recipient: 'device:d',
    }),
  );
  const openMs = await timeOps(200, () =>
    openEpochKey({ sealed, recipientKey: device.agreementKey, conversationId: 'c', epoch: 1 }),
  );
  const signed = recordSigningBytes(aad, record.nonce, record.ciphertext);
  const signMs = await timeOps(500, () => sign(device.signingKey.privateKey, signed));
  const verifyMs = await timeOps(500, () => verify(device.signingKey.publicKey, record.signature, signed));
  const secrets = { identityPkcs8: randomBytes(48), backupPkcs8: randomBytes(48) };
  const argonMs = await timeOps(3, () => wrapBackup({ userId: 'u', recoveryCode: generateRecoveryCode(), secrets }));

  const rows = variants.map((v, i) => {
    const base = i % 2 === 0 ? v : variants[i - 1]!;
    return [
      v.name,
      String(v.ops),
      mbps(v).toFixed(1),
      `${(v.ms / v.ops).toFixed(2)}`,
      i % 2 === 0 ? '1.00x' : `${(mbps(v) / mbps(base)).toFixed(2)}x`,
    ];
  });
  const header = ['variant', 'ops', 'MB/s', 'ms/op', 'vs raw AES-GCM'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  const msPer = (i: number) => variants[i]!.ms / variants[i]!.ops;
  const ratio = (i: number) => (mbps(variants[i]!) / mbps(variants[i - 1]!)).toFixed(2);
  return [
    '',
    line(header),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...rows.map(line),
    '',
    `e2ee: library ÷ raw WebCrypto AES-256-GCM (MB/s): record encrypt ${ratio(1)}x, record decrypt ${ratio(3)}x, ` +
      `attachment encrypt ${ratio(5)}x, attachment decrypt ${ratio(7)}x.`,
    `e2ee: a 64 KiB record adds ${(msPer(1) - msPer(0)).toFixed(2)} ms (encrypt) / ` +
      `${(msPer(3) - msPer(2)).toFixed(2)} ms (decrypt) to raw AES-GCM; of that the Ed25519 signature over the whole ciphertext ` +
      `(the contract signs AAD ‖ nonce ‖ ciphertext) is ${signMs.toFixed(2)} ms to sign, ${verifyMs.toFixed(2)} ms to verify, ` +
      `the rest padding, copies and the random nonce.`,
    `e2ee: HPKE seal of one epoch key ${sealMs.toFixed(2)} ms, open ${openMs.toFixed(2)} ms (per recipient); ` +
      `Argon2id recovery-code key at the default cost (64 MiB, 3 passes) ${argonMs.toFixed(0)} ms.`,
  ];
}

export const E2EE_BENCHES: LocalBench[] = [
  { name: 'e2ee: library encrypt/decrypt throughput vs raw WebCrypto AES-GCM', run: runE2eeBench },
];
