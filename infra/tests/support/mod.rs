//! The database harness of infra's integration tests: a fresh SQLite file per
//! test, and a fresh PostgreSQL database per test (cloned from a template
//! migrated once per run, used through a login role confined like the
//! server's). PostgreSQL variants print SKIPPED and pass when it is
//! unreachable, unless `MAXLOYALTY_TEST_PG=require`. Each test file names its
//! databases and temporary folders with its own `SUITE`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration as StdDuration;

use chrono::Utc;
use infra::Db;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use tokio::sync::OnceCell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Defines `on_sqlite` and `on_postgres` tests for an `async fn(Backend)`.
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn on_sqlite() {
                super::$name(crate::support::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn on_postgres() {
                if crate::support::postgres_available().await {
                    super::$name(crate::support::Backend::Postgres).await;
                }
            }
        }
    };
}

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_ADMIN_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_mode() -> String {
    std::env::var("MAXLOYALTY_TEST_PG").unwrap_or_else(|_| "auto".into())
}

/// The login role the tests use: a member of the application role, no superuser.
const TEST_APP_ROLE: &str = "maxloyalty_test_app";

fn with_db(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL with a path");
    format!("{base}/{db}")
}

fn with_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}@{host}")
}

async fn admin_exec(sql: &str) -> Result<(), sea_orm::DbErr> {
    let db = Database::connect(admin_url()).await?;
    let r = db
        .execute_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await;
    let _ = db.close().await;
    r.map(|_| ())
}

static PG_TEMPLATE: OnceCell<Option<String>> = OnceCell::const_new();

/// Migrates a template database once per run (named like the other suites'
/// databases, `mlt_t<unix time>…`, so their sweepers leave a running suite alone).
async fn pg_template() -> Option<String> {
    PG_TEMPLATE
        .get_or_init(|| async {
            if pg_mode() == "off" {
                eprintln!(
                    "SKIPPED: PostgreSQL {} tests are off (MAXLOYALTY_TEST_PG=off)",
                    crate::SUITE
                );
                return None;
            }
            let name = format!(
                "mlt_t{}_{}{}",
                Utc::now().timestamp(),
                crate::SUITE,
                std::process::id()
            );
            let setup = async {
                drop_stale_databases().await?;
                admin_exec(&format!("CREATE DATABASE \"{name}\"")).await?;
                let owner = Db::connect(&with_db(&admin_url(), &name))
                    .await
                    .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
                owner
                    .migrate()
                    .await
                    .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
                owner.connection().clone().close().await?;
                // Other suites create the same role; tolerate a concurrent creation.
                let _ = admin_exec(&format!(
                    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{TEST_APP_ROLE}') \
                     THEN CREATE ROLE {TEST_APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$"
                ))
                .await;
                admin_exec(&format!(
                    "GRANT {} TO {TEST_APP_ROLE}",
                    migrations::rls::APP_ROLE
                ))
                .await?;
                Ok::<_, sea_orm::DbErr>(name.clone())
            };
            match tokio::time::timeout(StdDuration::from_secs(60), setup).await {
                Ok(Ok(t)) => Some(t),
                Ok(Err(e)) => pg_unavailable(&e.to_string()),
                Err(_) => pg_unavailable("timed out"),
            }
        })
        .await
        .clone()
}

/// Drops this suite's databases left by earlier runs: templates after ten
/// minutes, a failed test's database (kept for inspection) after two hours.
async fn drop_stale_databases() -> Result<(), sea_orm::DbErr> {
    let db = Database::connect(admin_url()).await?;
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT datname FROM pg_database WHERE datname LIKE 'mlt\\_%\\_{}%'",
                crate::SUITE
            ),
        ))
        .await?;
    let now = Utc::now().timestamp();
    for row in rows {
        let name: String = row.try_get("", "datname")?;
        let max_age = if name.starts_with("mlt_t") {
            600
        } else {
            2 * 3600
        };
        let born = name
            .trim_start_matches("mlt_")
            .trim_start_matches(['t', 'd'])
            .split('_')
            .next()
            .and_then(|t| t.parse::<i64>().ok());
        if born.is_some_and(|b| b < now - max_age) {
            let _ = db
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                ))
                .await;
        }
    }
    let _ = db.close().await;
    Ok(())
}

fn pg_unavailable(why: &str) -> Option<String> {
    assert!(
        pg_mode() != "require",
        "PostgreSQL is required (MAXLOYALTY_TEST_PG=require) but unusable: {why}"
    );
    eprintln!(
        "SKIPPED: PostgreSQL {} tests: {} is unusable: {why}",
        crate::SUITE,
        admin_url()
    );
    None
}

pub async fn postgres_available() -> bool {
    pg_template().await.is_some()
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// A fresh, migrated database for one test; dropped by `cleanup` (a failed
/// test's PostgreSQL database is kept for inspection until the next sweep).
pub struct TestDb {
    url: String,
    pg_name: Option<String>,
    dir: Option<std::path::PathBuf>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        let n = NEXT_DB.fetch_add(1, Ordering::Relaxed);
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!(
                    "maxloyalty-{}-{}-{n}-{}",
                    crate::SUITE,
                    std::process::id(),
                    uuid::Uuid::now_v7().simple()
                ));
                std::fs::create_dir_all(&dir).expect("temp dir");
                let url = format!("sqlite://{}/{}.db?mode=rwc", dir.display(), crate::SUITE);
                let db = Db::connect(&url).await.expect("sqlite connects");
                db.migrate().await.expect("migrations run");
                db.connection().clone().close().await.expect("closes");
                Self {
                    url,
                    pg_name: None,
                    dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let template = pg_template().await.expect("PostgreSQL is available");
                let name = format!(
                    "mlt_d{}_{}{}_{n}",
                    Utc::now().timestamp(),
                    crate::SUITE,
                    std::process::id()
                );
                admin_exec(&format!(
                    "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
                ))
                .await
                .expect("create the test database");
                let url = with_user(&with_db(&admin_url(), &name), TEST_APP_ROLE);
                Self {
                    url,
                    pg_name: Some(name),
                    dir: None,
                }
            }
        }
    }

    pub async fn connect(&self) -> Db {
        let db = Db::connect(&self.url).await.expect("connects");
        if self.pg_name.is_some() {
            db.check_role_is_confined()
                .await
                .expect("tests use a confined role, like the server");
        }
        db
    }

    /// The database as the migrations' owner (the admin role on PostgreSQL).
    #[allow(dead_code)] // not every suite migrates by hand
    pub async fn connect_owner(&self) -> Db {
        let url = match &self.pg_name {
            Some(name) => with_db(&admin_url(), name),
            None => self.url.clone(),
        };
        Db::connect(&url).await.expect("connects as the owner")
    }

    pub async fn cleanup(self) {
        if let Some(name) = &self.pg_name {
            let _ = admin_exec(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await;
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
