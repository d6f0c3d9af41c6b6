//! Finding the accepted event of an external id without walking the whole
//! integration's log. The lookup's status filter arrives as bound parameters,
//! so once PostgreSQL switches the prepared statement to a generic plan it
//! cannot prove the predicate of the partial unique index
//! `inbound_events_external` and fell back to `inbound_events_log`
//! (tenant, integration, id): every delivery read all of its integration's
//! events so far (about 350 rows per lookup after a few thousand checks). A
//! plain index on the same columns serves every plan.

use sea_orm_migration::prelude::*;

use crate::common::a;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000017_inbound_events_external_lookup"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("inbound_events_by_external_id")
                .table(a("inbound_events"))
                .col(a("tenant_id"))
                .col(a("integration_id"))
                .col(a("external_id"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("inbound_events_by_external_id")
                .table(a("inbound_events"))
                .to_owned(),
        )
        .await
    }
}
