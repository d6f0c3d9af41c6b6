//! iiko integrations keep the business's iikoCloud `apiLogin` (sealed with the
//! server key, like the integration's own secrets): an iiko webhook carries no
//! signature, so the worker fetches every order from iikoCloud before any
//! points effect.

use sea_orm_migration::prelude::*;

use crate::common::a;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000013_iiko_api_login"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("integrations"))
                .add_column(ColumnDef::new(a("iiko_api_login_sealed")).text().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("integrations"))
                .drop_column(a("iiko_api_login_sealed"))
                .to_owned(),
        )
        .await
    }
}
