import { normalizeFieldName, toApiError } from '../../api/errors';
import type { GrantStatus } from '../../gql/graphql';
import { isMessageKey, type Translate } from '../../i18n/translate';
import type { MessageKey } from '../../i18n/types';
import { parsePoints } from '../../money';

// Pure rules of the cashier screen (unit-tested): what a search string is, the
// "points to redeem" prefill and limits, and what a failed check means for the cashier.

export type GuestQueryKind = 'qr' | 'phone' | 'card' | 'name';

/** Debounce for the guest search and the max-redeemable lookup, ms. */
export const SEARCH_DEBOUNCE_MS = 250;
export const MAX_DEBOUNCE_MS = 200;

/**
 * What the cashier typed, as the server will read it: a QR payload (`ML1:…`), 4+ digits of a
 * phone, a card code (`XXXX-XXXX`, case and dashes ignored) or 2+ letters of a name; null
 * while it is too short to search (the server would answer VALIDATION).
 */
export function classifyGuestQuery(raw: string): GuestQueryKind | null {
  const q = raw.trim();
  if (q === '') return null;
  if (/^ML1:/i.test(q)) return 'qr';
  if (/^[+\d\s()\-–.]+$/.test(q)) {
    const digits = q.replace(/\D/g, '').length;
    return digits >= 4 && digits <= 15 ? 'phone' : null;
  }
  const compact = q.replace(/[\s\-‐–—]/g, '');
  if (/^[A-Za-zА-Яа-яЁё0-9]{8}$/.test(compact) && (/\d/.test(compact) || /^[A-Za-z]+$/.test(compact))) return 'card';
  if ((q.match(/\p{L}/gu) ?? []).length >= 2) return 'name';
  return null;
}

/**
 * "+79161234567" → "+7 ••• •••-45-67": enough to confirm with the guest, not enough to copy.
 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '—';
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 5) return phone;
  const last4 = digits.slice(-4);
  const tail = `${last4.slice(0, 2)}-${last4.slice(2)}`;
  if (digits.length === 11 && digits.startsWith('7')) return `+7 ••• •••-${tail}`;
  return `+${digits[0]} ${'•'.repeat(digits.length - 5)}-${tail}`;
}

/** The "points to redeem" input: its text and whether the cashier has typed in it. */
export interface RedeemField {
  value: string;
  touched: boolean;
}

export const EMPTY_REDEEM: RedeemField = { value: '', touched: false };

/**
 * A new max redeemable arrived (the total changed): the field follows it until the cashier
 * edits it; after that their value stays (and is checked against the new limit).
 * `max` null: no total yet, nothing to prefill.
 */
export function prefillRedeem(field: RedeemField, max: number | null): RedeemField {
  if (field.touched) return field;
  return { value: max === null ? '' : String(max), touched: false };
}

export type RedeemError = 'invalid' | 'negative' | 'exceedsMax' | 'notEnough';
export type RedeemCheck = { ok: true; points: number } | { ok: false; error: RedeemError };

/**
 * Checks the points to redeem against the limit for this check (level share, already capped
 * by the available points on the server) and the available points. Empty means 0.
 */
export function validateRedeem(raw: string, limits: { max: number; available: number }): RedeemCheck {
  if (raw.trim() === '') return { ok: true, points: 0 };
  const parsed = parsePoints(raw);
  if (!parsed.ok) return { ok: false, error: parsed.error === 'negative' ? 'negative' : 'invalid' };
  if (parsed.value > limits.available) return { ok: false, error: 'notEnough' };
  if (parsed.value > limits.max) return { ok: false, error: 'exceedsMax' };
  return { ok: true, points: parsed.value };
}

export const REDEEM_ERROR_KEYS: Readonly<Record<RedeemError, MessageKey>> = {
  invalid: 'cashier.redeem.invalid',
  negative: 'cashier.redeem.negative',
  exceedsMax: 'cashier.redeem.exceedsMax',
  notEnough: 'cashier.redeem.notEnough',
};

/** Which input a failed `processCheck` belongs to, and how to say it. */
export interface CheckFailure {
  /** `total`, `redeem`, or null for the whole form. */
  input: 'total' | 'redeem' | null;
  messageKey: MessageKey | null;
  /** True when the check may have gone through: retry with the same externalId (never twice). */
  uncertain: boolean;
  /** True when the max redeemable / account should be re-read (the limits moved). */
  refreshLimits: boolean;
}

export function checkFailure(error: unknown): CheckFailure {
  const err = toApiError(error);
  const field = err.field ? normalizeFieldName(err.field) : undefined;
  switch (err.code) {
    case 'NETWORK':
    case 'INTERNAL':
    case 'UNKNOWN':
      return { input: null, messageKey: 'cashier.error.uncertain', uncertain: true, refreshLimits: false };
    case 'CONFLICT':
      if (field === 'externalId') {
        return { input: null, messageKey: 'cashier.error.differentCheck', uncertain: false, refreshLimits: false };
      }
      if (field === 'redeemPoints') {
        return { input: 'redeem', messageKey: 'cashier.error.notEnoughPoints', uncertain: false, refreshLimits: true };
      }
      return { input: null, messageKey: null, uncertain: false, refreshLimits: true };
    case 'VALIDATION':
      if (field === 'redeemPoints') {
        return { input: 'redeem', messageKey: 'cashier.error.exceedsMax', uncertain: false, refreshLimits: true };
      }
      if (field === 'totalMinor') return { input: 'total', messageKey: null, uncertain: false, refreshLimits: false };
      return { input: null, messageKey: null, uncertain: false, refreshLimits: false };
    case 'NOT_FOUND':
      return { input: null, messageKey: 'cashier.error.notFound', uncertain: false, refreshLimits: false };
    default:
      return { input: null, messageKey: null, uncertain: false, refreshLimits: false };
  }
}

/** Where the last picked location is remembered (per business). */
export function locationStorageKey(tenantId: string): string {
  return `maxloyalty.cashier.location.${tenantId}`;
}

/** The remembered location if it still exists, else the first one. */
export function pickLocation(stored: string | null, locations: ReadonlyArray<{ id: string }>): string | null {
  if (stored && locations.some((l) => l.id === stored)) return stored;
  return locations[0]?.id ?? null;
}

/** A level change on a receipt: null when unchanged. */
export function levelChange(
  before: { id: string; name: string } | null | undefined,
  after: { id: string; name: string } | null | undefined,
): { from: string | null; to: string } | null {
  if (!after || before?.id === after.id) return null;
  return { from: before?.name ?? null, to: after.name };
}

/** Newest first, at most `limit`, no duplicates (a replayed check returns the same receipt). */
export function addRecent<T extends { checkId: string }>(list: readonly T[], item: T, limit = 10): T[] {
  return [item, ...list.filter((r) => r.checkId !== item.checkId)].slice(0, limit);
}

/** A receipt line ("Как начислены баллы"): a level's cashback or a promotion's bonus. */
export interface ReceiptRuleLine {
  /** The main text: "Кешбэк уровня", "Двойные баллы: ×2". */
  text: string;
  /** A secondary text in brackets (the server's own wording for well-known codes). */
  detail: string | null;
  points: number;
  promotionId: string | null;
  status: GrantStatus;
  /** Shown muted with "budget exhausted" and no points. */
  budgetExhausted: boolean;
}

const EXHAUSTED_SUFFIX = /\s+[—–-]\s+budget exhausted$/i;
const REFERRAL_SUFFIX = ': referral bonus';

/**
 * One applied rule as the cashier reads it. The server describes a promotion's points as
 * "<name>: ×2" (multiplier) or "<name>: referral bonus", with " — budget exhausted" when the
 * cap refused them; the English parts are translated here, the name is kept.
 */
export function receiptRuleLine(
  rule: { code: string; description: string; points: number; promotionId: string | null; status: GrantStatus },
  t: Translate,
): ReceiptRuleLine {
  const budgetExhausted = rule.status === 'BUDGET_EXHAUSTED';
  const base = { points: rule.points, promotionId: rule.promotionId, status: rule.status, budgetExhausted };
  const description = rule.description.replace(EXHAUSTED_SUFFIX, '').trim();
  if (rule.code === 'promotion_referral' && description.endsWith(REFERRAL_SUFFIX)) {
    return { ...base, text: t('cashier.rule.referral', { name: description.slice(0, -REFERRAL_SUFFIX.length) }), detail: null };
  }
  const key = `rule.${rule.code}`;
  if (rule.promotionId === null && isMessageKey(key)) return { ...base, text: t(key), detail: description || null };
  return { ...base, text: description || rule.code, detail: null };
}
