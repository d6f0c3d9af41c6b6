import { useId, useState, type FormEvent } from 'react';
import { useConnection } from '../api/hooks';
import { AuditLogDocument } from '../api/operations';
import { ErrorNotice, LoadMore, Loading, PageHeader, TextField } from '../components/ui';
import { csvDelimiterFor, downloadText } from '../csv';
import { useI18n } from '../i18n/I18nProvider';
import { hasPermission, PERMISSIONS } from '../nav';
import { useMe, useSession } from '../session/SessionProvider';
import { AUDIT_ACTIONS, auditCsv, auditFileName, fetchAllAudit } from './auditExport';

export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const canExport = hasPermission(me.permissions, PERMISSIONS.auditExport);
  const actionsId = useId();
  const [filterInput, setFilterInput] = useState('');
  const [action, setAction] = useState<string | null>(null);
  // Newest first: page backwards from the end of the log.
  const log = useConnection(AuditLogDocument, (d) => d.auditLog, { action }, { direction: 'backward' });

  const onFilter = (event: FormEvent) => {
    event.preventDefault();
    const value = filterInput.trim();
    setAction(value ? value : null);
  };

  return (
    <section data-testid="audit-page">
      <PageHeader title={t('audit.title')}>
        {canExport ? <ExportButton action={action} /> : null}
      </PageHeader>
      <form className="form form-row toolbar" onSubmit={onFilter} data-testid="audit-filter">
        <TextField
          label={t('audit.filterLabel')}
          name="action"
          placeholder={t('audit.filterPlaceholder')}
          value={filterInput}
          onValueChange={setFilterInput}
          list={actionsId}
          autoComplete="off"
          testId="audit-filter-input"
        />
        <datalist id={actionsId}>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <button type="submit" className="button button-secondary">
          {t('audit.apply')}
        </button>
        {action ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setFilterInput('');
              setAction(null);
            }}
          >
            {t('audit.reset')}
          </button>
        ) : null}
      </form>
      <section className="card">
        {!log.loading ? <p className="muted">{t('common.total', { count: log.totalCount })}</p> : null}
        {log.loading ? <Loading testId="audit-loading" /> : null}
        <ErrorNotice error={log.error} testId="audit-error" onRetry={() => void log.reload()} />
        {!log.loading && !log.error && log.nodes.length === 0 ? <p className="muted">{t('audit.empty')}</p> : null}
        {log.nodes.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">{t('audit.col.at')}</th>
                  <th scope="col">{t('audit.col.actor')}</th>
                  <th scope="col">{t('audit.col.action')}</th>
                  <th scope="col">{t('audit.col.target')}</th>
                  <th scope="col">{t('audit.col.ip')}</th>
                  <th scope="col">{t('audit.col.details')}</th>
                </tr>
              </thead>
              <tbody>
                {log.nodes.map((entry) => (
                  <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                    <td className="nowrap">{formatDateTime(entry.at)}</td>
                    <td className="actor">{entry.actorEmail ?? (entry.actorId ? entry.actorId : t('audit.system'))}</td>
                    <td>
                      <code>{entry.action}</code>
                    </td>
                    <td>
                      {entry.targetType}
                      {entry.targetId ? <span className="target-id">{entry.targetId}</span> : null}
                    </td>
                    <td>{entry.ip ?? t('common.none')}</td>
                    <td className="details">
                      <div className="details-clamp" title={entry.details}>
                        {entry.details}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <LoadMore visible={log.hasMore} loading={log.loadingMore} onClick={() => void log.loadMore()} testId="audit-load-more" />
      </section>
    </section>
  );
}

/** Builds the CSV in the browser from every page of the (filtered) log and downloads it. */
function ExportButton({ action }: { action: string | null }) {
  const { t, locale } = useI18n();
  const { client } = useSession();
  const [progress, setProgress] = useState<{ read: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  const onExport = async () => {
    setError(undefined);
    setProgress({ read: 0, total: 0 });
    try {
      const entries = await fetchAllAudit(
        async (after) => (await client.request(AuditLogDocument, { first: 100, after, action })).auditLog,
        (read, total) => setProgress({ read, total }),
      );
      downloadText(auditFileName(action), auditCsv(entries, { delimiter: csvDelimiterFor(locale) }));
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="export">
      <button type="button" className="button button-secondary" onClick={() => void onExport()} disabled={progress !== null} data-testid="audit-export">
        {progress ? t('audit.exporting', { read: progress.read, total: progress.total }) : t('audit.export')}
      </button>
      <ErrorNotice error={error} testId="audit-export-error" />
    </div>
  );
}
