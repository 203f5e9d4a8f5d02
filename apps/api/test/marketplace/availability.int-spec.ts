import request from 'supertest';
import { DataSource } from 'typeorm';
import { createMarketLawyer, localDate, putAvailability, utcAt } from '../factories/marketplace';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

const VALID = {
  timeZone: 'Europe/Berlin',
  weekly: [
    { weekday: 1, start: '09:00', end: '12:00' },
    { weekday: 1, start: '13:00', end: '17:00' },
  ],
  bufferBeforeMinutes: 10,
  bufferAfterMinutes: 15,
  minimumNoticeMinutes: 720,
  maxSessionsPerDay: 4,
};

describe('lawyer availability', () => {
  let t: TestApp;
  let sql: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    sql = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const put = (token: string, body: object) => request(t.server).put('/api/lawyer/availability').set(bearer(token)).send(body);
  const get = (token: string) => request(t.server).get('/api/lawyer/availability').set(bearer(token)).expect(200);
  const actions = (lawyerId: string) =>
    sql
      .query(`SELECT action FROM audit_events WHERE subject_type = 'lawyer_availability' AND subject_id = $1 ORDER BY seq`, [
        lawyerId,
      ])
      .then((rows: { action: string }[]) => rows.map((r) => r.action));

  it('starts unset; PUT stores the rules in the canonical zone, sorted, touching windows merged; audited', async () => {
    const lawyer = await createMarketLawyer(t);
    expect((await get(lawyer.accessToken)).body).toEqual({
      configured: false,
      timeZone: null,
      weekly: [],
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minimumNoticeMinutes: 0,
      maxSessionsPerDay: null,
      nextAvailableAt: null,
      overrides: [],
      blackouts: [],
    });
    const res = await put(lawyer.accessToken, {
      ...VALID,
      timeZone: 'europe/berlin',
      weekly: [{ weekday: 3, start: '20:00', end: '24:00' }, { weekday: 1, start: '12:00', end: '13:00' }, ...VALID.weekly],
    }).expect(200);
    expect(res.body).toMatchObject({
      configured: true,
      timeZone: 'Europe/Berlin',
      weekly: [
        { weekday: 1, start: '09:00', end: '17:00' },
        { weekday: 3, start: '20:00', end: '24:00' },
      ],
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 15,
      minimumNoticeMinutes: 720,
      maxSessionsPerDay: 4,
    });
    // Replacing it (no cap now) is a second audited change.
    await put(lawyer.accessToken, { ...VALID, maxSessionsPerDay: null }).expect(200);
    expect((await get(lawyer.accessToken)).body.maxSessionsPerDay).toBeNull();
    expect(await actions(lawyer.id)).toEqual(['availability.updated', 'availability.updated']);
  });

  it.each([
    ['an unknown zone', { timeZone: 'Mars/Olympus_Mons' }, 'INVALID_TIME_ZONE'],
    ['a UTC offset instead of a zone', { timeZone: '+02:00' }, 'INVALID_TIME_ZONE'],
    ['an empty zone', { timeZone: '' }, 'INVALID_TIME_ZONE'],
    [
      'overlapping windows on one weekday',
      {
        weekly: [
          { weekday: 2, start: '09:00', end: '12:00' },
          { weekday: 2, start: '11:00', end: '14:00' },
        ],
      },
      'INVALID_AVAILABILITY',
    ],
    ['a window that ends before it starts', { weekly: [{ weekday: 2, start: '12:00', end: '09:00' }] }, 'INVALID_AVAILABILITY'],
    ['a start of 24:00', { weekly: [{ weekday: 2, start: '24:00', end: '24:00' }] }, 'VALIDATION_FAILED'],
    ['a minute past 59', { weekly: [{ weekday: 2, start: '09:60', end: '10:00' }] }, 'VALIDATION_FAILED'],
    ['weekday 8', { weekly: [{ weekday: 8, start: '09:00', end: '10:00' }] }, 'VALIDATION_FAILED'],
    ['weekday 0', { weekly: [{ weekday: 0, start: '09:00', end: '10:00' }] }, 'VALIDATION_FAILED'],
    ['a window that is not an object', { weekly: ['09:00-10:00'] }, 'VALIDATION_FAILED'],
    ['a buffer over 240 minutes', { bufferAfterMinutes: 300 }, 'VALIDATION_FAILED'],
    ['a negative notice', { minimumNoticeMinutes: -1 }, 'VALIDATION_FAILED'],
    ['a daily cap of 0', { maxSessionsPerDay: 0 }, 'VALIDATION_FAILED'],
    ['a missing zone', { timeZone: undefined }, 'VALIDATION_FAILED'],
  ])('refuses %s (400 %s) and keeps what was there', async (_label, change, code) => {
    const lawyer = await createMarketLawyer(t, {
      availability: { timeZone: 'UTC', weekly: [{ weekday: 5, start: '10:00', end: '11:00' }] },
    });
    const res = await put(lawyer.accessToken, { ...VALID, ...change }).expect(400);
    expect(res.body.code).toBe(code);
    expect((await get(lawyer.accessToken)).body).toMatchObject({
      timeZone: 'UTC',
      weekly: [{ weekday: 5, start: '10:00', end: '11:00' }],
    });
  });

  it('names the overlapping window by its position in the request', async () => {
    const lawyer = await createMarketLawyer(t);
    const res = await put(lawyer.accessToken, {
      ...VALID,
      weekly: [
        { weekday: 2, start: '14:00', end: '16:00' },
        { weekday: 4, start: '09:00', end: '12:00' },
        { weekday: 2, start: '15:30', end: '17:00' },
      ],
    }).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_AVAILABILITY', message: 'weekly[2]: overlaps weekly[0] on the same day' });
  });

  it('date overrides: set, shown from today on, replaced, removed; only after the weekly availability exists', async () => {
    const unset = await createMarketLawyer(t);
    const soon = localDate('Europe/Berlin', 5);
    const early = await request(t.server)
      .put(`/api/lawyer/availability/overrides/${soon}`)
      .set(bearer(unset.accessToken))
      .send({ windows: [] })
      .expect(409);
    expect(early.body.code).toBe('AVAILABILITY_NOT_SET');

    const lawyer = await createMarketLawyer(t, { availability: VALID });
    const override = (date: string, windows: object[]) =>
      request(t.server).put(`/api/lawyer/availability/overrides/${date}`).set(bearer(lawyer.accessToken)).send({ windows });
    await override(soon, [{ start: '10:00', end: '11:00' }]).expect(200);
    const replaced = await override(soon, [
      { start: '15:00', end: '16:00' },
      { start: '08:00', end: '09:00' },
    ]).expect(200);
    expect(replaced.body.overrides).toEqual([
      {
        date: soon,
        windows: [
          { start: '08:00', end: '09:00' },
          { start: '15:00', end: '16:00' },
        ],
      },
    ]);
    const dayOff = localDate('Europe/Berlin', 9);
    await override(dayOff, []).expect(200);
    // A past override (written before that day passed) is no longer shown.
    await sql.query(`INSERT INTO availability_overrides (lawyer_id, date, windows) VALUES ($1, $2, '[]')`, [
      lawyer.id,
      localDate('Europe/Berlin', -3),
    ]);
    expect((await get(lawyer.accessToken)).body.overrides.map((o: { date: string }) => o.date)).toEqual([soon, dayOff]);

    for (const [date, body] of [
      ['2027-02-30', { windows: [] }],
      ['00000000-0000-4000-8000-000000000000', { windows: [] }],
      [localDate('Europe/Berlin', -1), { windows: [] }],
      [soon, { windows: [{ start: '11:00', end: '10:00' }] }],
      [
        soon,
        {
          windows: [
            { start: '10:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        },
      ],
    ] as const) {
      expect((await override(date, [...body.windows]).expect(400)).body.code).toBe('INVALID_AVAILABILITY');
    }
    expect((await override(soon, [{ start: '10:00' }]).expect(400)).body.code).toBe('VALIDATION_FAILED');

    await request(t.server).delete(`/api/lawyer/availability/overrides/${dayOff}`).set(bearer(lawyer.accessToken)).expect(204);
    expect(
      (await request(t.server).delete(`/api/lawyer/availability/overrides/${dayOff}`).set(bearer(lawyer.accessToken)).expect(404))
        .body.code,
    ).toBe('OVERRIDE_NOT_FOUND');
    expect((await get(lawyer.accessToken)).body.overrides.map((o: { date: string }) => o.date)).toEqual([soon]);
    expect(await actions(lawyer.id)).toEqual([
      'availability.updated',
      'availability.override_set',
      'availability.override_set',
      'availability.override_set',
      'availability.override_removed',
    ]);
  });

  it('blackouts: added, listed until they end, removable only by their owner', async () => {
    const lawyer = await createMarketLawyer(t, { availability: VALID });
    const other = await createMarketLawyer(t, { availability: VALID });
    const blackouts = () => request(t.server).post('/api/lawyer/availability/blackouts').set(bearer(lawyer.accessToken));
    const created = await blackouts()
      .send({ startAt: '2099-07-01T00:00:00+02:00', endAt: '2099-07-15T00:00:00+02:00', reason: 'Summer leave' })
      .expect(201);
    expect(created.body).toMatchObject({
      startAt: '2099-06-30T22:00:00.000Z',
      endAt: '2099-07-14T22:00:00.000Z',
      reason: 'Summer leave',
    });
    await sql.query(
      `INSERT INTO availability_blackouts (lawyer_id, start_at, end_at) VALUES ($1, now() - interval '3 days', now() - interval '2 days')`,
      [lawyer.id],
    );
    expect((await get(lawyer.accessToken)).body.blackouts).toEqual([created.body]);

    for (const body of [
      { startAt: utcAt(3, '12:00').toISOString(), endAt: utcAt(3, '12:00').toISOString() },
      { startAt: utcAt(3, '12:00').toISOString(), endAt: utcAt(2, '12:00').toISOString() },
      { startAt: utcAt(-3, '12:00').toISOString(), endAt: utcAt(-2, '12:00').toISOString() },
      { startAt: utcAt(3, '12:00').toISOString(), endAt: utcAt(400, '12:00').toISOString() },
    ]) {
      expect((await blackouts().send(body).expect(400)).body.code).toBe('INVALID_TIME_RANGE');
    }
    expect((await blackouts().send({ startAt: '2099-07-01 09:00', endAt: '2099-07-02T00:00:00Z' }).expect(400)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await blackouts().send({ startAt: '2099-07-01T09:00:00', endAt: '2099-07-02T00:00:00Z' }).expect(400)).body.code,
    ).toBe('VALIDATION_FAILED');

    const stranger = await request(t.server)
      .delete(`/api/lawyer/availability/blackouts/${created.body.id}`)
      .set(bearer(other.accessToken))
      .expect(404);
    expect(stranger.body.code).toBe('BLACKOUT_NOT_FOUND');
    await request(t.server)
      .delete(`/api/lawyer/availability/blackouts/${created.body.id}`)
      .set(bearer(lawyer.accessToken))
      .expect(204);
    expect((await get(lawyer.accessToken)).body.blackouts).toEqual([]);
    expect(await actions(lawyer.id)).toEqual([
      'availability.updated',
      'availability.blackout_added',
      'availability.blackout_removed',
    ]);
  });

  it('a blackout before the weekly availability exists is refused (409)', async () => {
    const lawyer = await createMarketLawyer(t);
    const res = await request(t.server)
      .post('/api/lawyer/availability/blackouts')
      .set(bearer(lawyer.accessToken))
      .send({ startAt: utcAt(3, '00:00').toISOString(), endAt: utcAt(4, '00:00').toISOString() })
      .expect(409);
    expect(res.body.code).toBe('AVAILABILITY_NOT_SET');
  });

  it('is the caller’s own: one lawyer’s PUT never touches another’s rules', async () => {
    const a = await createMarketLawyer(t, {
      availability: { timeZone: 'Asia/Tokyo', weekly: [{ weekday: 1, start: '09:00', end: '10:00' }] },
    });
    const b = await createMarketLawyer(t);
    await putAvailability(t, b, { timeZone: 'America/New_York', weekly: [] });
    expect((await get(a.accessToken)).body).toMatchObject({
      timeZone: 'Asia/Tokyo',
      weekly: [{ weekday: 1, start: '09:00', end: '10:00' }],
    });
  });
});
