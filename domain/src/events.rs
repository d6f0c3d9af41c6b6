//! Durable domain events: what happened in a business, stored through the outbox
//! in the same transaction as the change that caused it, then fanned out (to
//! webhook endpoints today). An event travels as a job of kind [`FANOUT_JOB`]
//! whose payload is the [`DomainEvent`] envelope; its dedupe key is the event id.
//!
//! Payload schemas are versioned by [`DomainEvent::version`] and documented in
//! `docs/WEBHOOKS.md`; a change that is not purely additive needs a new version.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::ids::TenantId;
use crate::jobs::{Job, JobFailure, NewJob};

/// The job kind that fans an event out to its subscribers.
pub const FANOUT_JOB: &str = "events.fanout";

/// The schema version of every payload this code emits.
pub const SCHEMA_VERSION: u32 = 1;

/// Event types, as subscribers name them.
pub mod types {
    /// A guest registered (by staff, a POS or the Mini App).
    pub const GUEST_CREATED: &str = "guest.created";
    /// A guest's details changed (also when their data was forgotten).
    pub const GUEST_UPDATED: &str = "guest.updated";
    /// A check was processed (the receipt).
    pub const CHECK_PROCESSED: &str = "check.processed";
    /// A check was reversed.
    pub const CHECK_REVERSED: &str = "check.reversed";
    /// Points were added or removed by hand.
    pub const POINTS_ADJUSTED: &str = "points.adjusted";
    /// Points expired.
    pub const POINTS_EXPIRED: &str = "points.expired";
    /// A guest's level changed (upgrade on a check, or the monthly review).
    pub const LEVEL_CHANGED: &str = "level.changed";
    /// A promotion granted points to a guest.
    pub const PROMOTION_GRANTED: &str = "promotion.granted";
    /// A test ping sent on request (never subscribed to; sent to one endpoint).
    pub const WEBHOOK_TEST: &str = "webhook.test";

    /// Every type an endpoint can subscribe to.
    pub const SUBSCRIBABLE: [&str; 8] = [
        GUEST_CREATED,
        GUEST_UPDATED,
        CHECK_PROCESSED,
        CHECK_REVERSED,
        POINTS_ADJUSTED,
        POINTS_EXPIRED,
        LEVEL_CHANGED,
        PROMOTION_GRANTED,
    ];
}

/// An event id: `msg_` followed by a time-ordered UUID in 32 hex digits. The
/// same id is the `webhook-id` of every delivery attempt of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(Uuid);

impl EventId {
    /// A fresh, time-ordered id.
    #[must_use]
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    /// Wraps a stored UUID.
    #[must_use]
    pub const fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    /// The underlying UUID.
    #[must_use]
    pub const fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for EventId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "msg_{}", self.0.simple())
    }
}

/// Not an event id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an event id looks like msg_ followed by 32 hexadecimal digits")]
pub struct BadEventId;

impl FromStr for EventId {
    type Err = BadEventId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.strip_prefix("msg_").ok_or(BadEventId)?;
        if hex.len() != 32 {
            return Err(BadEventId);
        }
        Uuid::try_parse(hex).map(Self).map_err(|_| BadEventId)
    }
}

impl Serialize for EventId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The envelope of every event: the same shape is the body POSTed to webhook
/// endpoints (camelCase on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainEvent {
    /// Unique id (`msg_…`).
    pub id: EventId,
    /// What happened, e.g. `check.processed` (see [`types`]).
    #[serde(rename = "type")]
    pub event_type: String,
    /// The schema version of `data` for this type.
    pub version: u32,
    /// The business it happened in.
    #[serde(rename = "tenantId")]
    pub tenant: TenantId,
    /// When it happened (the time of the transaction).
    pub occurred_at: DateTime<Utc>,
    /// The type's payload.
    pub data: Value,
}

impl DomainEvent {
    /// A new event of `event_type` in `tenant`, at `occurred_at`, with a fresh id.
    #[must_use]
    pub fn new(
        event_type: &str,
        tenant: TenantId,
        occurred_at: DateTime<Utc>,
        data: Value,
    ) -> Self {
        Self {
            id: EventId::new(),
            event_type: event_type.to_owned(),
            version: SCHEMA_VERSION,
            tenant,
            occurred_at,
            data,
        }
    }

    /// The outbox job carrying this event: [`FANOUT_JOB`] for its tenant,
    /// deduplicated by the event id.
    #[must_use]
    pub fn to_job(&self) -> NewJob {
        NewJob::new(
            FANOUT_JOB,
            serde_json::to_value(self).unwrap_or(Value::Null),
        )
        .tenant(self.tenant)
        .dedupe_key(self.id.to_string())
    }

    /// The event a fan-out job carries.
    ///
    /// # Errors
    /// A permanent failure when the payload is not an event of the job's tenant.
    pub fn from_job(job: &Job) -> Result<Self, JobFailure> {
        let e: Self = job.payload_as()?;
        if job.tenant != Some(e.tenant) {
            return Err(JobFailure::permanent(
                "the event's tenant differs from the job's",
            ));
        }
        Ok(e)
    }

    /// The JSON body sent to subscribers.
    #[must_use]
    pub fn body(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The outbox jobs of some events.
#[must_use]
pub fn jobs_of(events: &[DomainEvent]) -> Vec<NewJob> {
    events.iter().map(DomainEvent::to_job).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_id_round_trips_and_refuses_other_strings() {
        let id = EventId::new();
        let s = id.to_string();
        assert!(s.starts_with("msg_") && s.len() == 36, "{s}");
        assert_eq!(s.parse::<EventId>(), Ok(id));
        for bad in ["", "msg_", "msg_xyz", &s[4..], &format!("evt_{}", &s[4..])] {
            assert_eq!(bad.parse::<EventId>(), Err(BadEventId), "{bad}");
        }
    }

    #[test]
    fn an_event_becomes_a_fanout_job_of_its_tenant_and_back() {
        let tenant = TenantId::new();
        let e = DomainEvent::new(
            types::CHECK_PROCESSED,
            tenant,
            Utc::now(),
            serde_json::json!({ "x": 1 }),
        );
        let job = e.to_job();
        assert_eq!(job.kind, FANOUT_JOB);
        assert_eq!(job.tenant, Some(tenant));
        assert_eq!(job.dedupe_key.as_deref(), Some(e.id.to_string().as_str()));
        assert_eq!(job.payload["type"], "check.processed");
        assert_eq!(job.payload["version"], 1);
        assert_eq!(job.payload["tenantId"], tenant.to_string());
        assert!(job.payload["occurredAt"].is_string());
        let stored = Job {
            id: crate::ids::JobId::new(),
            kind: job.kind.clone(),
            tenant: job.tenant,
            payload: job.payload.clone(),
            attempts: 1,
            max_attempts: 10,
            status: crate::jobs::JobStatus::Running,
            run_at: Utc::now(),
            locked_until: None,
            locked_by: None,
            last_error: None,
            lease: None,
            dedupe_key: job.dedupe_key.clone(),
            priority: job.priority,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        assert_eq!(DomainEvent::from_job(&stored), Ok(e));
        let other = Job {
            tenant: Some(TenantId::new()),
            ..stored
        };
        assert!(DomainEvent::from_job(&other).is_err_and(|f| f.permanent));
    }
}
