import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { Authenticator } from '../../common/auth/authenticator';
import { AuditModule } from '../audit';
import { LawyersModule } from '../lawyers';
import { NotificationsModule } from '../notifications';
import { PartnersModule } from '../partners';
import { WebhooksModule } from '../webhooks';
import { AccessTokens } from './access-tokens';
import { AccountsService } from './accounts.service';
import { AdminUsersController } from './admin-users.controller';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { EmailVerificationService } from './email-verification.service';
import { RefreshCookie } from './http-helpers';
import { IdentityAudit } from './identity-audit';
import { IdentityAuthenticator } from './identity.authenticator';
import { LocalStrategy } from './local.strategy';
import { LoginThrottle } from './login-throttle';
import { PasswordResetService } from './password-reset.service';
import { PasswordHasher } from './password-hasher';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { RequestThrottleStorage } from './request-throttle.storage';
import { SessionsService } from './sessions.service';
import { UserTokensRepository } from './user-tokens.repository';
import { UserBillingService } from './user-billing.service';
import { UsersRepository } from './users.repository';

/**
 * Who is who: accounts, sign-in, sessions, API keys. Global because it provides the
 * `Authenticator` the app-wide AccessGuard uses. Other modules use AccountsService. It also
 * keeps the request limits every replica shares: the throttler's storage (registered by the
 * app module) and each API key's budget.
 */
@Global()
@Module({
  // The key is passed per call (AccessTokens), resolved at init from JWT_SECRET or DATA_DIR.
  imports: [AuditModule, LawyersModule, NotificationsModule, PartnersModule, WebhooksModule, PassportModule.register({ session: false }), JwtModule.register({})],
  controllers: [AuthController, ApiKeysController, AdminUsersController],
  providers: [
    UsersRepository,
    RefreshTokensRepository,
    ApiKeysRepository,
    UserTokensRepository,
    PasswordHasher,
    LoginThrottle,
    AccessTokens,
    IdentityAudit,
    AccountsService,
    SessionsService,
    ApiKeysService,
    ApiKeyRateLimiter,
    RequestThrottleStorage,
    PasswordResetService,
    EmailVerificationService,
    UserBillingService,
    RefreshCookie,
    LocalStrategy,
    IdentityAuthenticator,
    { provide: Authenticator, useExisting: IdentityAuthenticator },
  ],
  exports: [Authenticator, AccountsService, EmailVerificationService, UserBillingService, RequestThrottleStorage],
})
export class IdentityModule {}
