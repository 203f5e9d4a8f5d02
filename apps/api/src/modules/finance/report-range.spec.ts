import { ReportRangeInverted, ReportRangeTooLong } from './finance.errors';
import { reportZone, resolveReportRange } from './report-range';

describe('report range', () => {
  const now = new Date('2026-03-01T02:30:00Z'); // still 28 Feb in New York

  it('defaults to a year of months ending today in the zone', () => {
    expect(resolveReportRange({}, 'UTC', now)).toEqual({ from: '2025-04-01', to: '2026-03-01', granularity: 'month' });
    expect(resolveReportRange({}, 'America/New_York', now)).toEqual({
      from: '2025-03-01',
      to: '2026-02-28',
      granularity: 'month',
    });
    expect(resolveReportRange({ to: '2026-01-15', granularity: 'week' }, 'UTC', now)).toEqual({
      from: '2025-02-01',
      to: '2026-01-15',
      granularity: 'week',
    });
  });

  it('takes explicit dates as they are, one day included', () => {
    expect(resolveReportRange({ from: '2026-02-10', to: '2026-02-10', granularity: 'day' }, 'UTC', now)).toEqual({
      from: '2026-02-10',
      to: '2026-02-10',
      granularity: 'day',
    });
  });

  it('refuses from after to, and more than two years', () => {
    expect(() => resolveReportRange({ from: '2026-02-11', to: '2026-02-10' }, 'UTC', now)).toThrow(ReportRangeInverted);
    expect(() => resolveReportRange({ from: '2027-01-01' }, 'UTC', now)).toThrow(ReportRangeInverted);
    expect(resolveReportRange({ from: '2024-02-29', to: '2026-02-28' }, 'UTC', now).from).toBe('2024-02-29');
    expect(() => resolveReportRange({ from: '2024-02-29', to: '2026-03-01' }, 'UTC', now)).toThrow(ReportRangeTooLong);
    expect(() => resolveReportRange({ from: '2020-01-01' }, 'UTC', now)).toThrow(ReportRangeTooLong);
  });

  it('reads an unknown or missing zone as UTC', () => {
    expect(reportZone('Europe/Warsaw')).toBe('Europe/Warsaw');
    expect(reportZone('Mars/Olympus')).toBe('UTC');
    expect(reportZone(null)).toBe('UTC');
  });
});
