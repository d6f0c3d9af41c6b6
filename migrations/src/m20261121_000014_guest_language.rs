//! A recipient's language for notifications. Staff read theirs from their
//! profile; a guest has no profile, so the Mini App records the guest's
//! language here (from Telegram's `language_code`, or the guest's choice).

use sea_orm_migration::prelude::*;

use crate::common::a;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000014_guest_language"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("notification_preferences"))
                .add_column(ColumnDef::new(a("locale")).string_len(2).null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("notification_preferences"))
                .drop_column(a("locale"))
                .to_owned(),
        )
        .await
    }
}
