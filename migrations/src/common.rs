//! Small builders shared by the migrations (they never change what a migration creates).

use sea_orm_migration::prelude::*;

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
