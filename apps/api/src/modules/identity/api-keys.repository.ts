import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ApiScope, Role } from '@lm/domain';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKey } from './api-key.entity';
import type { UserStatus } from './user.entity';

export interface ApiKeyOwner {
  keyId: string;
  lastUsedAt: Date | null;
  userId: string;
  email: string;
  role: Role;
  status: UserStatus;
  scopes: ApiScope[];
  expiresAt: Date | null;
  rateLimitPerMinute: number;
}

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(
    manager: EntityManager,
    key: Pick<ApiKey, 'userId' | 'name' | 'prefix' | 'keyHash' | 'scopes' | 'expiresAt' | 'rateLimitPerMinute'>,
  ): Promise<ApiKey> {
    const repo = manager.getRepository(ApiKey);
    return repo.save(repo.create(key));
  }

  /** The user's keys not revoked (expired ones included: they still show in the list until revoked), counted under a per-user lock. */
  async countActiveLocked(manager: EntityManager, userId: string): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('api_keys:' || $1::text))`, [userId]);
    const rows: { n: number }[] = await manager.query(
      `SELECT count(*)::int AS n FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    return rows[0]!.n;
  }

  listForUser(userId: string): Promise<ApiKey[]> {
    return this.dataSource.manager
      .getRepository(ApiKey)
      .find({ where: { userId }, order: { createdAt: 'DESC', id: 'DESC' }, take: 200 }); // more than MAX_ACTIVE_API_KEYS unrevoked ones cannot exist
  }

  /** The caller's own key, locked; a foreign or unknown id is simply not found. */
  findOwnedForUpdate(manager: EntityManager, id: string, userId: string): Promise<ApiKey | null> {
    return manager
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .setLock('pessimistic_write')
      .where('k.id = :id AND k.user_id = :userId', { id, userId })
      .getOne();
  }

  async revoke(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(ApiKey).update({ id }, { revokedAt: () => 'now()' });
  }

  /** Revokes every unrevoked key of the user; their prefixes. */
  async revokeAllForUser(manager: EntityManager, userId: string): Promise<string[]> {
    const [rows]: [{ prefix: string }[], number] = await manager.query(
      `UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING prefix`,
      [userId],
    );
    return rows.map((r) => r.prefix).sort();
  }

  /** An unrevoked key (expired or not: the caller decides with its clock) and its owner's current role and status. */
  async findActiveByHash(keyHash: Buffer): Promise<ApiKeyOwner | null> {
    const rows: ApiKeyOwner[] = await this.dataSource.query(
      `SELECT k.id AS "keyId", k.last_used_at AS "lastUsedAt", k.scopes, k.expires_at AS "expiresAt",
              k.rate_limit_per_minute AS "rateLimitPerMinute", u.id AS "userId", u.email::text AS email, u.role, u.status
         FROM api_keys k JOIN users u ON u.id = k.user_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    return rows[0] ?? null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, [id, at]);
  }
}
