import { mediaLinkKey, readMediaLink, signMediaLink } from './media-link';

describe('media link tokens', () => {
  const key = mediaLinkKey('a master secret of at least thirty-two characters');
  const claims = { rid: '6f1c1f0e-4bd6-4c1c-9f6b-8f5d3c1f2a10', uid: '0e6f1c1f-4bd6-4c1c-9f6b-8f5d3c1f2a10', role: 'CLIENT', exp: 1_900_000_000 };

  it('round-trips its claims', () => {
    expect(readMediaLink(key, signMediaLink(key, claims))).toEqual(claims);
  });

  it('refuses a token signed with another key', () => {
    expect(readMediaLink(key, signMediaLink(mediaLinkKey('another master secret, also long enough'), claims))).toBe('invalid');
  });

  it('refuses a token whose payload was altered', () => {
    const [, sig] = signMediaLink(key, claims).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, rid: '00000000-4bd6-4c1c-9f6b-8f5d3c1f2a10' })).toString('base64url');
    expect(readMediaLink(key, `${forged}.${sig}`)).toBe('invalid');
  });

  it.each(['', 'x', 'a.b', 'a.b.c', `${'a'.repeat(401)}.${'b'.repeat(43)}`])('refuses the malformed %j', (token) => {
    expect(readMediaLink(key, token)).toBe('invalid');
  });

  it('refuses well-signed claims of the wrong shape', () => {
    expect(readMediaLink(key, signMediaLink(key, { ...claims, rid: 'not-a-uuid' }))).toBe('invalid');
  });
});
