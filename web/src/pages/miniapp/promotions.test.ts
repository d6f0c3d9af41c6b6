import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../../i18n/translate';
import { resolveBotUsername } from './launchParams';
import { promotionCard, referralLink, referralStartParam, type GuestPromotion } from './promotions';

const ru = makeTranslator('ru');
const en = makeTranslator('en');
const base = { id: 'p1', name: 'Акция', startsOn: null, endsOn: null, windowStartsOn: null, windowEndsOn: null, granted: false };
const ctx = { t: ru, locale: 'ru' as const, today: '2026-11-21', hasBirthday: false, cardCode: 'ABCD-EFGH', botUsername: null };

describe('referral link', () => {
  it('names the inviter by card code in the start parameter', () => {
    expect(referralStartParam('abcd-efgh')).toBe('ref_ABCDEFGH');
    expect(referralLink('cafe_bot', 'ABCD-EFGH')).toBe('https://t.me/cafe_bot?startapp=ref_ABCDEFGH');
  });

  it('takes the bot username from ?bot= only when it looks like one', () => {
    expect(resolveBotUsername('?tenant=x&bot=cafe_bot')).toBe('cafe_bot');
    expect(resolveBotUsername('?bot=@CafeBot')).toBe('CafeBot');
    expect(resolveBotUsername('?bot=a b')).toBeNull();
    expect(resolveBotUsername('?bot=ab')).toBeNull();
    expect(resolveBotUsername('?bot=https://evil')).toBeNull();
    expect(resolveBotUsername('')).toBeNull();
  });
});

describe('promotion cards in the Mini App', () => {
  it('referral: the link when the bot is known, else the card code', () => {
    const p: GuestPromotion = { ...base, kind: 'REFERRAL', rule: { __typename: 'ReferralRule', referrerPoints: 100, refereePoints: 50 } };
    const withCode = promotionCard(p, ctx);
    expect(withCode.text).toBe('Пригласите друга: +50 баллов ему и +100 баллов вам после его первой покупки.');
    expect(withCode.share).toEqual({ kind: 'code', value: 'ABCD-EFGH' });
    const withLink = promotionCard(p, { ...ctx, botUsername: 'cafe_bot' });
    expect(withLink.share).toEqual({ kind: 'link', value: 'https://t.me/cafe_bot?startapp=ref_ABCDEFGH' });
    expect(promotionCard({ ...p, granted: true }, ctx).notes).toEqual(['Вы уже получили бонус как приглашённый друг.']);
  });

  it('birthday: asks for the birthday, or shows the window', () => {
    const p: GuestPromotion = { ...base, kind: 'BIRTHDAY', rule: { __typename: 'BirthdayRule', points: 300, daysBefore: 3, daysAfter: 3 } };
    const ask = promotionCard(p, ctx);
    expect(ask.text).toBe('+300 баллов на день рождения.');
    expect(ask.needsBirthday).toBe(true);
    expect(ask.notes).toEqual(['Укажите день рождения в профиле, чтобы получить бонус.']);
    const window = promotionCard({ ...p, windowStartsOn: '2027-05-14', windowEndsOn: '2027-05-20', granted: true }, { ...ctx, hasBirthday: true, t: en, locale: 'en' });
    expect(window.needsBirthday).toBe(false);
    expect(window.notes).toEqual(['The bonus runs from 14 May to 20 May.', 'You already got this year’s bonus.']);
  });

  it('multiplier and welcome, with announced and closing dates', () => {
    const m: GuestPromotion = {
      ...base,
      kind: 'MULTIPLIER',
      startsOn: '2026-12-01',
      endsOn: '2026-12-31',
      rule: { __typename: 'MultiplierRule', factorPercent: 200, weekdays: ['SAT', 'SUN'], hours: null, locationIds: [] },
    };
    const card = promotionCard(m, ctx);
    expect(card.text).toBe('Больше баллов за покупки: ×2 Сб, Вс.');
    expect(card.notes).toEqual(['Начнётся 1 декабря.', 'До 31 декабря включительно.']);
    expect(promotionCard({ ...m, startsOn: '2026-11-01' }, ctx).notes).toEqual(['До 31 декабря включительно.']);
    const w: GuestPromotion = { ...base, kind: 'WELCOME', granted: true, rule: { __typename: 'WelcomeRule', points: 100 } };
    expect(promotionCard(w, ctx).text).toBe('Вы получили приветственный бонус: +100 баллов.');
    expect(promotionCard(w, ctx).share).toBeNull();
  });
});
