//! A tenant's Telegram bot: the token encrypted at rest (AES-256-GCM).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000003_telegram_bots"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("telegram_bots"))
                .col(uuid(Alias::new("tenant_id")).primary_key())
                .col(big_integer(Alias::new("bot_id")))
                .col(text(Alias::new("token_sealed")))
                .col(timestamp_with_time_zone(Alias::new("updated_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(Alias::new("telegram_bots"), Alias::new("tenant_id"))
                        .to(Alias::new("tenants"), Alias::new("id")),
                )
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            let mut sql = rls::tenant_policy("telegram_bots", "tenant_id");
            sql.push(rls::grant(
                "telegram_bots",
                "SELECT, INSERT, UPDATE, DELETE",
            ));
            rls::exec_all(m, &sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("telegram_bots"))
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
