import { useState, type FormEvent } from 'react';
import { describeError, toApiError } from '../api/errors';
import { RequestPasswordResetDocument, ResetPasswordDocument } from '../api/operations';
import { AuthShell, ErrorNotice, TextField } from '../components/ui';
import { useI18n } from '../i18n/I18nProvider';
import { Link, useSearchParam } from '../routing/router';
import { useSession } from '../session/SessionProvider';
import { MIN_PASSWORD_LENGTH } from './passwordForm';

/**
 * `/reset-password`: without a token, asks for the e-mail and sends a link
 * (the answer never says whether the e-mail has an account); with the token
 * from that link, sets a new password.
 */
export function ResetPasswordPage() {
  const token = useSearchParam('token')?.trim() ?? '';
  return token ? <NewPasswordForm token={token} /> : <RequestForm />;
}

function RequestForm() {
  const { t } = useI18n();
  const { client } = useSession();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await client.request(RequestPasswordResetDocument, { email: email.trim() }, { auth: false });
      setSent(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title={t('reset.requestTitle')} testId="reset-request-page">
      {sent ? (
        <p className="notice notice-info" role="status" data-testid="reset-request-sent">
          {t('reset.requestSent')}
        </p>
      ) : (
        <form onSubmit={onSubmit} className="form" data-testid="reset-request-form">
          <p>{t('reset.requestHint')}</p>
          <TextField
            label={t('field.email')}
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onValueChange={setEmail}
            invalid={error ? describeError(error, t).field === 'email' : false}
            testId="reset-email"
          />
          <ErrorNotice error={error} testId="reset-request-error" />
          <button type="submit" className="button" disabled={busy} data-testid="reset-request-submit">
            {busy ? t('reset.requestSubmitting') : t('reset.requestSubmit')}
          </button>
        </form>
      )}
      <p className="auth-alt">
        <Link to="/login" data-testid="reset-to-login">
          {t('reset.toLogin')}
        </Link>
      </p>
    </AuthShell>
  );
}

function NewPasswordForm({ token }: { token: string }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [localError, setLocalError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      setLocalError(t('profile.password.tooShort', { min: MIN_PASSWORD_LENGTH }));
      return;
    }
    if (password !== repeat) {
      setLocalError(t('error.passwordMismatch'));
      return;
    }
    setLocalError(undefined);
    setBusy(true);
    setError(undefined);
    try {
      await client.request(ResetPasswordDocument, { token, newPassword: password }, { auth: false });
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const field = error ? describeError(error, t).field : undefined;
  const badToken = error !== undefined && toApiError(error).code === 'VALIDATION' && field === 'token';

  return (
    <AuthShell title={t('reset.title')} testId="reset-page">
      {done ? (
        <p className="notice notice-info" role="status" data-testid="reset-done">
          {t('reset.done')}
        </p>
      ) : badToken ? (
        <>
          <p className="notice notice-error" role="alert" data-testid="reset-invalid">
            {t('reset.invalidToken')}
          </p>
          <Link to="/reset-password" data-testid="reset-again">
            {t('reset.requestAgain')}
          </Link>
        </>
      ) : (
        <form onSubmit={onSubmit} className="form" data-testid="reset-form">
          <TextField
            label={t('field.newPassword')}
            type="password"
            name="new-password"
            autoComplete="new-password"
            required
            autoFocus
            value={password}
            onValueChange={setPassword}
            invalid={field === 'newPassword'}
            testId="reset-password"
          />
          <TextField
            label={t('field.repeatPassword')}
            type="password"
            name="repeat-password"
            autoComplete="new-password"
            required
            value={repeat}
            onValueChange={setRepeat}
            testId="reset-repeat"
          />
          {localError ? (
            <p className="notice notice-error" role="alert" data-testid="reset-local-error">
              {localError}
            </p>
          ) : null}
          <ErrorNotice error={error} testId="reset-error" />
          <button type="submit" className="button" disabled={busy} data-testid="reset-submit">
            {busy ? t('reset.submitting') : t('reset.submit')}
          </button>
        </form>
      )}
      <p className="auth-alt">
        <Link to="/login" data-testid="reset-to-login">
          {t('reset.toLogin')}
        </Link>
      </p>
    </AuthShell>
  );
}
