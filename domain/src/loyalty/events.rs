//! Live events, published after their transaction commits, from the outbox.
//!
//! A transaction that changes what live screens show writes its live events
//! to its outbox as one [`LiveBatch`] (beside its durable events, see
//! [`LiveBatch::attach`]). Right after the commit, the process that committed
//! publishes the batch ([`EventPublisher::publish_batch`]); the outbox job
//! publishes it again only if nobody did ([`EventPublisher::batch_state`],
//! [`EventPublisher::publish_late`]): the committing process died first, or its
//! bus was cut off. A batch is published once per id, as far as the bus can tell.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::models::{Account, Receipt};
use crate::events::{EventId, FANOUT_JOB};
use crate::ids::{GuestId, InboundEventId, IntegrationId, LevelId, PromotionId, TenantId};
use crate::jobs::{Job, JobFailure, NewJob};
use crate::notifications::Notification;

/// The job kind that publishes a live batch whose transaction had no durable
/// event to carry it (holds, merges).
pub const LIVE_JOB: &str = "live.publish";

/// How long after its commit a batch may still be published by its outbox
/// job. Older batches are left alone: live screens that missed them have
/// refetched since (they refetch on reconnect), and a bus remembers published
/// ids only for a while ([`LIVE_MEMORY`]).
pub const LIVE_WINDOW: Duration = Duration::minutes(9);

/// How long a bus remembers that a batch id was published.
pub const LIVE_MEMORY: Duration = Duration::minutes(10);

/// How long a batch's own job waits before checking that it was published
/// (the committing process normally has by then).
pub const LIVE_JOB_DELAY: Duration = Duration::seconds(5);

/// Something live screens care about (the live-event vocabulary of every
/// context, carried by the event bus). Serialisable so that bus adapters can
/// carry it between processes (the domain itself does no IO).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LoyaltyEvent {
    /// A check was processed (not sent for replays).
    CheckProcessed(Receipt),
    /// A guest's points or level changed.
    GuestChanged {
        /// The guest.
        guest: GuestId,
        /// Their points now.
        account: Account,
        /// Their level now.
        level: Option<LevelId>,
    },
    /// A promotion granted points to a guest.
    PromotionGranted {
        /// The promotion.
        promotion: PromotionId,
        /// The guest.
        guest: GuestId,
        /// Points granted.
        points: i64,
    },
    /// A notification was stored (for a staff user or a guest of the tenant).
    NotificationCreated(Notification),
    /// A POS event could not be processed (for `integrations:manage`).
    IntegrationEventFailed {
        /// The integration.
        integration: IntegrationId,
        /// The stored inbound event.
        event: InboundEventId,
        /// Why (no personal data).
        error: String,
    },
}

/// The live events of one committed transaction, as written to its outbox.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LiveBatch {
    /// Unique per transaction: a bus publishes each id once.
    pub id: EventId,
    /// The business.
    pub tenant: TenantId,
    /// When the transaction ran.
    pub at: DateTime<Utc>,
    /// What changed, in order. A [`LoyaltyEvent::GuestChanged`] carries the
    /// guest's points and level as of the commit (its level may be unknown
    /// there: it is read after the commit); one published late is read again.
    pub events: Vec<LoyaltyEvent>,
}

impl LiveBatch {
    /// A batch with a fresh id.
    #[must_use]
    pub fn new(tenant: TenantId, at: DateTime<Utc>, events: Vec<LoyaltyEvent>) -> Self {
        Self {
            id: EventId::new(),
            tenant,
            at,
            events,
        }
    }

    /// A batch of one event raised by a job, under an id that a second run
    /// of the job finds again (e.g. the id of the notification it announces),
    /// so that the bus publishes it once however often the job runs.
    #[must_use]
    pub fn raised(id: EventId, tenant: TenantId, at: DateTime<Utc>, event: LoyaltyEvent) -> Self {
        Self {
            id,
            tenant,
            at,
            events: vec![event],
        }
    }

    /// Adds this batch to a transaction's outbox `jobs`: inside its first
    /// fan-out job when there is one (no extra row), otherwise as a
    /// [`LIVE_JOB`] of its own, due after [`LIVE_JOB_DELAY`]. An empty batch
    /// adds nothing.
    pub fn attach(&self, jobs: &mut Vec<NewJob>) {
        if self.events.is_empty() {
            return;
        }
        let live = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(job) = jobs.iter_mut().find(|j| j.kind == FANOUT_JOB)
            && let Value::Object(fields) = &mut job.payload
        {
            fields.insert("live".into(), live);
            return;
        }
        jobs.push(
            NewJob::new(LIVE_JOB, live)
                .tenant(self.tenant)
                .dedupe_key(self.id.to_string())
                .run_at(self.at + LIVE_JOB_DELAY),
        );
    }

    /// The batch an outbox job carries, if any: the payload of a [`LIVE_JOB`],
    /// or the `live` field of a fan-out job.
    ///
    /// # Errors
    /// A permanent failure when the batch is malformed or names another tenant
    /// than the job's.
    pub fn from_job(job: &Job) -> Result<Option<Self>, JobFailure> {
        let value = if job.kind == LIVE_JOB {
            &job.payload
        } else {
            match job.payload.get("live") {
                Some(v) => v,
                None => return Ok(None),
            }
        };
        let batch: Self = serde_json::from_value(value.clone()).map_err(|e| {
            JobFailure::permanent(format!(
                "the live events of a {} job are malformed: {e}",
                job.kind
            ))
        })?;
        if job.tenant != Some(batch.tenant) {
            return Err(JobFailure::permanent(
                "the live events' tenant differs from the job's",
            ));
        }
        Ok(Some(batch))
    }
}

/// For a job that raised live batches itself ([`LiveBatch::raised`]): the
/// job is their outbox, and it ends only once the bus vouches for each.
/// Each batch was published when it was raised
/// ([`EventPublisher::publish_batch`]); one the bus does not know as
/// published (its process lost the broker, or a run before this one died
/// first) is published late. Batches older than [`LIVE_WINDOW`] are left
/// alone.
///
/// # Errors
/// A retry while the bus cannot tell, except on the job's last attempt.
pub async fn confirm_published(
    bus: &dyn EventPublisher,
    now: DateTime<Utc>,
    job: &Job,
    batches: Vec<LiveBatch>,
) -> Result<(), JobFailure> {
    for batch in batches {
        if batch.events.is_empty() || now - batch.at > LIVE_WINDOW {
            continue;
        }
        let state = match bus.batch_state(batch.id).await {
            BatchState::Unpublished => bus.publish_late(batch).await,
            known => known,
        };
        if state == BatchState::Unknown {
            return bus_unreachable(job);
        }
    }
    Ok(())
}

/// What an outbox job does when the bus cannot tell whether its live events
/// went out: it tries again later, except on its last attempt, which ends
/// quietly (screens that missed the events have refetched by then).
///
/// # Errors
/// The retry.
pub fn bus_unreachable(job: &Job) -> Result<(), JobFailure> {
    if job.attempts < job.max_attempts {
        Err(JobFailure::retry(
            "the event bus is unreachable: live events wait for it",
        ))
    } else {
        Ok(())
    }
}

/// What a bus knows about a batch id when an outbox job asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchState {
    /// Nobody has published it yet.
    Unpublished,
    /// It was published (or needs no second try on this bus).
    Published,
    /// The bus cannot tell right now (its broker is unreachable): ask later.
    Unknown,
}

/// Publishes events to subscribers of the same tenant.
#[async_trait]
pub trait EventPublisher: Send + Sync {
    /// Publishes an event of `tenant` (fire and forget: live views refetch on
    /// reconnect). For events published by jobs, which run again if they fail.
    fn publish(&self, tenant: TenantId, event: LoyaltyEvent);

    /// Publishes a batch that was just committed, unless its id was published
    /// already, and remembers the id for [`LIVE_MEMORY`] (fire and forget).
    fn publish_batch(&self, batch: LiveBatch) {
        for e in batch.events {
            self.publish(batch.tenant, e);
        }
    }

    /// For the outbox job: whether batch `id` went out. Only a batch that did
    /// not is worth reading again and [`EventPublisher::publish_late`].
    ///
    /// The default suits a bus inside one process: the batch was published by
    /// this process right after its commit, or the process died and its
    /// subscribers, disconnected, have refetched.
    async fn batch_state(&self, _id: EventId) -> BatchState {
        BatchState::Published
    }

    /// For the outbox job: publishes a batch unless its id went out meanwhile,
    /// in one step on the broker (marking and publishing cannot be separated by
    /// a lost connection), and waits for the broker's answer: `Published` when
    /// the batch is out (now or before), `Unknown` when the broker could not be
    /// reached (the job tries again; nothing was marked).
    async fn publish_late(&self, batch: LiveBatch) -> BatchState {
        self.publish_batch(batch);
        BatchState::Published
    }
}

/// A publisher that drops everything (tests, tools).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoEvents;

impl EventPublisher for NoEvents {
    fn publish(&self, _tenant: TenantId, _event: LoyaltyEvent) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::DomainEvent;
    use crate::ids::JobId;
    use crate::jobs::{JobPriority, JobStatus};

    fn stored(job: &NewJob) -> Job {
        let now = Utc::now();
        Job {
            id: JobId::new(),
            kind: job.kind.clone(),
            tenant: job.tenant,
            payload: job.payload.clone(),
            attempts: 1,
            max_attempts: job.max_attempts,
            status: JobStatus::Running,
            run_at: job.run_at.unwrap_or(now),
            locked_until: None,
            locked_by: None,
            last_error: None,
            lease: None,
            dedupe_key: job.dedupe_key.clone(),
            priority: JobPriority::Normal,
            created_at: now,
            updated_at: now,
        }
    }

    fn batch(tenant: TenantId) -> LiveBatch {
        LiveBatch::new(
            tenant,
            Utc::now(),
            vec![LoyaltyEvent::PromotionGranted {
                promotion: PromotionId::new(),
                guest: GuestId::new(),
                points: 5,
            }],
        )
    }

    #[test]
    fn a_batch_rides_in_the_first_fanout_job_and_leaves_its_event_intact() {
        let tenant = TenantId::new();
        let event = DomainEvent::new("check.processed", tenant, Utc::now(), serde_json::json!({}));
        let mut jobs = crate::events::jobs_of(std::slice::from_ref(&event));
        let live = batch(tenant);
        live.attach(&mut jobs);
        assert_eq!(jobs.len(), 1, "no extra row");
        let job = stored(&jobs[0]);
        assert_eq!(LiveBatch::from_job(&job), Ok(Some(live)));
        assert_eq!(DomainEvent::from_job(&job), Ok(event));
    }

    #[test]
    fn without_a_fanout_job_a_batch_is_a_delayed_job_of_its_own() {
        let tenant = TenantId::new();
        let live = batch(tenant);
        let mut jobs = Vec::new();
        live.attach(&mut jobs);
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].kind, LIVE_JOB);
        assert_eq!(jobs[0].tenant, Some(tenant));
        assert_eq!(jobs[0].dedupe_key, Some(live.id.to_string()));
        assert_eq!(jobs[0].run_at, Some(live.at + LIVE_JOB_DELAY));
        assert_eq!(LiveBatch::from_job(&stored(&jobs[0])), Ok(Some(live)));

        let mut none = Vec::new();
        LiveBatch::new(tenant, Utc::now(), Vec::new()).attach(&mut none);
        assert!(none.is_empty(), "an empty batch adds nothing");
    }

    #[test]
    fn a_job_without_a_batch_has_none_and_a_foreign_or_broken_batch_is_refused() {
        let tenant = TenantId::new();
        let event = DomainEvent::new("check.processed", tenant, Utc::now(), serde_json::json!({}));
        let plain = stored(&event.to_job());
        assert_eq!(LiveBatch::from_job(&plain), Ok(None));

        let mut jobs = Vec::new();
        batch(TenantId::new()).attach(&mut jobs);
        let mut foreign = stored(&jobs[0]);
        foreign.tenant = Some(tenant);
        assert!(LiveBatch::from_job(&foreign).is_err_and(|f| f.permanent));

        let mut broken = plain;
        broken.payload["live"] = serde_json::json!({ "id": "nope" });
        assert!(LiveBatch::from_job(&broken).is_err_and(|f| f.permanent));
    }
}
