//! Job priorities. A job gets a `priority` rank (0 interactive, 1 normal; see
//! `domain::jobs::JobPriority`) and the claim orders due jobs by
//! `(priority, run_at, id)`. Without it, after a burst of POS deliveries the
//! next guest's check waited behind every webhook fan-out and notification the
//! burst had enqueued (first in, first out across kinds). The claim's partial
//! index moves to that order, so a claim still walks it and stops after its
//! batch; existing jobs become normal.

use sea_orm_migration::prelude::*;

use crate::common::exec;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000019_jobs_priority"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Same SQL on both backends; sea-query cannot express partial indexes.
        exec(
            m,
            &[
                "ALTER TABLE jobs ADD COLUMN priority SMALLINT NOT NULL DEFAULT 1 \
                 CHECK (priority IN (0, 1))",
                "DROP INDEX IF EXISTS jobs_pending_run_at",
                "CREATE INDEX jobs_pending_claim ON jobs (priority, run_at, id) \
                 WHERE status IN ('queued', 'running')",
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec(
            m,
            &[
                "DROP INDEX IF EXISTS jobs_pending_claim",
                "CREATE INDEX jobs_pending_run_at ON jobs (run_at, id) \
                 WHERE status IN ('queued', 'running')",
                "ALTER TABLE jobs DROP COLUMN priority",
            ],
        )
        .await
    }
}
