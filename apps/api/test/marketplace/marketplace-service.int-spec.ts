import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { MarketplaceService } from '../../src/modules/marketplace/marketplace.service';
import { DateTime } from 'luxon';
import {
  createMarketLawyer,
  EVERY_DAY,
  getSlots,
  insertHeldSession,
  localDate,
  slotStarts,
  utcAt,
} from '../factories/marketplace';
import { bearer, createUser } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

const MINUTE = 60_000;

/**
 * The contract other modules code against: getOfferingForSale (checkout), assertBookable
 * (scheduling) and availabilityChanged → next_available_at.
 */
describe('MarketplaceService', () => {
  let t: TestApp;
  let sql: DataSource;
  let marketplace: MarketplaceService;

  beforeAll(async () => {
    t = await createTestApp();
    sql = t.app.get(DataSource);
    marketplace = t.app.get(MarketplaceService);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Runs assertBookable in its own transaction; resolves to 'ok' or the error code. */
  const check = (input: Parameters<MarketplaceService['assertBookable']>[1]) =>
    sql
      .transaction((m) => marketplace.assertBookable(m, input))
      .then(
        () => 'ok',
        (err: { code?: string }) => err.code ?? String(err),
      );

  describe('getOfferingForSale', () => {
    it('returns the terms of an active offering of a verified, active lawyer', async () => {
      const lawyer = await createMarketLawyer(t, {
        offerings: [{ title: 'Contract review', durationMinutes: 45, priceMinor: 12_500, currency: 'USD' }],
      });
      const offering = await marketplace.getOfferingForSale(sql.manager, lawyer.offerings[0]!.id);
      expect(offering).toEqual({
        id: lawyer.offerings[0]!.id,
        lawyerId: lawyer.id,
        title: 'Contract review',
        durationMinutes: 45,
        priceMinor: 12_500,
        currency: 'USD',
      });
    });

    it('refuses an inactive offering, and offerings of pending, rejected or suspended lawyers (404 OFFERING_NOT_FOUND)', async () => {
      const inactive = await createMarketLawyer(t, { offerings: [{ active: false }] });
      const pending = await createMarketLawyer(t, { status: 'PENDING_VERIFICATION', offerings: [{}] });
      const rejected = await createMarketLawyer(t, { status: 'REJECTED', offerings: [{}] });
      const suspended = await createMarketLawyer(t, { accountStatus: 'SUSPENDED', offerings: [{}] });
      for (const id of [inactive, pending, rejected, suspended]
        .map((l) => l.offerings[0]!.id)
        .concat('00000000-0000-4000-8000-000000000000')) {
        await expect(marketplace.getOfferingForSale(sql.manager, id)).rejects.toMatchObject({
          code: 'OFFERING_NOT_FOUND',
          status: 404,
        });
      }
    });
  });

  describe('assertBookable', () => {
    it('accepts a free slot and refuses taken, buffered, off-grid, out-of-hours and too-soon starts', async () => {
      const lawyer = await createMarketLawyer(t, {
        availability: {
          timeZone: 'UTC',
          weekly: EVERY_DAY('09:00', '17:00'),
          bufferBeforeMinutes: 15,
          bufferAfterMinutes: 30,
          minimumNoticeMinutes: 120,
        },
        offerings: [{ durationMinutes: 60 }],
      });
      const offering = lawyer.offerings[0]!;
      const held = await insertHeldSession(t, { lawyerId: lawyer.id, offering, startAt: utcAt(3, '12:00') });
      const at = (hhmm: string, days = 3) => ({ lawyerId: lawyer.id, durationMinutes: 60, startAt: utcAt(days, hhmm) });

      expect(await check(at('09:00'))).toBe('ok');
      expect(await check(at('10:30'))).toBe('ok'); // ends 11:30, + 30 min after-buffer = 12:00
      expect(await check(at('13:30'))).toBe('ok'); // the held session ends 13:00, + 30 min
      expect(await check(at('12:00'))).toBe('SLOT_NOT_AVAILABLE'); // taken
      expect(await check(at('12:30'))).toBe('SLOT_NOT_AVAILABLE'); // overlaps
      expect(await check(at('10:45'))).toBe('SLOT_NOT_AVAILABLE'); // inside the buffer before the held session
      expect(await check(at('13:15'))).toBe('SLOT_NOT_AVAILABLE'); // inside the buffer after it
      expect(await check(at('09:07'))).toBe('SLOT_NOT_AVAILABLE'); // not on the 15-minute grid
      expect(await check(at('16:30'))).toBe('SLOT_NOT_AVAILABLE'); // would end after 17:00
      expect(await check(at('07:00'))).toBe('SLOT_NOT_AVAILABLE'); // before hours
      expect(await check({ ...at('16:00'), durationMinutes: 90 })).toBe('SLOT_NOT_AVAILABLE'); // a longer session does not fit
      // Minimum notice, measured from `now`.
      const now = utcAt(3, '08:00');
      expect(await check({ ...at('09:00'), now })).toBe('SLOT_NOT_AVAILABLE');
      expect(await check({ ...at('10:00'), now })).toBe('ok');
      // Rescheduling the held session: its own time does not count as busy.
      expect(await check({ ...at('12:30'), excludeSessionId: held })).toBe('ok');
    });

    it('refuses a day at its cap, a blackout and a lawyer without availability', async () => {
      const capped = await createMarketLawyer(t, {
        availability: { timeZone: 'UTC', weekly: EVERY_DAY('09:00', '17:00'), maxSessionsPerDay: 1 },
        offerings: [{}],
      });
      await insertHeldSession(t, { lawyerId: capped.id, offering: capped.offerings[0]!, startAt: utcAt(3, '09:00') });
      expect(await check({ lawyerId: capped.id, durationMinutes: 60, startAt: utcAt(3, '15:00') })).toBe('SLOT_NOT_AVAILABLE');
      expect(await check({ lawyerId: capped.id, durationMinutes: 60, startAt: utcAt(4, '15:00') })).toBe('ok');

      const blacked = await createMarketLawyer(t, { availability: { timeZone: 'UTC', weekly: EVERY_DAY() }, offerings: [{}] });
      await request(t.server)
        .post('/api/lawyer/availability/blackouts')
        .set(bearer(blacked.accessToken))
        .send({ startAt: utcAt(3, '00:00').toISOString(), endAt: utcAt(4, '00:00').toISOString() })
        .expect(201);
      expect(await check({ lawyerId: blacked.id, durationMinutes: 60, startAt: utcAt(3, '10:00') })).toBe('SLOT_NOT_AVAILABLE');
      expect(await check({ lawyerId: blacked.id, durationMinutes: 60, startAt: utcAt(4, '00:00') })).toBe('ok');

      const unset = await createMarketLawyer(t, { offerings: [{}] });
      expect(await check({ lawyerId: unset.id, durationMinutes: 60, startAt: utcAt(3, '10:00') })).toBe('SLOT_NOT_AVAILABLE');
    });

    it('holds the lawyer’s availability row locked until the caller’s transaction ends', async () => {
      const lawyer = await createMarketLawyer(t, { availability: { timeZone: 'UTC', weekly: EVERY_DAY() }, offerings: [{}] });
      const runner = sql.createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        await marketplace.assertBookable(runner.manager, {
          lawyerId: lawyer.id,
          durationMinutes: 60,
          startAt: utcAt(3, '10:00'),
        });
        // Another booking of the same lawyer would wait: NOWAIT shows the lock instead of waiting.
        await expect(
          sql.query('SELECT 1 FROM lawyer_availability WHERE lawyer_id = $1 FOR UPDATE NOWAIT', [lawyer.id]),
        ).rejects.toMatchObject({
          driverError: expect.objectContaining({ code: '55P03' }),
        });
        await runner.rollbackTransaction();
        await expect(
          sql.query('SELECT 1 FROM lawyer_availability WHERE lawyer_id = $1 FOR UPDATE NOWAIT', [lawyer.id]),
        ).resolves.toHaveLength(1);
      } finally {
        await runner.release();
      }
    });

    it('sees a booking committed while it waited for the lock (no stale snapshot)', async () => {
      const lawyer = await createMarketLawyer(t, {
        availability: { timeZone: 'UTC', weekly: EVERY_DAY() },
        offerings: [{ durationMinutes: 60 }],
      });
      const client = await createUser(t, { role: 'CLIENT' });
      const startAt = utcAt(3, '10:00');
      const first = sql.createQueryRunner();
      await first.connect();
      try {
        await first.startTransaction();
        await marketplace.assertBookable(first.manager, { lawyerId: lawyer.id, durationMinutes: 60, startAt });
        // The second check starts now and blocks on the lock…
        const second = check({ lawyerId: lawyer.id, durationMinutes: 60, startAt });
        await eventually(
          async () =>
            (
              await sql.query(
                `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')`,
              )
            )[0].n as number,
          (n) => n > 0,
        );
        // …while the first books the slot and commits.
        await insertHeldSessionWith(first.manager, client.id, lawyer.id, lawyer.offerings[0]!.id, startAt);
        await first.commitTransaction();
        expect(await second).toBe('SLOT_NOT_AVAILABLE');
      } finally {
        if (first.isTransactionActive) await first.rollbackTransaction();
        await first.release();
      }
    });
  });

  describe('next_available_at', () => {
    const nextOf = async (lawyerId: string) =>
      ((await sql.query('SELECT next_available_at AS at FROM lawyer_availability WHERE lawyer_id = $1', [lawyerId]))[0]?.at ??
        null) as Date | null;

    it('is computed after availability and offerings change, as the first free slot; a blackout moves it', async () => {
      // Open only on the weekday three days from now (Tokyo), 10:00-18:00 Tokyo = 01:00Z-09:00Z.
      const date = localDate('Asia/Tokyo', 3);
      const weekday = DateTime.fromISO(date).weekday;
      const lawyer = await createMarketLawyer(t, {
        availability: {
          timeZone: 'Asia/Tokyo',
          weekly: [{ weekday, start: '10:00', end: '18:00' }],
          minimumNoticeMinutes: 24 * 60,
        },
        offerings: [{ durationMinutes: 90 }, { durationMinutes: 30 }],
      });
      const computed = (await eventually(
        () => nextOf(lawyer.id),
        (at) => at !== null,
      ))!;
      expect(computed.toISOString()).toBe(`${date}T01:00:00.000Z`);
      const slots = await getSlots(t, lawyer.id, {
        offeringId: lawyer.offerings[1]!.id,
        to: new Date(Date.now() + 7 * 24 * 60 * MINUTE),
      }).expect(200);
      expect(slotStarts(slots)[0]).toBe(computed.toISOString());

      // A blackout over that whole day: the next free slot is a week later.
      await request(t.server)
        .post('/api/lawyer/availability/blackouts')
        .set(bearer(lawyer.accessToken))
        .send({ startAt: `${date}T00:00:00+09:00`, endAt: `${date}T23:59:00+09:00` })
        .expect(201);
      const moved = (await eventually(
        () => nextOf(lawyer.id),
        (at) => at !== null && at.getTime() !== computed.getTime(),
      ))!;
      expect(moved.getTime()).toBe(computed.getTime() + 7 * 24 * 60 * MINUTE);
    });

    it('is null when no active offering or no window exists, and the sweep refreshes values time has made stale', async () => {
      const lawyer = await createMarketLawyer(t, { availability: { timeZone: 'UTC', weekly: EVERY_DAY() }, offerings: [{}] });
      await eventually(
        () => nextOf(lawyer.id),
        (at) => at !== null,
      );
      await request(t.server)
        .patch(`/api/lawyer/offerings/${lawyer.offerings[0]!.id}`)
        .set(bearer(lawyer.accessToken))
        .send({ active: false })
        .expect(200);
      await eventually(
        () => nextOf(lawyer.id),
        (at) => at === null,
      );

      const other = await createMarketLawyer(t, {
        availability: { timeZone: 'UTC', weekly: EVERY_DAY('09:00', '10:00') },
        offerings: [{}],
      });
      await eventually(
        () => nextOf(other.id),
        (at) => at !== null,
      );
      // An hour in the past is stale: the sweep recomputes it to a future slot.
      await sql.query(`UPDATE lawyer_availability SET next_available_at = now() - interval '1 hour' WHERE lawyer_id = $1`, [
        other.id,
      ]);
      await marketplace.sweep();
      const refreshed = await nextOf(other.id);
      expect(refreshed!.getTime()).toBeGreaterThan(Date.now());
      expect(refreshed!.toISOString()).toMatch(/T09:00:00\.000Z$/);
    });

    it('availabilityChanged enqueues nothing when the caller’s transaction rolls back', async () => {
      const lawyer = await createMarketLawyer(t, { offerings: [{}] });
      const jobs = () =>
        sql.query(
          `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'marketplace.next-available' AND data->>'lawyerId' = $1`,
          [lawyer.id],
        );
      // Wait until the job of the offering's creation has run ('short' queues one job per lawyer at a time).
      await eventually(
        async () =>
          (
            await sql.query(
              `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'marketplace.next-available' AND data->>'lawyerId' = $1 AND state IN ('created', 'retry', 'active')`,
              [lawyer.id],
            )
          )[0].n as number,
        (n) => n === 0,
      );
      const before = (await jobs())[0].n as number;
      await sql
        .transaction(async (m) => {
          await marketplace.availabilityChanged(m, lawyer.id);
          throw new Error('rollback');
        })
        .catch(() => undefined);
      expect((await jobs())[0].n).toBe(before);
      await sql.transaction((m) => marketplace.availabilityChanged(m, lawyer.id));
      expect((await jobs())[0].n).toBe(before + 1);
    });
  });
});

async function insertHeldSessionWith(
  m: EntityManager,
  clientId: string,
  lawyerId: string,
  offeringId: string,
  startAt: Date,
): Promise<void> {
  await m.query(
    `INSERT INTO legal_sessions (client_id, lawyer_id, offering_id, offering_title, duration_minutes, price_minor, currency, status, start_at, end_at, checkout_expires_at, paid_at)
     VALUES ($1, $2, $3, 'Initial consultation', 60, 9000, 'EUR', 'SCHEDULED', $4, $4::timestamptz + interval '60 minutes', now(), now())`,
    [clientId, lawyerId, offeringId, startAt],
  );
}
