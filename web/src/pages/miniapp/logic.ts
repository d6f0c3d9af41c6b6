import type { EntryKind } from '../../gql/graphql';
import type { MessageKey, Params } from '../../i18n/types';
import { formatPoints } from '../../money';

/** The points gained between two balances, for the "+N points" toast; null when nothing was gained. */
export function balanceGain(previous: number | null | undefined, next: number): number | null {
  if (previous === null || previous === undefined) return null;
  return next > previous ? next - previous : null;
}

const KIND_KEYS: Readonly<Record<EntryKind, MessageKey>> = {
  ACCRUAL: 'miniapp.kind.ACCRUAL',
  REDEMPTION: 'miniapp.kind.REDEMPTION',
  HOLD: 'miniapp.kind.HOLD',
  HOLD_CAPTURE: 'miniapp.kind.HOLD_CAPTURE',
  HOLD_VOID: 'miniapp.kind.HOLD_VOID',
  ADJUSTMENT: 'miniapp.kind.ADJUSTMENT',
  PROMOTION_BONUS: 'miniapp.kind.PROMOTION_BONUS',
  EXPIRY: 'miniapp.kind.EXPIRY',
  REVERSAL: 'miniapp.kind.REVERSAL',
};

/** The guest-facing label of a ledger entry kind (unknown future kinds get a generic label). */
export function ledgerKindKey(kind: string): MessageKey {
  return (KIND_KEYS as Record<string, MessageKey>)[kind] ?? 'miniapp.kind.OTHER';
}

export type PluralForm = 'one' | 'few' | 'many';

/** Russian-style plural form (1 балл, 2 балла, 5 баллов); English uses one/many. */
export function pluralForm(n: number, locale: 'ru' | 'en'): PluralForm {
  const abs = Math.abs(n);
  if (locale === 'en') return abs === 1 ? 'one' : 'many';
  const mod10 = abs % 10;
  const mod100 = abs % 100;
  if (mod10 === 1 && mod100 !== 11) return 'one';
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 'few';
  return 'many';
}

export function pointsKey(n: number, locale: 'ru' | 'en'): MessageKey {
  return `miniapp.points.${pluralForm(n, locale)}`;
}

/** The toast when points arrive: "+30 баллов", "+1 балл", "+1 point", "+1 500 баллов". */
export function pointsToastText(points: number, locale: 'ru' | 'en', t: (key: MessageKey, params?: Params) => string): string {
  return t('miniapp.toast', { points: formatPoints(points, locale), word: t(pointsKey(points, locale)) });
}

/** Minor units as a plain number with 2 decimals (the guest API carries no currency). */
export function formatMinorPlain(minor: number, locale: 'ru' | 'en'): string {
  return new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
}

/** `ABCD1234` → `ABCD-1234` (the server already sends the dash; keep it if present). */
export function formatCardCode(code: string): string {
  const clean = code.replace(/[\s-]/g, '').toUpperCase();
  return clean.length === 8 ? `${clean.slice(0, 4)}-${clean.slice(4)}` : code;
}

export function clampPercent(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.min(100, Math.max(0, Math.round(p)));
}
