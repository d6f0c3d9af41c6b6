//! Notifications: the centre of each staff user and guest, their channel
//! preferences (and whether the business's bot was blocked by a guest's chat),
//! and one delivery row per (notification, channel) so a message is sent at
//! most once even when its job runs twice. All three are tenant tables with
//! row-level security.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::{a, tenant_fk};
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000012_notifications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("notifications"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(string_len(a("recipient_kind"), 8))
                .col(uuid(a("recipient_id")))
                .col(string_len(a("kind"), 32))
                .col(text(a("data")))
                // Shown in the centre (the recipient's in-app choice when it was created).
                .col(boolean(a("visible")))
                // What caused it, per recipient: a second run creates nothing.
                .col(string_len(a("dedupe_key"), 200))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("read_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(&mut tenant_fk("notifications"))
                .check(Expr::cust("recipient_kind IN ('staff', 'guest')"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notifications_dedupe")
                .table(a("notifications"))
                .col(a("tenant_id"))
                .col(a("dedupe_key"))
                .unique()
                .to_owned(),
        )
        .await?;
        // A recipient's centre, newest first (ids are time-ordered).
        m.create_index(
            Index::create()
                .name("notifications_centre")
                .table(a("notifications"))
                .col(a("tenant_id"))
                .col(a("recipient_id"))
                .col(a("id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("notification_preferences"))
                .col(uuid(a("tenant_id")))
                .col(string_len(a("recipient_kind"), 8))
                .col(uuid(a("recipient_id")))
                .col(boolean(a("in_app")))
                .col(boolean(a("email")))
                .col(boolean(a("telegram")))
                .col(timestamp_with_time_zone_null(a("telegram_blocked_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .primary_key(
                    Index::create()
                        .col(a("tenant_id"))
                        .col(a("recipient_kind"))
                        .col(a("recipient_id")),
                )
                .foreign_key(&mut tenant_fk("notification_preferences"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("notification_deliveries"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("notification_id")))
                .col(string_len(a("channel"), 16))
                .col(string_len(a("status"), 16))
                .col(integer(a("attempts")))
                .col(timestamp_with_time_zone_null(a("claimed_until")))
                .col(text_null(a("last_error")))
                .col(timestamp_with_time_zone_null(a("sent_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .primary_key(
                    Index::create()
                        .col(a("tenant_id"))
                        .col(a("notification_id"))
                        .col(a("channel")),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            a("notification_deliveries"),
                            (a("tenant_id"), a("notification_id")),
                        )
                        .to(a("notifications"), (a("tenant_id"), a("id"))),
                )
                .check(Expr::cust(
                    "status IN ('pending', 'sending', 'sent', 'skipped', 'failed') \
                     AND channel IN ('email', 'telegram') AND attempts >= 0",
                ))
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            let mut sql = Vec::new();
            for (table, privileges) in [
                ("notifications", "SELECT, INSERT, UPDATE"),
                ("notification_preferences", "SELECT, INSERT, UPDATE"),
                ("notification_deliveries", "SELECT, INSERT, UPDATE"),
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
            "notification_deliveries",
            "notification_preferences",
            "notifications",
        ] {
            m.drop_table(Table::drop().table(a(t)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
