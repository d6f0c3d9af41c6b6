//! Failed-login counters (global, keyed by a digest of the e-mail).

use async_trait::async_trait;
use domain::identity::StoreError;
use domain::identity::ports::{LoginThrottleStore, ThrottleState};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};

use super::SqlStore;
use crate::db::entities::login_attempts;
use crate::db::internal;

#[async_trait]
impl LoginThrottleStore for SqlStore {
    async fn get(&self, key: &str) -> Result<Option<ThrottleState>, StoreError> {
        let txn = self.db.global_tx().await?;
        let row = login_attempts::Entity::find_by_id(key.to_owned())
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(row.map(|r| ThrottleState {
            failures: u32::try_from(r.failures).unwrap_or(0),
            last_failure_at: r.last_failure_at,
            locked_until: r.locked_until,
        }))
    }

    async fn put(&self, key: &str, state: ThrottleState) -> Result<(), StoreError> {
        let txn = self.db.global_tx().await?;
        let row = login_attempts::ActiveModel {
            key: Set(key.to_owned()),
            failures: Set(i32::try_from(state.failures).unwrap_or(i32::MAX)),
            last_failure_at: Set(state.last_failure_at),
            locked_until: Set(state.locked_until),
        };
        login_attempts::Entity::insert(row)
            .on_conflict(
                OnConflict::column(login_attempts::Column::Key)
                    .update_columns([
                        login_attempts::Column::Failures,
                        login_attempts::Column::LastFailureAt,
                        login_attempts::Column::LockedUntil,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)
    }

    async fn clear(&self, key: &str) -> Result<(), StoreError> {
        let txn = self.db.global_tx().await?;
        login_attempts::Entity::delete_by_id(key.to_owned())
            .exec(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)
    }
}
