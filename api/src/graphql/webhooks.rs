//! Outbound webhooks for a business's admins: endpoints (secret shown once,
//! rotation, enable/disable), the delivery log with every attempt, redelivery
//! and test pings. Payloads are documented in `docs/WEBHOOKS.md`.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::events::EventId;
use domain::identity::Permission as P;
use domain::webhooks::{self as d, EndpointChanges, NewEndpoint, WebhookService};
use domain::{WebhookDeliveryId, WebhookEndpointId};

use crate::error::{GqlResult, invalid};
use crate::graphql::{Conn, PageArgs, Perm, connection, maybe, parse_id, requires, staff_ctx};

/// Where a delivery stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum WebhookDeliveryStatus {
    /// Waiting for its first attempt or a retry.
    Pending,
    /// The endpoint answered 2xx.
    Succeeded,
    /// Given up (schedule used up, 410, or the endpoint was disabled for failing).
    Failed,
    /// Not sent: the endpoint was disabled meanwhile.
    Cancelled,
}

impl From<d::DeliveryStatus> for WebhookDeliveryStatus {
    fn from(s: d::DeliveryStatus) -> Self {
        match s {
            d::DeliveryStatus::Pending => Self::Pending,
            d::DeliveryStatus::Succeeded => Self::Succeeded,
            d::DeliveryStatus::Failed => Self::Failed,
            d::DeliveryStatus::Cancelled => Self::Cancelled,
        }
    }
}

/// A webhook endpoint of the business (never its secret).
#[derive(SimpleObject)]
pub struct WebhookEndpoint {
    /// Id.
    pub id: ID,
    /// Where events are POSTed.
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it receives.
    pub event_types: Vec<String>,
    /// Whether events are sent.
    pub enabled: bool,
    /// Why it was disabled (by a person, a 410 answer, or three days of failures).
    pub disabled_reason: Option<String>,
    /// When it was disabled.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Since when every attempt has failed (empty while healthy).
    pub failing_since: Option<DateTime<Utc>>,
    /// When the current secret was issued.
    pub secret_rotated_at: DateTime<Utc>,
    /// Until when the previous secret also signs deliveries.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl From<d::WebhookEndpoint> for WebhookEndpoint {
    fn from(e: d::WebhookEndpoint) -> Self {
        Self {
            id: ID(e.id.to_string()),
            url: e.url,
            description: e.description,
            event_types: e.event_types,
            enabled: e.enabled,
            disabled_reason: e.disabled_reason,
            disabled_at: e.disabled_at,
            failing_since: e.failing_since,
            secret_rotated_at: e.secret_rotated_at,
            previous_secret_expires_at: e.previous_secret_expires_at,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A new endpoint with its secret.
#[derive(SimpleObject)]
pub struct WebhookEndpointWithSecret {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// `whsec_…`: verify signatures with it. Shown only now.
    pub secret: String,
}

/// One HTTP attempt of a delivery.
#[derive(SimpleObject)]
pub struct WebhookAttempt {
    /// 1 for the first.
    pub number: i32,
    /// When it started.
    pub attempted_at: DateTime<Utc>,
    /// The answer's HTTP status (none when no answer came).
    pub status_code: Option<i32>,
    /// How long it took, in milliseconds.
    pub latency_ms: i64,
    /// The start of the answer's body (at most 1 KB).
    pub response_excerpt: Option<String>,
    /// What went wrong.
    pub error: Option<String>,
}

impl From<d::DeliveryAttempt> for WebhookAttempt {
    fn from(a: d::DeliveryAttempt) -> Self {
        Self {
            number: i32::try_from(a.number).unwrap_or(i32::MAX),
            attempted_at: a.attempted_at,
            status_code: a.status_code.map(i32::from),
            latency_ms: i64::try_from(a.latency_ms).unwrap_or(i64::MAX),
            response_excerpt: a.response_excerpt,
            error: a.error,
        }
    }
}

/// One event sent (or to be sent) to one endpoint.
#[derive(SimpleObject)]
pub struct WebhookDelivery {
    /// Id.
    pub id: ID,
    /// The endpoint.
    pub endpoint_id: ID,
    /// The event (`msg_…`, the `webhook-id` header).
    pub event_id: String,
    /// The event's type.
    pub event_type: String,
    /// Where it stands.
    pub status: WebhookDeliveryStatus,
    /// Attempts made.
    pub attempt_count: i32,
    /// The last answer's HTTP status.
    pub last_status_code: Option<i32>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When the next attempt is due.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Its attempts, oldest first.
    pub attempts: Vec<WebhookAttempt>,
}

impl From<d::WebhookDelivery> for WebhookDelivery {
    fn from(x: d::WebhookDelivery) -> Self {
        Self {
            id: ID(x.id.to_string()),
            endpoint_id: ID(x.endpoint.to_string()),
            event_id: x.event.to_string(),
            event_type: x.event_type,
            status: x.status.into(),
            attempt_count: i32::try_from(x.attempt_count).unwrap_or(i32::MAX),
            last_status_code: x.last_status_code.map(i32::from),
            last_error: x.last_error,
            next_attempt_at: x.next_attempt_at,
            created_at: x.created_at,
            updated_at: x.updated_at,
            attempts: x.attempts.into_iter().map(Into::into).collect(),
        }
    }
}

/// A new endpoint.
#[derive(InputObject)]
pub struct CreateWebhookEndpointInput {
    /// Where to POST events (`https://…`; private addresses are refused).
    pub url: String,
    /// Event types to receive (see `webhookEventTypes`).
    pub event_types: Vec<String>,
    /// What it is for.
    pub description: Option<String>,
}

/// Changes to an endpoint (omitted fields stay; `description: null` clears it).
#[derive(InputObject)]
pub struct UpdateWebhookEndpointInput {
    /// New URL.
    pub url: Option<String>,
    /// New event types.
    pub event_types: Option<Vec<String>>,
    /// New description.
    pub description: MaybeUndefined<String>,
}

fn service<'a>(ctx: &'a Context<'_>) -> Result<&'a Arc<WebhookService>> {
    ctx.data::<Arc<WebhookService>>()
}

/// Webhook queries.
#[derive(Default)]
pub struct WebhooksQuery;

#[Object]
impl WebhooksQuery {
    /// The event types an endpoint can subscribe to.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn webhook_event_types(&self) -> Vec<String> {
        WebhookService::event_types()
            .iter()
            .map(|t| (*t).to_owned())
            .collect()
    }

    /// The business's webhook endpoints, oldest first.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn webhook_endpoints(&self, ctx: &Context<'_>) -> Result<Vec<WebhookEndpoint>> {
        let list = service(ctx)?.endpoints(staff_ctx(ctx)?).await.gql()?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// An endpoint's delivery log, oldest first (`last: 20` for the newest),
    /// each delivery with its attempts.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        endpoint_id: ID,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<WebhookDelivery>> {
        let id: WebhookEndpointId = parse_id(&endpoint_id, "endpointId")?;
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let p = service(ctx)?
            .deliveries(staff_ctx(ctx)?, id, page)
            .await
            .gql()?;
        Ok(connection(p, |x| x.id.as_uuid(), WebhookDelivery::from))
    }
}

/// Webhook mutations.
#[derive(Default)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// Creates an endpoint; its secret is returned only now.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookEndpointInput,
    ) -> Result<WebhookEndpointWithSecret> {
        let (e, secret) = service(ctx)?
            .create_endpoint(
                staff_ctx(ctx)?,
                NewEndpoint {
                    url: input.url,
                    event_types: input.event_types,
                    description: input.description,
                },
            )
            .await
            .gql()?;
        Ok(WebhookEndpointWithSecret {
            endpoint: e.into(),
            secret,
        })
    }

    /// Changes an endpoint's URL, event types or description.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateWebhookEndpointInput,
    ) -> Result<WebhookEndpoint> {
        let id: WebhookEndpointId = parse_id(&id, "id")?;
        let changes = EndpointChanges {
            url: input.url,
            event_types: input.event_types,
            description: maybe(input.description),
        };
        Ok(service(ctx)?
            .update_endpoint(staff_ctx(ctx)?, id, changes)
            .await
            .gql()?
            .into())
    }

    /// Stops sending events to an endpoint (pending deliveries are cancelled).
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn disable_webhook_endpoint(&self, ctx: &Context<'_>, id: ID) -> Result<WebhookEndpoint> {
        let id: WebhookEndpointId = parse_id(&id, "id")?;
        Ok(service(ctx)?
            .set_enabled(staff_ctx(ctx)?, id, false)
            .await
            .gql()?
            .into())
    }

    /// Sends events to an endpoint again (its URL is checked again).
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn enable_webhook_endpoint(&self, ctx: &Context<'_>, id: ID) -> Result<WebhookEndpoint> {
        let id: WebhookEndpointId = parse_id(&id, "id")?;
        Ok(service(ctx)?
            .set_enabled(staff_ctx(ctx)?, id, true)
            .await
            .gql()?
            .into())
    }

    /// Issues a new secret (returned only now). The old one keeps signing for
    /// `overlapHours` (default 24, at most 168): meanwhile each delivery
    /// carries both signatures in `webhook-signature`.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        id: ID,
        overlap_hours: Option<i32>,
    ) -> Result<WebhookEndpointWithSecret> {
        let id: WebhookEndpointId = parse_id(&id, "id")?;
        let (e, secret) = service(ctx)?
            .rotate_secret(staff_ctx(ctx)?, id, overlap_hours.map(i64::from))
            .await
            .gql()?;
        Ok(WebhookEndpointWithSecret {
            endpoint: e.into(),
            secret,
        })
    }

    /// Sends a past event again with its original `webhook-id`: give a
    /// `deliveryId` (again to that endpoint) or an `eventId` (`msg_…`, again to
    /// every endpoint that received it). Returns the new deliveries.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        delivery_id: Option<ID>,
        event_id: Option<String>,
    ) -> Result<Vec<WebhookDelivery>> {
        let delivery: Option<WebhookDeliveryId> = delivery_id
            .as_ref()
            .map(|i| parse_id(i, "deliveryId"))
            .transpose()?;
        let event: Option<EventId> = event_id
            .as_deref()
            .map(|e| {
                e.trim()
                    .parse()
                    .map_err(|err: domain::events::BadEventId| invalid("eventId", err.to_string()))
            })
            .transpose()?;
        let out = service(ctx)?
            .redeliver(staff_ctx(ctx)?, delivery, event)
            .await
            .gql()?;
        Ok(out.into_iter().map(Into::into).collect())
    }

    /// Sends a `webhook.test` ping to an endpoint (also a disabled one).
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn send_test_webhook(
        &self,
        ctx: &Context<'_>,
        endpoint_id: ID,
    ) -> Result<WebhookDelivery> {
        let id: WebhookEndpointId = parse_id(&endpoint_id, "endpointId")?;
        Ok(service(ctx)?
            .send_test(staff_ctx(ctx)?, id)
            .await
            .gql()?
            .into())
    }
}
