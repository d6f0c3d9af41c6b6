//! Ledger entries name the partner API key that caused them (beside the staff
//! user of `actor_id`), so a balance change made by a partner app is traceable
//! to its key.

use sea_orm_migration::prelude::*;

use crate::common::a;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000015_ledger_api_key"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("ledger_entries"))
                .add_column(ColumnDef::new(a("api_key_id")).uuid().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("ledger_entries"))
                .drop_column(a("api_key_id"))
                .to_owned(),
        )
        .await
    }
}
