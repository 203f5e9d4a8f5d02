import { Injectable } from '@nestjs/common';
import { findJurisdiction, findJurisdictionsInText } from '@lm/domain';
import { Clock } from '../../../common/time/clock';
import type { LawyerProfile } from '../../lawyers';
import { LawyersService } from '../../lawyers';
import { AvailabilityRepository } from '../availability/availability.repository';
import type { TimeRange } from '../availability/slots';
import { slotWindow } from '../availability/slot-window';
import { InvalidDirectoryFilter, OfferingNotFound } from '../marketplace.errors';
import {
  slotsOf,
  type DirectoryFilters,
  type DirectoryItem,
  type DirectorySort,
  type RatingSummary,
} from '../marketplace.queries';
import type { Offering } from '../offerings/offering';
import { OfferingsRepository } from '../offerings/offerings.repository';
import { DirectoryRepository } from './directory.repository';
import { decodeDirectoryCursor, encodeDirectoryCursor } from './directory-cursor';
import { MarketplaceService } from '../marketplace.service';
import { AppConfig } from '../../../config/app-config';
import { withinHorizon } from '../booking-horizon';

export interface DirectorySearch {
  q?: string;
  practiceArea?: DirectoryFilters['practiceArea'];
  jurisdiction?: string;
  language?: string;
  currency?: string;
  maxPriceMinor?: number;
  minRating?: number;
  sort?: DirectorySort;
  page: number;
  pageSize: number;
  cursor?: string;
}

export interface DirectoryResult {
  items: DirectoryItem[];
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
}

/** Page numbers reach this many results; deeper pages are read with a cursor (an offset costs every row it skips). */
export const MAX_DIRECTORY_OFFSET = 10_000;

export interface PublicProfile {
  profile: LawyerProfile;
  offerings: Offering[];
  timeZone: string | null;
  nextAvailableAt: Date | null;
  rating: RatingSummary;
}

export interface SlotList {
  lawyerId: string;
  offeringId: string;
  durationMinutes: number;
  timeZone: string | null;
  from: Date;
  to: Date;
  slots: TimeRange[];
}

export interface FreeTimes {
  lawyerId: string;
  offeringId: string;
  durationMinutes: number;
  timeZone: string | null;
  slots: TimeRange[];
  hasMore: boolean;
  until: Date;
}

/** The public preview looks this many days ahead. */
export const FREE_TIMES_DAYS = 14;
/** A preview is reused for this long (per lawyer and offering): profile views must stay cheap. */
const FREE_TIMES_TTL_MS = 60_000;
const FREE_TIMES_CACHE_SIZE = 500;

/** What everyone sees: the directory of listed lawyers, their profiles with offerings, and free slots. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly offerings: OfferingsRepository,
    private readonly availability: AvailabilityRepository,
    private readonly lawyers: LawyersService,
    private readonly marketplace: MarketplaceService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  private readonly freeTimesCache = new Map<string, { at: number; value: FreeTimes }>();

  /**
   * A page of the directory from the `directory_listings` read model. A lawyer whose stored next
   * availability has passed (time moved on since the sweep last saw them) is shown without one
   * (null: the directory never offers a time in the past), and their recomputation is queued so
   * the listing converges; the read itself writes nothing (a public, anonymous endpoint).
   */
  async search(input: DirectorySearch): Promise<DirectoryResult> {
    const now = this.clock.now().getTime();
    const result = await this.searchOnce(input);
    const passed = result.items.filter((i) => i.nextAvailableAt !== null && i.nextAvailableAt.getTime() <= now);
    if (!passed.length) return result;
    await this.marketplace.nextAvailablePassed(passed.map((i) => i.id));
    return {
      ...result,
      items: result.items.map((i) => (i.nextAvailableAt !== null && i.nextAvailableAt.getTime() <= now ? { ...i, nextAvailableAt: null } : i)),
    };
  }

  private async searchOnce(input: DirectorySearch): Promise<DirectoryResult> {
    if (input.maxPriceMinor !== undefined && !input.currency) {
      throw new InvalidDirectoryFilter('currency: required with maxPriceMinor (prices are not converted between currencies)');
    }
    if (!input.cursor && (input.page - 1) * input.pageSize >= MAX_DIRECTORY_OFFSET) {
      throw new InvalidDirectoryFilter(
        `page: page numbers reach the first ${MAX_DIRECTORY_OFFSET} results; continue with nextCursor`,
      );
    }
    const q = input.q?.trim() || undefined;
    // Place names in the text also match the lawyers listing that jurisdiction ("immigration Spain").
    const found = q ? findJurisdictionsInText(q) : { places: [], rest: '' };
    const jurisdiction = input.jurisdiction?.trim()
      ? (findJurisdiction(input.jurisdiction) ?? input.jurisdiction.trim())
      : undefined;
    const sort = input.sort ?? (q ? 'relevance' : 'soonest');
    const page = await this.directory.search({
      ...input,
      q: found.places.length ? found.rest || undefined : q,
      places: found.places.length ? found.places : undefined,
      jurisdiction,
      sort,
      after: input.cursor ? decodeDirectoryCursor(input.cursor, sort) : undefined,
    });
    return {
      items: page.items,
      total: page.total,
      totalCapped: page.totalCapped,
      nextCursor: page.nextKey ? encodeDirectoryCursor(sort, page.nextKey) : null,
    };
  }

  /** A listed (VERIFIED, ACTIVE) lawyer with their active offerings; 404 otherwise. */
  async getProfile(lawyerId: string): Promise<PublicProfile> {
    const profile = await this.lawyers.getVisible(lawyerId);
    const [offerings, availability, rating] = await Promise.all([
      this.offerings.listActiveByLawyer(lawyerId),
      this.availability.find(lawyerId),
      this.directory.rating(lawyerId),
    ]);
    // A passed next availability is not shown; its recomputation is queued (see search).
    let nextAvailableAt = availability?.nextAvailableAt ?? null;
    if (nextAvailableAt && nextAvailableAt.getTime() <= this.clock.now().getTime()) {
      await this.marketplace.nextAvailablePassed([lawyerId]);
      nextAvailableAt = null;
    }
    return {
      profile,
      offerings,
      timeZone: availability?.timeZone ?? null,
      nextAvailableAt,
      rating,
    };
  }

  /**
   * Free slots (UTC) of an active offering of a listed lawyer in [from, to): default from now
   * for 14 days, at most 62 days. 404 when the offering is not for sale by that lawyer.
   */
  async slots(
    lawyerId: string,
    query: { offeringId: string; from?: string; to?: string },
    now = this.clock.now(),
  ): Promise<SlotList> {
    const { from, to } = slotWindow(query, now);
    const context = await this.availability.publicSlotContext(lawyerId, query.offeringId, { from, to });
    if (!context) throw new OfferingNotFound();
    return {
      lawyerId,
      offeringId: query.offeringId,
      durationMinutes: context.durationMinutes,
      timeZone: context.timeZone,
      from,
      to,
      slots: withinHorizon(slotsOf(context, { durationMinutes: context.durationMinutes, from, to, now }), this.config, now),
    };
  }

  /**
   * The next `limit` free starts of an active offering in the next FREE_TIMES_DAYS days, for the
   * public profile (read-only: booking is after payment). Computed like `slots` (same rules,
   * buffers, notice and horizon) and cached for a minute per lawyer and offering.
   */
  async freeTimes(lawyerId: string, offeringId: string, limit: number): Promise<FreeTimes> {
    const now = this.clock.now();
    const key = `${lawyerId}:${offeringId}`;
    const cached = this.freeTimesCache.get(key);
    let all: FreeTimes;
    if (cached && now.getTime() - cached.at < FREE_TIMES_TTL_MS && now.getTime() >= cached.at) {
      all = cached.value;
    } else {
      const to = new Date(now.getTime() + FREE_TIMES_DAYS * 86_400_000);
      const list = await this.slots(lawyerId, { offeringId, from: now.toISOString(), to: to.toISOString() }, now);
      all = {
        lawyerId,
        offeringId,
        durationMinutes: list.durationMinutes,
        timeZone: list.timeZone,
        slots: list.slots,
        hasMore: false,
        until: to,
      };
      if (this.freeTimesCache.size >= FREE_TIMES_CACHE_SIZE) this.freeTimesCache.clear();
      this.freeTimesCache.set(key, { at: now.getTime(), value: all });
    }
    return { ...all, slots: all.slots.slice(0, limit), hasMore: all.slots.length > limit };
  }
}
