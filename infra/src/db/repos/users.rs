//! Users (global) and a user's memberships across tenants.

use async_trait::async_trait;
use domain::identity::ports::UserRepository;
use domain::identity::{AuditRecord, Locale, User};
use domain::identity::{Email, MembershipRef, StoreError, UserCredentials};
use domain::{Ctx, TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{SqlStore, parse_role, to_user, write_audit};
use crate::db::entities::{memberships, users};
use crate::db::internal;

#[async_trait]
impl UserRepository for SqlStore {
    async fn find_by_email(&self, email: &Email) -> Result<Option<UserCredentials>, StoreError> {
        let txn = self.db.global_tx().await?;
        let row = users::Entity::find()
            .filter(users::Column::Email.eq(email.as_ref()))
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        row.map(|m| {
            let hash = m.password_hash.clone();
            to_user(m).map(|user| UserCredentials {
                user,
                password_hash: hash,
            })
        })
        .transpose()
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<MembershipRef>, StoreError> {
        let txn = self.db.user_tx(user).await?;
        let rows = memberships::Entity::find()
            .filter(memberships::Column::UserId.eq(user.as_uuid()))
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        rows.into_iter()
            .map(|m| {
                Ok(MembershipRef {
                    tenant: TenantId::from_uuid(m.tenant_id),
                    role: parse_role(&m.role)?,
                    active: m.active,
                    joined_at: m.created_at,
                })
            })
            .collect()
    }

    async fn update_profile(
        &self,
        ctx: &Ctx,
        user: UserId,
        display_name: &str,
        locale: Locale,
        audit: AuditRecord,
    ) -> Result<User, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let res = users::Entity::update_many()
            .col_expr(users::Column::DisplayName, Expr::value(display_name))
            .col_expr(users::Column::Locale, Expr::value(locale.code()))
            .filter(users::Column::Id.eq(user.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        write_audit(&txn, ctx, audit, self.now()).await?;
        let row = users::Entity::find_by_id(user.as_uuid())
            .one(&txn)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await.map_err(internal)?;
        to_user(row)
    }

    async fn set_password(
        &self,
        ctx: &Ctx,
        user: UserId,
        password_hash: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let res = users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
            .filter(users::Column::Id.eq(user.as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        write_audit(&txn, ctx, audit, self.now()).await?;
        txn.commit().await.map_err(internal)
    }
}
