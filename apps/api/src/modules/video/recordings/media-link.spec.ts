import { mediaLinkKey, readMediaLink, signMediaLink, type MediaLinkClaims } from './media-link';

describe('media link tokens', () => {
  const key = mediaLinkKey('a master secret of at least thirty-two characters');
  const claims: MediaLinkClaims = { rid: '6f1c1f0e-4bd6-4c1c-9f6b-8f5d3c1f2a10', uid: '0e6f1c1f-4bd6-4c1c-9f6b-8f5d3c1f2a10', role: 'CLIENT', exp: 1_900_000_000 };

  it('round-trips its claims in one short path segment', () => {
    const token = signMediaLink(key, claims);
    expect(token.length).toBeLessThanOrEqual(100);
    expect(readMediaLink(key, token)).toEqual(claims);
    expect(readMediaLink(key, signMediaLink(key, { ...claims, role: 'ADMIN' }))).toEqual({ ...claims, role: 'ADMIN' });
  });

  it('refuses a token signed with another key', () => {
    expect(readMediaLink(key, signMediaLink(mediaLinkKey('another master secret, also long enough'), claims))).toBe('invalid');
  });

  it('refuses a token whose payload was altered', () => {
    const [, sig] = signMediaLink(key, claims).split('.');
    const [forged] = signMediaLink(key, { ...claims, rid: '00000000-4bd6-4c1c-9f6b-8f5d3c1f2a10' }).split('.');
    expect(readMediaLink(key, `${forged}.${sig}`)).toBe('invalid');
    const [payload] = signMediaLink(key, claims).split('.');
    const [, later] = signMediaLink(key, { ...claims, exp: claims.exp + 3600 }).split('.');
    expect(readMediaLink(key, `${payload}.${later}`)).toBe('invalid');
  });

  it.each(['', 'x', 'a.b', 'a.b.c', `${'a'.repeat(50)}.${'b'.repeat(22)}`, `${'a'.repeat(51)}.${'b'.repeat(22)}`])('refuses the malformed %j', (token) => {
    expect(readMediaLink(key, token)).toBe('invalid');
  });
});
