import { describe, expect, it } from 'vitest';
import { canRequestContact, contactDataFrom, phoneShareMode, requestContactData, type ContactCapableWebApp } from './phone';

const RAW = 'contact=%7B%22user_id%22%3A1%2C%22phone_number%22%3A%2279990001122%22%7D&auth_date=1700000000&hash=abc';

function fakeTelegram(answer: (cb: (shared: boolean, response?: unknown) => void) => void, extra: Partial<ContactCapableWebApp> = {}): ContactCapableWebApp {
  return { initData: 'query_id=1&user=%7B%7D&auth_date=1&hash=x', requestContact: (cb) => cb && answer(cb), ...extra };
}

describe('sharing the phone from the Mini App', () => {
  it('offers the button only inside a Telegram client that can request the contact', () => {
    expect(canRequestContact(undefined)).toBe(false);
    expect(canRequestContact({ initData: 'x' })).toBe(false);
    expect(canRequestContact(fakeTelegram(() => {}))).toBe(true);
    // telegram-web-app.js loaded in a normal browser: no initData
    expect(canRequestContact(fakeTelegram(() => {}, { initData: '' }))).toBe(false);
    expect(canRequestContact(fakeTelegram(() => {}, { isVersionAtLeast: (v) => v <= '6.0' }))).toBe(false);
    expect(canRequestContact(fakeTelegram(() => {}, { isVersionAtLeast: () => true }))).toBe(true);
  });

  it('shows nothing when the card has a phone, a hint in developer mode without Telegram', () => {
    const tg = fakeTelegram(() => {});
    expect(phoneShareMode('+79990001122', tg, true)).toBe('hidden');
    expect(phoneShareMode(null, tg, false)).toBe('button');
    expect(phoneShareMode('', undefined, true)).toBe('devHint');
    expect(phoneShareMode(null, undefined, false)).toBe('hidden');
  });

  it('takes the signed raw answer from the callback', () => {
    expect(contactDataFrom({ status: 'sent', response: RAW, responseUnsafe: { contact: {} } })).toBe(RAW);
    expect(contactDataFrom(RAW)).toBe(RAW);
    expect(contactDataFrom({ status: 'sent' })).toBeNull();
    expect(contactDataFrom({ response: '' })).toBeNull();
    expect(contactDataFrom(undefined)).toBeNull();
  });

  it('resolves with what the guest answered', async () => {
    await expect(requestContactData(fakeTelegram((cb) => cb(true, { status: 'sent', response: RAW })))).resolves.toEqual({ kind: 'shared', contactData: RAW });
    await expect(requestContactData(fakeTelegram((cb) => cb(false)))).resolves.toEqual({ kind: 'declined' });
    await expect(requestContactData(fakeTelegram((cb) => cb(false, { status: 'cancelled' })))).resolves.toEqual({ kind: 'declined' });
    // an old client that shares but passes no data
    await expect(requestContactData(fakeTelegram((cb) => cb(true)))).resolves.toEqual({ kind: 'noData' });
    await expect(requestContactData({ initData: 'x' })).resolves.toEqual({ kind: 'declined' });
  });

  it('calls requestContact on the WebApp object (it uses `this`)', async () => {
    const webApp = {
      initData: 'x',
      answer: RAW,
      requestContact(this: { answer: string }, cb?: (shared: boolean, response?: unknown) => void) {
        cb?.(true, { response: this.answer });
      },
    };
    await expect(requestContactData(webApp)).resolves.toEqual({ kind: 'shared', contactData: RAW });
  });
});
