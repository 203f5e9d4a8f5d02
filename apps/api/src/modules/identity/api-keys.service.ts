import { Injectable } from '@nestjs/common';
import { scopesAllowedFor, SCOPES_BY_ROLE, type ApiScope } from '@lm/domain';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { InvalidCredentials } from '../../common/auth/auth.errors';
import { NotificationsService } from '../notifications';
import type { ApiKey } from './api-key.entity';
import { ApiKeyRateLimiter } from './api-key-rate-limiter';
import { ApiKeysRepository } from './api-keys.repository';
import {
  ApiKeyExpiryInvalid,
  ApiKeyLimit,
  ApiKeyNotFound,
  ApiKeyRateLimited,
  ApiKeyScopeNotAllowed,
  CredentialsRequireSession,
} from './identity.errors';
import { IdentityAudit } from './identity-audit';
import { sha256 } from './opaque-token';
import { assertRecentSignIn } from './recent-sign-in';

/** `lmk_<8 hex: public prefix>_<43 base64url: 256-bit secret>`. */
/** Unrevoked keys one account may hold. */
export const MAX_ACTIVE_API_KEYS = 50;

export const API_KEY_PATTERN = /^lmk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per key (not on every request). */
const TOUCH_INTERVAL_MS = 60_000;
/** A key lives at most this long (a longer-lived integration rotates its key). */
export const API_KEY_MAX_LIFETIME_MS = 2 * 366 * 24 * 3600_000;
export const API_KEY_DEFAULT_RATE_LIMIT = 600;

export interface NewApiKey {
  name: string;
  scopes: ApiScope[];
  expiresAt?: Date;
  rateLimitPerMinute?: number;
}

/**
 * API keys for integrations: shown once, stored as SHA-256 (a 256-bit random secret needs no
 * slow hash), looked up by that digest. A key acts with its owner's current role, limited to its
 * scopes (the AccessGuard checks them); revoking it, its expiry or suspending the owner refuses it
 * on the next request. Each key has its own per-minute request budget.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly audit: IdentityAudit,
    private readonly clock: Clock,
    private readonly rateLimiter: ApiKeyRateLimiter,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Creates a key for the caller with the chosen scopes, each of which the caller's role must
   * allow (`admin` only for an ADMIN who asks for it); the returned `secret` is the only time the
   * key is visible.
   */
  async create(actor: AuthUser, input: NewApiKey): Promise<{ apiKey: ApiKey; secret: string }> {
    // A leaked key must not be able to mint more keys.
    if (actor.via !== 'jwt') throw new CredentialsRequireSession();
    const scopes = [...new Set(input.scopes)];
    const allowed = SCOPES_BY_ROLE[actor.role];
    const notAllowed = scopes.filter((scope) => !allowed.includes(scope));
    if (notAllowed.length || !scopes.length) throw new ApiKeyScopeNotAllowed(undefined, { scopes: notAllowed, allowed });
    const now = this.clock.nowMs();
    const expiresAtMs = input.expiresAt?.getTime();
    if (expiresAtMs !== undefined && (expiresAtMs <= now || expiresAtMs > now + API_KEY_MAX_LIFETIME_MS))
      throw new ApiKeyExpiryInvalid();
    // A key acts on the account until revoked: minting one needs a fresh interactive sign-in (any
    // role), so a stolen refresh cookie alone cannot turn into a long-lived credential.
    assertRecentSignIn(actor, this.clock.now());
    const prefix = `lmk_${randomBytes(4).toString('hex')}`;
    const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const apiKey = await this.dataSource.transaction(async (manager) => {
      if ((await this.keys.countActiveLocked(manager, actor.id)) >= MAX_ACTIVE_API_KEYS)
        throw new ApiKeyLimit(undefined, { max: MAX_ACTIVE_API_KEYS });
      const created = await this.keys.insert(manager, {
        userId: actor.id,
        name: input.name.trim(),
        prefix,
        keyHash: sha256(secret),
        scopes,
        expiresAt: input.expiresAt ?? null,
        rateLimitPerMinute: input.rateLimitPerMinute ?? API_KEY_DEFAULT_RATE_LIMIT,
      });
      const payload = {
        prefix,
        scopes,
        expiresAt: created.expiresAt?.toISOString() ?? null,
        rateLimitPerMinute: created.rateLimitPerMinute,
      };
      // audit: api_key.created
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'api_key.created',
        subjectType: 'api_key',
        subjectId: created.id,
        payload,
      });
      // The owner hears of every new key (in the app and by email, whatever their preferences).
      await this.notifications.notify(manager, {
        userId: actor.id,
        kind: 'security.api_key_created',
        params: { keyId: created.id, name: created.name, prefix, scopes, expiresAt: payload.expiresAt },
        dedupeKey: `api-key-created:${created.id}`,
      });
      return created;
    });
    return { apiKey, secret };
  }

  list(actor: AuthUser): Promise<ApiKey[]> {
    return this.keys.listForUser(actor.id);
  }

  /** Revokes one of the caller's keys (idempotent); someone else's key is a 404. */
  async revoke(actor: AuthUser, id: string): Promise<void> {
    // Keys are managed from a signed-in session only, never with a key.
    if (actor.via !== 'jwt') throw new CredentialsRequireSession();
    await this.dataSource.transaction(async (manager) => {
      const key = await this.keys.findOwnedForUpdate(manager, id, actor.id);
      if (!key) throw new ApiKeyNotFound();
      if (key.revokedAt) return;
      await this.keys.revoke(manager, key.id);
      // audit: api_key.revoked
      await this.audit.record(manager, {
        actorId: actor.id,
        action: 'api_key.revoked',
        subjectType: 'api_key',
        subjectId: key.id,
        payload: { prefix: key.prefix },
      });
    });
  }

  /** The caller behind a presented key, or a 401. */
  async authenticate(presented: string): Promise<AuthUser> {
    if (!API_KEY_PATTERN.test(presented)) throw new InvalidCredentials();
    const found = await this.keys.findActiveByHash(sha256(presented));
    if (!found || found.status !== 'ACTIVE') throw new InvalidCredentials();
    const now = this.clock.nowMs();
    // An expired key is refused exactly like a revoked or unknown one.
    if (found.expiresAt && found.expiresAt.getTime() <= now) throw new InvalidCredentials();
    const retryAfter = await this.rateLimiter.take(found.keyId, found.rateLimitPerMinute);
    if (retryAfter > 0) throw new ApiKeyRateLimited(retryAfter);
    if (!found.lastUsedAt || now - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS)
      await this.keys.touch(found.keyId, new Date(now));
    // Only the scopes the owner's role allows today count: a key never exceeds its owner.
    const scopes = scopesAllowedFor(found.role, found.scopes);
    return { id: found.userId, email: found.email, role: found.role, via: 'api-key', apiKeyId: found.keyId, scopes };
  }
}
