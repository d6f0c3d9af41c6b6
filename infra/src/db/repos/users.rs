//! Users (global) and a user's memberships across tenants.

use async_trait::async_trait;
use domain::TenantId;
use domain::identity::ports::UserRepository;
use domain::identity::{Email, MembershipRef, StoreError, UserCredentials};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{SqlStore, parse_role, to_user};
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

    async fn memberships(&self, user: domain::UserId) -> Result<Vec<MembershipRef>, StoreError> {
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
}
