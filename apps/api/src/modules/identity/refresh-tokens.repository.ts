import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { RefreshToken } from './refresh-token.entity';

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: Buffer;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(manager: EntityManager, token: NewRefreshToken): Promise<RefreshToken> {
    const repo = manager.getRepository(RefreshToken);
    return repo.save(repo.create(token));
  }

  findByHash(tokenHash: Buffer): Promise<RefreshToken | null> {
    return this.dataSource.manager.getRepository(RefreshToken).findOneBy({ tokenHash });
  }

  /** Locks the token row: two concurrent refreshes with one token are serialised here. */
  findByHashForUpdate(manager: EntityManager, tokenHash: Buffer): Promise<RefreshToken | null> {
    return manager
      .getRepository(RefreshToken)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.token_hash = :tokenHash', { tokenHash })
      .getOne();
  }

  /** When the sign-in (family) began: the creation of its first refresh token. */
  async familyStartedAt(manager: EntityManager, familyId: string): Promise<Date | null> {
    const rows = (await manager.query(`SELECT min(created_at) AS started FROM refresh_tokens WHERE family_id = $1`, [familyId])) as { started: Date | null }[];
    return rows[0]?.started ?? null;
  }

  async markUsed(manager: EntityManager, id: string, replacedBy: string): Promise<void> {
    await manager.getRepository(RefreshToken).update({ id }, { usedAt: () => 'now()', replacedBy });
  }

  /** Revokes every not-yet-revoked token of the family (one sign-in). */
  async revokeFamily(manager: EntityManager, familyId: string): Promise<number> {
    const result = await manager.getRepository(RefreshToken).update({ familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return result.affected ?? 0;
  }

  /** Revokes every sign-in of the user, except `keepFamilyId` when given. Returns the families ended. */
  async revokeAllForUser(manager: EntityManager, userId: string, keepFamilyId?: string): Promise<number> {
    const [rows] = (await manager.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)
        RETURNING family_id`,
      [userId, keepFamilyId ?? null],
    )) as [{ family_id: string }[], number];
    return new Set(rows.map((r) => r.family_id)).size;
  }

  /** Housekeeping: tokens expired for more than a week are useless, even for reuse detection. */
  async purgeExpired(): Promise<number> {
    // UPDATE/DELETE through query() resolve to [rows, rowCount].
    const [, count] = (await this.dataSource.query(`DELETE FROM refresh_tokens WHERE expires_at < now() - interval '7 days'`)) as [unknown[], number];
    return count;
  }
}
