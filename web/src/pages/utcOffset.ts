import { isMessageKey, type Translate } from '../i18n/translate';

/** The business's time zone as a fixed UTC offset in minutes (`LoyaltySettings.utcOffsetMinutes`). */
export const UTC_OFFSET_MIN = -12 * 60;
export const UTC_OFFSET_MAX = 14 * 60;
export const UTC_OFFSET_STEP = 30;

/**
 * Offsets to choose from: UTC−12 … UTC+14 in 30-minute steps, plus the current value when it
 * is off that grid (e.g. UTC+5:45 set through the API), so the select always shows it.
 */
export function utcOffsetOptions(current?: number | null): number[] {
  const out: number[] = [];
  for (let m = UTC_OFFSET_MIN; m <= UTC_OFFSET_MAX; m += UTC_OFFSET_STEP) out.push(m);
  if (current !== undefined && current !== null && Number.isInteger(current) && !out.includes(current)) {
    out.push(current);
    out.sort((a, b) => a - b);
  }
  return out;
}

/** 180 → "UTC+3", −210 → "UTC−3:30", 345 → "UTC+5:45", 0 → "UTC+0". */
export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`;
}

/** "UTC+3 — Москва, Санкт-Петербург" where we know a well-known city for the offset. */
export function utcOffsetLabel(minutes: number, t: Translate): string {
  const key = `tz.city.${minutes}`;
  return isMessageKey(key) ? `${formatUtcOffset(minutes)} — ${t(key)}` : formatUtcOffset(minutes);
}
