//! [`Worker`]: claims jobs from a [`JobQueue`], runs their handlers concurrently,
//! keeps long jobs locked with heartbeats, records the outcome, ticks recurring
//! schedules, and drains gracefully on shutdown.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use domain::JobId;
use domain::identity::StoreError;
use domain::jobs::{FailureOutcome, Job, JobFailure, JobHandler, JobQueue};
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::{JoinError, JoinSet};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

/// How a [`Worker`] runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// Names the worker in the job rows it locks (`locked_by`) and in logs.
    pub name: String,
    /// Jobs run at the same time (at least 1).
    pub concurrency: usize,
    /// How long to wait before polling again when the queue had nothing due;
    /// schedules are ticked at most this often.
    pub poll_interval: Duration,
    /// How long a claimed job stays locked without a heartbeat. Heartbeats
    /// extend it every third of this while the handler runs, so it bounds how
    /// long a job of a crashed worker waits before another worker takes it.
    pub visibility: chrono::Duration,
    /// On shutdown, how long in-flight jobs may take to finish before they are
    /// interrupted and given back to the queue.
    pub grace: Duration,
    /// Claim only the kinds this worker has handlers for (for deployments that
    /// split kinds across processes). By default every kind is claimed and a
    /// job of a kind without a handler is dead-lettered, visibly.
    pub only_handled_kinds: bool,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        Self {
            name: format!("worker-{}", std::process::id()),
            concurrency: 4,
            poll_interval: Duration::from_secs(1),
            visibility: chrono::Duration::minutes(5),
            grace: Duration::from_secs(30),
            only_handled_kinds: false,
        }
    }
}

/// Wakes a running [`Worker`] to poll at once (e.g. right after an enqueue).
#[derive(Debug, Clone, Default)]
pub struct WorkerWaker(Arc<Notify>);

impl WorkerWaker {
    /// Polls now instead of at the end of the poll interval.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Runs jobs. Build it with the handlers by kind, then [`Worker::run`] it.
pub struct Worker {
    queue: Arc<dyn JobQueue>,
    handlers: HashMap<String, Arc<dyn JobHandler>>,
    opts: WorkerOptions,
    waker: WorkerWaker,
}

/// The most completions written by one statement.
const COMPLETE_BATCH: usize = 64;

/// A finished job waiting to be marked done, and where its answer goes:
/// `Ok(false)` when it was no longer running under its lease.
type Completion = (JobId, String, oneshot::Sender<Result<bool, StoreError>>);

/// Marks finished jobs done in batches: whatever finished while the previous
/// batch was being written goes in the next one statement. It never waits to
/// fill a batch, so a lone job is completed at once; under load one round
/// trip completes many jobs instead of one each.
async fn complete_in_batches(
    queue: Arc<dyn JobQueue>,
    mut rx: mpsc::UnboundedReceiver<Completion>,
) {
    let mut batch: Vec<Completion> = Vec::with_capacity(COMPLETE_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < COMPLETE_BATCH {
            match rx.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let jobs: Vec<(JobId, String)> = batch
            .iter()
            .map(|(id, lease, _)| (*id, lease.clone()))
            .collect();
        let answer = queue.complete_many(&jobs).await;
        for (id, _, reply) in batch.drain(..) {
            let _ = reply.send(
                answer
                    .as_ref()
                    .map(|done| done.contains(&id))
                    .map_err(Clone::clone),
            );
        }
    }
}

enum Outcome {
    Finished(Result<Result<(), JobFailure>, JoinError>),
    LostLease,
    Interrupted,
}

impl Worker {
    /// A worker over `queue` running `handlers` (by job kind).
    #[must_use]
    pub fn new(
        queue: Arc<dyn JobQueue>,
        handlers: HashMap<String, Arc<dyn JobHandler>>,
        opts: WorkerOptions,
    ) -> Self {
        Self {
            queue,
            handlers,
            opts,
            waker: WorkerWaker::default(),
        }
    }

    /// A handle that makes the running worker poll at once.
    #[must_use]
    pub fn waker(&self) -> WorkerWaker {
        self.waker.clone()
    }

    /// Runs until `shutdown` is cancelled, then stops claiming, waits up to the
    /// grace period for the jobs in flight, gives back the ones still running
    /// (queued again, due now, the attempt not counted) and returns.
    pub async fn run(self, shutdown: CancellationToken) {
        let Self {
            queue,
            handlers,
            opts,
            waker,
        } = self;
        let concurrency = opts.concurrency.max(1);
        let kinds: Vec<String> = if opts.only_handled_kinds {
            handlers.keys().cloned().collect()
        } else {
            Vec::new()
        };
        let interrupt = CancellationToken::new();
        let (completions, rx) = mpsc::unbounded_channel::<Completion>();
        let completer = tokio::spawn(complete_in_batches(Arc::clone(&queue), rx));
        let mut tasks: JoinSet<()> = JoinSet::new();
        let mut last_tick: Option<Instant> = None;
        tracing::info!(worker = %opts.name, concurrency, "job worker started");

        while !shutdown.is_cancelled() {
            while let Some(done) = tasks.try_join_next() {
                log_task_end(done);
            }
            if last_tick.is_none_or(|t| t.elapsed() >= opts.poll_interval) {
                last_tick = Some(Instant::now());
                match queue.tick_schedules().await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(jobs = n, "schedules ticked"),
                    Err(e) => tracing::error!(error = %e, "ticking job schedules failed"),
                }
            }
            let free = concurrency.saturating_sub(tasks.len());
            let mut full = free == 0;
            if free > 0 {
                let limit = u32::try_from(free).unwrap_or(u32::MAX);
                match queue
                    .claim(&opts.name, &kinds, limit, opts.visibility)
                    .await
                {
                    Ok(jobs) => {
                        full = jobs.len() >= free;
                        for job in jobs {
                            let handler = handlers.get(&job.kind).cloned();
                            tasks.spawn(process(
                                Arc::clone(&queue),
                                completions.clone(),
                                handler,
                                job,
                                opts.visibility,
                                interrupt.clone(),
                            ));
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "claiming jobs failed"),
                }
            }
            if full {
                // More may be due: claim again as soon as a slot frees up (and
                // keep ticking schedules while every slot is busy).
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    Some(done) = tasks.join_next() => {
                        log_task_end(done);
                        // Let a few more finish (2 ms at most), so one claim
                        // fills several slots instead of one.
                        let settle = tokio::time::sleep(Duration::from_millis(2));
                        tokio::pin!(settle);
                        while tasks.len() > concurrency / 2 {
                            tokio::select! {
                                Some(done) = tasks.join_next() => log_task_end(done),
                                () = &mut settle => break,
                            }
                        }
                    }
                    () = tokio::time::sleep(opts.poll_interval) => {}
                }
            } else {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(opts.poll_interval) => {}
                    () = waker.0.notified() => {}
                }
            }
        }

        tracing::info!(
            worker = %opts.name,
            in_flight = tasks.len(),
            "job worker stopping; waiting for jobs in flight"
        );
        let drain = async {
            while let Some(done) = tasks.join_next().await {
                log_task_end(done);
            }
        };
        if tokio::time::timeout(opts.grace, drain).await.is_err() {
            tracing::warn!(
                worker = %opts.name,
                "shutdown grace period over; giving unfinished jobs back to the queue"
            );
            interrupt.cancel();
            while let Some(done) = tasks.join_next().await {
                log_task_end(done);
            }
        }
        // Every task has its answer: the completer ends with the last sender.
        drop(completions);
        if let Err(e) = completer.await {
            tracing::error!(error = %e, "the job completer ended abnormally");
        }
        tracing::info!(worker = %opts.name, "job worker stopped");
    }
}

fn log_task_end(done: Result<(), JoinError>) {
    // `process` handles its handler's panics; this is a bug in the worker itself.
    if let Err(e) = done {
        tracing::error!(error = %e, "a job task ended abnormally");
    }
}

fn heartbeat_every(visibility: chrono::Duration) -> Duration {
    (visibility / 3)
        .to_std()
        .unwrap_or(Duration::from_secs(1))
        .max(Duration::from_millis(100))
}

fn panic_message(e: JoinError) -> String {
    if e.is_cancelled() {
        return "the handler was cancelled".into();
    }
    let payload = e.into_panic();
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    format!("the handler panicked: {text}")
}

/// Runs one claimed job to its recorded outcome.
async fn process(
    queue: Arc<dyn JobQueue>,
    completions: mpsc::UnboundedSender<Completion>,
    handler: Option<Arc<dyn JobHandler>>,
    job: Job,
    visibility: chrono::Duration,
    interrupt: CancellationToken,
) {
    let span = tracing::info_span!(
        "job",
        job.id = %job.id,
        job.kind = %job.kind,
        job.attempt = job.attempts,
        tenant.id = tracing::field::Empty,
    );
    if let Some(t) = job.tenant {
        span.record("tenant.id", tracing::field::display(t));
    }
    run_job(queue, completions, handler, job, visibility, interrupt)
        .instrument(span)
        .await;
}

async fn run_job(
    queue: Arc<dyn JobQueue>,
    completions: mpsc::UnboundedSender<Completion>,
    handler: Option<Arc<dyn JobHandler>>,
    job: Job,
    visibility: chrono::Duration,
    interrupt: CancellationToken,
) {
    let Some(lease) = job.lease.clone() else {
        tracing::error!("a claimed job has no lease; skipping it");
        return;
    };
    let id = job.id;
    let Some(handler) = handler else {
        let failure = JobFailure::permanent(format!(
            "no handler is registered for job kind {:?}",
            job.kind
        ));
        record_failure(&*queue, &job, &lease, failure).await;
        return;
    };
    let started = Instant::now();
    let job = Arc::new(job);
    // A spawned task: a panicking handler ends its task, not the worker.
    let mut run = tokio::spawn({
        let job = Arc::clone(&job);
        async move { handler.run(&job).await }
    });
    let every = heartbeat_every(visibility);
    let mut beat = tokio::time::interval_at(Instant::now() + every, every);
    beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let outcome = loop {
        tokio::select! {
            done = &mut run => break Outcome::Finished(done),
            _ = beat.tick() => match queue.extend(id, &lease, visibility).await {
                Ok(()) => {}
                Err(StoreError::NotFound) => {
                    run.abort();
                    break Outcome::LostLease;
                }
                Err(e) => tracing::warn!(error = %e, "job heartbeat failed; trying again at the next one"),
            },
            () = interrupt.cancelled() => {
                run.abort();
                // Wait until the handler is really gone before giving the job
                // back; it may have finished just before the abort.
                break match (&mut run).await {
                    Ok(result) => Outcome::Finished(Ok(result)),
                    Err(_) => Outcome::Interrupted,
                };
            }
        }
    };
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match outcome {
        Outcome::Finished(Ok(Ok(()))) => match complete(&*queue, &completions, id, lease).await {
            Ok(true) => tracing::info!(elapsed_ms, "job done"),
            Ok(false) => tracing::warn!(
                elapsed_ms,
                "job finished after losing its lease; another worker may run it again"
            ),
            Err(e) => tracing::error!(
                error = %e,
                "job finished but could not be marked done; it runs again after its visibility timeout"
            ),
        },
        Outcome::Finished(Ok(Err(failure))) => {
            record_failure(&*queue, &job, &lease, failure).await;
        }
        Outcome::Finished(Err(e)) => {
            record_failure(&*queue, &job, &lease, JobFailure::retry(panic_message(e))).await;
        }
        Outcome::LostLease => tracing::warn!(
            elapsed_ms,
            "job lost its lease (its visibility timeout passed); stopped it, another worker runs it"
        ),
        Outcome::Interrupted => match queue.release(id, &lease).await {
            Ok(()) => tracing::info!("unfinished job given back to the queue"),
            Err(StoreError::NotFound) => {}
            Err(e) => tracing::error!(
                error = %e,
                "unfinished job could not be given back; it runs again after its visibility timeout"
            ),
        },
    }
}

/// Marks the job done through the batching completer (directly if it is gone).
async fn complete(
    queue: &dyn JobQueue,
    completions: &mpsc::UnboundedSender<Completion>,
    id: JobId,
    lease: String,
) -> Result<bool, StoreError> {
    let (reply, answer) = oneshot::channel();
    match completions.send((id, lease, reply)) {
        Ok(()) => answer
            .await
            .unwrap_or_else(|_| Err(StoreError::Internal("the job completer stopped".into()))),
        Err(mpsc::error::SendError((id, lease, _))) => match queue.complete(id, &lease).await {
            Ok(()) => Ok(true),
            Err(StoreError::NotFound) => Ok(false),
            Err(e) => Err(e),
        },
    }
}

async fn record_failure(queue: &dyn JobQueue, job: &Job, lease: &str, failure: JobFailure) {
    let message = failure.message.clone();
    match queue.fail(job.id, lease, failure).await {
        Ok(FailureOutcome::Retry { at }) => tracing::warn!(
            error = %message,
            retry_at = %at.to_rfc3339(),
            "job failed; it will be retried"
        ),
        Ok(FailureOutcome::Dead) => tracing::error!(
            error = %message,
            attempts = job.attempts,
            "job failed for good; moved to the dead letters"
        ),
        Err(StoreError::NotFound) => tracing::warn!(
            error = %message,
            "job failed after losing its lease; another worker runs it"
        ),
        Err(e) => tracing::error!(
            error = %e,
            job_error = %message,
            "job failed and the failure could not be recorded; it runs again after its visibility timeout"
        ),
    }
}
