//! Durable background jobs: the queue port (at-least-once execution, retries
//! with backoff and jitter, dead letters, visibility timeouts, recurring
//! schedules), the handler port, and the pure retry rules. The adapter lives in
//! `infra::jobs`; see `docs/JOBS.md` for the design.

pub mod admin;
pub mod models;
pub mod ports;

pub use admin::{JobsAdmin, RedriveError};
pub use models::{
    DEFAULT_MAX_ATTEMPTS, FailureOutcome, Job, JobFailure, JobPriority, JobStatus,
    MAX_BACKOFF_SECS, NewJob, QueueStats, Schedule, after_failure, backoff,
};
pub use ports::{JobHandler, JobQueue, ScheduleError};
