import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { ErrorNotice, PageHeader, SelectField, SuccessNotice, TextField } from '../components/ui';
import type { Locale as ApiLocale } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { NotificationPreferencesCard } from '../notifications/PreferencesCard';
import { roleKey } from '../roles';
import { uiLocale } from '../session/account';
import { useMe, useSession } from '../session/SessionProvider';
import {
  EMPTY_PASSWORD_FORM,
  hasErrors,
  MIN_PASSWORD_LENGTH,
  passwordServerErrors,
  validatePasswordForm,
  type PasswordField,
  type PasswordFieldErrors,
  type PasswordFormValues,
} from './passwordForm';

const API_LOCALES: readonly ApiLocale[] = ['RU', 'EN'];

export function ProfilePage() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <section data-testid="profile-page">
      <PageHeader title={t('profile.title')} />
      <dl className="facts card" data-testid="profile-facts">
        <dt>{t('profile.email')}</dt>
        <dd data-testid="profile-email">{me.user.email}</dd>
        <dt>{t('home.tenant')}</dt>
        <dd>{me.tenant.name}</dd>
        <dt>{t('home.role')}</dt>
        <dd>{t(roleKey(me.role))}</dd>
      </dl>
      <div className="card-grid">
        <ProfileForm />
        <PasswordForm />
      </div>
      <NotificationPreferencesCard />
    </section>
  );
}

function ProfileForm() {
  const { t, setLocale } = useI18n();
  const me = useMe();
  const { updateMyProfile } = useSession();
  const [displayName, setDisplayName] = useState(me.user.displayName);
  const [locale, setLocaleValue] = useState<ApiLocale>(me.user.locale);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const [nameRequired, setNameRequired] = useState(false);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (displayName.trim() === '') {
      setNameRequired(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const user = await updateMyProfile({ displayName: displayName.trim(), locale });
      setDisplayName(user.displayName);
      setLocaleValue(user.locale);
      // Saving a language is an explicit choice: the UI follows it (and remembers it here).
      setLocale(uiLocale(user.locale));
      setSaved(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const described = error ? describeError(error, t) : undefined;
  const field = described?.field;
  const fieldError = (name: string) =>
    field === name && described
      ? [described.message, described.detail ? t('error.details', { message: described.detail }) : ''].filter(Boolean).join(' ')
      : undefined;

  return (
    <section className="card" aria-labelledby="profile-details-title">
      <h2 id="profile-details-title">{t('profile.detailsTitle')}</h2>
      <form className="form" onSubmit={onSubmit} data-testid="profile-form">
        <TextField
          label={t('field.displayName')}
          name="displayName"
          required
          maxLength={100}
          autoComplete="name"
          value={displayName}
          onValueChange={(v) => {
            setDisplayName(v);
            setNameRequired(false);
            setError(undefined);
            setSaved(false);
          }}
          error={nameRequired ? t('common.required') : fieldError('displayName')}
          testId="profile-display-name"
        />
        <SelectField
          label={t('field.locale')}
          name="locale"
          value={locale}
          onValueChange={(v) => {
            setLocaleValue(v as ApiLocale);
            setSaved(false);
          }}
          options={API_LOCALES.map((l) => ({ value: l, label: t(l === 'EN' ? 'lang.en' : 'lang.ru') }))}
          invalid={field === 'locale'}
          testId="profile-locale"
        />
        <p className="field-hint form-note">{t('profile.localeHint')}</p>
        {field !== 'displayName' ? <ErrorNotice error={error} testId="profile-error" /> : null}
        <SuccessNotice message={saved ? t('profile.saved') : null} testId="profile-saved" onDismiss={() => setSaved(false)} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="profile-submit">
            {busy ? t('common.saving') : t('common.save')}
          </button>
        </div>
      </form>
    </section>
  );
}

function PasswordForm() {
  const { t } = useI18n();
  const { changePassword } = useSession();
  const [values, setValues] = useState<PasswordFormValues>(EMPTY_PASSWORD_FORM);
  const [fieldErrors, setFieldErrors] = useState<PasswordFieldErrors>({});
  const [general, setGeneral] = useState<string | undefined>(undefined);
  const [changed, setChanged] = useState(false);
  const [busy, setBusy] = useState(false);

  const set = (name: PasswordField) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setFieldErrors((e) => ({ ...e, [name]: undefined }));
    setChanged(false);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(undefined);
    setChanged(false);
    const local = validatePasswordForm(values, t);
    setFieldErrors(local);
    if (hasErrors(local)) return;
    setBusy(true);
    try {
      await changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      setValues(EMPTY_PASSWORD_FORM);
      setChanged(true);
    } catch (e) {
      const placed = passwordServerErrors(e, t);
      setFieldErrors(placed.fields);
      setGeneral(placed.general);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t('profile.password.title')}</h2>
      <p className="muted">{t('profile.password.hint')}</p>
      <form className="form" onSubmit={onSubmit} noValidate data-testid="password-form">
        <TextField
          label={t('field.currentPassword')}
          type="password"
          name="currentPassword"
          autoComplete="current-password"
          required
          value={values.currentPassword}
          onValueChange={set('currentPassword')}
          error={fieldErrors.currentPassword}
          testId="password-current"
        />
        <TextField
          label={t('field.newPassword')}
          type="password"
          name="newPassword"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          value={values.newPassword}
          onValueChange={set('newPassword')}
          error={fieldErrors.newPassword}
          hint={t('profile.password.newHint', { min: MIN_PASSWORD_LENGTH })}
          testId="password-new"
        />
        <TextField
          label={t('field.repeatPassword')}
          type="password"
          name="repeatPassword"
          autoComplete="new-password"
          required
          value={values.repeatPassword}
          onValueChange={set('repeatPassword')}
          error={fieldErrors.repeatPassword}
          testId="password-repeat"
        />
        {general ? (
          <p className="notice notice-error" role="alert" data-testid="password-error">
            {general}
          </p>
        ) : null}
        <SuccessNotice
          message={changed ? t('profile.password.changed') : null}
          testId="password-changed"
          onDismiss={() => setChanged(false)}
        />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="password-submit">
            {busy ? t('profile.password.submitting') : t('profile.password.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
