//! The durable job queue in the application's own database: [`SqlJobQueue`]
//! implements `domain::jobs::JobQueue` on SQLite and PostgreSQL, [`enqueue_in`]
//! enqueues inside a caller's transaction (the outbox), and [`Worker`] runs the
//! handlers. Design: `docs/JOBS.md`.

mod store;
mod worker;

pub(crate) use store::{NEW_JOB_COLUMNS, new_job_row, new_job_values};
pub use store::{SqlJobQueue, enqueue_in};
pub use tokio_util::sync::CancellationToken;
pub use worker::{Worker, WorkerOptions, WorkerWaker};
