import { emailVerificationEmail, passwordResetEmail, tokenLink } from './identity-emails';

const user = { id: '6f1c2d4e-0000-4000-8000-000000000001', email: 'ana@example.com', displayName: 'Ana' };

describe('identity emails', () => {
  it.each(['https://lexmarket.example', 'https://lexmarket.example/', 'https://lexmarket.example//'])(
    'builds the link from PUBLIC_URL %s without a double slash',
    (publicUrl) => {
      expect(tokenLink(publicUrl, 'reset-password', 'abc_DEF-123')).toBe('https://lexmarket.example/reset-password?token=abc_DEF-123');
    },
  );

  it('keeps a path prefix of PUBLIC_URL and encodes the token', () => {
    expect(tokenLink('https://example.org/lex', 'verify-email', 'a+b/c')).toBe('https://example.org/lex/verify-email?token=a%2Bb%2Fc');
  });

  it('addresses each email to the user, with its template name and the link in the text', () => {
    const reset = passwordResetEmail('http://localhost:3000', user, 'tok1');
    expect(reset).toMatchObject({ to: user.email, userId: user.id, template: 'password-reset' });
    expect(reset.text).toContain('http://localhost:3000/reset-password?token=tok1');
    expect(reset.text).toContain('30 minutes');
    const verify = emailVerificationEmail('http://localhost:3000', user, 'tok2');
    expect(verify).toMatchObject({ to: user.email, userId: user.id, template: 'email-verification' });
    expect(verify.text).toContain('http://localhost:3000/verify-email?token=tok2');
  });
});
