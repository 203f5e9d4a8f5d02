import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { InvalidCredentials } from '../../common/auth/auth.errors';
import type { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeyNotFound, CredentialsRequireSession } from './identity.errors';
import { IdentityAudit } from './identity-audit';
import { sha256 } from './opaque-token';
import { assertRecentSignIn } from './recent-sign-in';

/** `lmk_<8 hex: public prefix>_<43 base64url: 256-bit secret>`. */
export const API_KEY_PATTERN = /^lmk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per key (not on every request). */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * API keys for integrations: shown once, stored as SHA-256 (a 256-bit random secret needs no
 * slow hash), looked up by that digest. A key acts with its owner's current role; revoking it
 * or suspending the owner refuses it on the next request.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly audit: IdentityAudit,
    private readonly clock: Clock,
  ) {}

  /** Creates a key for the caller; the returned `secret` is the only time the key is visible. */
  async create(actor: AuthUser, name: string): Promise<{ apiKey: ApiKey; secret: string }> {
    // A leaked key must not be able to mint more keys.
    if (actor.via !== 'jwt') throw new CredentialsRequireSession();
    // An admin key acts with every admin power: minting one needs a fresh interactive sign-in.
    if (actor.role === 'ADMIN') assertRecentSignIn(actor, this.clock.now());
    const prefix = `lmk_${randomBytes(4).toString('hex')}`;
    const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const apiKey = await this.dataSource.transaction(async (manager) => {
      const created = await this.keys.insert(manager, { userId: actor.id, name: name.trim(), prefix, keyHash: sha256(secret) });
      // audit: api_key.created
      await this.audit.record(manager, { actorId: actor.id, action: 'api_key.created', subjectType: 'api_key', subjectId: created.id, payload: { prefix } });
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
      await this.audit.record(manager, { actorId: actor.id, action: 'api_key.revoked', subjectType: 'api_key', subjectId: key.id, payload: { prefix: key.prefix } });
    });
  }

  /** The caller behind a presented key, or a 401. */
  async authenticate(presented: string): Promise<AuthUser> {
    if (!API_KEY_PATTERN.test(presented)) throw new InvalidCredentials();
    const found = await this.keys.findActiveByHash(sha256(presented));
    if (!found || found.status !== 'ACTIVE') throw new InvalidCredentials();
    if (!found.lastUsedAt || this.clock.nowMs() - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) await this.keys.touch(found.keyId);
    return { id: found.userId, email: found.email, role: found.role, via: 'api-key', apiKeyId: found.keyId };
  }
}
