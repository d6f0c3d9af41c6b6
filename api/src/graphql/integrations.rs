//! POS integrations for a business's admins: create (URL and secret shown
//! once), rotate, disable, the event log with reprocess.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::identity::Permission as P;
use domain::integrations::{self as d, EventFilter, IntegrationService, NewIntegration};
use domain::{InboundEventId, IntegrationId, LocationId};

use crate::error::GqlResult;
use crate::graphql::{Conn, PageArgs, Perm, connection, parse_id, requires, staff_ctx};

/// The server's public base URL (endpoint URLs are built on it).
#[derive(Clone)]
pub struct PublicUrl(pub String);

/// What talks to an integration's endpoint.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum IntegrationKind {
    /// Any POS in our canonical signed format (`docs/POS_WEBHOOK.md`).
    Pos,
    /// iikoCloud webhooks.
    Iiko,
    /// The r_keeper FarCards relay.
    Rkeeper,
}

impl From<IntegrationKind> for d::IntegrationKind {
    fn from(k: IntegrationKind) -> Self {
        match k {
            IntegrationKind::Pos => Self::Pos,
            IntegrationKind::Iiko => Self::Iiko,
            IntegrationKind::Rkeeper => Self::RKeeper,
        }
    }
}

impl From<d::IntegrationKind> for IntegrationKind {
    fn from(k: d::IntegrationKind) -> Self {
        match k {
            d::IntegrationKind::Pos => Self::Pos,
            d::IntegrationKind::Iiko => Self::Iiko,
            d::IntegrationKind::RKeeper => Self::Rkeeper,
        }
    }
}

/// Where an inbound event stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum InboundEventStatus {
    /// Stored, waiting for the worker.
    Pending,
    /// Done.
    Processed,
    /// Nothing to do (see the error).
    Ignored,
    /// Failed: reprocess it once fixed.
    Failed,
    /// The same external id came with another payload.
    Conflict,
    /// Refused at the door (signature, body, disabled).
    Rejected,
}

impl From<d::EventStatus> for InboundEventStatus {
    fn from(s: d::EventStatus) -> Self {
        match s {
            d::EventStatus::Pending => Self::Pending,
            d::EventStatus::Processed => Self::Processed,
            d::EventStatus::Ignored => Self::Ignored,
            d::EventStatus::Failed => Self::Failed,
            d::EventStatus::Conflict => Self::Conflict,
            d::EventStatus::Rejected => Self::Rejected,
        }
    }
}

impl From<InboundEventStatus> for d::EventStatus {
    fn from(s: InboundEventStatus) -> Self {
        match s {
            InboundEventStatus::Pending => Self::Pending,
            InboundEventStatus::Processed => Self::Processed,
            InboundEventStatus::Ignored => Self::Ignored,
            InboundEventStatus::Failed => Self::Failed,
            InboundEventStatus::Conflict => Self::Conflict,
            InboundEventStatus::Rejected => Self::Rejected,
        }
    }
}

/// A POS integration of a location.
#[derive(SimpleObject)]
pub struct Integration {
    /// Id.
    pub id: ID,
    /// Kind.
    pub kind: IntegrationKind,
    /// Name.
    pub name: String,
    /// Its location.
    pub location_id: ID,
    /// Accepting deliveries.
    pub active: bool,
    /// Where the POS sends its webhooks.
    pub endpoint_url: String,
    /// When the secret last changed.
    pub secret_rotated_at: DateTime<Utc>,
    /// Until when the previous secret is still accepted.
    pub previous_secret_valid_until: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// iiko only: whether the iikoCloud `apiLogin` is set. Every closed order is
    /// fetched from iikoCloud before any points; without it such orders fail
    /// (reprocess them after setting it).
    pub iiko_api_login_set: bool,
}

fn to_gql(ctx: &Context<'_>, i: d::Integration) -> Integration {
    let base = ctx
        .data::<PublicUrl>()
        .map(|u| u.0.trim_end_matches('/').to_owned())
        .unwrap_or_default();
    Integration {
        id: ID(i.id.to_string()),
        kind: i.kind.into(),
        name: i.name,
        location_id: ID(i.location.to_string()),
        active: i.status == d::IntegrationStatus::Active,
        endpoint_url: format!("{base}/webhooks/{}/{}", i.kind.as_str(), i.id),
        secret_rotated_at: i.secret_rotated_at,
        previous_secret_valid_until: i.previous_valid_until,
        created_at: i.created_at,
        iiko_api_login_set: i.iiko_api_login_set,
    }
}

/// An integration with its secret, shown only in this answer.
#[derive(SimpleObject)]
pub struct IntegrationWithSecret {
    /// The integration.
    pub integration: Integration,
    /// Sign deliveries with it (iiko: the `authToken`). It is never shown again.
    pub secret: String,
}

/// One delivery as logged.
#[derive(SimpleObject)]
pub struct InboundEvent {
    /// Id.
    pub id: ID,
    /// What it was.
    pub kind: String,
    /// The source's id of the check or order.
    pub external_id: Option<String>,
    /// Where it stands.
    pub status: InboundEventStatus,
    /// Why it failed, was ignored or refused.
    pub error: Option<String>,
    /// The check it produced (its ledger entries).
    pub check_id: Option<ID>,
    /// The payload as received.
    pub payload: String,
    /// When received.
    pub received_at: DateTime<Utc>,
    /// When processed.
    pub processed_at: Option<DateTime<Utc>>,
}

impl From<d::InboundEvent> for InboundEvent {
    fn from(e: d::InboundEvent) -> Self {
        Self {
            id: ID(e.id.to_string()),
            kind: e.kind,
            external_id: e.external_id,
            status: e.status.into(),
            error: e.error,
            check_id: e.check.map(|c| ID(c.to_string())),
            payload: e.payload,
            received_at: e.received_at,
            processed_at: e.processed_at,
        }
    }
}

/// A new integration.
#[derive(InputObject)]
pub struct CreateIntegrationInput {
    /// Kind.
    pub kind: IntegrationKind,
    /// Its location.
    pub location_id: ID,
    /// Name for people.
    pub name: String,
}

fn svc<'a>(ctx: &'a Context<'_>) -> Result<&'a Arc<IntegrationService>> {
    ctx.data::<Arc<IntegrationService>>()
}

/// Integration queries.
#[derive(Default)]
pub struct IntegrationsQuery;

#[Object]
impl IntegrationsQuery {
    /// The business's POS integrations.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn integrations(&self, ctx: &Context<'_>) -> Result<Vec<Integration>> {
        let list = svc(ctx)?.list(staff_ctx(ctx)?).await.gql()?;
        Ok(list.into_iter().map(|i| to_gql(ctx, i)).collect())
    }

    /// An integration's deliveries, newest first (`last`) or oldest first (`first`).
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    #[allow(clippy::too_many_arguments)]
    async fn integration_events(
        &self,
        ctx: &Context<'_>,
        integration_id: ID,
        statuses: Option<Vec<InboundEventStatus>>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<InboundEvent>> {
        let id: IntegrationId = parse_id(&integration_id, "integrationId")?;
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let filter = EventFilter {
            statuses: statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        };
        let p = svc(ctx)?
            .events(staff_ctx(ctx)?, id, &filter, page)
            .await
            .gql()?;
        Ok(connection(p, |e| e.id.as_uuid(), InboundEvent::from))
    }
}

/// Integration mutations.
#[derive(Default)]
pub struct IntegrationsMutation;

#[Object]
impl IntegrationsMutation {
    /// Creates an integration; its secret is shown only in this answer.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn create_integration(
        &self,
        ctx: &Context<'_>,
        input: CreateIntegrationInput,
    ) -> Result<IntegrationWithSecret> {
        let location: LocationId = parse_id(&input.location_id, "locationId")?;
        let (i, secret) = svc(ctx)?
            .create(
                staff_ctx(ctx)?,
                NewIntegration {
                    kind: input.kind.into(),
                    location,
                    name: input.name,
                },
            )
            .await
            .gql()?;
        Ok(IntegrationWithSecret {
            integration: to_gql(ctx, i),
            secret,
        })
    }

    /// Issues a new secret; the old one keeps working for 24 hours.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn rotate_integration_secret(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> Result<IntegrationWithSecret> {
        let id: IntegrationId = parse_id(&id, "id")?;
        let (i, secret) = svc(ctx)?.rotate_secret(staff_ctx(ctx)?, id).await.gql()?;
        Ok(IntegrationWithSecret {
            integration: to_gql(ctx, i),
            secret,
        })
    }

    /// Sets the iikoCloud `apiLogin` of an iiko integration (checked with
    /// iikoCloud first; `UNAVAILABLE` when it cannot be reached); `null` clears it.
    /// The login is stored sealed and never shown again.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn set_iiko_api_login(
        &self,
        ctx: &Context<'_>,
        id: ID,
        api_login: Option<String>,
    ) -> Result<Integration> {
        let id: IntegrationId = parse_id(&id, "id")?;
        let i = svc(ctx)?
            .set_iiko_api_login(staff_ctx(ctx)?, id, api_login.as_deref())
            .await
            .gql()?;
        Ok(to_gql(ctx, i))
    }

    /// Refuses further deliveries (403) until enabled again.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn disable_integration(&self, ctx: &Context<'_>, id: ID) -> Result<Integration> {
        let id: IntegrationId = parse_id(&id, "id")?;
        let i = svc(ctx)?
            .set_active(staff_ctx(ctx)?, id, false)
            .await
            .gql()?;
        Ok(to_gql(ctx, i))
    }

    /// Accepts deliveries again.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn enable_integration(&self, ctx: &Context<'_>, id: ID) -> Result<Integration> {
        let id: IntegrationId = parse_id(&id, "id")?;
        let i = svc(ctx)?
            .set_active(staff_ctx(ctx)?, id, true)
            .await
            .gql()?;
        Ok(to_gql(ctx, i))
    }

    /// Processes a failed or ignored event again.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn reprocess_integration_event(&self, ctx: &Context<'_>, id: ID) -> Result<InboundEvent> {
        let id: InboundEventId = parse_id(&id, "id")?;
        Ok(svc(ctx)?.reprocess(staff_ctx(ctx)?, id).await.gql()?.into())
    }
}
