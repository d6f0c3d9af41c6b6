import { useEffect, useReducer, useState, type FormEvent } from 'react';
import { useConnection, useQuery } from '../../api/hooks';
import {
  CreateWebhookEndpointDocument,
  DisableWebhookEndpointDocument,
  EnableWebhookEndpointDocument,
  RedeliverWebhookDocument,
  RotateWebhookSecretDocument,
  SendTestWebhookDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
} from '../../api/operations';
import { isFieldError, serverFieldError } from '../../components/formErrors';
import { ErrorNotice, LoadMore, Loading, PageHeader, SuccessNotice, TextField } from '../../components/ui';
import type { WebhookDeliveryFieldsFragment, WebhookEndpointFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/I18nProvider';
import { useSession } from '../../session/SessionProvider';
import {
  deliveryStatusKey,
  deliveryStatusTone,
  groupEventTypes,
  httpStatusTone,
  SECRET_DIALOG_CLOSED,
  secretDialogReducer,
  toggleScope,
  validateWebhookForm,
  type WebhookFormErrors,
} from './logic';
import { CopyButton, SecretDialog, StatusBadge } from './shared';

type Endpoint = WebhookEndpointFieldsFragment;
type Delivery = WebhookDeliveryFieldsFragment;

/** Outbound webhook endpoints: create (secret once), enable/disable, rotate, test ping, delivery log with redeliver. */
export function WebhooksPage() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const query = useQuery(WebhookEndpointsDocument, {});
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [logVersion, setLogVersion] = useState(0);
  const [dialog, dispatch] = useReducer(secretDialogReducer, SECRET_DIALOG_CLOSED);

  useEffect(() => {
    if (query.data) setEndpoints(query.data.webhookEndpoints);
  }, [query.data]);
  const eventTypes = query.data?.webhookEventTypes ?? [];
  const replace = (next: Endpoint) => setEndpoints((list) => (list ?? []).map((e) => (e.id === next.id ? next : e)));

  const run = async (id: string, action: () => Promise<string | null>) => {
    setBusyId(id);
    setNotice(null);
    setActionError(undefined);
    try {
      setNotice(await action());
    } catch (e) {
      setActionError(e);
    } finally {
      setBusyId(null);
    }
  };

  const rotate = (endpoint: Endpoint) => {
    if (!window.confirm(t('webhooks.confirmRotate', { url: endpoint.url }))) return;
    return run(endpoint.id, async () => {
      const data = await client.request(RotateWebhookSecretDocument, { id: endpoint.id });
      replace(data.rotateWebhookSecret.endpoint);
      dispatch({ type: 'show', reveal: { what: 'webhook', reason: 'rotated', subject: endpoint.url, secret: data.rotateWebhookSecret.secret } });
      return null;
    });
  };

  const toggle = (endpoint: Endpoint) => {
    if (!window.confirm(t(endpoint.enabled ? 'webhooks.confirmDisable' : 'webhooks.confirmEnable', { url: endpoint.url }))) return;
    return run(endpoint.id, async () => {
      if (endpoint.enabled) {
        const data = await client.request(DisableWebhookEndpointDocument, { id: endpoint.id });
        replace(data.disableWebhookEndpoint);
        return t('webhooks.disabled', { url: endpoint.url });
      }
      const data = await client.request(EnableWebhookEndpointDocument, { id: endpoint.id });
      replace(data.enableWebhookEndpoint);
      return t('webhooks.enabled', { url: endpoint.url });
    });
  };

  const sendTest = (endpoint: Endpoint) =>
    run(endpoint.id, async () => {
      await client.request(SendTestWebhookDocument, { endpointId: endpoint.id });
      setSelectedId(endpoint.id);
      setLogVersion((v) => v + 1);
      return t('webhooks.testSent', { url: endpoint.url });
    });

  const selected = endpoints?.find((e) => e.id === selectedId) ?? null;
  return (
    <section data-testid="webhooks-page">
      <PageHeader title={t('webhooks.title')} />
      <p className="muted">{t('webhooks.intro')}</p>
      <SuccessNotice message={notice} testId="webhooks-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={actionError} testId="webhooks-action-error" />
      <SecretDialog state={dialog} dispatch={dispatch} />

      <CreateEndpointForm
        eventTypes={eventTypes}
        onCreated={(endpoint, secret) => {
          setEndpoints((list) => [...(list ?? []), endpoint]);
          dispatch({ type: 'show', reveal: { what: 'webhook', reason: 'created', subject: endpoint.url, secret } });
        }}
      />

      <section className="card" aria-labelledby="webhooks-list-title">
        <div className="card-header">
          <h2 id="webhooks-list-title">{t('webhooks.listTitle')}</h2>
          {endpoints ? <span className="muted">{t('common.total', { count: endpoints.length })}</span> : null}
        </div>
        {query.loading && !endpoints ? <Loading testId="webhooks-loading" /> : null}
        <ErrorNotice error={query.error} testId="webhooks-error" onRetry={() => void query.refetch()} />
        {endpoints && endpoints.length === 0 ? (
          <p className="muted" data-testid="webhooks-empty">
            {t('webhooks.empty')}
          </p>
        ) : null}
        {endpoints && endpoints.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="webhooks-table">
              <thead>
                <tr>
                  <th scope="col">{t('webhooks.col.url')}</th>
                  <th scope="col">{t('webhooks.col.events')}</th>
                  <th scope="col">{t('webhooks.col.status')}</th>
                  <th scope="col">{t('webhooks.col.secret')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {endpoints.map((e) => (
                  <tr key={e.id} data-testid="webhook-row" data-id={e.id} data-url={e.url} data-enabled={e.enabled} className={e.id === selectedId ? 'row-selected' : undefined}>
                    <td className="url-cell">
                      <code className="url-value">{e.url}</code>
                      <CopyButton value={e.url} testId="webhook-copy-url" />
                      {e.description ? <span className="block muted">{e.description}</span> : null}
                    </td>
                    <td>
                      {e.eventTypes.map((type) => (
                        <span key={type} className="tag">
                          {type}
                        </span>
                      ))}
                    </td>
                    <td>
                      <StatusBadge tone={e.enabled ? (e.failingSince ? 'pending' : 'ok') : 'off'} testId="webhook-status" value={e.enabled ? 'enabled' : 'disabled'}>
                        {e.enabled ? (e.failingSince ? t('webhooks.failing') : t('webhooks.enabledBadge')) : t('webhooks.disabledBadge')}
                      </StatusBadge>
                      {e.failingSince ? <span className="block muted">{t('webhooks.failingSince', { at: formatDateTime(e.failingSince) })}</span> : null}
                      {!e.enabled && e.disabledReason ? <span className="block muted">{e.disabledReason}</span> : null}
                    </td>
                    <td className="nowrap">
                      <span className="block">{t('integrations.rotatedAt', { at: formatDateTime(e.secretRotatedAt) })}</span>
                      {e.previousSecretExpiresAt && new Date(e.previousSecretExpiresAt).getTime() > Date.now() ? (
                        <span className="block muted">{t('integrations.previousValidUntil', { at: formatDateTime(e.previousSecretExpiresAt) })}</span>
                      ) : null}
                    </td>
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button button-small"
                          aria-pressed={e.id === selectedId}
                          onClick={() => setSelectedId(e.id === selectedId ? null : e.id)}
                          data-testid="webhook-deliveries"
                        >
                          {t('webhooks.deliveries')}
                        </button>
                        <button type="button" className="button button-small button-secondary" disabled={busyId === e.id} onClick={() => void sendTest(e)} data-testid="webhook-test">
                          {t('webhooks.sendTest')}
                        </button>
                        <button type="button" className="button button-small button-secondary" disabled={busyId === e.id} onClick={() => void rotate(e)} data-testid="webhook-rotate">
                          {t('integrations.rotate')}
                        </button>
                        <button
                          type="button"
                          className={`button button-small ${e.enabled ? 'button-danger' : 'button-secondary'}`}
                          disabled={busyId === e.id}
                          onClick={() => void toggle(e)}
                          data-testid={e.enabled ? 'webhook-disable' : 'webhook-enable'}
                        >
                          {e.enabled ? t('integrations.disable') : t('integrations.enable')}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {selected ? <DeliveryLog key={`${selected.id}|${logVersion}`} endpoint={selected} /> : null}
      <section className="card">
        <h2>{t('webhooks.verifyTitle')}</h2>
        <p className="muted">{t('webhooks.verifyText')}</p>
      </section>
    </section>
  );
}

function CreateEndpointForm({ eventTypes, onCreated }: { eventTypes: readonly string[]; onCreated: (endpoint: Endpoint, secret: string) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [errors, setErrors] = useState<WebhookFormErrors>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const local = validateWebhookForm(url, types);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      const data = await client.request(CreateWebhookEndpointDocument, {
        input: { url: url.trim(), eventTypes: types, description: description.trim() || null },
      });
      setUrl('');
      setDescription('');
      setTypes([]);
      onCreated(data.createWebhookEndpoint.endpoint, data.createWebhookEndpoint.secret);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const typesError = errors.eventTypes ? t(errors.eventTypes) : serverFieldError(error, 'eventTypes', t);
  return (
    <section className="card" aria-labelledby="webhook-create-title">
      <h2 id="webhook-create-title">{t('webhooks.createTitle')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="webhook-create-form" noValidate>
        <TextField
          label={t('webhooks.field.url')}
          type="url"
          value={url}
          onValueChange={setUrl}
          placeholder="https://crm.example.com/maxloyalty"
          autoComplete="off"
          testId="webhook-url"
          error={errors.url ? t(errors.url) : serverFieldError(error, 'url', t)}
        />
        <TextField
          label={t('webhooks.field.description')}
          value={description}
          onValueChange={setDescription}
          autoComplete="off"
          testId="webhook-description"
          error={serverFieldError(error, 'description', t)}
        />
        <fieldset className="fieldset" aria-invalid={Boolean(typesError) || undefined} data-testid="webhook-event-types">
          <legend className="field-label">{t('webhooks.field.eventTypes')}</legend>
          <div className="link-row">
            <button type="button" className="button-link" onClick={() => setTypes([...eventTypes])} data-testid="webhook-types-all">
              {t('apiKeys.selectAll')}
            </button>
            <button type="button" className="button-link" onClick={() => setTypes([])}>
              {t('apiKeys.selectNone')}
            </button>
          </div>
          {groupEventTypes(eventTypes).map((g) => (
            <div key={g.group} className="checkbox-group">
              {g.types.map((type) => (
                <label key={type} className="checkbox">
                  <input
                    type="checkbox"
                    checked={types.includes(type)}
                    onChange={(e) => setTypes((s) => toggleScope(s, type, e.target.checked, eventTypes))}
                    data-testid="webhook-event-type"
                    data-type={type}
                  />
                  <code>{type}</code>
                </label>
              ))}
            </div>
          ))}
          {typesError ? (
            <small className="field-error" data-testid="webhook-event-types-error">
              {typesError}
            </small>
          ) : null}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="webhook-create-submit">
            {busy ? t('common.saving') : t('webhooks.create')}
          </button>
        </div>
      </form>
      {!isFieldError(error, ['url', 'eventTypes', 'description']) ? <ErrorNotice error={error} testId="webhook-create-error" /> : null}
    </section>
  );
}

function DeliveryLog({ endpoint }: { endpoint: Endpoint }) {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const log = useConnection(WebhookDeliveriesDocument, (d) => d.webhookDeliveries, { endpointId: endpoint.id }, { direction: 'backward', pageSize: 20 });
  const [open, setOpen] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);

  const redeliver = async (d: Delivery) => {
    setBusyId(d.id);
    setNotice(null);
    setActionError(undefined);
    try {
      await client.request(RedeliverWebhookDocument, { deliveryId: d.id });
      setNotice(t('webhooks.redelivered', { event: d.eventId }));
      void log.reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section className="card" aria-labelledby="webhook-log-title" data-testid="webhook-delivery-log">
      <div className="card-header">
        <h2 id="webhook-log-title">{t('webhooks.logTitle', { url: endpoint.url })}</h2>
        {!log.loading ? <span className="muted">{t('common.total', { count: log.totalCount })}</span> : null}
        <button type="button" className="button button-small button-secondary" onClick={() => void log.reload()} data-testid="webhook-log-refresh">
          {t('integrations.refresh')}
        </button>
      </div>
      <SuccessNotice message={notice} testId="webhook-log-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={actionError} testId="webhook-log-action-error" />
      {log.loading ? <Loading testId="webhook-log-loading" /> : null}
      <ErrorNotice error={log.error} testId="webhook-log-error" onRetry={() => void log.reload()} />
      {!log.loading && !log.error && log.nodes.length === 0 ? <p className="muted">{t('webhooks.logEmpty')}</p> : null}
      {log.nodes.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="webhook-delivery-table">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.col.createdAt')}</th>
                <th scope="col">{t('webhooks.col.event')}</th>
                <th scope="col">{t('webhooks.col.status')}</th>
                <th scope="col">{t('webhooks.col.code')}</th>
                <th scope="col">{t('webhooks.col.attempts')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {log.nodes.map((d) => {
                const last = d.attempts[d.attempts.length - 1];
                return (
                  <DeliveryRows
                    key={d.id}
                    delivery={d}
                    lastLatency={last?.latencyMs ?? null}
                    open={open === d.id}
                    onToggle={() => setOpen(open === d.id ? null : d.id)}
                    busy={busyId === d.id}
                    onRedeliver={() => void redeliver(d)}
                    formatDateTime={formatDateTime}
                  />
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore visible={log.hasMore} loading={log.loadingMore} onClick={() => void log.loadMore()} testId="webhook-log-more" />
    </section>
  );
}

function DeliveryRows({
  delivery: d,
  lastLatency,
  open,
  onToggle,
  busy,
  onRedeliver,
  formatDateTime,
}: {
  delivery: Delivery;
  lastLatency: number | null;
  open: boolean;
  onToggle: () => void;
  busy: boolean;
  onRedeliver: () => void;
  formatDateTime: (iso: string) => string;
}) {
  const { t } = useI18n();
  return (
    <>
      <tr data-testid="webhook-delivery-row" data-id={d.id} data-status={d.status} data-event-type={d.eventType}>
        <td className="nowrap">{formatDateTime(d.createdAt)}</td>
        <td>
          <code>{d.eventType}</code>
          <span className="block muted target-id">{d.eventId}</span>
        </td>
        <td>
          <StatusBadge tone={deliveryStatusTone(d.status)} testId="webhook-delivery-status" value={d.status}>
            {t(deliveryStatusKey(d.status))}
          </StatusBadge>
          {d.nextAttemptAt && d.status === 'PENDING' ? <span className="block muted">{t('webhooks.nextAttempt', { at: formatDateTime(d.nextAttemptAt) })}</span> : null}
        </td>
        <td className="nowrap">
          {d.lastStatusCode !== null && d.lastStatusCode !== undefined ? (
            <StatusBadge tone={httpStatusTone(d.lastStatusCode)}>{String(d.lastStatusCode)}</StatusBadge>
          ) : (
            t('common.none')
          )}
          {lastLatency !== null ? <span className="block muted">{t('webhooks.latency', { ms: lastLatency })}</span> : null}
        </td>
        <td className="num">{d.attemptCount}</td>
        <td>
          <div className="row-actions">
            <button type="button" className="button button-small button-secondary" aria-expanded={open} onClick={onToggle} data-testid="webhook-delivery-toggle">
              {open ? t('webhooks.hideAttempts') : t('webhooks.showAttempts')}
            </button>
            <button type="button" className="button button-small" disabled={busy} onClick={onRedeliver} data-testid="webhook-redeliver">
              {t('webhooks.redeliver')}
            </button>
          </div>
        </td>
      </tr>
      {open ? (
        <tr className="payload-row">
          <td colSpan={6}>
            {d.lastError ? <p className="field-error">{d.lastError}</p> : null}
            {d.attempts.length === 0 ? <p className="muted">{t('webhooks.noAttempts')}</p> : null}
            <ol className="attempts" data-testid="webhook-attempts">
              {d.attempts.map((a) => (
                <li key={a.number}>
                  <span className="nowrap">
                    #{a.number} · {formatDateTime(a.attemptedAt)} ·{' '}
                    {a.statusCode !== null && a.statusCode !== undefined ? <StatusBadge tone={httpStatusTone(a.statusCode)}>{String(a.statusCode)}</StatusBadge> : t('webhooks.noAnswer')} ·{' '}
                    {t('webhooks.latency', { ms: a.latencyMs })}
                  </span>
                  {a.error ? <span className="block field-error">{a.error}</span> : null}
                  {a.responseExcerpt ? <pre className="payload">{a.responseExcerpt}</pre> : null}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      ) : null}
    </>
  );
}
