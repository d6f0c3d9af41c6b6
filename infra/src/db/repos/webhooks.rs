//! Outbound webhooks: endpoints (secrets sealed with the server key, bound to
//! tenant and endpoint), stored events, deliveries and attempts. Each method is
//! one tenant transaction; fan-out, redelivery and attempts write their jobs
//! and audit records in it.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::events::EventId;
use domain::identity::{AuditRecord, StoreError};
use domain::jobs::NewJob;
use domain::page::{Page, PageRequest};
use domain::webhooks::{
    AttemptContext, AttemptRecord, DeliveryAttempt, DeliveryStatus, EndpointHealth, StoredEvent,
    WebhookDelivery, WebhookEndpoint, WebhookStore,
};
use domain::{Ctx, WebhookDeliveryId, WebhookEndpointId};
use sea_orm::sea_query::{Expr, Func, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    FromQueryResult, IdenStatic, Iterable, QueryFilter, QueryOrder, Statement,
};
use uuid::Uuid;

use super::{IdOf, paginate, write_audit};
use crate::db::entities::{
    webhook_attempts, webhook_deliveries, webhook_endpoints, webhook_events,
};
use crate::db::{Db, internal};
use crate::secret_box::SecretBox;

impl IdOf<webhook_deliveries::Column> for webhook_deliveries::Model {}

/// The [`WebhookStore`] over the database and a [`SecretBox`].
pub struct SqlWebhooks {
    db: Db,
    sealer: Arc<SecretBox>,
    clock: Arc<dyn domain::ports::Clock>,
}

fn seal_context(ctx: &Ctx, endpoint: WebhookEndpointId) -> String {
    format!("webhook:{}:{endpoint}", ctx.tenant())
}

fn to_endpoint(m: webhook_endpoints::Model) -> Result<WebhookEndpoint, StoreError> {
    let event_types: Vec<String> = serde_json::from_str(&m.event_types)
        .map_err(|e| StoreError::Internal(format!("bad event types in storage: {e}")))?;
    Ok(WebhookEndpoint {
        id: WebhookEndpointId::from_uuid(m.id),
        url: m.url,
        description: m.description,
        event_types,
        enabled: m.enabled,
        disabled_reason: m.disabled_reason,
        disabled_at: m.disabled_at,
        failing_since: m.failing_since,
        secret_rotated_at: m.secret_rotated_at,
        previous_secret_expires_at: m.previous_secret_expires_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn to_delivery(m: webhook_deliveries::Model) -> Result<WebhookDelivery, StoreError> {
    Ok(WebhookDelivery {
        id: WebhookDeliveryId::from_uuid(m.id),
        endpoint: WebhookEndpointId::from_uuid(m.endpoint_id),
        event: EventId::from_uuid(m.event_id),
        event_type: m.event_type,
        status: DeliveryStatus::parse(&m.status)
            .ok_or_else(|| StoreError::Internal(format!("unknown delivery status {}", m.status)))?,
        attempt_count: u32::try_from(m.attempt_count).unwrap_or(0),
        last_status_code: m.last_status_code.and_then(|c| u16::try_from(c).ok()),
        last_error: m.last_error,
        next_attempt_at: m.next_attempt_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
        attempts: Vec::new(),
    })
}

fn to_attempt(m: webhook_attempts::Model) -> DeliveryAttempt {
    DeliveryAttempt {
        delivery: WebhookDeliveryId::from_uuid(m.delivery_id),
        number: u32::try_from(m.number).unwrap_or(0),
        attempted_at: m.attempted_at,
        status_code: m.status_code.and_then(|c| u16::try_from(c).ok()),
        latency_ms: u64::try_from(m.latency_ms).unwrap_or(0),
        response_excerpt: m.response_excerpt,
        error: m.error,
    }
}

fn event_row(ctx: &Ctx, e: &StoredEvent, now: DateTime<Utc>) -> webhook_events::ActiveModel {
    webhook_events::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        id: Set(e.id.as_uuid()),
        event_type: Set(e.event_type.clone()),
        occurred_at: Set(e.occurred_at),
        body: Set(e.body.clone()),
        created_at: Set(now),
    }
}

fn delivery_row(ctx: &Ctx, d: &WebhookDelivery) -> webhook_deliveries::ActiveModel {
    webhook_deliveries::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        id: Set(d.id.as_uuid()),
        endpoint_id: Set(d.endpoint.as_uuid()),
        event_id: Set(d.event.as_uuid()),
        event_type: Set(d.event_type.clone()),
        status: Set(d.status.as_str().to_owned()),
        attempt_count: Set(i32::try_from(d.attempt_count).unwrap_or(i32::MAX)),
        last_status_code: Set(d.last_status_code.map(i32::from)),
        last_error: Set(d.last_error.clone()),
        next_attempt_at: Set(d.next_attempt_at),
        created_at: Set(d.created_at),
        updated_at: Set(d.updated_at),
    }
}

/// Inserts deliveries and enqueues their jobs in `txn`.
async fn insert_deliveries(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    deliveries: &[WebhookDelivery],
    jobs: &[NewJob],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for d in deliveries {
        webhook_deliveries::Entity::insert(delivery_row(ctx, d))
            .exec_without_returning(txn)
            .await
            .map_err(internal)?;
    }
    for job in jobs {
        crate::jobs::enqueue_in(txn, now, job)
            .await
            .map_err(internal)?;
    }
    Ok(())
}

/// `alias."column" AS "alias_column"` for every column of `E`, so that one
/// row of a join reads back as each table's model (with that prefix).
fn prefixed_columns<E: EntityTrait>(alias: &str) -> String {
    E::Column::iter()
        .map(|c| format!("{alias}.\"{n}\" AS \"{alias}_{n}\"", n = c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A delivery with its endpoint and event, in one query (`$1` tenant, `$2` delivery).
fn attempt_context_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            "SELECT {}, {}, {} FROM webhook_deliveries d \
             JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id \
             JOIN webhook_events v ON v.tenant_id = d.tenant_id AND v.id = d.event_id \
             WHERE d.tenant_id = $1 AND d.id = $2",
            prefixed_columns::<webhook_deliveries::Entity>("d"),
            prefixed_columns::<webhook_endpoints::Entity>("e"),
            prefixed_columns::<webhook_events::Entity>("v"),
        )
    })
}

/// `COALESCE(failing_since, now)`: the first failure in a row is kept.
fn failing_since_or(now: DateTime<Utc>) -> SimpleExpr {
    Func::coalesce([
        Expr::col(webhook_endpoints::Column::FailingSince),
        Expr::value(now),
    ])
    .into()
}

impl SqlWebhooks {
    /// A store sealing endpoint secrets with `sealer`.
    #[must_use]
    pub fn new(db: Db, sealer: Arc<SecretBox>, clock: Arc<dyn domain::ports::Clock>) -> Self {
        Self { db, sealer, clock }
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn seal(&self, ctx: &Ctx, id: WebhookEndpointId, secret: &str) -> Result<String, StoreError> {
        self.sealer
            .seal(secret, &seal_context(ctx, id))
            .map_err(|e| StoreError::Internal(e.to_string()))
    }

    fn open(&self, ctx: &Ctx, id: WebhookEndpointId, sealed: &str) -> Result<String, StoreError> {
        self.sealer
            .open(sealed, &seal_context(ctx, id))
            .map_err(|e| StoreError::Internal(e.to_string()))
    }

    /// The business's endpoint rows, oldest first.
    async fn endpoint_rows(
        txn: &DatabaseTransaction,
        ctx: &Ctx,
    ) -> Result<Vec<webhook_endpoints::Model>, StoreError> {
        webhook_endpoints::Entity::find()
            .filter(webhook_endpoints::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .order_by_asc(webhook_endpoints::Column::Id)
            .all(txn)
            .await
            .map_err(internal)
    }

    async fn endpoint_row<C: ConnectionTrait>(
        c: &C,
        ctx: &Ctx,
        id: WebhookEndpointId,
    ) -> Result<webhook_endpoints::Model, StoreError> {
        webhook_endpoints::Entity::find()
            .filter(webhook_endpoints::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_endpoints::Column::Id.eq(id.as_uuid()))
            .one(c)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)
    }
}

#[async_trait]
impl WebhookStore for SqlWebhooks {
    async fn create_endpoint(
        &self,
        ctx: &Ctx,
        e: &WebhookEndpoint,
        secret: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let sealed = self.seal(ctx, e.id, secret)?;
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        webhook_endpoints::Entity::insert(webhook_endpoints::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            id: Set(e.id.as_uuid()),
            url: Set(e.url.clone()),
            description: Set(e.description.clone()),
            event_types: Set(serde_json::to_string(&e.event_types).unwrap_or_else(|_| "[]".into())),
            enabled: Set(e.enabled),
            disabled_reason: Set(e.disabled_reason.clone()),
            disabled_at: Set(e.disabled_at),
            failing_since: Set(e.failing_since),
            secret_sealed: Set(sealed),
            previous_secret_sealed: Set(None),
            previous_secret_expires_at: Set(None),
            secret_rotated_at: Set(e.secret_rotated_at),
            created_at: Set(e.created_at),
            updated_at: Set(e.updated_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn update_endpoint(
        &self,
        ctx: &Ctx,
        e: &WebhookEndpoint,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let res = webhook_endpoints::Entity::update_many()
            .col_expr(webhook_endpoints::Column::Url, Expr::value(e.url.clone()))
            .col_expr(
                webhook_endpoints::Column::Description,
                Expr::value(e.description.clone()),
            )
            .col_expr(
                webhook_endpoints::Column::EventTypes,
                Expr::value(serde_json::to_string(&e.event_types).unwrap_or_else(|_| "[]".into())),
            )
            .col_expr(webhook_endpoints::Column::Enabled, Expr::value(e.enabled))
            .col_expr(
                webhook_endpoints::Column::DisabledReason,
                Expr::value(e.disabled_reason.clone()),
            )
            .col_expr(
                webhook_endpoints::Column::DisabledAt,
                Expr::value(e.disabled_at),
            )
            .col_expr(
                webhook_endpoints::Column::FailingSince,
                Expr::value(e.failing_since),
            )
            .col_expr(webhook_endpoints::Column::UpdatedAt, Expr::value(now))
            .filter(webhook_endpoints::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_endpoints::Column::Id.eq(e.id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn rotate_secret(
        &self,
        ctx: &Ctx,
        id: WebhookEndpointId,
        secret: &str,
        previous_until: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<WebhookEndpoint, StoreError> {
        let sealed = self.seal(ctx, id, secret)?;
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let row = Self::endpoint_row(&txn, ctx, id).await?;
        webhook_endpoints::Entity::update_many()
            .col_expr(
                webhook_endpoints::Column::PreviousSecretSealed,
                Expr::value(Some(row.secret_sealed.clone())),
            )
            .col_expr(
                webhook_endpoints::Column::PreviousSecretExpiresAt,
                Expr::value(Some(previous_until)),
            )
            .col_expr(webhook_endpoints::Column::SecretSealed, Expr::value(sealed))
            .col_expr(webhook_endpoints::Column::SecretRotatedAt, Expr::value(now))
            .col_expr(webhook_endpoints::Column::UpdatedAt, Expr::value(now))
            .filter(webhook_endpoints::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_endpoints::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        write_audit(&txn, ctx, audit, now).await?;
        let row = Self::endpoint_row(&txn, ctx, id).await?;
        txn.commit().await.map_err(internal)?;
        to_endpoint(row)
    }

    async fn endpoint(
        &self,
        ctx: &Ctx,
        id: WebhookEndpointId,
    ) -> Result<WebhookEndpoint, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = Self::endpoint_row(&txn, ctx, id).await;
        txn.commit().await.map_err(internal)?;
        to_endpoint(row?)
    }

    async fn endpoints(&self, ctx: &Ctx) -> Result<Vec<WebhookEndpoint>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = Self::endpoint_rows(&txn, ctx).await?;
        txn.commit().await.map_err(internal)?;
        rows.into_iter().map(to_endpoint).collect()
    }

    async fn attempt_context(
        &self,
        ctx: &Ctx,
        id: WebhookDeliveryId,
        now: DateTime<Utc>,
    ) -> Result<AttemptContext, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = txn
            .query_one_raw(Statement::from_sql_and_values(
                txn.get_database_backend(),
                attempt_context_sql(),
                [ctx.tenant().as_uuid().into(), id.as_uuid().into()],
            ))
            .await
            .map_err(internal);
        txn.commit().await.map_err(internal)?;
        let row = row?.ok_or(StoreError::NotFound)?;
        let delivery =
            webhook_deliveries::Model::from_query_result(&row, "d_").map_err(internal)?;
        let endpoint = webhook_endpoints::Model::from_query_result(&row, "e_").map_err(internal)?;
        let event = webhook_events::Model::from_query_result(&row, "v_").map_err(internal)?;
        let endpoint_id = WebhookEndpointId::from_uuid(endpoint.id);
        let mut secrets = vec![self.open(ctx, endpoint_id, &endpoint.secret_sealed)?];
        if let (Some(previous), Some(until)) = (
            &endpoint.previous_secret_sealed,
            endpoint.previous_secret_expires_at,
        ) && until > now
        {
            secrets.push(self.open(ctx, endpoint_id, previous)?);
        }
        Ok(AttemptContext {
            delivery: to_delivery(delivery)?,
            endpoint: to_endpoint(endpoint)?,
            event: StoredEvent {
                id: EventId::from_uuid(event.id),
                event_type: event.event_type,
                occurred_at: event.occurred_at,
                body: event.body,
            },
            secrets,
        })
    }

    async fn fan_out(
        &self,
        ctx: &Ctx,
        event: &StoredEvent,
        plan: &(
             dyn for<'e> Fn(&'e WebhookEndpoint) -> Option<(WebhookDelivery, NewJob)> + Send + Sync
         ),
    ) -> Result<usize, StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = Self::endpoint_rows(&txn, ctx).await?;
        let mut deliveries = Vec::new();
        let mut jobs = Vec::new();
        for row in rows {
            if let Some((d, job)) = plan(&to_endpoint(row)?) {
                deliveries.push(d);
                jobs.push(job);
            }
        }
        if deliveries.is_empty() {
            txn.commit().await.map_err(internal)?;
            return Ok(0);
        }
        // The event row is the fan-out's idempotency key: a second run of the
        // same event (at-least-once jobs) finds it and changes nothing.
        let inserted = webhook_events::Entity::insert(event_row(ctx, event, now))
            .on_conflict(
                OnConflict::columns([webhook_events::Column::TenantId, webhook_events::Column::Id])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
        if inserted != 1 {
            txn.rollback().await.map_err(internal)?;
            return Ok(0);
        }
        insert_deliveries(&txn, ctx, &deliveries, &jobs, now).await?;
        txn.commit().await.map_err(internal)?;
        Ok(deliveries.len())
    }

    async fn add_deliveries(
        &self,
        ctx: &Ctx,
        new_event: Option<&StoredEvent>,
        deliveries: &[WebhookDelivery],
        jobs: &[NewJob],
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        if let Some(e) = new_event {
            webhook_events::Entity::insert(event_row(ctx, e, now))
                .exec_without_returning(&txn)
                .await
                .map_err(internal)?;
        }
        insert_deliveries(&txn, ctx, deliveries, jobs, now).await?;
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn event(&self, ctx: &Ctx, id: EventId) -> Result<StoredEvent, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = webhook_events::Entity::find()
            .filter(webhook_events::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_events::Column::Id.eq(id.as_uuid()))
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        let m = row.ok_or(StoreError::NotFound)?;
        Ok(StoredEvent {
            id,
            event_type: m.event_type,
            occurred_at: m.occurred_at,
            body: m.body,
        })
    }

    async fn delivery(
        &self,
        ctx: &Ctx,
        id: WebhookDeliveryId,
    ) -> Result<WebhookDelivery, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_deliveries::Column::Id.eq(id.as_uuid()))
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        to_delivery(row.ok_or(StoreError::NotFound)?)
    }

    async fn deliveries(
        &self,
        ctx: &Ctx,
        endpoint: WebhookEndpointId,
        page: PageRequest,
    ) -> Result<Page<WebhookDelivery>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let q = webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_deliveries::Column::EndpointId.eq(endpoint.as_uuid()));
        let p = paginate(&txn, q, webhook_deliveries::Column::Id, page).await?;
        let ids: Vec<Uuid> = p.items.iter().map(|d| d.id).collect();
        let attempts = if ids.is_empty() {
            Vec::new()
        } else {
            webhook_attempts::Entity::find()
                .filter(webhook_attempts::Column::TenantId.eq(ctx.tenant().as_uuid()))
                .filter(webhook_attempts::Column::DeliveryId.is_in(ids))
                .order_by_asc(webhook_attempts::Column::Number)
                .all(&txn)
                .await
                .map_err(internal)?
        };
        txn.commit().await.map_err(internal)?;
        p.try_map(|m| {
            let mut d = to_delivery(m)?;
            d.attempts = attempts
                .iter()
                .filter(|a| a.delivery_id == d.id.as_uuid())
                .cloned()
                .map(to_attempt)
                .collect();
            Ok(d)
        })
    }

    async fn event_deliveries(
        &self,
        ctx: &Ctx,
        event: EventId,
    ) -> Result<Vec<WebhookDelivery>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_deliveries::Column::EventId.eq(event.as_uuid()))
            .order_by_asc(webhook_deliveries::Column::Id)
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        rows.into_iter().map(to_delivery).collect()
    }

    async fn record_attempt(
        &self,
        ctx: &Ctx,
        endpoint: WebhookEndpointId,
        r: &AttemptRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let a = &r.attempt;
        let txn = self.db.tenant_tx(ctx).await?;
        webhook_attempts::Entity::insert(webhook_attempts::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            id: Set(Uuid::now_v7()),
            delivery_id: Set(a.delivery.as_uuid()),
            number: Set(i32::try_from(a.number).unwrap_or(i32::MAX)),
            attempted_at: Set(a.attempted_at),
            status_code: Set(a.status_code.map(i32::from)),
            latency_ms: Set(i64::try_from(a.latency_ms).unwrap_or(i64::MAX)),
            response_excerpt: Set(a.response_excerpt.clone()),
            error: Set(a.error.clone()),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        let res = webhook_deliveries::Entity::update_many()
            .col_expr(
                webhook_deliveries::Column::Status,
                Expr::value(r.status.as_str()),
            )
            .col_expr(
                webhook_deliveries::Column::AttemptCount,
                Expr::value(i32::try_from(a.number).unwrap_or(i32::MAX)),
            )
            .col_expr(
                webhook_deliveries::Column::LastStatusCode,
                Expr::value(a.status_code.map(i32::from)),
            )
            .col_expr(
                webhook_deliveries::Column::LastError,
                Expr::value(a.error.clone()),
            )
            .col_expr(
                webhook_deliveries::Column::NextAttemptAt,
                Expr::value(r.next_attempt_at),
            )
            .col_expr(webhook_deliveries::Column::UpdatedAt, Expr::value(now))
            .filter(webhook_deliveries::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_deliveries::Column::Id.eq(a.delivery.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if res.rows_affected != 1 {
            txn.rollback().await.map_err(internal)?;
            return Err(StoreError::NotFound);
        }
        // Health is written only when it changes: a success on a healthy
        // endpoint (the common case) leaves the endpoint's row alone, so
        // concurrent deliveries to one endpoint do not queue on its row lock.
        let health = webhook_endpoints::Entity::update_many();
        let health = match &r.health {
            EndpointHealth::Unchanged => None,
            EndpointHealth::Healthy => Some(
                health
                    .col_expr(
                        webhook_endpoints::Column::FailingSince,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .filter(webhook_endpoints::Column::FailingSince.is_not_null()),
            ),
            EndpointHealth::Failing => Some(
                health
                    .col_expr(
                        webhook_endpoints::Column::FailingSince,
                        Expr::value(Some(a.attempted_at)),
                    )
                    .filter(webhook_endpoints::Column::FailingSince.is_null()),
            ),
            EndpointHealth::Disable(reason) => Some(
                health
                    .col_expr(
                        webhook_endpoints::Column::FailingSince,
                        failing_since_or(a.attempted_at),
                    )
                    .col_expr(webhook_endpoints::Column::Enabled, Expr::value(false))
                    .col_expr(
                        webhook_endpoints::Column::DisabledReason,
                        Expr::value(Some(reason.clone())),
                    )
                    .col_expr(
                        webhook_endpoints::Column::DisabledAt,
                        Expr::value(Some(now)),
                    )
                    .col_expr(webhook_endpoints::Column::UpdatedAt, Expr::value(now)),
            ),
        };
        if let Some(health) = health {
            health
                .filter(webhook_endpoints::Column::TenantId.eq(ctx.tenant().as_uuid()))
                .filter(webhook_endpoints::Column::Id.eq(endpoint.as_uuid()))
                .exec(&txn)
                .await
                .map_err(internal)?;
        }
        if let Some(audit) = &r.audit {
            write_audit(&txn, ctx, audit.clone(), now).await?;
        }
        txn.commit().await.map_err(internal)
    }

    async fn close_delivery(
        &self,
        ctx: &Ctx,
        id: WebhookDeliveryId,
        status: DeliveryStatus,
        error: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        webhook_deliveries::Entity::update_many()
            .col_expr(
                webhook_deliveries::Column::Status,
                Expr::value(status.as_str()),
            )
            .col_expr(
                webhook_deliveries::Column::LastError,
                Expr::value(Some(error.to_owned())),
            )
            .col_expr(
                webhook_deliveries::Column::NextAttemptAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(webhook_deliveries::Column::UpdatedAt, Expr::value(now))
            .filter(webhook_deliveries::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(webhook_deliveries::Column::Id.eq(id.as_uuid()))
            .filter(webhook_deliveries::Column::Status.eq(DeliveryStatus::Pending.as_str()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)
    }
}
