import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { scopesAllowedFor, scopesSatisfy, type ApiScope, type Role } from '@lm/domain';
import type { AuthUser } from './auth-user';
import { AccessUndeclared, ApiKeyNotAllowed, Forbidden, InsufficientScope, Unauthenticated } from './auth.errors';
import { PUBLIC_KEY, ROLES_KEY, SCOPES_KEY } from './auth.decorators';
import { Authenticator } from './authenticator';

/**
 * The global guard. Every route must declare its access with @Public() or @Roles(...);
 * an undeclared route is refused (default deny) and fails the route-access test. An API key
 * also needs the route's @Scopes (none declared: session only), within its owner's current role.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    /** Provided by the identity module; without it no credential is accepted. */
    @Optional() private readonly authenticator?: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new AccessUndeclared();

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const bearer = parseBearer(request.headers.authorization);
    if (!bearer || !this.authenticator) throw new Unauthenticated();
    const user = await this.authenticator.authenticate(bearer);
    request.user = user;
    if (!roles.includes(user.role)) throw new Forbidden();
    if (user.via === 'api-key') {
      const required = this.reflector.getAllAndOverride<ApiScope[] | undefined>(SCOPES_KEY, targets);
      if (!required?.length) throw new ApiKeyNotAllowed();
      // A stored scope the owner's current role no longer allows counts for nothing: a key never exceeds its owner.
      const held = scopesAllowedFor(user.role, user.scopes ?? []);
      if (!scopesSatisfy(held, required)) throw new InsufficientScope(undefined, { required });
    }
    return true;
  }
}

function parseBearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
