import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblem('orbit maple canyon fiddle', 'ana@example.com')).toBeNull();
    expect(passwordProblem('Tr0ub4dor&3-x', 'ana@example.com')).toBeNull();
  });

  it('rejects short passwords with the rule in the message', () => {
    expect(passwordProblem('Sh0rt!pass', 'ana@example.com')).toMatch(/at least 12 characters/);
  });

  it('rejects overly long passwords', () => {
    expect(passwordProblem('ab1!'.repeat(33))).toMatch(/at most 128/);
  });

  it('rejects passwords with too few different characters', () => {
    expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/5 different characters/);
    expect(passwordProblem('abababababab')).toMatch(/5 different characters/);
  });

  it('rejects common passwords, ignoring case and punctuation', () => {
    expect(passwordProblem('Password1234')).toMatch(/too common/);
    expect(passwordProblem('QWERTY-123456')).toMatch(/too common/);
  });

  it('rejects passwords containing the email or its name part', () => {
    expect(passwordProblem('Ana.Lopez@Example.com!', 'ana.lopez@example.com')).toMatch(/email/);
    expect(passwordProblem('my-ana.lopez-secret', 'ana.lopez@example.com')).toMatch(/email/);
    // A short name part (< 4 characters) is not worth rejecting for.
    expect(passwordProblem('ana orbit maple canyon', 'ana@example.com')).toBeNull();
  });
});
