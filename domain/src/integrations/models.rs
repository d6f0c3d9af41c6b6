//! Integration entities.

use chrono::{DateTime, Utc};

use crate::ids::{CheckId, InboundEventId, IntegrationId, LocationId};

/// What talks to the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegrationKind {
    /// Any POS speaking our canonical, HMAC-signed format.
    Pos,
    /// iikoCloud webhooks (a static auth token).
    Iiko,
    /// The r_keeper FarCards relay (signed like the canonical format).
    RKeeper,
}

impl IntegrationKind {
    /// Storage and URL name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pos => "pos",
            Self::Iiko => "iiko",
            Self::RKeeper => "rkeeper",
        }
    }
    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pos, Self::Iiko, Self::RKeeper]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Whether deliveries are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegrationStatus {
    /// Accepting.
    Active,
    /// Refusing with 403.
    Disabled,
}

/// A POS connection of one location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    /// Id (part of the endpoint URL).
    pub id: IntegrationId,
    /// Kind.
    pub kind: IntegrationKind,
    /// Name for people.
    pub name: String,
    /// The location its checks belong to.
    pub location: LocationId,
    /// Active or disabled.
    pub status: IntegrationStatus,
    /// When the secret last changed.
    pub secret_rotated_at: DateTime<Utc>,
    /// Until when the previous secret is still accepted.
    pub previous_valid_until: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// iiko only: whether the business's iikoCloud `apiLogin` is set (orders are
    /// fetched from iikoCloud before any points effect; without it they fail).
    pub iiko_api_login_set: bool,
}

/// The secrets a delivery may be signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationSecrets {
    /// The current secret.
    pub current: String,
    /// The previous one, while its overlap lasts.
    pub previous: Option<String>,
}

impl IntegrationSecrets {
    /// Every secret valid now.
    #[must_use]
    pub fn valid(&self) -> Vec<&str> {
        std::iter::once(self.current.as_str())
            .chain(self.previous.as_deref())
            .collect()
    }
}

/// Where an inbound event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventStatus {
    /// Stored; its processing job is queued.
    Pending,
    /// Done: the ledger entries exist (or the query was answered).
    Processed,
    /// Nothing to do (not a closed order, an unknown guest…).
    Ignored,
    /// Processing failed; it can be reprocessed.
    Failed,
    /// The same external id came with a different payload (409).
    Conflict,
    /// Refused at the door (signature, timestamp, body, disabled).
    Rejected,
}

impl EventStatus {
    /// Storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processed => "processed",
            Self::Ignored => "ignored",
            Self::Failed => "failed",
            Self::Conflict => "conflict",
            Self::Rejected => "rejected",
        }
    }
    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Processed,
            Self::Ignored,
            Self::Failed,
            Self::Conflict,
            Self::Rejected,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One delivery (or one event of an iiko batch) as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundEvent {
    /// Id.
    pub id: InboundEventId,
    /// The integration.
    pub integration: IntegrationId,
    /// What it was (`check.closed`, `guest.lookup`, `iiko.DeliveryOrderUpdate`, …).
    pub kind: String,
    /// The source's id of the check/order (dedupe key), when it has one.
    pub external_id: Option<String>,
    /// A digest of what matters in the payload (same id + other digest = conflict).
    pub fingerprint: Option<String>,
    /// The raw payload (rejected deliveries keep at most 4 KB).
    pub payload: String,
    /// Where it stands.
    pub status: EventStatus,
    /// Why it failed, was ignored or rejected.
    pub error: Option<String>,
    /// The resulting check (its ledger entries).
    pub check: Option<CheckId>,
    /// When received.
    pub received_at: DateTime<Utc>,
    /// When processed.
    pub processed_at: Option<DateTime<Utc>>,
}
