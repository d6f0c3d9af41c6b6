//! Ports of the job queue: the durable queue itself (with recurring schedules)
//! and the handlers a worker runs.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use super::models::{FailureOutcome, Job, JobFailure, NewJob, QueueStats, Schedule};
use crate::identity::errors::{DomainError, ErrorClass, StoreError};
use crate::ids::{JobId, TenantId};
use crate::page::{Page, PageRequest};

/// A durable queue of jobs. Jobs are global (not tenant-scoped): a worker claims
/// across tenants, and each handler acts for `job.tenant` itself.
///
/// Execution is at least once: a job whose worker stops before completing it is
/// claimed again once its visibility timeout passes, so handlers must be
/// idempotent.
#[async_trait]
pub trait JobQueue: Send + Sync {
    /// Enqueues a job. With a dedupe key that a queued or running job already
    /// has, nothing is enqueued and that job's id is returned.
    ///
    /// # Errors
    /// Storage failure.
    async fn enqueue(&self, job: NewJob) -> Result<JobId, StoreError>;

    /// Claims up to `limit` jobs of `kinds` (all kinds when empty) for `worker`:
    /// queued jobs that are due, oldest `run_at` first, and running jobs whose
    /// `locked_until` has passed (their worker died). Each claimed job counts an
    /// attempt, is locked for `visibility` and gets a new lease. Two workers
    /// never claim the same job at the same time. Running jobs whose visibility
    /// expired on their last attempt are dead-lettered instead.
    ///
    /// # Errors
    /// Storage failure.
    async fn claim(
        &self,
        worker: &str,
        kinds: &[String],
        limit: u32,
        visibility: Duration,
    ) -> Result<Vec<Job>, StoreError>;

    /// Marks a running job done.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the job is not running under `lease` (the
    /// lease expired and another worker took it over, or it already finished).
    async fn complete(&self, id: JobId, lease: &str) -> Result<(), StoreError>;

    /// Marks several running jobs done at once, each guarded by its own lease
    /// like [`complete`](Self::complete). Returns the ids it completed; a job
    /// missing from the answer was not running under its lease.
    ///
    /// # Errors
    /// Storage failure (then none of them is marked done).
    async fn complete_many(&self, jobs: &[(JobId, String)]) -> Result<Vec<JobId>, StoreError> {
        let mut done = Vec::with_capacity(jobs.len());
        for (id, lease) in jobs {
            match self.complete(*id, lease).await {
                Ok(()) => done.push(*id),
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    /// Records a failed attempt: dead-letters the job when the failure is
    /// permanent or it has no attempts left, else queues it again after the
    /// backoff (see [`after_failure`](super::after_failure)).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the job is not running under `lease`.
    async fn fail(
        &self,
        id: JobId,
        lease: &str,
        failure: JobFailure,
    ) -> Result<FailureOutcome, StoreError>;

    /// Gives a running job back without counting the attempt (graceful
    /// shutdown): queued again, due now.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the job is not running under `lease`.
    async fn release(&self, id: JobId, lease: &str) -> Result<(), StoreError>;

    /// Heartbeat: keeps a running job locked for another `visibility` from now.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the job is not running under `lease`.
    async fn extend(&self, id: JobId, lease: &str, visibility: Duration) -> Result<(), StoreError>;

    /// One job.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; storage failure.
    async fn get(&self, id: JobId) -> Result<Job, StoreError>;

    /// Dead letters, oldest first: of one tenant, or (`None`) all of them.
    ///
    /// # Errors
    /// Storage failure.
    async fn dead(
        &self,
        tenant: Option<TenantId>,
        page: PageRequest,
    ) -> Result<Page<Job>, StoreError>;

    /// Queues a dead job again: attempts back to 0, due now.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when no dead job has this id;
    /// [`StoreError::Conflict`] when a pending job has the same dedupe key.
    async fn redrive(&self, id: JobId) -> Result<Job, StoreError>;

    /// Queue depth and the age of the oldest due job.
    ///
    /// # Errors
    /// Storage failure.
    async fn stats(&self) -> Result<QueueStats, StoreError>;

    /// Deletes done jobs last changed before `before`; returns how many.
    ///
    /// # Errors
    /// Storage failure.
    async fn purge_done(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Creates or updates recurring schedules by name. A schedule whose cron
    /// expression is unchanged keeps its next tick; a new or changed one ticks
    /// next at the expression's first time after now. Schedules not listed
    /// are left alone.
    ///
    /// # Errors
    /// [`ScheduleError::InvalidCron`] (nothing is stored then); storage failure.
    async fn register_schedules(&self, schedules: &[Schedule]) -> Result<(), ScheduleError>;

    /// Enqueues the job of every schedule whose tick is due and moves the
    /// schedule to its next tick after now (missed ticks are not made up). With
    /// several processes ticking, exactly one enqueues each tick. Returns how
    /// many jobs were enqueued.
    ///
    /// # Errors
    /// Storage failure.
    async fn tick_schedules(&self) -> Result<u32, StoreError>;
}

/// Runs the jobs of one kind.
#[async_trait]
pub trait JobHandler: Send + Sync {
    /// Runs `job`. Must be idempotent: a job can run again after a crash or a
    /// lost lease even when an earlier run had its effect.
    ///
    /// # Errors
    /// A [`JobFailure`]: retried after a backoff, or dead-lettered when
    /// permanent or out of attempts.
    async fn run(&self, job: &Job) -> Result<(), JobFailure>;
}

/// Registering recurring schedules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// A cron expression does not parse or never fires.
    #[error("schedule {name:?}: invalid cron expression {expression:?}: {reason}")]
    InvalidCron {
        /// The schedule.
        name: String,
        /// The expression as given.
        expression: String,
        /// Why it is invalid.
        reason: String,
    },
    /// Storage failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ScheduleError {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl DomainError for ScheduleError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::InvalidCron { .. } => ErrorClass::Validation,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}
