import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { InvalidCredentials } from '../../common/auth/auth.errors';
import { Authenticator } from '../../common/auth/authenticator';
import { AccessTokens } from './access-tokens';
import { ApiKeysService } from './api-keys.service';
import { UsersRepository } from './users.repository';

/**
 * Resolves `Authorization: Bearer <credential>` for the global AccessGuard: an API key
 * (`lmk_…`) or an access JWT.
 *
 * The account's role and status are read from the database on every request, rather than
 * trusted from the token: a suspension (or role change) takes effect on the caller's next
 * request, not when a 15-minute token expires. We chose this over short token lifetimes alone
 * because it costs one indexed primary-key lookup per request and closes the window entirely.
 * The same lookup checks that the token's sign-in (refresh family) is not revoked, so logout,
 * password change and refresh-token reuse end outstanding access tokens immediately too.
 */
@Injectable()
export class IdentityAuthenticator extends Authenticator {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly apiKeys: ApiKeysService,
    private readonly users: UsersRepository,
  ) {
    super();
  }

  async authenticate(bearer: string): Promise<AuthUser> {
    if (bearer.startsWith('lmk_')) return this.apiKeys.authenticate(bearer);
    const claims = await this.accessTokens.verify(bearer);
    const user = await this.users.findForSession(claims.sub, claims.sid);
    if (!user || user.status !== 'ACTIVE') throw new InvalidCredentials();
    const authenticatedAt = claims.authTime !== undefined ? new Date(claims.authTime * 1000) : undefined;
    const accessExpiresAt = claims.exp !== undefined ? new Date(claims.exp * 1000) : undefined;
    return { id: user.id, email: user.email, role: user.role, via: 'jwt', sessionId: claims.sid, authenticatedAt, accessExpiresAt };
  }
}
