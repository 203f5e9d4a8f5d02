import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { canonicalTimeZone, TERMS_VERSION, type Role } from '@lm/domain';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { ValidationFailed } from '../../common/errors/common.errors';
import { LawyersService } from '../lawyers';
import { PartnersService } from '../partners';
import { EmailVerificationService } from './email-verification.service';
import { CannotSuspendSelf, CredentialsRequireSession, CurrentPasswordIncorrect, TermsNotAccepted, UserNotFound } from './identity.errors';
import { IdentityAudit } from './identity-audit';
import { assertRecentSignIn } from './recent-sign-in';
import { LoginThrottle } from './login-throttle';
import { normalizeEmail } from './opaque-token';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import type { User, UserStatus } from './user.entity';
import { UsersRepository, type UserSearch } from './users.repository';

export interface NewAccount {
  email: string;
  password: string;
  displayName: string;
  role: Role;
  timeZone?: string;
  locale?: string;
}

export interface SelfRegistration extends NewAccount {
  role: Exclude<Role, 'ADMIN'>;
  /** A partner's referral code: attributes the sign-up to that partner; an unknown code is ignored. */
  referralCode?: string;
  /** Must be the current TERMS_VERSION: recorded on the account with the time of sign-up. */
  acceptedTermsVersion?: string;
}

export interface ProfilePatch {
  displayName?: string;
  timeZone?: string;
  locale?: string;
}

/** Accounts: sign-up, profile, password change, and the admin's user management. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly audit: IdentityAudit,
    private readonly verification: EmailVerificationService,
    private readonly lawyers: LawyersService,
    private readonly partners: PartnersService,
    private readonly clock: Clock,
  ) {}

  /** Self-service sign-up as CLIENT, LAWYER or PARTNER (never ADMIN: the DTO refuses it, and so does this). */
  async register(input: SelfRegistration): Promise<User> {
    if ((input.role as Role) === 'ADMIN') throw new ValidationFailed([{ field: 'role', messages: ['role must be one of CLIENT, LAWYER, PARTNER'] }]);
    if (input.acceptedTermsVersion !== TERMS_VERSION) throw new TermsNotAccepted();
    // In the sign-up transaction: a LAWYER gets a pending profile, a PARTNER a referral code, and a
    // valid referral code attributes the new account to its partner (first touch; an unknown code is ignored).
    const consent = { termsVersion: TERMS_VERSION, termsAcceptedAt: this.clock.now() };
    return this.create({ ...input, ...consent }, 'self', 'user.registered', async (manager, user) => {
      if (user.role === 'LAWYER') await this.lawyers.createForNewLawyer(manager, user.id);
      if (user.role === 'PARTNER') await this.partners.createCodeForNewPartner(manager, user.id);
      await this.partners.attributeSignUp(manager, input.referralCode, user);
    });
  }

  /** An admin creates an account with any role, including ADMIN (also used by the admin:create CLI with actor null). */
  createByAdmin(actor: AuthUser | null, input: NewAccount): Promise<User> {
    // A new admin needs a fresh interactive sign-in (never an API key); the CLI (actor null) is trusted.
    if (actor && input.role === 'ADMIN') assertRecentSignIn(actor, this.clock.now());
    return this.create(input, actor?.id ?? null, 'user.created');
  }

  async getProfile(actor: AuthUser): Promise<User> {
    const user = await this.users.findById(actor.id);
    if (!user) throw new UserNotFound();
    return user;
  }

  async updateProfile(actor: AuthUser, patch: ProfilePatch): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.findByIdForUpdate(manager, actor.id);
      if (!user) throw new UserNotFound();
      const changes: ProfilePatch = {};
      if (patch.displayName !== undefined) changes.displayName = patch.displayName.trim();
      if (patch.timeZone !== undefined) changes.timeZone = canonicalTimeZone(patch.timeZone);
      if (patch.locale !== undefined) changes.locale = canonicalLocale(patch.locale);
      if (Object.keys(changes).length === 0) return user;
      const updated = await this.users.update(manager, user.id, changes);
      // audit: user.profile_updated
      await this.audit.record(manager, { actorId: actor.id, action: 'user.profile_updated', subjectType: 'user', subjectId: user.id, payload: { fields: Object.keys(changes) } });
      return updated;
    });
  }

  /**
   * Changes the caller's password after checking the current one (guesses count against the
   * same per-account limit as sign-in). Every other sign-in of the account is ended; the
   * caller's own session continues. API keys cannot do this.
   */
  async changePassword(actor: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    if (actor.via !== 'jwt') throw new CredentialsRequireSession();
    const user = await this.getProfile(actor);
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw new ValidationFailed([{ field: 'newPassword', messages: [problem] }]);
    const reservation = await this.throttle.reserve({ account: normalizeEmail(user.email) });
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) throw new CurrentPasswordIncorrect();
    await this.throttle.succeeded(reservation);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await this.users.update(manager, user.id, { passwordHash });
      const ended = await this.refreshTokens.revokeAllForUser(manager, user.id, actor.sessionId);
      // audit: user.password_changed
      await this.audit.record(manager, { actorId: actor.id, action: 'user.password_changed', subjectType: 'user', subjectId: user.id, payload: { otherSessionsEnded: ended } });
    });
  }

  search(query: UserSearch): Promise<{ items: User[]; total: number }> {
    return this.users.search(query);
  }

  /** Suspends at once: every sign-in is revoked, and the guard refuses the account's tokens and keys on the next request. */
  suspend(actor: AuthUser, userId: string): Promise<User> {
    if (actor.id === userId) throw new CannotSuspendSelf();
    return this.setStatus(actor, userId, 'SUSPENDED');
  }

  reactivate(actor: AuthUser, userId: string): Promise<User> {
    return this.setStatus(actor, userId, 'ACTIVE');
  }

  private setStatus(actor: AuthUser, userId: string, status: UserStatus): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.findByIdForUpdate(manager, userId);
      if (!user) throw new UserNotFound();
      // Suspending or reactivating an admin needs a fresh interactive sign-in (never an API key).
      if (user.role === 'ADMIN') assertRecentSignIn(actor, this.clock.now());
      if (user.status === status) return user;
      const updated = await this.users.update(manager, user.id, { status });
      const sessionsEnded = status === 'SUSPENDED' ? await this.refreshTokens.revokeAllForUser(manager, user.id) : 0;
      // audit: user.suspended | user.reactivated
      await this.audit.record(manager, {
        actorId: actor.id,
        action: status === 'SUSPENDED' ? 'user.suspended' : 'user.reactivated',
        subjectType: 'user',
        subjectId: user.id,
        payload: { from: user.status, to: status, sessionsEnded },
      });
      return updated;
    });
  }

  private async create(
    input: NewAccount & { termsVersion?: string; termsAcceptedAt?: Date },
    /** 'self' for sign-up; null for the system (CLI). */
    actorId: string | null | 'self',
    action: 'user.registered' | 'user.created',
    inTransaction?: (manager: EntityManager, user: User) => Promise<void>,
  ): Promise<User> {
    const email = normalizeEmail(input.email);
    const problem = passwordProblem(input.password, email);
    if (problem) throw new ValidationFailed([{ field: 'password', messages: [problem] }]);
    const passwordHash = await this.hasher.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.insert(manager, {
        email,
        passwordHash,
        role: input.role,
        displayName: input.displayName.trim(),
        timeZone: input.timeZone ? canonicalTimeZone(input.timeZone) : 'UTC',
        locale: input.locale ? canonicalLocale(input.locale) : 'en',
        termsVersion: input.termsVersion ?? null,
        termsAcceptedAt: input.termsAcceptedAt ?? null,
      });
      await inTransaction?.(manager, user);
      // Self-registration sends the verification link in the sign-up transaction (admin-created
      // accounts and the CLI's do not; their owners can ask for one with /auth/verify-email/resend).
      if (action === 'user.registered') await this.verification.send(manager, user);
      // audit: user.registered | user.created
      await this.audit.record(manager, { actorId: actorId === 'self' ? user.id : actorId, action, subjectType: 'user', subjectId: user.id, payload: user.termsVersion ? { role: user.role, termsVersion: user.termsVersion, termsAcceptedAt: user.termsAcceptedAt?.toISOString() } : { role: user.role } });
      return user;
    });
  }
}

/** BCP 47 tag in canonical case (`pt-br` → `pt-BR`); the DTO has already checked it parses. */
export function canonicalLocale(locale: string): string {
  return Intl.getCanonicalLocales(locale)[0] ?? 'en';
}
