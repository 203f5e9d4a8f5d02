import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { InvalidCredentials } from '../../common/auth/auth.errors';
import { AppConfig } from '../../config/app-config';
import { AccessTokens } from './access-tokens';
import { IdentityAudit } from './identity-audit';
import { AccountSuspended, RefreshTokenInvalid, RefreshTokenReused } from './identity.errors';
import { LoginThrottle } from './login-throttle';
import { newOpaqueToken, normalizeEmail, sha256 } from './opaque-token';
import { PasswordHasher } from './password-hasher';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import type { User } from './user.entity';
import { UsersRepository } from './users.repository';

/** Where a request came from; stored with refresh tokens so users can recognise their sessions. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** What a successful sign-in or refresh hands to the client. */
export interface IssuedSession {
  accessToken: string;
  expiresIn: number;
  /** Opaque; goes only into the HttpOnly cookie. */
  refreshToken: string;
  refreshExpiresAt: Date;
}

/**
 * Sign-in, refresh-token rotation with reuse detection, and sign-out.
 *
 * A sign-in starts a refresh-token *family*. Each refresh marks the presented token used and
 * issues its successor in the same family, in one transaction holding the token's row lock.
 * Presenting a used token again means two parties hold it (theft or replay): the whole family
 * is revoked, and the access tokens issued from it stop working on their next request.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly accessTokens: AccessTokens,
    private readonly audit: IdentityAudit,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks an email and password (LocalStrategy). Unknown email and wrong password give the
   * same error after the same work (a dummy argon2 verification). A suspended account is told
   * so (403) only after its correct password, so this reveals nothing to a guesser.
   */
  async verifyCredentials(email: string, password: string, client: ClientInfo): Promise<User> {
    const account = normalizeEmail(email);
    const subjects = { account, ip: client.ip ?? undefined };
    const reservation = await this.throttle.reserve(subjects);
    const user = await this.users.findByEmail(account);
    const ok = user ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyDummy(password);
    if (!user || !ok) {
      // audit: auth.login.failed (its own transaction: nothing else changes)
      await this.dataSource.transaction((manager) =>
        this.audit.record(manager, { actorId: null, action: 'auth.login.failed', subjectType: 'user', subjectId: user?.id ?? null }),
      );
      this.logger.log(`Sign-in failed${user ? ` for user ${user.id}` : ' (unknown email)'}`);
      await this.throttle.failed(reservation);
      throw new InvalidCredentials('Invalid email or password');
    }
    await this.throttle.succeeded(reservation);
    if (user.status !== 'ACTIVE') throw new AccountSuspended();
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.update(this.dataSource.manager, user.id, { passwordHash: await this.hasher.hash(password) });
    }
    return user;
  }

  /** Starts a new refresh-token family for a user who just proved their password. */
  async signIn(user: User, client: ClientInfo): Promise<IssuedSession> {
    const familyId = randomUUID();
    const refresh = await this.dataSource.transaction(async (manager) => {
      const issued = await this.issueRefreshToken(manager, user.id, familyId, client);
      // audit: auth.login.succeeded
      await this.audit.record(manager, { actorId: user.id, action: 'auth.login.succeeded', subjectType: 'user', subjectId: user.id, payload: { familyId } });
      return issued;
    });
    return this.session(user, familyId, refresh, this.clock.now());
  }

  /** Rotates a refresh token: the presented one becomes used, a successor is issued in its family. */
  async refresh(presented: string | undefined, client: ClientInfo): Promise<IssuedSession> {
    if (!presented) throw new RefreshTokenInvalid();
    const tokenHash = sha256(presented);
    // The transaction returns (never throws) on reuse so that the family revocation commits.
    const outcome = await this.dataSource.transaction(async (manager) => {
      const token = await this.refreshTokens.findByHashForUpdate(manager, tokenHash);
      if (!token) return { kind: 'invalid' as const };
      if (token.usedAt) {
        const revoked = await this.refreshTokens.revokeFamily(manager, token.familyId);
        // audit: auth.refresh_token.reused
        await this.audit.record(manager, {
          actorId: null,
          action: 'auth.refresh_token.reused',
          subjectType: 'user',
          subjectId: token.userId,
          payload: { familyId: token.familyId, revokedTokens: revoked },
        });
        this.logger.warn(`Refresh token reuse for user ${token.userId}: family ${token.familyId} revoked (${revoked} tokens)`);
        return { kind: 'reused' as const };
      }
      if (token.revokedAt || token.expiresAt.getTime() <= this.clock.nowMs()) return { kind: 'invalid' as const };
      const user = await this.users.findById(token.userId, manager);
      if (!user || user.status !== 'ACTIVE') {
        await this.refreshTokens.revokeFamily(manager, token.familyId);
        return { kind: 'invalid' as const };
      }
      const next = await this.issueRefreshToken(manager, user.id, token.familyId, client);
      await this.refreshTokens.markUsed(manager, token.id, next.id);
      const signedInAt = (await this.refreshTokens.familyStartedAt(manager, token.familyId)) ?? token.createdAt;
      return { kind: 'rotated' as const, user, familyId: token.familyId, next, signedInAt };
    });
    if (outcome.kind === 'reused') throw new RefreshTokenReused();
    if (outcome.kind === 'invalid') throw new RefreshTokenInvalid();
    return this.session(outcome.user, outcome.familyId, outcome.next, outcome.signedInAt);
  }

  /**
   * Ends the sign-in the refresh token belongs to (whatever its state), and the one the access
   * token was issued from, so a client holding only its Bearer token (no cookie) signs out too.
   * An unusable credential is ignored (API keys are not sign-ins). Idempotent.
   */
  async signOut(presented: string | undefined, accessToken?: string): Promise<void> {
    const families = new Map<string, string>(); // family id → user id
    if (presented) {
      const token = await this.refreshTokens.findByHash(sha256(presented));
      if (token) families.set(token.familyId, token.userId);
    }
    if (accessToken && !accessToken.startsWith('lmk_')) {
      const claims = await this.accessTokens.verify(accessToken).catch(() => null);
      if (claims) families.set(claims.sid, claims.sub);
    }
    for (const [familyId, userId] of families) {
      await this.dataSource.transaction(async (manager) => {
        const revoked = await this.refreshTokens.revokeFamily(manager, familyId);
        if (revoked === 0) return;
        // audit: auth.logout
        await this.audit.record(manager, { actorId: userId, action: 'auth.logout', subjectType: 'user', subjectId: userId, payload: { familyId } });
      });
    }
  }

  private async issueRefreshToken(
    manager: EntityManager,
    userId: string,
    familyId: string,
    client: ClientInfo,
  ): Promise<{ id: string; token: string; expiresAt: Date }> {
    const token = newOpaqueToken();
    const expiresAt = this.clock.fromNow(this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000);
    const row = await this.refreshTokens.insert(manager, {
      userId,
      familyId,
      tokenHash: sha256(token),
      expiresAt,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip,
    });
    return { id: row.id, token, expiresAt };
  }

  private async session(user: User, familyId: string, refresh: { token: string; expiresAt: Date }, signedInAt: Date): Promise<IssuedSession> {
    const authTime = Math.floor(signedInAt.getTime() / 1000);
    const accessToken = await this.accessTokens.sign({ sub: user.id, sid: familyId, role: user.role, authTime });
    return { accessToken, expiresIn: this.accessTokens.ttlSeconds, refreshToken: refresh.token, refreshExpiresAt: refresh.expiresAt };
  }
}
