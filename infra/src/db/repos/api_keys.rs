//! Partner API keys: the key row (secret as a digest) and its scopes as casbin
//! `p` rules of `apikey:<id>`, written and removed in the key's transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::identity::ports::{ApiKeyRepository, Subject};
use domain::identity::{ApiKey, AuditRecord, Permission, StoreError};
use domain::{Actor, ApiKeyId, Ctx, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::{SqlStore, actor_label, policy_rule, write_audit};
use crate::db::entities::{api_keys, casbin_rule};
use crate::db::{conflict_or_internal, internal};
use crate::rbac::subject_name;

pub(super) fn to_key(m: api_keys::Model) -> ApiKey {
    let created_by = match (m.created_by_user_id, m.created_by_key_id) {
        (Some(u), _) => Actor::Staff(UserId::from_uuid(u)),
        (None, Some(k)) => Actor::ApiKey(ApiKeyId::from_uuid(k)),
        (None, None) => Actor::System,
    };
    ApiKey {
        id: ApiKeyId::from_uuid(m.id),
        name: m.name,
        prefix: m.prefix,
        scopes: m
            .scopes
            .split_whitespace()
            .filter_map(Permission::parse)
            .collect(),
        created_by,
        created_by_label: m.created_by_label,
        created_at: m.created_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
    }
}

/// One key row of the caller's tenant.
pub(super) async fn key_row<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    id: ApiKeyId,
) -> Result<Option<api_keys::Model>, StoreError> {
    api_keys::Entity::find_by_id((ctx.tenant().as_uuid(), id.as_uuid()))
        .one(conn)
        .await
        .map_err(internal)
}

#[async_trait]
impl ApiKeyRepository for SqlStore {
    async fn create(
        &self,
        ctx: &Ctx,
        key: &ApiKey,
        token_hash: &str,
        audit: AuditRecord,
    ) -> Result<ApiKey, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let label = actor_label(&txn, ctx).await?;
        let scopes: Vec<&str> = key.scopes.iter().map(|p| p.key()).collect();
        api_keys::Entity::insert(api_keys::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            id: Set(key.id.as_uuid()),
            name: Set(key.name.clone()),
            prefix: Set(key.prefix.clone()),
            token_hash: Set(token_hash.to_owned()),
            scopes: Set(scopes.join(" ")),
            created_by_user_id: Set(key.created_by.user_id().map(|u| u.as_uuid())),
            created_by_key_id: Set(key.created_by.api_key_id().map(|k| k.as_uuid())),
            created_by_label: Set(label.clone()),
            created_at: Set(key.created_at),
            last_used_at: Set(None),
            revoked_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(|e| conflict_or_internal(e, "api_key"))?;
        if !key.scopes.is_empty() {
            let sub = subject_name(Subject::ApiKey(key.id));
            let tenant = ctx.tenant().to_string();
            casbin_rule::Entity::insert_many(key.scopes.iter().map(|p| {
                policy_rule(
                    Some(ctx.tenant().as_uuid()),
                    "p",
                    &[&sub, &tenant, p.object(), p.action()],
                )
            }))
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
        }
        write_audit(&txn, ctx, audit, key.created_at).await?;
        txn.commit().await.map_err(internal)?;
        Ok(ApiKey {
            created_by_label: label,
            ..key.clone()
        })
    }

    async fn list(&self, ctx: &Ctx) -> Result<Vec<ApiKey>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = api_keys::Entity::find()
            .filter(api_keys::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .order_by_asc(api_keys::Column::Id)
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(rows.into_iter().map(to_key).collect())
    }

    async fn get(&self, ctx: &Ctx, id: ApiKeyId) -> Result<ApiKey, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = key_row(&txn, ctx, id).await?;
        txn.commit().await.map_err(internal)?;
        row.map(to_key).ok_or(StoreError::NotFound)
    }

    async fn find_by_digest(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<ApiKey>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = api_keys::Entity::find()
            .filter(api_keys::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(api_keys::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(row.map(to_key))
    }

    async fn revoke(
        &self,
        ctx: &Ctx,
        id: ApiKeyId,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<ApiKey, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let res = api_keys::Entity::update_many()
            .col_expr(api_keys::Column::RevokedAt, Expr::value(at))
            .filter(api_keys::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(api_keys::Column::Id.eq(id.as_uuid()))
            .filter(api_keys::Column::RevokedAt.is_null())
            .exec(&txn)
            .await
            .map_err(internal)?;
        if res.rows_affected == 1 {
            casbin_rule::Entity::delete_many()
                .filter(casbin_rule::Column::TenantId.eq(ctx.tenant().as_uuid()))
                .filter(casbin_rule::Column::Ptype.eq("p"))
                .filter(casbin_rule::Column::V0.eq(subject_name(Subject::ApiKey(id))))
                .exec(&txn)
                .await
                .map_err(internal)?;
            write_audit(&txn, ctx, audit, at).await?;
        }
        let row = key_row(&txn, ctx, id).await?;
        txn.commit().await.map_err(internal)?;
        row.map(to_key).ok_or(StoreError::NotFound)
    }

    async fn record_use(
        &self,
        ctx: &Ctx,
        id: ApiKeyId,
        at: DateTime<Utc>,
        unless_after: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        api_keys::Entity::update_many()
            .col_expr(api_keys::Column::LastUsedAt, Expr::value(at))
            .filter(api_keys::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(api_keys::Column::Id.eq(id.as_uuid()))
            .filter(
                Condition::any()
                    .add(api_keys::Column::LastUsedAt.is_null())
                    .add(api_keys::Column::LastUsedAt.lte(unless_after)),
            )
            .exec(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)
    }
}
