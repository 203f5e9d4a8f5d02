import { CROCKFORD_ALPHABET, generateReferralCode, maskEmail, normalizeReferralCode } from './referral-code';

describe('referral codes', () => {
  it('generates 8 unambiguous characters, differently each time', () => {
    const codes = Array.from({ length: 200 }, generateReferralCode);
    for (const code of codes) expect(code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(new Set(codes).size).toBe(codes.length);
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
  });

  it('normalises what people type (case, hyphens, O/0 and I/L/1)', () => {
    expect(normalizeReferralCode('7k3q-x9md')).toBe('7K3QX9MD');
    expect(normalizeReferralCode('ab0o1ilx')).toBe('AB00111X');
    expect(normalizeReferralCode('SHORT')).toBeNull();
    expect(normalizeReferralCode('ABCDEFGU')).toBeNull();
    expect(normalizeReferralCode('ACME_LAW')).toBeNull();
  });

  it('masks emails down to the first character and the domain', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskEmail('x@example.org')).toBe('x***@example.org');
    expect(maskEmail('not-an-email')).toBe('***');
  });
});
