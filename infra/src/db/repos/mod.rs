//! Repositories: one file per port, all on [`SqlStore`]. Every tenant-scoped
//! method opens a tenant transaction (see [`Db::tenant_tx`]) and also filters by
//! `ctx.tenant()` explicitly: two walls, either of which isolates tenants.

mod api_keys;
mod audit;
mod guests;
mod integrations;
mod invitations;
mod ledger;
mod locations;
mod loyalty_config;
mod notifications;
mod password_resets;
mod policies;
mod promotions;
mod sessions;
mod staff;
mod telegram_bots;
mod tenants;
mod throttle;
mod users;
mod webhooks;

use chrono::{DateTime, Utc};
use domain::identity::{AuditRecord, Email, InvalidValue, Locale, Role, StoreError, User};
use domain::page::{Page, PageRequest};
use domain::{Actor, AuditEntryId, Ctx, UserId};
use sea_orm::sea_query::{Expr, IntoColumnRef, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use super::entities::{audit_log, users as user_rows};
use super::{Db, internal};
use domain::ports::Clock;
use std::sync::Arc;

pub use integrations::SqlIntegrations;
pub(crate) use policies::{grant_role, revoke_roles, rule as policy_rule};
pub use telegram_bots::SqlBotVault;
pub use webhooks::SqlWebhooks;

/// The SQL implementation of every identity repository port.
#[derive(Clone)]
pub struct SqlStore {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
}

impl SqlStore {
    /// A store over a connected database.
    #[must_use]
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// Writes an audit record in the caller's transaction.
pub(crate) async fn write_audit<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    record: AuditRecord,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    // Every entry names its actor: fill in the staff user's e-mail (or the API
    // key's name and prefix) when the caller did not (kept as it was at the time).
    // A staff user's e-mail is read by the insert itself (a scalar subquery under
    // the same row-level security as a separate read), not in a round trip of its own.
    let actor_label: Expr = match (record.actor_label, ctx.actor()) {
        (Some(l), _) => Expr::value(Some(l)),
        (None, Actor::Staff(u)) => Expr::SubQuery(
            None,
            Box::new(
                Query::select()
                    .column(user_rows::Column::Email)
                    .from(user_rows::Entity)
                    .and_where(user_rows::Column::Id.eq(u.as_uuid()))
                    .to_owned()
                    .into(),
            ),
        ),
        (None, _) => Expr::value(actor_label(conn, ctx).await?),
    };
    let mut insert = Query::insert();
    insert
        .into_table(audit_log::Entity)
        .columns([
            audit_log::Column::TenantId,
            audit_log::Column::Id,
            audit_log::Column::ActorId,
            audit_log::Column::ApiKeyId,
            audit_log::Column::ActorLabel,
            audit_log::Column::Action,
            audit_log::Column::TargetType,
            audit_log::Column::TargetId,
            audit_log::Column::Ip,
            audit_log::Column::Details,
            audit_log::Column::CreatedAt,
        ])
        .values([
            Expr::value(ctx.tenant().as_uuid()),
            Expr::value(AuditEntryId::new().as_uuid()),
            Expr::value(ctx.actor().user_id().map(|u| u.as_uuid())),
            Expr::value(ctx.actor().api_key_id().map(|k| k.as_uuid())),
            actor_label,
            Expr::value(record.action.to_owned()),
            Expr::value(record.target_type.to_owned()),
            Expr::value(record.target_id),
            Expr::value(ctx.meta().ip.clone()),
            Expr::value(record.details.to_string()),
            Expr::value(now),
        ])
        .map_err(|e| StoreError::Internal(format!("audit insert: {e}")))?;
    conn.execute(&insert).await.map_err(internal)?;
    Ok(())
}

/// How the context's actor is named in the audit log: a staff user's e-mail, an
/// API key's name and prefix (read in the caller's transaction).
pub(crate) async fn actor_label<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
) -> Result<Option<String>, StoreError> {
    match ctx.actor() {
        Actor::Staff(u) => Ok(user_rows::Entity::find_by_id(u.as_uuid())
            .one(conn)
            .await
            .map_err(internal)?
            .map(|m| m.email)),
        Actor::ApiKey(k) => Ok(api_keys::key_row(conn, ctx, k)
            .await?
            .map(|m| api_keys::to_key(m).label())),
        Actor::Guest(_) | Actor::System => Ok(None),
    }
}

/// Runs a page request over a query ordered by a time-ordered id column.
pub(crate) async fn paginate<E, C, Col>(
    conn: &C,
    query: Select<E>,
    id: Col,
    page: PageRequest,
) -> Result<Page<E::Model>, StoreError>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
    Col: ColumnTrait + IntoColumnRef + Copy,
    for<'a> E::Model: IdOf<Col>,
{
    let total = query.clone().count(conn).await.map_err(internal)?;
    match page {
        PageRequest::Forward { after, limit } => {
            let mut q = query.order_by_asc(id);
            if let Some(after) = after {
                q = q.filter(id.gt(after));
            }
            let mut items = q.limit(limit + 1).all(conn).await.map_err(internal)?;
            let has_next = items.len() as u64 > limit;
            items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            Ok(Page {
                items,
                has_next,
                has_previous: after.is_some(),
                total,
            })
        }
        PageRequest::Backward { before, limit } => {
            let mut q = query.order_by_desc(id);
            if let Some(before) = before {
                q = q.filter(id.lt(before));
            }
            let mut items = q.limit(limit + 1).all(conn).await.map_err(internal)?;
            let has_previous = items.len() as u64 > limit;
            items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            items.reverse();
            Ok(Page {
                items,
                has_next: before.is_some(),
                has_previous,
                total,
            })
        }
    }
}

/// Marker: a model whose `Col` is its time-ordered id (keeps `paginate` honest).
pub(crate) trait IdOf<Col> {}

pub(crate) fn parse_role(s: &str) -> Result<Role, StoreError> {
    Role::parse(s).ok_or_else(|| StoreError::Internal(format!("unknown role in storage: {s}")))
}

pub(crate) fn stored_email(s: &str) -> Result<Email, StoreError> {
    Email::parse(s)
        .map_err(|e: InvalidValue| StoreError::Internal(format!("bad e-mail in storage: {e}")))
}

pub(crate) fn to_user(m: user_rows::Model) -> Result<User, StoreError> {
    Ok(User {
        id: UserId::from_uuid(m.id),
        email: stored_email(&m.email)?,
        display_name: m.display_name,
        locale: Locale::from_code(&m.locale).unwrap_or_default(),
    })
}

pub(crate) async fn users_by_ids<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<Uuid>,
) -> Result<Vec<user_rows::Model>, StoreError> {
    user_rows::Entity::find()
        .filter(user_rows::Column::Id.is_in(ids))
        .all(conn)
        .await
        .map_err(internal)
}
