//! Partner API keys (stored as SHA-256 digests; their scopes are casbin rules
//! granted to `apikey:<id>`), and the audit log's link to the key that acted.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::a;
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000008_api_keys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("api_keys"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(string_len(a("name"), 100))
                .col(string_len(a("prefix"), 32))
                .col(string_len(a("token_hash"), 128))
                // Permission keys separated by spaces, for the list (the policy
                // store holds the rules that are enforced).
                .col(text(a("scopes")))
                .col(uuid_null(a("created_by_user_id")))
                .col(uuid_null(a("created_by_key_id")))
                .col(string_len_null(a("created_by_label"), 254))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("last_used_at")))
                .col(timestamp_with_time_zone_null(a("revoked_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("api_keys"), a("tenant_id"))
                        .to(a("tenants"), a("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("api_keys_token_hash")
                .table(a("api_keys"))
                .col(a("tenant_id"))
                .col(a("token_hash"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(a("audit_log"))
                .add_column(uuid_null(a("api_key_id")))
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            let mut sql = rls::tenant_policy("api_keys", "tenant_id");
            sql.push(rls::grant("api_keys", "SELECT, INSERT, UPDATE"));
            rls::exec_all(m, &sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("audit_log"))
                .drop_column(a("api_key_id"))
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(a("api_keys")).if_exists().to_owned())
            .await
    }
}
