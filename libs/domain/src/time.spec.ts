import { canonicalTimeZone, formatInTimeZone, isValidTimeZone } from './time';

describe('isValidTimeZone', () => {
  it('accepts IANA zone names', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
  });

  it('rejects unknown names, offsets and empty input', () => {
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('+02:00')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('   ')).toBe(false);
  });
});

describe('canonicalTimeZone', () => {
  it('normalises spelling', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
  });

  it('throws on unknown zones', () => {
    expect(() => canonicalTimeZone('Nowhere/Land')).toThrow(RangeError);
  });
});

describe('formatInTimeZone', () => {
  const instant = '2025-03-30T00:30:00Z'; // the night Europe/Paris moves to summer time

  it('shows the wall-clock time of the given zone', () => {
    const opts: Intl.DateTimeFormatOptions = {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    };
    expect(formatInTimeZone(instant, 'UTC', 'en-GB', opts)).toBe('00:30');
    expect(formatInTimeZone(instant, 'Europe/Paris', 'en-GB', opts)).toBe('01:30');
    expect(formatInTimeZone('2025-03-30T01:30:00Z', 'Europe/Paris', 'en-GB', opts)).toBe('03:30');
  });

  it('rejects invalid dates and zones', () => {
    expect(() => formatInTimeZone('not a date', 'UTC')).toThrow(RangeError);
    expect(() => formatInTimeZone(instant, 'Nowhere/Land')).toThrow(RangeError);
  });
});
