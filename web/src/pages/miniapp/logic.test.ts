import { describe, expect, it } from 'vitest';
import { makeTranslator, translate } from '../../i18n/translate';
import { balanceGain, clampPercent, formatCardCode, formatMinorPlain, ledgerKindKey, pluralForm, pointsKey, pointsToastText } from './logic';

describe('balanceGain (the toast)', () => {
  it('reports only a rise against a known balance', () => {
    expect(balanceGain(0, 30)).toBe(30);
    expect(balanceGain(100, 121)).toBe(21);
    expect(balanceGain(100, 100)).toBeNull();
    expect(balanceGain(500, 200)).toBeNull();
    expect(balanceGain(null, 30)).toBeNull();
    expect(balanceGain(undefined, 30)).toBeNull();
  });

  it('reads "+N баллов" with the right plural', () => {
    const toast = (n: number, locale: 'ru' | 'en') => translate(locale, 'miniapp.toast', { points: n, word: translate(locale, pointsKey(n, locale)) });
    expect(toast(30, 'ru')).toBe('+30 баллов');
    expect(toast(21, 'ru')).toBe('+21 балл');
    expect(toast(3, 'ru')).toBe('+3 балла');
    expect(toast(12, 'ru')).toBe('+12 баллов');
    expect(toast(1, 'en')).toBe('+1 point');
    expect(toast(30, 'en')).toBe('+30 points');
    expect(pluralForm(111, 'ru')).toBe('many');
    expect(pluralForm(22, 'ru')).toBe('few');
  });

  it('builds the toast text with the points formatted for the language', () => {
    expect(pointsToastText(30, 'ru', makeTranslator('ru'))).toBe('+30 баллов');
    expect(pointsToastText(1, 'ru', makeTranslator('ru'))).toBe('+1 балл');
    expect(pointsToastText(1500, 'ru', makeTranslator('ru')).replace(/\s/g, ' ')).toBe('+1 500 баллов');
    expect(pointsToastText(1, 'en', makeTranslator('en'))).toBe('+1 point');
    expect(pointsToastText(1500, 'en', makeTranslator('en'))).toBe('+1,500 points');
  });
});

describe('ledger kind labels', () => {
  it('labels every kind in both languages', () => {
    expect(translate('ru', ledgerKindKey('ACCRUAL'))).toBe('Начисление');
    expect(translate('ru', ledgerKindKey('REDEMPTION'))).toBe('Списание');
    expect(translate('en', ledgerKindKey('ACCRUAL'))).toBe('Earned');
    expect(translate('ru', ledgerKindKey('EXPIRY'))).toBe('Сгорание');
    for (const k of ['HOLD', 'HOLD_CAPTURE', 'HOLD_VOID', 'ADJUSTMENT', 'PROMOTION_BONUS', 'REVERSAL']) {
      expect(ledgerKindKey(k)).toBe(`miniapp.kind.${k}`);
    }
    expect(ledgerKindKey('SOMETHING_NEW')).toBe('miniapp.kind.OTHER');
  });
});

describe('formatting', () => {
  it('formats the missing spend with 2 decimals, card codes and percents', () => {
    expect(formatMinorPlain(1000000, 'en')).toBe('10,000.00');
    expect(formatMinorPlain(1050, 'ru').replace(/\s/g, ' ')).toBe('10,50');
    expect(formatCardCode('abcd1234')).toBe('ABCD-1234');
    expect(formatCardCode('ABCD-1234')).toBe('ABCD-1234');
    expect(clampPercent(140)).toBe(100);
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(Number.NaN)).toBe(0);
  });
});
