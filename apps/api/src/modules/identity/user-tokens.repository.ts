import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { UserTokenPurpose } from './user-token.entity';

/** Emailed one-time tokens. Every lookup is by digest and purpose, and only finds live tokens. */
@Injectable()
export class UserTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Retires the user's outstanding tokens of this purpose (a newer one replaces them). */
  async revokeOutstanding(manager: EntityManager, userId: string, purpose: UserTokenPurpose): Promise<number> {
    const [, count] = (await manager.query(
      `UPDATE user_tokens SET revoked_at = now()
        WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND revoked_at IS NULL`,
      [userId, purpose],
    )) as [unknown[], number];
    return count;
  }

  async insert(manager: EntityManager, token: { userId: string; purpose: UserTokenPurpose; tokenHash: Buffer; expiresAt: Date }): Promise<void> {
    await manager.query(`INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [
      token.userId,
      token.purpose,
      token.tokenHash,
      token.expiresAt,
    ]);
  }

  /** Tokens of this purpose issued to the user since `since` (the per-account email limit). */
  async countIssuedSince(manager: EntityManager, userId: string, purpose: UserTokenPurpose, since: Date): Promise<number> {
    const rows = (await manager.query(`SELECT count(*)::int AS n FROM user_tokens WHERE user_id = $1 AND purpose = $2 AND created_at > $3`, [
      userId,
      purpose,
      since,
    ])) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** The owner of a token live at `now` (unused, unrevoked, unexpired), without spending it. */
  async findLiveUserId(tokenHash: Buffer, purpose: UserTokenPurpose, now: Date): Promise<string | null> {
    const rows = (await this.dataSource.query(
      `SELECT user_id FROM user_tokens
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3`,
      [tokenHash, purpose, now],
    )) as { user_id: string }[];
    return rows[0]?.user_id ?? null;
  }

  /**
   * Spends a live token, atomically: of two concurrent uses exactly one gets the user id back
   * (the UPDATE takes the row lock and re-checks `used_at`). Null when the token is not live at `now`.
   */
  async consume(manager: EntityManager, tokenHash: Buffer, purpose: UserTokenPurpose, now: Date): Promise<string | null> {
    const [rows] = (await manager.query(
      `UPDATE user_tokens SET used_at = $3
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3
        RETURNING user_id`,
      [tokenHash, purpose, now],
    )) as [{ user_id: string }[], number];
    return rows[0]?.user_id ?? null;
  }

  /** Housekeeping: tokens expired for more than a week are only noise. */
  async purgeExpired(): Promise<number> {
    const [, count] = (await this.dataSource.query(`DELETE FROM user_tokens WHERE expires_at < now() - interval '7 days'`)) as [unknown[], number];
    return count;
  }
}
