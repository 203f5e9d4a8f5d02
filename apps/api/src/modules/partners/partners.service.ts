import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Role } from '@lm/domain';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { PartnersRepository, type ReferralRow } from './partners.repository';
import { generateReferralCode, normalizeReferralCode } from './referral-code';

const CODE_ATTEMPTS = 5;

/**
 * Partner referral codes and first-touch attribution. A referral is written once, in the
 * referred user's sign-up transaction, and never changes (no update path here; the table's
 * trigger refuses UPDATE, DELETE and TRUNCATE).
 */
@Injectable()
export class PartnersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PartnersRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Gives a new PARTNER account its code (called by the identity module in the sign-up transaction). */
  async createCodeForNewPartner(manager: EntityManager, partnerId: string): Promise<void> {
    await this.ensureCode(manager, partnerId);
  }

  /**
   * Attributes a new account to the partner whose code it signed up with, in the sign-up
   * transaction, and audits it. A code that matches no active partner records nothing and
   * does not block the sign-up (a typo in a link should not cost the user their account).
   */
  async attributeSignUp(manager: EntityManager, rawCode: string | undefined, user: { id: string; role: Role }): Promise<void> {
    if (!rawCode || user.role === 'ADMIN') return;
    const code = normalizeReferralCode(rawCode);
    if (!code) return;
    const partnerId = await this.repo.findActivePartnerByCode(manager, code);
    if (!partnerId || partnerId === user.id) return; // no self-referral (also a CHECK)
    const referralId = await this.repo.insertReferral(manager, {
      partnerId,
      referredUserId: user.id,
      role: user.role,
      code,
      createdAt: this.clock.now(),
    });
    if (!referralId) return;
    // audit: referral.attributed
    await this.audit.record(manager, {
      actorId: user.id,
      actorRole: user.role,
      action: 'referral.attributed',
      subjectType: 'referral',
      subjectId: referralId,
      payload: { partnerId, referredUserId: user.id, role: user.role, code },
    });
  }

  /**
   * The partner who referred `userId` (first-touch attribution, immutable), or null. Used by the
   * ledger to accrue commissions on payments of referred clients and lawyers.
   */
  referrerOf(manager: EntityManager, userId: string): Promise<string | null> {
    return this.repo.findReferrer(manager, userId);
  }

  /**
   * Records the conversion of the referral of `userId` (if any) at its first paid session, in
   * the ledger's payment-posting transaction. Only the first payment counts (ON CONFLICT DO
   * NOTHING); returns whether this call recorded it.
   */
  recordConversion(manager: EntityManager, c: { userId: string; paymentId: string; at: Date }): Promise<boolean> {
    return this.repo.insertConversion(manager, c);
  }

  async getReferralLink(actor: AuthUser): Promise<{ code: string; url: string }> {
    const code = await this.dataSource.transaction((m) => this.ensureCode(m, actor.id));
    return { code, url: `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/sign-up?ref=${encodeURIComponent(code)}` };
  }

  listReferrals(actor: AuthUser, page: { page: number; pageSize: number }): Promise<{ items: ReferralRow[]; total: number }> {
    return this.repo.listReferrals(actor.id, page);
  }

  private async ensureCode(manager: EntityManager, partnerId: string): Promise<string> {
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const existing = await this.repo.findCode(partnerId, manager);
      if (existing) return existing;
      await this.repo.insertCode(manager, partnerId, generateReferralCode());
    }
    const code = await this.repo.findCode(partnerId, manager);
    if (!code) throw new Error('PartnersService: could not allocate a referral code');
    return code;
  }
}
