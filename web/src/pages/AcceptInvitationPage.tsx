import { useEffect, useRef, useState, type FormEvent } from 'react';
import { describeError, toApiError } from '../api/errors';
import { InvitationPreviewDocument } from '../api/operations';
import { AuthShell, ErrorNotice, Loading, TextField } from '../components/ui';
import type { InvitationPreviewQuery } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { roleKey } from '../roles';
import { Link, useRouter, useSearchParam } from '../routing/router';
import { useSession } from '../session/SessionProvider';

type Preview = InvitationPreviewQuery['invitationPreview'];

export function AcceptInvitationPage() {
  const { t, formatDateTime } = useI18n();
  const { client, acceptInvitation, state } = useSession();
  const { navigate } = useRouter();
  const token = useSearchParam('token')?.trim() ?? '';

  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(Boolean(token));
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [passwordConfirm, setPasswordConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  /** The invited e-mail already has an account: only its password is needed (the name is kept). */
  const [existing, setExisting] = useState(false);
  const existingTouched = useRef(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    setLoading(true);
    client
      .request(InvitationPreviewDocument, { token }, { auth: false })
      .then((data) => {
        if (!cancelled) setPreview(data.invitationPreview);
      })
      .catch((e: unknown) => {
        if (!cancelled) setPreviewError(e);
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [client, token]);

  // Signed in here as the invited person (possibly only once the session is restored):
  // they certainly have an account, so preselect that — unless the user already chose.
  const signedInEmail = state.status === 'authenticated' ? state.me.user.email.toLowerCase() : null;
  useEffect(() => {
    if (!existingTouched.current && preview && signedInEmail === preview.email.toLowerCase()) setExisting(true);
  }, [preview, signedInEmail]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!existing && password !== passwordConfirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    setError(undefined);
    try {
      // The server ignores the name for an existing account.
      await acceptInvitation({ token, displayName: existing ? '' : displayName.trim(), password });
      navigate('/', { replace: true });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <AuthShell title={t('accept.title')} testId="accept-page">
        <p className="notice notice-error" role="alert" data-testid="accept-invalid">
          {t('accept.missingToken')}
        </p>
        <Link to="/login">{t('accept.toLogin')}</Link>
      </AuthShell>
    );
  }

  if (loading) {
    return (
      <AuthShell title={t('accept.title')} testId="accept-page">
        <Loading />
      </AuthShell>
    );
  }

  if (previewError !== undefined || !preview) {
    const code = toApiError(previewError).code;
    const invalid = code === 'NOT_FOUND' || code === 'VALIDATION' || code === 'CONFLICT' || code === 'FORBIDDEN';
    return (
      <AuthShell title={t('accept.title')} testId="accept-page">
        {invalid ? (
          <p className="notice notice-error" role="alert" data-testid="accept-invalid">
            {t('accept.invalid')}
          </p>
        ) : (
          <ErrorNotice error={previewError} testId="accept-error" />
        )}
        <Link to="/login">{t('accept.toLogin')}</Link>
      </AuthShell>
    );
  }

  const field = error ? describeError(error, t).field : undefined;
  const errorCode = error ? toApiError(error).code : undefined;
  // A wrong guess about having an account is explained instead of a generic message.
  const noAccount = existing && errorCode === 'VALIDATION' && field === 'displayName';

  return (
    <AuthShell title={t('accept.title')} testId="accept-page">
      <p data-testid="accept-intro">{t('accept.intro', { tenant: preview.tenantName })}</p>
      <dl className="facts" data-testid="accept-preview">
        <dt>{t('accept.tenant')}</dt>
        <dd data-testid="accept-tenant">{preview.tenantName}</dd>
        <dt>{t('accept.email')}</dt>
        <dd data-testid="accept-email">{preview.email}</dd>
        <dt>{t('accept.role')}</dt>
        <dd data-testid="accept-role" data-role={preview.role}>
          {t(roleKey(preview.role))}
        </dd>
        <dt>{t('accept.expires')}</dt>
        <dd>{formatDateTime(preview.expiresAt)}</dd>
      </dl>
      <form onSubmit={onSubmit} className="form" data-testid="accept-form">
        {/* Lets password managers save the login together with the new password. */}
        <input type="email" name="username" autoComplete="username" value={preview.email} readOnly hidden />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={existing}
            onChange={(e) => {
              existingTouched.current = true;
              setExisting(e.target.checked);
              setError(undefined);
              setMismatch(false);
            }}
            data-testid="accept-existing"
          />
          <span>{t('accept.existingAccount')}</span>
        </label>
        <p className="muted" data-testid={existing ? 'accept-existing-hint' : undefined}>
          {existing ? t('accept.existingHint') : t('accept.formHint')}
        </p>
        {!existing ? (
          <TextField
            label={t('field.displayName')}
            name="displayName"
            required
            autoFocus
            autoComplete="name"
            value={displayName}
            onValueChange={setDisplayName}
            invalid={field === 'displayName'}
            testId="accept-display-name"
          />
        ) : null}
        <TextField
          label={existing ? t('accept.existingPassword') : t('field.password')}
          type="password"
          name="password"
          required
          autoFocus={existing}
          autoComplete={existing ? 'current-password' : 'new-password'}
          value={password}
          onValueChange={(v) => {
            setPassword(v);
            setMismatch(false);
          }}
          invalid={field === 'password'}
          testId="accept-password"
        />
        {!existing ? (
          <TextField
            label={t('field.passwordConfirm')}
            type="password"
            name="passwordConfirm"
            required
            autoComplete="new-password"
            value={passwordConfirm}
            onValueChange={(v) => {
              setPasswordConfirm(v);
              setMismatch(false);
            }}
            invalid={mismatch}
            testId="accept-password-confirm"
          />
        ) : null}
        {mismatch ? (
          <p className="notice notice-error" role="alert" data-testid="accept-mismatch">
            {t('error.passwordMismatch')}
          </p>
        ) : null}
        {noAccount ? (
          <p className="notice notice-error" role="alert" data-testid="accept-error">
            {t('accept.noAccount')}
          </p>
        ) : (
          <ErrorNotice
            error={error}
            overrides={{ UNAUTHENTICATED: existing ? 'accept.wrongPassword' : 'accept.accountExists' }}
            testId="accept-error"
          />
        )}
        <button type="submit" className="button" disabled={busy} data-testid="accept-submit">
          {busy ? t('accept.submitting') : t('accept.submit')}
        </button>
      </form>
    </AuthShell>
  );
}
