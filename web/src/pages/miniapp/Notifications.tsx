import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../api/errors';
import { toPage } from '../../api/hooks';
import type { LiveConnection } from '../../api/live';
import { useRefetchOnReconnect, useSubscription } from '../../api/liveHooks';
import {
  MarkMyNotificationsReadDocument,
  MyNotificationPreferencesDocument,
  MyNotificationReceivedDocument,
  MyNotificationsDocument,
  UpdateMyNotificationPreferencesDocument,
} from '../../api/operations';
import type { MyCardFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/I18nProvider';
import type { MessageKey } from '../../i18n/types';
import { channelsFor, guestEmailBlocker, toastText, type Channel, type NotificationItem } from '../../notifications/logic';
import type { GuestClient } from './guestClient';

const PAGE = 10;

export interface GuestNotifications {
  items: NotificationItem[] | null;
  unread: number;
  hasMore: boolean;
  loadingMore: boolean;
  error: unknown;
  loadMore: () => Promise<void>;
  markRead: (item: NotificationItem) => Promise<void>;
  markAllRead: () => Promise<void>;
}

/**
 * The guest's notifications: the newest page with the unread count (`myNotifications`), live
 * `myNotificationReceived` (at the top, counted once; `onArrived` toasts it), read again after a
 * dropped connection, marking read.
 */
export function useGuestNotifications(client: GuestClient, live: LiveConnection | null, onArrived: (item: NotificationItem) => void): GuestNotifications {
  const [items, setItems] = useState<NotificationItem[] | null>(null);
  const [unread, setUnread] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  /** Ids already shown: a notification is counted and toasted once. */
  const seen = useRef(new Set<string>());

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await client.request(MyNotificationsDocument, { last: PAGE });
      if (mine !== generation.current) return;
      const page = toPage(data.myNotifications, true); // newest first
      for (const n of page.nodes) seen.current.add(n.id);
      setItems(page.nodes);
      setUnread(data.myUnreadNotificationCount);
      setCursor(page.cursor);
      setHasMore(page.hasMore);
      setError(null);
    } catch (e) {
      if (mine === generation.current) setError(e);
    }
  }, [client]);

  useEffect(() => {
    void load();
    return () => {
      generation.current++;
    };
  }, [load]);

  useRefetchOnReconnect(() => void load(), live);

  const onArrivedRef = useRef(onArrived);
  onArrivedRef.current = onArrived;
  useSubscription(
    MyNotificationReceivedDocument,
    {},
    ({ myNotificationReceived: item }) => {
      if (seen.current.has(item.id)) return;
      seen.current.add(item.id);
      setItems((prev) => (prev?.some((p) => p.id === item.id) ? prev : [item, ...(prev ?? [])]));
      if (!item.readAt) setUnread((n) => n + 1);
      onArrivedRef.current(item);
    },
    { live },
  );

  const loadMore = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const data = await client.request(MyNotificationsDocument, { last: PAGE, before: cursor });
      const page = toPage(data.myNotifications, true);
      setItems((prev) => [...(prev ?? []), ...page.nodes.filter((n) => !prev?.some((p) => p.id === n.id))]);
      setCursor(page.cursor);
      setHasMore(page.hasMore);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const markRead = async (item: NotificationItem) => {
    if (item.readAt) return;
    try {
      const data = await client.request(MarkMyNotificationsReadDocument, { ids: [item.id] });
      const at = new Date().toISOString();
      setItems((prev) => prev?.map((p) => (p.id === item.id ? { ...p, readAt: p.readAt ?? at } : p)) ?? prev);
      setUnread((n) => Math.max(0, n - data.markMyNotificationsRead));
    } catch (e) {
      setError(e);
    }
  };

  const markAllRead = async () => {
    try {
      await client.request(MarkMyNotificationsReadDocument, { all: true });
      const at = new Date().toISOString();
      setItems((prev) => prev?.map((p) => (p.readAt ? p : { ...p, readAt: at })) ?? prev);
      setUnread(0);
    } catch (e) {
      setError(e);
    }
  };

  return { items, unread, hasMore, loadingMore, error, loadMore, markRead, markAllRead };
}

export function NotificationsSection({ model }: { model: GuestNotifications }) {
  const { t, formatDateTime } = useI18n();
  const { items, unread, error } = model;
  return (
    <section className="ma-card" aria-labelledby="ma-notifications-title" data-testid="miniapp-notifications" data-unread={unread}>
      <div className="ma-row">
        <h2 id="ma-notifications-title">{t('miniapp.notifications')}</h2>
        {unread > 0 ? (
          <span className="ma-badge" data-testid="miniapp-notifications-unread">
            {t('miniapp.notificationsUnread', { count: unread })}
          </span>
        ) : null}
      </div>
      {error !== null ? (
        <p className="ma-field-error" role="alert">
          {describeError(error, t).message}
        </p>
      ) : null}
      {items === null ? (
        error === null && <p className="ma-hint">{t('miniapp.loading')}</p>
      ) : items.length === 0 ? (
        <p className="ma-hint" data-testid="miniapp-notifications-empty">
          {t('miniapp.notificationsEmpty')}
        </p>
      ) : (
        <ul className="ma-history ma-notifications">
          {items.map((n) => {
            const text = toastText(n, t);
            return (
              <li
                key={n.id}
                className={n.readAt ? undefined : 'ma-unread'}
                data-testid="miniapp-notification"
                data-kind={n.kind}
                data-unread={n.readAt ? 'false' : 'true'}
                onClick={() => void model.markRead(n)}
              >
                <div>
                  <div className="ma-history-kind" data-testid="miniapp-notification-title">
                    {!n.readAt ? <span className="ma-new">{t('miniapp.notificationNew')}</span> : null}
                    {text.title}
                  </div>
                  {text.body ? <div>{text.body}</div> : null}
                  <div className="ma-hint">{formatDateTime(n.createdAt)}</div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {unread > 0 ? (
        <button type="button" className="ma-button ma-button-secondary" onClick={() => void model.markAllRead()} data-testid="miniapp-notifications-mark-all">
          {t('miniapp.notificationsMarkAll')}
        </button>
      ) : null}
      {model.hasMore ? (
        <button
          type="button"
          className="ma-button ma-button-secondary"
          onClick={() => void model.loadMore()}
          disabled={model.loadingMore}
          data-testid="miniapp-notifications-more"
        >
          {t('miniapp.notificationsMore')}
        </button>
      ) : null}
    </section>
  );
}

const CHANNEL_LABELS: Readonly<Record<Channel, MessageKey>> = {
  inApp: 'miniapp.prefs.inApp',
  email: 'miniapp.prefs.email',
  telegram: 'miniapp.prefs.telegram',
};

type Prefs = Record<Channel, boolean>;

/**
 * The guest's channels: in the app, Telegram, e-mail — saved on every toggle (put back if the
 * server refuses). E-mail needs marketing consent and an address the venue knows: the note says
 * which one is missing.
 */
export function NotificationPrefsSection({ client, card }: { client: GuestClient; card: MyCardFieldsFragment }) {
  const { t } = useI18n();
  const [prefs, setPrefs] = useState<Prefs | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let cancelled = false;
    client
      .request(MyNotificationPreferencesDocument, {})
      .then((data) => {
        if (!cancelled) setPrefs(data.myNotificationPreferences);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(e);
      });
    return () => {
      cancelled = true;
    };
  }, [client]);

  const toggle = async (channel: Channel, value: boolean) => {
    if (!prefs) return;
    const before = prefs;
    setPrefs({ ...prefs, [channel]: value });
    setSaved(false);
    setError(null);
    setSaving(true);
    try {
      const data = await client.request(UpdateMyNotificationPreferencesDocument, { input: { [channel]: value } });
      setPrefs(data.updateMyNotificationPreferences);
      setSaved(true);
    } catch (e) {
      setPrefs(before);
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const blocker = guestEmailBlocker(card.guest);
  return (
    <section className="ma-card" aria-labelledby="ma-prefs-title" data-testid="miniapp-notification-prefs">
      <h2 id="ma-prefs-title">{t('miniapp.prefs.title')}</h2>
      {prefs === null ? (
        error === null ? <p className="ma-hint">{t('miniapp.loading')}</p> : null
      ) : (
        channelsFor('guest').map((channel) => (
          <label key={channel} className="ma-check">
            <input
              type="checkbox"
              checked={prefs[channel]}
              disabled={saving}
              onChange={(e) => void toggle(channel, e.target.checked)}
              data-testid={`miniapp-pref-${channel}`}
            />
            <span>{t(CHANNEL_LABELS[channel])}</span>
          </label>
        ))
      )}
      <p className="ma-hint">{t('miniapp.prefs.emailNeeds')}</p>
      {prefs?.email && blocker ? (
        <p className="ma-hint" data-testid="miniapp-pref-email-blocked" data-reason={blocker}>
          {t(blocker === 'noConsent' ? 'miniapp.prefs.emailNoConsent' : 'miniapp.prefs.emailNoAddress')}
        </p>
      ) : null}
      {error !== null ? (
        <p className="ma-field-error" role="alert" data-testid="miniapp-prefs-error">
          {describeError(error, t).message}
        </p>
      ) : null}
      {saved ? (
        <p className="ma-saved" role="status" data-testid="miniapp-prefs-saved">
          {t('miniapp.prefs.saved')}
        </p>
      ) : null}
    </section>
  );
}
