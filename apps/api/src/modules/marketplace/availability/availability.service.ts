import { Injectable } from '@nestjs/common';
import { Clock } from '../../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { AuditService } from '../../audit';
import { LawyersService } from '../../lawyers';
import { MarketplaceService } from '../marketplace.service';
import {
  AvailabilityNotSet,
  BlackoutNotFound,
  InvalidAvailability,
  InvalidTimeRange,
  InvalidTimeZone,
  OverrideNotFound,
} from '../marketplace.errors';
import type { Availability, AvailabilityBlackout, AvailabilityOverride, AvailabilitySettings } from './availability';
import { AvailabilityRepository } from './availability.repository';
import { ianaZone, isCalendarDate, localToday, normaliseDay, normaliseWeekly, type WindowProblem } from './availability-rules';
import type { LocalWindow } from './slots';

/** Overrides can be set up to this far ahead. */
const OVERRIDE_HORIZON_DAYS = 730;
const MAX_BLACKOUT_DAYS = 366;
const DAY = 86_400_000;

export interface AvailabilityView {
  availability: Availability | null;
  overrides: AvailabilityOverride[];
  blackouts: AvailabilityBlackout[];
}

/**
 * A lawyer's own availability: weekly rules in their IANA zone, date overrides, blackouts,
 * buffers, minimum notice and daily cap. Every change is audited and locks the availability
 * row (so it never interleaves with a booking of that lawyer), and enqueues the recomputation
 * of next_available_at in the same transaction.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: AvailabilityRepository,
    private readonly audit: AuditService,
    private readonly lawyers: LawyersService,
    private readonly marketplace: MarketplaceService,
    private readonly clock: Clock,
  ) {}

  async getOwn(actor: AuthUser, now = this.clock.now()): Promise<AvailabilityView> {
    const availability = await this.repo.find(actor.id);
    if (!availability) return { availability: null, overrides: [], blackouts: [] };
    const [overrides, blackouts] = await Promise.all([
      this.repo.listOverrides(actor.id, localToday(availability.timeZone, now)),
      this.repo.listBlackouts(actor.id, now),
    ]);
    return { availability, overrides, blackouts };
  }

  async update(
    actor: AuthUser,
    input: Omit<AvailabilitySettings, 'maxSessionsPerDay'> & { maxSessionsPerDay?: number | null },
  ): Promise<AvailabilityView> {
    const timeZone = ianaZone(input.timeZone);
    if (!timeZone) throw new InvalidTimeZone();
    const { weekly, problem } = normaliseWeekly(input.weekly);
    if (problem) throw invalid(problem);
    const settings: AvailabilitySettings = {
      timeZone,
      weekly,
      bufferBeforeMinutes: input.bufferBeforeMinutes,
      bufferAfterMinutes: input.bufferAfterMinutes,
      minimumNoticeMinutes: input.minimumNoticeMinutes,
      maxSessionsPerDay: input.maxSessionsPerDay ?? null,
    };
    await this.dataSource.transaction(async (m) => {
      await this.lawyers.createForNewLawyer(m, actor.id);
      const before = await this.repo.findForUpdate(m, actor.id);
      await this.repo.upsert(m, actor.id, settings);
      // audit: availability.updated
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'availability.updated',
        subjectType: 'lawyer_availability',
        subjectId: actor.id,
        payload: {
          from: before ? settingsOf(before) : null,
          to: settings,
        },
      });
      await this.marketplace.availabilityChanged(m, actor.id);
    });
    return this.getOwn(actor);
  }

  /** Replaces the weekly rules on one local date (`windows` = [] means not available that day). */
  async setOverride(actor: AuthUser, date: string, windows: LocalWindow[]): Promise<AvailabilityView> {
    if (!isCalendarDate(date)) throw invalidDate();
    const day = normaliseDay(windows);
    if (day.problem) throw invalid(day.problem);
    await this.changing(actor, async (m, availability) => {
      const today = localToday(availability.timeZone, this.clock.now());
      const last = DateTime.fromISO(today).plus({ days: OVERRIDE_HORIZON_DAYS }).toISODate() as string;
      if (date < today || date > last) {
        throw new InvalidAvailability(
          `date: must be between today (${today} in your time zone) and ${OVERRIDE_HORIZON_DAYS} days ahead`,
        );
      }
      await this.repo.setOverride(m, actor.id, date, day.windows);
      // audit: availability.override_set
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'availability.override_set',
        subjectType: 'lawyer_availability',
        subjectId: actor.id,
        payload: { date, windows: day.windows },
      });
    });
    return this.getOwn(actor);
  }

  async removeOverride(actor: AuthUser, date: string): Promise<void> {
    if (!isCalendarDate(date)) throw invalidDate();
    await this.changing(actor, async (m) => {
      if (!(await this.repo.deleteOverride(m, actor.id, date))) throw new OverrideNotFound();
      // audit: availability.override_removed
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'availability.override_removed',
        subjectType: 'lawyer_availability',
        subjectId: actor.id,
        payload: { date },
      });
    });
  }

  async addBlackout(
    actor: AuthUser,
    input: { startAt: Date; endAt: Date; reason?: string },
    now = this.clock.now(),
  ): Promise<AvailabilityBlackout> {
    const { startAt, endAt } = input;
    if (endAt.getTime() <= startAt.getTime()) throw new InvalidTimeRange('endAt must be after startAt');
    if (endAt.getTime() - startAt.getTime() > MAX_BLACKOUT_DAYS * DAY)
      throw new InvalidTimeRange(`A blackout lasts at most ${MAX_BLACKOUT_DAYS} days`);
    if (endAt.getTime() <= now.getTime()) throw new InvalidTimeRange('The blackout has already ended');
    return this.changing(actor, async (m) => {
      const blackout = await this.repo.addBlackout(m, actor.id, { startAt, endAt, reason: input.reason?.trim() ?? '' });
      // audit: availability.blackout_added
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'availability.blackout_added',
        subjectType: 'lawyer_availability',
        subjectId: actor.id,
        payload: { blackoutId: blackout.id, startAt: startAt.toISOString(), endAt: endAt.toISOString() },
      });
      return blackout;
    });
  }

  async removeBlackout(actor: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      // Not set up = no blackouts: the same 404 as someone else's blackout.
      if (!(await this.repo.lock(m, actor.id))) throw new BlackoutNotFound();
      const removed = await this.repo.deleteBlackout(m, actor.id, id);
      if (!removed) throw new BlackoutNotFound();
      // audit: availability.blackout_removed
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'availability.blackout_removed',
        subjectType: 'lawyer_availability',
        subjectId: actor.id,
        payload: { blackoutId: id, startAt: removed.startAt.toISOString(), endAt: removed.endAt.toISOString() },
      });
      await this.repo.touch(m, actor.id);
      await this.marketplace.availabilityChanged(m, actor.id);
    });
  }

  /** Runs a change to overrides or blackouts under the availability row's lock; 409 before the weekly availability exists. */
  private changing<T>(actor: AuthUser, change: (m: EntityManager, availability: Availability) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      const availability = await this.repo.findForUpdate(m, actor.id);
      if (!availability) throw new AvailabilityNotSet();
      const result = await change(m, availability);
      await this.repo.touch(m, actor.id);
      await this.marketplace.availabilityChanged(m, actor.id);
      return result;
    });
  }
}

function settingsOf(a: Availability): AvailabilitySettings {
  return {
    timeZone: a.timeZone,
    weekly: a.weekly,
    bufferBeforeMinutes: a.bufferBeforeMinutes,
    bufferAfterMinutes: a.bufferAfterMinutes,
    minimumNoticeMinutes: a.minimumNoticeMinutes,
    maxSessionsPerDay: a.maxSessionsPerDay,
  };
}

function invalid(problem: WindowProblem): InvalidAvailability {
  return new InvalidAvailability(`${problem.field}: ${problem.message}`);
}

function invalidDate(): InvalidAvailability {
  return new InvalidAvailability('date: must be a calendar date YYYY-MM-DD');
}
