import { useCallback, useEffect, useRef, useState } from 'react';
import { toPage } from '../api/hooks';
import { useLiveStatus, useRefetchOnReconnect } from '../api/liveHooks';
import { NotificationsDocument } from '../api/operations';
import { LiveIndicator } from '../components/LiveIndicator';
import { ErrorNotice, LoadMore, Loading, PageHeader, SuccessNotice } from '../components/ui';
import { useI18n } from '../i18n/I18nProvider';
import type { NotificationItem } from '../notifications/logic';
import { NotificationRow } from '../notifications/NotificationList';
import { useNotifications, useOnNotification } from '../notifications/NotificationsProvider';
import { Link } from '../routing/router';
import { useSession } from '../session/SessionProvider';

const PAGE = 20;

/**
 * The notification centre: every notification, newest first, 20 at a time; "unread only";
 * mark one or all read (the bell's count follows). New ones appear live at the top.
 */
export function NotificationsPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const notifications = useNotifications();
  const liveStatus = useLiveStatus();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<NotificationItem[]>([]);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    try {
      const data = await client.request(NotificationsDocument, { last: PAGE, unreadOnly });
      if (mine !== generation.current) return;
      const page = toPage(data.notifications, true);
      setItems(page.nodes);
      setTotal(page.totalCount);
      setCursor(page.cursor);
      setHasMore(page.hasMore);
    } catch (e) {
      if (mine === generation.current) setError(e);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [client, unreadOnly]);

  useEffect(() => {
    void reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  const loadMore = async () => {
    if (!cursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const data = await client.request(NotificationsDocument, { last: PAGE, before: cursor, unreadOnly });
      if (mine !== generation.current) return;
      const page = toPage(data.notifications, true);
      setItems((prev) => [...prev, ...page.nodes.filter((n) => !prev.some((p) => p.id === n.id))]);
      setTotal(page.totalCount);
      setCursor(page.cursor);
      setHasMore(page.hasMore);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  // New ones at the top as they arrive; after a dropped connection, the first page again.
  useOnNotification((item) => {
    setItems((prev) => (prev.some((p) => p.id === item.id) ? prev : [item, ...prev]));
    setTotal((n) => n + 1);
  });
  useRefetchOnReconnect(() => void reload());

  const markRead = async (item: NotificationItem) => {
    if (!notifications) return;
    setBusy(true);
    setActionError(undefined);
    setDone(null);
    try {
      await notifications.markRead([item.id]);
      const at = new Date().toISOString();
      setItems((prev) => (unreadOnly ? prev.filter((p) => p.id !== item.id) : prev.map((p) => (p.id === item.id ? { ...p, readAt: p.readAt ?? at } : p))));
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  const markAll = async () => {
    if (!notifications) return;
    setBusy(true);
    setActionError(undefined);
    try {
      await notifications.markAllRead();
      setDone(t('notifications.allRead'));
      await reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  const unread = notifications?.state.unread ?? 0;
  return (
    <section data-testid="notifications-page">
      <PageHeader title={t('notifications.title')}>
        <LiveIndicator status={liveStatus} testId="notifications-live" />
      </PageHeader>
      <div className="toolbar notifications-toolbar">
        <span className="muted" data-testid="notifications-unread" data-count={unread}>
          {t('notifications.unreadCount', { count: unread })}
        </span>
        <label className="checkbox">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} data-testid="notifications-unread-only" />
          {t('notifications.unreadOnly')}
        </label>
        <button type="button" className="button button-secondary" onClick={() => void markAll()} disabled={busy || unread === 0} data-testid="notifications-mark-all">
          {t('notifications.markAllRead')}
        </button>
        <Link to="/profile#notification-settings" data-testid="notifications-settings-link">
          {t('notifications.settings')}
        </Link>
      </div>
      <SuccessNotice message={done} testId="notifications-done" onDismiss={() => setDone(null)} />
      <ErrorNotice error={actionError} testId="notifications-action-error" />
      <ErrorNotice error={error} testId="notifications-error" onRetry={() => void reload()} />
      <div className="card">
        {items.length > 0 ? (
          <p className="muted" data-testid="notifications-total">
            {t('common.total', { count: total })}
          </p>
        ) : null}
        {loading && items.length === 0 ? <Loading testId="notifications-loading" /> : null}
        {!loading && !error && items.length === 0 ? (
          <p className="muted" data-testid="notifications-empty">
            {unreadOnly ? t('notifications.emptyUnread') : t('notifications.empty')}
          </p>
        ) : null}
        {items.length > 0 ? (
          <ul className="notification-list notification-list-page" data-testid="notifications-list">
            {items.map((item) => (
              <NotificationRow key={item.id} item={item} onMarkRead={(n) => void markRead(n)} showMarkRead busy={busy} />
            ))}
          </ul>
        ) : null}
        <LoadMore visible={hasMore} loading={loadingMore} onClick={() => void loadMore()} testId="notifications-load-more" />
      </div>
    </section>
  );
}
