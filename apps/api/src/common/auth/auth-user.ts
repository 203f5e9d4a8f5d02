import type { ApiScope, Role } from '@lm/domain';

/** The authenticated caller of a request, as seen by guards, services and audit entries. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  /** How the caller authenticated: a short-lived access JWT or an API key. */
  via: 'jwt' | 'api-key';
  /** Set when `via` is 'api-key'. */
  apiKeyId?: string;
  /** Set when `via` is 'api-key': the key's scopes, limited to what the owner's current role allows. */
  scopes?: readonly ApiScope[];
  /** Set when `via` is 'jwt': the sign-in (refresh-token family) the access token came from. */
  sessionId?: string;
  /** Set when `via` is 'jwt': when that sign-in proved the password (refreshes keep it). */
  authenticatedAt?: Date;
  /** Set when `via` is 'jwt': when the access token stops being accepted (long-lived responses such as event streams end then). */
  accessExpiresAt?: Date;
}
