import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { intlLocale, LOCALE_STORAGE_KEY, makeTranslator, readLocaleChoice, readStoredLocale, type Translate } from './translate';
import type { Locale } from './types';

interface I18nValue {
  locale: Locale;
  /** An explicit choice: applied and remembered in this browser. */
  setLocale: (locale: Locale) => void;
  /** The language explicitly chosen in this browser (stored), or null if none was. */
  localeChoice: () => Locale | null;
  /** Applies a language for this tab without remembering it as the browser's choice. */
  applyLocale: (locale: Locale) => void;
  t: Translate;
  formatDateTime: (iso: string | null | undefined) => string;
  formatDate: (iso: string | null | undefined) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

function safeStorage(): Storage | undefined {
  try {
    return typeof window !== 'undefined' ? window.localStorage : undefined;
  } catch {
    return undefined;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => readStoredLocale(safeStorage()));

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      safeStorage()?.setItem(LOCALE_STORAGE_KEY, next);
    } catch {
      // storage may be unavailable (private mode); the choice still applies to this tab
    }
  }, []);

  const localeChoice = useCallback(() => readLocaleChoice(safeStorage()), []);
  const applyLocale = useCallback((next: Locale) => setLocaleState(next), []);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const value = useMemo<I18nValue>(() => {
    const tag = intlLocale(locale);
    const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
    const format = (fmt: Intl.DateTimeFormat) => (iso: string | null | undefined) => {
      if (!iso) return '—';
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : fmt.format(d);
    };
    return {
      locale,
      setLocale,
      localeChoice,
      applyLocale,
      t: makeTranslator(locale),
      formatDateTime: format(dateTime),
      formatDate: format(date),
    };
  }, [locale, setLocale, localeChoice, applyLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
