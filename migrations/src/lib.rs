//! Database schema migrations, one per file, named by date and intent. Each runs
//! on SQLite and PostgreSQL; PostgreSQL additionally gets row-level security and
//! the grants of the application role.

pub use sea_orm_migration::prelude::*;

mod common;
mod m20261121_000001_identity;
mod m20261121_000002_loyalty;
mod m20261121_000003_telegram_bots;
mod m20261121_000004_guest_search_indexes;
mod m20261121_000005_promotions;
mod m20261121_000006_jobs;
mod m20261121_000007_tenant_directory;
mod m20261121_000008_api_keys;
mod m20261121_000009_webhooks;
mod m20261121_000010_integrations;
mod m20261121_000011_password_resets;
mod m20261121_000012_notifications;
mod m20261121_000013_iiko_api_login;
mod m20261121_000014_guest_language;
mod m20261121_000015_ledger_api_key;
mod m20261121_000016_jobs_claim_index;
mod m20261121_000017_inbound_events_external_lookup;
mod m20261121_000018_jobs_dedupe_index_not_null;
mod m20261121_000019_jobs_priority;
mod m20261121_000020_guest_name_words;
mod m20261122_000021_guest_last_visit;
mod m20261122_000022_backfills_as_owner;
pub mod rls;

/// All migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_identity::Migration),
            Box::new(m20261121_000002_loyalty::Migration),
            Box::new(m20261121_000003_telegram_bots::Migration),
            Box::new(m20261121_000004_guest_search_indexes::Migration),
            Box::new(m20261121_000005_promotions::Migration),
            Box::new(m20261121_000006_jobs::Migration),
            Box::new(m20261121_000007_tenant_directory::Migration),
            Box::new(m20261121_000008_api_keys::Migration),
            Box::new(m20261121_000009_webhooks::Migration),
            Box::new(m20261121_000010_integrations::Migration),
            Box::new(m20261121_000011_password_resets::Migration),
            Box::new(m20261121_000012_notifications::Migration),
            Box::new(m20261121_000013_iiko_api_login::Migration),
            Box::new(m20261121_000014_guest_language::Migration),
            Box::new(m20261121_000015_ledger_api_key::Migration),
            Box::new(m20261121_000016_jobs_claim_index::Migration),
            Box::new(m20261121_000017_inbound_events_external_lookup::Migration),
            Box::new(m20261121_000018_jobs_dedupe_index_not_null::Migration),
            Box::new(m20261121_000019_jobs_priority::Migration),
            Box::new(m20261121_000020_guest_name_words::Migration),
            Box::new(m20261122_000021_guest_last_visit::Migration),
            Box::new(m20261122_000022_backfills_as_owner::Migration),
        ]
    }
}
