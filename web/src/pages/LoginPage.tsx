import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { AuthShell, ErrorNotice, TextField } from '../components/ui';
import { useI18n } from '../i18n/I18nProvider';
import { safeNextPath } from '../nav';
import { Link, useRouter, useSearchParam } from '../routing/router';
import { useSession } from '../session/SessionProvider';

export function LoginPage({ sessionExpired }: { sessionExpired: boolean }) {
  const { t } = useI18n();
  const { login } = useSession();
  const { navigate } = useRouter();
  const next = useSearchParam('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login({ email: email.trim(), password });
      navigate(safeNextPath(next), { replace: true });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const field = error ? describeError(error, t).field : undefined;

  return (
    <AuthShell title={t('login.title')} testId="login-page">
      {sessionExpired && !error ? (
        <p className="notice notice-info" role="status" data-testid="session-expired">
          {t('login.sessionExpired')}
        </p>
      ) : null}
      <form onSubmit={onSubmit} className="form" data-testid="login-form" noValidate={false}>
        <TextField
          label={t('field.email')}
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onValueChange={setEmail}
          invalid={field === 'email'}
          testId="login-email"
        />
        <TextField
          label={t('field.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onValueChange={setPassword}
          invalid={field === 'password'}
          testId="login-password"
        />
        <ErrorNotice error={error} overrides={{ UNAUTHENTICATED: 'login.invalidCredentials' }} testId="login-error" />
        <button type="submit" className="button" disabled={busy} data-testid="login-submit">
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p className="auth-alt">
        <Link to="/reset-password" data-testid="to-reset-password">
          {t('login.forgotPassword')}
        </Link>
      </p>
      <p className="auth-alt">
        {t('login.noAccount')}{' '}
        <Link to="/signup" data-testid="to-signup">
          {t('login.signUpLink')}
        </Link>
      </p>
    </AuthShell>
  );
}
