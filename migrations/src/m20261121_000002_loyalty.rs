//! Loyalty: settings, levels, guests, accounts (running balance), the
//! append-only ledger, lots, holds, checks and idempotency keys.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::{a, tenant_fk};
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000002_loyalty"
    }
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("loyalty_settings"))
                .col(uuid(a("tenant_id")).primary_key())
                .col(integer_null(a("expiry_days")))
                .col(string_len(a("spend_basis"), 16))
                .col(big_integer(a("point_value_minor")))
                .col(integer(a("hold_ttl_secs")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .foreign_key(&mut tenant_fk("loyalty_settings"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("levels"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(string_len(a("name"), 100))
                .col(big_integer(a("threshold_minor")))
                .col(integer(a("cashback_bp")))
                .col(integer(a("max_redeem_bp")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .check(Expr::cust("threshold_minor >= 0 AND cashback_bp BETWEEN 0 AND 10000 AND max_redeem_bp BETWEEN 0 AND 10000"))
                .foreign_key(&mut tenant_fk("levels"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "levels_tenant_threshold",
            "levels",
            &["tenant_id", "threshold_minor"],
            true,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("guests"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(string_len_null(a("phone"), 16))
                .col(string_len_null(a("phone_rev"), 16))
                .col(string_len_null(a("name"), 200))
                .col(string_len_null(a("name_lower"), 200))
                .col(date_null(a("birthday")))
                .col(string_len_null(a("email"), 254))
                .col(big_integer_null(a("telegram_id")))
                .col(boolean(a("marketing_consent")))
                .col(text(a("tags")))
                .col(string_len(a("card_code"), 16))
                .col(string_len(a("qr"), 64))
                .col(uuid_null(a("level_id")))
                .col(big_integer(a("lifetime_spend_minor")))
                .col(boolean(a("forgotten")))
                .col(timestamp_with_time_zone(a("created_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .foreign_key(&mut tenant_fk("guests"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "guests_tenant_phone",
            "guests",
            &["tenant_id", "phone"],
            true,
        )
        .await?;
        index(
            m,
            "guests_tenant_telegram",
            "guests",
            &["tenant_id", "telegram_id"],
            true,
        )
        .await?;
        index(
            m,
            "guests_tenant_card",
            "guests",
            &["tenant_id", "card_code"],
            true,
        )
        .await?;
        index(m, "guests_tenant_qr", "guests", &["tenant_id", "qr"], true).await?;
        index(
            m,
            "guests_tenant_phone_rev",
            "guests",
            &["tenant_id", "phone_rev"],
            false,
        )
        .await?;
        index(
            m,
            "guests_tenant_name",
            "guests",
            &["tenant_id", "name_lower"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("accounts"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("guest_id")))
                .col(big_integer(a("balance")))
                .col(big_integer(a("held")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("guest_id")))
                // The rule of the ledger, backed by the database: never negative,
                // never more held than owned.
                .check(Expr::cust("balance >= 0 AND held >= 0 AND held <= balance"))
                .foreign_key(&mut tenant_fk("accounts"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("ledger_entries"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(uuid(a("guest_id")))
                .col(string_len(a("kind"), 24))
                .col(big_integer(a("amount")))
                .col(big_integer(a("held_delta")))
                .col(big_integer(a("balance_after")))
                .col(uuid_null(a("check_id")))
                .col(uuid_null(a("hold_id")))
                .col(string_len_null(a("reason"), 600))
                .col(uuid_null(a("actor_id")))
                .col(timestamp_with_time_zone(a("created_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .check(Expr::cust("balance_after >= 0"))
                .foreign_key(&mut tenant_fk("ledger_entries"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ledger_entries_guest",
            "ledger_entries",
            &["tenant_id", "guest_id", "id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("lots"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(uuid(a("guest_id")))
                .col(uuid(a("entry_id")))
                .col(big_integer(a("initial")))
                .col(big_integer(a("remaining")))
                .col(timestamp_with_time_zone_null(a("expires_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .check(Expr::cust("remaining >= 0 AND remaining <= initial"))
                .foreign_key(&mut tenant_fk("lots"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "lots_guest_open",
            "lots",
            &["tenant_id", "guest_id", "remaining"],
            false,
        )
        .await?;
        index(
            m,
            "lots_expiry",
            "lots",
            &["tenant_id", "expires_at"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("holds"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(uuid(a("guest_id")))
                .col(big_integer(a("amount")))
                .col(string_len(a("status"), 16))
                .col(timestamp_with_time_zone(a("expires_at")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone_null(a("resolved_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .check(Expr::cust("amount > 0"))
                .foreign_key(&mut tenant_fk("holds"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "holds_pending_expiry",
            "holds",
            &["tenant_id", "status", "expires_at"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("checks"))
                .col(uuid(a("tenant_id")))
                .col(uuid(a("id")))
                .col(uuid(a("guest_id")))
                .col(uuid(a("location_id")))
                .col(string_len(a("source"), 64))
                .col(string_len(a("external_id"), 128))
                .col(big_integer(a("total_minor")))
                .col(big_integer(a("paid_minor")))
                .col(big_integer(a("redeemed")))
                .col(big_integer(a("earned")))
                .col(boolean(a("reversed")))
                .col(timestamp_with_time_zone(a("created_at")))
                .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
                .check(Expr::cust(
                    "total_minor > 0 AND redeemed >= 0 AND earned >= 0",
                ))
                .foreign_key(&mut tenant_fk("checks"))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "checks_tenant_source_external",
            "checks",
            &["tenant_id", "source", "external_id"],
            true,
        )
        .await?;
        index(
            m,
            "checks_guest_time",
            "checks",
            &["tenant_id", "guest_id", "created_at"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("idempotency_keys"))
                .col(uuid(a("tenant_id")))
                .col(string_len(a("scope"), 80))
                .col(string_len(a("key"), 128))
                .col(string_len(a("fingerprint"), 128))
                .col(text_null(a("result")))
                .col(timestamp_with_time_zone(a("created_at")))
                .primary_key(
                    Index::create()
                        .col(a("tenant_id"))
                        .col(a("scope"))
                        .col(a("key")),
                )
                .foreign_key(&mut tenant_fk("idempotency_keys"))
                .to_owned(),
        )
        .await?;

        if m.get_database_backend() == DbBackend::Postgres {
            let mut sql = Vec::new();
            let tables = [
                "loyalty_settings",
                "levels",
                "guests",
                "accounts",
                "ledger_entries",
                "lots",
                "holds",
                "checks",
                "idempotency_keys",
            ];
            for t in tables {
                sql.extend(rls::tenant_policy(t, "tenant_id"));
            }
            for t in [
                "loyalty_settings",
                "levels",
                "guests",
                "accounts",
                "lots",
                "holds",
                "checks",
                "idempotency_keys",
            ] {
                sql.push(rls::grant(t, "SELECT, INSERT, UPDATE, DELETE"));
            }
            // The ledger is append-only: mistakes are reversed by new entries.
            sql.push(rls::grant("ledger_entries", "SELECT, INSERT"));
            rls::exec_all(m, &sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "idempotency_keys",
            "checks",
            "holds",
            "lots",
            "ledger_entries",
            "accounts",
            "guests",
            "levels",
            "loyalty_settings",
        ] {
            m.drop_table(Table::drop().table(a(t)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
