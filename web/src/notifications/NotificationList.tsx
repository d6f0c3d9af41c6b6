import { useI18n } from '../i18n/I18nProvider';
import { Link, useRouter } from '../routing/router';
import { kindKey, notificationLink, toastText, type NotificationItem } from './logic';
import { useNotifications, type ToastItem } from './NotificationsProvider';

/**
 * One notification: kind, title, body, time, a "new" mark. Clicking it marks it read and opens what
 * it is about (the guest, the integration) when there is something to open.
 */
export function NotificationRow({
  item,
  onOpened,
  onMarkRead,
  showMarkRead = false,
  busy = false,
}: {
  item: NotificationItem;
  onOpened?: () => void;
  onMarkRead: (item: NotificationItem) => void;
  showMarkRead?: boolean;
  busy?: boolean;
}) {
  const { t, formatDateTime } = useI18n();
  const { navigate } = useRouter();
  const unread = !item.readAt;
  const link = notificationLink(item);
  const text = toastText(item, t);
  const open = () => {
    if (unread) onMarkRead(item);
    if (link) {
      navigate(link);
      onOpened?.();
    }
  };
  return (
    <li
      className={`notification${unread ? ' notification-unread' : ''}`}
      data-testid="notification-item"
      data-id={item.id}
      data-kind={item.kind}
      data-unread={unread ? 'true' : 'false'}
    >
      <button type="button" className="notification-main" onClick={open} disabled={!link && !unread}>
        <span className="notification-kind muted">
          {unread ? <span className="notification-new">{t('notifications.unread')}</span> : null}
          {t(kindKey(item.kind))} · {formatDateTime(item.createdAt)}
        </span>
        <span className="notification-title" data-testid="notification-title">
          {text.title}
        </span>
        {text.body ? <span className="notification-body">{text.body}</span> : null}
      </button>
      {showMarkRead && unread ? (
        <button
          type="button"
          className="button button-small button-secondary"
          onClick={() => onMarkRead(item)}
          disabled={busy}
          data-testid="notification-mark-read"
        >
          {t('notifications.markRead')}
        </button>
      ) : null}
    </li>
  );
}

/** Live notifications popping up in the corner (they also land in the bell). */
export function NotificationToasts() {
  const { t } = useI18n();
  const notifications = useNotifications();
  if (!notifications || notifications.toasts.length === 0) return null;
  return (
    <div className="toast-stack" aria-live="polite" data-testid="notification-toasts">
      {notifications.toasts.map((toast) => (
        <Toast key={toast.key} toast={toast} onDismiss={() => notifications.dismissToast(toast.key)} dismissLabel={t('common.dismiss')} />
      ))}
    </div>
  );
}

function Toast({ toast, onDismiss, dismissLabel }: { toast: ToastItem; onDismiss: () => void; dismissLabel: string }) {
  const { t } = useI18n();
  const text = toastText(toast.item, t);
  const link = notificationLink(toast.item);
  return (
    <div className="toast" role="status" data-testid="notification-toast" data-kind={toast.item.kind}>
      <div className="toast-text">
        <strong data-testid="notification-toast-title">{text.title}</strong>
        {text.body ? <p>{text.body}</p> : null}
        {link ? (
          <Link to={link} onClick={onDismiss}>
            {t('notifications.open')}
          </Link>
        ) : null}
      </div>
      <button type="button" className="button-link toast-close" onClick={onDismiss} aria-label={dismissLabel}>
        ×
      </button>
    </div>
  );
}
