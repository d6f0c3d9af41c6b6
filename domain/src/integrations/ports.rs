//! Ports of the integrations context.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::models::{EventStatus, InboundEvent, Integration, IntegrationSecrets};
use crate::ctx::Ctx;
use crate::identity::errors::StoreError;
use crate::identity::models::AuditRecord;
use crate::ids::{CheckId, InboundEventId, IntegrationId, TenantId};
use crate::jobs::NewJob;
use crate::page::{Page, PageRequest};

/// Integrations and their secrets (sealed at rest by the adapter).
#[async_trait]
pub trait IntegrationStore: Send + Sync {
    /// Stores a new integration with its secret.
    ///
    /// # Errors
    /// Storage failure.
    async fn create(
        &self,
        ctx: &Ctx,
        integration: &Integration,
        secret: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// Replaces the secret; the old one stays valid until `previous_valid_until`.
    ///
    /// # Errors
    /// `NotFound`.
    async fn rotate(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        secret: &str,
        previous_valid_until: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<Integration, StoreError>;
    /// Enables or disables.
    ///
    /// # Errors
    /// `NotFound`.
    async fn set_active(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        active: bool,
        audit: AuditRecord,
    ) -> Result<Integration, StoreError>;
    /// One integration.
    ///
    /// # Errors
    /// `NotFound`.
    async fn get(&self, ctx: &Ctx, id: IntegrationId) -> Result<Integration, StoreError>;
    /// The business's integrations, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn list(&self, ctx: &Ctx) -> Result<Vec<Integration>, StoreError>;
    /// Sets (or clears, with `None`) the iikoCloud `apiLogin` of an iiko integration.
    ///
    /// # Errors
    /// `NotFound`.
    async fn set_iiko_api_login(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        api_login: Option<&str>,
        audit: AuditRecord,
    ) -> Result<Integration, StoreError>;
    /// The iikoCloud `apiLogin` of an integration, when set.
    ///
    /// # Errors
    /// `NotFound`.
    async fn iiko_api_login(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
    ) -> Result<Option<String>, StoreError>;
    /// For an endpoint URL: the integration's tenant, the integration and its
    /// valid secrets as of `now` (the only lookup without a tenant).
    ///
    /// # Errors
    /// `NotFound`.
    async fn for_delivery(
        &self,
        id: IntegrationId,
        now: DateTime<Utc>,
    ) -> Result<(TenantId, Integration, IntegrationSecrets), StoreError>;
}

/// What recording a delivery did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// New: stored with its processing job.
    New(InboundEventId),
    /// The same external id and payload came before: nothing new.
    Duplicate(InboundEvent),
    /// The same external id came before with another payload: logged as a conflict.
    Conflict(InboundEventId),
}

/// Which events to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Only these statuses (empty = all).
    pub statuses: Vec<EventStatus>,
}

/// The event log of integrations.
#[async_trait]
pub trait InboundEventStore: Send + Sync {
    /// Stores an event. With an external id: a first delivery is stored with
    /// `job` in one transaction; a repeat with the same fingerprint changes
    /// nothing; with another fingerprint it is stored as a conflict.
    ///
    /// # Errors
    /// Storage failure.
    async fn record(
        &self,
        ctx: &Ctx,
        event: &InboundEvent,
        job: Option<NewJob>,
    ) -> Result<Received, StoreError>;
    /// One event.
    ///
    /// # Errors
    /// `NotFound`.
    async fn get(&self, ctx: &Ctx, id: InboundEventId) -> Result<InboundEvent, StoreError>;
    /// One event with its integration, read together (a worker's one read
    /// before processing it).
    ///
    /// # Errors
    /// `NotFound` when the event is not there.
    async fn get_with_integration(
        &self,
        ctx: &Ctx,
        id: InboundEventId,
    ) -> Result<(InboundEvent, Integration), StoreError>;
    /// Marks an event's outcome.
    ///
    /// # Errors
    /// `NotFound`.
    async fn finish(
        &self,
        ctx: &Ctx,
        id: InboundEventId,
        status: EventStatus,
        error: Option<String>,
        check: Option<CheckId>,
    ) -> Result<(), StoreError>;
    /// Puts a failed or ignored event back to pending with a new job.
    ///
    /// # Errors
    /// `NotFound` (also when it is not failed or ignored).
    async fn requeue(
        &self,
        ctx: &Ctx,
        id: InboundEventId,
        job: NewJob,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// A page of an integration's events, newest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn list(
        &self,
        ctx: &Ctx,
        integration: IntegrationId,
        filter: &EventFilter,
        page: PageRequest,
    ) -> Result<Page<InboundEvent>, StoreError>;
}

/// Which iikoCloud list an order lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IikoOrderKind {
    /// Delivery orders (`DeliveryOrderUpdate`): `/api/1/deliveries/by_id`.
    Delivery,
    /// Table orders (`TableOrderUpdate`): `/api/1/order/by_id`.
    Table,
}

/// Why iikoCloud could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IikoCloudError {
    /// iikoCloud refused the `apiLogin` (or the organization): retrying will not help.
    #[error("iikoCloud refused: {0}")]
    Refused(String),
    /// Unreachable, timed out or a server error: try again later.
    #[error("iikoCloud is unavailable: {0}")]
    Unavailable(String),
}

/// The iikoCloud API, asked before any points effect of an iiko webhook (the
/// webhook itself is not signed, so its body is never trusted for amounts).
#[async_trait]
pub trait IikoCloud: Send + Sync {
    /// Checks that iikoCloud issues an access token for `api_login`.
    ///
    /// # Errors
    /// See [`IikoCloudError`].
    async fn check_login(&self, api_login: &str) -> Result<(), IikoCloudError>;
    /// The order's current `OrderInfo` object (`id`, `organizationId`,
    /// `creationStatus`, `order` …) as iikoCloud returns it, or `None` when
    /// iikoCloud does not know the order.
    ///
    /// # Errors
    /// See [`IikoCloudError`].
    async fn order_info(
        &self,
        api_login: &str,
        kind: IikoOrderKind,
        organization_id: &str,
        order_id: &str,
    ) -> Result<Option<serde_json::Value>, IikoCloudError>;
}
