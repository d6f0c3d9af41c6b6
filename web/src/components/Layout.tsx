import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { normalizePath, visibleNavItems } from '../nav';
import { roleKey } from '../roles';
import { Link, useRouter } from '../routing/router';
import { useMe, useSession } from '../session/SessionProvider';
import { LanguageSwitcher } from './ui';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  const { logout } = useSession();
  const { location, navigate } = useRouter();
  const [leaving, setLeaving] = useState(false);
  const current = normalizePath(location.pathname);
  const items = visibleNavItems(me.permissions);

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
    <div className="layout">
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <div className="topbar-brand">
          <span className="brand">{t('app.name')}</span>
          <span className="tenant-name" data-testid="layout-tenant">
            {me.tenant.name}
          </span>
        </div>
        <div className="topbar-user">
          <span className="user-name" data-testid="layout-user">
            {t('layout.user', { name: me.user.displayName, role: t(roleKey(me.role)) })}
          </span>
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
                  aria-current={current === item.path ? 'page' : undefined}
                  data-testid={`nav-${item.id}`}
                >
                  {t(item.labelKey)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
