//! Role policies stored as casbin rules: `p, <role>, <tenant>, <object>, <action>`
//! and role grants `g, <user>, <role>, <tenant>`.

use async_trait::async_trait;
use domain::identity::ports::PolicyRepository;
use domain::identity::{AuditRecord, Permission, Role, StoreError};
use domain::{Ctx, UserId};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{SqlStore, write_audit};
use crate::db::entities::casbin_rule;
use crate::db::internal;

pub(crate) fn rule(tenant: Option<Uuid>, ptype: &str, values: &[&str]) -> casbin_rule::ActiveModel {
    let v = |i: usize| Set(values.get(i).map(|s| (*s).to_owned()).unwrap_or_default());
    casbin_rule::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant),
        ptype: Set(ptype.to_owned()),
        v0: v(0),
        v1: v(1),
        v2: v(2),
        v3: v(3),
        v4: v(4),
        v5: v(5),
    }
}

pub(crate) async fn insert_role_permissions<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    role: Role,
    perms: &[Permission],
) -> Result<(), StoreError> {
    if perms.is_empty() {
        return Ok(());
    }
    let t = ctx.tenant().to_string();
    let rows = perms.iter().map(|p| {
        rule(
            Some(ctx.tenant().as_uuid()),
            "p",
            &[role.as_str(), &t, p.object(), p.action()],
        )
    });
    casbin_rule::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await
        .map_err(internal)?;
    Ok(())
}

/// Grants `role` to `user` in the tenant (replacing any other role there).
pub(crate) async fn grant_role<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    user: UserId,
    role: Role,
) -> Result<(), StoreError> {
    revoke_roles(conn, ctx, user).await?;
    let t = ctx.tenant().to_string();
    let u = user.to_string();
    casbin_rule::Entity::insert(rule(
        Some(ctx.tenant().as_uuid()),
        "g",
        &[&u, role.as_str(), &t],
    ))
    .exec_without_returning(conn)
    .await
    .map_err(internal)?;
    Ok(())
}

/// Removes every role grant of `user` in the tenant.
pub(crate) async fn revoke_roles<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    user: UserId,
) -> Result<(), StoreError> {
    casbin_rule::Entity::delete_many()
        .filter(casbin_rule::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(casbin_rule::Column::Ptype.eq("g"))
        .filter(casbin_rule::Column::V0.eq(user.to_string()))
        .exec(conn)
        .await
        .map_err(internal)?;
    Ok(())
}

#[async_trait]
impl PolicyRepository for SqlStore {
    async fn role_permissions(
        &self,
        ctx: &Ctx,
    ) -> Result<Vec<(Role, Vec<Permission>)>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = casbin_rule::Entity::find()
            .filter(casbin_rule::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(casbin_rule::Column::Ptype.eq("p"))
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        let mut out: Vec<(Role, Vec<Permission>)> = Vec::new();
        for r in rows {
            let (Some(role), Some(perm)) = (
                Role::parse(&r.v0),
                Permission::parse(&format!("{}:{}", r.v2, r.v3)),
            ) else {
                continue;
            };
            match out.iter_mut().find(|(x, _)| *x == role) {
                Some((_, perms)) => perms.push(perm),
                None => out.push((role, vec![perm])),
            }
        }
        Ok(out)
    }

    async fn set_role_permissions(
        &self,
        ctx: &Ctx,
        role: Role,
        perms: &[Permission],
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        casbin_rule::Entity::delete_many()
            .filter(casbin_rule::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(casbin_rule::Column::Ptype.eq("p"))
            .filter(casbin_rule::Column::V0.eq(role.as_str()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        insert_role_permissions(&txn, ctx, role, perms).await?;
        write_audit(&txn, ctx, audit, self.now()).await?;
        txn.commit().await.map_err(internal)
    }
}
