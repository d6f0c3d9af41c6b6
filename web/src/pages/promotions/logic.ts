import type { PromotionInput, PromotionKind, PromotionRuleFieldsFragment, PromotionRuleInput, Weekday } from '../../gql/graphql';
import { intlLocale, type Translate } from '../../i18n/translate';
import type { Locale, MessageKey, Params } from '../../i18n/types';
import { formatPoints, parseDecimal, parsePoints, type DecimalError } from '../../money';
import { pluralForm, pointsKey } from '../miniapp/logic';

/**
 * Promotions: the rule ↔ form conversion, the rule in words, dates and the budget bar.
 * Shared by the admin page (/promotions) and the guest's Mini App.
 */

export type PromotionRule = PromotionRuleFieldsFragment;

export const PROMOTION_KINDS: readonly PromotionKind[] = ['WELCOME', 'BIRTHDAY', 'MULTIPLIER', 'REFERRAL'];
export const WEEKDAYS: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

export const POINTS_MAX = 1_000_000;
export const BUDGET_MAX = 1_000_000_000;
export const DAYS_MAX = 30;
export const FACTOR_MIN = 101;
export const FACTOR_MAX = 1000;

const KIND_BY_TYPENAME: Readonly<Record<PromotionRule['__typename'], PromotionKind>> = {
  WelcomeRule: 'WELCOME',
  BirthdayRule: 'BIRTHDAY',
  MultiplierRule: 'MULTIPLIER',
  ReferralRule: 'REFERRAL',
};

export function ruleKind(rule: PromotionRule): PromotionKind {
  return KIND_BY_TYPENAME[rule.__typename];
}

export function kindKey(kind: PromotionKind): MessageKey {
  return `promotions.kind.${kind}`;
}

// ------------------------------------------------------------------ the form

/** Every input of the promotion form as typed (strings), whatever the kind. */
export interface PromotionForm {
  kind: PromotionKind;
  name: string;
  /** `YYYY-MM-DD` or '' (none). */
  startsOn: string;
  endsOn: string;
  /** Points or '' (no cap). */
  budget: string;
  /** Welcome and birthday. */
  points: string;
  daysBefore: string;
  daysAfter: string;
  /** Multiplier: "2", "1,5", "×1.5". */
  factor: string;
  weekdays: Weekday[];
  hoursLimited: boolean;
  /** "0"–"23". */
  hoursFrom: string;
  /** "1"–"24". */
  hoursTo: string;
  locationIds: string[];
  /** Referral. */
  referrerPoints: string;
  refereePoints: string;
}

/** The fields a message can be shown under (server fields are mapped onto these). */
export type PromotionField =
  | 'kind'
  | 'name'
  | 'startsOn'
  | 'endsOn'
  | 'budget'
  | 'points'
  | 'daysBefore'
  | 'daysAfter'
  | 'factor'
  | 'weekdays'
  | 'hours'
  | 'locations'
  | 'referrerPoints'
  | 'refereePoints';

/** `extensions.field` of a server VALIDATION error → the form input it belongs under. */
export const SERVER_FIELD_TO_FORM: Readonly<Record<string, PromotionField>> = {
  name: 'name',
  rule: 'kind',
  startsOn: 'startsOn',
  endsOn: 'endsOn',
  budget: 'budget',
  points: 'points',
  daysBefore: 'daysBefore',
  daysAfter: 'daysAfter',
  factorPercent: 'factor',
  weekdays: 'weekdays',
  hours: 'hours',
  locations: 'locations',
  locationIds: 'locations',
  referrerPoints: 'referrerPoints',
  refereePoints: 'refereePoints',
};

/** The server field names that go under one form input (for `serverFieldError`). */
export function serverFieldsFor(field: PromotionField): string[] {
  return Object.entries(SERVER_FIELD_TO_FORM)
    .filter(([, f]) => f === field)
    .map(([server]) => server);
}

export function emptyPromotionForm(kind: PromotionKind = 'MULTIPLIER'): PromotionForm {
  return {
    kind,
    name: '',
    startsOn: '',
    endsOn: '',
    budget: '',
    points: '',
    daysBefore: '3',
    daysAfter: '3',
    factor: '2',
    weekdays: [],
    hoursLimited: false,
    hoursFrom: '18',
    hoursTo: '23',
    locationIds: [],
    referrerPoints: '',
    refereePoints: '',
  };
}

/** A saved promotion → the form to edit it (numbers in the UI language's notation). */
export function formFromPromotion(
  p: { name: string; rule: PromotionRule; startsOn: string | null; endsOn: string | null; budget: number | null },
  locale: Locale,
): PromotionForm {
  const form: PromotionForm = {
    ...emptyPromotionForm(ruleKind(p.rule)),
    name: p.name,
    startsOn: p.startsOn ?? '',
    endsOn: p.endsOn ?? '',
    budget: p.budget === null ? '' : String(p.budget),
  };
  const rule = p.rule;
  switch (rule.__typename) {
    case 'WelcomeRule':
      return { ...form, points: String(rule.points) };
    case 'BirthdayRule':
      return { ...form, points: String(rule.points), daysBefore: String(rule.daysBefore), daysAfter: String(rule.daysAfter) };
    case 'MultiplierRule':
      return {
        ...form,
        factor: factorInputValue(rule.factorPercent, locale),
        weekdays: sortWeekdays(rule.weekdays),
        hoursLimited: rule.hours !== null,
        hoursFrom: rule.hours ? String(rule.hours.from) : form.hoursFrom,
        hoursTo: rule.hours ? String(rule.hours.to) : form.hoursTo,
        locationIds: [...rule.locationIds],
      };
    case 'ReferralRule':
      return { ...form, referrerPoints: String(rule.referrerPoints), refereePoints: String(rule.refereePoints) };
  }
}

export interface FieldMessage {
  key: MessageKey;
  params?: Params;
}
export type PromotionFormErrors = Partial<Record<PromotionField, FieldMessage>>;

const DECIMAL_KEYS: Readonly<Record<DecimalError, MessageKey>> = {
  empty: 'common.required',
  invalid: 'input.invalidNumber',
  tooManyDecimals: 'input.tooManyDecimals',
  negative: 'input.negative',
  tooLarge: 'input.tooLarge',
};

type Checked = { ok: true; value: number } | { ok: false; error: FieldMessage };

function wholeNumber(raw: string, min: number, max: number, rangeKey: MessageKey): Checked {
  const r = parsePoints(raw);
  if (!r.ok) return { ok: false, error: { key: r.error === 'tooLarge' ? rangeKey : DECIMAL_KEYS[r.error] } };
  if (r.value < min || r.value > max) return { ok: false, error: { key: rangeKey } };
  return { ok: true, value: r.value };
}

/** "2" → 200, "1,5" / "1.5" / "×1.5" / "x1,25" → 150 / 125: the factor in percent, exactly. */
export function parseFactor(raw: string): { ok: true; value: number } | { ok: false; error: DecimalError | 'range' } {
  const cleaned = raw.trim().replace(/^[×xX*хХ]\s*/, '');
  const r = parseDecimal(cleaned, 2);
  if (!r.ok) return r.error === 'tooLarge' ? { ok: false, error: 'range' } : r;
  if (r.value < FACTOR_MIN || r.value > FACTOR_MAX) return { ok: false, error: 'range' };
  return r;
}

/** 200 → "2", 150 → "1,5" (ru) / "1.5" (en), 125 → "1,25". */
export function factorInputValue(percent: number, locale: Locale): string {
  const whole = Math.trunc(percent / 100);
  const frac = String(Math.abs(percent % 100)).padStart(2, '0').replace(/0+$/, '');
  if (!frac) return String(whole);
  return `${whole}${locale === 'ru' ? ',' : '.'}${frac}`;
}

/** "×2", "×1,5". */
export function formatFactor(percent: number, locale: Locale): string {
  return `×${factorInputValue(percent, locale)}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks the form and builds the API input (`PromotionRuleInput` is @oneOf: exactly one kind).
 * Only the inputs of the chosen kind are read.
 */
export function validatePromotionForm(form: PromotionForm): { ok: true; input: PromotionInput } | { ok: false; errors: PromotionFormErrors } {
  const errors: PromotionFormErrors = {};
  const take = (field: PromotionField, c: Checked): number => {
    if (c.ok) return c.value;
    errors[field] = c.error;
    return 0;
  };
  const points = (field: PromotionField, raw: string) => take(field, wholeNumber(raw, 1, POINTS_MAX, 'promotions.error.pointsRange'));
  const days = (field: PromotionField, raw: string) => take(field, wholeNumber(raw, 0, DAYS_MAX, 'promotions.error.daysRange'));

  const name = form.name.trim();
  if (!name) errors.name = { key: 'common.required' };

  let rule: PromotionRuleInput;
  switch (form.kind) {
    case 'WELCOME':
      rule = { welcome: { points: points('points', form.points) } };
      break;
    case 'BIRTHDAY':
      rule = {
        birthday: { points: points('points', form.points), daysBefore: days('daysBefore', form.daysBefore), daysAfter: days('daysAfter', form.daysAfter) },
      };
      break;
    case 'MULTIPLIER': {
      const f = parseFactor(form.factor);
      let factorPercent = 0;
      if (f.ok) factorPercent = f.value;
      else errors.factor = { key: f.error === 'range' ? 'promotions.error.factorRange' : DECIMAL_KEYS[f.error] };
      let hours: { from: number; to: number } | null = null;
      if (form.hoursLimited) {
        const from = Number(form.hoursFrom);
        const to = Number(form.hoursTo);
        const valid = Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= 23 && to >= 1 && to <= 24;
        if (!valid) errors.hours = { key: 'input.invalidNumber' };
        else if (from === to) errors.hours = { key: 'promotions.error.hoursSame' };
        else hours = { from, to };
      }
      rule = {
        multiplier: { factorPercent, weekdays: sortWeekdays(form.weekdays), hours, locationIds: [...new Set(form.locationIds)] },
      };
      break;
    }
    case 'REFERRAL':
      rule = {
        referral: { referrerPoints: points('referrerPoints', form.referrerPoints), refereePoints: points('refereePoints', form.refereePoints) },
      };
      break;
  }

  const startsOn = form.startsOn.trim();
  const endsOn = form.endsOn.trim();
  if (startsOn && !ISO_DATE.test(startsOn)) errors.startsOn = { key: 'promotions.error.badDate' };
  if (endsOn && !ISO_DATE.test(endsOn)) errors.endsOn = { key: 'promotions.error.badDate' };
  if (startsOn && endsOn && !errors.startsOn && !errors.endsOn && endsOn < startsOn) errors.endsOn = { key: 'promotions.error.endsBeforeStarts' };

  let budget: number | null = null;
  if (form.budget.trim() !== '') budget = take('budget', wholeNumber(form.budget, 1, BUDGET_MAX, 'promotions.error.budgetRange'));

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { name, rule, startsOn: startsOn || null, endsOn: endsOn || null, budget } };
}

// ------------------------------------------------------------------ in words

export function sortWeekdays(days: readonly Weekday[]): Weekday[] {
  return WEEKDAYS.filter((d) => days.includes(d));
}

/** ["MON".."FRI"] → "Пн–Пт"; ["SAT","SUN"] → "Сб, Вс"; none or all seven → null (every day). */
export function weekdaysText(days: readonly Weekday[], t: Translate): string | null {
  const sorted = sortWeekdays(days);
  if (sorted.length === 0 || sorted.length === WEEKDAYS.length) return null;
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && WEEKDAYS.indexOf(sorted[j + 1]!) === WEEKDAYS.indexOf(sorted[j]!) + 1) j++;
    const first = t(`weekday.${sorted[i]!}`);
    const last = t(`weekday.${sorted[j]!}`);
    if (j - i >= 2) parts.push(`${first}–${last}`);
    else for (let k = i; k <= j; k++) parts.push(t(`weekday.${sorted[k]!}`));
    i = j + 1;
  }
  return parts.join(', ');
}

/** (18, 23) → "18:00–23:00"; (22, 2) spans midnight → "22:00–02:00". */
export function hoursText(hours: { from: number; to: number } | null): string | null {
  if (!hours) return null;
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return `${hh(hours.from)}–${hh(hours.to)}`;
}

/** Where a multiplier applies: null = everywhere. */
export function locationsText(ids: readonly string[], t: Translate, locale: Locale, names?: ReadonlyMap<string, string>): string | null {
  if (ids.length === 0) return null;
  const only = ids.length === 1 ? names?.get(ids[0]!) : undefined;
  if (only) return t('promotions.desc.atLocation', { name: only });
  return t(`promotions.desc.atLocations.${pluralForm(ids.length, locale)}`, { count: ids.length });
}

/** "+100 баллов" / "+1 point". */
export function bonusText(points: number, t: Translate, locale: Locale): string {
  return `+${formatPoints(points, locale)} ${t(pointsKey(points, locale))}`;
}

/** Just the multiplier's conditions: "×2 Пт 18:00–23:00 в 2 точках". */
export function multiplierText(
  rule: { factorPercent: number; weekdays: readonly Weekday[]; hours: { from: number; to: number } | null; locationIds: readonly string[] },
  t: Translate,
  locale: Locale,
  names?: ReadonlyMap<string, string>,
): string {
  return [
    formatFactor(rule.factorPercent, locale),
    weekdaysText(rule.weekdays, t) ?? t('promotions.desc.everyDay'),
    hoursText(rule.hours),
    locationsText(rule.locationIds, t, locale, names),
  ]
    .filter(Boolean)
    .join(' ');
}

/** What a promotion does, in one line for people. */
export function describeRule(rule: PromotionRule, t: Translate, locale: Locale, names?: ReadonlyMap<string, string>): string {
  switch (rule.__typename) {
    case 'WelcomeRule':
      return t('promotions.desc.welcome', { points: bonusText(rule.points, t, locale) });
    case 'BirthdayRule':
      return rule.daysBefore === 0 && rule.daysAfter === 0
        ? t('promotions.desc.birthday', { points: bonusText(rule.points, t, locale) })
        : t('promotions.desc.birthdayWindow', { points: bonusText(rule.points, t, locale), before: rule.daysBefore, after: rule.daysAfter });
    case 'MultiplierRule':
      return multiplierText(rule, t, locale, names);
    case 'ReferralRule':
      return t('promotions.desc.referral', {
        referrer: bonusText(rule.referrerPoints, t, locale),
        referee: bonusText(rule.refereePoints, t, locale),
      });
  }
}

// ------------------------------------------------------------------ dates

/** A calendar date (`YYYY-MM-DD`, no time zone) for the UI language: "1 дек. 2026 г." / "1 Dec 2026". */
export function formatIsoDate(iso: string, locale: Locale, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(intlLocale(locale), { ...options, timeZone: 'UTC' }).format(at);
}

export function datesText(startsOn: string | null, endsOn: string | null, t: Translate, locale: Locale): string {
  const f = (d: string) => formatIsoDate(d, locale);
  if (startsOn && endsOn) return t('promotions.dates.range', { from: f(startsOn), to: f(endsOn) });
  if (startsOn) return t('promotions.dates.from', { from: f(startsOn) });
  if (endsOn) return t('promotions.dates.to', { to: f(endsOn) });
  return t('promotions.dates.always');
}

/** Today in the browser's time as `YYYY-MM-DD`. */
export function localIsoDate(now: Date = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export type PromotionStatus = 'active' | 'scheduled' | 'ended' | 'archived';

export function promotionStatus(p: { archived: boolean; startsOn: string | null; endsOn: string | null }, today: string): PromotionStatus {
  if (p.archived) return 'archived';
  if (p.startsOn && p.startsOn > today) return 'scheduled';
  if (p.endsOn && p.endsOn < today) return 'ended';
  return 'active';
}

// ------------------------------------------------------------------ budget

export interface BudgetProgress {
  /** 0–100, rounded down (100 only when all of it is granted). */
  percent: number;
  remaining: number;
}

/** How much of a cap is used; null when there is no cap. */
export function budgetProgress(granted: number, budget: number | null): BudgetProgress | null {
  if (budget === null) return null;
  const remaining = Math.max(0, budget - granted);
  if (budget <= 0) return { percent: 100, remaining };
  const percent = Math.min(100, Math.max(0, Math.floor((granted * 100) / budget)));
  return { percent, remaining };
}
