import type { AuthUser } from './auth-user';

/**
 * Resolves the bearer credential of a request (access JWT or API key) to the caller, or
 * throws a coded 401 error. Implemented by the identity module; the global AccessGuard
 * depends only on this abstract class. Implementations must check the account's current
 * status on every call so a suspension takes effect immediately.
 */
export abstract class Authenticator {
  abstract authenticate(bearer: string): Promise<AuthUser>;
}
