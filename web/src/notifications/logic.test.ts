import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../i18n/translate';
import {
  badgeText,
  bellReducer,
  channelsFor,
  dataField,
  guestEmailBlocker,
  INITIAL_BELL_STATE,
  kindKey,
  LATEST_LIMIT,
  notificationLink,
  shouldToastGuestNotification,
  toastText,
  type BellState,
  type NotificationItem,
} from './logic';

const n = (id: string, extra: Partial<NotificationItem> = {}): NotificationItem => ({
  id,
  kind: 'GUEST_LEVEL_UP',
  title: `title ${id}`,
  body: `body ${id}`,
  data: {},
  createdAt: '2025-01-01T10:00:00Z',
  readAt: null,
  ...extra,
});

describe('the bell: unread counter and latest list', () => {
  it('counts a live notification once, however often it arrives', () => {
    let s = bellReducer(INITIAL_BELL_STATE, { type: 'countLoaded', count: 2 });
    s = bellReducer(s, { type: 'received', item: n('a') });
    s = bellReducer(s, { type: 'received', item: n('a') });
    expect(s.unread).toBe(3);
    // the list is not read yet: nothing to prepend to
    expect(s.latest).toBeNull();
  });

  it('does not count what is already read, nor a live one already in the list', () => {
    let s = bellReducer(INITIAL_BELL_STATE, { type: 'latestLoaded', items: [n('b'), n('c', { readAt: '2025-01-01T11:00:00Z' })] });
    s = bellReducer(s, { type: 'countLoaded', count: 1 });
    s = bellReducer(s, { type: 'received', item: n('b') });
    s = bellReducer(s, { type: 'received', item: n('d', { readAt: '2025-01-01T12:00:00Z' }) });
    expect(s.unread).toBe(1);
    expect(s.latest?.map((x) => x.id)).toEqual(['d', 'b', 'c']);
  });

  it('keeps the newest first and at most the dropdown size', () => {
    let s: BellState = bellReducer(INITIAL_BELL_STATE, { type: 'latestLoaded', items: Array.from({ length: 12 }, (_, i) => n(`old${i}`)) });
    expect(s.latest).toHaveLength(LATEST_LIMIT);
    s = bellReducer(s, { type: 'received', item: n('new') });
    expect(s.latest?.[0]?.id).toBe('new');
    expect(s.latest).toHaveLength(LATEST_LIMIT);
  });

  it('marks read: the counter drops by what the server says changed, the list shows it', () => {
    let s = bellReducer(INITIAL_BELL_STATE, { type: 'latestLoaded', items: [n('a'), n('b')] });
    s = bellReducer(s, { type: 'countLoaded', count: 5 });
    s = bellReducer(s, { type: 'markedRead', ids: ['a'], changed: 1, at: '2025-01-02T00:00:00Z' });
    expect(s.unread).toBe(4);
    expect(s.latest?.find((x) => x.id === 'a')?.readAt).toBe('2025-01-02T00:00:00Z');
    expect(s.latest?.find((x) => x.id === 'b')?.readAt).toBeNull();
    // marked again elsewhere: nothing changed on the server
    s = bellReducer(s, { type: 'markedRead', ids: ['a'], changed: 0, at: '2025-01-03T00:00:00Z' });
    expect(s.unread).toBe(4);
    expect(s.latest?.find((x) => x.id === 'a')?.readAt).toBe('2025-01-02T00:00:00Z');
  });

  it('never goes below zero; "mark all read" clears it', () => {
    let s = bellReducer(INITIAL_BELL_STATE, { type: 'countLoaded', count: 1 });
    s = bellReducer(s, { type: 'markedRead', ids: ['x', 'y'], changed: 2, at: 't' });
    expect(s.unread).toBe(0);
    s = bellReducer(s, { type: 'countLoaded', count: -3 });
    expect(s.unread).toBe(0);
    s = bellReducer(s, { type: 'latestLoaded', items: [n('a'), n('b', { readAt: 'earlier' })] });
    s = bellReducer(s, { type: 'countLoaded', count: 1 });
    s = bellReducer(s, { type: 'allRead', at: 'now' });
    expect(s.unread).toBe(0);
    expect(s.latest?.map((x) => x.readAt)).toEqual(['now', 'earlier']);
  });

  it('a refetch after a reconnection replaces the count with the server\'s', () => {
    let s = bellReducer(INITIAL_BELL_STATE, { type: 'countLoaded', count: 1 });
    s = bellReducer(s, { type: 'received', item: n('a') });
    s = bellReducer(s, { type: 'countLoaded', count: 7 });
    expect(s.unread).toBe(7);
  });

  it('shows the count on the bell, capped', () => {
    expect(badgeText(0)).toBeNull();
    expect(badgeText(1)).toBe('1');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });
});

describe('notification texts and links', () => {
  const ru = makeTranslator('ru');
  const en = makeTranslator('en');

  it('a toast says the server\'s title and body; the kind when there is no title', () => {
    expect(toastText(n('a', { title: 'Анна: уровень Серебро', body: 'Сумма покупок 1 000 ₽' }), ru)).toEqual({
      title: 'Анна: уровень Серебро',
      body: 'Сумма покупок 1 000 ₽',
    });
    expect(toastText(n('a', { title: '  ', body: 'x' }), ru).title).toBe('Гость перешёл на новый уровень');
    expect(toastText(n('a', { kind: 'INTEGRATION_EVENT_FAILED', title: '', body: '' }), en)).toEqual({ title: 'Integration error', body: '' });
    expect(toastText(n('a', { title: '+30 баллов', body: '+30 баллов' }), ru)).toEqual({ title: '+30 баллов', body: '' });
  });

  it('labels every kind, unknown ones generically', () => {
    for (const kind of ['POINTS_EARNED', 'LEVEL_CHANGED', 'PROMOTION_GRANTED', 'GUEST_LEVEL_UP', 'INTEGRATION_EVENT_FAILED']) {
      expect(kindKey(kind)).toBe(`notifications.kind.${kind}`);
    }
    expect(kindKey('SOMETHING_NEW')).toBe('notifications.kind.OTHER');
  });

  it('reads ids from the data, whatever its spelling', () => {
    expect(dataField({ guestId: 'g1' }, 'guestId', 'guest_id')).toBe('g1');
    expect(dataField({ guest_id: 'g2' }, 'guestId', 'guest_id')).toBe('g2');
    expect(dataField('{"guestId":"g3"}', 'guestId')).toBe('g3');
    expect(dataField({ points: 30 }, 'points')).toBe('30');
    expect(dataField(null, 'guestId')).toBeNull();
    expect(dataField('not json', 'guestId')).toBeNull();
  });

  it('leads to the guest or the integration', () => {
    expect(notificationLink({ kind: 'GUEST_LEVEL_UP', data: { guestId: 'g 1' } })).toBe('/guests/g%201');
    expect(notificationLink({ kind: 'GUEST_LEVEL_UP', data: {} })).toBe('/guests');
    expect(notificationLink({ kind: 'INTEGRATION_EVENT_FAILED', data: { integrationId: 'i1' } })).toBe('/integrations?events=i1');
    expect(notificationLink({ kind: 'POINTS_EARNED', data: {} })).toBeNull();
  });
});

describe('channels', () => {
  it('staff choose in-app and e-mail, guests also Telegram', () => {
    expect(channelsFor('staff')).toEqual(['inApp', 'email']);
    expect(channelsFor('guest')).toEqual(['inApp', 'email', 'telegram']);
  });

  it('a guest\'s e-mail needs marketing consent and an address', () => {
    expect(guestEmailBlocker({ marketingConsent: false, email: 'a@b.c' })).toBe('noConsent');
    expect(guestEmailBlocker({ marketingConsent: true, email: null })).toBe('noAddress');
    expect(guestEmailBlocker({ marketingConsent: true, email: 'a@b.c' })).toBeNull();
  });
});

describe('Mini App toasts for notifications', () => {
  const now = 1_000_000;
  it('does not repeat "+N points" that the balance already showed', () => {
    expect(shouldToastGuestNotification({ kind: 'POINTS_EARNED', readAt: null }, now - 5_000, now)).toBe(false);
    expect(shouldToastGuestNotification({ kind: 'POINTS_EARNED', readAt: null }, now - 120_000, now)).toBe(true);
    expect(shouldToastGuestNotification({ kind: 'POINTS_EARNED', readAt: null }, null, now)).toBe(true);
  });

  it('always toasts a new level or a bonus, never something already read', () => {
    expect(shouldToastGuestNotification({ kind: 'LEVEL_CHANGED', readAt: null }, now - 1_000, now)).toBe(true);
    expect(shouldToastGuestNotification({ kind: 'PROMOTION_GRANTED', readAt: null }, now, now)).toBe(true);
    expect(shouldToastGuestNotification({ kind: 'LEVEL_CHANGED', readAt: '2025-01-01T00:00:00Z' }, null, now)).toBe(false);
  });
});
