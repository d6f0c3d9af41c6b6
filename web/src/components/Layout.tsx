import { Fragment, useEffect, useId, useState, type ReactNode } from 'react';
import { useQuery } from '../api/hooks';
import { LiveProvider } from '../api/liveHooks';
import { MyTenantsDocument } from '../api/operations';
import { useI18n } from '../i18n/I18nProvider';
import { isCurrentNav, normalizePath, visibleNavItems } from '../nav';
import { NotificationBell } from '../notifications/Bell';
import { NotificationToasts } from '../notifications/NotificationList';
import { NotificationsProvider } from '../notifications/NotificationsProvider';
import { roleKey } from '../roles';
import { Link, useRouter } from '../routing/router';
import { useMe, useSession } from '../session/SessionProvider';
import { ErrorNotice, LanguageSwitcher } from './ui';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  const { logout } = useSession();
  const { location, navigate } = useRouter();
  const [leaving, setLeaving] = useState(false);
  const [switchError, setSwitchError] = useState<unknown>(undefined);
  const current = normalizePath(location.pathname);
  const items = visibleNavItems(me.permissions, me.role);

  // A failed switch is reported until the user moves on.
  useEffect(() => setSwitchError(undefined), [current]);

  const onLogout = async () => {
    setLeaving(true);
    try {
      await logout();
    } finally {
      setLeaving(false);
      navigate('/login', { replace: true });
    }
  };

  return (
    // One live connection per session and business (a switch reconnects with the new token), and
    // the notifications that arrive on it.
    <LiveProvider key={me.tenant.id}>
      <NotificationsProvider>
        <div className="layout">
          <a href="#main" className="skip-link">
            {t('app.skipToContent')}
          </a>
          <header className="topbar">
            <div className="topbar-brand">
              <span className="brand">{t('app.name')}</span>
              {/* key: a new business (switch, or a refresh in another tab) re-reads the list */}
              <TenantSwitcher key={me.tenant.id} onError={setSwitchError} />
            </div>
            <div className="topbar-user">
              <NotificationBell />
              <Link
                to="/profile"
                className="user-name"
                aria-current={current === '/profile' ? 'page' : undefined}
                title={t('layout.profileLink', { name: me.user.displayName })}
                data-testid="layout-user"
              >
                {t('layout.user', { name: me.user.displayName, role: t(roleKey(me.role)) })}
              </Link>
              <LanguageSwitcher />
              <button type="button" className="button button-secondary" onClick={onLogout} disabled={leaving} data-testid="logout-button">
                {leaving ? t('layout.loggingOut') : t('layout.logout')}
              </button>
            </div>
          </header>
          <div className="layout-body">
            <nav className="sidenav" aria-label={t('nav.label')} data-testid="nav">
              <ul>
                {items.map((item) => (
                  <li key={item.id}>
                    <Link
                      to={item.path}
                      className="nav-link"
                      aria-current={isCurrentNav(item, current) ? 'page' : undefined}
                      data-testid={`nav-${item.id}`}
                    >
                      {t(item.labelKey)}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <main id="main" className="content" tabIndex={-1}>
              <ErrorNotice error={switchError} testId="tenant-switch-error" />
              {/* key: nothing loaded for one business survives a switch to another */}
              <Fragment key={me.tenant.id}>{children}</Fragment>
            </main>
          </div>
          <NotificationToasts />
        </div>
      </NotificationsProvider>
    </LiveProvider>
  );
}

/**
 * The current business. With several (`myTenants`), a picker: choosing one starts a session
 * there (new tokens stored like a login) and goes home.
 */
function TenantSwitcher({ onError }: { onError: (error: unknown) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const { switchTenant } = useSession();
  const { navigate } = useRouter();
  const tenants = useQuery(MyTenantsDocument, {});
  const [switching, setSwitching] = useState(false);
  const selectId = useId();

  const memberships = tenants.data?.myTenants ?? [];
  if (memberships.length <= 1) {
    return (
      <span className="tenant-name" data-testid="layout-tenant">
        {me.tenant.name}
      </span>
    );
  }

  const onChange = async (tenantId: string) => {
    if (tenantId === me.tenant.id) return;
    setSwitching(true);
    onError(undefined);
    try {
      await switchTenant(tenantId);
      navigate('/');
      // This component remounts (new key) for the new business.
    } catch (e) {
      onError(e);
      setSwitching(false);
      void tenants.refetch(); // e.g. NOT_FOUND: no longer staff there
    }
  };

  return (
    <div className="tenant-switch">
      <label htmlFor={selectId} className="visually-hidden">
        {t('layout.tenantSwitch')}
      </label>
      <select
        id={selectId}
        className="tenant-select"
        value={me.tenant.id}
        disabled={switching}
        aria-busy={switching || undefined}
        onChange={(e) => void onChange(e.target.value)}
        data-testid="tenant-switch"
        data-current={me.tenant.name}
      >
        {/* The session's business stays listed even if the list is a moment behind. */}
        {memberships.some((m) => m.tenant.id === me.tenant.id) ? null : <option value={me.tenant.id}>{me.tenant.name}</option>}
        {memberships.map((m) => (
          <option key={m.tenant.id} value={m.tenant.id}>
            {m.tenant.name}
          </option>
        ))}
      </select>
      {switching ? (
        <span className="muted tenant-switching" role="status">
          {t('layout.switching')}
        </span>
      ) : null}
    </div>
  );
}
