import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { AppConfig } from '../../config/app-config';
import { MailService } from '../mail';
import { EmailAlreadyVerified, TooManyVerificationEmails, UserNotFound, VerificationTokenInvalid } from './identity.errors';
import { emailVerificationEmail, EMAIL_VERIFICATION_TTL_HOURS } from './identity-emails';
import { IdentityAudit } from './identity-audit';
import { newOpaqueToken, sha256 } from './opaque-token';
import type { User } from './user.entity';
import { UserTokensRepository } from './user-tokens.repository';
import { UsersRepository } from './users.repository';

/** Verification emails one account may request per hour (sign-up's first one included). */
export const VERIFICATION_EMAILS_PER_HOUR = 5;

/**
 * Email verification: sign-up sends a link with a single-use token; opening it marks the
 * address verified. An unverified address does not block sign-in (the SPA shows a reminder);
 * modules that must only talk to verified addresses check `emailVerifiedAt`.
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly tokens: UserTokensRepository,
    private readonly mail: MailService,
    private readonly audit: IdentityAudit,
    private readonly clock: Clock,
  ) {}

  /** Issues a fresh token (older ones stop working) and enqueues its email, in the caller's transaction. */
  async send(manager: EntityManager, user: Pick<User, 'id' | 'email' | 'displayName'>): Promise<void> {
    const token = newOpaqueToken();
    await this.tokens.revokeOutstanding(manager, user.id, 'EMAIL_VERIFICATION');
    await this.tokens.insert(manager, {
      userId: user.id,
      purpose: 'EMAIL_VERIFICATION',
      tokenHash: sha256(token),
      expiresAt: this.clock.fromNow(EMAIL_VERIFICATION_TTL_HOURS * 3_600_000),
    });
    await this.mail.enqueue(manager, emailVerificationEmail(this.config.PUBLIC_URL, user, token));
  }

  /** The signed-in user asks for another link (the first got lost or expired). */
  async resend(actor: AuthUser): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findByIdForUpdate(manager, actor.id);
      if (!user) throw new UserNotFound();
      if (user.emailVerifiedAt) throw new EmailAlreadyVerified();
      const sent = await this.tokens.countIssuedSince(manager, user.id, 'EMAIL_VERIFICATION', this.clock.fromNow(-3_600_000));
      if (sent >= VERIFICATION_EMAILS_PER_HOUR) throw new TooManyVerificationEmails(3600);
      await this.send(manager, user);
    });
  }

  /** Spends a token from a verification link and marks its owner's address verified. */
  async verify(token: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const userId = await this.tokens.consume(manager, sha256(token), 'EMAIL_VERIFICATION', this.clock.now());
      if (!userId) throw new VerificationTokenInvalid();
      if (!(await this.users.markEmailVerified(manager, userId))) return;
      // audit: user.email_verified
      await this.audit.record(manager, { actorId: userId, action: 'user.email_verified', subjectType: 'user', subjectId: userId, payload: { via: 'email_link' } });
    });
  }

  /** Marks an address verified without a link (demo accounts). `via` names who vouches for it. */
  async markVerified(actorId: string | null, userId: string, via: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.users.markEmailVerified(manager, userId))) return;
      // audit: user.email_verified
      await this.audit.record(manager, { actorId, action: 'user.email_verified', subjectType: 'user', subjectId: userId, payload: { via } });
    });
  }
}
