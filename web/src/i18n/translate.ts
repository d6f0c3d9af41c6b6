import { en } from './en';
import { ru } from './ru';
import { DEFAULT_LOCALE, LOCALES, type Dictionary, type Locale, type MessageKey, type Params } from './types';

export const dictionaries: Readonly<Record<Locale, Dictionary>> = { ru, en };

export const LOCALE_STORAGE_KEY = 'maxloyalty.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(ru, key);
}

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const dict = dictionaries[locale] ?? dictionaries[DEFAULT_LOCALE];
  return interpolate(dict[key] ?? ru[key] ?? key, params);
}

export type Translate = (key: MessageKey, params?: Params) => string;

export function makeTranslator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

/** BCP 47 tag used for dates and numbers. */
export function intlLocale(locale: Locale): string {
  return locale === 'ru' ? 'ru-RU' : 'en-GB';
}

export function readStoredLocale(storage: Pick<Storage, 'getItem'> | undefined): Locale {
  return readLocaleChoice(storage) ?? DEFAULT_LOCALE;
}

/** The language someone explicitly chose in this browser, or null if nobody did. */
export function readLocaleChoice(storage: Pick<Storage, 'getItem'> | undefined): Locale | null {
  try {
    const value = storage?.getItem(LOCALE_STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}
