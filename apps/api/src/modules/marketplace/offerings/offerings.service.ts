import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { AuditService } from '../../audit';
import { LawyersService } from '../../lawyers';
import { MarketplaceService } from '../marketplace.service';
import { OfferingLimitReached, OfferingNotFound } from '../marketplace.errors';
import type { Offering, OfferingFields } from './offering';
import { OfferingsRepository } from './offerings.repository';

/** Deactivated offerings count too: they are kept because sessions reference them. */
export const MAX_OFFERINGS_PER_LAWYER = 20;

const FIELDS = ['title', 'description', 'durationMinutes', 'priceMinor', 'currency', 'active'] as const;

/**
 * A lawyer's own offerings. There is no delete: sessions reference offerings, so an offering
 * is deactivated instead. Sessions froze the title, duration, price and currency they were
 * sold with, so editing an offering never changes them.
 */
@Injectable()
export class OfferingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: OfferingsRepository,
    private readonly audit: AuditService,
    private readonly lawyers: LawyersService,
    private readonly marketplace: MarketplaceService,
  ) {}

  listOwn(actor: AuthUser): Promise<Offering[]> {
    return this.repo.listByLawyer(actor.id);
  }

  async create(
    actor: AuthUser,
    input: Omit<OfferingFields, 'description' | 'active'> & Partial<Pick<OfferingFields, 'description' | 'active'>>,
  ): Promise<Offering> {
    return this.dataSource.transaction(async (m) => {
      await this.lawyers.createForNewLawyer(m, actor.id);
      // Serialises creations of one lawyer so the limit holds.
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7246))', [actor.id]);
      if ((await this.repo.count(m, actor.id)) >= MAX_OFFERINGS_PER_LAWYER)
        throw new OfferingLimitReached(undefined, { max: MAX_OFFERINGS_PER_LAWYER });
      const offering = await this.repo.insert(m, actor.id, {
        title: input.title,
        description: input.description ?? '',
        durationMinutes: input.durationMinutes,
        priceMinor: input.priceMinor,
        currency: input.currency,
        active: input.active ?? true,
      });
      // audit: offering.created
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'offering.created',
        subjectType: 'offering',
        subjectId: offering.id,
        payload: {
          title: offering.title,
          durationMinutes: offering.durationMinutes,
          priceMinor: offering.priceMinor,
          currency: offering.currency,
          active: offering.active,
        },
      });
      await this.marketplace.availabilityChanged(m, actor.id);
      return offering;
    });
  }

  async update(actor: AuthUser, id: string, changes: Partial<OfferingFields>): Promise<Offering> {
    return this.dataSource.transaction(async (m) => {
      const current = await this.repo.findOwnForUpdate(m, actor.id, id);
      if (!current) throw new OfferingNotFound();
      const next: OfferingFields = {
        title: changes.title ?? current.title,
        description: changes.description ?? current.description,
        durationMinutes: changes.durationMinutes ?? current.durationMinutes,
        priceMinor: changes.priceMinor ?? current.priceMinor,
        currency: changes.currency ?? current.currency,
        active: changes.active ?? current.active,
      };
      const changed = FIELDS.filter((f) => next[f] !== current[f]);
      if (changed.length === 0) return current;
      const updated = await this.repo.update(m, id, next);
      // audit: offering.updated
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'offering.updated',
        subjectType: 'offering',
        subjectId: id,
        payload: { changes: Object.fromEntries(changed.map((f) => [f, { from: current[f], to: next[f] }])) },
      });
      if (changed.includes('active') || changed.includes('durationMinutes'))
        await this.marketplace.availabilityChanged(m, actor.id);
      return updated;
    });
  }
}
