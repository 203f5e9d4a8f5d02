/**
 * Known-answer tests: the primitives the library builds on, fed published vectors through the
 * very APIs the library calls (WebCrypto, @hpke/core, hash-wasm), so a wrong binding, a wrong
 * key encoding or a broken runtime shows up here and not as unreadable messages.
 */
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { argon2id } from 'hash-wasm';
import { aesGcmDecrypt, aesGcmEncrypt, importAesKey } from './aes-gcm';
import { fromHex, toHex, utf8 } from './encoding';
import { exportPublicKey, importPrivateKeyPair, importPublicKey, pkcs8FromRaw, sign, verify } from './keys';

const subtle = globalThis.crypto.subtle;
const hex = (b: ArrayBuffer | Uint8Array) => toHex(b instanceof Uint8Array ? b : new Uint8Array(b));

describe('RFC 9180 A.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode, through @hpke/core', () => {
  // RFC 9180 Appendix A.1.1 (also in the Go and CIRCL copies of the test vectors).
  const v = {
    info: '4f6465206f6e2061204772656369616e2055726e',
    ikmE: '7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234',
    pkEm: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
    ikmR: '6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037',
    pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
    skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
    enc: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
    sharedSecret: 'fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc',
    pt: '4265617574792069732074727574682c20747275746820626561757479',
    encryptions: [
      {
        seq: 0,
        aad: '436f756e742d30',
        ct: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
      },
      {
        seq: 1,
        aad: '436f756e742d31',
        ct: 'af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84',
      },
      {
        seq: 2,
        aad: '436f756e742d32',
        ct: '498dfcabd92e8acedc281e85af1cb4e3e31c7dc394a1ca20e173cb72516491588d96a19ad4a683518973dcc180',
      },
    ],
    exports: [
      { context: '', value: '3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee' },
      { context: '00', value: '2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5' },
      { context: '54657374436f6e74657874', value: 'e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931' },
    ],
  };
  const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });

  it('derives the published key pairs from ikmE and ikmR', async () => {
    const e = await suite.kem.deriveKeyPair(fromHex(v.ikmE));
    const r = await suite.kem.deriveKeyPair(fromHex(v.ikmR));
    expect(hex(await suite.kem.serializePublicKey(e.publicKey))).toBe(v.pkEm);
    expect(hex(await suite.kem.serializePublicKey(r.publicKey))).toBe(v.pkRm);
    expect(hex(await suite.kem.serializePrivateKey(r.privateKey))).toBe(v.skRm);
  });

  it('encapsulates to the published enc and shared secret, and decapsulates with skRm', async () => {
    const recipientPublicKey = await suite.kem.deserializePublicKey(fromHex(v.pkRm));
    const { enc, sharedSecret } = await suite.kem.encap({ recipientPublicKey, ekm: fromHex(v.ikmE) });
    expect(hex(enc)).toBe(v.enc);
    expect(hex(sharedSecret)).toBe(v.sharedSecret);
    const recipientKey = await suite.kem.deserializePrivateKey(fromHex(v.skRm));
    expect(hex(await suite.kem.decap({ recipientKey, enc: fromHex(v.enc) }))).toBe(v.sharedSecret);
  });

  it('seals the first sequence numbers to the published ciphertexts and exports the published values', async () => {
    const recipientPublicKey = await suite.kem.deserializePublicKey(fromHex(v.pkRm));
    const sender = await suite.createSenderContext({ recipientPublicKey, info: fromHex(v.info), ekm: fromHex(v.ikmE) });
    expect(hex(sender.enc)).toBe(v.enc);
    for (const e of v.encryptions) expect(hex(await sender.seal(fromHex(v.pt), fromHex(e.aad)))).toBe(e.ct);
    for (const x of v.exports) expect(hex(await sender.export(fromHex(x.context), 32))).toBe(x.value);
  });

  it('opens the published ciphertexts with the recipient key derived from ikmR', async () => {
    const recipientKey = await suite.kem.deriveKeyPair(fromHex(v.ikmR));
    const recipient = await suite.createRecipientContext({ recipientKey, enc: fromHex(v.enc), info: fromHex(v.info) });
    for (const e of v.encryptions) expect(hex(await recipient.open(fromHex(e.ct), fromHex(e.aad)))).toBe(v.pt);
    for (const x of v.exports) expect(hex(await recipient.export(fromHex(x.context), 32))).toBe(x.value);
  });
});

describe('RFC 7748 §6.1: X25519 through WebCrypto', () => {
  const alice = {
    sk: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
    pk: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
  };
  const bob = {
    sk: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
    pk: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  };
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

  it('derives each public key from its private key and both sides reach the shared secret', async () => {
    const a = await importPrivateKeyPair('X25519', pkcs8FromRaw('X25519', fromHex(alice.sk)));
    const b = await importPrivateKeyPair('X25519', pkcs8FromRaw('X25519', fromHex(bob.sk)));
    expect(toHex(a.publicKey)).toBe(alice.pk);
    expect(toHex(b.publicKey)).toBe(bob.pk);
    const bobPublic = await importPublicKey('X25519', fromHex(bob.pk));
    const alicePublic = await importPublicKey('X25519', fromHex(alice.pk));
    expect(hex(await subtle.deriveBits({ name: 'X25519', public: bobPublic }, a.pair.privateKey, 256))).toBe(shared);
    expect(hex(await subtle.deriveBits({ name: 'X25519', public: alicePublic }, b.pair.privateKey, 256))).toBe(shared);
  });
});

describe('RFC 8032 §7.1: Ed25519 through WebCrypto', () => {
  const tests = [
    {
      name: 'TEST 1',
      sk: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      msg: '',
      sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2',
      sk: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      msg: '72',
      sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
  ];
  it.each(tests)('$name: public key, signature and verification', async (t) => {
    const { pair, publicKey } = await importPrivateKeyPair('Ed25519', pkcs8FromRaw('Ed25519', fromHex(t.sk)));
    expect(toHex(publicKey)).toBe(t.pk);
    expect(toHex(await exportPublicKey(pair.publicKey))).toBe(t.pk);
    expect(toHex(await sign(pair.privateKey, fromHex(t.msg)))).toBe(t.sig);
    const verifyKey = await importPublicKey('Ed25519', fromHex(t.pk));
    expect(await verify(verifyKey, fromHex(t.sig), fromHex(t.msg))).toBe(true);
    const changed = fromHex(t.sig);
    changed[10]! ^= 1;
    expect(await verify(verifyKey, changed, fromHex(t.msg))).toBe(false);
  });
});

describe('AES-256-GCM through WebCrypto: GCM specification test case 16 (96-bit IV, AAD)', () => {
  const key = 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308';
  const iv = 'cafebabefacedbaddecaf888';
  const pt =
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39';
  const aad = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
  const ct =
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662';
  const tag = '76fc6ece0f4e1768cddf8853bb2d551b';

  it('encrypts to the published ciphertext and tag and decrypts back', async () => {
    const k = await importAesKey(fromHex(key));
    expect(toHex(await aesGcmEncrypt(k, fromHex(iv), fromHex(pt), fromHex(aad)))).toBe(ct + tag);
    expect(toHex((await aesGcmDecrypt(k, fromHex(iv), fromHex(ct + tag), fromHex(aad)))!)).toBe(pt);
    expect(await aesGcmDecrypt(k, fromHex(iv), fromHex(ct + tag), utf8('other aad'))).toBeNull();
  });
});

describe('Argon2id through hash-wasm: the reference implementation (phc-winner-argon2 src/test.c, v=0x13)', () => {
  const cases = [
    { t: 2, m: 256, p: 1, tag: '9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe' },
    { t: 2, m: 256, p: 2, tag: '6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037' },
    { t: 2, m: 65536, p: 1, tag: '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7' },
  ];
  it.each(cases)('password/somesalt t=$t m=$m KiB p=$p', async (c) => {
    const out = await argon2id({
      password: 'password',
      salt: utf8('somesalt'),
      iterations: c.t,
      memorySize: c.m,
      parallelism: c.p,
      hashLength: 32,
      outputType: 'hex',
    });
    expect(out).toBe(c.tag);
  });
});
