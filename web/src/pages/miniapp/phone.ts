// Sharing the guest's phone from the Mini App: Telegram's `WebApp.requestContact(callback)`. The
// callback gets `(shared: boolean, response)`; current clients pass `{ status: 'sent', response:
// '<signed raw answer>', responseUnsafe: {...} }` — the raw string (signed by Telegram like initData)
// is what `linkMyPhone(contactData)` verifies on the server.

/** The part of `window.Telegram.WebApp` this needs. */
export interface ContactCapableWebApp {
  initData?: string;
  requestContact?: (callback?: (shared: boolean, response?: unknown) => void) => void;
  isVersionAtLeast?: (version: string) => boolean;
}

/** `requestContact` appeared in Bot API 6.9. */
export const REQUEST_CONTACT_MIN_VERSION = '6.9';

/** Whether this Telegram client can ask for the contact (inside Telegram, new enough). */
export function canRequestContact(webApp: ContactCapableWebApp | undefined): boolean {
  if (!webApp || typeof webApp.requestContact !== 'function') return false;
  if (!webApp.initData || webApp.initData.trim() === '') return false; // telegram-web-app.js outside Telegram
  if (typeof webApp.isVersionAtLeast === 'function' && !webApp.isVersionAtLeast(REQUEST_CONTACT_MIN_VERSION)) return false;
  return true;
}

/**
 * What the phone card shows: nothing when the card has a phone; the button inside Telegram; a
 * disabled hint in developer mode (a normal browser); nothing otherwise.
 */
export function phoneShareMode(phone: string | null | undefined, webApp: ContactCapableWebApp | undefined, devMode: boolean): 'hidden' | 'button' | 'devHint' {
  if (phone && phone.trim() !== '') return 'hidden';
  if (canRequestContact(webApp)) return 'button';
  return devMode ? 'devHint' : 'hidden';
}

/** The signed raw answer in a `requestContact` callback's second argument, or null. */
export function contactDataFrom(response: unknown): string | null {
  if (typeof response === 'string') return response.trim() !== '' ? response : null;
  if (response && typeof response === 'object') {
    const raw = (response as { response?: unknown }).response;
    if (typeof raw === 'string' && raw.trim() !== '') return raw;
  }
  return null;
}

export type ContactResult = { kind: 'shared'; contactData: string } | { kind: 'declined' } | { kind: 'noData' };

/** Asks Telegram for the contact; resolves once the guest answered. */
export function requestContactData(webApp: ContactCapableWebApp): Promise<ContactResult> {
  return new Promise((resolve) => {
    const request = webApp.requestContact;
    if (typeof request !== 'function') {
      resolve({ kind: 'declined' });
      return;
    }
    request.call(webApp, (shared: boolean, response?: unknown) => {
      if (!shared) {
        resolve({ kind: 'declined' });
        return;
      }
      const contactData = contactDataFrom(response);
      resolve(contactData ? { kind: 'shared', contactData } : { kind: 'noData' });
    });
  });
}
