/**
 * Money is always an integer amount of the currency's minor unit (cents for USD, yen for
 * JPY, fils for BHD) plus an ISO 4217 code. Floats never carry money; these helpers are the
 * only place where major units (what people type and read) meet minor units.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

const CURRENCY_CODE = /^[A-Z]{3}$/;
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Whether `value` is a usable minor-unit amount: a safe integer (no fractions, no overflow). */
export function isMinorUnits(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Throws a RangeError unless `value` is a safe integer amount of minor units. */
export function assertMinorUnits(value: number, label = 'amount'): void {
  if (!isMinorUnits(value)) {
    throw new RangeError(`${label} must be a safe integer number of minor units, got ${String(value)}`);
  }
}

/** Whether `code` is an upper-case ISO 4217 code the runtime's Intl data knows. */
export function isCurrencyCode(code: string): boolean {
  if (!CURRENCY_CODE.test(code)) return false;
  return Intl.supportedValuesOf('currency').includes(code);
}

function assertCurrency(currency: string): void {
  if (!isCurrencyCode(currency)) {
    throw new RangeError(`Unknown currency code: ${JSON.stringify(currency)}`);
  }
}

/** Number of minor-unit digits of a currency per ISO 4217 (USD 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  assertCurrency(currency);
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits as number;
}

/**
 * Converts a major-unit amount (`19.99` or `'19.99'`) to integer minor units (`1999`).
 * Exact: the value is parsed as a decimal string, never multiplied as a float. Throws a
 * RangeError when the amount has more precision than the currency allows (`1.005 USD`) or
 * does not fit in a safe integer, instead of silently rounding money.
 */
export function toMinorUnits(amountMajor: number | string, currency: string): number {
  const digits = currencyDigits(currency);
  const text = typeof amountMajor === 'number' ? numberToDecimal(amountMajor) : amountMajor.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(amountMajor)}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits && /[^0]/.test(fraction.slice(digits))) {
    throw new RangeError(`${currency} amounts have at most ${digits} decimal places, got ${text}`);
  }
  const minorText = whole + fraction.slice(0, digits).padEnd(digits, '0');
  const minor = Number(minorText) * (sign ? -1 : 1);
  assertMinorUnits(minor);
  return minor === 0 ? 0 : minor; // never -0
}

function numberToDecimal(value: number): string {
  const text = String(value);
  // Exponent notation only appears for |x| >= 1e21 or < 1e-6: out of range or too precise.
  if (!Number.isFinite(value) || /e/i.test(text)) {
    throw new RangeError(`Amount out of range or too precise: ${text}`);
  }
  return text;
}

/**
 * Exact decimal string of a minor-unit amount (`1999, 2` → `'19.99'`, `-5, 2` → `'-0.05'`).
 * Used for display and for APIs that take decimal strings (e.g. Intl).
 */
export function minorUnitsToDecimal(amountMinor: number, currency: string): string {
  assertMinorUnits(amountMinor);
  const digits = currencyDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = String(Math.abs(amountMinor));
  if (digits === 0) return sign + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * Converts minor units to a major-unit number (`1999` → `19.99`). For arithmetic-free
 * display only; keep computing in minor units.
 */
export function fromMinorUnits(amountMinor: number, currency: string): number {
  return Number(minorUnitsToDecimal(amountMinor, currency));
}

/**
 * Formats minor units for people, e.g. `formatMoney(1999, 'USD', 'en-US')` → `$19.99`,
 * `formatMoney(1999, 'EUR', 'de-DE')` → `19,99 €`. Always shows exactly the currency's
 * minor-unit digits. `locale` defaults to the runtime's locale.
 */
export function formatMoney(amountMinor: number, currency: string, locale?: string | string[]): string {
  const digits = currencyDigits(currency);
  const formatter = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // A decimal string keeps large amounts exact (Intl.NumberFormat v3 formats strings as decimals).
  return formatter.format(minorUnitsToDecimal(amountMinor, currency) as `${number}`);
}
