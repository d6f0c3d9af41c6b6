//! The job queue for a business's admins: dead letters, re-drive, queue depth.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::JobId;
use domain::identity::Permission as P;
use domain::jobs::JobsAdmin;

use crate::error::GqlResult;
use crate::graphql::{Conn, PageArgs, Perm, connection, parse_id, requires, staff_ctx};

/// Where a job stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum JobStatus {
    /// Waiting to run (or to be retried).
    Queued,
    /// Held by a worker.
    Running,
    /// Finished.
    Done,
    /// Failed for good: re-drive it once the cause is fixed.
    Dead,
}

impl From<domain::jobs::JobStatus> for JobStatus {
    fn from(s: domain::jobs::JobStatus) -> Self {
        match s {
            domain::jobs::JobStatus::Queued => Self::Queued,
            domain::jobs::JobStatus::Running => Self::Running,
            domain::jobs::JobStatus::Done => Self::Done,
            domain::jobs::JobStatus::Dead => Self::Dead,
        }
    }
}

/// Which due jobs a worker takes first.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum JobPriority {
    /// Someone waits for it now (a POS check's points): runs before normal jobs.
    Interactive,
    /// Fan-out, deliveries, notifications, scheduled tasks.
    Normal,
}

impl From<domain::jobs::JobPriority> for JobPriority {
    fn from(p: domain::jobs::JobPriority) -> Self {
        match p {
            domain::jobs::JobPriority::Interactive => Self::Interactive,
            domain::jobs::JobPriority::Normal => Self::Normal,
        }
    }
}

/// A background job of the business.
#[derive(SimpleObject)]
pub struct Job {
    /// Id.
    pub id: ID,
    /// What it does (`loyalty.task`, `webhook.deliver`, …).
    pub kind: String,
    /// Its input.
    pub payload: async_graphql::Json<serde_json::Value>,
    /// Where it stands.
    pub status: JobStatus,
    /// Which due jobs run first.
    pub priority: JobPriority,
    /// Attempts made.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it runs (next).
    pub run_at: DateTime<Utc>,
    /// When enqueued.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<domain::jobs::Job> for Job {
    fn from(j: domain::jobs::Job) -> Self {
        Self {
            id: ID(j.id.to_string()),
            kind: j.kind,
            payload: async_graphql::Json(j.payload),
            status: j.status.into(),
            priority: j.priority.into(),
            attempts: i32::try_from(j.attempts).unwrap_or(i32::MAX),
            max_attempts: i32::try_from(j.max_attempts).unwrap_or(i32::MAX),
            last_error: j.last_error,
            run_at: j.run_at,
            created_at: j.created_at,
            updated_at: j.updated_at,
        }
    }
}

/// The queue's depth (all businesses; for monitoring).
#[derive(SimpleObject)]
pub struct JobQueueStats {
    /// Waiting jobs.
    pub queued: i64,
    /// Jobs held by workers.
    pub running: i64,
    /// Dead letters.
    pub dead: i64,
    /// Age of the oldest waiting job that is due, seconds.
    pub oldest_queued_age_seconds: Option<i64>,
}

fn admin<'a>(ctx: &'a Context<'_>) -> Result<&'a Arc<JobsAdmin>> {
    ctx.data::<Arc<JobsAdmin>>()
}

/// Job queries.
#[derive(Default)]
pub struct JobsQuery;

#[Object]
impl JobsQuery {
    /// The business's dead letters, oldest first.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn dead_jobs(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Job>> {
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let p = admin(ctx)?
            .dead_letters(staff_ctx(ctx)?, page)
            .await
            .gql()?;
        Ok(connection(p, |j| j.id.as_uuid(), Job::from))
    }

    /// Queue depth and the age of the oldest waiting job.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn job_queue_stats(&self, ctx: &Context<'_>) -> Result<JobQueueStats> {
        let s = admin(ctx)?.stats().await.gql()?;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Ok(JobQueueStats {
            queued: n(s.queued),
            running: n(s.running),
            dead: n(s.dead),
            oldest_queued_age_seconds: s.oldest_queued_age_secs,
        })
    }
}

/// Job mutations.
#[derive(Default)]
pub struct JobsMutation;

#[Object]
impl JobsMutation {
    /// Sends a dead job back to the queue (its attempts start over).
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn redrive_job(&self, ctx: &Context<'_>, id: ID) -> Result<Job> {
        let id: JobId = parse_id(&id, "id")?;
        Ok(admin(ctx)?.redrive(staff_ctx(ctx)?, id).await.gql()?.into())
    }
}
