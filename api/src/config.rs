//! One typed configuration, layered: defaults → optional TOML file → environment.

use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Where the server runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Local development: GraphiQL, generated JWT secret, readable logs.
    #[default]
    Development,
    /// Production: no GraphiQL, a JWT secret is required, JSON logs.
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Every setting of the server. See [`CONFIG_HELP`] for the variables.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `development` or `production`.
    pub env: Environment,
    /// Address to bind.
    pub host: String,
    /// Port to bind (0 picks a free one).
    pub port: u16,
    /// `sqlite://path?mode=rwc` or `postgres://app_role@host/db`.
    pub database_url: String,
    /// PostgreSQL only: the table owner's URL, used to run migrations at start.
    pub database_migration_url: Option<String>,
    /// PostgreSQL connections the server keeps at most (requests and the
    /// in-process worker share them; SQLite always uses one).
    pub db_pool_size: u32,
    /// Secret for signing access tokens (≥ 32 bytes). Generated per start in development.
    pub jwt_secret: Option<String>,
    /// Key sealing secrets at rest (bot tokens): 32 bytes, base64. Required in
    /// production; in development read from (or created in) `secrets_key_file`.
    pub secrets_key: Option<String>,
    /// Where the development secrets key lives.
    pub secrets_key_file: PathBuf,
    /// The panel's public URL for links in e-mails (default: the bound address).
    pub public_url: Option<String>,
    /// Folder of the built web panel served at `/`.
    pub web_dir: PathBuf,
    /// `pretty` or `json`.
    pub log_format: LogFormat,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Deepest accepted GraphQL query.
    pub graphql_max_depth: usize,
    /// Most complex accepted GraphQL query.
    pub graphql_max_complexity: usize,
    /// Seconds to let in-flight requests finish on shutdown.
    pub shutdown_grace_secs: u64,
    /// Seed a demo business with an owner and a cashier and print their logins.
    pub demo: bool,
    /// Run the job worker inside the server process (`maxloyalty worker` runs one alone).
    pub worker_enabled: bool,
    /// Jobs one worker runs at once.
    pub worker_concurrency: usize,
    /// Job kinds this process's worker claims, comma-separated (unset: every
    /// kind). For deployments that give some kinds processes of their own.
    pub worker_kinds: Option<String>,
    /// Seconds a claimed job stays locked without a heartbeat (how long the job
    /// of a killed worker waits before another takes it).
    pub worker_visibility_secs: u64,
    /// SMTP server for outgoing mail: `smtps://user:pass@host:465`,
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtp://host:port` (plain,
    /// local sinks only). Unset: mail is written as `.eml` files to `mail_dir`.
    pub smtp_url: Option<String>,
    /// The sender of outgoing mail.
    pub mail_from: String,
    /// Where mail goes as `.eml` files when no SMTP server is set.
    pub mail_dir: PathBuf,
    /// Let webhook endpoints be private, loopback or link-local addresses
    /// (development and tests only: it opens the server to SSRF).
    pub webhooks_allow_private: bool,
    /// `redis://host:6379/0` or `rediss://…`: carry events between server
    /// processes through Redis pub/sub. Unset: events stay in this process.
    pub redis_url: Option<String>,
    /// Prefix of the Redis channels (`<prefix>:events:<tenant>`); processes
    /// sharing a prefix share events.
    pub redis_prefix: String,
    /// The Telegram Bot API (a local mock in tests).
    pub telegram_api_url: String,
    /// iikoCloud's API (a local mock in tests), asked before an iiko order's points.
    pub iiko_api_url: String,
    /// Live connections (GraphQL subscriptions over websocket and socket.io)
    /// one tenant may hold open on one server process.
    pub max_live_connections_per_tenant: usize,
    /// Threads serving live connections apart from the request threads (0: on
    /// the request threads).
    pub live_threads: usize,
    /// Equal GraphQL subscriptions (same request, same tenant and rights)
    /// share one execution, each event resolved once (false: each alone).
    pub share_subscriptions: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            env: Environment::Development,
            host: "127.0.0.1".into(),
            port: 8080,
            database_url: "sqlite://./data/maxloyalty.db?mode=rwc".into(),
            database_migration_url: None,
            db_pool_size: infra::db::DEFAULT_POOL_SIZE,
            jwt_secret: None,
            secrets_key: None,
            secrets_key_file: PathBuf::from("data/secrets.key"),
            public_url: None,
            web_dir: PathBuf::from("web/dist"),
            log_format: LogFormat::Pretty,
            max_body_bytes: 1024 * 1024,
            graphql_max_depth: 12,
            graphql_max_complexity: 1000,
            shutdown_grace_secs: 10,
            demo: false,
            worker_enabled: true,
            worker_concurrency: 16,
            worker_kinds: None,
            worker_visibility_secs: 300,
            smtp_url: None,
            mail_from: "MaxLoyalty <no-reply@maxloyalty.local>".into(),
            mail_dir: PathBuf::from("data/mail"),
            webhooks_allow_private: false,
            redis_url: None,
            redis_prefix: "maxloyalty".into(),
            telegram_api_url: "https://api.telegram.org".into(),
            iiko_api_url: "https://api-ru.iiko.services".into(),
            max_live_connections_per_tenant: 20_000,
            live_threads: std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            share_subscriptions: true,
        }
    }
}

/// The most live-connection threads a process may ask for (each is an OS
/// thread; more than the cores only adds switching).
pub const MAX_LIVE_THREADS: usize = 256;

/// The configuration reference printed by `--help` and copied into the README.
pub const CONFIG_HELP: &str = "\
Configuration (defaults → TOML file from --config / MAXLOYALTY_CONFIG → environment):
  MAXLOYALTY_ENV                     development | production            [development]
  MAXLOYALTY_HOST                    address to bind                     [127.0.0.1]
  MAXLOYALTY_PORT                    port to bind, 0 = any free port      [8080]
  DATABASE_URL                       sqlite://path?mode=rwc | postgres://role@host/db
                                                                         [sqlite://./data/maxloyalty.db?mode=rwc]
  DATABASE_MIGRATION_URL             PostgreSQL: table owner's URL for migrations at start  [unset]
  MAXLOYALTY_DB_POOL_SIZE            PostgreSQL connections of the server, at most   [16]
  MAXLOYALTY_JWT_SECRET              access-token signing secret, >= 32 bytes (required in production)
  MAXLOYALTY_SECRETS_KEY             key sealing stored secrets (bot tokens), 32 bytes base64
                                     (required in production)
  MAXLOYALTY_SECRETS_KEY_FILE        development: where that key is kept  [data/secrets.key]
  MAXLOYALTY_PUBLIC_URL              panel URL used in e-mailed links     [http://HOST:PORT]
  MAXLOYALTY_WEB_DIR                 built web panel served at /          [web/dist]
  MAXLOYALTY_LOG_FORMAT              pretty | json                        [pretty]
  RUST_LOG                           log filter, e.g. info,api=debug      [info]
  MAXLOYALTY_MAX_BODY_BYTES          largest request body                 [1048576]
  MAXLOYALTY_GRAPHQL_MAX_DEPTH       deepest GraphQL query                [12]
  MAXLOYALTY_GRAPHQL_MAX_COMPLEXITY  most complex GraphQL query           [1000]
  MAXLOYALTY_SHUTDOWN_GRACE_SECS     drain time on SIGTERM/Ctrl-C         [10]
  MAXLOYALTY_DEMO                    true: seed a demo business (same as --demo)  [false]
  MAXLOYALTY_WORKER_ENABLED          run the job worker in the server     [true]
  MAXLOYALTY_WORKER_CONCURRENCY      jobs a worker runs at once           [16]
  MAXLOYALTY_WORKER_VISIBILITY_SECS  lock of a claimed job without heartbeat [300]
  MAXLOYALTY_WORKER_KINDS            job kinds this worker claims, comma-separated
                                     (e.g. webhooks.deliver)         [unset: every kind]
  MAXLOYALTY_SMTP_URL                smtps://user:pass@host:465 | smtp://host:587?tls=required
                                     (STARTTLS) | smtp://host:port (plain)  [unset: .eml files]
  MAXLOYALTY_MAIL_FROM               sender of e-mails      [MaxLoyalty <no-reply@maxloyalty.local>]
  MAXLOYALTY_MAIL_DIR                without SMTP: folder of .eml files   [data/mail]
  MAXLOYALTY_WEBHOOKS_ALLOW_PRIVATE  true: webhook endpoints may be private/loopback
                                     addresses (development and tests only)  [false]
  REDIS_URL                          redis://host:6379/0 | rediss://…: share live events
                                     between server processes             [unset: in-process]
  MAXLOYALTY_REDIS_PREFIX            Redis channel prefix (<prefix>:events:<tenant>)  [maxloyalty]
  MAXLOYALTY_TELEGRAM_API_URL        the Telegram Bot API                 [https://api.telegram.org]
  MAXLOYALTY_IIKO_API_URL            iikoCloud's API (orders are confirmed there)
                                                                       [https://api-ru.iiko.services]
  MAXLOYALTY_MAX_LIVE_CONNECTIONS_PER_TENANT
                                     open live connections (subscriptions, socket.io)
                                     of one tenant on one process         [20000]
  MAXLOYALTY_LIVE_THREADS            threads serving live connections apart from requests,
                                     so that fan-out never queues ahead of a request;
                                     0: on the request threads; at most 256  [number of cores]
  MAXLOYALTY_SHARE_SUBSCRIPTIONS     equal GraphQL subscriptions (same request, tenant
                                     and rights) share one execution, so an event is
                                     resolved once, not once per screen  [true]
Every key can also be set in the TOML file by its lower-case name (e.g. port = 9000).";

/// Why the configuration is unusable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A value could not be read.
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    /// A value is not acceptable.
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Loads defaults, then the file (if given), then the environment.
    ///
    /// # Errors
    /// Unreadable or invalid values.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Self::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::Invalid(format!(
                    "config file {} does not exist",
                    file.display()
                )));
            }
            fig = fig.merge(Toml::file(file));
        }
        fig = fig
            .merge(Env::prefixed("MAXLOYALTY_").ignore(&["CONFIG"]))
            .merge(Env::raw().only(&["DATABASE_URL", "DATABASE_MIGRATION_URL", "REDIS_URL"]));
        let s: Self = fig.extract().map_err(Box::new)?;
        s.validate()?;
        Ok(s)
    }

    /// Checks cross-field rules.
    ///
    /// # Errors
    /// What is wrong and how to fix it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.env == Environment::Production {
            match &self.jwt_secret {
                Some(s) if s.len() >= 32 => {}
                _ => {
                    return Err(ConfigError::Invalid(
                        "MAXLOYALTY_JWT_SECRET of at least 32 bytes is required in production"
                            .into(),
                    ));
                }
            }
        }
        if self.jwt_secret.as_ref().is_some_and(|s| s.len() < 32) {
            return Err(ConfigError::Invalid(
                "MAXLOYALTY_JWT_SECRET must be at least 32 bytes".into(),
            ));
        }
        if self.env == Environment::Production && self.secrets_key.is_none() {
            return Err(ConfigError::Invalid(
                "MAXLOYALTY_SECRETS_KEY (32 bytes, base64) is required in production".into(),
            ));
        }
        if self.redis_prefix.is_empty()
            || self
                .redis_prefix
                .chars()
                .any(|c| matches!(c, '*' | '?' | '[' | ']' | '\\') || c.is_whitespace())
        {
            return Err(ConfigError::Invalid(
                "MAXLOYALTY_REDIS_PREFIX must be non-empty, without spaces or `*?[]\\`".into(),
            ));
        }
        if self.db_pool_size == 0 {
            return Err(ConfigError::Invalid(
                "MAXLOYALTY_DB_POOL_SIZE must be at least 1".into(),
            ));
        }
        if self.live_threads > MAX_LIVE_THREADS {
            return Err(ConfigError::Invalid(format!(
                "MAXLOYALTY_LIVE_THREADS must be at most {MAX_LIVE_THREADS} (0 serves live \
                 connections on the request threads)"
            )));
        }
        if self.max_live_connections_per_tenant == 0 {
            return Err(ConfigError::Invalid(
                "MAXLOYALTY_MAX_LIVE_CONNECTIONS_PER_TENANT must be at least 1".into(),
            ));
        }
        if !(self.telegram_api_url.starts_with("https://")
            || self.telegram_api_url.starts_with("http://"))
        {
            return Err(ConfigError::Invalid(
                "MAXLOYALTY_TELEGRAM_API_URL must be an http(s) URL".into(),
            ));
        }
        if !(self.iiko_api_url.starts_with("https://") || self.iiko_api_url.starts_with("http://"))
        {
            return Err(ConfigError::Invalid(
                "MAXLOYALTY_IIKO_API_URL must be an http(s) URL".into(),
            ));
        }
        if self.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid(
                "MAXLOYALTY_MAX_BODY_BYTES must be at least 1024".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_without_a_secret_is_refused() {
        let s = Settings {
            env: Environment::Production,
            ..Settings::default()
        };
        assert!(s.validate().is_err());
        let s = Settings {
            env: Environment::Production,
            jwt_secret: Some("x".repeat(32)),
            ..Settings::default()
        };
        assert!(s.validate().is_err(), "a secrets key is required too");
        let s = Settings {
            env: Environment::Production,
            jwt_secret: Some("x".repeat(32)),
            secrets_key: Some("k".into()),
            ..Settings::default()
        };
        assert!(s.validate().is_ok());
        assert!(Settings::default().validate().is_ok());
    }

    #[test]
    fn the_pool_size_is_at_least_one() {
        assert_eq!(Settings::default().db_pool_size, 16);
        let none = Settings {
            db_pool_size: 0,
            ..Settings::default()
        };
        let err = none.validate().err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("MAXLOYALTY_DB_POOL_SIZE")),
            "{err:?}"
        );
        let more = Settings {
            db_pool_size: 40,
            ..Settings::default()
        };
        assert!(more.validate().is_ok());
    }

    #[test]
    fn live_threads_are_bounded_and_zero_turns_them_off() {
        assert!(Settings::default().live_threads >= 1);
        for ok in [0, 1, MAX_LIVE_THREADS] {
            let s = Settings {
                live_threads: ok,
                ..Settings::default()
            };
            assert!(s.validate().is_ok(), "{ok}");
        }
        let too_many = Settings {
            live_threads: MAX_LIVE_THREADS + 1,
            ..Settings::default()
        };
        let err = too_many.validate().err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("MAXLOYALTY_LIVE_THREADS")),
            "{err:?}"
        );
    }
}
