import { DateTime } from 'luxon';
import { AvailabilityPolicy, computeSlots, InvalidTimeZone, localDay, SlotQuery, WeeklyRule } from './slots';

const policy = (p: Partial<AvailabilityPolicy> & Pick<AvailabilityPolicy, 'timeZone' | 'weekly'>): AvailabilityPolicy => ({
  overrides: [],
  blackouts: [],
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  maxSessionsPerDay: null,
  slotStepMinutes: 60,
  ...p,
});

const query = (q: Partial<SlotQuery> & Pick<SlotQuery, 'from' | 'to'>): SlotQuery => ({
  durationMinutes: 60,
  now: new Date('2026-01-01T00:00:00Z'),
  busy: [],
  ...q,
});

const starts = (slots: { start: Date }[]) => slots.map((s) => s.start.toISOString().slice(0, 16) + 'Z');
const at = (iso: string) => new Date(iso);
const sunday = (start: string, end: string): WeeklyRule => ({ weekday: 7, start, end });

describe('computeSlots across DST changes', () => {
  it('America/New_York spring forward (2026-03-08): 01:00-04:00 local holds two real hours', () => {
    const slots = computeSlots(
      policy({ timeZone: 'America/New_York', weekly: [sunday('01:00', '04:00')] }),
      query({ from: at('2026-03-08T00:00:00Z'), to: at('2026-03-09T00:00:00Z') }),
    );
    // 01:00 EST = 06:00Z; one hour later it is 03:00 EDT = 07:00Z; 04:00 EDT = 08:00Z closes.
    expect(starts(slots)).toEqual(['2026-03-08T06:00Z', '2026-03-08T07:00Z']);
  });

  it('America/New_York fall back (2026-11-01): 00:00-03:00 local holds four real hours', () => {
    const slots = computeSlots(
      policy({ timeZone: 'America/New_York', weekly: [sunday('00:00', '03:00')] }),
      query({ from: at('2026-11-01T00:00:00Z'), to: at('2026-11-02T00:00:00Z') }),
    );
    // 00:00 EDT = 04:00Z … 03:00 EST = 08:00Z; 01:00-02:00 happens twice.
    expect(starts(slots)).toEqual(['2026-11-01T04:00Z', '2026-11-01T05:00Z', '2026-11-01T06:00Z', '2026-11-01T07:00Z']);
  });

  it('a wall time in the skipped hour moves past the gap (02:30 on 2026-03-08 New York = 03:30 EDT)', () => {
    const slots = computeSlots(
      policy({ timeZone: 'America/New_York', weekly: [sunday('02:30', '05:30')] }),
      query({ from: at('2026-03-08T00:00:00Z'), to: at('2026-03-09T00:00:00Z') }),
    );
    expect(starts(slots)).toEqual(['2026-03-08T07:30Z', '2026-03-08T08:30Z']);
  });

  it('Europe/Berlin: "Sundays 09:00-10:00" stays 09:00 local, so it moves from 08:00Z to 07:00Z across 2026-03-29', () => {
    const slots = computeSlots(
      policy({ timeZone: 'Europe/Berlin', weekly: [sunday('09:00', '10:00')] }),
      query({ from: at('2026-03-20T00:00:00Z'), to: at('2026-04-06T00:00:00Z') }),
    );
    expect(starts(slots)).toEqual(['2026-03-22T08:00Z', '2026-03-29T07:00Z', '2026-04-05T07:00Z']);
  });

  it('Europe/Berlin fall back (2026-10-25): 02:00-03:00 local is two real hours', () => {
    const slots = computeSlots(
      policy({ timeZone: 'Europe/Berlin', weekly: [sunday('02:00', '03:00')] }),
      query({ from: at('2026-10-24T00:00:00Z'), to: at('2026-10-26T00:00:00Z') }),
    );
    // 02:00 CEST = 00:00Z; one hour later the clock shows 02:00 CET (01:00Z); 03:00 CET = 02:00Z.
    expect(starts(slots)).toEqual(['2026-10-25T00:00Z', '2026-10-25T01:00Z']);
  });
});

describe('computeSlots rules', () => {
  const ny = { timeZone: 'America/New_York', weekly: [{ weekday: 3 as const, start: '09:00', end: '13:00' }] }; // Wednesdays
  const wednesday = { from: at('2026-06-10T00:00:00Z'), to: at('2026-06-11T00:00:00Z') }; // 2026-06-10 is a Wednesday (EDT, UTC-4)

  it('keeps buffers around existing sessions in both directions', () => {
    const slots = computeSlots(
      policy({ ...ny, bufferBeforeMinutes: 15, bufferAfterMinutes: 15, slotStepMinutes: 15 }),
      query({ ...wednesday, durationMinutes: 30, busy: [{ start: at('2026-06-10T15:00:00Z'), end: at('2026-06-10T16:00:00Z') }] }),
    );
    const s = starts(slots);
    // Busy 11:00-12:00 local. 10:15-10:45 ends 15 min before it: allowed; 10:30 would touch it.
    expect(s).toContain('2026-06-10T14:15Z');
    expect(s).not.toContain('2026-06-10T14:30Z');
    expect(s).not.toContain('2026-06-10T15:00Z');
    expect(s).not.toContain('2026-06-10T16:00Z');
    expect(s).toContain('2026-06-10T16:15Z');
  });

  it('honours the minimum notice', () => {
    const slots = computeSlots(
      policy({ ...ny, minimumNoticeMinutes: 120 }),
      query({ ...wednesday, now: at('2026-06-10T13:30:00Z') }), // 09:30 local
    );
    expect(starts(slots)).toEqual(['2026-06-10T16:00Z']); // 12:00 local is the first start ≥ 11:30
  });

  it('applies date overrides (closed day, different hours) and blackouts', () => {
    const closed = computeSlots(policy({ ...ny, overrides: [{ date: '2026-06-10', windows: [] }] }), query(wednesday));
    expect(closed).toEqual([]);
    const shorter = computeSlots(policy({ ...ny, overrides: [{ date: '2026-06-10', windows: [{ start: '14:00', end: '16:00' }] }] }), query(wednesday));
    expect(starts(shorter)).toEqual(['2026-06-10T18:00Z', '2026-06-10T19:00Z']);
    const blackout = computeSlots(policy({ ...ny, blackouts: [{ start: at('2026-06-10T13:30:00Z'), end: at('2026-06-10T15:00:00Z') }] }), query(wednesday));
    expect(starts(blackout)).toEqual(['2026-06-10T15:00Z', '2026-06-10T16:00Z']);
  });

  it('stops offering a day once it holds the maximum number of sessions', () => {
    const busy = [{ start: at('2026-06-10T13:00:00Z'), end: at('2026-06-10T14:00:00Z') }];
    expect(computeSlots(policy({ ...ny, maxSessionsPerDay: 1 }), query({ ...wednesday, busy }))).toEqual([]);
    expect(starts(computeSlots(policy({ ...ny, maxSessionsPerDay: 2 }), query({ ...wednesday, busy })))).toEqual([
      '2026-06-10T14:00Z',
      '2026-06-10T15:00Z',
      '2026-06-10T16:00Z',
    ]);
  });

  it('serves a client in another zone: a Tokyo calendar day returns only slots inside it, in UTC', () => {
    // Lawyer in New York, Wednesdays 09:00-13:00 EDT = 13:00-17:00Z = Thursday 22:00-02:00 in Tokyo.
    const tokyoThursday = localDay('2026-06-11', 'Asia/Tokyo'); // 2026-06-10T15:00Z .. 2026-06-11T15:00Z
    const slots = computeSlots(policy(ny), query({ from: tokyoThursday.start, to: tokyoThursday.end }));
    expect(starts(slots)).toEqual(['2026-06-10T15:00Z', '2026-06-10T16:00Z']);
    expect(slots.map((s) => DateTime.fromJSDate(s.start, { zone: 'Asia/Tokyo' }).toFormat('ccc HH:mm'))).toEqual(['Thu 00:00', 'Thu 01:00']);
  });

  it('rejects an unknown time zone', () => {
    expect(() => computeSlots(policy({ timeZone: 'Mars/Olympus', weekly: [] }), query(wednesday))).toThrow(InvalidTimeZone);
  });
});
