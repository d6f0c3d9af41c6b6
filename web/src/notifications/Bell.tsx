import { useEffect, useId, useRef, useState, type CSSProperties } from 'react';
import { ErrorNotice, Loading } from '../components/ui';
import { useI18n } from '../i18n/I18nProvider';
import { Link, useRouter } from '../routing/router';
import { badgeText, type NotificationItem } from './logic';
import { NotificationRow } from './NotificationList';
import { useNotifications } from './NotificationsProvider';

/**
 * The bell in the top bar: the unread count (live), and a dropdown with the latest notifications,
 * "mark all read" and a link to the notification centre. Esc or a click outside closes it.
 */
export function NotificationBell() {
  const { t } = useI18n();
  const notifications = useNotifications();
  const { location } = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  // on a phone the dropdown spans the screen just under the bell (see styles.css)
  const [top, setTop] = useState<number | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const loadLatest = notifications?.loadLatest;

  useEffect(() => {
    if (open && loadLatest) void loadLatest();
  }, [open, loadLatest]);

  // another page: the dropdown goes away
  useEffect(() => setOpen(false), [location.pathname]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (!notifications) return null;
  const { state } = notifications;
  const badge = badgeText(state.unread);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const markOne = (item: NotificationItem) => void act(() => notifications.markRead([item.id]));

  return (
    <div className="bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="bell-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        aria-label={state.unread > 0 ? t('notifications.bellUnread', { count: state.unread }) : t('notifications.bell')}
        title={t('notifications.bell')}
        onClick={() => {
          setTop(button.current ? Math.round(button.current.getBoundingClientRect().bottom + 8) : null);
          setOpen((o) => !o);
        }}
        data-testid="notification-bell"
        data-unread={state.unread}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
            fill="currentColor"
          />
        </svg>
        {badge ? (
          <span className="bell-count" data-testid="notification-bell-count">
            {badge}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          className="bell-dropdown"
          style={top !== null ? ({ '--bell-top': `${top}px` } as CSSProperties) : undefined}
          id={panelId}
          role="region"
          aria-label={t('notifications.latest')}
          data-testid="notification-dropdown"
        >
          <div className="bell-head">
            <strong>{t('notifications.latest')}</strong>
            <button
              type="button"
              className="button button-small button-secondary"
              onClick={() => void act(() => notifications.markAllRead())}
              disabled={busy || state.unread === 0}
              data-testid="notification-mark-all"
            >
              {t('notifications.markAllRead')}
            </button>
          </div>
          <ErrorNotice error={error ?? notifications.latestError} testId="notification-dropdown-error" />
          {state.latest === null ? (
            notifications.latestError ? null : <Loading testId="notification-dropdown-loading" />
          ) : state.latest.length === 0 ? (
            <p className="muted bell-empty" data-testid="notification-dropdown-empty">
              {t('notifications.empty')}
            </p>
          ) : (
            <ul className="notification-list">
              {state.latest.map((item) => (
                <NotificationRow key={item.id} item={item} onMarkRead={markOne} onOpened={() => setOpen(false)} />
              ))}
            </ul>
          )}
          <div className="bell-foot">
            <Link to="/notifications" onClick={() => setOpen(false)} data-testid="notification-all">
              {t('notifications.all')}
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
