import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Role } from '@lm/domain';
import { DataSource, EntityManager } from 'typeorm';

export interface ReferralRow {
  id: string;
  /** The referred account's email (callers mask it before it leaves the module). */
  email: string;
  role: Exclude<Role, 'ADMIN'>;
  createdAt: Date;
}

/** The only place that queries `partner_referral_codes`, `referrals` and `referral_conversions` (both append-only). */
@Injectable()
export class PartnersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findCode(partnerId: string, manager: EntityManager = this.dataSource.manager): Promise<string | null> {
    const rows: { code: string }[] = await manager.query('SELECT code FROM partner_referral_codes WHERE partner_id = $1', [
      partnerId,
    ]);
    return rows[0]?.code ?? null;
  }

  /**
   * Gives a PARTNER account `code` unless it already has one or the code is taken. Returns
   * whether a row was inserted (the caller retries with another code when it was not).
   */
  async insertCode(manager: EntityManager, partnerId: string, code: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO partner_referral_codes (partner_id, code)
       SELECT id, $2 FROM user_directory WHERE id = $1 AND role = 'PARTNER'
       ON CONFLICT DO NOTHING
       RETURNING partner_id`,
      [partnerId, code],
    );
    return rows.length > 0;
  }

  /** The ACTIVE partner owning `code`, if any. */
  async findActivePartnerByCode(manager: EntityManager, code: string): Promise<string | null> {
    const rows: { partnerId: string }[] = await manager.query(
      `SELECT c.partner_id AS "partnerId"
         FROM partner_referral_codes c JOIN user_directory u ON u.id = c.partner_id
        WHERE c.code = $1 AND u.role = 'PARTNER' AND u.status = 'ACTIVE'`,
      [code],
    );
    return rows[0]?.partnerId ?? null;
  }

  /** First touch wins: returns the new referral's id, or null when the user is already attributed. */
  async insertReferral(
    manager: EntityManager,
    r: { partnerId: string; referredUserId: string; role: Role; code: string; createdAt: Date },
  ): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO referrals (partner_id, referred_user_id, role, code, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (referred_user_id) DO NOTHING
       RETURNING id`,
      [r.partnerId, r.referredUserId, r.role, r.code, r.createdAt],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * The referral of `userId` converts (first paid session); false when there is none or it
   * already converted. The referral's partner, role and sign-up time are copied onto the
   * conversion (referrals never change), so reports find conversions by either time in one index.
   */
  async insertConversion(manager: EntityManager, c: { userId: string; paymentId: string; at: Date }): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO referral_conversions (referral_id, partner_id, referred_user_id, role, payment_id, converted_at, signed_up_at)
       SELECT id, partner_id, referred_user_id, role, $2, $3, created_at FROM referrals WHERE referred_user_id = $1
       ON CONFLICT (referral_id) DO NOTHING
       RETURNING referral_id`,
      [c.userId, c.paymentId, c.at],
    );
    return rows.length > 0;
  }

  /** The partner who referred `userId` (first touch), if any. */
  async findReferrer(manager: EntityManager, userId: string): Promise<string | null> {
    const rows: { partnerId: string }[] = await manager.query(
      'SELECT partner_id AS "partnerId" FROM referrals WHERE referred_user_id = $1',
      [userId],
    );
    return rows[0]?.partnerId ?? null;
  }

  /** The partner's own referrals, newest first. */
  async listReferrals(
    partnerId: string,
    page: { page: number; pageSize: number },
  ): Promise<{ items: ReferralRow[]; total: number }> {
    const [items, counts] = await Promise.all([
      this.dataSource.query(
        `SELECT r.id, u.email::text AS email, r.role, r.created_at AS "createdAt"
           FROM referrals r JOIN user_directory u ON u.id = r.referred_user_id
          WHERE r.partner_id = $1
          ORDER BY r.created_at DESC, r.id DESC
          LIMIT $2 OFFSET $3`,
        [partnerId, page.pageSize, (page.page - 1) * page.pageSize],
      ) as Promise<ReferralRow[]>,
      this.dataSource.query('SELECT count(*)::int AS total FROM referrals WHERE partner_id = $1', [partnerId]) as Promise<
        { total: number }[]
      >,
    ]);
    return { items, total: counts[0]?.total ?? 0 };
  }
}
