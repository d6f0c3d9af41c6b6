//! Password-reset tokens: global like `users` and `login_attempts` (a person
//! spans tenants and asks before any tenant is known), so no row-level
//! security; stored as SHA-256 digests, single use, expiring.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::a;
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000011_password_resets"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("password_resets"))
                .col(pk_uuid(a("id")))
                .col(uuid(a("user_id")))
                .col(string_len_uniq(a("token_hash"), 128))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone_null(a("used_at")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("password_resets"), a("user_id"))
                        .to(a("users"), a("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("password_resets_user")
                .table(a("password_resets"))
                .col(a("user_id"))
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            // Like the other global tables (`users`, `login_attempts`): granted,
            // no tenant policy. Rows are never deleted by the application.
            let sql = vec![rls::grant("password_resets", "SELECT, INSERT, UPDATE")];
            rls::exec_all(m, &sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(a("password_resets"))
                .if_exists()
                .to_owned(),
        )
        .await
    }
}
