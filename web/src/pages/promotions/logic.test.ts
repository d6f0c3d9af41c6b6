import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../../i18n/translate';
import {
  budgetProgress,
  datesText,
  describeRule,
  emptyPromotionForm,
  factorInputValue,
  formatIsoDate,
  formFromPromotion,
  hoursText,
  parseFactor,
  promotionStatus,
  ruleKind,
  SERVER_FIELD_TO_FORM,
  serverFieldsFor,
  validatePromotionForm,
  weekdaysText,
  type PromotionForm,
  type PromotionRule,
} from './logic';

const ru = makeTranslator('ru');
const en = makeTranslator('en');
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

const multiplier: PromotionRule = { __typename: 'MultiplierRule', factorPercent: 200, weekdays: ['FRI'], hours: { from: 18, to: 23 }, locationIds: ['a', 'b'] };

function form(patch: Partial<PromotionForm>): PromotionForm {
  return { ...emptyPromotionForm(patch.kind ?? 'MULTIPLIER'), name: 'Двойные баллы', ...patch };
}

describe('the multiplier factor (×N ↔ percent)', () => {
  it('parses ×N typed either way into an exact percent', () => {
    expect(parseFactor('2')).toEqual({ ok: true, value: 200 });
    expect(parseFactor('1,5')).toEqual({ ok: true, value: 150 });
    expect(parseFactor('1.5')).toEqual({ ok: true, value: 150 });
    expect(parseFactor('×1.25')).toEqual({ ok: true, value: 125 });
    expect(parseFactor('x3')).toEqual({ ok: true, value: 300 });
    expect(parseFactor(' 10 ')).toEqual({ ok: true, value: 1000 });
    expect(parseFactor('1,01')).toEqual({ ok: true, value: 101 });
  });

  it('refuses ×1, more than ×10, three decimals and garbage', () => {
    expect(parseFactor('1')).toEqual({ ok: false, error: 'range' });
    expect(parseFactor('0,5')).toEqual({ ok: false, error: 'range' });
    expect(parseFactor('10,01')).toEqual({ ok: false, error: 'range' });
    expect(parseFactor('99999999999999999')).toEqual({ ok: false, error: 'range' });
    expect(parseFactor('1,505')).toEqual({ ok: false, error: 'tooManyDecimals' });
    expect(parseFactor('')).toEqual({ ok: false, error: 'empty' });
    expect(parseFactor('два')).toEqual({ ok: false, error: 'invalid' });
    expect(parseFactor('-2')).toEqual({ ok: false, error: 'negative' });
  });

  it('shows a percent as ×N in the UI language', () => {
    expect(factorInputValue(200, 'ru')).toBe('2');
    expect(factorInputValue(150, 'ru')).toBe('1,5');
    expect(factorInputValue(150, 'en')).toBe('1.5');
    expect(factorInputValue(125, 'en')).toBe('1.25');
    expect(factorInputValue(1000, 'en')).toBe('10');
    expect(factorInputValue(101, 'ru')).toBe('1,01');
  });
});

describe('form → PromotionInput (@oneOf: exactly one kind)', () => {
  it('builds a multiplier from ×1.5, sorted weekdays, hours and locations', () => {
    const r = validatePromotionForm(
      form({ factor: '1,5', weekdays: ['SUN', 'FRI', 'SAT'], hoursLimited: true, hoursFrom: '22', hoursTo: '2', locationIds: ['l1', 'l2', 'l1'], budget: '5 000' }),
    );
    expect(r).toEqual({
      ok: true,
      input: {
        name: 'Двойные баллы',
        rule: { multiplier: { factorPercent: 150, weekdays: ['FRI', 'SAT', 'SUN'], hours: { from: 22, to: 2 }, locationIds: ['l1', 'l2'] } },
        startsOn: null,
        endsOn: null,
        budget: 5000,
      },
    });
  });

  it('sends no hours when the range is off, and only the chosen kind', () => {
    const r = validatePromotionForm(form({ factor: '2', hoursLimited: false, points: 'junk', referrerPoints: 'junk' }));
    expect(r.ok && r.input.rule).toEqual({ multiplier: { factorPercent: 200, weekdays: [], hours: null, locationIds: [] } });
  });

  it('builds welcome, birthday and referral rules', () => {
    const welcome = validatePromotionForm(form({ kind: 'WELCOME', points: '100', startsOn: '2026-12-01', endsOn: '2026-12-31' }));
    expect(welcome).toEqual({
      ok: true,
      input: { name: 'Двойные баллы', rule: { welcome: { points: 100 } }, startsOn: '2026-12-01', endsOn: '2026-12-31', budget: null },
    });
    const birthday = validatePromotionForm(form({ kind: 'BIRTHDAY', points: '500', daysBefore: '7', daysAfter: '0' }));
    expect(birthday.ok && birthday.input.rule).toEqual({ birthday: { points: 500, daysBefore: 7, daysAfter: 0 } });
    const referral = validatePromotionForm(form({ kind: 'REFERRAL', referrerPoints: '200', refereePoints: '1 000' }));
    expect(referral.ok && referral.input.rule).toEqual({ referral: { referrerPoints: 200, refereePoints: 1000 } });
  });

  it('reports every bad input under its field', () => {
    const r = validatePromotionForm(
      form({ name: '  ', factor: '1', hoursLimited: true, hoursFrom: '5', hoursTo: '5', startsOn: '2026-12-31', endsOn: '2026-12-01', budget: '0' }),
    );
    expect(r).toEqual({
      ok: false,
      errors: {
        name: { key: 'common.required' },
        factor: { key: 'promotions.error.factorRange' },
        hours: { key: 'promotions.error.hoursSame' },
        endsOn: { key: 'promotions.error.endsBeforeStarts' },
        budget: { key: 'promotions.error.budgetRange' },
      },
    });
    const b = validatePromotionForm(form({ kind: 'BIRTHDAY', points: '0', daysBefore: '31', daysAfter: '1,5' }));
    expect(b.ok ? null : b.errors).toEqual({
      points: { key: 'promotions.error.pointsRange' },
      daysBefore: { key: 'promotions.error.daysRange' },
      daysAfter: { key: 'input.invalidNumber' },
    });
    const w = validatePromotionForm(form({ kind: 'WELCOME', points: '' }));
    expect(w.ok ? null : w.errors).toEqual({ points: { key: 'common.required' } });
    const p = validatePromotionForm(form({ kind: 'REFERRAL', referrerPoints: '1000001', refereePoints: '-5' }));
    expect(p.ok ? null : p.errors).toEqual({ referrerPoints: { key: 'promotions.error.pointsRange' }, refereePoints: { key: 'input.negative' } });
  });

  it('maps server field names onto form inputs', () => {
    expect(SERVER_FIELD_TO_FORM.factorPercent).toBe('factor');
    expect(serverFieldsFor('locations').sort()).toEqual(['locationIds', 'locations']);
    expect(serverFieldsFor('kind')).toEqual(['rule']);
    expect(serverFieldsFor('budget')).toEqual(['budget']);
  });
});

describe('rule → form (editing keeps the kind)', () => {
  it('round-trips every kind', () => {
    const base = { name: 'X', startsOn: '2026-01-01', endsOn: null, budget: 300 };
    const m = formFromPromotion({ ...base, rule: { ...multiplier, factorPercent: 150, weekdays: ['SUN', 'MON'] } }, 'ru');
    expect(m).toMatchObject({ kind: 'MULTIPLIER', factor: '1,5', weekdays: ['MON', 'SUN'], hoursLimited: true, hoursFrom: '18', hoursTo: '23', locationIds: ['a', 'b'], budget: '300', startsOn: '2026-01-01', endsOn: '' });
    const again = validatePromotionForm(m);
    expect(again.ok && again.input).toEqual({
      name: 'X',
      rule: { multiplier: { factorPercent: 150, weekdays: ['MON', 'SUN'], hours: { from: 18, to: 23 }, locationIds: ['a', 'b'] } },
      startsOn: '2026-01-01',
      endsOn: null,
      budget: 300,
    });
    const allDay = formFromPromotion({ ...base, budget: null, rule: { ...multiplier, hours: null } }, 'en');
    expect(allDay).toMatchObject({ hoursLimited: false, factor: '2', budget: '' });
    expect(formFromPromotion({ ...base, rule: { __typename: 'WelcomeRule', points: 50 } }, 'ru')).toMatchObject({ kind: 'WELCOME', points: '50' });
    expect(formFromPromotion({ ...base, rule: { __typename: 'BirthdayRule', points: 5, daysBefore: 1, daysAfter: 2 } }, 'ru')).toMatchObject({
      kind: 'BIRTHDAY',
      points: '5',
      daysBefore: '1',
      daysAfter: '2',
    });
    expect(formFromPromotion({ ...base, rule: { __typename: 'ReferralRule', referrerPoints: 7, refereePoints: 8 } }, 'ru')).toMatchObject({
      kind: 'REFERRAL',
      referrerPoints: '7',
      refereePoints: '8',
    });
    expect(ruleKind({ __typename: 'ReferralRule', referrerPoints: 1, refereePoints: 1 })).toBe('REFERRAL');
  });
});

describe('the rule in words', () => {
  it('describes a multiplier: factor, days, hours, locations', () => {
    expect(describeRule(multiplier, en, 'en')).toBe('×2 Fri 18:00–23:00 at 2 locations');
    expect(describeRule(multiplier, ru, 'ru')).toBe('×2 Пт 18:00–23:00 в 2 точках');
    expect(describeRule({ ...multiplier, factorPercent: 150, weekdays: [], hours: null, locationIds: [] }, ru, 'ru')).toBe('×1,5 каждый день');
    const names = new Map([['a', 'Тверская, 1']]);
    expect(describeRule({ ...multiplier, locationIds: ['a'] }, ru, 'ru', names)).toBe('×2 Пт 18:00–23:00 в точке «Тверская, 1»');
    expect(describeRule({ ...multiplier, locationIds: ['zzz'] }, ru, 'ru', names)).toBe('×2 Пт 18:00–23:00 в 1 точке');
    expect(describeRule({ ...multiplier, locationIds: Array.from({ length: 5 }, (_, i) => `l${i}`) }, en, 'en')).toBe('×2 Fri 18:00–23:00 at 5 locations');
  });

  it('groups weekdays into ranges', () => {
    expect(weekdaysText(['MON', 'TUE', 'WED', 'THU', 'FRI'], ru)).toBe('Пн–Пт');
    expect(weekdaysText(['SAT', 'SUN'], en)).toBe('Sat, Sun');
    expect(weekdaysText(['FRI', 'MON', 'WED', 'TUE'], en)).toBe('Mon–Wed, Fri');
    expect(weekdaysText([], en)).toBeNull();
    expect(weekdaysText(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], en)).toBeNull();
    expect(hoursText({ from: 22, to: 2 })).toBe('22:00–02:00');
    expect(hoursText({ from: 0, to: 24 })).toBe('00:00–24:00');
    expect(hoursText(null)).toBeNull();
  });

  it('describes the other kinds with points', () => {
    expect(describeRule({ __typename: 'WelcomeRule', points: 100 }, ru, 'ru')).toBe('+100 баллов при регистрации');
    expect(describeRule({ __typename: 'WelcomeRule', points: 1 }, en, 'en')).toBe('+1 point on sign-up');
    expect(describeRule({ __typename: 'BirthdayRule', points: 500, daysBefore: 3, daysAfter: 7 }, ru, 'ru')).toBe(
      '+500 баллов на день рождения: за 3 дн. до и 7 дн. после',
    );
    expect(describeRule({ __typename: 'BirthdayRule', points: 2, daysBefore: 0, daysAfter: 0 }, ru, 'ru')).toBe('+2 балла в день рождения');
    expect(nbsp(describeRule({ __typename: 'ReferralRule', referrerPoints: 1000, refereePoints: 21 }, ru, 'ru'))).toBe(
      '+1 000 баллов пригласившему, +21 балл другу',
    );
  });
});

describe('dates and status', () => {
  it('formats calendar dates without shifting them by the time zone', () => {
    expect(formatIsoDate('2026-01-01', 'en')).toBe('1 Jan 2026');
    expect(formatIsoDate('2026-12-31', 'en', { day: 'numeric', month: 'long' })).toBe('31 December');
    expect(formatIsoDate('2026-05-17', 'ru', { day: 'numeric', month: 'long' })).toBe('17 мая');
    expect(formatIsoDate('not a date', 'ru')).toBe('not a date');
    expect(datesText('2026-12-01', '2026-12-31', en, 'en')).toBe('1 Dec 2026 – 31 Dec 2026');
    expect(datesText(null, '2026-12-31', en, 'en')).toBe('until 31 Dec 2026');
    expect(datesText('2026-12-01', null, en, 'en')).toBe('from 1 Dec 2026');
    expect(datesText(null, null, ru, 'ru')).toBe('Бессрочно');
  });

  it('tells running, scheduled, ended and archived apart', () => {
    const p = { archived: false, startsOn: '2026-12-01', endsOn: '2026-12-31' };
    expect(promotionStatus(p, '2026-11-30')).toBe('scheduled');
    expect(promotionStatus(p, '2026-12-01')).toBe('active');
    expect(promotionStatus(p, '2026-12-31')).toBe('active');
    expect(promotionStatus(p, '2027-01-01')).toBe('ended');
    expect(promotionStatus({ ...p, archived: true }, '2026-12-10')).toBe('archived');
    expect(promotionStatus({ archived: false, startsOn: null, endsOn: null }, '2030-01-01')).toBe('active');
  });
});

describe('budget progress', () => {
  it('is granted / budget in whole percent, capped at 100', () => {
    expect(budgetProgress(30, 1000)).toEqual({ percent: 3, remaining: 970 });
    expect(budgetProgress(999, 1000)).toEqual({ percent: 99, remaining: 1 });
    expect(budgetProgress(1000, 1000)).toEqual({ percent: 100, remaining: 0 });
    expect(budgetProgress(1200, 1000)).toEqual({ percent: 100, remaining: 0 });
    expect(budgetProgress(0, 500)).toEqual({ percent: 0, remaining: 500 });
    expect(budgetProgress(10, null)).toBeNull();
  });
});
