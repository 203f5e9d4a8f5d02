import { assertValidBlobKey, MAX_BLOB_KEY_LENGTH } from './blob-key';
import { BlobKeyInvalid } from './storage.errors';

describe('assertValidBlobKey', () => {
  it.each(['a', 'contracts/2026/engagement-letter.pdf', 'users/42/avatar.v2.png', 'a/b/c_d-e', '.hidden', 'x..y/..z'])(
    'accepts %j',
    (key) => {
      expect(() => assertValidBlobKey(key)).not.toThrow();
    },
  );

  it('accepts a key of exactly 512 characters', () => {
    expect(() => assertValidBlobKey('x'.repeat(MAX_BLOB_KEY_LENGTH))).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['parent segment', '../x'],
    ['parent segment in the middle', 'a/../../b'],
    ['trailing parent segment', 'a/..'],
    ['current-directory segment', 'a/./b'],
    ['absolute', '/abs'],
    ['trailing slash', 'a/'],
    ['empty segment', 'a//b'],
    ['backslash', 'a\\b'],
    ['space', 'a b'],
    ['non-ASCII', 'reçu.pdf'],
    ['percent escape', 'a%2F..'],
    ['NUL byte', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['513 characters', 'x'.repeat(MAX_BLOB_KEY_LENGTH + 1)],
  ])('rejects a key with %s', (_label, key) => {
    expect(() => assertValidBlobKey(key)).toThrow(BlobKeyInvalid);
  });

  it('says what is wrong without echoing the key', () => {
    try {
      assertValidBlobKey('../secret-name');
      throw new Error('expected a BlobKeyInvalid');
    } catch (e) {
      expect(e).toMatchObject({ code: 'BLOB_KEY_INVALID', status: 400, message: 'Invalid blob key' });
    }
  });
});
