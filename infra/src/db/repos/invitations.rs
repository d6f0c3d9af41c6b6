//! Staff invitations.

use async_trait::async_trait;
use domain::identity::ports::{InvitationRepository, Joiner};
use domain::identity::{AuditRecord, Invitation, InvitationStatus, StoreError};
use domain::page::{Page, PageRequest};
use domain::{Ctx, InvitationId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::staff::add_member;
use super::{IdOf, SqlStore, paginate, parse_role, stored_email, write_audit};
use crate::db::entities::{invitations, users};
use crate::db::{conflict_or_internal, internal};

impl IdOf<invitations::Column> for invitations::Model {}

fn to_invitation(m: invitations::Model) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: InvitationId::from_uuid(m.id),
        email: stored_email(&m.email)?,
        role: parse_role(&m.role)?,
        status: InvitationStatus::parse(&m.status).ok_or_else(|| {
            StoreError::Internal(format!("unknown invitation status: {}", m.status))
        })?,
        expires_at: m.expires_at,
        created_at: m.created_at,
    })
}

async fn load<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    id: InvitationId,
) -> Result<Invitation, StoreError> {
    let row = invitations::Entity::find()
        .filter(invitations::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(invitations::Column::Id.eq(id.as_uuid()))
        .one(conn)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    to_invitation(row)
}

/// Moves a pending invitation to `status`; false when it was no longer pending.
async fn transition<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    id: InvitationId,
    status: InvitationStatus,
) -> Result<bool, StoreError> {
    let res = invitations::Entity::update_many()
        .col_expr(invitations::Column::Status, Expr::value(status.as_str()))
        .filter(invitations::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(invitations::Column::Id.eq(id.as_uuid()))
        .filter(invitations::Column::Status.eq(InvitationStatus::Pending.as_str()))
        .exec(conn)
        .await
        .map_err(internal)?;
    Ok(res.rows_affected == 1)
}

#[async_trait]
impl InvitationRepository for SqlStore {
    async fn create(
        &self,
        ctx: &Ctx,
        inv: &Invitation,
        token_hash: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        invitations::Entity::update_many()
            .col_expr(
                invitations::Column::Status,
                Expr::value(InvitationStatus::Revoked.as_str()),
            )
            .filter(invitations::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(invitations::Column::Email.eq(inv.email.as_ref()))
            .filter(invitations::Column::Status.eq(InvitationStatus::Pending.as_str()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        invitations::Entity::insert(invitations::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            id: Set(inv.id.as_uuid()),
            email: Set(inv.email.to_string()),
            role: Set(inv.role.as_str().to_owned()),
            token_hash: Set(token_hash.to_owned()),
            status: Set(inv.status.as_str().to_owned()),
            invited_by: Set(ctx.actor().user_id().map(|u| u.as_uuid())),
            expires_at: Set(inv.expires_at),
            created_at: Set(inv.created_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        write_audit(&txn, ctx, audit, self.now()).await?;
        txn.commit().await.map_err(internal)
    }

    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<Invitation>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let q = invitations::Entity::find()
            .filter(invitations::Column::TenantId.eq(ctx.tenant().as_uuid()));
        let page = paginate(&txn, q, invitations::Column::Id, page).await?;
        txn.commit().await.map_err(internal)?;
        let items = page
            .items
            .into_iter()
            .map(to_invitation)
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            has_next: page.has_next,
            has_previous: page.has_previous,
            total: page.total,
        })
    }

    async fn get(&self, ctx: &Ctx, id: InvitationId) -> Result<Invitation, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let inv = load(&txn, ctx, id).await;
        txn.commit().await.map_err(internal)?;
        inv
    }

    async fn find_by_token(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<Invitation>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = invitations::Entity::find()
            .filter(invitations::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(invitations::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        row.map(to_invitation).transpose()
    }

    async fn set_status(
        &self,
        ctx: &Ctx,
        id: InvitationId,
        status: InvitationStatus,
        audit: AuditRecord,
    ) -> Result<Invitation, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        if !transition(&txn, ctx, id, status).await? {
            return Err(StoreError::NotFound);
        }
        write_audit(&txn, ctx, audit, self.now()).await?;
        let inv = load(&txn, ctx, id).await?;
        txn.commit().await.map_err(internal)?;
        Ok(inv)
    }

    async fn accept(
        &self,
        ctx: &Ctx,
        id: InvitationId,
        joiner: &Joiner,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let inv = load(&txn, ctx, id).await?;
        if !transition(&txn, ctx, id, InvitationStatus::Accepted).await? {
            return Err(StoreError::NotFound);
        }
        let user = match joiner {
            Joiner::NewUser {
                user,
                password_hash,
            } => {
                users::Entity::insert(users::ActiveModel {
                    id: Set(user.id.as_uuid()),
                    email: Set(user.email.to_string()),
                    password_hash: Set(password_hash.clone()),
                    display_name: Set(user.display_name.clone()),
                    locale: Set(user.locale.code().to_owned()),
                    is_platform_admin: Set(false),
                    created_at: Set(now),
                })
                .exec_without_returning(&txn)
                .await
                .map_err(|e| conflict_or_internal(e, "email"))?;
                user.id
            }
            Joiner::Existing(id) => *id,
        };
        add_member(&txn, ctx, user, inv.role, now).await?;
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }
}
