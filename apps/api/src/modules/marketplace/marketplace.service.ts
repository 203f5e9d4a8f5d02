import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JobsService } from '../jobs';
import { AvailabilityRepository } from './availability/availability.repository';
import { slotWindow } from './availability/slot-window';
import type { TimeRange } from './availability/slots';
import { slotsOf } from './marketplace.queries';
import { BookingBeyondHorizon, OfferingNotFound, SlotNotAvailable } from './marketplace.errors';
import { bookingHorizonEnd, withinHorizon } from './booking-horizon';
import { AppConfig } from '../../config/app-config';
import type { OfferingForSale } from './offerings/offering';
import { OfferingsRepository } from './offerings/offerings.repository';

/** Recomputes one lawyer's next_available_at (after any change to their rules, offerings or sessions). */
export const NEXT_AVAILABLE_QUEUE = 'marketplace.next-available';
/** Every 15 minutes: recomputes the lawyers whose value time has made stale. */
export const NEXT_AVAILABLE_SWEEP_QUEUE = 'marketplace.next-available-sweep';
/** How far ahead the directory's "next available" looks. */
export const NEXT_AVAILABLE_HORIZON_DAYS = 60;
const SWEEP_BATCH = 5000;
/** nextAvailablePassed asks again for the same lawyer after this long (its job may have been lost or failed). */
const PASSED_REQUEUE_MS = 60_000;
const PASSED_MEMORY = 10_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * What other modules need of the marketplace: an offering for sale (checkout), the free slots
 * and the availability check of a booking (scheduling, rescheduling), and the signal that a lawyer's
 * availability changed (sessions booked, moved or cancelled) so the directory's
 * `next_available_at` follows.
 */
@Injectable()
export class MarketplaceService implements OnModuleInit {
  private readonly logger = new Logger(MarketplaceService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly availability: AvailabilityRepository,
    private readonly offerings: OfferingsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // 'short': at most one queued recomputation per lawyer; a change during a running one queues the next.
    this.jobs.register<{ lawyerId: string }>(
      { name: NEXT_AVAILABLE_QUEUE, policy: 'short', retryLimit: 3, retryDelay: 5, retryBackoff: true },
      async (jobs) => {
        for (const job of jobs) await this.recomputeNextAvailable(job.data.lawyerId);
      },
      { work: { pollingIntervalSeconds: 1, batchSize: 10 } },
    );
    this.jobs.register(
      { name: NEXT_AVAILABLE_SWEEP_QUEUE },
      async () => {
        await this.sweep();
      },
      { cron: { expression: '*/15 * * * *' } },
    );
  }

  /** Active offering of a VERIFIED lawyer whose account is ACTIVE; else OfferingNotFound (404). */
  async getOfferingForSale(manager: EntityManager, offeringId: string): Promise<OfferingForSale> {
    const offering = await this.offerings.findForSale(manager, offeringId);
    if (!offering) throw new OfferingNotFound();
    return offering;
  }

  /**
   * Free slots (UTC) of `durationMinutes` with the lawyer in the requested window (default: now
   * + 14 days, at most 62; 400 INVALID_TIME_RANGE), by the same rules `assertBookable` applies,
   * leaving `excludeSessionId` out of the held times: the session being scheduled or moved, whose
   * duration was frozen at sale and whose offering may have changed or been withdrawn since.
   * No slots (and a null zone) when the lawyer has no availability.
   */
  async freeSlots(
    input: { lawyerId: string; durationMinutes: number; excludeSessionId: string; from?: string; to?: string; minimumNoticeMinutes?: number },
    now = this.clock.now(),
  ): Promise<{ timeZone: string | null; from: Date; to: Date; slots: TimeRange[] }> {
    const { from, to } = slotWindow(input, now);
    const found = await this.availability.slotContext(this.dataSource.manager, input.lawyerId, { from, to }, input.excludeSessionId);
    if (!found) return { timeZone: null, from, to, slots: [] };
    const context = withNoticeFloor(found, input.minimumNoticeMinutes);
    return { timeZone: context.timeZone, from, to, slots: withinHorizon(slotsOf(context, { durationMinutes: input.durationMinutes, from, to, now }), this.config, now) };
  }

  /**
   * Locks the lawyer's lawyer_availability row FOR UPDATE (serialising bookings of one lawyer),
   * then checks that [startAt, startAt + durationMinutes) is a free slot per computeSlots: weekly
   * rules, overrides, blackouts, buffers, minimum notice, daily cap, and the lawyer's held
   * sessions except `excludeSessionId`. Throws SlotNotAvailable (409) otherwise, also for a
   * lawyer without availability. `minimumNoticeMinutes` raises the lawyer's own minimum notice
   * (the platform's notice for a first booking after payment); it never lowers it.
   */
  async assertBookable(
    manager: EntityManager,
    input: { lawyerId: string; durationMinutes: number; startAt: Date; excludeSessionId?: string; now?: Date; minimumNoticeMinutes?: number },
  ): Promise<void> {
    const start = input.startAt.getTime();
    if (start > bookingHorizonEnd(this.config, input.now ?? this.clock.now()).getTime()) throw new BookingBeyondHorizon();
    if (!(await this.availability.lock(manager, input.lawyerId))) throw new SlotNotAvailable();
    if (!Number.isFinite(start)) throw new SlotNotAvailable();
    // A fresh statement after the lock: it sees every booking committed while we waited.
    const found = await this.availability.slotContext(
      manager,
      input.lawyerId,
      { from: input.startAt, to: new Date(start + input.durationMinutes * MINUTE) },
      input.excludeSessionId ?? null,
    );
    if (!found) throw new SlotNotAvailable();
    const context = withNoticeFloor(found, input.minimumNoticeMinutes);
    const slots = slotsOf(context, {
      durationMinutes: input.durationMinutes,
      from: input.startAt,
      to: new Date(start + 1),
      now: input.now ?? this.clock.now(),
    });
    if (!slots.some((s) => s.start.getTime() === start)) throw new SlotNotAvailable();
  }

  /** Enqueues (in the caller's transaction) a recomputation of the lawyer's next_available_at. */
  async availabilityChanged(manager: EntityManager, lawyerId: string): Promise<void> {
    await this.jobs.send(NEXT_AVAILABLE_QUEUE, { lawyerId }, { manager, singletonKey: lawyerId });
  }

  private readonly passedQueuedAt = new Map<string, number>();

  /**
   * Queues a recomputation of these lawyers' next_available_at, which time has passed (the
   * directory found them on a page before the sweep did). Not in a caller's transaction: the
   * directory is a public read and does not write inline. At most one queued job per lawyer
   * (singleton), and this process asks again for a lawyer at most once a minute, so repeated
   * page views add no writes. Best effort: a failure is logged, the sweep converges anyway.
   */
  async nextAvailablePassed(lawyerIds: string[]): Promise<void> {
    const now = this.clock.now().getTime();
    for (const lawyerId of lawyerIds) {
      const at = this.passedQueuedAt.get(lawyerId);
      if (at !== undefined && now - at < PASSED_REQUEUE_MS && now >= at) continue;
      if (this.passedQueuedAt.size >= PASSED_MEMORY) this.passedQueuedAt.clear();
      this.passedQueuedAt.set(lawyerId, now);
      try {
        await this.jobs.send(NEXT_AVAILABLE_QUEUE, { lawyerId }, { singletonKey: lawyerId });
      } catch (err) {
        this.passedQueuedAt.delete(lawyerId);
        this.logger.warn({ err, lawyerId }, 'Could not queue a recomputation of next_available_at');
      }
    }
  }

  /**
   * Sets next_available_at to the earliest free slot of any active offering within the
   * horizon, or null. Only the shortest active offering is computed: wherever a longer session
   * fits, a shorter one fits at the same start. The row lock orders it with bookings and other recomputations, and
   * the reads after it see the latest committed state.
   */
  async recomputeNextAvailable(lawyerId: string, now = this.clock.now()): Promise<Date | null> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.availability.lock(m, lawyerId))) return null;
      const duration = await this.offerings.shortestActiveDuration(m, lawyerId);
      let next: Date | null = null;
      if (duration !== null) {
        // The first week usually has a slot: look there before loading the whole horizon.
        for (const [fromDay, toDay] of [
          [0, 7],
          [7, NEXT_AVAILABLE_HORIZON_DAYS],
        ] as const) {
          const range = { from: new Date(now.getTime() + fromDay * DAY), to: new Date(now.getTime() + toDay * DAY) };
          const context = await this.availability.slotContext(m, lawyerId, range);
          const first = context ? slotsOf(context, { durationMinutes: duration, ...range, now })[0] : undefined;
          if (first) {
            next = first.start;
            break;
          }
        }
      }
      await this.availability.setNextAvailable(m, lawyerId, next);
      return next;
    });
  }

  /** The cron sweep: time passing makes a next_available_at stale (see AvailabilityRepository.dueForRecompute). */
  async sweep(): Promise<number> {
    const due = await this.availability.dueForRecompute(this.clock.now(), SWEEP_BATCH);
    for (const lawyerId of due) {
      try {
        await this.recomputeNextAvailable(lawyerId);
      } catch (err) {
        this.logger.error({ err, lawyerId }, 'Could not recompute next_available_at');
      }
    }
    return due.length;
  }
}

/** The slot inputs with the lawyer's minimum notice raised to at least `floorMinutes`. */
function withNoticeFloor<T extends { minimumNoticeMinutes: number | null }>(context: T, floorMinutes: number | undefined): T {
  if (!floorMinutes) return context;
  return { ...context, minimumNoticeMinutes: Math.max(context.minimumNoticeMinutes ?? 0, floorMinutes) };
}
