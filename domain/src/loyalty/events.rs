//! Loyalty events, published after their transaction commits.

use super::models::{Account, Receipt};
use crate::ids::{GuestId, InboundEventId, IntegrationId, LevelId, PromotionId, TenantId};
use crate::notifications::Notification;

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

/// Publishes events to subscribers of the same tenant.
pub trait EventPublisher: Send + Sync {
    /// Publishes an event of `tenant` (fire and forget: live views refetch on reconnect).
    fn publish(&self, tenant: TenantId, event: LoyaltyEvent);
}

/// A publisher that drops everything (tests, tools).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoEvents;

impl EventPublisher for NoEvents {
    fn publish(&self, _tenant: TenantId, _event: LoyaltyEvent) {}
}
