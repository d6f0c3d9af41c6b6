import type { LiveStatus } from '../api/live';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/types';

const LABELS: Readonly<Record<Exclude<LiveStatus, 'idle'>, { label: MessageKey; title: MessageKey }>> = {
  live: { label: 'live.live', title: 'live.title.live' },
  connecting: { label: 'live.connecting', title: 'live.title.reconnecting' },
  reconnecting: { label: 'live.reconnecting', title: 'live.title.reconnecting' },
  offline: { label: 'live.offline', title: 'live.title.offline' },
};

/** "● live" / "reconnecting…" next to data that updates by itself; nothing while no connection is wanted. */
export function LiveIndicator({ status, testId = 'live-indicator' }: { status: LiveStatus; testId?: string }) {
  const { t } = useI18n();
  if (status === 'idle') return null;
  const { label, title } = LABELS[status];
  return (
    <span className={`live-indicator live-${status}`} role="status" title={t(title)} data-testid={testId} data-status={status}>
      <span className="live-dot" aria-hidden="true" />
      {t(label)}
    </span>
  );
}
