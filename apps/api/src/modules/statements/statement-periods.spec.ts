import {
  dueMonths,
  lastClosedMonth,
  monthEnd,
  monthOf,
  monthsBetween,
  nextMonth,
  statementNumber,
  zoneOrUtc,
} from './statement-periods';

describe('statement periods', () => {
  it('cuts months on calendar days', () => {
    expect(monthOf('2026-02-28')).toBe('2026-02-01');
    expect(nextMonth('2026-12-01')).toBe('2027-01-01');
    expect(monthEnd('2028-02-01')).toBe('2028-02-29');
    expect(monthEnd('2026-04-01')).toBe('2026-04-30');
    expect(monthsBetween('2026-11-01', '2027-02-01')).toEqual(['2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01']);
    expect(monthsBetween('2026-03-01', '2026-02-01')).toEqual([]);
  });

  it('closes a month at midnight of the payee’s zone, not UTC', () => {
    const instant = new Date('2026-04-01T02:00:00Z'); // April in Tokyo and Warsaw, still March in New York
    expect(lastClosedMonth(instant, 'Asia/Tokyo')).toBe('2026-03-01');
    expect(lastClosedMonth(instant, 'Europe/Warsaw')).toBe('2026-03-01');
    expect(lastClosedMonth(instant, 'America/New_York')).toBe('2026-02-01');
    expect(lastClosedMonth(instant, 'Not/AZone')).toBe('2026-03-01'); // unknown zone: UTC
    expect(zoneOrUtc('Not/AZone')).toBe('UTC');
    expect(zoneOrUtc('Asia/Tokyo')).toBe('Asia/Tokyo');
  });

  it('numbers statements by period month and sequence, without cutting long sequences', () => {
    expect(statementNumber('2026-03-01', 42)).toBe('ST-202603-000042');
    expect(statementNumber('2026-03-01', 12_345_678)).toBe('ST-202603-12345678');
  });

  it('is due for months with lines, and for quiet months while money is still owed', () => {
    const activity = [
      { month: '2026-01-01', netMinor: -5000, entryCount: 2 }, // accrued 50.00
      { month: '2026-03-01', netMinor: 5000, entryCount: 1 }, // paid out
      { month: '2026-05-01', netMinor: -100, entryCount: 1 },
    ];
    expect(dueMonths(activity, '2026-01-01', '2026-06-01', 0)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-05-01',
      '2026-06-01',
    ]);
    // After the last statement (March), from April on: nothing owed in April, May has a line, June is owed 1.00.
    expect(dueMonths(activity, '2026-04-01', '2026-06-01', 0)).toEqual(['2026-05-01', '2026-06-01']);
    expect(dueMonths(activity, '2026-07-01', '2026-06-01', 100)).toEqual([]);
  });
});
