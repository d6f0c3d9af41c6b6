//! Keeps the planner off the dedupe index for everything but dedupe lookups.
//! `jobs_pending_dedupe_key` was partial on `status IN ('queued', 'running')`,
//! so any query naming a pending status could use it, and during a burst of
//! enqueues (statistics still saying "almost no pending jobs") PostgreSQL did:
//! the claim read every pending job through it and sorted them, and even
//! `UPDATE … WHERE id = $1 AND lease = $2 AND status = 'running'` scanned
//! thousands of entries instead of the primary key. Adding
//! `dedupe_key IS NOT NULL` to its predicate (NULL keys never conflict anyway)
//! leaves it to the lookups that name a key.

use sea_orm_migration::prelude::*;

use crate::common::exec;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000018_jobs_dedupe_index_not_null"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec(
            m,
            &[
                "DROP INDEX IF EXISTS jobs_pending_dedupe_key",
                "CREATE UNIQUE INDEX jobs_pending_dedupe_key ON jobs (dedupe_key) \
                 WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running')",
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec(
            m,
            &[
                "DROP INDEX IF EXISTS jobs_pending_dedupe_key",
                "CREATE UNIQUE INDEX jobs_pending_dedupe_key ON jobs (dedupe_key) \
                 WHERE status IN ('queued', 'running')",
            ],
        )
        .await
    }
}
