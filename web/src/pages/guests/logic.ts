import type { EntryKind } from '../../gql/graphql';
import type { MessageKey } from '../../i18n/types';
import { parsePoints, type DecimalError } from '../../money';

/**
 * Progress to the next level in percent (0–100), from the current level's threshold to the
 * next one's; 100 at the top level.
 */
export function levelProgressPercent(spendMinor: number, fromMinor: number, toMinor: number | null | undefined): number {
  if (toMinor === null || toMinor === undefined) return 100;
  const span = toMinor - fromMinor;
  if (span <= 0) return 100;
  const pct = ((spendMinor - fromMinor) / span) * 100;
  return Math.max(0, Math.min(100, Math.floor(pct)));
}

export type AdjustError = DecimalError | 'zero' | 'reasonRequired';

/** A manual adjustment: a sign, a positive whole number of points, a reason. */
export function validateAdjustment(
  sign: 1 | -1,
  pointsRaw: string,
  reason: string,
): { ok: true; points: number; reason: string } | { ok: false; points?: AdjustError; reason?: AdjustError } {
  const parsed = parsePoints(pointsRaw);
  const errors: { points?: AdjustError; reason?: AdjustError } = {};
  if (!parsed.ok) errors.points = parsed.error;
  else if (parsed.value === 0) errors.points = 'zero';
  if (reason.trim() === '') errors.reason = 'reasonRequired';
  if (errors.points || errors.reason || !parsed.ok) return { ok: false, ...errors };
  return { ok: true, points: sign * parsed.value, reason: reason.trim() };
}

export function entryKindKey(kind: EntryKind): MessageKey {
  return `ledger.kind.${kind}`;
}

/** "vip, birthday ,, new" → ["vip", "birthday", "new"]. */
export function parseTags(raw: string): string[] {
  return [...new Set(raw.split(',').map((t) => t.trim()).filter(Boolean))];
}
