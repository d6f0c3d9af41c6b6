import { PageHeader } from '../components/ui';
import { useI18n } from '../i18n/I18nProvider';
import { visibleNavItems } from '../nav';
import { roleKey } from '../roles';
import { Link } from '../routing/router';
import { useMe } from '../session/SessionProvider';

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
