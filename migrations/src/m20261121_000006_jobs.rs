//! The durable job queue (`jobs`) and its recurring schedules (`job_schedules`).
//! Both are system tables: workers claim across tenants, so there is no
//! row-level-security policy; the application role gets plain grants.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::common::a;
use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000006_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("jobs"))
                .col(uuid(a("id")).primary_key())
                .col(text(a("kind")))
                .col(uuid_null(a("tenant_id")))
                .col(text(a("payload")))
                .col(text(a("status")))
                .col(integer(a("attempts")))
                .col(integer(a("max_attempts")))
                .col(timestamp_with_time_zone(a("run_at")))
                .col(timestamp_with_time_zone_null(a("locked_until")))
                .col(text_null(a("locked_by")))
                .col(text_null(a("lease")))
                .col(text_null(a("last_error")))
                .col(text_null(a("dedupe_key")))
                .col(timestamp_with_time_zone(a("created_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .check(Expr::cust(
                    "status IN ('queued', 'running', 'done', 'dead') \
                     AND attempts >= 0 AND max_attempts >= 1",
                ))
                .to_owned(),
        )
        .await?;
        let backend = m.get_database_backend();
        let db = m.get_connection();
        // Same SQL on both backends; sea-query cannot express partial indexes.
        for sql in [
            // Claiming: due queued jobs and expired running ones, oldest first.
            "CREATE INDEX jobs_status_run_at ON jobs (status, run_at)",
            // A dedupe key is unique among jobs that have not finished.
            "CREATE UNIQUE INDEX jobs_pending_dedupe_key ON jobs (dedupe_key) \
             WHERE status IN ('queued', 'running')",
        ] {
            db.execute_raw(Statement::from_string(backend, sql)).await?;
        }

        m.create_table(
            Table::create()
                .table(a("job_schedules"))
                .col(text(a("name")).primary_key())
                .col(text(a("cron")))
                .col(text(a("kind")))
                .col(text(a("payload")))
                .col(timestamp_with_time_zone(a("next_run_at")))
                .col(timestamp_with_time_zone(a("updated_at")))
                .to_owned(),
        )
        .await?;

        if backend == DbBackend::Postgres {
            rls::exec_all(
                m,
                &[
                    rls::grant("jobs", "SELECT, INSERT, UPDATE, DELETE"),
                    rls::grant("job_schedules", "SELECT, INSERT, UPDATE, DELETE"),
                ],
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["job_schedules", "jobs"] {
            m.drop_table(Table::drop().table(a(table)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
