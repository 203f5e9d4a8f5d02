import { ianaZone, isCalendarDate, localToday, normaliseDay, normaliseWeekly } from './availability-rules';

describe('availability rules', () => {
  it('accepts IANA zones in their canonical spelling and refuses offsets and unknown names', () => {
    expect(ianaZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(ianaZone('america/new_york')).toBe('America/New_York');
    expect(ianaZone('UTC')).toBe('UTC');
    expect(ianaZone('+02:00')).toBeNull();
    expect(ianaZone('UTC+3')).toBeNull();
    expect(ianaZone('Mars/Olympus_Mons')).toBeNull();
    expect(ianaZone('')).toBeNull();
  });

  it('sorts a week by weekday and start, and merges windows that touch', () => {
    const { weekly, problem } = normaliseWeekly([
      { weekday: 3, start: '14:00', end: '18:00' },
      { weekday: 1, start: '12:00', end: '13:00' },
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 3, start: '09:00', end: '12:00' },
      { weekday: 7, start: '20:00', end: '24:00' },
    ]);
    expect(problem).toBeUndefined();
    expect(weekly).toEqual([
      { weekday: 1, start: '09:00', end: '13:00' },
      { weekday: 3, start: '09:00', end: '12:00' },
      { weekday: 3, start: '14:00', end: '18:00' },
      { weekday: 7, start: '20:00', end: '24:00' },
    ]);
  });

  it('names the window that overlaps another on the same weekday, by its position in the request', () => {
    const { problem } = normaliseWeekly([
      { weekday: 2, start: '09:00', end: '12:00' },
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 2, start: '11:30', end: '13:00' },
    ]);
    expect(problem).toEqual({ field: 'weekly[2]', message: 'overlaps weekly[0] on the same day' });
    // The same hours on different weekdays do not overlap.
    expect(
      normaliseWeekly([
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 2, start: '09:00', end: '12:00' },
      ]).problem,
    ).toBeUndefined();
  });

  it('refuses a window that ends at or before its start', () => {
    expect(normaliseWeekly([{ weekday: 1, start: '12:00', end: '12:00' }]).problem).toEqual({
      field: 'weekly[0]',
      message: 'end must be after start',
    });
    expect(
      normaliseDay([
        { start: '08:00', end: '09:00' },
        { start: '18:00', end: '17:00' },
      ]).problem,
    ).toEqual({ field: 'windows[1]', message: 'end must be after start' });
    expect(normaliseDay([]).windows).toEqual([]);
  });

  it('knows calendar dates and the local date in a zone', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-2-1')).toBe(false);
    expect(isCalendarDate('00000000-0000-4000-8000-000000000000')).toBe(false);
    // 23:30 UTC on 31 Dec is already 1 Jan in Tokyo and still 31 Dec in New York.
    const now = new Date('2026-12-31T23:30:00Z');
    expect(localToday('Asia/Tokyo', now)).toBe('2027-01-01');
    expect(localToday('America/New_York', now)).toBe('2026-12-31');
  });
});
