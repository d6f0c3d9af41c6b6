//! PostgreSQL's second wall: row-level security. Without the tenant setting a
//! query sees nothing and cannot write; with it, only that tenant's rows. The
//! server refuses to start as a role that would bypass RLS.

use api::startup::{Application, Overrides, StartupError};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, TransactionTrait};
use serde_json::json;

use crate::helpers::{
    Backend, admin_exec, admin_url, fresh_pg_database, postgres_available, settings_for, spawn_app,
    unique_email, with_db, with_user,
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

/// The README's setup: the tables' owner is a login role that is not a
/// superuser, and migrations run as it. Forced row-level security binds the
/// owner too, so a backfill sees nothing unless it lifts the force: migration
/// 022 does, and fills what 020 (name words) and 021 (last visits) could not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backfills_work_when_the_owner_that_migrates_is_not_a_superuser() {
    if !postgres_available().await {
        return;
    }
    let suffix = uuid::Uuid::now_v7().simple().to_string();
    let owner_role = format!("mlt_owner_{suffix}");
    // Named like the helpers' databases, so a run that fails here leaves one
    // that a later run drops.
    let db_name = format!("mlt_d{}_{suffix}", chrono::Utc::now().timestamp());
    let admin = admin_url();
    admin_exec(
        &admin,
        &format!("CREATE ROLE {owner_role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE"),
    )
    .await
    .expect("owner role");
    admin_exec(
        &admin,
        &format!("CREATE DATABASE \"{db_name}\" OWNER {owner_role}"),
    )
    .await
    .expect("database");
    let superuser_url = with_db(&admin, &db_name);
    let owner_url = with_user(&superuser_url, &owner_role);
    let app_url = with_user(&superuser_url, crate::helpers::TEST_APP_ROLE);
    let (migrate_as, serve_as) = (owner_url.clone(), app_url.clone());
    let app = crate::helpers::spawn_app_with(Backend::Postgres, move |s| {
        s.database_url = serve_as;
        s.database_migration_url = Some(migrate_as);
    })
    .await;

    let owner = app.sign_up("Миграции", &unique_email("owner")).await;
    let location = app.first_location(&owner.access).await;
    let mut ids = Vec::new();
    for (phone, name) in [
        ("+79005550181", "Анна Мария Иванова"),
        ("+79005550182", "Пётр Сидоров"),
    ] {
        let made = app
            .ok(
                Some(&owner.access),
                "mutation($p: String!, $n: String!) { createGuest(input: { phone: $p, name: $n }) { id } }",
                json!({ "p": phone, "n": name }),
            )
            .await;
        ids.push(
            made["createGuest"]["id"]
                .as_str()
                .expect("a guest")
                .to_owned(),
        );
    }
    let (anna, petr) = (ids[0].clone(), ids[1].clone());
    app.ok(
        Some(&owner.access),
        "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 50000, externalId: \"own-1\" }) { earned } }",
        json!({ "l": location, "g": anna }),
    )
    .await;

    // What the database looked like before 020's and 021's backfills, and
    // before 022 ran (as a superuser: it sees every row).
    let su = Database::connect(superuser_url.as_str())
        .await
        .expect("superuser");
    let run = |sql: String| {
        let su = su.clone();
        async move {
            su.execute_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await
                .expect("statement");
        }
    };
    run("DELETE FROM guest_name_words".into()).await;
    run("UPDATE guests SET last_visit_at = NULL".into()).await;
    run(
        "DELETE FROM seaql_migrations WHERE version = 'm20261122_000022_backfills_as_owner'".into(),
    )
    .await;
    let state = || {
        let su = su.clone();
        async move {
            let row = su
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT (SELECT string_agg(word, ',' ORDER BY word) FROM guest_name_words) AS words, \
                     (SELECT count(*) FROM guests g JOIN checks c ON c.tenant_id = g.tenant_id \
                      AND c.guest_id = g.id WHERE g.last_visit_at = c.created_at)::bigint AS visited, \
                     (SELECT count(*) FROM guests WHERE last_visit_at IS NOT NULL)::bigint AS with_visit",
                ))
                .await
                .expect("query")
                .expect("a row");
            (
                row.try_get::<Option<String>>("", "words").expect("words"),
                row.try_get::<i64>("", "visited").expect("visited"),
                row.try_get::<i64>("", "with_visit").expect("with_visit"),
            )
        }
    };
    assert_eq!(state().await, (None, 0, 0));

    // The owner alone sees no guest: the reason the earlier backfills missed.
    let as_owner = Database::connect(owner_url.as_str()).await.expect("owner");
    let seen = as_owner
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*)::bigint AS n FROM guests",
        ))
        .await
        .expect("query")
        .expect("a row")
        .try_get::<i64>("", "n")
        .expect("n");
    assert_eq!(seen, 0, "forced row-level security binds the owner");

    use migrations::MigratorTrait;
    migrations::Migrator::up(&as_owner, None)
        .await
        .expect("022 runs as the owner");
    assert_eq!(
        state().await,
        (Some("иванова,мария,сидоров".to_owned()), 1, 1),
        "the later words of both names, and Anna's visit (Пётр never came: {petr})"
    );
    // Security is forced again on every table it was lifted from.
    let forced = su
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*)::bigint AS n FROM pg_class WHERE relname IN \
             ('guests', 'checks', 'guest_name_words') AND relforcerowsecurity AND relrowsecurity",
        ))
        .await
        .expect("query")
        .expect("a row")
        .try_get::<i64>("", "n")
        .expect("n");
    assert_eq!(forced, 3);
    // And the search finds Anna by a later word of her name again.
    let found = app
        .ok(
            Some(&owner.access),
            "query { guests(query: \"иванов\") { edges { node { id lastVisitAt } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        found["guests"]["edges"][0]["node"]["id"],
        anna.as_str(),
        "{found}"
    );
    let _ = as_owner.close().await;
    let _ = su.close().await;
    admin_exec(&admin, &format!("DROP DATABASE \"{db_name}\" WITH (FORCE)"))
        .await
        .expect("drop the database");
    admin_exec(&admin, &format!("DROP ROLE {owner_role}"))
        .await
        .expect("drop the owner role");
}
