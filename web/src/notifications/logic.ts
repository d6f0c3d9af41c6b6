import type { MessageKey } from '../i18n/types';

// Notifications: the bell's unread counter and latest list, what a toast says, where a
// notification leads, which channels a reader may choose. Pure, shared by the panel and the Mini App.

export type NotificationKind = 'POINTS_EARNED' | 'LEVEL_CHANGED' | 'PROMOTION_GRANTED' | 'GUEST_LEVEL_UP' | 'INTEGRATION_EVENT_FAILED';

export interface NotificationItem {
  id: string;
  kind: NotificationKind | string;
  /** Rendered by the server in the reader's language. */
  title: string;
  body: string;
  data: unknown;
  createdAt: string;
  readAt: string | null;
}

/** How many notifications the bell's dropdown shows. */
export const LATEST_LIMIT = 10;

export interface BellState {
  /** Unread, as far as known (the server's count plus what arrived since). */
  unread: number;
  /** The newest notifications, newest first (at most LATEST_LIMIT); null until read once. */
  latest: NotificationItem[] | null;
  /** Ids seen live or in the list: a notification is counted once, however often it arrives. */
  seen: readonly string[];
}

export const INITIAL_BELL_STATE: BellState = { unread: 0, latest: null, seen: [] };

export type BellAction =
  /** `unreadNotificationCount` answered. */
  | { type: 'countLoaded'; count: number }
  /** The latest page was read. */
  | { type: 'latestLoaded'; items: NotificationItem[] }
  /** `notificationReceived`. */
  | { type: 'received'; item: NotificationItem }
  /** Some were marked read; `changed`: how many became read (the mutation's answer). */
  | { type: 'markedRead'; ids: readonly string[]; changed: number; at: string }
  | { type: 'allRead'; at: string };

const SEEN_LIMIT = 200;

function remember(seen: readonly string[], ids: readonly string[]): readonly string[] {
  const next = [...ids.filter((id) => !seen.includes(id)), ...seen];
  return next.length > SEEN_LIMIT ? next.slice(0, SEEN_LIMIT) : next;
}

/** The bell's counter and list. */
export function bellReducer(state: BellState, action: BellAction): BellState {
  switch (action.type) {
    case 'countLoaded':
      return { ...state, unread: Math.max(0, action.count) };
    case 'latestLoaded':
      return { ...state, latest: action.items.slice(0, LATEST_LIMIT), seen: remember(state.seen, action.items.map((n) => n.id)) };
    case 'received': {
      const { item } = action;
      if (state.seen.includes(item.id)) return state;
      return {
        unread: state.unread + (item.readAt ? 0 : 1),
        latest: state.latest ? [item, ...state.latest].slice(0, LATEST_LIMIT) : state.latest,
        seen: remember(state.seen, [item.id]),
      };
    }
    case 'markedRead': {
      const ids = new Set(action.ids);
      return {
        ...state,
        unread: Math.max(0, state.unread - Math.max(0, action.changed)),
        latest: state.latest?.map((n) => (ids.has(n.id) && !n.readAt ? { ...n, readAt: action.at } : n)) ?? null,
      };
    }
    case 'allRead':
      return { ...state, unread: 0, latest: state.latest?.map((n) => (n.readAt ? n : { ...n, readAt: action.at })) ?? null };
  }
}

/** The number on the bell: nothing at 0, "99+" above 99. */
export function badgeText(unread: number): string | null {
  if (unread <= 0) return null;
  return unread > 99 ? '99+' : String(unread);
}

const KIND_KEYS: Readonly<Record<NotificationKind, MessageKey>> = {
  POINTS_EARNED: 'notifications.kind.POINTS_EARNED',
  LEVEL_CHANGED: 'notifications.kind.LEVEL_CHANGED',
  PROMOTION_GRANTED: 'notifications.kind.PROMOTION_GRANTED',
  GUEST_LEVEL_UP: 'notifications.kind.GUEST_LEVEL_UP',
  INTEGRATION_EVENT_FAILED: 'notifications.kind.INTEGRATION_EVENT_FAILED',
};

/** A label for the kind (unknown future kinds get a generic one). */
export function kindKey(kind: string): MessageKey {
  return (KIND_KEYS as Record<string, MessageKey>)[kind] ?? 'notifications.kind.OTHER';
}

/** What a toast says: the server's title and body; the kind's label when the server sent no title. */
export function toastText(item: Pick<NotificationItem, 'kind' | 'title' | 'body'>, t: (key: MessageKey) => string): { title: string; body: string } {
  const title = item.title.trim() || t(kindKey(item.kind));
  const body = item.body.trim();
  return { title, body: body === title ? '' : body };
}

/** A string field of the notification's data, under any of the given names (camelCase or snake_case). */
export function dataField(data: unknown, ...names: string[]): string | null {
  let value: unknown = data;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const name of names) {
    const v = (value as Record<string, unknown>)[name];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return null;
}

/** Where a staff notification leads in the panel (null: nowhere in particular). */
export function notificationLink(item: Pick<NotificationItem, 'kind' | 'data'>): string | null {
  if (item.kind === 'GUEST_LEVEL_UP') {
    const guestId = dataField(item.data, 'guestId', 'guest_id');
    return guestId ? `/guests/${encodeURIComponent(guestId)}` : '/guests';
  }
  if (item.kind === 'INTEGRATION_EVENT_FAILED') {
    const integrationId = dataField(item.data, 'integrationId', 'integration_id');
    return integrationId ? `/integrations?events=${encodeURIComponent(integrationId)}` : '/integrations';
  }
  return null;
}

// ---------------------------------------------------------------- channels

export type Channel = 'inApp' | 'email' | 'telegram';

/** Staff choose in-app and e-mail (Telegram is for guests); guests choose all three. */
export function channelsFor(audience: 'staff' | 'guest'): readonly Channel[] {
  return audience === 'staff' ? ['inApp', 'email'] : ['inApp', 'email', 'telegram'];
}

/** Why a guest's e-mail choice has no effect right now (null: it works). */
export function guestEmailBlocker(guest: { marketingConsent: boolean; email: string | null | undefined }): 'noConsent' | 'noAddress' | null {
  if (!guest.marketingConsent) return 'noConsent';
  if (!guest.email) return 'noAddress';
  return null;
}

// ---------------------------------------------------------------- the Mini App's toasts

/** A "+N points" toast from the card's balance and a POINTS_EARNED notification tell the same news. */
export const SAME_NEWS_WINDOW_MS = 60_000;

/**
 * Whether a guest notification gets its own toast. POINTS_EARNED does not when the balance rise
 * was already toasted in the last minute (the balance update and the notification come from the
 * same check, a few seconds apart, in either order); everything else does.
 */
export function shouldToastGuestNotification(
  item: Pick<NotificationItem, 'kind' | 'readAt'>,
  lastPointsToastAt: number | null,
  now: number,
): boolean {
  if (item.readAt) return false;
  if (item.kind !== 'POINTS_EARNED') return true;
  return lastPointsToastAt === null || now - lastPointsToastAt > SAME_NEWS_WINDOW_MS;
}
