import { useMemo } from 'react';
import type { DecimalError } from './money';
import { bpInputValue, formatBp, formatMoney, formatPoints, formatSignedPoints, moneyInputValue, parseMoney, type Currency } from './money';
import { useI18n } from './i18n/I18nProvider';
import type { MessageKey } from './i18n/types';
import { useMe } from './session/SessionProvider';

/** Why a typed number was refused → the message under the input. */
export const DECIMAL_ERROR_KEYS: Readonly<Record<DecimalError, MessageKey>> = {
  empty: 'common.required',
  invalid: 'input.invalidNumber',
  tooManyDecimals: 'input.tooManyDecimals',
  negative: 'input.negative',
  tooLarge: 'input.tooLarge',
};

/** Money and points in the business's currency and the UI language. */
export function useFormat() {
  const { locale } = useI18n();
  const me = useMe();
  const currency: Currency = me.tenant.currency;
  return useMemo(
    () => ({
      currency,
      locale,
      money: (minor: number, options?: { fixed?: boolean }) => formatMoney(minor, currency, locale, options),
      moneyInput: (minor: number) => moneyInputValue(minor, currency, locale),
      parseMoney: (raw: string) => parseMoney(raw, currency),
      points: (points: number) => formatPoints(points, locale),
      signedPoints: (points: number) => formatSignedPoints(points, locale),
      bp: (bp: number) => formatBp(bp, locale),
      bpInput: (bp: number) => bpInputValue(bp, locale),
    }),
    [currency, locale],
  );
}
