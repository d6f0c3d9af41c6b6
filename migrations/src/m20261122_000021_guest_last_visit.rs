//! When a guest last came (their latest check): a guest search by phone
//! ending shows the most recent visitor first, the one most likely standing
//! at the till. Written by the check's own update of the guest's spend (no
//! statement more per check) and not indexed (a phone ending matches a few
//! guests, sorted after the index found them), so checks pay nothing for it.
//! Guests from before this migration get their last visit from migration
//! `022` (their latest check).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::common::a;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000021_guest_last_visit"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("guests"))
                .add_column(timestamp_with_time_zone_null(a("last_visit_at")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(a("guests"))
                .drop_column(a("last_visit_at"))
                .to_owned(),
        )
        .await
    }
}
