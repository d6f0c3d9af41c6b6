import { describe, expect, it } from 'vitest';
import { levelProgressPercent, parseTags, validateAdjustment } from './logic';

describe('guest page rules', () => {
  it('computes progress between two thresholds', () => {
    expect(levelProgressPercent(0, 0, 1_000_000)).toBe(0);
    expect(levelProgressPercent(250_000, 0, 1_000_000)).toBe(25);
    expect(levelProgressPercent(3_000_000, 1_000_000, 5_000_000)).toBe(50);
    expect(levelProgressPercent(6_000_000, 1_000_000, 5_000_000)).toBe(100);
    expect(levelProgressPercent(10, 0, null)).toBe(100);
  });

  it('validates a manual adjustment', () => {
    expect(validateAdjustment(1, '500', ' welcome ')).toEqual({ ok: true, points: 500, reason: 'welcome' });
    expect(validateAdjustment(-1, '1 000', 'mistake')).toEqual({ ok: true, points: -1000, reason: 'mistake' });
    expect(validateAdjustment(1, '0', 'x')).toEqual({ ok: false, points: 'zero' });
    expect(validateAdjustment(1, '', '')).toEqual({ ok: false, points: 'empty', reason: 'reasonRequired' });
    expect(validateAdjustment(1, '-5', 'x')).toEqual({ ok: false, points: 'negative' });
    expect(validateAdjustment(1, '5', '  ')).toEqual({ ok: false, reason: 'reasonRequired' });
  });

  it('splits tags', () => {
    expect(parseTags('vip, birthday ,, vip')).toEqual(['vip', 'birthday']);
    expect(parseTags('')).toEqual([]);
  });
});
