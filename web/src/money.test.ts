import { describe, expect, it } from 'vitest';
import {
  bpInputValue,
  formatBp,
  formatMoney,
  formatPoints,
  formatSignedPoints,
  moneyInputValue,
  parseDecimal,
  parseMoney,
  parsePercentToBp,
  parsePoints,
  scaledToDecimalString,
} from './money';

const ok = (value: number) => ({ ok: true, value });
const err = (error: string) => ({ ok: false, error });
/** Intl uses NBSP / narrow NBSP between groups and before the symbol: compare with plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('parseMoney: typed amounts → minor units, exactly', () => {
  it('accepts Russian and English notations', () => {
    expect(parseMoney('1 234,50')).toEqual(ok(123450));
    expect(parseMoney('1234.50')).toEqual(ok(123450));
    expect(parseMoney('1234,5')).toEqual(ok(123450));
    expect(parseMoney('1234')).toEqual(ok(123400));
    expect(parseMoney('1\u00a0234,50')).toEqual(ok(123450));
    expect(parseMoney('1\u202f234,50 ₽')).toEqual(ok(123450));
    expect(parseMoney('1,234.50')).toEqual(ok(123450));
    expect(parseMoney('1.234,50')).toEqual(ok(123450));
    expect(parseMoney('1.234.567')).toEqual(ok(123456700));
    expect(parseMoney('1 234 567,89 KZT', 'KZT')).toEqual(ok(123456789));
    expect(parseMoney("1'234.5")).toEqual(ok(123450));
    expect(parseMoney('  7 ')).toEqual(ok(700));
    expect(parseMoney('0,01')).toEqual(ok(1));
    expect(parseMoney(',5')).toEqual(ok(50));
    expect(parseMoney('12.')).toEqual(ok(1200));
    expect(parseMoney('007,10')).toEqual(ok(710));
  });

  it('has no floating point rounding errors', () => {
    // 0.29 * 100 = 28.999999999999996, 1.005 * 100 = 100.49999999999999 in floats
    expect(parseMoney('0.29')).toEqual(ok(29));
    expect(parseMoney('1,15')).toEqual(ok(115));
    expect(parseMoney('4.35')).toEqual(ok(435));
    expect(parseMoney('19 999 999,99')).toEqual(ok(1999999999));
    expect(parseMoney('9 007 199 254 740,99')).toEqual(ok(900719925474099));
  });

  it('refuses what is not an amount', () => {
    expect(parseMoney('')).toEqual(err('empty'));
    expect(parseMoney('   ')).toEqual(err('empty'));
    expect(parseMoney('abc')).toEqual(err('invalid'));
    expect(parseMoney('12a')).toEqual(err('invalid'));
    expect(parseMoney('1,2,3')).toEqual(err('invalid')); // several separators must group by 3
    expect(parseMoney('1.23,4.5')).toEqual(err('invalid'));
    expect(parseMoney('12,345,6')).toEqual(err('invalid'));
    expect(parseMoney('.')).toEqual(err('invalid'));
    expect(parseMoney('1e5')).toEqual(err('invalid'));
    expect(parseMoney('1,234')).toEqual(err('tooManyDecimals')); // one comma = decimal separator
    expect(parseMoney('0.001')).toEqual(err('tooManyDecimals'));
    expect(parseMoney('-5')).toEqual(err('negative'));
    expect(parseMoney('−5,00')).toEqual(err('negative'));
    expect(parseMoney('99999999999999999')).toEqual(err('tooLarge'));
  });

  it('zero is an amount (the caller decides whether it is allowed)', () => {
    expect(parseMoney('0')).toEqual(ok(0));
    expect(parseMoney('-0')).toEqual(ok(0));
  });
});

describe('parsePoints and percentages', () => {
  it('reads whole points with grouping', () => {
    expect(parsePoints('1 000')).toEqual(ok(1000));
    expect(parsePoints('1,000')).toEqual(ok(1000));
    expect(parsePoints('1.000.000')).toEqual(ok(1000000));
    expect(parsePoints('0')).toEqual(ok(0));
    expect(parsePoints('1,5')).toEqual(err('invalid'));
    expect(parsePoints('-5')).toEqual(err('negative'));
    expect(parsePoints('-5', { allowNegative: true })).toEqual(ok(-5));
    expect(parsePoints('+500', { allowNegative: true })).toEqual(ok(500));
  });

  it('reads percentages into basis points', () => {
    expect(parsePercentToBp('5')).toEqual(ok(500));
    expect(parsePercentToBp('5,25')).toEqual(ok(525));
    expect(parsePercentToBp('0.5 %')).toEqual(ok(50));
    expect(parsePercentToBp('100')).toEqual(ok(10000));
    expect(parsePercentToBp('100,01')).toEqual(err('tooLarge'));
    expect(parsePercentToBp('3,333')).toEqual(err('tooManyDecimals'));
    expect(parseDecimal('12', 2, { max: 1000 })).toEqual(err('tooLarge'));
  });
});

describe('formatting', () => {
  it('builds exact decimal strings', () => {
    expect(scaledToDecimalString(123450, 2)).toBe('1234.50');
    expect(scaledToDecimalString(5, 2)).toBe('0.05');
    expect(scaledToDecimalString(-5, 2)).toBe('-0.05');
    expect(scaledToDecimalString(525, 4)).toBe('0.0525');
    expect(scaledToDecimalString(7, 0)).toBe('7');
  });

  it('formats money for the UI language', () => {
    expect(plain(formatMoney(123450, 'RUB', 'ru'))).toBe('1 234,50 ₽');
    expect(plain(formatMoney(100000, 'RUB', 'ru'))).toBe('1 000 ₽');
    expect(plain(formatMoney(100000, 'RUB', 'ru', { fixed: true }))).toBe('1 000,00 ₽');
    expect(plain(formatMoney(123450, 'KZT', 'ru'))).toBe('1 234,50 ₸');
    expect(formatMoney(123450, 'RUB', 'en')).toBe('₽1,234.50');
    expect(formatMoney(5, 'RUB', 'en')).toBe('₽0.05');
    // beyond float precision of /100: still exact
    expect(plain(formatMoney(900719925474099, 'RUB', 'ru'))).toBe('9 007 199 254 740,99 ₽');
  });

  it('round-trips input values', () => {
    for (const minor of [0, 1, 29, 115, 123450, 100000, 1999999999]) {
      expect(parseMoney(moneyInputValue(minor, 'RUB', 'ru'))).toEqual(ok(minor));
      expect(parseMoney(moneyInputValue(minor, 'RUB', 'en'))).toEqual(ok(minor));
      expect(parseMoney(formatMoney(minor, 'RUB', 'ru'))).toEqual(ok(minor));
    }
    expect(moneyInputValue(123450, 'RUB', 'ru')).toBe('1234,50');
    expect(moneyInputValue(100000, 'RUB', 'en')).toBe('1000');
  });

  it('formats points and percentages', () => {
    expect(plain(formatPoints(12345, 'ru'))).toBe('12 345');
    expect(formatPoints(12345, 'en')).toBe('12,345');
    expect(formatSignedPoints(500, 'en')).toBe('+500');
    expect(formatSignedPoints(-300, 'en')).toBe('−300');
    expect(plain(formatBp(525, 'ru'))).toBe('5,25 %');
    expect(formatBp(300, 'en')).toBe('3%');
    expect(bpInputValue(525, 'ru')).toBe('5,25');
    expect(bpInputValue(300, 'en')).toBe('3');
    expect(bpInputValue(1000, 'en')).toBe('10');
    expect(bpInputValue(550, 'en')).toBe('5.5');
    expect(bpInputValue(0, 'en')).toBe('0');
  });
});
