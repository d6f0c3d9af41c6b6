//! Scheduled jobs fan out per tenant: a transaction that sets `app.directory`
//! may list tenants (the job runner reads only their ids).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::rls;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000007_tenant_directory"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            rls::exec_all(
                m,
                &["CREATE POLICY tenant_directory ON tenants FOR SELECT \
                   USING (current_setting('app.directory', true) = 'on')"
                    .to_owned()],
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            rls::exec_all(
                m,
                &["DROP POLICY IF EXISTS tenant_directory ON tenants".to_owned()],
            )
            .await?;
        }
        Ok(())
    }
}
