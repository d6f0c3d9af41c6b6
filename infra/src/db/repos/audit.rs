//! Reading the audit log.

use async_trait::async_trait;
use domain::identity::ports::{AuditFilter, AuditRepository};
use domain::identity::{AuditEntry, StoreError};
use domain::page::{Page, PageRequest};
use domain::{ApiKeyId, AuditEntryId, Ctx, UserId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{IdOf, SqlStore, paginate};
use crate::db::entities::audit_log;
use crate::db::internal;

impl IdOf<audit_log::Column> for audit_log::Model {}

fn to_entry(m: audit_log::Model) -> AuditEntry {
    AuditEntry {
        id: AuditEntryId::from_uuid(m.id),
        at: m.created_at,
        actor: m.actor_id.map(UserId::from_uuid),
        actor_label: m.actor_label,
        api_key: m.api_key_id.map(ApiKeyId::from_uuid),
        action: m.action,
        target_type: m.target_type,
        target_id: m.target_id,
        ip: m.ip,
        details: serde_json::from_str(&m.details).unwrap_or(serde_json::Value::String(m.details)),
    }
}

#[async_trait]
impl AuditRepository for SqlStore {
    async fn list(
        &self,
        ctx: &Ctx,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let mut q = audit_log::Entity::find()
            .filter(audit_log::Column::TenantId.eq(ctx.tenant().as_uuid()));
        if let Some(action) = &filter.action {
            q = q.filter(audit_log::Column::Action.eq(action.as_str()));
        }
        if let Some(actor) = filter.actor {
            q = q.filter(audit_log::Column::ActorId.eq(actor.as_uuid()));
        }
        let page = paginate(&txn, q, audit_log::Column::Id, page).await?;
        txn.commit().await.map_err(internal)?;
        Ok(page.map(to_entry))
    }
}
