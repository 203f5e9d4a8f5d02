/**
 * The password rule, one place for the API, the CLI and the SPA's wording:
 * at least 12 and at most 128 characters, at least 5 different characters, not a commonly
 * used password, and not containing your email address or its name part.
 * (NIST SP 800-63B / OWASP ASVS V2.1: length and a blocklist, no composition rules.)
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
const MIN_DISTINCT_CHARACTERS = 5;

export const PASSWORD_RULE =
  `Use ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters with at least ${MIN_DISTINCT_CHARACTERS} different ones; ` +
  'avoid common passwords and your email address. A few unrelated words make a good password.';

/** Frequently breached passwords of 12+ characters (lower-cased), plus words specific to this site. */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456123456',
  '111111111111',
  '000000000000',
  'qwertyuiopas',
  'qwerty123456',
  '123456qwerty',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qazwsxedcrfv',
  'zaq12wsxcde3',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'password123!',
  'p@ssw0rd1234',
  'p@ssword1234',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'welcome123456',
  'changeme1234',
  'administrator',
  'administrator1',
  'abcdefghijkl',
  'abcd1234abcd',
  'abc123abc123',
  'football1234',
  'baseball1234',
  'superman1234',
  'sunshine1234',
  'princess1234',
  'trustno1trustno1',
  'monkey123456',
  'dragon123456',
  'master123456',
  'correcthorsebatterystaple',
  'lexmarket123',
  'lexmarket1234',
  'lexmarketpassword',
]);

/**
 * Returns why `password` is not acceptable, or null when it is. `email` is the account's
 * address (the password may not contain it or its name part).
 */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password must have at least ${PASSWORD_MIN_LENGTH} characters. ${PASSWORD_RULE}`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) {
    return `The password must use at least ${MIN_DISTINCT_CHARACTERS} different characters. ${PASSWORD_RULE}`;
  }
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[^a-z0-9]/g, ''))) {
    return `This password is too common and easy to guess. ${PASSWORD_RULE}`;
  }
  if (email) {
    const address = email.trim().toLowerCase();
    const name = address.split('@')[0] ?? '';
    if (lower.includes(address) || (name.length >= 4 && lower.includes(name))) {
      return `The password must not contain your email address. ${PASSWORD_RULE}`;
    }
  }
  return null;
}
