import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LOCK_AVAILABILITY_SQL, PUBLIC_SLOTS_SQL, SLOT_CONTEXT_SQL, type SlotContextRow } from '../marketplace.queries';
import type { Availability, AvailabilityBlackout, AvailabilityOverride, AvailabilitySettings } from './availability';
import type { LocalWindow } from './slots';

const SELECT_AVAILABILITY = `
  SELECT lawyer_id AS "lawyerId", time_zone AS "timeZone", weekly,
         buffer_before_minutes AS "bufferBeforeMinutes", buffer_after_minutes AS "bufferAfterMinutes",
         minimum_notice_minutes AS "minimumNoticeMinutes", max_sessions_per_day AS "maxSessionsPerDay",
         next_available_at AS "nextAvailableAt", updated_at AS "updatedAt"
    FROM lawyer_availability`;

/**
 * The only place that queries `lawyer_availability`, `availability_overrides` and
 * `availability_blackouts`; the slot inputs also read `legal_sessions` (read-only, see
 * marketplace.queries.ts).
 */
@Injectable()
export class AvailabilityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Locks the lawyer's availability row (serialising their bookings); false when they have none. */
  async lock(manager: EntityManager, lawyerId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(LOCK_AVAILABILITY_SQL, [lawyerId]);
    return rows.length > 0;
  }

  async slotContext(
    manager: EntityManager,
    lawyerId: string,
    range: { from: Date; to: Date },
    excludeSessionId: string | null = null,
  ): Promise<SlotContextRow | null> {
    const rows: SlotContextRow[] = await manager.query(SLOT_CONTEXT_SQL, [
      lawyerId,
      range.from.toISOString(),
      range.to.toISOString(),
      excludeSessionId,
    ]);
    return rows[0] ?? null;
  }

  /** Slot inputs of an active offering of a listed lawyer; null when it is not for sale. */
  async publicSlotContext(
    lawyerId: string,
    offeringId: string,
    range: { from: Date; to: Date },
  ): Promise<(SlotContextRow & { durationMinutes: number }) | null> {
    const rows: (SlotContextRow & { durationMinutes: number })[] = await this.dataSource.query(PUBLIC_SLOTS_SQL, [
      lawyerId,
      offeringId,
      range.from.toISOString(),
      range.to.toISOString(),
    ]);
    return rows[0] ?? null;
  }

  /** The lawyer's availability row, locked FOR UPDATE until the caller's transaction ends; null when there is none. */
  async findForUpdate(manager: EntityManager, lawyerId: string): Promise<Availability | null> {
    const rows: Availability[] = await manager.query(`${SELECT_AVAILABILITY} WHERE lawyer_id = $1 FOR UPDATE`, [lawyerId]);
    return rows[0] ?? null;
  }

  async find(lawyerId: string): Promise<Availability | null> {
    const rows: Availability[] = await this.dataSource.query(`${SELECT_AVAILABILITY} WHERE lawyer_id = $1`, [lawyerId]);
    return rows[0] ?? null;
  }

  /** Inserts or replaces the settings (keeps next_available_at until the job recomputes it). */
  async upsert(manager: EntityManager, lawyerId: string, s: AvailabilitySettings): Promise<void> {
    await manager.query(
      `INSERT INTO lawyer_availability (lawyer_id, time_zone, weekly, buffer_before_minutes, buffer_after_minutes, minimum_notice_minutes, max_sessions_per_day)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (lawyer_id) DO UPDATE SET
         time_zone = EXCLUDED.time_zone, weekly = EXCLUDED.weekly,
         buffer_before_minutes = EXCLUDED.buffer_before_minutes, buffer_after_minutes = EXCLUDED.buffer_after_minutes,
         minimum_notice_minutes = EXCLUDED.minimum_notice_minutes, max_sessions_per_day = EXCLUDED.max_sessions_per_day,
         updated_at = now()`,
      [
        lawyerId,
        s.timeZone,
        JSON.stringify(s.weekly),
        s.bufferBeforeMinutes,
        s.bufferAfterMinutes,
        s.minimumNoticeMinutes,
        s.maxSessionsPerDay,
      ],
    );
  }

  async touch(manager: EntityManager, lawyerId: string): Promise<void> {
    await manager.query('UPDATE lawyer_availability SET updated_at = now() WHERE lawyer_id = $1', [lawyerId]);
  }

  /** Overrides on or after `fromDate` ('YYYY-MM-DD'), by date. */
  async listOverrides(
    lawyerId: string,
    fromDate: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AvailabilityOverride[]> {
    return manager.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, windows FROM availability_overrides WHERE lawyer_id = $1 AND date >= $2::date ORDER BY date`,
      [lawyerId, fromDate],
    );
  }

  async setOverride(manager: EntityManager, lawyerId: string, date: string, windows: LocalWindow[]): Promise<void> {
    await manager.query(
      `INSERT INTO availability_overrides (lawyer_id, date, windows) VALUES ($1, $2::date, $3)
       ON CONFLICT (lawyer_id, date) DO UPDATE SET windows = EXCLUDED.windows`,
      [lawyerId, date, JSON.stringify(windows)],
    );
  }

  /** Deletes one override; false when there was none. */
  async deleteOverride(manager: EntityManager, lawyerId: string, date: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await manager.query(
      'DELETE FROM availability_overrides WHERE lawyer_id = $1 AND date = $2::date',
      [lawyerId, date],
    );
    return affected > 0;
  }

  /** Blackouts that have not ended by `after`, by start. */
  async listBlackouts(
    lawyerId: string,
    after: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AvailabilityBlackout[]> {
    return manager.query(
      `SELECT id, start_at AS "startAt", end_at AS "endAt", reason FROM availability_blackouts
        WHERE lawyer_id = $1 AND end_at > $2 ORDER BY start_at, id`,
      [lawyerId, after],
    );
  }

  async addBlackout(
    manager: EntityManager,
    lawyerId: string,
    b: { startAt: Date; endAt: Date; reason: string },
  ): Promise<AvailabilityBlackout> {
    const rows: AvailabilityBlackout[] = await manager.query(
      `INSERT INTO availability_blackouts (lawyer_id, start_at, end_at, reason) VALUES ($1, $2, $3, $4)
       RETURNING id, start_at AS "startAt", end_at AS "endAt", reason`,
      [lawyerId, b.startAt, b.endAt, b.reason],
    );
    return rows[0]!;
  }

  /** Deletes the lawyer's blackout; null when it is not theirs or does not exist. */
  async deleteBlackout(manager: EntityManager, lawyerId: string, id: string): Promise<AvailabilityBlackout | null> {
    const [rows]: [AvailabilityBlackout[], number] = await manager.query(
      `DELETE FROM availability_blackouts WHERE id = $1 AND lawyer_id = $2 RETURNING id, start_at AS "startAt", end_at AS "endAt", reason`,
      [id, lawyerId],
    );
    return rows[0] ?? null;
  }

  async setNextAvailable(manager: EntityManager, lawyerId: string, at: Date | null): Promise<void> {
    await manager.query('UPDATE lawyer_availability SET next_available_at = $2 WHERE lawyer_id = $1', [lawyerId, at]);
  }

  /**
   * Lawyers whose next_available_at may be stale just because time passed: none known (the
   * 60-day horizon moves), or it is now inside the minimum notice. A change of rules, offerings
   * or sessions recomputes it through its own job.
   */
  async dueForRecompute(now: Date, limit: number): Promise<string[]> {
    const rows: { lawyerId: string }[] = await this.dataSource.query(
      `SELECT lawyer_id AS "lawyerId" FROM lawyer_availability
        WHERE next_available_at IS NULL OR next_available_at < $2::timestamptz + make_interval(mins => minimum_notice_minutes)
        ORDER BY next_available_at ASC NULLS LAST, lawyer_id LIMIT $1`,
      [limit, now],
    );
    return rows.map((r) => r.lawyerId);
  }
}
