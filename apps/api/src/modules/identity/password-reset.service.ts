import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ValidationFailed } from '../../common/errors/common.errors';
import { AppConfig } from '../../config/app-config';
import { MailService } from '../mail';
import { NotificationsService } from '../notifications';
import { WebhookEndpointsService } from '../webhooks';
import { ApiKeysRepository } from './api-keys.repository';
import { ResetTokenInvalid } from './identity.errors';
import { passwordResetEmail, PASSWORD_RESET_TTL_MINUTES } from './identity-emails';
import { IdentityAudit } from './identity-audit';
import { LoginThrottle } from './login-throttle';
import { newOpaqueToken, normalizeEmail, sha256 } from './opaque-token';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { UserTokensRepository } from './user-tokens.repository';
import { UsersRepository } from './users.repository';

/** Reset emails one account receives per hour at most; further requests are answered alike but send nothing. */
export const RESET_EMAILS_PER_HOUR = 3;

/**
 * Password reset by emailed one-time token.
 *
 * A request answers the same whatever the address (the controller returns one fixed body);
 * only an existing ACTIVE account gets an email. The token is 256 random bits, stored as its
 * SHA-256, valid 30 minutes and once; a newer request retires older tokens. Confirming sets the
 * password, spends the token, ends every sign-in of the account, revokes its API keys, disables
 * its webhook endpoints and tells the owner so, in one transaction with the audit entry; then
 * clears its failed-login counter.
 *
 * A request for a known address does a little more database work than one for an unknown
 * address; we accept that timing difference because sign-up already tells whether an address
 * is taken (409 EMAIL_TAKEN), so hiding it here would buy nothing.
 */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger(PasswordResetService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly tokens: UserTokensRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly mail: MailService,
    private readonly audit: IdentityAudit,
    private readonly clock: Clock,
    private readonly apiKeys: ApiKeysRepository,
    private readonly webhookEndpoints: WebhookEndpointsService,
    private readonly notifications: NotificationsService,
  ) {}

  async request(email: string): Promise<void> {
    const user = await this.users.findByEmail(normalizeEmail(email));
    if (!user || user.status !== 'ACTIVE') return;
    await this.dataSource.transaction(async (manager) => {
      // The row lock serialises concurrent requests for one account, so the hourly cap holds.
      const locked = await this.users.findByIdForUpdate(manager, user.id);
      if (!locked) return;
      const recent = await this.tokens.countIssuedSince(manager, user.id, 'PASSWORD_RESET', this.clock.fromNow(-3_600_000));
      if (recent >= RESET_EMAILS_PER_HOUR) {
        this.logger.warn(`Password reset for user ${user.id} not sent: ${recent} already sent this hour`);
        return;
      }
      const token = newOpaqueToken();
      const retired = await this.tokens.revokeOutstanding(manager, user.id, 'PASSWORD_RESET');
      await this.tokens.insert(manager, {
        userId: user.id,
        purpose: 'PASSWORD_RESET',
        tokenHash: sha256(token),
        expiresAt: this.clock.fromNow(PASSWORD_RESET_TTL_MINUTES * 60_000),
      });
      await this.mail.enqueue(manager, passwordResetEmail(this.config.PUBLIC_URL, locked, token));
      // audit: user.password_reset_requested
      await this.audit.record(manager, { actorId: null, action: 'user.password_reset_requested', subjectType: 'user', subjectId: user.id, payload: { olderTokensRetired: retired } });
    });
  }

  async confirm(token: string, newPassword: string): Promise<void> {
    const tokenHash = sha256(token);
    const userId = await this.tokens.findLiveUserId(tokenHash, 'PASSWORD_RESET', this.clock.now());
    const user = userId ? await this.users.findById(userId) : null;
    if (!user) throw new ResetTokenInvalid();
    // Checked before the token is spent, so a rejected password does not cost the user the link.
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw new ValidationFailed([{ field: 'newPassword', messages: [problem] }]);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      // Spent atomically: a second, concurrent confirmation with the same token gets 400.
      if ((await this.tokens.consume(manager, tokenHash, 'PASSWORD_RESET', this.clock.now())) !== user.id) throw new ResetTokenInvalid();
      await this.users.update(manager, user.id, { passwordHash });
      // The link reached the inbox, which proves the address as well as a verification link would.
      const emailVerified = await this.users.markEmailVerified(manager, user.id);
      const sessionsEnded = await this.refreshTokens.revokeAllForUser(manager, user.id);
      // A reset is account recovery: someone else may have held the account. Like every sign-in,
      // the integrations' credentials go too (GitHub revokes OAuth tokens the same way); a plain
      // password change keeps them.
      const apiKeysRevoked = await this.apiKeys.revokeAllForUser(manager, user.id);
      const webhookEndpointsDisabled = await this.webhookEndpoints.disableAllOfOwner(manager, user.id, 'password_reset');
      // audit: user.password_reset
      await this.audit.record(manager, {
        actorId: user.id,
        action: 'user.password_reset',
        subjectType: 'user',
        subjectId: user.id,
        payload: { sessionsEnded, emailVerified, revokedKeyPrefixes: apiKeysRevoked, webhookEndpointsDisabled },
      });
      await this.notifications.notify(manager, {
        userId: user.id,
        kind: 'security.password_reset',
        params: { apiKeysRevoked: apiKeysRevoked.length, webhookEndpointsDisabled },
      });
    });
    // The owner proved control of the inbox: earlier failed sign-ins no longer lock them out.
    await this.throttle.clearAccount(normalizeEmail(user.email));
  }
}
