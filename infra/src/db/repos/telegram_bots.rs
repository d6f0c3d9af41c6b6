//! Tenants' Telegram bot tokens, sealed at rest.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::Ctx;
use domain::identity::{AuditRecord, StoreError};
use domain::loyalty::ports::{TelegramBotInfo, TelegramBotVault};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};

use super::write_audit;
use crate::db::entities::telegram_bots;
use crate::db::{Db, internal};
use crate::secret_box::SecretBox;

/// The [`TelegramBotVault`] over the database and a [`SecretBox`].
pub struct SqlBotVault {
    db: Db,
    sealer: Arc<SecretBox>,
    clock: Arc<dyn domain::ports::Clock>,
}

impl SqlBotVault {
    /// A vault sealing with `sealer`.
    #[must_use]
    pub fn new(db: Db, sealer: Arc<SecretBox>, clock: Arc<dyn domain::ports::Clock>) -> Self {
        Self { db, sealer, clock }
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

#[async_trait]
impl TelegramBotVault for SqlBotVault {
    async fn set(
        &self,
        ctx: &Ctx,
        bot_id: i64,
        token: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let sealed = self
            .sealer
            .seal(token, &ctx.tenant().to_string())
            .map_err(|e| StoreError::Internal(e.to_string()))?;
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        telegram_bots::Entity::insert(telegram_bots::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            bot_id: Set(bot_id),
            token_sealed: Set(sealed),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(telegram_bots::Column::TenantId)
                .update_columns([
                    telegram_bots::Column::BotId,
                    telegram_bots::Column::TokenSealed,
                    telegram_bots::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn token(&self, ctx: &Ctx) -> Result<Option<String>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = telegram_bots::Entity::find_by_id(ctx.tenant().as_uuid())
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        row.map(|r| {
            self.sealer
                .open(&r.token_sealed, &ctx.tenant().to_string())
                .map_err(|e| StoreError::Internal(e.to_string()))
        })
        .transpose()
    }

    async fn info(&self, ctx: &Ctx) -> Result<Option<TelegramBotInfo>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = telegram_bots::Entity::find_by_id(ctx.tenant().as_uuid())
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(row.map(|r| TelegramBotInfo {
            bot_id: r.bot_id,
            updated_at: r.updated_at,
        }))
    }
}
