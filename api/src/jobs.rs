//! The job handlers of the server and the worker's life: recurring loyalty
//! sweeps fan out per tenant, per-tenant tasks, and outbox jobs.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use domain::Ctx;
use domain::GuestId;
use domain::identity::ports::TenantDirectory;
use domain::integrations::IntegrationService;
use domain::integrations::service::Processed;
use domain::jobs::{Job, JobFailure, JobHandler, JobQueue};
use domain::loyalty::LoyaltyService;
use domain::loyalty::tasks::{Task, kinds, task_job};
use domain::notifications::NotificationService;
use infra::jobs::{CancellationToken, Worker, WorkerOptions};

fn retry(e: impl std::fmt::Display) -> JobFailure {
    JobFailure::retry(e.to_string())
}

fn tenant_ctx(job: &Job) -> Result<Ctx, JobFailure> {
    job.tenant
        .map(Ctx::system)
        .ok_or_else(|| JobFailure::permanent("the job names no tenant"))
}

fn task_of(job: &Job) -> Result<Task, JobFailure> {
    job.payload
        .get("task")
        .and_then(|t| t.as_str())
        .and_then(Task::parse)
        .ok_or_else(|| JobFailure::permanent(format!("unknown task in {}", job.payload)))
}

/// A scheduled sweep: one task job per tenant.
struct Sweep {
    queue: Arc<dyn JobQueue>,
    directory: Arc<dyn TenantDirectory>,
}

#[async_trait]
impl JobHandler for Sweep {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let task = task_of(job)?;
        let mut after = None;
        loop {
            let ids = self.directory.tenant_ids(after, 500).await.map_err(retry)?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            for t in ids {
                // Deduplicated per sweep: a retried sweep does not double a tenant's task.
                self.queue
                    .enqueue(task_job(task, &Ctx::system(t), &job.id.to_string()))
                    .await
                    .map_err(retry)?;
            }
            after = Some(last);
        }
        Ok(())
    }
}

/// One task for one tenant.
struct TenantTask {
    loyalty: Arc<LoyaltyService>,
}

#[async_trait]
impl JobHandler for TenantTask {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let ctx = tenant_ctx(job)?;
        let task = task_of(job)?;
        let n = self.loyalty.run_task(&ctx, task).await.map_err(retry)?;
        if n > 0 {
            tracing::info!(tenant = %ctx.tenant(), task = task.as_str(), changed = n, "loyalty task ran");
        }
        Ok(())
    }
}

/// The welcome bonus of a new guest (the outbox side of the inline grant).
struct Welcome {
    loyalty: Arc<LoyaltyService>,
}

#[async_trait]
impl JobHandler for Welcome {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let ctx = tenant_ctx(job)?;
        let guest: GuestId = job
            .payload
            .get("guest")
            .and_then(|g| g.as_str())
            .and_then(|g| g.parse().ok())
            .ok_or_else(|| JobFailure::permanent("the job names no guest"))?;
        match self.loyalty.grant_welcome_to(&ctx, guest).await {
            Ok(()) | Err(domain::loyalty::LedgerError::NotFound) => Ok(()),
            Err(e) => Err(retry(e)),
        }
    }
}

/// Processes a stored POS delivery; a failure is told to live views and to
/// the staff who manage integrations.
struct InboundEvent {
    integrations: Arc<IntegrationService>,
    notifications: Arc<NotificationService>,
}

#[async_trait]
impl JobHandler for InboundEvent {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let ctx = tenant_ctx(job)?;
        let id: domain::InboundEventId = job
            .payload
            .get("event")
            .and_then(|g| g.as_str())
            .and_then(|g| g.parse().ok())
            .ok_or_else(|| JobFailure::permanent("the job names no event"))?;
        let processed = self.integrations.process(&ctx, id).await.map_err(
            |domain::integrations::service::ProcessError::Retry(m)| JobFailure::retry(m),
        )?;
        if let Processed::Failed {
            integration,
            name,
            error,
        } = processed
        {
            self.notifications
                .integration_failed(&ctx, job, integration, &name, id, &error)
                .await?;
        }
        Ok(())
    }
}

/// Fans a durable event out: to the webhook endpoints subscribed to it, and
/// into the notifications it causes.
struct EventFanout {
    webhooks: Arc<domain::webhooks::WebhookService>,
    notifications: Arc<NotificationService>,
    loyalty: Arc<LoyaltyService>,
}

#[async_trait]
impl JobHandler for EventFanout {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let ctx = tenant_ctx(job)?;
        let event = domain::events::DomainEvent::from_job(job)?;
        let n = self.webhooks.fan_out(&ctx, &event).await?;
        let m = self.notifications.on_event(&ctx, &event, job).await?;
        if n + m > 0 {
            tracing::debug!(tenant.id = %ctx.tenant(), event.id = %event.id, deliveries = n, notifications = m, "event fanned out");
        }
        // Last: a retry while the bus is unreachable repeats the steps above,
        // which do nothing the second time.
        self.loyalty.publish_live_from_outbox(&ctx, job).await
    }
}

/// Publishes the live events of a transaction without a durable event, if the
/// process that committed it did not.
struct LivePublish {
    loyalty: Arc<LoyaltyService>,
}

#[async_trait]
impl JobHandler for LivePublish {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let ctx = tenant_ctx(job)?;
        self.loyalty.publish_live_from_outbox(&ctx, job).await
    }
}

/// Sends one notification over one channel (e-mail or Telegram).
struct NotificationDeliver {
    notifications: Arc<NotificationService>,
}

#[async_trait]
impl JobHandler for NotificationDeliver {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let ctx = tenant_ctx(job)?;
        self.notifications.deliver(&ctx, job).await
    }
}

/// Sends one webhook delivery attempt.
struct WebhookDeliver {
    webhooks: Arc<domain::webhooks::WebhookService>,
}

#[async_trait]
impl JobHandler for WebhookDeliver {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let ctx = tenant_ctx(job)?;
        self.webhooks.deliver(&ctx, job).await
    }
}

/// The kind of the nightly clean-up of finished jobs.
pub const PURGE_JOB: &str = "jobs.purge";

/// Days finished jobs are kept (for looking back at what ran).
const KEEP_DONE_DAYS: i64 = 7;

/// The server's own recurring schedules (besides the contexts').
#[must_use]
pub fn schedules() -> Vec<domain::jobs::Schedule> {
    let mut s = domain::loyalty::tasks::schedules();
    s.push(domain::jobs::Schedule::new(
        PURGE_JOB,
        "40 2 * * *",
        PURGE_JOB,
        serde_json::json!({}),
    ));
    s
}

/// Deletes finished jobs older than a week, so the queue's table stays small.
struct Purge {
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn domain::ports::Clock>,
}

#[async_trait]
impl JobHandler for Purge {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        let before = self.clock.now() - chrono::Duration::days(KEEP_DONE_DAYS);
        let n = self.queue.purge_done(before).await.map_err(retry)?;
        if n > 0 {
            tracing::info!(purged = n, "finished jobs purged");
        }
        Ok(())
    }
}

/// The handler of [`PURGE_JOB`].
#[must_use]
pub fn purge_handler(
    queue: Arc<dyn JobQueue>,
    clock: Arc<dyn domain::ports::Clock>,
) -> Arc<dyn JobHandler> {
    Arc::new(Purge { queue, clock })
}

/// Every handler of the server, by job kind.
#[must_use]
pub fn handlers(
    queue: &Arc<dyn JobQueue>,
    directory: Arc<dyn TenantDirectory>,
    loyalty: &Arc<LoyaltyService>,
    integrations: &Arc<IntegrationService>,
    webhooks: &Arc<domain::webhooks::WebhookService>,
    notifications: &Arc<NotificationService>,
) -> HashMap<String, Arc<dyn JobHandler>> {
    let mut h: HashMap<String, Arc<dyn JobHandler>> = HashMap::new();
    h.insert(
        domain::events::FANOUT_JOB.into(),
        Arc::new(EventFanout {
            webhooks: Arc::clone(webhooks),
            notifications: Arc::clone(notifications),
            loyalty: Arc::clone(loyalty),
        }),
    );
    h.insert(
        domain::loyalty::events::LIVE_JOB.into(),
        Arc::new(LivePublish {
            loyalty: Arc::clone(loyalty),
        }),
    );
    h.insert(
        domain::notifications::DELIVER_JOB.into(),
        Arc::new(NotificationDeliver {
            notifications: Arc::clone(notifications),
        }),
    );
    h.insert(
        domain::webhooks::DELIVER_JOB.into(),
        Arc::new(WebhookDeliver {
            webhooks: Arc::clone(webhooks),
        }),
    );
    h.insert(
        domain::integrations::PROCESS_JOB.into(),
        Arc::new(InboundEvent {
            integrations: Arc::clone(integrations),
            notifications: Arc::clone(notifications),
        }),
    );
    h.insert(
        kinds::SWEEP.into(),
        Arc::new(Sweep {
            queue: Arc::clone(queue),
            directory,
        }),
    );
    h.insert(
        kinds::TASK.into(),
        Arc::new(TenantTask {
            loyalty: Arc::clone(loyalty),
        }),
    );
    h.insert(
        kinds::WELCOME.into(),
        Arc::new(Welcome {
            loyalty: Arc::clone(loyalty),
        }),
    );
    h
}

/// The kinds named in `MAXLOYALTY_WORKER_KINDS` (comma-separated), each one
/// a kind with a handler.
///
/// # Errors
/// An empty list or an unknown kind, with the kinds there are.
pub fn parse_kinds(
    list: &str,
    handlers: &HashMap<String, Arc<dyn JobHandler>>,
) -> Result<Vec<String>, String> {
    let wanted: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    let mut known: Vec<&str> = handlers.keys().map(String::as_str).collect();
    known.sort_unstable();
    if wanted.is_empty() {
        return Err(format!(
            "MAXLOYALTY_WORKER_KINDS names no job kind; leave it unset for every kind, or name some of: {}",
            known.join(", ")
        ));
    }
    if let Some(unknown) = wanted.iter().find(|k| !handlers.contains_key(k.as_str())) {
        return Err(format!(
            "MAXLOYALTY_WORKER_KINDS: no job kind {unknown:?}; the kinds are: {}",
            known.join(", ")
        ));
    }
    Ok(wanted)
}

/// A running worker and the way to stop it.
pub struct RunningWorker {
    stop: CancellationToken,
    handle: tokio::task::JoinHandle<()>,
    waker: infra::jobs::WorkerWaker,
}

/// How often an idle worker looks for due jobs. Work enqueued by this process's
/// POS webhook doors wakes it at once; other jobs (the outbox's, those of
/// other processes) wait at most this long.
const POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

impl RunningWorker {
    /// Starts a worker in the background.
    #[must_use]
    pub fn start(
        queue: Arc<dyn JobQueue>,
        handlers: HashMap<String, Arc<dyn JobHandler>>,
        only_handled_kinds: bool,
        concurrency: usize,
        grace: std::time::Duration,
        visibility_secs: u64,
    ) -> Self {
        let name = format!(
            "{}-{}",
            std::env::var("HOSTNAME").unwrap_or_else(|_| "maxloyalty".into()),
            std::process::id()
        );
        let worker = Worker::new(
            queue,
            handlers,
            WorkerOptions {
                name,
                concurrency: concurrency.max(1),
                grace,
                visibility: chrono::Duration::seconds(
                    i64::try_from(visibility_secs.max(3)).unwrap_or(300),
                ),
                only_handled_kinds,
                poll_interval: POLL_INTERVAL,
            },
        );
        let waker = worker.waker();
        let stop = CancellationToken::new();
        let handle = tokio::spawn(worker.run(stop.clone()));
        Self {
            stop,
            handle,
            waker,
        }
    }

    /// Makes the worker look for due jobs now (after enqueueing work it should start on).
    #[must_use]
    pub fn waker(&self) -> infra::jobs::WorkerWaker {
        self.waker.clone()
    }

    /// Stops claiming, lets in-flight jobs finish (or gives them back), and waits.
    pub async fn stop(self) {
        self.stop.cancel();
        if let Err(e) = self.handle.await {
            tracing::error!(error = %e, "the job worker ended abnormally");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;

    #[async_trait]
    impl JobHandler for Nothing {
        async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
            Ok(())
        }
    }

    fn handlers_of(kinds: &[&str]) -> HashMap<String, Arc<dyn JobHandler>> {
        kinds
            .iter()
            .map(|k| ((*k).to_owned(), Arc::new(Nothing) as Arc<dyn JobHandler>))
            .collect()
    }

    #[test]
    fn worker_kinds_are_known_kinds_separated_by_commas() {
        let h = handlers_of(&["webhooks.deliver", "events.fanout", "mail.send"]);
        assert_eq!(
            parse_kinds(" webhooks.deliver, events.fanout ,", &h),
            Ok(vec![
                "webhooks.deliver".to_owned(),
                "events.fanout".to_owned()
            ])
        );
        assert_eq!(
            parse_kinds("webhooks.deliver,webhook.deliver", &h),
            Err("MAXLOYALTY_WORKER_KINDS: no job kind \"webhook.deliver\"; the kinds are: events.fanout, mail.send, webhooks.deliver".to_owned())
        );
        assert!(
            parse_kinds(" , ", &h)
                .expect_err("empty")
                .contains("names no job kind")
        );
    }
}
