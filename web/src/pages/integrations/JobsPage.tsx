import { useState } from 'react';
import { useConnection, useQuery } from '../../api/hooks';
import { DeadJobsDocument, JobQueueStatsDocument, RedriveJobDocument } from '../../api/operations';
import { ErrorNotice, LoadMore, Loading, PageHeader, SuccessNotice } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { useSession } from '../../session/SessionProvider';
import { formatAge, payloadPreview, prettyPayload } from './logic';

/** The job queue for admins: counters and the business's dead letters with "Retry". */
export function JobsPage() {
  const { t, formatDateTime } = useI18n();
  const { client } = useSession();
  const stats = useQuery(JobQueueStatsDocument, {});
  const jobs = useConnection(DeadJobsDocument, (d) => d.deadJobs, {}, { pageSize: 50 });
  const [busyId, setBusyId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const [retried, setRetried] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<string | null>(null);
  const units = { s: t('jobs.unit.s'), min: t('jobs.unit.min'), h: t('jobs.unit.h'), d: t('jobs.unit.d') };

  const redrive = async (id: string, kind: string) => {
    setBusyId(id);
    setNotice(null);
    setActionError(undefined);
    try {
      await client.request(RedriveJobDocument, { id });
      setRetried((prev) => new Set(prev).add(id));
      setNotice(t('jobs.redriven', { kind }));
      void stats.refetch();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusyId(null);
    }
  };

  const s = stats.data?.jobQueueStats;
  return (
    <section data-testid="jobs-page">
      <PageHeader title={t('jobs.title')}>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setRetried(new Set());
            void stats.refetch();
            void jobs.reload();
          }}
          data-testid="jobs-refresh"
        >
          {t('integrations.refresh')}
        </button>
      </PageHeader>
      <p className="muted">{t('jobs.intro')}</p>
      <SuccessNotice message={notice} testId="jobs-notice" onDismiss={() => setNotice(null)} />
      <ErrorNotice error={actionError} testId="jobs-action-error" />

      <ErrorNotice error={stats.error} testId="jobs-stats-error" onRetry={() => void stats.refetch()} />
      {s ? (
        <div className="tiles" data-testid="jobs-stats">
          <div className="tile" data-testid="jobs-stat-queued" data-value={s.queued}>
            <span className="muted">{t('jobs.queued')}</span>
            <strong>{s.queued}</strong>
          </div>
          <div className="tile" data-testid="jobs-stat-running" data-value={s.running}>
            <span className="muted">{t('jobs.running')}</span>
            <strong>{s.running}</strong>
          </div>
          <div className="tile" data-testid="jobs-stat-dead" data-value={s.dead}>
            <span className="muted">{t('jobs.dead')}</span>
            <strong>{s.dead}</strong>
          </div>
          <div className="tile" data-testid="jobs-stat-oldest" data-value={s.oldestQueuedAgeSeconds ?? ''}>
            <span className="muted">{t('jobs.oldest')}</span>
            <strong>{s.oldestQueuedAgeSeconds === null || s.oldestQueuedAgeSeconds === undefined ? t('common.none') : formatAge(s.oldestQueuedAgeSeconds, units)}</strong>
          </div>
        </div>
      ) : stats.loading ? (
        <Loading testId="jobs-stats-loading" />
      ) : null}
      <p className="muted">{t('jobs.statsNote')}</p>

      <section className="card" aria-labelledby="dead-jobs-title">
        <div className="card-header">
          <h2 id="dead-jobs-title">{t('jobs.deadTitle')}</h2>
          {!jobs.loading ? <span className="muted">{t('common.total', { count: jobs.totalCount })}</span> : null}
        </div>
        {jobs.loading ? <Loading testId="dead-jobs-loading" /> : null}
        <ErrorNotice error={jobs.error} testId="dead-jobs-error" onRetry={() => void jobs.reload()} />
        {!jobs.loading && !jobs.error && jobs.nodes.length === 0 ? (
          <p className="muted" data-testid="dead-jobs-empty">
            {t('jobs.empty')}
          </p>
        ) : null}
        {jobs.nodes.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="dead-jobs-table">
              <thead>
                <tr>
                  <th scope="col">{t('jobs.col.kind')}</th>
                  <th scope="col">{t('jobs.col.attempts')}</th>
                  <th scope="col">{t('jobs.col.error')}</th>
                  <th scope="col">{t('jobs.col.payload')}</th>
                  <th scope="col">{t('jobs.col.updated')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {jobs.nodes.map((job) => (
                  <tr key={job.id} data-testid="dead-job-row" data-id={job.id} data-kind={job.kind}>
                    <td>
                      <code>{job.kind}</code>{' '}
                      {job.priority === 'INTERACTIVE' ? (
                        <span className="badge" title={t('jobs.interactiveHint')}>
                          {t('jobs.interactive')}
                        </span>
                      ) : null}
                    </td>
                    <td className="num">
                      {job.attempts}/{job.maxAttempts}
                    </td>
                    <td className="details">
                      <div className="details-clamp" title={job.lastError ?? ''}>
                        {job.lastError ?? t('common.none')}
                      </div>
                    </td>
                    <td className="details">
                      {open === job.id ? (
                        <pre className="payload">{prettyPayload(job.payload)}</pre>
                      ) : (
                        <code className="details-clamp">{payloadPreview(job.payload)}</code>
                      )}
                      <button type="button" className="button-link" aria-expanded={open === job.id} onClick={() => setOpen(open === job.id ? null : job.id)}>
                        {open === job.id ? t('integrations.hidePayload') : t('integrations.showPayload')}
                      </button>
                    </td>
                    <td className="nowrap">{formatDateTime(job.updatedAt)}</td>
                    <td>
                      {retried.has(job.id) ? (
                        <span className="status status-ok" data-testid="dead-job-retried">
                          {t('jobs.retried')}
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="button button-small"
                          disabled={busyId === job.id}
                          onClick={() => void redrive(job.id, job.kind)}
                          data-testid="dead-job-retry"
                        >
                          {t('jobs.retry')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <LoadMore visible={jobs.hasMore} loading={jobs.loadingMore} onClick={() => void jobs.loadMore()} testId="dead-jobs-more" />
      </section>
    </section>
  );
}
