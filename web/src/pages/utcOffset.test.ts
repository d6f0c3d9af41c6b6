import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../i18n/translate';
import { formatUtcOffset, utcOffsetLabel, utcOffsetOptions } from './utcOffset';

describe('UTC offsets', () => {
  it('offers UTC−12 … UTC+14 in 30-minute steps', () => {
    const options = utcOffsetOptions();
    expect(options[0]).toBe(-720);
    expect(options.at(-1)).toBe(840);
    expect(options).toHaveLength(53);
    expect(options).toContain(180);
    expect(options).toContain(330);
  });

  it('keeps an off-grid current value selectable', () => {
    const options = utcOffsetOptions(345);
    expect(options).toContain(345);
    expect(options.indexOf(345)).toBe(options.indexOf(330) + 1);
    expect(utcOffsetOptions(180)).toHaveLength(53);
  });

  it('formats offsets with a real minus sign and minutes when needed', () => {
    expect(formatUtcOffset(180)).toBe('UTC+3');
    expect(formatUtcOffset(0)).toBe('UTC+0');
    expect(formatUtcOffset(-210)).toBe('UTC−3:30');
    expect(formatUtcOffset(345)).toBe('UTC+5:45');
    expect(formatUtcOffset(-720)).toBe('UTC−12');
    expect(utcOffsetLabel(180, makeTranslator('ru'))).toBe('UTC+3 — Москва, Санкт-Петербург');
    expect(utcOffsetLabel(300, makeTranslator('en'))).toBe('UTC+5 — Yekaterinburg, Astana, Almaty');
    expect(utcOffsetLabel(-60, makeTranslator('en'))).toBe('UTC−1');
  });
});
