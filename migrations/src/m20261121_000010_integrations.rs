//! POS integrations (secrets sealed at rest) and their inbound event log. An
//! endpoint URL names only the integration, so a transaction that sets
//! `app.integration_id` may read that one integration to learn its tenant.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::a;
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000010_integrations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("integrations"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(string_len(a("kind"), 16))
                .col(string_len(a("name"), 100))
                .col(uuid(a("location_id")))
                .col(boolean(a("active")))
                .col(text(a("secret_sealed")))
                .col(text_null(a("previous_secret_sealed")))
                .col(timestamp_with_time_zone_null(a("previous_valid_until")))
                .col(timestamp_with_time_zone(a("secret_rotated_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("integrations"), a("tenant_id"))
                        .to(a("tenants"), a("id")),
                )
                .to_owned(),
        )
        .await?;
        // The endpoint lookup is by id alone.
        m.create_index(
            Index::create()
                .name("integrations_id")
                .table(a("integrations"))
                .col(a("id"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("inbound_events"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(uuid(a("integration_id")))
                .col(string_len(a("kind"), 64))
                .col(string_len_null(a("external_id"), 200))
                .col(string_len_null(a("fingerprint"), 128))
                .col(text(a("payload")))
                .col(string_len(a("status"), 16))
                .col(text_null(a("error")))
                .col(uuid_null(a("check_id")))
                .col(timestamp_with_time_zone(a("received_at")))
                .col(timestamp_with_time_zone_null(a("processed_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("inbound_events"), a("tenant_id"))
                        .to(a("tenants"), a("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("inbound_events_log")
                .table(a("inbound_events"))
                .col(a("tenant_id"))
                .col(a("integration_id"))
                .col(a("id"))
                .to_owned(),
        )
        .await?;
        // One accepted event per external id; conflicts and refusals are logged beside it.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX inbound_events_external ON inbound_events \
                 (tenant_id, integration_id, external_id) \
                 WHERE external_id IS NOT NULL AND status NOT IN ('conflict', 'rejected')",
            )
            .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            let mut sql = rls::tenant_policy("integrations", "tenant_id");
            sql.push(
                "CREATE POLICY integration_endpoint ON integrations FOR SELECT \
                 USING (id::text = current_setting('app.integration_id', true))"
                    .to_owned(),
            );
            sql.push(rls::grant("integrations", "SELECT, INSERT, UPDATE"));
            sql.extend(rls::tenant_policy("inbound_events", "tenant_id"));
            sql.push(rls::grant("inbound_events", "SELECT, INSERT, UPDATE"));
            rls::exec_all(m, &sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["inbound_events", "integrations"] {
            m.drop_table(Table::drop().table(a(t)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
