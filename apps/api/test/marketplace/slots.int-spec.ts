import request from 'supertest';
import { bearer } from '../factories/users';
import { createMarketLawyer, EVERY_DAY, getSlots, insertHeldSession, slotStarts, utcAt } from '../factories/marketplace';
import { createTestApp, TestApp } from '../setup/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 'YYYY-MM-DD' of a UTC date. */
const ymd = (d: Date) => d.toISOString().slice(0, 10);
/** The n-th (1-based) Sunday of a month, or the last one (n = -1), as a UTC date. */
function sundayOf(year: number, month: number, n: number): Date {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1));
    return new Date(Date.UTC(year, month - 1, 1 + ((7 - first.getUTCDay()) % 7) + (n - 1) * 7));
  }
  const last = new Date(Date.UTC(year, month, 0));
  return new Date(Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay()));
}
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY);
/** Starts every 15 minutes from `first` (UTC 'YYYY-MM-DDTHH:MM'), `count` of them, as the API prints them. */
const quarterHours = (first: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(new Date(`${first}:00Z`).getTime() + i * 15 * 60_000).toISOString());

describe('GET /api/lawyers/:id/slots', () => {
  let t: TestApp;
  const nextYear = new Date().getUTCFullYear() + 1;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('across daylight-saving changes, a weekly 09:00-12:00 rule stays 09:00 local and moves in UTC', () => {
    // Hard facts, not computed: New York is UTC-5 in winter, UTC-4 in summer (changes on the 2nd
    // Sunday of March and the 1st Sunday of November); Berlin UTC+1 / UTC+2 (last Sundays of
    // March and October). 09:00 local is therefore 14:00Z / 13:00Z in New York, 08:00Z / 07:00Z in Berlin.
    it.each([
      ['America/New_York', 'spring forward', sundayOf(nextYear, 3, 2), '14', '13'],
      ['America/New_York', 'fall back', sundayOf(nextYear, 11, 1), '13', '14'],
      ['Europe/Berlin', 'spring forward', sundayOf(nextYear, 3, -1), '08', '07'],
      ['Europe/Berlin', 'fall back', sundayOf(nextYear, 10, -1), '07', '08'],
    ])('%s, %s', async (timeZone, _label, changeDay, hourBefore, hourAfter) => {
      const lawyer = await createMarketLawyer(t, {
        availability: { timeZone, weekly: EVERY_DAY('09:00', '12:00') },
        offerings: [{ durationMinutes: 60 }],
      });
      // Two days before the change to two days after it, asked for in UTC.
      const res = await getSlots(t, lawyer.id, {
        offeringId: lawyer.offerings[0]!.id,
        from: `${ymd(addDays(changeDay, -2))}T00:00:00Z`,
        to: `${ymd(addDays(changeDay, 2))}T00:00:00Z`,
      }).expect(200);
      expect(res.body.timeZone).toBe(timeZone);
      // 09:00, 09:15 … 11:00 local: nine 60-minute slots a day. The change happens at night, so
      // the day of the change already has the new offset.
      expect(slotStarts(res)).toEqual([
        ...quarterHours(`${ymd(addDays(changeDay, -2))}T${hourBefore}:00`, 9),
        ...quarterHours(`${ymd(addDays(changeDay, -1))}T${hourBefore}:00`, 9),
        ...quarterHours(`${ymd(changeDay)}T${hourAfter}:00`, 9),
        ...quarterHours(`${ymd(addDays(changeDay, 1))}T${hourAfter}:00`, 9),
      ]);
      const first = new Date(`${ymd(addDays(changeDay, -2))}T${hourBefore}:00:00Z`);
      expect(res.body.slots[0]).toEqual({ startAt: first.toISOString(), endAt: new Date(first.getTime() + HOUR).toISOString() });
    });

    it('between the US and EU changes, New York is five hours behind Berlin instead of six (both rules at 09:00 local)', async () => {
      const monday = addDays(sundayOf(nextYear, 3, 2), 1); // New York already on summer time, Berlin not yet.
      const day = { from: `${ymd(monday)}T00:00:00Z`, to: `${ymd(addDays(monday, 1))}T00:00:00Z` };
      const ny = await createMarketLawyer(t, {
        availability: { timeZone: 'America/New_York', weekly: EVERY_DAY('09:00', '10:00') },
        offerings: [{}],
      });
      const berlin = await createMarketLawyer(t, {
        availability: { timeZone: 'Europe/Berlin', weekly: EVERY_DAY('09:00', '10:00') },
        offerings: [{}],
      });
      expect(slotStarts(await getSlots(t, ny.id, { offeringId: ny.offerings[0]!.id, ...day }).expect(200))).toEqual([
        `${ymd(monday)}T13:00:00.000Z`,
      ]);
      expect(slotStarts(await getSlots(t, berlin.id, { offeringId: berlin.offerings[0]!.id, ...day }).expect(200))).toEqual([
        `${ymd(monday)}T08:00:00.000Z`,
      ]);
    });
  });

  it('a client in Tokyo asking for their own day gets UTC instants; a New York evening rule straddles two Tokyo dates', async () => {
    // A Tuesday in mid-January next year: New York on UTC-5, Tokyo always UTC+9.
    const jan12 = new Date(Date.UTC(nextYear, 0, 12));
    const tuesday = addDays(jan12, (9 - jan12.getUTCDay()) % 7);
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'America/New_York', weekly: [{ weekday: 2, start: '09:00', end: '12:00' }] },
      offerings: [{ durationMinutes: 60 }],
    });
    const offeringId = lawyer.offerings[0]!.id;
    // Tuesday 09:00-12:00 New York = 14:00Z-17:00Z = Tuesday 23:00 to Wednesday 02:00 in Tokyo.
    const tokyoTuesday = await getSlots(t, lawyer.id, {
      offeringId,
      from: `${ymd(tuesday)}T00:00:00+09:00`,
      to: `${ymd(addDays(tuesday, 1))}T00:00:00+09:00`,
    }).expect(200);
    expect(slotStarts(tokyoTuesday)).toEqual(quarterHours(`${ymd(tuesday)}T14:00`, 4));
    const tokyoWednesday = await getSlots(t, lawyer.id, {
      offeringId,
      from: `${ymd(addDays(tuesday, 1))}T00:00:00+09:00`,
      to: `${ymd(addDays(tuesday, 2))}T00:00:00+09:00`,
    }).expect(200);
    expect(slotStarts(tokyoWednesday)).toEqual(quarterHours(`${ymd(tuesday)}T15:00`, 5));
    // The window echoes back as UTC instants.
    expect(tokyoWednesday.body.from).toBe(`${ymd(tuesday)}T15:00:00.000Z`);
  });

  it('keeps the buffers around a booked session; a cancelled session holds nothing', async () => {
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'UTC', weekly: EVERY_DAY('09:00', '17:00'), bufferBeforeMinutes: 15, bufferAfterMinutes: 30 },
      offerings: [{ durationMinutes: 60 }],
    });
    const offering = lawyer.offerings[0]!;
    const day = ymd(utcAt(3, '00:00'));
    await insertHeldSession(t, { lawyerId: lawyer.id, offering, startAt: new Date(`${day}T12:00:00Z`) });
    await insertHeldSession(t, { lawyerId: lawyer.id, offering, startAt: new Date(`${day}T15:00:00Z`), status: 'CANCELLED' });
    const res = await getSlots(t, lawyer.id, {
      offeringId: offering.id,
      from: `${day}T00:00:00Z`,
      to: `${day}T23:59:00Z`,
    }).expect(200);
    // Before 12:00: end + 30 min after-buffer ≤ 12:00 → last start 10:30. After 13:00: 13:00 + 30 min → first start 13:30.
    expect(slotStarts(res)).toEqual([...quarterHours(`${day}T09:00`, 7), ...quarterHours(`${day}T13:30`, 11)]);
  });

  it('offers nothing inside the minimum notice', async () => {
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'UTC', weekly: EVERY_DAY(), minimumNoticeMinutes: 48 * 60 },
      offerings: [{ durationMinutes: 30 }],
    });
    const before = Date.now();
    const res = await getSlots(t, lawyer.id, {
      offeringId: lawyer.offerings[0]!.id,
      from: new Date(before),
      to: new Date(before + 4 * DAY),
    }).expect(200);
    const after = Date.now();
    const first = new Date(slotStarts(res)[0]!).getTime();
    expect(first).toBeGreaterThanOrEqual(before + 48 * HOUR);
    expect(first).toBeLessThan(after + 48 * HOUR + 15 * 60_000);
    // Around the clock after that: 2 days × 96 quarter hours, give or take the edges.
    expect(res.body.slots.length).toBeGreaterThan(180);
  });

  it('skips a blackout', async () => {
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'UTC', weekly: EVERY_DAY('09:00', '17:00') },
      offerings: [{ durationMinutes: 60 }],
    });
    const day = ymd(utcAt(3, '00:00'));
    await request(t.server)
      .post('/api/lawyer/availability/blackouts')
      .set(bearer(lawyer.accessToken))
      .send({ startAt: `${day}T10:00:00Z`, endAt: `${day}T12:00:00Z`, reason: 'Court' })
      .expect(201);
    const res = await getSlots(t, lawyer.id, {
      offeringId: lawyer.offerings[0]!.id,
      from: `${day}T00:00:00Z`,
      to: `${ymd(utcAt(4, '00:00'))}T00:00:00Z`,
    }).expect(200);
    expect(slotStarts(res)).toEqual([`${day}T09:00:00.000Z`, ...quarterHours(`${day}T12:00`, 17)]);
  });

  it('uses a date override instead of the weekly rules: a day off, and a day with other hours', async () => {
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'Europe/Madrid', weekly: EVERY_DAY('09:00', '17:00') },
      offerings: [{ durationMinutes: 60 }],
    });
    const off = ymd(utcAt(3, '00:00'));
    const evening = ymd(utcAt(4, '00:00'));
    await request(t.server)
      .put(`/api/lawyer/availability/overrides/${off}`)
      .set(bearer(lawyer.accessToken))
      .send({ windows: [] })
      .expect(200);
    await request(t.server)
      .put(`/api/lawyer/availability/overrides/${evening}`)
      .set(bearer(lawyer.accessToken))
      .send({ windows: [{ start: '18:00', end: '19:30' }] })
      .expect(200);
    const res = await getSlots(t, lawyer.id, {
      offeringId: lawyer.offerings[0]!.id,
      from: `${off}T00:00:00+01:00`,
      to: `${ymd(utcAt(5, '00:00'))}T00:00:00+01:00`,
    }).expect(200);
    // Madrid is UTC+1 or UTC+2 depending on the season: compare in Madrid wall time.
    const local = slotStarts(res).map((s) => new Date(s).toLocaleString('sv-SE', { timeZone: 'Europe/Madrid' }).slice(0, 16));
    expect(local).toEqual([`${evening} 18:00`, `${evening} 18:15`, `${evening} 18:30`]);
  });

  it('offers nothing on a day that already has the maximum number of sessions', async () => {
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'UTC', weekly: EVERY_DAY('09:00', '12:00'), maxSessionsPerDay: 1 },
      offerings: [{ durationMinutes: 60 }],
    });
    const full = ymd(utcAt(3, '00:00'));
    const next = ymd(utcAt(4, '00:00'));
    await insertHeldSession(t, { lawyerId: lawyer.id, offering: lawyer.offerings[0]!, startAt: new Date(`${full}T09:00:00Z`) });
    const res = await getSlots(t, lawyer.id, {
      offeringId: lawyer.offerings[0]!.id,
      from: `${full}T00:00:00Z`,
      to: `${ymd(utcAt(5, '00:00'))}T00:00:00Z`,
    }).expect(200);
    expect(slotStarts(res)).toEqual(quarterHours(`${next}T09:00`, 9));
  });

  it('uses the offering’s own duration', async () => {
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'UTC', weekly: EVERY_DAY('09:00', '11:00') },
      offerings: [{ durationMinutes: 30 }, { durationMinutes: 120 }],
    });
    const day = ymd(utcAt(3, '00:00'));
    const window = { from: `${day}T00:00:00Z`, to: `${day}T23:00:00Z` };
    expect(slotStarts(await getSlots(t, lawyer.id, { offeringId: lawyer.offerings[0]!.id, ...window }).expect(200))).toEqual(
      quarterHours(`${day}T09:00`, 7),
    );
    const long = await getSlots(t, lawyer.id, { offeringId: lawyer.offerings[1]!.id, ...window }).expect(200);
    expect(long.body).toMatchObject({
      durationMinutes: 120,
      slots: [{ startAt: `${day}T09:00:00.000Z`, endAt: `${day}T11:00:00.000Z` }],
    });
  });

  it('defaults to the next 14 days and refuses empty, reversed, too long or malformed windows', async () => {
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'UTC', weekly: EVERY_DAY('09:00', '10:00') },
      offerings: [{}],
    });
    const offeringId = lawyer.offerings[0]!.id;
    const res = await getSlots(t, lawyer.id, { offeringId }).expect(200);
    expect(new Date(res.body.to).getTime() - new Date(res.body.from).getTime()).toBe(14 * DAY);
    expect(res.body.slots.length).toBeGreaterThanOrEqual(13);
    expect(res.body.slots.length).toBeLessThanOrEqual(14);

    const from = utcAt(1, '00:00');
    for (const [query, code] of [
      [{ from, to: from }, 'INVALID_TIME_RANGE'],
      [{ from, to: new Date(from.getTime() - DAY) }, 'INVALID_TIME_RANGE'],
      [{ from, to: new Date(from.getTime() + 63 * DAY) }, 'INVALID_TIME_RANGE'],
      [{ from: '2026-03-02T09:00:00' }, 'VALIDATION_FAILED'],
      [{ from: 'tomorrow' }, 'VALIDATION_FAILED'],
      [{ from: '2026-13-45T09:00:00Z' }, 'INVALID_TIME_RANGE'],
    ] as const) {
      const bad = await getSlots(t, lawyer.id, { offeringId, ...query }).expect(400);
      expect(bad.body.code).toBe(code);
    }
    expect((await request(t.server).get(`/api/lawyers/${lawyer.id}/slots`).expect(400)).body.code).toBe('VALIDATION_FAILED');
    await getSlots(t, lawyer.id, { offeringId, from, to: new Date(from.getTime() + 62 * DAY) }).expect(200);
  });

  it('only for an active offering of a verified, active lawyer (404 otherwise)', async () => {
    const availability = { timeZone: 'UTC', weekly: EVERY_DAY() };
    const listed = await createMarketLawyer(t, { availability, offerings: [{}, { active: false }] });
    const other = await createMarketLawyer(t, { availability, offerings: [{}] });
    const pending = await createMarketLawyer(t, { status: 'PENDING_VERIFICATION', availability, offerings: [{}] });
    const suspended = await createMarketLawyer(t, { accountStatus: 'SUSPENDED', availability, offerings: [{}] });
    for (const [lawyerId, offeringId] of [
      [listed.id, listed.offerings[1]!.id],
      [listed.id, other.offerings[0]!.id],
      [pending.id, pending.offerings[0]!.id],
      [suspended.id, suspended.offerings[0]!.id],
      [listed.id, '00000000-0000-4000-8000-000000000000'],
    ]) {
      expect((await getSlots(t, lawyerId!, { offeringId: offeringId! }).expect(404)).body.code).toBe('OFFERING_NOT_FOUND');
    }
    await getSlots(t, listed.id, { offeringId: listed.offerings[0]!.id }).expect(200);
  });

  it('a listed lawyer who has not set availability has no slots and no zone', async () => {
    const lawyer = await createMarketLawyer(t, { offerings: [{}] });
    const res = await getSlots(t, lawyer.id, { offeringId: lawyer.offerings[0]!.id }).expect(200);
    expect(res.body).toMatchObject({ timeZone: null, slots: [] });
  });
});
