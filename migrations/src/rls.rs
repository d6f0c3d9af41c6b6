//! PostgreSQL row-level security and grants for the application role.
//!
//! The server connects as a login role that is a member of [`APP_ROLE`]: it is
//! not a superuser, has no BYPASSRLS and owns no table, so the policies below
//! always apply to it. Migrations run as the owner of the tables.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

/// The group role holding the application's privileges.
pub const APP_ROLE: &str = "maxloyalty_app";

/// The expression every policy compares `tenant_id` with.
pub const CURRENT_TENANT: &str = "NULLIF(current_setting('app.tenant_id', true), '')::uuid";
/// The user whose own memberships may be read at login.
pub const CURRENT_USER: &str = "NULLIF(current_setting('app.user_id', true), '')::uuid";

pub(crate) async fn exec_all(
    manager: &SchemaManager<'_>,
    statements: &[String],
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_raw(Statement::from_string(DbBackend::Postgres, sql.clone()))
            .await?;
    }
    Ok(())
}

/// Statements that create the application role if it is missing.
#[must_use]
pub fn ensure_app_role() -> String {
    format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN \
         CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$"
    )
}

/// Statements enabling and forcing RLS on a tenant table keyed by `column`.
#[must_use]
pub fn tenant_policy(table: &str, column: &str) -> Vec<String> {
    vec![
        format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"),
        format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"),
        format!(
            "CREATE POLICY tenant_isolation ON {table} USING ({column} = {CURRENT_TENANT}) \
             WITH CHECK ({column} = {CURRENT_TENANT})"
        ),
    ]
}

/// Grants of the application role on a table.
#[must_use]
pub fn grant(table: &str, privileges: &str) -> String {
    format!("GRANT {privileges} ON {table} TO {APP_ROLE}")
}
