//! Integrations (secrets sealed with the server key, bound to the tenant) and
//! their inbound event log. Recording an accepted delivery inserts the event
//! and its processing job in one transaction (the outbox): the POS gets its
//! 2xx only after both are durable.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::identity::{AuditRecord, StoreError};
use domain::integrations::{
    EventFilter, EventStatus, InboundEvent, InboundEventStore, Integration, IntegrationKind,
    IntegrationSecrets, IntegrationStatus, IntegrationStore, Received,
};
use domain::jobs::NewJob;
use domain::page::{Page, PageRequest};
use domain::{CheckId, Ctx, InboundEventId, IntegrationId, LocationId, TenantId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, Statement, Value,
};

use super::{IdOf, paginate, write_audit};
use crate::cache::Map;
use crate::db::entities::{inbound_events, integrations};
use crate::db::{Db, internal};
use crate::secret_box::SecretBox;

impl IdOf<inbound_events::Column> for inbound_events::Model {}

/// The purpose the iikoCloud `apiLogin` is sealed for.
const IIKO_LOGIN: &str = "iiko-api-login";

/// How long a door keeps an integration's row (its secrets, its state) before
/// reading it again. Changes made through this store apply at once in this
/// process; other processes see them within this bound, as with the RBAC and
/// configuration caches.
pub const DOOR_CACHE_TTL: Duration = Duration::from_secs(5);

/// Both integration ports over the database and a [`SecretBox`].
pub struct SqlIntegrations {
    db: Db,
    sealer: Arc<SecretBox>,
    clock: Arc<dyn domain::ports::Clock>,
    /// Rows the webhook doors read, by id (every delivery reads one).
    doors: Map<IntegrationId, integrations::Model>,
}

impl SqlIntegrations {
    /// Stores sealing secrets with `sealer`; doors keep a row [`DOOR_CACHE_TTL`].
    #[must_use]
    pub fn new(db: Db, sealer: Arc<SecretBox>, clock: Arc<dyn domain::ports::Clock>) -> Self {
        Self::with_door_cache(db, sealer, clock, DOOR_CACHE_TTL)
    }

    /// [`new`](Self::new) keeping a door's row for `ttl` (zero: never).
    #[must_use]
    pub fn with_door_cache(
        db: Db,
        sealer: Arc<SecretBox>,
        clock: Arc<dyn domain::ports::Clock>,
        ttl: Duration,
    ) -> Self {
        Self {
            db,
            sealer,
            clock,
            doors: Map::new(ttl),
        }
    }

    /// What a sealed value is bound to: the tenant, the integration and, for
    /// anything but the signing secret, its purpose.
    fn context(tenant: TenantId, id: IntegrationId, purpose: Option<&str>) -> String {
        match purpose {
            None => format!("integration:{tenant}:{id}"),
            Some(p) => format!("integration:{tenant}:{id}:{p}"),
        }
    }

    fn seal(
        &self,
        tenant: TenantId,
        id: IntegrationId,
        purpose: Option<&str>,
        secret: &str,
    ) -> Result<String, StoreError> {
        self.sealer
            .seal(secret, &Self::context(tenant, id, purpose))
            .map_err(|e| StoreError::Internal(e.to_string()))
    }

    fn open(
        &self,
        tenant: TenantId,
        id: IntegrationId,
        purpose: Option<&str>,
        sealed: &str,
    ) -> Result<String, StoreError> {
        self.sealer
            .open(sealed, &Self::context(tenant, id, purpose))
            .map_err(|e| StoreError::Internal(e.to_string()))
    }
}

fn to_integration(m: &integrations::Model) -> Result<Integration, StoreError> {
    Ok(Integration {
        id: IntegrationId::from_uuid(m.id),
        kind: IntegrationKind::parse(&m.kind)
            .ok_or_else(|| StoreError::Internal(format!("unknown integration kind {}", m.kind)))?,
        name: m.name.clone(),
        location: LocationId::from_uuid(m.location_id),
        status: if m.active {
            IntegrationStatus::Active
        } else {
            IntegrationStatus::Disabled
        },
        secret_rotated_at: m.secret_rotated_at,
        previous_valid_until: m.previous_valid_until,
        created_at: m.created_at,
        iiko_api_login_set: m.iiko_api_login_sealed.is_some(),
    })
}

fn to_event(m: inbound_events::Model) -> Result<InboundEvent, StoreError> {
    Ok(InboundEvent {
        id: InboundEventId::from_uuid(m.id),
        integration: IntegrationId::from_uuid(m.integration_id),
        kind: m.kind,
        external_id: m.external_id,
        fingerprint: m.fingerprint,
        payload: m.payload,
        status: EventStatus::parse(&m.status)
            .ok_or_else(|| StoreError::Internal(format!("unknown event status {}", m.status)))?,
        error: m.error,
        check: m.check_id.map(CheckId::from_uuid),
        received_at: m.received_at,
        processed_at: m.processed_at,
    })
}

async fn find(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    id: IntegrationId,
) -> Result<integrations::Model, StoreError> {
    integrations::Entity::find()
        .filter(integrations::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(integrations::Column::Id.eq(id.as_uuid()))
        .one(txn)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)
}

async fn find_event(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    id: InboundEventId,
) -> Result<inbound_events::Model, StoreError> {
    inbound_events::Entity::find()
        .filter(inbound_events::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(inbound_events::Column::Id.eq(id.as_uuid()))
        .one(txn)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)
}

/// The accepted event of an external id (conflicts and refusals are logged beside it).
async fn first_accepted(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    integration: IntegrationId,
    external_id: &str,
) -> Result<Option<inbound_events::Model>, StoreError> {
    inbound_events::Entity::find()
        .filter(inbound_events::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(inbound_events::Column::IntegrationId.eq(integration.as_uuid()))
        .filter(inbound_events::Column::ExternalId.eq(external_id))
        .filter(inbound_events::Column::Status.is_not_in(["conflict", "rejected"]))
        .one(txn)
        .await
        .map_err(internal)
}

/// An event's kind as stored (the column holds 64 characters).
fn stored_kind(kind: &str) -> String {
    kind.chars().take(64).collect()
}

/// The event's part of the one-statement record (see
/// `SqlIntegrations::record_at_once`): 12 values.
const RECORD_EVENT: &str = "WITH tenant AS (SELECT set_config('app.tenant_id', $1, true)::uuid AS id), \
     event AS (INSERT INTO inbound_events (tenant_id, id, integration_id, kind, external_id, \
     fingerprint, payload, status, error, check_id, received_at, processed_at) \
     SELECT tenant.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 \
     FROM tenant ON CONFLICT DO NOTHING RETURNING id)";

/// The one-statement record of an event without a job.
static RECORD: LazyLock<String> =
    LazyLock::new(|| format!("{RECORD_EVENT} SELECT count(*) AS inserted FROM event"));

/// The one-statement record of an event with its job (its values follow the
/// event's). A dedupe key still held keeps the holder as the event's job, as
/// `enqueue_in` does.
static RECORD_WITH_JOB: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{RECORD_EVENT}, job AS (INSERT INTO jobs ({}) SELECT {} FROM event ON CONFLICT DO NOTHING) \
         SELECT count(*) AS inserted FROM event",
        crate::jobs::NEW_JOB_COLUMNS,
        crate::jobs::new_job_values(12)
    )
});

fn insert_event(ctx: &Ctx, e: &InboundEvent) -> inbound_events::ActiveModel {
    inbound_events::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        id: Set(e.id.as_uuid()),
        integration_id: Set(e.integration.as_uuid()),
        kind: Set(stored_kind(&e.kind)),
        external_id: Set(e.external_id.clone()),
        fingerprint: Set(e.fingerprint.clone()),
        payload: Set(e.payload.clone()),
        status: Set(e.status.as_str().to_owned()),
        error: Set(e.error.clone()),
        check_id: Set(e.check.map(|c| c.as_uuid())),
        received_at: Set(e.received_at),
        processed_at: Set(e.processed_at),
    }
}

#[async_trait]
impl IntegrationStore for SqlIntegrations {
    async fn create(
        &self,
        ctx: &Ctx,
        i: &Integration,
        secret: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let sealed = self.seal(ctx.tenant(), i.id, None, secret)?;
        let txn = self.db.tenant_tx(ctx).await?;
        integrations::Entity::insert(integrations::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            id: Set(i.id.as_uuid()),
            kind: Set(i.kind.as_str().to_owned()),
            name: Set(i.name.clone()),
            location_id: Set(i.location.as_uuid()),
            active: Set(i.status == IntegrationStatus::Active),
            secret_sealed: Set(sealed),
            previous_secret_sealed: Set(None),
            previous_valid_until: Set(None),
            secret_rotated_at: Set(i.secret_rotated_at),
            created_at: Set(i.created_at),
            iiko_api_login_sealed: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        write_audit(&txn, ctx, audit, self.clock.now()).await?;
        txn.commit().await.map_err(internal)?;
        self.doors.forget(&i.id);
        Ok(())
    }

    async fn rotate(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        secret: &str,
        previous_valid_until: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<Integration, StoreError> {
        let sealed = self.seal(ctx.tenant(), id, None, secret)?;
        let now = self.clock.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let current = find(&txn, ctx, id).await?;
        integrations::Entity::update_many()
            .col_expr(
                integrations::Column::PreviousSecretSealed,
                Expr::value(Some(current.secret_sealed.clone())),
            )
            .col_expr(
                integrations::Column::PreviousValidUntil,
                Expr::value(Some(previous_valid_until)),
            )
            .col_expr(integrations::Column::SecretSealed, Expr::value(sealed))
            .col_expr(integrations::Column::SecretRotatedAt, Expr::value(now))
            .filter(integrations::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(integrations::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        write_audit(&txn, ctx, audit, now).await?;
        let after = find(&txn, ctx, id).await?;
        txn.commit().await.map_err(internal)?;
        self.doors.forget(&id);
        to_integration(&after)
    }

    async fn set_active(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        active: bool,
        audit: AuditRecord,
    ) -> Result<Integration, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        find(&txn, ctx, id).await?;
        integrations::Entity::update_many()
            .col_expr(integrations::Column::Active, Expr::value(active))
            .filter(integrations::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(integrations::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        write_audit(&txn, ctx, audit, self.clock.now()).await?;
        let after = find(&txn, ctx, id).await?;
        txn.commit().await.map_err(internal)?;
        self.doors.forget(&id);
        to_integration(&after)
    }

    async fn get(&self, ctx: &Ctx, id: IntegrationId) -> Result<Integration, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = find(&txn, ctx, id).await;
        txn.commit().await.map_err(internal)?;
        to_integration(&row?)
    }

    async fn list(&self, ctx: &Ctx) -> Result<Vec<Integration>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = integrations::Entity::find()
            .filter(integrations::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .order_by_asc(integrations::Column::CreatedAt)
            .order_by_asc(integrations::Column::Id)
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        rows.iter().map(to_integration).collect()
    }

    async fn set_iiko_api_login(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        api_login: Option<&str>,
        audit: AuditRecord,
    ) -> Result<Integration, StoreError> {
        let sealed = api_login
            .map(|l| self.seal(ctx.tenant(), id, Some(IIKO_LOGIN), l))
            .transpose()?;
        let txn = self.db.tenant_tx(ctx).await?;
        find(&txn, ctx, id).await?;
        integrations::Entity::update_many()
            .col_expr(
                integrations::Column::IikoApiLoginSealed,
                Expr::value(sealed),
            )
            .filter(integrations::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(integrations::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        write_audit(&txn, ctx, audit, self.clock.now()).await?;
        let after = find(&txn, ctx, id).await?;
        txn.commit().await.map_err(internal)?;
        self.doors.forget(&id);
        to_integration(&after)
    }

    async fn iiko_api_login(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
    ) -> Result<Option<String>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = find(&txn, ctx, id).await;
        txn.commit().await.map_err(internal)?;
        row?.iiko_api_login_sealed
            .map(|sealed| self.open(ctx.tenant(), id, Some(IIKO_LOGIN), &sealed))
            .transpose()
    }

    async fn for_delivery(
        &self,
        id: IntegrationId,
        now: DateTime<Utc>,
    ) -> Result<(TenantId, Integration, IntegrationSecrets), StoreError> {
        let row = match self.doors.get(&id) {
            Some(row) => row,
            None => {
                let txn = self.db.integration_tx(id.as_uuid()).await?;
                let row = integrations::Entity::find()
                    .filter(integrations::Column::Id.eq(id.as_uuid()))
                    .one(&txn)
                    .await
                    .map_err(internal)?;
                txn.commit().await.map_err(internal)?;
                let row = row.ok_or(StoreError::NotFound)?;
                self.doors.put(id, row.clone());
                row
            }
        };
        let tenant = TenantId::from_uuid(row.tenant_id);
        let current = self.open(tenant, id, None, &row.secret_sealed)?;
        let previous = match (&row.previous_secret_sealed, row.previous_valid_until) {
            (Some(sealed), Some(until)) if until > now => {
                Some(self.open(tenant, id, None, sealed)?)
            }
            _ => None,
        };
        Ok((
            tenant,
            to_integration(&row)?,
            IntegrationSecrets { current, previous },
        ))
    }
}

#[async_trait]
impl InboundEventStore for SqlIntegrations {
    async fn record(
        &self,
        ctx: &Ctx,
        e: &InboundEvent,
        job: Option<NewJob>,
    ) -> Result<Received, StoreError> {
        if self.db.backend() == DbBackend::Postgres
            && self.record_at_once(ctx, e, job.as_ref()).await?
        {
            return Ok(Received::New(e.id));
        }
        let txn = self.db.tenant_tx(ctx).await?;
        if let Some(ext) = &e.external_id {
            // The first delivery of an external id wins; a concurrent duplicate
            // waits on the unique index and then finds it here.
            if let Some(first) = first_accepted(&txn, ctx, e.integration, ext).await? {
                return self.repeat(txn, ctx, e, first).await;
            }
        }
        let inserted = inbound_events::Entity::insert(insert_event(ctx, e))
            .exec_without_returning(&txn)
            .await;
        if let Err(err) = inserted {
            if matches!(
                err.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) {
                // Lost the race to a concurrent first delivery: answer as a repeat.
                txn.rollback().await.map_err(internal)?;
                let txn = self.db.tenant_tx(ctx).await?;
                let ext = e.external_id.as_deref().unwrap_or_default();
                let first = first_accepted(&txn, ctx, e.integration, ext)
                    .await?
                    .ok_or_else(|| StoreError::Internal("the first delivery vanished".into()))?;
                return self.repeat(txn, ctx, e, first).await;
            }
            return Err(internal(err));
        }
        if let Some(job) = job {
            crate::jobs::enqueue_in(&txn, self.clock.now(), &job)
                .await
                .map_err(internal)?;
        }
        txn.commit().await.map_err(internal)?;
        Ok(Received::New(e.id))
    }

    async fn get(&self, ctx: &Ctx, id: InboundEventId) -> Result<InboundEvent, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = find_event(&txn, ctx, id).await;
        txn.commit().await.map_err(internal)?;
        to_event(row?)
    }

    async fn get_with_integration(
        &self,
        ctx: &Ctx,
        id: InboundEventId,
    ) -> Result<(InboundEvent, Integration), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = find_event(&txn, ctx, id).await?;
        let integration = find(&txn, ctx, IntegrationId::from_uuid(row.integration_id)).await?;
        txn.commit().await.map_err(internal)?;
        Ok((to_event(row)?, to_integration(&integration)?))
    }

    async fn finish(
        &self,
        ctx: &Ctx,
        id: InboundEventId,
        status: EventStatus,
        error: Option<String>,
        check: Option<CheckId>,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let res = inbound_events::Entity::update_many()
            .col_expr(inbound_events::Column::Status, Expr::value(status.as_str()))
            .col_expr(inbound_events::Column::Error, Expr::value(error))
            .col_expr(
                inbound_events::Column::CheckId,
                Expr::value(check.map(|c| c.as_uuid())),
            )
            .col_expr(
                inbound_events::Column::ProcessedAt,
                Expr::value(Some(self.clock.now())),
            )
            .filter(inbound_events::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(inbound_events::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        if res.rows_affected == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    async fn requeue(
        &self,
        ctx: &Ctx,
        id: InboundEventId,
        job: NewJob,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let res = inbound_events::Entity::update_many()
            .col_expr(inbound_events::Column::Status, Expr::value("pending"))
            .col_expr(
                inbound_events::Column::Error,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                inbound_events::Column::ProcessedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(inbound_events::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(inbound_events::Column::Id.eq(id.as_uuid()))
            .filter(inbound_events::Column::Status.is_in(["failed", "ignored"]))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        crate::jobs::enqueue_in(&txn, now, &job)
            .await
            .map_err(internal)?;
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn list(
        &self,
        ctx: &Ctx,
        integration: IntegrationId,
        filter: &EventFilter,
        page: PageRequest,
    ) -> Result<Page<InboundEvent>, StoreError> {
        let mut q = inbound_events::Entity::find()
            .filter(inbound_events::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(inbound_events::Column::IntegrationId.eq(integration.as_uuid()));
        if !filter.statuses.is_empty() {
            q = q.filter(
                inbound_events::Column::Status.is_in(
                    filter
                        .statuses
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>(),
                ),
            );
        }
        let txn = self.db.tenant_tx(ctx).await?;
        let p = paginate(&txn, q, inbound_events::Column::Id, page).await?;
        txn.commit().await.map_err(internal)?;
        p.try_map(to_event)
    }
}

impl SqlIntegrations {
    /// On PostgreSQL, a first delivery is one statement: one round trip to the
    /// 2xx instead of six (begin, the tenant's setting, the repeat check, the
    /// event, its job, commit). A lone statement is its own transaction, so
    /// the event and its job are durable together or not at all. Row-level
    /// security still applies: the statement first sets `app.tenant_id` (local
    /// to this statement's transaction) and the event's `tenant_id` is what
    /// that call returns, so the setting is in place before the policy checks
    /// the row. False when the external id was taken (nothing was written):
    /// the caller then answers it as a repeat.
    async fn record_at_once(
        &self,
        ctx: &Ctx,
        e: &InboundEvent,
        job: Option<&NewJob>,
    ) -> Result<bool, StoreError> {
        let mut values: Vec<Value> = vec![
            ctx.tenant().to_string().into(),
            e.id.as_uuid().into(),
            e.integration.as_uuid().into(),
            stored_kind(&e.kind).into(),
            e.external_id.clone().into(),
            e.fingerprint.clone().into(),
            e.payload.clone().into(),
            e.status.as_str().to_owned().into(),
            e.error.clone().into(),
            e.check.map(|c| c.as_uuid()).into(),
            e.received_at.into(),
            e.processed_at.into(),
        ];
        let sql: &str = match job {
            Some(job) => {
                values.extend(crate::jobs::new_job_row(self.clock.now(), job).1);
                &RECORD_WITH_JOB
            }
            None => &RECORD,
        };
        let row = self
            .db
            .connection()
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .await
            .map_err(internal)?
            .ok_or_else(|| StoreError::Internal("the event's insert returned no row".into()))?;
        let inserted: i64 = row.try_get("", "inserted").map_err(internal)?;
        Ok(inserted == 1)
    }

    /// A delivery whose external id was accepted before: the same fingerprint
    /// is a duplicate (nothing stored); another one is logged as a conflict.
    async fn repeat(
        &self,
        txn: DatabaseTransaction,
        ctx: &Ctx,
        e: &InboundEvent,
        first: inbound_events::Model,
    ) -> Result<Received, StoreError> {
        if first.fingerprint == e.fingerprint {
            txn.commit().await.map_err(internal)?;
            return Ok(Received::Duplicate(to_event(first)?));
        }
        let conflict = InboundEvent {
            status: EventStatus::Conflict,
            error: Some(format!(
                "external id {} was first received with another payload (event {})",
                e.external_id.as_deref().unwrap_or(""),
                first.id
            )),
            processed_at: Some(e.received_at),
            ..e.clone()
        };
        inbound_events::Entity::insert(insert_event(ctx, &conflict))
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(Received::Conflict(conflict.id))
    }
}
