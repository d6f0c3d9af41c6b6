//! Small builders shared by the migrations (they never change what a migration creates).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::Statement;

/// An identifier.
pub(crate) fn a(s: &str) -> Alias {
    Alias::new(s)
}

/// `table.tenant_id` references `tenants.id`.
pub(crate) fn tenant_fk(table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(a(table), a("tenant_id"))
        .to(a("tenants"), a("id"))
        .to_owned()
}

/// Runs `statements` in order, as written, on the migration's backend: for SQL
/// that is the same on SQLite and PostgreSQL but that sea-query cannot express
/// (partial indexes, column checks).
pub(crate) async fn exec(m: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let backend = m.get_database_backend();
    for sql in statements {
        m.get_connection()
            .execute_raw(Statement::from_string(backend, *sql))
            .await?;
    }
    Ok(())
}
