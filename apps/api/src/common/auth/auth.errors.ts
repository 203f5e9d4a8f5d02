import { domainError } from '../errors/domain-error';

export class Unauthenticated extends domainError('UNAUTHENTICATED', 401, 'Authentication required') {}
export class InvalidCredentials extends domainError('INVALID_CREDENTIALS', 401, 'Invalid or expired credentials') {}
export class Forbidden extends domainError('FORBIDDEN', 403, 'You are not allowed to do this') {}
/** A route without @Public() or @Roles(): a programming error, denied by default. */
export class AccessUndeclared extends domainError('ACCESS_UNDECLARED', 500, 'Internal server error') {}
/** An API key on a route that declares no scope: session only (API keys, passwords, key set-up, signing). */
export class ApiKeyNotAllowed extends domainError(
  'API_KEY_NOT_ALLOWED',
  403,
  'This operation needs a signed-in session; API keys cannot call it',
) {}
/** An API key without a scope the route needs (details.required lists them). */
export class InsufficientScope extends domainError(
  'INSUFFICIENT_SCOPE',
  403,
  'This API key lacks a scope this operation needs',
) {}
export class CredentialsRequireSession extends domainError(
  'SESSION_REQUIRED',
  403,
  'Sign in with a password to manage credentials; API keys cannot change passwords or create keys',
) {}
/** An action that needs a password sign-in within the last 15 minutes (recent-sign-in.ts). */
export class RecentSignInRequired extends domainError(
  'RECENT_SIGN_IN_REQUIRED',
  403,
  'For this action, sign in again with your password (a sign-in from the last 15 minutes is required)',
) {}
