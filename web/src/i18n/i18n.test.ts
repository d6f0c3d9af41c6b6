import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ru } from './ru';
import { dictionaries, interpolate, isMessageKey, readLocaleChoice, readStoredLocale, translate, LOCALE_STORAGE_KEY } from './translate';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n dictionaries', () => {
  it('ru and en have exactly the same keys', () => {
    const ruKeys = Object.keys(ru).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys).toEqual(ruKeys);
    expect(ruKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys.filter((k) => !(k in ru))).toEqual([]);
  });

  it('has no empty translations', () => {
    for (const [locale, dict] of Object.entries(dictionaries)) {
      const empty = Object.entries(dict).filter(([, v]) => v.trim() === '').map(([k]) => k);
      expect(empty, `empty strings in ${locale}`).toEqual([]);
    }
  });

  it('uses the same {placeholders} in both languages', () => {
    const mismatched = Object.keys(ru).filter(
      (k) => placeholders(ru[k as keyof typeof ru]).join() !== placeholders(en[k as keyof typeof en]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('covers every role, invitation status, currency and server error code', () => {
    for (const role of ['OWNER', 'ADMIN', 'MANAGER', 'CASHIER']) expect(isMessageKey(`role.${role}`)).toBe(true);
    for (const s of ['PENDING', 'ACCEPTED', 'REVOKED', 'EXPIRED']) expect(isMessageKey(`invitationStatus.${s}`)).toBe(true);
    for (const c of ['RUB', 'KZT']) expect(isMessageKey(`currency.${c}`)).toBe(true);
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION', 'CONFLICT', 'RATE_LIMITED', 'INTERNAL']) {
      expect(isMessageKey(`error.${code}`)).toBe(true);
    }
  });

  it('covers every ledger entry kind, spend basis and cashier step', () => {
    const kinds = ['ACCRUAL', 'REDEMPTION', 'HOLD', 'HOLD_CAPTURE', 'HOLD_VOID', 'ADJUSTMENT', 'PROMOTION_BONUS', 'EXPIRY', 'REVERSAL'];
    for (const k of kinds) expect(isMessageKey(`ledger.kind.${k}`)).toBe(true);
    for (const b of ['LIFETIME', 'ROLLING_365']) expect(isMessageKey(`spendBasis.${b}`)).toBe(true);
    for (const s of ['search', 'register', 'check', 'receipt']) expect(isMessageKey(`cashier.keys.${s}`)).toBe(true);
  });
});

describe('translate', () => {
  it('translates into the chosen language with parameters', () => {
    expect(translate('ru', 'home.welcome', { name: 'Анна' })).toBe('Добро пожаловать, Анна!');
    expect(translate('en', 'home.welcome', { name: 'Anna' })).toBe('Welcome, Anna!');
    expect(translate('en', 'nav.staff')).toBe('Staff');
    expect(translate('ru', 'nav.staff')).toBe('Сотрудники');
  });

  it('leaves unknown placeholders untouched', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('defaults to Russian and reads a stored language', () => {
    expect(readStoredLocale(undefined)).toBe('ru');
    expect(readStoredLocale({ getItem: () => null })).toBe('ru');
    expect(readStoredLocale({ getItem: () => 'de' })).toBe('ru');
    expect(readStoredLocale({ getItem: (k) => (k === LOCALE_STORAGE_KEY ? 'en' : null) })).toBe('en');
    expect(
      readStoredLocale({
        getItem: () => {
          throw new Error('denied');
        },
      }),
    ).toBe('ru');
  });

  it('tells an explicit choice apart from the default', () => {
    expect(readLocaleChoice(undefined)).toBeNull();
    expect(readLocaleChoice({ getItem: () => null })).toBeNull();
    expect(readLocaleChoice({ getItem: () => 'de' })).toBeNull();
    expect(readLocaleChoice({ getItem: () => 'ru' })).toBe('ru');
    expect(readLocaleChoice({ getItem: (k) => (k === LOCALE_STORAGE_KEY ? 'en' : null) })).toBe('en');
    expect(
      readLocaleChoice({
        getItem: () => {
          throw new Error('denied');
        },
      }),
    ).toBeNull();
  });
});
