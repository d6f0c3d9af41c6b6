//! PostgreSQL's second wall: row-level security. Without the tenant setting a
//! query sees nothing and cannot write; with it, only that tenant's rows. The
//! server refuses to start as a role that would bypass RLS.

use api::startup::{Application, Overrides, StartupError};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, TransactionTrait};
use serde_json::json;

use crate::helpers::{
    Backend, admin_url, fresh_pg_database, postgres_available, settings_for, spawn_app,
    unique_email,
};

fn pg_app_url(app_url: &str) -> String {
    app_url.to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_tenant_setting_queries_see_nothing_and_cannot_write() {
    if !postgres_available().await {
        return;
    }
    let app = spawn_app(Backend::Postgres).await;
    let a = app.sign_up("RLS A", &unique_email("a")).await;
    let b = app.sign_up("RLS B", &unique_email("b")).await;
    app.ok(
        Some(&a.access),
        "mutation { createLocation(input: { name: \"A-2\" }) { id } }",
        json!({}),
    )
    .await;
    crate::api_keys::create_key(&app, &a.access, "RLS", &["guests:read"]).await;

    // Connect as the application role, like the server does.
    let db = Database::connect(pg_app_url(&app.database_url).as_str())
        .await
        .expect("connect as app role");
    let count = |sql: &'static str| {
        let db = db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await
                .expect("query")
                .expect("row");
            row.try_get::<i64>("", "n").expect("n")
        }
    };
    for table in [
        "locations",
        "memberships",
        "tenants",
        "audit_log",
        "casbin_rule",
        "refresh_tokens",
        "invitations",
        "api_keys",
    ] {
        let sql: &'static str =
            Box::leak(format!("SELECT count(*)::bigint AS n FROM {table}").into_boxed_str());
        let n = count(sql).await;
        // Platform-wide casbin rules (tenant NULL) would be visible; there are none.
        assert_eq!(n, 0, "{table} must show no rows without app.tenant_id");
    }
    let insert = db
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "INSERT INTO locations (tenant_id, id, name, timezone, created_at) VALUES ('{}', gen_random_uuid(), 'sneaky', 'UTC', now())",
                a.tenant_id
            ),
        ))
        .await;
    assert!(
        insert.is_err(),
        "an insert without the tenant setting is refused by RLS"
    );

    // With tenant A's setting: A's rows only, and writing B's rows is refused.
    let txn = db.begin().await.expect("begin");
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT set_config('app.tenant_id', $1, true)",
        [a.tenant_id.clone().into()],
    ))
    .await
    .expect("set tenant");
    let row = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*)::bigint AS n, count(DISTINCT tenant_id)::bigint AS t FROM locations",
        ))
        .await
        .expect("query")
        .expect("row");
    assert_eq!(row.try_get::<i64>("", "n").expect("n"), 2);
    assert_eq!(row.try_get::<i64>("", "t").expect("t"), 1);
    let cross = txn
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "INSERT INTO locations (tenant_id, id, name, timezone, created_at) VALUES ('{}', gen_random_uuid(), 'cross', 'UTC', now())",
                b.tenant_id
            ),
        ))
        .await;
    assert!(cross.is_err(), "writing another tenant's row is refused");
    txn.rollback().await.expect("rollback");

    // The setting is transaction-local: a new transaction sees nothing again.
    assert_eq!(
        count("SELECT count(*)::bigint AS n FROM locations").await,
        0
    );
    // The audit log is append-only for the application role.
    let upd = db
        .execute_raw(Statement::from_string(
            DbBackend::Postgres,
            "UPDATE audit_log SET action = 'x'",
        ))
        .await;
    assert!(upd.is_err(), "no UPDATE privilege on the audit log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_to_start_as_a_role_that_bypasses_rls() {
    if !postgres_available().await {
        return;
    }
    let (owner_url, _app_url) = fresh_pg_database().await;
    // The owner URL is the superuser that ran the migrations.
    let err = Application::build(settings_for(owner_url), Overrides::default())
        .await
        .err()
        .expect("refused");
    let msg = err.to_string();
    assert!(matches!(err, StartupError::Db(_)), "{msg}");
    assert!(
        msg.contains("refusing to run") && msg.contains("superuser"),
        "{msg}"
    );
    let _ = admin_url();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_migrates_with_the_owner_url_and_runs_as_the_app_role() {
    if !postgres_available().await {
        return;
    }
    let (owner_url, app_url) = fresh_pg_database().await;
    let mut settings = settings_for(app_url);
    settings.database_migration_url = Some(owner_url);
    let app = Application::build(settings, Overrides::default())
        .await
        .expect("starts");
    assert!(app.port() > 0);
}
