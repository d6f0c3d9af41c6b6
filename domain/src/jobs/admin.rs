//! What a business's admins may do with its jobs: see its dead letters and
//! send them back to the queue. Jobs of other businesses (and system jobs)
//! are never visible to a tenant.

use std::sync::Arc;

use super::models::{Job, QueueStats};
use super::ports::JobQueue;
use crate::ctx::Ctx;
use crate::identity::errors::{DomainError, ErrorClass, ReadError, StoreError};
use crate::ids::JobId;
use crate::page::{Page, PageRequest};

/// Re-driving a dead job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedriveError {
    /// No dead job with this id in this business.
    #[error("not found")]
    NotFound,
    /// The same work is already queued again.
    #[error("the same job is already queued")]
    AlreadyQueued,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for RedriveError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(_) => Self::AlreadyQueued,
            StoreError::Internal(m) => Self::Internal(m),
        }
    }
}

impl DomainError for RedriveError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::NotFound => ErrorClass::NotFound,
            Self::AlreadyQueued => ErrorClass::Conflict,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// The tenant-scoped view of the job queue.
pub struct JobsAdmin {
    queue: Arc<dyn JobQueue>,
}

impl JobsAdmin {
    /// Over a queue.
    #[must_use]
    pub fn new(queue: Arc<dyn JobQueue>) -> Self {
        Self { queue }
    }

    /// The business's dead letters, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn dead_letters(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<Job>, ReadError> {
        Ok(self.queue.dead(Some(ctx.tenant()), page).await?)
    }

    /// Puts a dead job of the business back in the queue (attempts start over).
    ///
    /// # Errors
    /// See [`RedriveError`].
    pub async fn redrive(&self, ctx: &Ctx, id: JobId) -> Result<Job, RedriveError> {
        let job = self.queue.get(id).await?;
        if job.tenant != Some(ctx.tenant()) {
            return Err(RedriveError::NotFound);
        }
        Ok(self.queue.redrive(id).await?)
    }

    /// Queue depth and age for monitoring (the whole queue).
    ///
    /// # Errors
    /// Storage failure.
    pub async fn stats(&self) -> Result<QueueStats, ReadError> {
        Ok(self.queue.stats().await?)
    }
}
