import { generateKeyPairSync, sign } from 'node:crypto';
import { backupKeyStatement, deviceStatement, epochStatement, fromB64, toB64, verifyEd25519 } from './e2ee-wire';

describe('E2EE wire formats', () => {
  it('reads canonical base64url without padding only', () => {
    expect(fromB64('AQID')).toEqual(Buffer.from([1, 2, 3]));
    expect(fromB64('')).toEqual(Buffer.alloc(0));
    expect(fromB64('_-8')).toEqual(Buffer.from([0xff, 0xef]));
    expect(fromB64('AQI=')).toBeNull(); // padding
    expect(fromB64('AQ+/')).toBeNull(); // base64, not base64url
    expect(fromB64('AQJ')).toBeNull(); // stray bits in the last character: not canonical
    expect(fromB64('A')).toBeNull();
    expect(fromB64(42)).toBeNull();
    expect(toB64(Buffer.from([0xfb, 0xff]))).toBe('-_8');
  });

  it('builds the signed statements of the contract exactly', () => {
    expect(backupKeyStatement('u', 'K')).toBe('lm-e2ee/v1/backup-key/u/K');
    expect(deviceStatement('u', 'd', 'X', 'E')).toBe('lm-e2ee/v1/device/u/d/X/E');
    expect(
      epochStatement(
        'c',
        3,
        'd',
        ['backup:u', 'device:d'],
        [
          { recipient: 'backup:u', enc: 'e1', ciphertext: 'c1' },
          { recipient: 'device:d', enc: 'e2', ciphertext: 'c2' },
        ],
      ),
    ).toBe('lm-e2ee/v1/epoch/c/3/d/backup:u,device:d/backup:u=e1.c1,device:d=e2.c2');
  });

  it('verifies Ed25519 signatures from a raw 32-byte public key (node:crypto), and nothing else', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const signature = sign(null, Buffer.from('hello', 'utf8'), privateKey);
    expect(verifyEd25519(raw, 'hello', signature)).toBe(true);
    expect(verifyEd25519(raw, 'hellO', signature)).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[0]! ^= 1;
    expect(verifyEd25519(raw, 'hello', flipped)).toBe(false);
    expect(verifyEd25519(raw.subarray(1), 'hello', signature)).toBe(false);
    expect(verifyEd25519(raw, 'hello', signature.subarray(1))).toBe(false);
    expect(verifyEd25519(Buffer.alloc(32, 0xff), 'hello', signature)).toBe(false);
  });
});
