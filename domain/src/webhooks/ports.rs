//! Ports of the webhooks context: the store (endpoints with sealed secrets,
//! stored events, deliveries and their attempts), the HTTP transport (which
//! also guards against forbidden targets) and the Standard Webhooks signer.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use super::models::{DeliveryAttempt, DeliveryStatus, WebhookDelivery, WebhookEndpoint};
use crate::ctx::Ctx;
use crate::events::EventId;
use crate::identity::errors::StoreError;
use crate::identity::models::AuditRecord;
use crate::ids::{WebhookDeliveryId, WebhookEndpointId};
use crate::jobs::NewJob;
use crate::page::{Page, PageRequest};

/// An event as stored for delivery: its exact body is what every attempt sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Id (the `webhook-id`).
    pub id: EventId,
    /// Type.
    pub event_type: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The JSON body sent.
    pub body: String,
}

/// What an attempt did to the endpoint's health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointHealth {
    /// A 2xx answer from an endpoint already healthy: nothing to write.
    Unchanged,
    /// A 2xx answer: the endpoint is healthy again.
    Healthy,
    /// A failure: the endpoint is failing since its first failure in a row.
    Failing,
    /// Disable the endpoint (it stays failing), for this reason.
    Disable(String),
}

/// The outcome of one attempt, recorded in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    /// The attempt.
    pub attempt: DeliveryAttempt,
    /// The delivery's status after it.
    pub status: DeliveryStatus,
    /// When the next attempt is due (while pending).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// What it does to the endpoint.
    pub health: EndpointHealth,
    /// The audit record of an automatic change (disabling the endpoint).
    pub audit: Option<AuditRecord>,
}

/// Everything one delivery attempt reads (see [`WebhookStore::attempt_context`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptContext {
    /// The delivery (without its attempts).
    pub delivery: WebhookDelivery,
    /// Its endpoint.
    pub endpoint: WebhookEndpoint,
    /// Its stored event.
    pub event: StoredEvent,
    /// The secrets that sign now, the current one first.
    pub secrets: Vec<String>,
}

/// Endpoints, stored events, deliveries and attempts of a business.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Stores a new endpoint with its secret (sealed at rest).
    ///
    /// # Errors
    /// Storage failure.
    async fn create_endpoint(
        &self,
        ctx: &Ctx,
        endpoint: &WebhookEndpoint,
        secret: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// Replaces an endpoint's URL, description, event types, and enabled state
    /// (with its reason, time and failing mark).
    ///
    /// # Errors
    /// `NotFound`.
    async fn update_endpoint(
        &self,
        ctx: &Ctx,
        endpoint: &WebhookEndpoint,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// Replaces the secret; the current one becomes the previous one and
    /// keeps signing until `previous_until`.
    ///
    /// # Errors
    /// `NotFound`.
    async fn rotate_secret(
        &self,
        ctx: &Ctx,
        id: WebhookEndpointId,
        secret: &str,
        previous_until: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<WebhookEndpoint, StoreError>;
    /// One endpoint.
    ///
    /// # Errors
    /// `NotFound`.
    async fn endpoint(
        &self,
        ctx: &Ctx,
        id: WebhookEndpointId,
    ) -> Result<WebhookEndpoint, StoreError>;
    /// The business's endpoints, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn endpoints(&self, ctx: &Ctx) -> Result<Vec<WebhookEndpoint>, StoreError>;
    /// What one attempt of a delivery needs, read together (one query): the
    /// delivery, its endpoint, its stored event and the secrets that sign as
    /// of `now` (the current one first, then the previous one while its
    /// overlap lasts).
    ///
    /// # Errors
    /// `NotFound`; a secret that cannot be opened.
    async fn attempt_context(
        &self,
        ctx: &Ctx,
        id: WebhookDeliveryId,
        now: DateTime<Utc>,
    ) -> Result<AttemptContext, StoreError>;
    /// In one transaction: reads the business's endpoints, asks `plan` which
    /// get a delivery (and its job), and stores the event with them — unless
    /// no endpoint gets one (nothing is stored) or the event is stored already
    /// (a fan-out that runs again: nothing changes). Returns the deliveries
    /// stored.
    ///
    /// # Errors
    /// Storage failure.
    async fn fan_out(
        &self,
        ctx: &Ctx,
        event: &StoredEvent,
        plan: &(
             dyn for<'e> Fn(&'e WebhookEndpoint) -> Option<(WebhookDelivery, NewJob)> + Send + Sync
         ),
    ) -> Result<usize, StoreError>;
    /// Stores new deliveries of stored events with their jobs (redelivery, a
    /// test ping whose event is given to be stored too) and the audit record,
    /// in one transaction.
    ///
    /// # Errors
    /// Storage failure.
    async fn add_deliveries(
        &self,
        ctx: &Ctx,
        new_event: Option<&StoredEvent>,
        deliveries: &[WebhookDelivery],
        jobs: &[NewJob],
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// A stored event.
    ///
    /// # Errors
    /// `NotFound`.
    async fn event(&self, ctx: &Ctx, id: EventId) -> Result<StoredEvent, StoreError>;
    /// One delivery (without its attempts).
    ///
    /// # Errors
    /// `NotFound`.
    async fn delivery(
        &self,
        ctx: &Ctx,
        id: WebhookDeliveryId,
    ) -> Result<WebhookDelivery, StoreError>;
    /// An endpoint's deliveries, oldest first, with their attempts.
    ///
    /// # Errors
    /// Storage failure.
    async fn deliveries(
        &self,
        ctx: &Ctx,
        endpoint: WebhookEndpointId,
        page: PageRequest,
    ) -> Result<Page<WebhookDelivery>, StoreError>;
    /// The deliveries of an event, oldest first (without attempts).
    ///
    /// # Errors
    /// Storage failure.
    async fn event_deliveries(
        &self,
        ctx: &Ctx,
        event: EventId,
    ) -> Result<Vec<WebhookDelivery>, StoreError>;
    /// Records an attempt: the attempt row, the delivery's status, and the
    /// endpoint's health (`failing_since` kept from the first failure in a
    /// row, cleared by a success; disabling sets the reason and time), with
    /// the audit record if any, in one transaction.
    ///
    /// # Errors
    /// `NotFound`.
    async fn record_attempt(
        &self,
        ctx: &Ctx,
        endpoint: WebhookEndpointId,
        record: &AttemptRecord,
    ) -> Result<(), StoreError>;
    /// Closes a pending delivery without an attempt (its endpoint was disabled).
    ///
    /// # Errors
    /// `NotFound`.
    async fn close_delivery(
        &self,
        ctx: &Ctx,
        id: WebhookDeliveryId,
        status: DeliveryStatus,
        error: &str,
    ) -> Result<(), StoreError>;
}

/// Why a target URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetRejection {
    /// Not an absolute `http(s)` URL we accept.
    #[error("{0}")]
    Malformed(String),
    /// It is, or resolves to, a forbidden address (loopback, private, link-local, …).
    #[error("{0}")]
    Forbidden(String),
    /// Its host does not resolve.
    #[error("{0}")]
    Unresolvable(String),
}

/// One signed POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundRequest {
    /// The endpoint's URL.
    pub url: String,
    /// `webhook-id`.
    pub webhook_id: String,
    /// `webhook-timestamp` (Unix seconds).
    pub timestamp: i64,
    /// `webhook-signature` (space-separated `v1,…` values).
    pub signature: String,
    /// The JSON body.
    pub body: String,
}

/// What came back from a POST (never an error: failures are described here).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpOutcome {
    /// The answer's status, if one came.
    pub status: Option<u16>,
    /// Milliseconds from sending to the answer (or the failure).
    pub latency_ms: u64,
    /// The start of the answer's body.
    pub excerpt: Option<String>,
    /// The answer's `Retry-After`, if any.
    pub retry_after: Option<Duration>,
    /// What went wrong when no usable answer came (timeout, refused target, …).
    pub error: Option<String>,
}

/// Sends deliveries over HTTP. Implementations follow no redirects, time out,
/// and refuse forbidden targets (checked again on every resolved address at
/// every attempt, unless the server allows private targets).
#[async_trait]
pub trait WebhookTransport: Send + Sync {
    /// Whether `url` is an acceptable target now.
    ///
    /// # Errors
    /// See [`TargetRejection`].
    async fn check_target(&self, url: &str) -> Result<(), TargetRejection>;
    /// POSTs one signed delivery.
    async fn post(&self, request: &OutboundRequest) -> HttpOutcome;
}

/// Standard Webhooks secrets and signatures.
pub trait WebhookSigner: Send + Sync {
    /// A new secret: `whsec_` + base64 of at least 24 random bytes.
    fn new_secret(&self) -> String;
    /// `v1,<base64 HMAC-SHA256>` of `msg_id.timestamp.body` keyed with the
    /// secret's base64-decoded bytes.
    ///
    /// # Errors
    /// A malformed secret.
    fn sign(
        &self,
        secret: &str,
        msg_id: &str,
        timestamp: i64,
        body: &str,
    ) -> Result<String, String>;
}
