import { intlLocale } from './i18n/translate';
import type { Locale } from './i18n/types';

/**
 * Money and other exact decimals. Amounts are integers in minor units (kopecks, tiyn):
 * input strings are parsed digit by digit (never `parseFloat(x) * 100`), and output is
 * formatted from an exact decimal string.
 */

export type Currency = 'RUB' | 'KZT';

/** Minor units per major unit: both currencies have 2 decimals (kopecks, tiyn). */
export const MINOR_DIGITS: Readonly<Record<Currency, number>> = { RUB: 2, KZT: 2 };

export type DecimalError = 'empty' | 'invalid' | 'tooManyDecimals' | 'negative' | 'tooLarge';
export type DecimalResult = { ok: true; value: number } | { ok: false; error: DecimalError };

/** Whitespace of any kind (incl. NBSP and the narrow NBSP that ru-RU formatting uses) and apostrophes as grouping. */
const GROUPING_CHARS = /[\s\u00a0\u202f\u2009'’]/g;
const CURRENCY_MARKS = /[₽₸]|\b(?:RUB|KZT)\b/gi;

function digitsOnly(s: string): boolean {
  return /^[0-9]*$/.test(s);
}

/** Groups after the first must have exactly 3 digits ("1.234.567"); the first 1–3. */
function validGrouping(groups: string[]): boolean {
  if (groups.length === 0) return false;
  const [head, ...rest] = groups;
  if (!head || head.length > 3 || !digitsOnly(head)) return false;
  return rest.every((g) => g.length === 3 && digitsOnly(g));
}

/**
 * Parses a decimal typed by a person into an integer scaled by 10^scale:
 * `parseDecimal("1 234,50", 2)` → 123450, `parseDecimal("5,25", 2)` → 525.
 *
 * - spaces (any kind) and apostrophes are grouping; `₽`, `₸`, `RUB`, `KZT` are ignored;
 * - with both `,` and `.` the last one is the decimal separator, the other groups thousands;
 * - one kind used once is the decimal separator (more than `scale` digits after it is an error);
 *   used several times it groups thousands ("1.234.567");
 * - with `scale` 0 every separator groups thousands ("1,000" → 1000; "1,5" is invalid).
 */
export function parseDecimal(raw: string, scale: number, options: { allowNegative?: boolean; max?: number } = {}): DecimalResult {
  let s = raw.replace(CURRENCY_MARKS, '').replace(GROUPING_CHARS, '');
  if (s === '') return { ok: false, error: 'empty' };
  let negative = false;
  if (/^[-−+]/.test(s)) {
    negative = s[0] !== '+';
    s = s.slice(1);
  }
  if (s === '' || !/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) return { ok: false, error: 'invalid' };

  let intPart: string;
  let fracPart = '';
  const hasComma = s.includes(',');
  const hasDot = s.includes('.');
  if (!hasComma && !hasDot) {
    intPart = s;
  } else if (scale === 0) {
    const groups = s.split(/[.,]/);
    if (!validGrouping(groups)) return { ok: false, error: 'invalid' };
    intPart = groups.join('');
  } else if (hasComma && hasDot) {
    const decimalSep = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.';
    const groupSep = decimalSep === ',' ? '.' : ',';
    const at = s.lastIndexOf(decimalSep);
    const whole = s.slice(0, at);
    fracPart = s.slice(at + 1);
    if (whole.includes(decimalSep) || !validGrouping(whole.split(groupSep)) || !digitsOnly(fracPart)) {
      return { ok: false, error: 'invalid' };
    }
    intPart = whole.split(groupSep).join('');
  } else {
    const sep = hasComma ? ',' : '.';
    const parts = s.split(sep);
    if (parts.length === 2) {
      intPart = parts[0] ?? '';
      fracPart = parts[1] ?? '';
    } else {
      if (!validGrouping(parts)) return { ok: false, error: 'invalid' };
      intPart = parts.join('');
    }
  }

  if (fracPart.length > scale) return { ok: false, error: 'tooManyDecimals' };
  const digits = ((intPart || '0') + fracPart.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return { ok: false, error: 'tooLarge' };
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return { ok: false, error: 'tooLarge' };
  if (options.max !== undefined && value > options.max) return { ok: false, error: 'tooLarge' };
  if (negative && value !== 0) {
    if (!options.allowNegative) return { ok: false, error: 'negative' };
    return { ok: true, value: -value };
  }
  return { ok: true, value };
}

/** A money amount typed by a person → minor units (see `parseDecimal`). Negative amounts are refused. */
export function parseMoney(raw: string, currency: Currency = 'RUB'): DecimalResult {
  return parseDecimal(raw, MINOR_DIGITS[currency]);
}

/** Whole points ("1 000", "1,000" → 1000); a sign is allowed only with `allowNegative`. */
export function parsePoints(raw: string, options: { allowNegative?: boolean } = {}): DecimalResult {
  return parseDecimal(raw, 0, options);
}

/** "5,25" / "5.25" / "5 %" → basis points (525). */
export function parsePercentToBp(raw: string): DecimalResult {
  const r = parseDecimal(raw.replace(/%/g, ''), 2);
  if (r.ok && r.value > 10_000) return { ok: false, error: 'tooLarge' };
  return r;
}

/** An integer scaled by 10^scale → an exact decimal string with a dot: (123450, 2) → "1234.50". */
export function scaledToDecimalString(value: number, scale: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.abs(value)).padStart(scale + 1, '0');
  if (scale === 0) return sign + digits;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(tag: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${tag}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(tag, options);
    formatters.set(key, f);
  }
  return f;
}

/** Intl.NumberFormat.format accepts exact decimal strings (Intl.NumberFormat v3). */
type ExactFormat = (value: number | bigint | string) => string;

/**
 * Formats minor units for the UI language: 123450 RUB → "1 234,50 ₽" (ru), "RUB 1,234.50" (en).
 * Whole amounts drop the decimals ("1 000 ₽") unless `fixed` is set.
 */
export function formatMoney(minor: number, currency: Currency, locale: Locale, options: { fixed?: boolean } = {}): string {
  const scale = MINOR_DIGITS[currency];
  const whole = minor % 10 ** scale === 0;
  const digits = whole && !options.fixed ? 0 : scale;
  const f = formatter(intlLocale(locale), {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return (f.format as ExactFormat)(scaledToDecimalString(minor, scale));
}

/** Minor units as an editable input value: 123450 → "1234,50" (ru) / "1234.50" (en); whole → "1234". */
export function moneyInputValue(minor: number, currency: Currency, locale: Locale): string {
  const scale = MINOR_DIGITS[currency];
  const s = scaledToDecimalString(minor, scale);
  const trimmed = s.endsWith('.' + '0'.repeat(scale)) ? s.slice(0, -(scale + 1)) : s;
  return locale === 'ru' ? trimmed.replace('.', ',') : trimmed;
}

/** Points with grouping: 12345 → "12 345". */
export function formatPoints(points: number, locale: Locale): string {
  return formatter(intlLocale(locale), { maximumFractionDigits: 0 }).format(points);
}

/** Signed points: 500 → "+500", -300 → "−300". */
export function formatSignedPoints(points: number, locale: Locale): string {
  const abs = formatPoints(Math.abs(points), locale);
  if (points > 0) return `+${abs}`;
  if (points < 0) return `−${abs}`;
  return abs;
}

/** Basis points as a percentage: 525 → "5,25 %" (ru), "5.25%" (en). */
export function formatBp(bp: number, locale: Locale): string {
  return (formatter(intlLocale(locale), { style: 'percent', maximumFractionDigits: 2 }).format as ExactFormat)(
    scaledToDecimalString(bp, 4),
  );
}

/** Basis points as an editable percent value: 525 → "5,25" (ru) / "5.25" (en); 300 → "3". */
export function bpInputValue(bp: number, locale: Locale): string {
  const s = scaledToDecimalString(bp, 2).replace(/\.?0+$/, '');
  return locale === 'ru' ? s.replace('.', ',') : s;
}
