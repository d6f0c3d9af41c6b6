import { useCallback, useEffect, useReducer, useRef, useState, type FormEvent } from 'react';
import { useQuery } from '../../api/hooks';
import { useLiveStatus, useSubscription } from '../../api/liveHooks';
import {
  CreateIntegrationDocument,
  DisableIntegrationDocument,
  EnableIntegrationDocument,
  GuestsDocument,
  IntegrationEventFailedDocument,
  IntegrationEventsDocument,
  IntegrationsDocument,
  LocationsDocument,
  ReprocessIntegrationEventDocument,
  RotateIntegrationSecretDocument,
  SetIikoApiLoginDocument,
} from '../../api/operations';
import { serverFieldError, isFieldError } from '../../components/formErrors';
import { LiveIndicator } from '../../components/LiveIndicator';
import { ErrorNotice, LoadMore, Loading, PageHeader, SelectField, SuccessNotice, TextField } from '../../components/ui';
import type { InboundEventFieldsFragment, InboundEventStatus, IntegrationFieldsFragment, IntegrationKind } from '../../gql/graphql';
import { useI18n } from '../../i18n/I18nProvider';
import { useRouter } from '../../routing/router';
import { useSession } from '../../session/SessionProvider';
import {
  buildCurlExample,
  canReprocess,
  guestQueryFromPayload,
  INBOUND_EVENT_STATUSES,
  inboundStatusKey,
  inboundStatusTone,
  INTEGRATION_KINDS,
  integrationKindKey,
  mergeNewest,
  prettyPayload,
  SECRET_DIALOG_CLOSED,
  secretDialogReducer,
} from './logic';
import { CopyButton, SecretDialog, StatusBadge } from './shared';

type Integration = IntegrationFieldsFragment;
type LiveFailure = { key: number; integrationId: string; eventId: string; error: string };
type InboundEvent = InboundEventFieldsFragment;

const EVENTS_PAGE = 20;
/** The event log re-reads its newest page this often while it is open (quietly, keeping older pages). */
const EVENTS_POLL_MS = 3000;

export function IntegrationsPage() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const query = useQuery(IntegrationsDocument, {});
  const locationsQuery = useQuery(LocationsDocument, { first: 100 });
  const [integrations, setIntegrations] = useState<Integration[] | null>(null);
  // `?events=<integration id>` (a notification's link) opens that integration's event log
  const [selectedId, setSelectedId] = useState<string | null>(() => new URLSearchParams(window.location.search).get('events'));
  const [failures, setFailures] = useState<LiveFailure[]>([]);
  const failureKey = useRef(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [dialog, dispatch] = useReducer(secretDialogReducer, SECRET_DIALOG_CLOSED);

  useEffect(() => {
    if (query.data) setIntegrations(query.data.integrations);
  }, [query.data]);

  // Live: a till event that could not be processed (the open event log re-reads itself anyway).
  const liveStatus = useLiveStatus();
  useSubscription(IntegrationEventFailedDocument, {}, ({ integrationEventFailed: f }) => {
    const key = ++failureKey.current;
    setFailures((list) => [{ key, ...f }, ...list.filter((x) => x.eventId !== f.eventId)].slice(0, 5));
  });

  const locations = locationsQuery.data?.locations.nodes ?? [];
  const locationName = (id: string) => locations.find((l) => l.id === id)?.name ?? id;
  const replace = (next: Integration) => setIntegrations((list) => (list ?? []).map((i) => (i.id === next.id ? next : i)));
  const selected = integrations?.find((i) => i.id === selectedId) ?? null;

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

  const rotate = (integration: Integration) => {
    if (!window.confirm(t('integrations.confirmRotate', { name: integration.name }))) return;
    return run(integration.id, async () => {
      const data = await client.request(RotateIntegrationSecretDocument, { id: integration.id });
      replace(data.rotateIntegrationSecret.integration);
      dispatch({
        type: 'show',
        reveal: {
          what: 'integration',
          reason: 'rotated',
          subject: integration.name,
          secret: data.rotateIntegrationSecret.secret,
          url: data.rotateIntegrationSecret.integration.endpointUrl,
          integrationKind: integration.kind,
        },
      });
      return null;
    });
  };

  const toggleActive = (integration: Integration) => {
    const key = integration.active ? 'integrations.confirmDisable' : 'integrations.confirmEnable';
    if (!window.confirm(t(key, { name: integration.name }))) return;
    return run(integration.id, async () => {
      if (integration.active) {
        const data = await client.request(DisableIntegrationDocument, { id: integration.id });
        replace(data.disableIntegration);
        return t('integrations.disabled', { name: integration.name });
      }
      const data = await client.request(EnableIntegrationDocument, { id: integration.id });
      replace(data.enableIntegration);
      return t('integrations.enabled', { name: integration.name });
    });
  };

  return (
    <section data-testid="integrations-page">
      <PageHeader title={t('integrations.title')}>
        <LiveIndicator status={liveStatus} testId="integrations-live" />
      </PageHeader>
      <p className="muted">{t('integrations.intro')}</p>
      {failures.length > 0 ? (
        <div className="notice notice-error live-failures" role="alert" data-testid="integration-failures">
          <p>
            <strong>{t('integrations.failed.title')}</strong>
          </p>
          <ul>
            {failures.map((f) => (
              <li key={f.key} data-testid="integration-failure" data-integration={f.integrationId} data-event={f.eventId}>
                <span>
                  {t('integrations.failed.text', {
                    integration: integrations?.find((i) => i.id === f.integrationId)?.name ?? t('integrations.failed.unknown'),
                    error: f.error,
                  })}
                </span>{' '}
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() => {
                    setSelectedId(f.integrationId);
                    setFailures((list) => list.filter((x) => x.key !== f.key));
                  }}
                  data-testid="integration-failure-open"
                >
                  {t('integrations.failed.open')}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button-link" onClick={() => setFailures([])} aria-label={t('common.dismiss')} data-testid="integration-failures-dismiss">
            ×
          </button>
        </div>
      ) : null}
      <SuccessNotice message={notice} testId="integrations-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={actionError} testId="integrations-action-error" />
      <SecretDialog state={dialog} dispatch={dispatch} />

      <CreateIntegrationForm
        locations={locations}
        onCreated={(integration, secret) => {
          setIntegrations((list) => [...(list ?? []), integration]);
          setSelectedId(integration.id);
          dispatch({
            type: 'show',
            reveal: { what: 'integration', reason: 'created', subject: integration.name, secret, url: integration.endpointUrl, integrationKind: integration.kind },
          });
        }}
      />

      <section className="card" aria-labelledby="integrations-list-title">
        <div className="card-header">
          <h2 id="integrations-list-title">{t('integrations.listTitle')}</h2>
          {integrations ? <span className="muted">{t('common.total', { count: integrations.length })}</span> : null}
        </div>
        {query.loading && !integrations ? <Loading testId="integrations-loading" /> : null}
        <ErrorNotice error={query.error} testId="integrations-error" onRetry={() => void query.refetch()} />
        {integrations && integrations.length === 0 ? (
          <p className="muted" data-testid="integrations-empty">
            {t('integrations.empty')}
          </p>
        ) : null}
        {integrations && integrations.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="integrations-table">
              <thead>
                <tr>
                  <th scope="col">{t('integrations.col.name')}</th>
                  <th scope="col">{t('integrations.col.location')}</th>
                  <th scope="col">{t('integrations.col.status')}</th>
                  <th scope="col">{t('integrations.col.url')}</th>
                  <th scope="col">{t('integrations.col.secret')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {integrations.map((i) => (
                  <tr
                    key={i.id}
                    data-testid="integration-row"
                    data-id={i.id}
                    data-name={i.name}
                    data-kind={i.kind}
                    data-active={i.active}
                    aria-selected={i.id === selectedId}
                    className={i.id === selectedId ? 'row-selected' : undefined}
                  >
                    <td>
                      {i.name}
                      <span className="promotion-kind">{t(integrationKindKey(i.kind))}</span>
                    </td>
                    <td>{locationName(i.locationId)}</td>
                    <td>
                      <StatusBadge tone={i.active ? 'ok' : 'off'} testId="integration-status" value={i.active ? 'active' : 'disabled'}>
                        {i.active ? t('integrations.active') : t('integrations.inactive')}
                      </StatusBadge>
                      {i.kind === 'IIKO' && !i.iikoApiLoginSet ? (
                        <span className="block field-error" data-testid="integration-iiko-login-missing">
                          {t('integrations.iiko.missing')}
                        </span>
                      ) : null}
                    </td>
                    <td className="url-cell">
                      <code className="url-value" data-testid="integration-url">
                        {i.endpointUrl}
                      </code>
                      <CopyButton value={i.endpointUrl} label={t('integrations.copyUrlFor', { name: i.name })} testId="integration-copy-url" />
                    </td>
                    <td className="nowrap">
                      <span className="block">{t('integrations.rotatedAt', { at: formatDateTime(i.secretRotatedAt) })}</span>
                      {i.previousSecretValidUntil && new Date(i.previousSecretValidUntil).getTime() > Date.now() ? (
                        <span className="block muted" data-testid="integration-previous-valid">
                          {t('integrations.previousValidUntil', { at: formatDateTime(i.previousSecretValidUntil) })}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button button-small"
                          aria-pressed={i.id === selectedId}
                          onClick={() => setSelectedId(i.id === selectedId ? null : i.id)}
                          data-testid="integration-events"
                        >
                          {t('integrations.events')}
                        </button>
                        <button
                          type="button"
                          className="button button-small button-secondary"
                          disabled={busyId === i.id}
                          onClick={() => void rotate(i)}
                          data-testid="integration-rotate"
                        >
                          {t('integrations.rotate')}
                        </button>
                        <button
                          type="button"
                          className={`button button-small ${i.active ? 'button-danger' : 'button-secondary'}`}
                          disabled={busyId === i.id}
                          onClick={() => void toggleActive(i)}
                          data-testid={i.active ? 'integration-disable' : 'integration-enable'}
                        >
                          {i.active ? t('integrations.disable') : t('integrations.enable')}
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

      {selected?.kind === 'IIKO' ? <IikoApiLoginForm key={`iiko-${selected.id}`} integration={selected} onSaved={replace} /> : null}
      {selected ? <EventLog key={selected.id} integration={selected} /> : null}
      <SigningHelp integration={selected ?? integrations?.[0] ?? null} />
    </section>
  );
}

function CreateIntegrationForm({
  locations,
  onCreated,
}: {
  locations: ReadonlyArray<{ id: string; name: string }>;
  onCreated: (integration: Integration, secret: string) => void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const [kind, setKind] = useState<IntegrationKind>('POS');
  const [locationId, setLocationId] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [nameError, setNameError] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (!locationId && locations[0]) setLocationId(locations[0].id);
  }, [locations, locationId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!name.trim()) {
      setNameError(t('integrations.error.nameRequired'));
      return;
    }
    setNameError(undefined);
    setBusy(true);
    try {
      const data = await client.request(CreateIntegrationDocument, { input: { kind, locationId, name: name.trim() } });
      setName('');
      onCreated(data.createIntegration.integration, data.createIntegration.secret);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const fieldErr = (f: string | readonly string[]) => serverFieldError(error, f, t);
  return (
    <section className="card" aria-labelledby="integration-create-title">
      <h2 id="integration-create-title">{t('integrations.createTitle')}</h2>
      <form className="form form-inline" onSubmit={(e) => void submit(e)} data-testid="integration-create-form" noValidate>
        <SelectField
          label={t('integrations.field.kind')}
          value={kind}
          onValueChange={(v) => setKind(v as IntegrationKind)}
          options={INTEGRATION_KINDS.map((k) => ({ value: k, label: t(integrationKindKey(k)) }))}
          testId="integration-kind"
          error={fieldErr('kind')}
        />
        <SelectField
          label={t('integrations.field.location')}
          value={locationId}
          onValueChange={setLocationId}
          options={locations.map((l) => ({ value: l.id, label: l.name }))}
          testId="integration-location"
          error={fieldErr(['locationId', 'location'])}
        />
        <TextField
          label={t('integrations.field.name')}
          value={name}
          onValueChange={setName}
          placeholder={t('integrations.field.namePlaceholder')}
          autoComplete="off"
          testId="integration-name"
          error={nameError ?? fieldErr('name')}
        />
        <button type="submit" className="button" disabled={busy || !locationId} data-testid="integration-create-submit">
          {busy ? t('common.saving') : t('integrations.create')}
        </button>
      </form>
      <p className="muted">{t(kind === 'IIKO' ? 'integrations.kindHint.IIKO' : kind === 'RKEEPER' ? 'integrations.kindHint.RKEEPER' : 'integrations.kindHint.POS')}</p>
      {!isFieldError(error, ['kind', 'locationId', 'location', 'name']) ? <ErrorNotice error={error} testId="integration-create-error" /> : null}
    </section>
  );
}

/** The deliveries of one integration, newest first, refreshed quietly while open. */
/** iiko: the iikoCloud apiLogin every closed order is confirmed with before any points. */
function IikoApiLoginForm({ integration, onSaved }: { integration: Integration; onSaved: (i: Integration) => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [login, setLogin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  const save = async (apiLogin: string | null) => {
    setBusy(true);
    setError(undefined);
    setNotice(null);
    try {
      const data = await client.request(SetIikoApiLoginDocument, { id: integration.id, apiLogin });
      onSaved(data.setIikoApiLogin);
      setLogin('');
      setNotice(apiLogin === null ? t('integrations.iiko.cleared') : t('integrations.iiko.saved'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(login);
  };
  const clear = () => {
    if (!window.confirm(t('integrations.iiko.confirmClear', { name: integration.name }))) return;
    void save(null);
  };
  const loginError = serverFieldError(error, 'apiLogin', t);
  return (
    <section className="card" aria-labelledby="iiko-login-title" data-testid="iiko-login">
      <h2 id="iiko-login-title">{t('integrations.iiko.title', { name: integration.name })}</h2>
      <p className="muted">{t('integrations.iiko.intro')}</p>
      <p data-testid="iiko-login-state" data-set={integration.iikoApiLoginSet}>
        {integration.iikoApiLoginSet ? t('integrations.iiko.isSet') : t('integrations.iiko.notSet')}
      </p>
      <SuccessNotice message={notice} testId="iiko-login-notice" onDismiss={() => setNotice(null)} />
      {isFieldError(error, ['apiLogin']) ? null : <ErrorNotice error={error} testId="iiko-login-error" />}
      <form className="form-row" onSubmit={submit} noValidate>
        <TextField
          label={t('integrations.iiko.label')}
          type="password"
          autoComplete="off"
          value={login}
          onValueChange={setLogin}
          error={loginError}
          hint={t('integrations.iiko.hint')}
          testId="iiko-login-input"
        />
        <button type="submit" className="button" disabled={busy || !login.trim()} data-testid="iiko-login-save">
          {integration.iikoApiLoginSet ? t('integrations.iiko.replace') : t('integrations.iiko.save')}
        </button>
        {integration.iikoApiLoginSet ? (
          <button type="button" className="button button-secondary" disabled={busy} onClick={clear} data-testid="iiko-login-clear">
            {t('integrations.iiko.clear')}
          </button>
        ) : null}
      </form>
    </section>
  );
}

function EventLog({ integration }: { integration: Integration }) {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const [status, setStatus] = useState<InboundEventStatus | ''>('');
  const [nodes, setNodes] = useState<InboundEvent[]>([]);
  const [totalCount, setTotalCount] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const generation = useRef(0);
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;

  const fetchPage = useCallback(
    async (before: string | null) => {
      const data = await client.request(IntegrationEventsDocument, {
        integrationId: integration.id,
        statuses: status ? [status] : null,
        last: EVENTS_PAGE,
        before,
      });
      const conn = data.integrationEvents;
      return {
        nodes: [...conn.nodes].reverse(),
        totalCount: conn.totalCount,
        hasMore: conn.pageInfo.hasPreviousPage,
        cursor: conn.pageInfo.startCursor ?? null,
      };
    },
    [client, integration.id, status],
  );

  /** quiet: keep what is shown (no spinner), merge the newest page in. */
  const refresh = useCallback(
    async (quiet: boolean) => {
      const mine = ++generation.current;
      if (!quiet) setLoading(true);
      try {
        const page = await fetchPage(null);
        if (mine !== generation.current) return;
        const merged = quiet ? mergeNewest(nodesRef.current, page.nodes, EVENTS_PAGE) : { nodes: page.nodes, reset: true };
        setNodes(merged.nodes);
        setTotalCount(page.totalCount);
        if (merged.reset) {
          setCursor(page.cursor);
          setHasMore(page.hasMore);
        }
        setError(undefined);
      } catch (e) {
        if (mine === generation.current && !quiet) setError(e);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    setNodes([]);
    void refresh(false);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh(true);
    }, EVENTS_POLL_MS);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [refresh]);

  const loadMore = async () => {
    if (!hasMore || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await fetchPage(cursor);
      setNodes((prev) => [...prev, ...page.nodes.filter((n) => !prev.some((p) => p.id === n.id))]);
      setHasMore(page.hasMore);
      setCursor(page.cursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const reprocess = async (event: InboundEvent) => {
    setBusyId(event.id);
    setActionError(undefined);
    try {
      const data = await client.request(ReprocessIntegrationEventDocument, { id: event.id });
      setNodes((prev) => prev.map((n) => (n.id === event.id ? data.reprocessIntegrationEvent : n)));
    } catch (e) {
      setActionError(e);
    } finally {
      setBusyId(null);
    }
  };

  const toggleOpen = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className="card" aria-labelledby="integration-events-title" data-testid="integration-event-log" data-integration={integration.id}>
      <div className="card-header">
        <h2 id="integration-events-title">{t('integrations.eventsTitle', { name: integration.name })}</h2>
        {!loading ? <span className="muted">{t('common.total', { count: totalCount })}</span> : null}
      </div>
      <div className="form form-row toolbar">
        <SelectField
          label={t('integrations.filterStatus')}
          value={status}
          onValueChange={(v) => setStatus(v as InboundEventStatus | '')}
          options={[{ value: '', label: t('integrations.allStatuses') }, ...INBOUND_EVENT_STATUSES.map((s) => ({ value: s, label: t(inboundStatusKey(s)) }))]}
          testId="integration-events-status"
        />
        <button type="button" className="button button-secondary" onClick={() => void refresh(false)} data-testid="integration-events-refresh">
          {t('integrations.refresh')}
        </button>
      </div>
      {loading ? <Loading testId="integration-events-loading" /> : null}
      <ErrorNotice error={error} testId="integration-events-error" onRetry={() => void refresh(false)} />
      <ErrorNotice error={actionError} testId="integration-reprocess-error" />
      {!loading && !error && nodes.length === 0 ? (
        <p className="muted" data-testid="integration-events-empty">
          {t('integrations.eventsEmpty')}
        </p>
      ) : null}
      {nodes.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="integration-events-table">
            <thead>
              <tr>
                <th scope="col">{t('integrations.col.receivedAt')}</th>
                <th scope="col">{t('integrations.col.kind')}</th>
                <th scope="col">{t('integrations.col.externalId')}</th>
                <th scope="col">{t('integrations.col.status')}</th>
                <th scope="col">{t('integrations.col.result')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((e) => (
                <EventRow
                  key={e.id}
                  event={e}
                  open={open.has(e.id)}
                  onToggle={() => toggleOpen(e.id)}
                  busy={busyId === e.id}
                  onReprocess={() => void reprocess(e)}
                  formatDateTime={formatDateTime}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore visible={hasMore} loading={loadingMore} onClick={() => void loadMore()} testId="integration-events-more" />
    </section>
  );
}

function EventRow({
  event: e,
  open,
  onToggle,
  busy,
  onReprocess,
  formatDateTime,
}: {
  event: InboundEvent;
  open: boolean;
  onToggle: () => void;
  busy: boolean;
  onReprocess: () => void;
  formatDateTime: (iso: string) => string;
}) {
  const { t } = useI18n();
  return (
    <>
      <tr data-testid="integration-event-row" data-id={e.id} data-status={e.status} data-external-id={e.externalId ?? ''} data-check-id={e.checkId ?? ''}>
        <td className="nowrap">{formatDateTime(e.receivedAt)}</td>
        <td>
          <code>{e.kind}</code>
        </td>
        <td>{e.externalId ?? t('common.none')}</td>
        <td>
          <StatusBadge tone={inboundStatusTone(e.status)} testId="integration-event-status" value={e.status}>
            {t(inboundStatusKey(e.status))}
          </StatusBadge>
        </td>
        <td className="details">
          {e.error ? (
            <span className="field-error block" data-testid="integration-event-error">
              {e.error}
            </span>
          ) : null}
          {e.checkId ? <CheckLink checkId={e.checkId} payload={e.payload} /> : null}
        </td>
        <td>
          <div className="row-actions">
            <button type="button" className="button button-small button-secondary" aria-expanded={open} onClick={onToggle} data-testid="integration-event-payload-toggle">
              {open ? t('integrations.hidePayload') : t('integrations.showPayload')}
            </button>
            {canReprocess(e.status) ? (
              <button type="button" className="button button-small" disabled={busy} onClick={onReprocess} data-testid="integration-event-reprocess">
                {t('integrations.reprocess')}
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {open ? (
        <tr className="payload-row" data-testid="integration-event-payload-row">
          <td colSpan={6}>
            <pre className="payload" data-testid="integration-event-payload">
              {prettyPayload(e.payload)}
            </pre>
            {e.processedAt ? <p className="muted">{t('integrations.processedAt', { at: formatDateTime(e.processedAt) })}</p> : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** The check an event produced; "guest" finds its guest by what the payload named and opens the card. */
function CheckLink({ checkId, payload }: { checkId: string; payload: string }) {
  const { t } = useI18n();
  const { client } = useSession();
  const { navigate } = useRouter();
  const [state, setState] = useState<'idle' | 'busy' | 'notFound'>('idle');
  const guestQuery = guestQueryFromPayload(payload);
  const open = async () => {
    if (!guestQuery) return;
    setState('busy');
    try {
      const data = await client.request(GuestsDocument, { query: guestQuery, first: 1 });
      const guest = data.guests.nodes[0];
      if (guest) navigate(`/guests/${guest.id}`);
      else setState('notFound');
    } catch {
      setState('notFound');
    }
  };
  return (
    <span className="block" data-testid="integration-event-check">
      {t('integrations.check')} <code title={checkId}>{checkId.slice(0, 8)}</code>
      {guestQuery ? (
        <>
          {' · '}
          <button type="button" className="button-link" disabled={state === 'busy'} onClick={() => void open()} data-testid="integration-event-guest">
            {state === 'notFound' ? t('integrations.guestNotFound') : t('integrations.openGuest')}
          </button>
        </>
      ) : null}
    </span>
  );
}

/** How to send a signed check: the scheme and a copy-paste curl example for this integration. */
function SigningHelp({ integration }: { integration: Integration | null }) {
  const { t } = useI18n();
  const kind = integration?.kind ?? 'POS';
  const url = integration?.endpointUrl ?? `${window.location.origin}/webhooks/pos/<integrationId>`;
  const example = buildCurlExample(url, kind);
  return (
    <details className="card help" data-testid="integration-help">
      <summary>
        <h2 className="inline-heading">{t('integrations.helpTitle')}</h2>
      </summary>
      <p>{kind === 'IIKO' ? t('integrations.helpIiko') : t('integrations.helpSigned')}</p>
      {kind !== 'IIKO' ? (
        <p>
          <code>X-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</code>
        </p>
      ) : null}
      <p className="muted">{t('integrations.helpRules')}</p>
      <pre className="payload" data-testid="integration-help-curl">
        {example}
      </pre>
      <CopyButton value={example} testId="integration-help-copy" />
    </details>
  );
}
