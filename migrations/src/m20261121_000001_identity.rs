//! Identity: tenants, users, memberships, locations, invitations, refresh tokens,
//! login throttling, casbin policy rules and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::common::a;
use crate::rls::{self, APP_ROLE, CURRENT_TENANT, CURRENT_USER};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261121_000001_identity"
    }
}

fn tenant_pk(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table.primary_key(Index::create().col(a("tenant_id")).col(a("id")))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(a("tenants"))
                    .col(pk_uuid(a("id")))
                    .col(string_len(a("name"), 200))
                    .col(string_len(a("currency"), 3))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("users"))
                    .col(pk_uuid(a("id")))
                    .col(string_len_uniq(a("email"), 254))
                    .col(string(a("password_hash")))
                    .col(string_len(a("display_name"), 200))
                    .col(string_len(a("locale"), 8))
                    .col(boolean(a("is_platform_admin")).default(false))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("memberships"))
                    .col(uuid(a("tenant_id")))
                    .col(uuid(a("user_id")))
                    .col(string_len(a("role"), 32))
                    .col(boolean(a("active")))
                    .col(timestamp_with_time_zone(a("created_at")))
                    .primary_key(Index::create().col(a("tenant_id")).col(a("user_id")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(a("memberships"), a("tenant_id"))
                            .to(a("tenants"), a("id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(a("memberships"), a("user_id"))
                            .to(a("users"), a("id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("memberships_user")
                    .table(a("memberships"))
                    .col(a("user_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_pk(
                    Table::create()
                        .table(a("locations"))
                        .col(uuid(a("tenant_id")))
                        .col(uuid(a("id")))
                        .col(string_len(a("name"), 200))
                        .col(string_len_null(a("address"), 400))
                        .col(string_len(a("timezone"), 64))
                        .col(timestamp_with_time_zone(a("created_at")))
                        .foreign_key(
                            ForeignKey::create()
                                .from(a("locations"), a("tenant_id"))
                                .to(a("tenants"), a("id")),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("locations_tenant_name")
                    .table(a("locations"))
                    .col(a("tenant_id"))
                    .col(a("name"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_pk(
                    Table::create()
                        .table(a("invitations"))
                        .col(uuid(a("tenant_id")))
                        .col(uuid(a("id")))
                        .col(string_len(a("email"), 254))
                        .col(string_len(a("role"), 32))
                        .col(string_len(a("token_hash"), 128))
                        .col(string_len(a("status"), 16))
                        .col(uuid_null(a("invited_by")))
                        .col(timestamp_with_time_zone(a("expires_at")))
                        .col(timestamp_with_time_zone(a("created_at")))
                        .foreign_key(
                            ForeignKey::create()
                                .from(a("invitations"), a("tenant_id"))
                                .to(a("tenants"), a("id")),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("invitations_tenant_token")
                    .table(a("invitations"))
                    .col(a("tenant_id"))
                    .col(a("token_hash"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_pk(
                    Table::create()
                        .table(a("refresh_tokens"))
                        .col(uuid(a("tenant_id")))
                        .col(uuid(a("id")))
                        .col(uuid(a("session_id")))
                        .col(uuid(a("user_id")))
                        .col(string_len(a("token_hash"), 128))
                        .col(timestamp_with_time_zone(a("expires_at")))
                        .col(timestamp_with_time_zone_null(a("used_at")))
                        .col(timestamp_with_time_zone_null(a("revoked_at")))
                        .col(timestamp_with_time_zone(a("created_at")))
                        .foreign_key(
                            ForeignKey::create()
                                .from(a("refresh_tokens"), a("tenant_id"))
                                .to(a("tenants"), a("id")),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("refresh_tokens_tenant_token")
                    .table(a("refresh_tokens"))
                    .col(a("tenant_id"))
                    .col(a("token_hash"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("refresh_tokens_tenant_session")
                    .table(a("refresh_tokens"))
                    .col(a("tenant_id"))
                    .col(a("session_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("login_attempts"))
                    .col(string_len(a("key"), 128).primary_key())
                    .col(integer(a("failures")))
                    .col(timestamp_with_time_zone(a("last_failure_at")))
                    .col(timestamp_with_time_zone_null(a("locked_until")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(a("casbin_rule"))
                    .col(pk_uuid(a("id")))
                    .col(uuid_null(a("tenant_id")))
                    .col(string_len(a("ptype"), 16))
                    .col(string_len(a("v0"), 128).default(""))
                    .col(string_len(a("v1"), 128).default(""))
                    .col(string_len(a("v2"), 128).default(""))
                    .col(string_len(a("v3"), 128).default(""))
                    .col(string_len(a("v4"), 128).default(""))
                    .col(string_len(a("v5"), 128).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("casbin_rule_tenant")
                    .table(a("casbin_rule"))
                    .col(a("tenant_id"))
                    .col(a("ptype"))
                    .col(a("v0"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                tenant_pk(
                    Table::create()
                        .table(a("audit_log"))
                        .col(uuid(a("tenant_id")))
                        .col(uuid(a("id")))
                        .col(uuid_null(a("actor_id")))
                        .col(string_len_null(a("actor_label"), 254))
                        .col(string_len(a("action"), 64))
                        .col(string_len(a("target_type"), 64))
                        .col(string_len_null(a("target_id"), 128))
                        .col(string_len_null(a("ip"), 64))
                        .col(text(a("details")))
                        .col(timestamp_with_time_zone(a("created_at")))
                        .foreign_key(
                            ForeignKey::create()
                                .from(a("audit_log"), a("tenant_id"))
                                .to(a("tenants"), a("id")),
                        ),
                )
                .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_log_tenant_action")
                    .table(a("audit_log"))
                    .col(a("tenant_id"))
                    .col(a("action"))
                    .col(a("id"))
                    .to_owned(),
            )
            .await?;

        if manager.get_database_backend() == DbBackend::Postgres {
            let mut sql = vec![rls::ensure_app_role()];
            for t in [
                "locations",
                "invitations",
                "refresh_tokens",
                "audit_log",
                "memberships",
            ] {
                sql.extend(rls::tenant_policy(t, "tenant_id"));
            }
            sql.extend(rls::tenant_policy("tenants", "id"));
            // At login, before a tenant is chosen, a user may read their own memberships.
            sql.push(format!("CREATE POLICY own_memberships ON memberships FOR SELECT USING (user_id = {CURRENT_USER})"));
            // Platform-wide policy rules (tenant_id NULL) are readable by all; tenant rules only in their tenant.
            sql.push("ALTER TABLE casbin_rule ENABLE ROW LEVEL SECURITY".into());
            sql.push("ALTER TABLE casbin_rule FORCE ROW LEVEL SECURITY".into());
            sql.push(format!(
                "CREATE POLICY tenant_isolation ON casbin_rule USING (tenant_id = {CURRENT_TENANT}) WITH CHECK (tenant_id = {CURRENT_TENANT})"
            ));
            sql.push(
                "CREATE POLICY platform_rules ON casbin_rule FOR SELECT USING (tenant_id IS NULL)"
                    .into(),
            );
            sql.push(format!("GRANT USAGE ON SCHEMA public TO {APP_ROLE}"));
            for t in [
                "tenants",
                "users",
                "memberships",
                "locations",
                "invitations",
                "refresh_tokens",
                "login_attempts",
                "casbin_rule",
            ] {
                sql.push(rls::grant(t, "SELECT, INSERT, UPDATE, DELETE"));
            }
            // The audit log is append-only for the application.
            sql.push(rls::grant("audit_log", "SELECT, INSERT"));
            sql.push(rls::grant("seaql_migrations", "SELECT"));
            rls::exec_all(manager, &sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_log",
            "casbin_rule",
            "login_attempts",
            "refresh_tokens",
            "invitations",
            "locations",
            "memberships",
            "users",
            "tenants",
        ] {
            manager
                .drop_table(Table::drop().table(a(t)).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
