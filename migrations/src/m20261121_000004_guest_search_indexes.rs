//! PostgreSQL: prefix searches (`LIKE 'abc%'`) on phone endings and names can
//! use a B-tree index only with `text_pattern_ops` under a non-C collation.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000004_guest_search_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            rls::exec_all(
                m,
                &[
                    "CREATE INDEX guests_tenant_phone_rev_prefix ON guests (tenant_id, phone_rev text_pattern_ops)".into(),
                    "CREATE INDEX guests_tenant_name_prefix ON guests (tenant_id, name_lower text_pattern_ops)".into(),
                ],
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            rls::exec_all(
                m,
                &[
                    "DROP INDEX IF EXISTS guests_tenant_phone_rev_prefix".into(),
                    "DROP INDEX IF EXISTS guests_tenant_name_prefix".into(),
                ],
            )
            .await?;
        }
        Ok(())
    }
}
