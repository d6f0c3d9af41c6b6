import { useEffect, useMemo, useReducer, useState, type FormEvent } from 'react';
import { useQuery } from '../../api/hooks';
import { ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument, RolePermissionsDocument } from '../../api/operations';
import { isFieldError, serverFieldError } from '../../components/formErrors';
import { ErrorNotice, Loading, PageHeader, SuccessNotice, TextField } from '../../components/ui';
import type { ApiKeyFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/I18nProvider';
import { isMessageKey } from '../../i18n/translate';
import { hasPermission, PERMISSIONS } from '../../nav';
import { useMe, useSession } from '../../session/SessionProvider';
import { grantableScopes, readOnlyScopes, SECRET_DIALOG_CLOSED, secretDialogReducer, toggleScope, validateApiKeyForm, type ApiKeyFormErrors } from './logic';
import { SecretDialog, StatusBadge } from './shared';

type ApiKey = ApiKeyFieldsFragment;

/** Partner API keys: create with scopes (the key is shown once), list, revoke. */
export function ApiKeysPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const { client } = useSession();
  const query = useQuery(ApiKeysDocument, {});
  // The catalogue (order and descriptions) when this person may read it; their own permissions otherwise.
  const catalogue = useQuery(RolePermissionsDocument, {}, { skip: !hasPermission(me.permissions, PERMISSIONS.rolesRead) });
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [dialog, dispatch] = useReducer(secretDialogReducer, SECRET_DIALOG_CLOSED);

  useEffect(() => {
    if (query.data) setKeys(query.data.apiKeys);
  }, [query.data]);

  const catalogueItems = catalogue.data?.permissionCatalog ?? [];
  const available = useMemo(
    () => grantableScopes(me.permissions, (catalogue.data?.permissionCatalog ?? []).map((p) => p.key)),
    [me.permissions, catalogue.data],
  );
  const scopeLabel = (key: string) => {
    const k = `perm.${key}`;
    return isMessageKey(k) ? t(k) : (catalogueItems.find((p) => p.key === key)?.description ?? key);
  };

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(t('apiKeys.confirmRevoke', { name: key.name, prefix: key.prefix }))) return;
    setBusyId(key.id);
    setNotice(null);
    setActionError(undefined);
    try {
      const data = await client.request(RevokeApiKeyDocument, { id: key.id });
      setKeys((list) => (list ?? []).map((k) => (k.id === key.id ? data.revokeApiKey : k)));
      setNotice(t('apiKeys.revoked', { name: key.name }));
    } catch (e) {
      setActionError(e);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section data-testid="api-keys-page">
      <PageHeader title={t('apiKeys.title')} />
      <p className="muted">{t('apiKeys.intro')}</p>
      <SuccessNotice message={notice} testId="api-keys-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={actionError} testId="api-keys-action-error" />
      <SecretDialog state={dialog} dispatch={dispatch} />

      <CreateApiKeyForm
        available={available}
        label={scopeLabel}
        onCreated={(apiKey, key) => {
          setKeys((list) => [...(list ?? []), apiKey]);
          dispatch({ type: 'show', reveal: { what: 'apiKey', reason: 'created', subject: apiKey.name, secret: key } });
        }}
      />

      <section className="card" aria-labelledby="api-keys-list-title">
        <div className="card-header">
          <h2 id="api-keys-list-title">{t('apiKeys.listTitle')}</h2>
          {keys ? <span className="muted">{t('common.total', { count: keys.length })}</span> : null}
        </div>
        {query.loading && !keys ? <Loading testId="api-keys-loading" /> : null}
        <ErrorNotice error={query.error} testId="api-keys-error" onRetry={() => void query.refetch()} />
        {keys && keys.length === 0 ? (
          <p className="muted" data-testid="api-keys-empty">
            {t('apiKeys.empty')}
          </p>
        ) : null}
        {keys && keys.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="api-keys-table">
              <thead>
                <tr>
                  <th scope="col">{t('apiKeys.col.name')}</th>
                  <th scope="col">{t('apiKeys.col.prefix')}</th>
                  <th scope="col">{t('apiKeys.col.scopes')}</th>
                  <th scope="col">{t('apiKeys.col.created')}</th>
                  <th scope="col">{t('apiKeys.col.lastUsed')}</th>
                  <th scope="col">{t('apiKeys.col.status')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} data-testid="api-key-row" data-id={k.id} data-name={k.name} data-active={k.active}>
                    <td>{k.name}</td>
                    <td>
                      <code data-testid="api-key-prefix">{k.prefix}…</code>
                    </td>
                    <td>
                      {k.scopes.map((s) => (
                        <span key={s} className="tag" title={scopeLabel(s)} data-testid="api-key-scope">
                          {s}
                        </span>
                      ))}
                    </td>
                    <td className="nowrap">
                      {formatDateTime(k.createdAt)}
                      {k.createdBy ? <span className="block muted">{k.createdBy}</span> : null}
                    </td>
                    <td className="nowrap" data-testid="api-key-last-used">
                      {k.lastUsedAt ? formatDateTime(k.lastUsedAt) : t('apiKeys.neverUsed')}
                    </td>
                    <td>
                      <StatusBadge tone={k.active ? 'ok' : 'off'} testId="api-key-status" value={k.active ? 'active' : 'revoked'}>
                        {k.active ? t('apiKeys.active') : t('apiKeys.revokedAt', { at: k.revokedAt ? formatDateTime(k.revokedAt) : '' })}
                      </StatusBadge>
                    </td>
                    <td>
                      {k.active ? (
                        <button
                          type="button"
                          className="button button-small button-danger"
                          disabled={busyId === k.id}
                          onClick={() => void revoke(k)}
                          aria-label={t('apiKeys.revokeFor', { name: k.name })}
                          data-testid="api-key-revoke"
                        >
                          {t('apiKeys.revoke')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </section>
  );
}

function CreateApiKeyForm({
  available,
  label,
  onCreated,
}: {
  available: readonly string[];
  label: (key: string) => string;
  onCreated: (apiKey: ApiKey, key: string) => void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [errors, setErrors] = useState<ApiKeyFormErrors>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const local = validateApiKeyForm(name, scopes);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const data = await client.request(CreateApiKeyDocument, { name: name.trim(), scopes });
      setName('');
      setScopes([]);
      onCreated(data.createApiKey.apiKey, data.createApiKey.key);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const scopesError = errors.scopes ? t(errors.scopes) : serverFieldError(error, 'scopes', t);
  return (
    <section className="card" aria-labelledby="api-key-create-title">
      <h2 id="api-key-create-title">{t('apiKeys.createTitle')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="api-key-create-form" noValidate>
        <TextField
          label={t('apiKeys.field.name')}
          value={name}
          onValueChange={setName}
          placeholder={t('apiKeys.field.namePlaceholder')}
          autoComplete="off"
          testId="api-key-name"
          error={errors.name ? t(errors.name) : serverFieldError(error, 'name', t)}
        />
        <fieldset className="fieldset" aria-invalid={Boolean(scopesError) || undefined} data-testid="api-key-scopes">
          <legend className="field-label">{t('apiKeys.field.scopes')}</legend>
          <p className="muted">{t('apiKeys.scopesHint')}</p>
          <div className="link-row">
            <button type="button" className="button-link" onClick={() => setScopes(readOnlyScopes(available))} data-testid="api-key-scopes-read">
              {t('apiKeys.selectRead')}
            </button>
            <button type="button" className="button-link" onClick={() => setScopes([...available])} data-testid="api-key-scopes-all">
              {t('apiKeys.selectAll')}
            </button>
            <button type="button" className="button-link" onClick={() => setScopes([])} data-testid="api-key-scopes-none">
              {t('apiKeys.selectNone')}
            </button>
          </div>
          <div className="scope-list">
            {available.map((key) => (
              <label key={key} className="checkbox">
                <input
                  type="checkbox"
                  checked={scopes.includes(key)}
                  onChange={(e) => setScopes((s) => toggleScope(s, key, e.target.checked, available))}
                  data-testid="api-key-scope-option"
                  data-scope={key}
                />
                <span>
                  {label(key)}
                  <span className="perm-key">{key}</span>
                </span>
              </label>
            ))}
          </div>
          {scopesError ? (
            <small className="field-error" data-testid="api-key-scopes-error">
              {scopesError}
            </small>
          ) : null}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="api-key-create-submit">
            {busy ? t('common.saving') : t('apiKeys.create')}
          </button>
        </div>
      </form>
      {!isFieldError(error, ['name', 'scopes']) ? <ErrorNotice error={error} testId="api-key-create-error" /> : null}
    </section>
  );
}
