import {
  assertMinorUnits,
  currencyDigits,
  formatMoney,
  fromMinorUnits,
  isCurrencyCode,
  isMinorUnits,
  minorUnitsToDecimal,
  toMinorUnits,
} from './money';

// Intl output uses narrow/no-break spaces in some locales; compare on normal spaces.
const normalizeSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('minor-unit validation', () => {
  it('accepts safe integers only', () => {
    expect(isMinorUnits(0)).toBe(true);
    expect(isMinorUnits(-1999)).toBe(true);
    expect(isMinorUnits(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(isMinorUnits(19.99)).toBe(false);
    expect(isMinorUnits(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
    expect(isMinorUnits(Number.NaN)).toBe(false);
    expect(isMinorUnits('1999')).toBe(false);
  });

  it('assertMinorUnits names the offending field', () => {
    expect(() => assertMinorUnits(1.5, 'price')).toThrow(/price must be a safe integer/);
    expect(() => assertMinorUnits(150)).not.toThrow();
  });
});

describe('currencies', () => {
  it('knows ISO 4217 minor-unit digits', () => {
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('BHD')).toBe(3);
  });

  it('rejects malformed or unknown codes', () => {
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('US')).toBe(false);
    expect(isCurrencyCode('ZZZ')).toBe(false);
    expect(() => currencyDigits('usd')).toThrow(RangeError);
  });
});

describe('toMinorUnits', () => {
  it('converts exactly, without float drift', () => {
    expect(toMinorUnits(19.99, 'USD')).toBe(1999);
    expect(toMinorUnits('0.29', 'USD')).toBe(29); // 0.29 * 100 = 28.999999999999996 in floats
    expect(toMinorUnits(1.1, 'EUR')).toBe(110);
    expect(toMinorUnits('-0.05', 'USD')).toBe(-5);
    expect(toMinorUnits(500, 'JPY')).toBe(500);
    expect(toMinorUnits('1.234', 'BHD')).toBe(1234);
    expect(toMinorUnits('12.50', 'USD')).toBe(1250);
    expect(toMinorUnits('12.500', 'USD')).toBe(1250);
    expect(Object.is(toMinorUnits('-0', 'USD'), 0)).toBe(true);
  });

  it('refuses to round money silently', () => {
    expect(() => toMinorUnits(1.005, 'USD')).toThrow(/at most 2 decimal places/);
    expect(() => toMinorUnits('10.5', 'JPY')).toThrow(/at most 0 decimal places/);
  });

  it('rejects non-decimal input and amounts beyond safe integers', () => {
    expect(() => toMinorUnits('abc', 'USD')).toThrow(RangeError);
    expect(() => toMinorUnits('1e3', 'USD')).toThrow(RangeError);
    expect(() => toMinorUnits(Number.NaN, 'USD')).toThrow(RangeError);
    expect(() => toMinorUnits(Infinity, 'USD')).toThrow(RangeError);
    expect(() => toMinorUnits(1e21, 'USD')).toThrow(RangeError);
    expect(() => toMinorUnits('90071992547409.92', 'USD')).toThrow(/safe integer/);
  });
});

describe('fromMinorUnits / minorUnitsToDecimal', () => {
  it('round-trips with toMinorUnits', () => {
    for (const [amount, currency] of [
      [1999, 'USD'],
      [-5, 'USD'],
      [0, 'EUR'],
      [500, 'JPY'],
      [1234, 'BHD'],
      [Number.MAX_SAFE_INTEGER, 'USD'],
    ] as const) {
      expect(toMinorUnits(minorUnitsToDecimal(amount, currency), currency)).toBe(amount);
    }
  });

  it('produces exact decimal strings and numbers', () => {
    expect(minorUnitsToDecimal(1999, 'USD')).toBe('19.99');
    expect(minorUnitsToDecimal(-5, 'USD')).toBe('-0.05');
    expect(minorUnitsToDecimal(7, 'BHD')).toBe('0.007');
    expect(minorUnitsToDecimal(500, 'JPY')).toBe('500');
    expect(fromMinorUnits(1999, 'USD')).toBe(19.99);
  });

  it('rejects fractional minor units', () => {
    expect(() => fromMinorUnits(19.5, 'USD')).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('formats with the currency symbol and its minor-unit digits', () => {
    expect(formatMoney(1999, 'USD', 'en-US')).toBe('$19.99');
    expect(formatMoney(100000, 'USD', 'en-US')).toBe('$1,000.00');
    expect(normalizeSpaces(formatMoney(1999, 'EUR', 'de-DE'))).toBe('19,99 €');
    expect(formatMoney(500, 'JPY', 'en-US')).toBe('¥500');
    expect(normalizeSpaces(formatMoney(1234, 'BHD', 'en-US'))).toBe('BHD 1.234');
    expect(formatMoney(-250, 'USD', 'en-US')).toBe('-$2.50');
  });

  it('stays exact for the largest safe amounts', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('rejects invalid amounts rather than formatting garbage', () => {
    expect(() => formatMoney(19.99, 'USD', 'en-US')).toThrow(RangeError);
  });
});
