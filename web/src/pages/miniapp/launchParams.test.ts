import { describe, expect, it } from 'vitest';
import {
  authDateOf,
  isInitDataFresh,
  localeFromLanguageCode,
  parseLaunchParams,
  parseThemeParams,
  resolveTenantId,
  themeCssVars,
  userFromInitData,
} from './launchParams';

const user = JSON.stringify({ id: 279058397, first_name: 'Анна', language_code: 'en' });
const initData = new URLSearchParams({ query_id: 'AAH', user, auth_date: '1700000000', hash: 'ab'.repeat(32) }).toString();
const theme = JSON.stringify({ bg_color: '#17212b', text_color: '#f5f5f5', button_color: '#5288c1', evil: 'red;}' });
const TENANT = '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b';

function hashOf(params: Record<string, string>): string {
  return '#' + Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

describe('parseLaunchParams', () => {
  it('reads the URL-encoded initData, the theme JSON and the start param from the hash', () => {
    const p = parseLaunchParams(
      hashOf({ tgWebAppData: initData, tgWebAppVersion: '8.0', tgWebAppPlatform: 'ios', tgWebAppThemeParams: theme, tgWebAppStartParam: TENANT }),
    );
    // decoded exactly once: still a query string with its own %-escapes
    expect(p.initData).toBe(initData);
    expect(new URLSearchParams(p.initData!).get('user')).toBe(user);
    expect(p.themeParams).toEqual({ bg_color: '#17212b', text_color: '#f5f5f5', button_color: '#5288c1' });
    expect(p.startParam).toBe(TENANT);
    expect(p.platform).toBe('ios');
  });

  it('works without the leading # and with nothing at all', () => {
    expect(parseLaunchParams(hashOf({ tgWebAppData: initData }).slice(1)).initData).toBe(initData);
    expect(parseLaunchParams('')).toEqual({ initData: null, themeParams: {}, startParam: null, platform: null });
    expect(parseLaunchParams('#tgWebAppData=').initData).toBeNull();
  });

  it('ignores a broken theme', () => {
    expect(parseThemeParams('{nope')).toEqual({});
    expect(parseThemeParams('[1,2]')).toEqual({});
    expect(parseThemeParams(null)).toEqual({});
  });
});

describe('initData fields', () => {
  it('reads the user and the language', () => {
    expect(userFromInitData(initData)).toEqual({ id: 279058397, firstName: 'Анна', languageCode: 'en' });
    expect(userFromInitData('auth_date=1')).toBeNull();
    expect(userFromInitData('user=%7Bbroken')).toBeNull();
    expect(localeFromLanguageCode('en')).toBe('en');
    expect(localeFromLanguageCode('en-US')).toBe('en');
    expect(localeFromLanguageCode('ru')).toBe('ru');
    expect(localeFromLanguageCode('de')).toBe('ru');
    expect(localeFromLanguageCode(undefined)).toBe('ru');
  });

  it('knows whether initData is still fresh enough to sign in again', () => {
    expect(authDateOf(initData)).toBe(1700000000);
    expect(isInitDataFresh(initData, 1700000000_000 + 10 * 60_000)).toBe(true);
    expect(isInitDataFresh(initData, 1700000000_000 + 60 * 60_000)).toBe(false);
    expect(isInitDataFresh('hash=x', Date.now())).toBe(false);
  });
});

describe('resolveTenantId', () => {
  it('prefers ?tenant=, else a UUID start param', () => {
    expect(resolveTenantId('?tenant=abc', TENANT)).toBe('abc');
    expect(resolveTenantId('', TENANT)).toBe(TENANT);
    expect(resolveTenantId('?dev=1', 'promo')).toBeNull();
    expect(resolveTenantId('', null)).toBeNull();
  });
});

describe('themeCssVars', () => {
  it('uses Telegram colours over the defaults', () => {
    const vars = themeCssVars({ bg_color: '#000000' });
    expect(vars['--tg-bg']).toBe('#000000');
    expect(vars['--tg-button']).toBe('#2481cc');
    expect(Object.keys(vars)).toHaveLength(6);
  });
});
