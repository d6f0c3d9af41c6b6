//! Database access: connecting, migrating, checking the PostgreSQL role, and
//! transactions that carry the tenant setting row-level security depends on.

pub mod entities;
mod repos;

use std::path::Path;
use std::time::Duration;

use domain::identity::StoreError;
use domain::{Ctx, UserId};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, Statement, TransactionTrait,
};

pub(crate) use repos::policy_rule;
pub use repos::{SqlBotVault, SqlIntegrations, SqlStore, SqlWebhooks};

/// Why the database could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL is not a supported database URL.
    #[error("unsupported DATABASE_URL (use sqlite://… or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// Connecting or a statement failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// The SQLite file's folder could not be created.
    #[error("cannot create the folder for the SQLite file {path}: {source}")]
    Folder {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The PostgreSQL role could bypass row-level security.
    #[error("refusing to run: {0}")]
    UnsafeRole(String),
}

/// PostgreSQL connections a pool keeps at most unless told otherwise.
pub const DEFAULT_POOL_SIZE: u32 = 16;

/// A database pool for one backend.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
}

fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

impl Db {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`). For SQLite
    /// the file's folder is created and WAL mode is switched on.
    ///
    /// # Errors
    /// See [`DbError`].
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        Self::connect_pooled(url, DEFAULT_POOL_SIZE).await
    }

    /// [`connect`](Self::connect) with at most `pool_size` PostgreSQL
    /// connections (SQLite always uses one).
    ///
    /// # Errors
    /// See [`DbError`].
    pub async fn connect_pooled(url: &str, pool_size: u32) -> Result<Self, DbError> {
        let backend_ok = url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://");
        if !backend_ok {
            return Err(DbError::UnsupportedUrl(redact(url)));
        }
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5));
        if let Some(file) = sqlite_file(url) {
            if let Some(parent) = Path::new(file)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
            // One connection: SQLite serialises writers anyway, and a single
            // connection rules out SQLITE_BUSY on lock upgrades in one process.
            opts.max_connections(1).min_connections(1);
        } else {
            opts.max_connections(pool_size.max(1)).min_connections(1);
        }
        let conn = Database::connect(opts).await?;
        let db = Self { conn };
        if db.backend() == DbBackend::Sqlite {
            db.conn
                .execute_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA journal_mode=WAL",
                ))
                .await?;
            db.conn
                .execute_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA foreign_keys=ON",
                ))
                .await?;
            db.conn
                .execute_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA busy_timeout=5000",
                ))
                .await?;
        }
        Ok(db)
    }

    /// The backend in use.
    #[must_use]
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Applies pending migrations.
    ///
    /// # Errors
    /// A migration failed.
    pub async fn migrate(&self) -> Result<(), DbError> {
        Migrator::up(&self.conn, None).await?;
        Ok(())
    }

    /// How many migrations are not applied yet.
    ///
    /// # Errors
    /// The migration table cannot be read.
    pub async fn pending_migrations(&self) -> Result<usize, DbError> {
        // Read the migration table directly: the application role may not
        // create it (sea-orm's status check would try to).
        let rows = self
            .conn
            .query_all_raw(Statement::from_string(
                self.backend(),
                "SELECT version FROM seaql_migrations",
            ))
            .await?;
        let applied: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String>("", "version").ok())
            .collect();
        Ok(Migrator::migrations()
            .iter()
            .filter(|m| !applied.iter().any(|a| a == m.name()))
            .count())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        self.conn.ping().await.is_ok()
    }

    /// On PostgreSQL, refuses a role that is a superuser, has BYPASSRLS or owns
    /// a table: row-level security would not apply to it.
    ///
    /// # Errors
    /// [`DbError::UnsafeRole`] with the reason and the fix.
    pub async fn check_role_is_confined(&self) -> Result<(), DbError> {
        if self.backend() != DbBackend::Postgres {
            return Ok(());
        }
        let row = self
            .conn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT current_user::text AS name, r.rolsuper AS su, r.rolbypassrls AS bypass, \
                 (SELECT count(*) FROM pg_tables t WHERE t.tableowner = current_user)::bigint AS owned \
                 FROM pg_roles r WHERE r.rolname = current_user",
            ))
            .await?
            .ok_or_else(|| DbError::UnsafeRole("cannot read the current role".into()))?;
        let name: String = row.try_get("", "name")?;
        let su: bool = row.try_get("", "su")?;
        let bypass: bool = row.try_get("", "bypass")?;
        let owned: i64 = row.try_get("", "owned")?;
        let why = if su {
            Some("is a superuser")
        } else if bypass {
            Some("has BYPASSRLS")
        } else if owned > 0 {
            Some("owns tables")
        } else {
            None
        };
        match why {
            Some(why) => Err(DbError::UnsafeRole(format!(
                "the database role \"{name}\" {why}, so row-level security would not isolate tenants. \
                 Connect the server (DATABASE_URL) as a login role that is a member of \"{}\" and owns no table; \
                 run migrations as the owner (DATABASE_MIGRATION_URL). See README → PostgreSQL.",
                migrations::rls::APP_ROLE
            ))),
            None => Ok(()),
        }
    }

    /// The raw connection (for migrations and tests).
    #[must_use]
    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    async fn set(&self, txn: &DatabaseTransaction, key: &str, value: String) -> Result<(), DbErr> {
        if self.backend() == DbBackend::Postgres {
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config($1, $2, true)",
                [key.into(), value.into()],
            ))
            .await?;
        }
        Ok(())
    }

    /// A transaction confined to the context's tenant: on PostgreSQL its first
    /// statement sets `app.tenant_id` for row-level security.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn tenant_tx(&self, ctx: &Ctx) -> Result<DatabaseTransaction, StoreError> {
        let txn = self.conn.begin().await.map_err(internal)?;
        self.set(&txn, "app.tenant_id", ctx.tenant().to_string())
            .await
            .map_err(internal)?;
        Ok(txn)
    }

    /// A transaction that may read one user's own memberships across tenants.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn user_tx(&self, user: UserId) -> Result<DatabaseTransaction, StoreError> {
        let txn = self.conn.begin().await.map_err(internal)?;
        self.set(&txn, "app.user_id", user.to_string())
            .await
            .map_err(internal)?;
        Ok(txn)
    }

    /// A transaction that may list the ids of every tenant (scheduled jobs fan
    /// out per tenant) and nothing else of them.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn directory_tx(&self) -> Result<DatabaseTransaction, StoreError> {
        let txn = self.conn.begin().await.map_err(internal)?;
        self.set(&txn, "app.directory", "on".to_owned())
            .await
            .map_err(internal)?;
        Ok(txn)
    }

    /// A transaction that may read one integration by its id (an endpoint URL
    /// names no tenant).
    ///
    /// # Errors
    /// Storage failure.
    pub async fn integration_tx(&self, id: uuid::Uuid) -> Result<DatabaseTransaction, StoreError> {
        let txn = self.conn.begin().await.map_err(internal)?;
        self.set(&txn, "app.integration_id", id.to_string())
            .await
            .map_err(internal)?;
        Ok(txn)
    }

    /// A transaction over global tables only (users, login throttling).
    ///
    /// # Errors
    /// Storage failure.
    pub async fn global_tx(&self) -> Result<DatabaseTransaction, StoreError> {
        self.conn.begin().await.map_err(internal)
    }
}

/// Hides the password of a database URL for messages.
#[must_use]
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Maps a driver error to the domain's storage error.
pub(crate) fn internal(e: DbErr) -> StoreError {
    StoreError::Internal(e.to_string())
}

/// Maps a driver error, turning unique violations into `Conflict(what)`.
pub(crate) fn conflict_or_internal(e: DbErr, what: &'static str) -> StoreError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(what),
        _ => internal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_appear_in_messages() {
        assert_eq!(
            redact("postgres://app:s3cret@localhost/db"),
            "postgres://app:***@localhost/db"
        );
        assert_eq!(
            redact("sqlite://./data/x.db?mode=rwc"),
            "sqlite://./data/x.db?mode=rwc"
        );
    }

    #[test]
    fn sqlite_files_are_found_in_urls() {
        assert_eq!(
            sqlite_file("sqlite://./data/maxloyalty.db?mode=rwc"),
            Some("./data/maxloyalty.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x"), None);
    }
}
