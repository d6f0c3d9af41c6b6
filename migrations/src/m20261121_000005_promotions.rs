//! Promotions and their grants (at most one per promotion and key), guests'
//! referrers and birthday keys, and the business's UTC offset.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::{a, tenant_fk};
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000005_promotions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("promotions"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(string_len(a("name"), 100))
                .col(string_len(a("kind"), 16))
                .col(text(a("rule")))
                .col(date_null(a("starts_on")))
                .col(date_null(a("ends_on")))
                .col(big_integer_null(a("budget")))
                .col(big_integer(a("granted")).default(0))
                .col(timestamp_with_time_zone_null(a("budget_exhausted_at")))
                .col(boolean(a("archived")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                // The cap is a rule of the database too.
                .check(Expr::cust(
                    "granted >= 0 AND (budget IS NULL OR granted <= budget)",
                ))
                .foreign_key(&mut tenant_fk("promotions"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("promotion_grants"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("promotion_id")))
                .col(string_len(a("once_key"), 200))
                .col(uuid(a("guest_id")))
                .col(big_integer(a("points")))
                .col(uuid_null(a("check_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .primary_key(
                    Index::create()
                        .col(a("tenant_id"))
                        .col(a("promotion_id"))
                        .col(a("once_key")),
                )
                .foreign_key(&mut tenant_fk("promotion_grants"))
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per statement.
        for (table, col) in [
            (
                "guests",
                ColumnDef::new(a("referred_by")).uuid().null().to_owned(),
            ),
            (
                "guests",
                ColumnDef::new(a("birthday_md"))
                    .small_integer()
                    .null()
                    .to_owned(),
            ),
            (
                "loyalty_settings",
                ColumnDef::new(a("utc_offset_minutes"))
                    .integer()
                    .not_null()
                    .default(180)
                    .to_owned(),
            ),
        ] {
            m.alter_table(Table::alter().table(a(table)).add_column(col).to_owned())
                .await?;
        }
        if m.get_database_backend() == DbBackend::Sqlite {
            m.get_connection()
                .execute_unprepared(
                    "UPDATE guests SET birthday_md = CAST(strftime('%m', birthday) AS INTEGER) * 100 \
                     + CAST(strftime('%d', birthday) AS INTEGER) WHERE birthday IS NOT NULL",
                )
                .await?;
        }
        m.create_index(
            Index::create()
                .name("guests_tenant_birthday_md")
                .table(a("guests"))
                .col(a("tenant_id"))
                .col(a("birthday_md"))
                .to_owned(),
        )
        .await?;
        // Reversing a check finds its entries (multiplier bonuses among them).
        m.create_index(
            Index::create()
                .name("ledger_entries_check")
                .table(a("ledger_entries"))
                .col(a("tenant_id"))
                .col(a("check_id"))
                .to_owned(),
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            let mut sql = vec![
                "UPDATE guests SET birthday_md = (EXTRACT(MONTH FROM birthday) * 100 \
                 + EXTRACT(DAY FROM birthday))::smallint WHERE birthday IS NOT NULL"
                    .to_owned(),
            ];
            sql.extend(rls::tenant_policy("promotions", "tenant_id"));
            sql.push(rls::grant("promotions", "SELECT, INSERT, UPDATE"));
            sql.extend(rls::tenant_policy("promotion_grants", "tenant_id"));
            // Grants are append-only for the application.
            sql.push(rls::grant("promotion_grants", "SELECT, INSERT"));
            rls::exec_all(m, &sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["promotion_grants", "promotions"] {
            m.drop_table(Table::drop().table(a(t)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
