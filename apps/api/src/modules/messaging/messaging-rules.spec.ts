import {
  decodeCursor,
  encodeCursor,
  expectedRecipients,
  isPaddedSize,
  MESSAGE_CIPHERTEXT_SIZES,
  needsRekey,
  NOTE_CIPHERTEXT_SIZES,
} from './messaging-rules';

const client = '11111111-1111-4111-8111-111111111111';
const lawyer = '22222222-2222-4222-8222-222222222222';
const d1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const d2 = '0bbbbbbb-0000-4000-8000-000000000002';

describe('messaging rules', () => {
  it('seals an epoch to every active device and the backup of each participant with an identity, sorted as strings', () => {
    expect(
      expectedRecipients([
        { userId: client, hasIdentity: true, activeDeviceIds: [d1] },
        { userId: lawyer, hasIdentity: true, activeDeviceIds: [d2] },
      ]),
    ).toEqual([`backup:${client}`, `backup:${lawyer}`, `device:${d2}`, `device:${d1}`]);
    expect(
      expectedRecipients([
        { userId: client, hasIdentity: false, activeDeviceIds: [] },
        { userId: lawyer, hasIdentity: true, activeDeviceIds: [d2] },
      ]),
    ).toEqual([`backup:${lawyer}`, `device:${d2}`]);
  });

  it('needs a new epoch before the first one, and whenever the recipients would differ', () => {
    const now = [`backup:${client}`, `device:${d1}`];
    expect(needsRekey(0, null, now)).toBe(true);
    expect(needsRekey(1, now, now)).toBe(false);
    expect(needsRekey(1, [`backup:${client}`], now)).toBe(true);
    expect(needsRekey(1, [...now, `device:${d2}`], now)).toBe(true);
  });

  it('accepts only padded ciphertext sizes: a bucket + the 16-byte tag (notes up to 16384)', () => {
    expect(MESSAGE_CIPHERTEXT_SIZES).toEqual([272, 1040, 4112, 16400, 65552]);
    expect(NOTE_CIPHERTEXT_SIZES).toEqual([272, 1040, 4112, 16400]);
    expect(isPaddedSize(272, MESSAGE_CIPHERTEXT_SIZES)).toBe(true);
    expect(isPaddedSize(256, MESSAGE_CIPHERTEXT_SIZES)).toBe(false);
    expect(isPaddedSize(65552, NOTE_CIPHERTEXT_SIZES)).toBe(false);
  });

  it('round-trips keyset cursors and refuses anything it did not make', () => {
    const c = { at: new Date('2026-03-01T10:00:00.123Z'), id: d1 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor('')).toBeNull();
    expect(decodeCursor('not a cursor!')).toBeNull();
    expect(decodeCursor(Buffer.from(`2026-03-01T10:00:00Z|${d1}`).toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from(`2026-03-01T10:00:00.123Z|${d1.toUpperCase()}`).toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from(`2026-13-45T10:00:00.123Z|${d1}`).toString('base64url'))).toBeNull();
  });
});
