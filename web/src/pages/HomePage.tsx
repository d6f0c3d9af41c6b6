import { useEffect, useRef } from 'react';
import { useQuery } from '../api/hooks';
import { useLiveStatus, useRefetchOnReconnect, useSubscription } from '../api/liveHooks';
import { CheckProcessedDocument, GuestCountDocument } from '../api/operations';
import { LiveIndicator } from '../components/LiveIndicator';
import { PageHeader } from '../components/ui';
import { useI18n } from '../i18n/I18nProvider';
import { hasPermission, PERMISSIONS, visibleNavItems } from '../nav';
import { useNotifications, useOnNotification } from '../notifications/NotificationsProvider';
import { roleKey } from '../roles';
import { Link } from '../routing/router';
import { useMe } from '../session/SessionProvider';
import { useFormat } from '../useFormat';
import { locationStorageKey } from './cashier/logic';

export function HomePage() {
  const { t } = useI18n();
  const me = useMe();
  const sections = visibleNavItems(me.permissions, me.role).filter((item) => item.id !== 'home');

  return (
    <section data-testid="home-page">
      <PageHeader title={t('home.title')} />
      <p className="lead" data-testid="home-welcome">
        {t('home.welcome', { name: me.user.displayName })}
      </p>
      <dl className="facts card">
        <dt>{t('home.tenant')}</dt>
        <dd data-testid="home-tenant">{me.tenant.name}</dd>
        <dt>{t('home.role')}</dt>
        <dd data-testid="home-role" data-role={me.role}>
          {t(roleKey(me.role))}
        </dd>
        <dt>{t('home.email')}</dt>
        <dd data-testid="home-email">{me.user.email}</dd>
        <dt>{t('home.currency')}</dt>
        <dd>{t(`currency.${me.tenant.currency}`)}</dd>
      </dl>
      <NowBlock />
      <h2>{t('home.sections')}</h2>
      {sections.length === 0 ? (
        <p className="muted">{t('home.noSections')}</p>
      ) : (
        <ul className="tiles">
          {sections.map((item) => (
            <li key={item.id}>
              <Link to={item.path} className="tile" data-testid={`home-link-${item.id}`}>
                {t(item.labelKey)}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function rememberedLocation(tenantId: string): string | null {
  try {
    return window.localStorage.getItem(locationStorageKey(tenantId));
  } catch {
    return null;
  }
}

/**
 * "Right now": the unread notifications (live, from the bell) and, for those who may read guests,
 * how many guests the programme has — read again when a check goes through at the location this
 * browser's cashier screen uses (a new guest usually comes with a check), when a notification
 * arrives, when the tab is shown again and after a dropped connection.
 */
function NowBlock() {
  const { t } = useI18n();
  const me = useMe();
  const fmt = useFormat();
  const notifications = useNotifications();
  const liveStatus = useLiveStatus();
  const canGuests = hasPermission(me.permissions, PERMISSIONS.guestsRead);
  const guests = useQuery(GuestCountDocument, {}, { skip: !canGuests });
  const locationId = hasPermission(me.permissions, PERMISSIONS.checksProcess) ? rememberedLocation(me.tenant.id) : null;

  // several events in a row (a busy till) → one read
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refetch = guests.refetch;
  const refresh = () => {
    if (!canGuests) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void refetch(), 500);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  useRefetchOnReconnect(refresh);
  useOnNotification(refresh);
  useSubscription(CheckProcessedDocument, { locationId: locationId ?? '' }, refresh, { skip: !locationId || !canGuests });
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') refreshRef.current();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  if (!notifications && !canGuests) return null;
  const unread = notifications?.state.unread ?? 0;
  const total = guests.data?.guests.totalCount;
  return (
    <section className="card home-now" aria-labelledby="home-now-title" data-testid="home-now">
      <div className="card-header">
        <h2 id="home-now-title">{t('home.now')}</h2>
        <LiveIndicator status={liveStatus} testId="home-live" />
      </div>
      <dl className="stat-row">
        {notifications ? (
          <div>
            <dt>{t('home.unread')}</dt>
            <dd className="stat">
              <Link to="/notifications" data-testid="home-unread" data-value={unread}>
                {fmt.points(unread)}
              </Link>
            </dd>
          </div>
        ) : null}
        {canGuests ? (
          <div>
            <dt>{t('home.guestsTotal')}</dt>
            <dd className="stat" data-testid="home-guests" data-value={total ?? ''}>
              {total === undefined ? '—' : fmt.points(total)}
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
