import { useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { AuthShell, ErrorNotice, SelectField, TextField } from '../components/ui';
import type { Currency } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { Link, useRouter } from '../routing/router';
import { useSession } from '../session/SessionProvider';

const CURRENCIES: readonly Currency[] = ['RUB', 'KZT'];

export function SignUpPage() {
  const { t, locale } = useI18n();
  const { signUp } = useSession();
  const { navigate } = useRouter();
  const [businessName, setBusinessName] = useState('');
  const [locationName, setLocationName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [currency, setCurrency] = useState<Currency>('RUB');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signUp({
        businessName: businessName.trim(),
        locationName: locationName.trim(),
        displayName: displayName.trim(),
        email: email.trim(),
        password,
        currency,
        locale: locale === 'en' ? 'EN' : 'RU',
      });
      navigate('/', { replace: true });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const field = error ? describeError(error, t).field : undefined;

  return (
    <AuthShell title={t('signup.title')} testId="signup-page">
      <p className="muted">{t('signup.subtitle')}</p>
      <form onSubmit={onSubmit} className="form" data-testid="signup-form">
        <TextField
          label={t('field.businessName')}
          name="businessName"
          required
          autoFocus
          autoComplete="organization"
          value={businessName}
          onValueChange={setBusinessName}
          invalid={field === 'businessName'}
          testId="signup-business-name"
        />
        <TextField
          label={t('field.locationName')}
          name="locationName"
          required
          value={locationName}
          onValueChange={setLocationName}
          invalid={field === 'locationName'}
          testId="signup-location-name"
        />
        <SelectField
          label={t('field.currency')}
          name="currency"
          value={currency}
          onValueChange={(v) => setCurrency(v as Currency)}
          options={CURRENCIES.map((c) => ({ value: c, label: t(`currency.${c}`) }))}
          invalid={field === 'currency'}
          testId="signup-currency"
        />
        <TextField
          label={t('field.displayName')}
          name="displayName"
          required
          autoComplete="name"
          value={displayName}
          onValueChange={setDisplayName}
          invalid={field === 'displayName'}
          testId="signup-display-name"
        />
        <TextField
          label={t('field.email')}
          type="email"
          name="email"
          required
          autoComplete="username"
          value={email}
          onValueChange={setEmail}
          invalid={field === 'email'}
          testId="signup-email"
        />
        <TextField
          label={t('field.password')}
          type="password"
          name="password"
          required
          autoComplete="new-password"
          value={password}
          onValueChange={setPassword}
          invalid={field === 'password'}
          testId="signup-password"
        />
        <ErrorNotice error={error} overrides={{ CONFLICT: 'signup.emailTaken' }} testId="signup-error" />
        <button type="submit" className="button" disabled={busy} data-testid="signup-submit">
          {busy ? t('signup.submitting') : t('signup.submit')}
        </button>
      </form>
      <p className="auth-alt">
        {t('signup.haveAccount')}{' '}
        <Link to="/login" data-testid="to-login">
          {t('signup.loginLink')}
        </Link>
      </p>
    </AuthShell>
  );
}
