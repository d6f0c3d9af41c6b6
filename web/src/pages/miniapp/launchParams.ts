import type { Locale } from '../../i18n/types';

/**
 * Telegram Mini App launch parameters. Telegram opens the Mini App with them in the URL hash:
 * `#tgWebAppData=<url-encoded initData>&tgWebAppVersion=…&tgWebAppThemeParams=<url-encoded JSON>&…`
 * (`tgWebAppStartParam` too when the link carried `startapp=`). We parse them ourselves instead
 * of loading telegram.org's script.
 */
export interface ThemeParams {
  bg_color?: string;
  text_color?: string;
  hint_color?: string;
  link_color?: string;
  button_color?: string;
  button_text_color?: string;
  secondary_bg_color?: string;
  [key: string]: string | undefined;
}

export interface TelegramUserInfo {
  id?: number;
  firstName?: string;
  languageCode?: string;
}

export interface LaunchParams {
  /** The raw signed initData string (decoded once from the hash), or null. */
  initData: string | null;
  themeParams: ThemeParams;
  startParam: string | null;
  platform: string | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | null | undefined): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/** Parses `location.hash` (with or without the leading `#`). Never throws. */
export function parseLaunchParams(hash: string): LaunchParams {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  // Some clients put the params after a route, like `#/path?tgWebAppData=…`.
  const query = raw.includes('?') && !raw.startsWith('tgWebApp') ? raw.slice(raw.indexOf('?') + 1) : raw;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    params = new URLSearchParams();
  }
  const initData = params.get('tgWebAppData');
  return {
    initData: initData && initData.trim() !== '' ? initData : null,
    themeParams: parseThemeParams(params.get('tgWebAppThemeParams')),
    startParam: params.get('tgWebAppStartParam') || null,
    platform: params.get('tgWebAppPlatform') || null,
  };
}

const COLOR_RE = /^#[0-9a-f]{3,8}$/i;

/** The theme JSON; only string colours like `#aabbcc` survive (they end up in CSS). */
export function parseThemeParams(json: string | null | undefined): ThemeParams {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const out: ThemeParams = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && COLOR_RE.test(v)) out[k] = v;
    }
    return out;
  } catch {
    return {};
  }
}

/** The `user` field of initData (unsigned view, for the language only; the server checks the signature). */
export function userFromInitData(initData: string | null): TelegramUserInfo | null {
  if (!initData) return null;
  try {
    const user = new URLSearchParams(initData).get('user');
    if (!user) return null;
    const parsed = JSON.parse(user) as { id?: unknown; first_name?: unknown; language_code?: unknown };
    return {
      id: typeof parsed.id === 'number' ? parsed.id : undefined,
      firstName: typeof parsed.first_name === 'string' ? parsed.first_name : undefined,
      languageCode: typeof parsed.language_code === 'string' ? parsed.language_code : undefined,
    };
  } catch {
    return null;
  }
}

/** `auth_date` of initData in seconds since the epoch, or null. */
export function authDateOf(initData: string | null): number | null {
  if (!initData) return null;
  try {
    const v = Number(new URLSearchParams(initData).get('auth_date'));
    return Number.isFinite(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

/** The server accepts initData for an hour; a little margin for the request itself. */
export const INIT_DATA_MAX_AGE_SECS = 3600;

export function isInitDataFresh(initData: string | null, nowMs: number = Date.now()): boolean {
  const authDate = authDateOf(initData);
  if (authDate === null) return false;
  return nowMs / 1000 - authDate < INIT_DATA_MAX_AGE_SECS - 30;
}

/** Russian by default; English for English-speaking Telegram clients. */
export function localeFromLanguageCode(code: string | null | undefined): Locale {
  return typeof code === 'string' && /^en\b/i.test(code) ? 'en' : 'ru';
}

/**
 * The business: `?tenant=<id>` (the bot's Mini App link), else the start param when it is a UUID
 * (`t.me/<bot>/<app>?startapp=<tenant id>`).
 */
export function resolveTenantId(search: string, startParam: string | null): string | null {
  const tenant = new URLSearchParams(search).get('tenant');
  if (tenant && tenant.trim() !== '') return tenant.trim();
  return isUuid(startParam) ? startParam : null;
}

export const THEME_DEFAULTS: Readonly<Required<Pick<ThemeParams, 'bg_color' | 'text_color' | 'hint_color' | 'button_color' | 'button_text_color' | 'secondary_bg_color'>>> = {
  bg_color: '#ffffff',
  text_color: '#1c1c1e',
  hint_color: '#8e8e93',
  button_color: '#2481cc',
  button_text_color: '#ffffff',
  secondary_bg_color: '#f1f1f4',
};

/** CSS custom properties for the page: Telegram's colours over the defaults. */
export function themeCssVars(theme: ThemeParams): Record<string, string> {
  const pick = (k: keyof typeof THEME_DEFAULTS) => theme[k] ?? THEME_DEFAULTS[k];
  return {
    '--tg-bg': pick('bg_color'),
    '--tg-text': pick('text_color'),
    '--tg-hint': pick('hint_color'),
    '--tg-button': pick('button_color'),
    '--tg-button-text': pick('button_text_color'),
    '--tg-secondary-bg': pick('secondary_bg_color'),
  };
}

const BOT_USERNAME_RE = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;

/**
 * The venue's bot username, when the Mini App link names it (`/app?tenant=<id>&bot=<username>`):
 * Telegram does not pass it to the Mini App, and the guest API has no field for it. Without it
 * the referral card shows the card code to share instead of a link.
 */
export function resolveBotUsername(search: string): string | null {
  const raw = new URLSearchParams(search).get('bot')?.trim().replace(/^@/, '') ?? '';
  return BOT_USERNAME_RE.test(raw) ? raw : null;
}
