//! Staff memberships of a tenant, joined with their users.

use async_trait::async_trait;
use domain::identity::ports::StaffRepository;
use domain::identity::{AuditRecord, Role, StaffMember, StoreError};
use domain::page::{Page, PageRequest};
use domain::{Ctx, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

use super::{
    IdOf, SqlStore, grant_role, paginate, parse_role, revoke_roles, to_user, users_by_ids,
    write_audit,
};
use crate::db::entities::{memberships, refresh_tokens, users};
use crate::db::internal;

impl IdOf<memberships::Column> for memberships::Model {}

fn to_member(m: memberships::Model, u: users::Model) -> Result<StaffMember, StoreError> {
    Ok(StaffMember {
        user: to_user(u)?,
        role: parse_role(&m.role)?,
        active: m.active,
        joined_at: m.created_at,
    })
}

async fn load<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    user: UserId,
) -> Result<StaffMember, StoreError> {
    let m = memberships::Entity::find()
        .filter(memberships::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(memberships::Column::UserId.eq(user.as_uuid()))
        .one(conn)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    let u = users::Entity::find_by_id(user.as_uuid())
        .one(conn)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    to_member(m, u)
}

#[async_trait]
impl StaffRepository for SqlStore {
    async fn get(&self, ctx: &Ctx, user: UserId) -> Result<StaffMember, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let m = load(&txn, ctx, user).await;
        txn.commit().await.map_err(internal)?;
        m
    }

    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<StaffMember>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let q = memberships::Entity::find()
            .filter(memberships::Column::TenantId.eq(ctx.tenant().as_uuid()));
        // User ids are UUIDv7: ordering by them orders by account creation.
        let page = paginate(&txn, q, memberships::Column::UserId, page).await?;
        let users = users_by_ids(&txn, page.items.iter().map(|m| m.user_id).collect()).await?;
        txn.commit().await.map_err(internal)?;
        let mut out = Vec::with_capacity(page.items.len());
        for m in &page.items {
            let u = users
                .iter()
                .find(|u| u.id == m.user_id)
                .cloned()
                .ok_or(StoreError::NotFound)?;
            out.push(to_member(m.clone(), u)?);
        }
        Ok(Page {
            items: out,
            has_next: page.has_next,
            has_previous: page.has_previous,
            total: page.total,
        })
    }

    async fn count_active_owners(&self, ctx: &Ctx) -> Result<u64, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let n = memberships::Entity::find()
            .filter(memberships::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(memberships::Column::Role.eq(Role::Owner.as_str()))
            .filter(memberships::Column::Active.eq(true))
            .count(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(n)
    }

    async fn set_role(
        &self,
        ctx: &Ctx,
        user: UserId,
        role: Role,
        audit: AuditRecord,
    ) -> Result<StaffMember, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let before = load(&txn, ctx, user).await?;
        memberships::Entity::update_many()
            .col_expr(memberships::Column::Role, Expr::value(role.as_str()))
            .filter(memberships::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(memberships::Column::UserId.eq(user.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if before.active {
            grant_role(&txn, ctx, user, role).await?;
        }
        write_audit(&txn, ctx, audit, self.now()).await?;
        let after = load(&txn, ctx, user).await?;
        txn.commit().await.map_err(internal)?;
        Ok(after)
    }

    async fn set_active(
        &self,
        ctx: &Ctx,
        user: UserId,
        active: bool,
        audit: AuditRecord,
    ) -> Result<StaffMember, StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let before = load(&txn, ctx, user).await?;
        memberships::Entity::update_many()
            .col_expr(memberships::Column::Active, Expr::value(active))
            .filter(memberships::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(memberships::Column::UserId.eq(user.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if active {
            grant_role(&txn, ctx, user, before.role).await?;
        } else {
            revoke_roles(&txn, ctx, user).await?;
            refresh_tokens::Entity::update_many()
                .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(Some(now)))
                .filter(refresh_tokens::Column::TenantId.eq(ctx.tenant().as_uuid()))
                .filter(refresh_tokens::Column::UserId.eq(user.as_uuid()))
                .filter(refresh_tokens::Column::RevokedAt.is_null())
                .exec(&txn)
                .await
                .map_err(internal)?;
        }
        write_audit(&txn, ctx, audit, now).await?;
        let after = load(&txn, ctx, user).await?;
        txn.commit().await.map_err(internal)?;
        Ok(after)
    }
}

/// Inserts an active membership and its role grant.
pub(crate) async fn add_member<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    user: UserId,
    role: Role,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    memberships::Entity::insert(memberships::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        user_id: Set(user.as_uuid()),
        role: Set(role.as_str().to_owned()),
        active: Set(true),
        created_at: Set(now),
    })
    .exec_without_returning(conn)
    .await
    .map_err(|e| crate::db::conflict_or_internal(e, "member"))?;
    grant_role(conn, ctx, user, role).await
}
