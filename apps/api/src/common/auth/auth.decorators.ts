import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { ROLES, type ApiScope, type Role } from '@lm/domain';
import { ApiErrorResponses } from '../http/api-error-responses.decorator';
import type { AuthUser } from './auth-user';

export const PUBLIC_KEY = 'access:public';
export const ROLES_KEY = 'access:roles';
export const SCOPES_KEY = 'access:scopes';

/** Anyone may call this route, signed in or not. Swagger shows it without security. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiSecurity({}));
}

/**
 * Only callers with one of these roles may call this route (401 without credentials, 403
 * with the wrong role). Documents the bearer scheme, the roles and both error responses.
 * Object-level checks (own vs foreign object) belong in the service's queries.
 */
export function Roles(...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth('bearer'),
    ApiErrorResponses(401, 403),
    ApiExtension('x-roles', roles),
  );
}

/**
 * The scopes an API key needs for this route (all of them), placed next to @Roles. Sessions are
 * limited by their role only; an API key also needs these scopes (403 INSUFFICIENT_SCOPE), and a
 * route with @Roles but no @Scopes refuses API keys altogether (403 API_KEY_NOT_ALLOWED). The
 * OpenAPI document names the `apiKey` scheme in the operation's security and lists the scopes in
 * `x-scopes` (OpenAPI 3.0 allows scopes in a requirement for OAuth2 schemes only).
 * See SCOPES_BY_ROLE in @lm/domain for which roles may hold which scopes.
 */
export function Scopes(...scopes: [ApiScope, ...ApiScope[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(SCOPES_KEY, scopes), ApiSecurity('apiKey'), ApiExtension('x-scopes', scopes));
}

/** Any signed-in caller, whatever the role. */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return Roles(...(ROLES as unknown as [Role, ...Role[]]));
}

/** The authenticated caller (routes under @Roles/@Authenticated only). */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const request = ctx.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!request.user) throw new Error('@CurrentUser() used on a route without authentication');
  return request.user;
});
