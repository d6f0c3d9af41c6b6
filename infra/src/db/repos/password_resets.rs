//! Password-reset tokens (global, by digest; single use through a conditional update).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::Ctx;
use domain::UserId;
use domain::identity::ports::{NewPasswordReset, PasswordResetRepository, StoredPasswordReset};
use domain::identity::{AuditRecord, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{SqlStore, stored_email, write_audit};
use crate::db::entities::{password_resets, users};
use crate::db::internal;

#[async_trait]
impl PasswordResetRepository for SqlStore {
    async fn create(&self, reset: &NewPasswordReset) -> Result<(), StoreError> {
        let txn = self.db.global_tx().await?;
        password_resets::Entity::insert(password_resets::ActiveModel {
            id: Set(reset.id),
            user_id: Set(reset.user.as_uuid()),
            token_hash: Set(reset.token_hash.clone()),
            created_at: Set(reset.created_at),
            expires_at: Set(reset.expires_at),
            used_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        txn.commit().await.map_err(internal)
    }

    async fn find(&self, token_hash: &str) -> Result<Option<StoredPasswordReset>, StoreError> {
        let txn = self.db.global_tx().await?;
        let row = password_resets::Entity::find()
            .filter(password_resets::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await
            .map_err(internal)?;
        let Some(row) = row else {
            txn.commit().await.map_err(internal)?;
            return Ok(None);
        };
        let user = users::Entity::find_by_id(row.user_id)
            .one(&txn)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await.map_err(internal)?;
        Ok(Some(StoredPasswordReset {
            id: row.id,
            user: UserId::from_uuid(row.user_id),
            email: stored_email(&user.email)?,
            expires_at: row.expires_at,
            used_at: row.used_at,
        }))
    }

    async fn complete(
        &self,
        ctx: &Ctx,
        id: Uuid,
        password_hash: &str,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<bool, StoreError> {
        // A tenant transaction: the audit record goes to the person's business.
        let txn = self.db.tenant_tx(ctx).await?;
        let used = password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::value(at))
            .filter(password_resets::Column::Id.eq(id))
            .filter(password_resets::Column::UsedAt.is_null())
            .filter(password_resets::Column::ExpiresAt.gt(at))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if used.rows_affected != 1 {
            txn.rollback().await.map_err(internal)?;
            return Ok(false);
        }
        let user = password_resets::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)?
            .user_id;
        let res = users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
            .filter(users::Column::Id.eq(user))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        write_audit(&txn, ctx, audit, self.now()).await?;
        txn.commit().await.map_err(internal)?;
        Ok(true)
    }
}
