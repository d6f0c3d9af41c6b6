import type { ru } from './ru';

export type MessageKey = keyof typeof ru;
/** Every language provides every key (the compiler enforces it). */
export type Dictionary = { readonly [K in MessageKey]: string };
export type Locale = 'ru' | 'en';
export type Params = Readonly<Record<string, string | number>>;
export const LOCALES: readonly Locale[] = ['ru', 'en'];
export const DEFAULT_LOCALE: Locale = 'ru';
