import { describe, expect, it } from 'vitest';
import { periodLabel, resolveRange, shortPeriodLabel, type RangeInput } from './report-range';

const TODAY = '2026-03-18';
const custom = (from: string, to: string, granularity: RangeInput['granularity'] = 'month'): RangeInput => ({
  range: 'custom',
  from,
  to,
  granularity,
});

describe('report ranges', () => {
  it('presets end today: 12 months by month from the 1st, 90 days by week, 30 days by day', () => {
    const base = { from: '', to: '', granularity: 'month' } as const;
    expect(resolveRange({ ...base, range: '12m' }, TODAY)).toEqual({
      ok: true,
      query: { from: '2025-04-01', to: TODAY, granularity: 'month' },
    });
    expect(resolveRange({ ...base, range: '90d' }, TODAY)).toEqual({
      ok: true,
      query: { from: '2025-12-19', to: TODAY, granularity: 'week' },
    });
    expect(resolveRange({ ...base, range: '30d' }, TODAY)).toEqual({
      ok: true,
      query: { from: '2026-02-17', to: TODAY, granularity: 'day' },
    });
  });

  it('a custom range is sent as typed, with its grouping', () => {
    expect(resolveRange(custom('2026-01-01', '2026-01-31', 'week'), TODAY)).toEqual({
      ok: true,
      query: { from: '2026-01-01', to: '2026-01-31', granularity: 'week' },
    });
    expect(resolveRange(custom('2026-01-01', '2026-01-01', 'day'), TODAY).ok).toBe(true);
  });

  it('refuses what the API would: missing or malformed days, the end before the start, more than 2 years', () => {
    expect(resolveRange(custom('', ''), TODAY)).toEqual({
      ok: false,
      errors: { from: 'Enter the first day', to: 'Enter the last day' },
    });
    expect(resolveRange(custom('2026-02-30', '2026-03-01'), TODAY)).toEqual({
      ok: false,
      errors: { from: 'Enter a day such as 2026-03-01' },
    });
    expect(resolveRange(custom('2026-03-02', '2026-03-01'), TODAY)).toEqual({
      ok: false,
      errors: { to: 'The last day must be on or after the first day' },
    });
    expect(resolveRange(custom('2024-01-01', '2026-01-02'), TODAY)).toEqual({
      ok: false,
      errors: { to: 'A report covers at most 2 years' },
    });
    // Exactly two years is allowed (the API refuses to > from + 2 years).
    expect(resolveRange(custom('2024-01-01', '2026-01-01'), TODAY).ok).toBe(true);
  });

  it('names periods: a whole month, one day, or the clipped days of a week or month', () => {
    expect(periodLabel({ periodStart: '2026-02-01', periodEnd: '2026-02-28' }, 'en-GB')).toBe('February 2026');
    expect(periodLabel({ periodStart: '2026-03-02', periodEnd: '2026-03-02' }, 'en-GB')).toBe('Mon, 2 Mar 2026');
    // ICU versions differ in the spaces around the dash.
    const plain = (text: string) => text.replace(/[\s\u2009\u202f]*–[\s\u2009\u202f]*/g, '–');
    expect(plain(periodLabel({ periodStart: '2026-03-02', periodEnd: '2026-03-08' }, 'en-GB'))).toBe('2–8 Mar 2026');
    expect(plain(periodLabel({ periodStart: '2026-03-01', periodEnd: '2026-03-18' }, 'en-GB'))).toBe('1–18 Mar 2026');
    expect(shortPeriodLabel({ periodStart: '2026-02-01', periodEnd: '2026-02-28' }, 'month', 'en-GB')).toBe('Feb 2026');
    expect(shortPeriodLabel({ periodStart: '2026-03-02', periodEnd: '2026-03-08' }, 'week', 'en-GB')).toBe('2 Mar');
  });
});
