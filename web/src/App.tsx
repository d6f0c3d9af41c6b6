import { lazy, Suspense, type ComponentType } from 'react';
import { Layout } from './components/Layout';
import { AuthShell, ErrorNotice, Loading, NoAccess, NotFound } from './components/ui';
import { useI18n } from './i18n/I18nProvider';
import { accessFor, normalizePath, type PageId } from './nav';
import { AcceptInvitationPage } from './pages/AcceptInvitationPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { AuditPage } from './pages/AuditPage';
import { CashierPage } from './pages/cashier/CashierPage';
import { GuestPage } from './pages/guests/GuestPage';
import { GuestsPage } from './pages/guests/GuestsPage';
import { HomePage } from './pages/HomePage';
import { LevelsPage } from './pages/LevelsPage';
import { LocationsPage } from './pages/LocationsPage';
import { LoyaltySettingsPage } from './pages/LoyaltySettingsPage';
import { LoginPage } from './pages/LoginPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ProfilePage } from './pages/ProfilePage';
import { RolesPage } from './pages/RolesPage';
import { SignUpPage } from './pages/SignUpPage';
import { StaffPage } from './pages/StaffPage';
import { Redirect, useRouter } from './routing/router';
import { useSession } from './session/SessionProvider';

// Loaded on first visit: only owners and managers open it, and it keeps the main chunk small.
const PromotionsPage = lazy(() => import('./pages/promotions/PromotionsPage').then((m) => ({ default: m.PromotionsPage })));

// Integrations, API keys, webhooks and the job queue: admins only, one lazy chunk.
const IntegrationsPage = lazy(() => import('./pages/integrations/IntegrationsPage').then((m) => ({ default: m.IntegrationsPage })));
const ApiKeysPage = lazy(() => import('./pages/integrations/ApiKeysPage').then((m) => ({ default: m.ApiKeysPage })));
const WebhooksPage = lazy(() => import('./pages/integrations/WebhooksPage').then((m) => ({ default: m.WebhooksPage })));
const JobsPage = lazy(() => import('./pages/integrations/JobsPage').then((m) => ({ default: m.JobsPage })));

const PAGES: Record<PageId, ComponentType> = {
  home: HomePage,
  cashier: CashierPage,
  guests: GuestsPage,
  guest: GuestPage,
  levels: LevelsPage,
  promotions: PromotionsPage,
  loyaltySettings: LoyaltySettingsPage,
  staff: StaffPage,
  locations: LocationsPage,
  roles: RolesPage,
  audit: AuditPage,
  integrations: IntegrationsPage,
  apiKeys: ApiKeysPage,
  webhooks: WebhooksPage,
  jobs: JobsPage,
  profile: ProfilePage,
  notifications: NotificationsPage,
};

export function App() {
  const { t } = useI18n();
  const { state, retryRestore } = useSession();
  const { location } = useRouter();
  const path = normalizePath(location.pathname);

  // The invitation page works with or without a session.
  if (path === '/accept-invitation') return <AcceptInvitationPage />;
  // So does the password-reset page (a link from an e-mail).
  if (path === '/reset-password') return <ResetPasswordPage />;

  if (state.status === 'restoring') {
    return (
      <AuthShell title={t('app.tagline')} testId="restoring">
        <Loading />
      </AuthShell>
    );
  }
  if (state.status === 'restoreFailed') {
    return (
      <AuthShell title={t('app.tagline')} testId="restore-failed">
        <ErrorNotice error={state.error} onRetry={retryRestore} testId="restore-error" />
      </AuthShell>
    );
  }

  if (state.status === 'anonymous') {
    if (path === '/login') return <LoginPage sessionExpired={state.expired} />;
    if (path === '/signup') return <SignUpPage />;
    const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
    return <Redirect to={`/login${next}`} />;
  }

  // Signed in.
  if (path === '/login' || path === '/signup') return <Redirect to="/" />;

  const access = accessFor(path, state.me.permissions);
  let content;
  if (access.kind === 'unknown') content = <NotFound />;
  else if (access.kind === 'forbidden') content = <NoAccess />;
  else {
    const Page = PAGES[access.item.id];
    // key: remount (fresh data) when switching pages (and between two guests' cards)
    content = (
      <Suspense fallback={<Loading />}>
        <Page key={access.item.id === 'guest' ? path : access.item.id} />
      </Suspense>
    );
  }
  return <Layout>{content}</Layout>;
}
