//! Outbound webhooks: endpoints (secrets sealed at rest, the previous one kept
//! through a rotation's overlap), the events sent to them (their exact body),
//! deliveries (one event to one endpoint) and every attempt of a delivery.
//! All four are tenant tables with row-level security; attempts and events are
//! append-only for the application role.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::{a, tenant_fk};
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000009_webhooks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("webhook_endpoints"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(text(a("url")))
                .col(text_null(a("description")))
                .col(text(a("event_types")))
                .col(boolean(a("enabled")))
                .col(text_null(a("disabled_reason")))
                .col(timestamp_with_time_zone_null(a("disabled_at")))
                .col(timestamp_with_time_zone_null(a("failing_since")))
                .col(text(a("secret_sealed")))
                .col(text_null(a("previous_secret_sealed")))
                .col(timestamp_with_time_zone_null(a(
                    "previous_secret_expires_at",
                )))
                .col(timestamp_with_time_zone(a("secret_rotated_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(&mut tenant_fk("webhook_endpoints"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("webhook_events"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(string_len(a("event_type"), 64))
                .col(timestamp_with_time_zone(a("occurred_at")))
                .col(text(a("body")))
                .col(timestamp_with_time_zone(a("created_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(&mut tenant_fk("webhook_events"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("webhook_deliveries"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(uuid(a("endpoint_id")))
                .col(uuid(a("event_id")))
                .col(string_len(a("event_type"), 64))
                .col(string_len(a("status"), 16))
                .col(integer(a("attempt_count")))
                .col(integer_null(a("last_status_code")))
                .col(text_null(a("last_error")))
                .col(timestamp_with_time_zone_null(a("next_attempt_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("webhook_deliveries"), (a("tenant_id"), a("endpoint_id")))
                        .to(a("webhook_endpoints"), (a("tenant_id"), a("id"))),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("webhook_deliveries"), (a("tenant_id"), a("event_id")))
                        .to(a("webhook_events"), (a("tenant_id"), a("id"))),
                )
                .check(Expr::cust(
                    "status IN ('pending', 'succeeded', 'failed', 'cancelled') \
                     AND attempt_count >= 0",
                ))
                .to_owned(),
        )
        .await?;
        // The delivery log of an endpoint, and the deliveries of an event.
        for (name, cols) in [
            ("webhook_deliveries_log", ["tenant_id", "endpoint_id", "id"]),
            ("webhook_deliveries_event", ["tenant_id", "event_id", "id"]),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(a("webhook_deliveries"));
            for c in cols {
                idx.col(a(c));
            }
            m.create_index(idx.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(a("webhook_attempts"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(uuid(a("delivery_id")))
                .col(integer(a("number")))
                .col(timestamp_with_time_zone(a("attempted_at")))
                .col(integer_null(a("status_code")))
                .col(big_integer(a("latency_ms")))
                .col(text_null(a("response_excerpt")))
                .col(text_null(a("error")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("webhook_attempts"), (a("tenant_id"), a("delivery_id")))
                        .to(a("webhook_deliveries"), (a("tenant_id"), a("id"))),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("webhook_attempts_delivery")
                .table(a("webhook_attempts"))
                .col(a("tenant_id"))
                .col(a("delivery_id"))
                .col(a("number"))
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            let mut sql = Vec::new();
            for (table, privileges) in [
                ("webhook_endpoints", "SELECT, INSERT, UPDATE"),
                ("webhook_events", "SELECT, INSERT"),
                ("webhook_deliveries", "SELECT, INSERT, UPDATE"),
                ("webhook_attempts", "SELECT, INSERT"),
            ] {
                sql.extend(rls::tenant_policy(table, "tenant_id"));
                sql.push(rls::grant(table, privileges));
            }
            rls::exec_all(m, &sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "webhook_attempts",
            "webhook_deliveries",
            "webhook_events",
            "webhook_endpoints",
        ] {
            m.drop_table(Table::drop().table(a(t)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
