import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { GraphQLClient } from './api/client';
import { createTokenStore } from './api/tokens';
import { I18nProvider } from './i18n/I18nProvider';
import { RouterProvider } from './routing/router';
import { SessionProvider } from './session/SessionProvider';
import './styles.css';

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const client = new GraphQLClient({ tokens: createTokenStore(localStorageOrUndefined()) });

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing');

// The guest's Telegram Mini App lives at /app, outside the staff panel and its session.
const MiniAppPage = lazy(() => import('./pages/miniapp/MiniAppPage').then((m) => ({ default: m.MiniAppPage })));
const isMiniApp = /^\/app\/?$/.test(window.location.pathname);

createRoot(root).render(
  isMiniApp ? (
    <StrictMode>
      <I18nProvider>
        <Suspense fallback={null}>
          <MiniAppPage />
        </Suspense>
      </I18nProvider>
    </StrictMode>
  ) : (
  <StrictMode>
    <I18nProvider>
      <RouterProvider>
        <SessionProvider client={client}>
          <App />
        </SessionProvider>
      </RouterProvider>
    </I18nProvider>
  </StrictMode>
  ),
);
