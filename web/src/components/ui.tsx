import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';
import { describeError, type ErrorCode } from '../api/errors';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/types';
import { LOCALES } from '../i18n/types';
import { Link } from '../routing/router';

export function ErrorNotice({
  error,
  overrides,
  testId = 'error',
  onRetry,
}: {
  error: unknown;
  overrides?: Partial<Record<ErrorCode, MessageKey>>;
  testId?: string;
  onRetry?: () => void;
}) {
  const { t } = useI18n();
  if (error === undefined || error === null) return null;
  const described = describeError(error, t, overrides);
  return (
    <div className="notice notice-error" role="alert" data-testid={testId} data-code={described.code}>
      <p>{described.message}</p>
      {described.detail ? <p className="notice-detail">{t('error.details', { message: described.detail })}</p> : null}
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function SuccessNotice({ message, testId = 'success', onDismiss }: { message: string | null; testId?: string; onDismiss?: () => void }) {
  const { t } = useI18n();
  if (!message) return null;
  return (
    <div className="notice notice-success" role="status" data-testid={testId}>
      <p>{message}</p>
      {onDismiss ? (
        <button type="button" className="button-link" onClick={onDismiss} aria-label={t('common.dismiss')}>
          ×
        </button>
      ) : null}
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  invalid?: boolean;
  testId?: string;
  hint?: string;
  /** A message shown under the input (marks it invalid); its test id is `<testId>-error`. */
  error?: string;
};

export function TextField({ label, value, onValueChange, invalid, testId, hint, error, id, className, ...rest }: TextFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        aria-invalid={invalid || Boolean(error) || undefined}
        aria-describedby={describedBy}
        data-testid={testId}
        {...rest}
      />
      {error ? (
        <small id={errorId} className="field-error" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </small>
      ) : null}
      {hint ? (
        <small id={hintId} className="field-hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  options: ReadonlyArray<{ value: string; label: string }>;
  testId?: string;
  invalid?: boolean;
  hint?: string;
  /** A message shown under the select (marks it invalid); its test id is `<testId>-error`. */
  error?: string;
};

export function SelectField({ label, value, onValueChange, options, testId, invalid, hint, error, id, ...rest }: SelectFieldProps) {
  const autoId = useId();
  const selectId = id ?? autoId;
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = error ? `${selectId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select
        id={selectId}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        data-testid={testId}
        aria-invalid={invalid || Boolean(error) || undefined}
        aria-describedby={describedBy}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <small id={errorId} className="field-error" data-testid={testId ? `${testId}-error` : undefined}>
          {error}
        </small>
      ) : null}
      {hint ? (
        <small id={hintId} className="field-hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

export function LanguageSwitcher() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          className="lang-button"
          aria-pressed={locale === l}
          lang={l}
          onClick={() => setLocale(l)}
          data-testid={`lang-${l}`}
        >
          {l.toUpperCase()}
          <span className="visually-hidden"> — {t(l === 'ru' ? 'lang.ru' : 'lang.en')}</span>
        </button>
      ))}
    </div>
  );
}

export function Loading({ testId = 'loading' }: { testId?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite" data-testid={testId}>
      {t('common.loading')}
    </p>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1 data-testid="page-title">{title}</h1>
      {children}
    </header>
  );
}

export function NoAccess() {
  const { t } = useI18n();
  return (
    <section className="empty-state" data-testid="no-access">
      <h1>{t('noAccess.title')}</h1>
      <p>{t('noAccess.text')}</p>
      <Link to="/" className="button">
        {t('noAccess.home')}
      </Link>
    </section>
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <section className="empty-state" data-testid="not-found">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <Link to="/" className="button">
        {t('notFound.home')}
      </Link>
    </section>
  );
}

export function LoadMore({ visible, loading, onClick, testId }: { visible: boolean; loading: boolean; onClick: () => void; testId: string }) {
  const { t } = useI18n();
  if (!visible) return null;
  return (
    <button type="button" className="button button-secondary load-more" onClick={onClick} disabled={loading} data-testid={testId}>
      {loading ? t('common.loading') : t('common.loadMore')}
    </button>
  );
}

/** Card-style frame for the signed-out pages (login, sign-up, invitation). */
export function AuthShell({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="auth-shell">
      <header className="auth-top">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="auth-card" data-testid={testId}>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
