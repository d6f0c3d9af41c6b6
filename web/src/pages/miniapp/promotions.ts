import type { MyPromotionsQuery } from '../../gql/graphql';
import type { Translate } from '../../i18n/translate';
import type { Locale } from '../../i18n/types';
import { bonusText, formatIsoDate, multiplierText } from '../promotions/logic';

/** The guest's view of the promotions (`myPromotions`): what each card says. */
export type GuestPromotion = MyPromotionsQuery['myPromotions'][number];

/** `ABCD-EFGH` → `ref_ABCDEFGH`: the start parameter that names the inviter (Telegram allows `A-Za-z0-9_-`). */
export function referralStartParam(cardCode: string): string {
  return `ref_${cardCode.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`;
}

/** `https://t.me/<bot>?startapp=ref_<card code>`: opens the venue's Mini App with the invitation. */
export function referralLink(botUsername: string, cardCode: string): string {
  return `https://t.me/${botUsername}?startapp=${referralStartParam(cardCode)}`;
}

export interface PromotionCard {
  /** The main sentence. */
  text: string;
  /** Further lines (dates, "already received"). */
  notes: string[];
  /** Birthday bonus without a birthday in the profile: show "add my birthday". */
  needsBirthday: boolean;
  /** Referral: what the guest shares (a link when the bot is known, else the card code). */
  share: { kind: 'link' | 'code'; value: string } | null;
}

const DAY_MONTH: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long' };

/** What one promotion card in the Mini App says. `today` is `YYYY-MM-DD`. */
export function promotionCard(
  p: GuestPromotion,
  ctx: { t: Translate; locale: Locale; today: string; hasBirthday: boolean; cardCode: string; botUsername: string | null },
): PromotionCard {
  const { t, locale } = ctx;
  const notes: string[] = [];
  let text = '';
  let needsBirthday = false;
  let share: PromotionCard['share'] = null;
  const rule = p.rule;
  switch (rule.__typename) {
    case 'WelcomeRule':
      text = t('miniapp.promo.welcome', { points: bonusText(rule.points, t, locale) });
      break;
    case 'BirthdayRule':
      text = t('miniapp.promo.birthday', { points: bonusText(rule.points, t, locale) });
      if (p.windowStartsOn && p.windowEndsOn) {
        notes.push(
          t('miniapp.promo.birthdayWindow', {
            from: formatIsoDate(p.windowStartsOn, locale, DAY_MONTH),
            to: formatIsoDate(p.windowEndsOn, locale, DAY_MONTH),
          }),
        );
        if (p.granted) notes.push(t('miniapp.promo.birthdayGranted'));
      } else if (!ctx.hasBirthday) {
        needsBirthday = true;
        notes.push(t('miniapp.promo.birthdayNeed'));
      }
      break;
    case 'MultiplierRule':
      text = t('miniapp.promo.multiplier', { conditions: multiplierText(rule, t, locale) });
      break;
    case 'ReferralRule':
      text = t('miniapp.promo.referral', {
        referee: bonusText(rule.refereePoints, t, locale),
        referrer: bonusText(rule.referrerPoints, t, locale),
      });
      share = ctx.botUsername
        ? { kind: 'link', value: referralLink(ctx.botUsername, ctx.cardCode) }
        : { kind: 'code', value: ctx.cardCode };
      if (p.granted) notes.push(t('miniapp.promo.referralGranted'));
      break;
  }
  if (p.startsOn && p.startsOn > ctx.today) notes.unshift(t('miniapp.promo.startsOn', { date: formatIsoDate(p.startsOn, locale, DAY_MONTH) }));
  if (p.endsOn) notes.push(t('miniapp.promo.endsOn', { date: formatIsoDate(p.endsOn, locale, DAY_MONTH) }));
  return { text, notes, needsBirthday, share };
}
