//! Claiming jobs in O(batch) instead of O(backlog). The claim takes due queued
//! jobs and expired running ones, `ORDER BY run_at, id LIMIT n`; with only
//! `(status, run_at)` PostgreSQL answers the two arms of its `OR` with a bitmap
//! scan of every due job and sorts them all to keep a few, so each claim got
//! slower as a backlog grew (thousands of POS events waiting). This partial
//! index is implied by both arms: the claim walks it in `(run_at, id)` order and
//! stops after `n` rows; finished jobs are not in it.

use sea_orm_migration::prelude::*;

use crate::common::exec;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000016_jobs_claim_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Same SQL on both backends; sea-query cannot express partial indexes.
        exec(
            m,
            &["CREATE INDEX jobs_pending_run_at ON jobs (run_at, id) \
               WHERE status IN ('queued', 'running')"],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec(m, &["DROP INDEX IF EXISTS jobs_pending_run_at"]).await
    }
}
