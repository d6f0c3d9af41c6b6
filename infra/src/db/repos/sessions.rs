//! Refresh tokens: single use, rotated, revoked by family.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::identity::StoreError;
use domain::identity::ports::{NewRefreshToken, SessionRepository, StoredRefreshToken};
use domain::{Ctx, RefreshTokenId, SessionId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{SqlStore, write_audit};
use crate::db::entities::refresh_tokens;
use crate::db::internal;
use domain::identity::AuditRecord;

async fn insert<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    t: &NewRefreshToken,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    refresh_tokens::Entity::insert(refresh_tokens::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        id: Set(t.id.as_uuid()),
        session_id: Set(t.session.as_uuid()),
        user_id: Set(t.user.as_uuid()),
        token_hash: Set(t.token_hash.clone()),
        expires_at: Set(t.expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(conn)
    .await
    .map_err(internal)?;
    Ok(())
}

#[async_trait]
impl SessionRepository for SqlStore {
    async fn start(
        &self,
        ctx: &Ctx,
        token: &NewRefreshToken,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        insert(&txn, ctx, token, self.now()).await?;
        write_audit(&txn, ctx, audit, self.now()).await?;
        txn.commit().await.map_err(internal)
    }

    async fn find(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<StoredRefreshToken>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(row.map(|r| StoredRefreshToken {
            id: RefreshTokenId::from_uuid(r.id),
            session: SessionId::from_uuid(r.session_id),
            user: UserId::from_uuid(r.user_id),
            expires_at: r.expires_at,
            used_at: r.used_at,
            revoked_at: r.revoked_at,
        }))
    }

    async fn rotate(
        &self,
        ctx: &Ctx,
        old: RefreshTokenId,
        next: &NewRefreshToken,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        // Conditional update: of two concurrent exchanges exactly one wins.
        let res = refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::UsedAt, Expr::value(Some(at)))
            .filter(refresh_tokens::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(refresh_tokens::Column::Id.eq(old.as_uuid()))
            .filter(refresh_tokens::Column::UsedAt.is_null())
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&txn)
            .await
            .map_err(internal)?;
        if res.rows_affected != 1 {
            txn.rollback().await.map_err(internal)?;
            return Ok(false);
        }
        insert(&txn, ctx, next, at).await?;
        txn.commit().await.map_err(internal)?;
        Ok(true)
    }

    async fn revoke_family(
        &self,
        ctx: &Ctx,
        session: SessionId,
        at: DateTime<Utc>,
        audit: Option<AuditRecord>,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(Some(at)))
            .filter(refresh_tokens::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(refresh_tokens::Column::SessionId.eq(session.as_uuid()))
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&txn)
            .await
            .map_err(internal)?;
        if let Some(audit) = audit {
            write_audit(&txn, ctx, audit, at).await?;
        }
        txn.commit().await.map_err(internal)
    }

    async fn revoke_user(
        &self,
        ctx: &Ctx,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(Some(at)))
            .filter(refresh_tokens::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(refresh_tokens::Column::UserId.eq(user.as_uuid()))
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)
    }
}
