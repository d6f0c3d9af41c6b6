//! The composition root: settings → database → adapters → services → routes →
//! a bound listener. The only module where infra types meet the API.

use std::sync::Arc;
use std::time::Duration;

use domain::identity::ports::Mailer;
use domain::identity::{IdentityDeps, IdentityService, SessionPolicy};
use domain::loyalty::EventPublisher;
use domain::loyalty::{LoyaltyDeps, LoyaltyService};
use domain::ports::{Clock, SystemClock};
use infra::bus::RedisBus;
use infra::crypto::{Argon2Hasher, HsJwt, RandomSecrets};
use infra::db::{SqlBotVault, SqlStore};
use infra::mail::LettreMailer;
use infra::rbac::CasbinAuthorizer;
use infra::secret_box::SecretBox;
use infra::telegram::MiniAppAuth;
use infra::{Db, DbError};
use poem::listener::{Acceptor, Listener, TcpAcceptor, TcpListener};
use poem::{EndpointExt, Server};

use crate::config::{Environment, Settings};
use crate::graphql::{self, Limits};
use crate::http::{self, AppState, Probe, RedisStatus};

/// Replaceable adapters (tests inject fakes).
#[derive(Default, Clone)]
pub struct Overrides {
    /// Outgoing mail.
    pub mailer: Option<Arc<dyn Mailer>>,
    /// Time.
    pub clock: Option<Arc<dyn Clock>>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Database trouble.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The schema is behind the code.
    #[error(
        "{0} migration(s) are pending: run `maxloyalty migrate` as the table owner (or set DATABASE_MIGRATION_URL)"
    )]
    PendingMigrations(usize),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// Anything else.
    #[error("{0}")]
    Other(String),
}

/// Connects and brings the schema up to date: SQLite migrates in place; on
/// PostgreSQL migrations run through the owner's URL (if given) and the
/// server's own role must be confined by row-level security.
///
/// # Errors
/// See [`StartupError`].
pub async fn prepare_database(settings: &Settings) -> Result<Db, StartupError> {
    let is_pg = settings.database_url.starts_with("postgres");
    if is_pg {
        if let Some(owner_url) = &settings.database_migration_url {
            let owner = Db::connect(owner_url).await?;
            owner.migrate().await?;
            owner
                .connection()
                .clone()
                .close()
                .await
                .map_err(|e| StartupError::Other(e.to_string()))?;
        }
        let db = Db::connect_pooled(&settings.database_url, settings.db_pool_size).await?;
        db.check_role_is_confined().await?;
        let pending = db.pending_migrations().await?;
        if pending > 0 {
            return Err(StartupError::PendingMigrations(pending));
        }
        Ok(db)
    } else {
        let db = Db::connect(&settings.database_url).await?;
        db.migrate().await?;
        Ok(db)
    }
}

/// The key sealing secrets at rest: configured, or (development) kept in a file.
fn secrets_key(settings: &Settings) -> Result<SecretBox, StartupError> {
    if let Some(k) = &settings.secrets_key {
        return SecretBox::from_base64(k).map_err(|e| StartupError::Other(e.to_string()));
    }
    let path = &settings.secrets_key_file;
    let key = match std::fs::read_to_string(path) {
        Ok(k) => k,
        Err(_) => {
            let k = SecretBox::generate_key();
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StartupError::Other(format!("{}: {e}", dir.display())))?;
            }
            std::fs::write(path, &k)
                .map_err(|e| StartupError::Other(format!("{}: {e}", path.display())))?;
            tracing::warn!(file = %path.display(), "created a development secrets key; set MAXLOYALTY_SECRETS_KEY in production");
            k
        }
    };
    SecretBox::from_base64(&key)
        .map_err(|e| StartupError::Other(format!("{}: {e}", path.display())))
}

/// The event publisher: the in-process broadcast, or Redis in front of it when
/// `REDIS_URL` is set (with a probe saying whether Redis is connected).
fn event_publisher(
    settings: &Settings,
    bus: &crate::realtime::LocalBus,
) -> Result<(Arc<dyn EventPublisher>, Option<RedisStatus>), StartupError> {
    let Some(url) = settings
        .redis_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    else {
        return Ok((Arc::new(bus.clone()), None));
    };
    let redis = RedisBus::start(url, &settings.redis_prefix, Arc::new(bus.clone()))
        .map_err(|e| StartupError::Other(e.to_string()))?;
    tracing::info!(prefix = %settings.redis_prefix, "live events go through Redis (connecting in the background)");
    let status: RedisStatus = Arc::new(redis.status());
    Ok((Arc::new(redis), Some(status)))
}

/// Outgoing mail: SMTP when `smtp_url` is set, else `.eml` files in `mail_dir`.
fn mailer(settings: &Settings) -> Result<Arc<dyn Mailer>, StartupError> {
    match settings
        .smtp_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) => {
            let m = LettreMailer::smtp(url, &settings.mail_from).map_err(StartupError::Other)?;
            tracing::info!(smtp = %infra::mail::redact_url(url), from = %settings.mail_from, "e-mail goes through SMTP");
            Ok(Arc::new(m))
        }
        None => {
            let dir = &settings.mail_dir;
            let m = LettreMailer::files(dir, &settings.mail_from).map_err(StartupError::Other)?;
            let shown = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
            tracing::info!(folder = %shown.display(), "no MAXLOYALTY_SMTP_URL: e-mails are written as .eml files to {} (open them with any mail reader)", shown.display());
            Ok(Arc::new(m))
        }
    }
}

/// A built server, bound and ready to run.
pub struct Application {
    acceptor: TcpAcceptor,
    port: u16,
    endpoint: poem::endpoint::BoxEndpoint<'static>,
    grace: Duration,
    /// The identity service (exposed for seeding and tests).
    pub identity: Arc<IdentityService>,
    /// The loyalty service (exposed for scheduled operations and tests).
    pub loyalty: Arc<LoyaltyService>,
    /// The job queue (exposed for tests).
    pub jobs: Arc<dyn domain::jobs::JobQueue>,
    worker: Option<crate::jobs::RunningWorker>,
    /// Lines to print once the server is up (demo logins).
    pub banner: Vec<String>,
}

impl Application {
    /// Builds the application from settings.
    ///
    /// # Errors
    /// See [`StartupError`].
    pub async fn build(settings: Settings, overrides: Overrides) -> Result<Self, StartupError> {
        let db = prepare_database(&settings).await?;
        let addr = format!("{}:{}", settings.host, settings.port);
        let acceptor = TcpListener::bind(addr.clone())
            .into_acceptor()
            .await
            .map_err(|source| StartupError::Bind {
                addr: addr.clone(),
                source,
            })?;
        let port = acceptor
            .local_addr()
            .iter()
            .find_map(|a| a.as_socket_addr().map(std::net::SocketAddr::port))
            .ok_or_else(|| StartupError::Other("the listener has no address".into()))?;

        let clock: Arc<dyn Clock> = overrides.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let secret = match &settings.jwt_secret {
            Some(s) => s.as_bytes().to_vec(),
            None => {
                tracing::warn!(
                    "no MAXLOYALTY_JWT_SECRET: using a random one for this run (access tokens end at restart; refresh keeps sessions)"
                );
                use domain::identity::ports::SecretGenerator;
                RandomSecrets.generate().into_bytes()
            }
        };
        let store = Arc::new(SqlStore::new(db.clone(), Arc::clone(&clock)));
        // What every check reads and almost never changes, cached for 5 s.
        let hot = Arc::new(infra::cache::HotConfig::new(
            store.clone(),
            std::time::Duration::from_secs(5),
        ));
        // Subscriptions always read this process's broadcast; with Redis the
        // broadcast is fed from Redis (every process sees every event).
        let bus = crate::realtime::LocalBus::default();
        let (events, redis_up) = event_publisher(&settings, &bus)?;
        let tokens: Arc<HsJwt> = Arc::new(HsJwt::new(&secret).map_err(StartupError::Other)?);
        let sealer = Arc::new(secrets_key(&settings)?);
        let loyalty = Arc::new(LoyaltyService::new(LoyaltyDeps {
            ledger: store.clone(),
            guests: store.clone(),
            config: hot.clone(),
            promotions: hot.clone(),
            tenants: hot.clone(),
            locations: hot.clone(),
            secrets: Arc::new(RandomSecrets),
            clock: Arc::clone(&clock),
            events: Arc::clone(&events),
            tokens: tokens.clone(),
            bots: Arc::new(SqlBotVault::new(
                db.clone(),
                Arc::clone(&sealer),
                Arc::clone(&clock),
            )),
            telegram: Arc::new(MiniAppAuth::default()),
        }));
        // The transport sends; what the services send goes through the outbox
        // (a `mail.send` job). An injected mailer (tests) is used directly.
        let (mailer, outbox_mail): (Arc<dyn Mailer>, bool) = match overrides.mailer {
            Some(m) => (m, false),
            None => (mailer(&settings)?, true),
        };
        let queue: Arc<dyn domain::jobs::JobQueue> = Arc::new(infra::jobs::SqlJobQueue::new(
            db.clone(),
            Arc::clone(&clock),
        ));
        let transport = Arc::clone(&mailer);
        let mailer: Arc<dyn Mailer> = if outbox_mail {
            Arc::new(infra::mail::OutboxMailer::new(
                Arc::clone(&queue),
                Arc::clone(&sealer),
            ))
        } else {
            mailer
        };
        // One policy cache: what identity changes, notifications see at once.
        let authorizer = Arc::new(CasbinAuthorizer::new(db.clone()));
        let deps = IdentityDeps {
            users: store.clone(),
            throttle: store.clone(),
            tenants: hot.clone(),
            staff: store.clone(),
            invitations: store.clone(),
            sessions: store.clone(),
            password_resets: store.clone(),
            locations: hot.clone(),
            policies: store.clone(),
            audit: store.clone(),
            authorizer: authorizer.clone(),
            api_keys: store.clone(),
            hasher: Arc::new(Argon2Hasher::new().map_err(StartupError::Other)?),
            tokens,
            secrets: Arc::new(RandomSecrets),
            mailer: Arc::clone(&mailer),
            clock: Arc::clone(&clock),
        };
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}:{port}", settings.host));
        let public_url_for_links = public_url.clone();
        let policy = SessionPolicy {
            public_url,
            ..SessionPolicy::default()
        };
        let identity = Arc::new(IdentityService::new(deps, policy));
        // socket.io: its rooms are fed from the same broadcast as subscriptions.
        let live = crate::live::LiveLimits::new(settings.max_live_connections_per_tenant);
        let live_runtime = crate::live::LiveRuntime::start(settings.live_threads)
            .map_err(|e| StartupError::Other(format!("live connection threads: {e}")))?;
        let socketio = crate::socketio::SocketIoEndpoint::start(
            Arc::clone(&identity),
            &bus,
            live.clone(),
            live_runtime.clone(),
        );

        queue
            .register_schedules(&crate::jobs::schedules())
            .await
            .map_err(|e| StartupError::Other(e.to_string()))?;
        let integration_store = Arc::new(infra::db::SqlIntegrations::new(
            db.clone(),
            Arc::clone(&sealer),
            Arc::clone(&clock),
        ));
        let integrations = Arc::new(domain::integrations::IntegrationService::new(
            domain::integrations::IntegrationDeps {
                integrations: integration_store.clone(),
                events: integration_store,
                locations: hot.clone(),
                loyalty: Arc::clone(&loyalty),
                secrets: Arc::new(RandomSecrets),
                verifier: Arc::new(infra::integrations::PosSignatures),
                iiko: Arc::new(
                    infra::integrations::IikoCloudApi::new(&settings.iiko_api_url)
                        .map_err(StartupError::Other)?,
                ),
                clock: Arc::clone(&clock),
            },
        ));
        let webhooks = Arc::new(domain::webhooks::WebhookService::new(
            domain::webhooks::WebhookDeps {
                store: Arc::new(infra::db::SqlWebhooks::new(
                    db.clone(),
                    Arc::clone(&sealer),
                    Arc::clone(&clock),
                )),
                transport: Arc::new(
                    infra::webhooks::HttpTransport::new(settings.webhooks_allow_private)
                        .map_err(StartupError::Other)?,
                ),
                signer: Arc::new(infra::webhooks::StandardWebhooks),
                secrets: Arc::new(RandomSecrets),
                staff: store.clone(),
                mailer: Arc::clone(&mailer),
                clock: Arc::clone(&clock),
            },
        ));
        let mut bot_api = infra::telegram::BotApi::new(&settings.telegram_api_url)
            .map_err(StartupError::Other)?;
        // Several processes share the bots' rate limits through the same Redis as the events.
        if let Some(url) = settings
            .redis_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        {
            bot_api = bot_api
                .share_limits(url, &settings.redis_prefix)
                .map_err(StartupError::Other)?;
        }
        let telegram = Arc::new(bot_api);
        let notifications = Arc::new(domain::notifications::NotificationService::new(
            domain::notifications::NotificationDeps {
                store: store.clone(),
                staff: store.clone(),
                authorizer,
                guests: store.clone(),
                tenants: hot.clone(),
                bots: Arc::new(SqlBotVault::new(
                    db.clone(),
                    Arc::clone(&sealer),
                    Arc::clone(&clock),
                )),
                telegram,
                // Notifications are sent from their own delivery jobs.
                mailer: Arc::clone(&transport),
                events: Arc::clone(&events),
                clock: Arc::clone(&clock),
            },
        ));
        let mut handlers = crate::jobs::handlers(
            &queue,
            store.clone(),
            &loyalty,
            &integrations,
            &webhooks,
            &notifications,
        );
        handlers.insert(
            infra::mail::SEND_JOB.into(),
            Arc::new(infra::mail::SendMailJob::new(
                Arc::clone(&transport),
                Arc::clone(&sealer),
            )),
        );
        handlers.insert(
            crate::jobs::PURGE_JOB.into(),
            crate::jobs::purge_handler(Arc::clone(&queue), Arc::clone(&clock)),
        );
        let only_kinds = match settings.worker_kinds.as_deref() {
            Some(list) => {
                let wanted =
                    crate::jobs::parse_kinds(list, &handlers).map_err(StartupError::Other)?;
                handlers.retain(|kind, _| wanted.contains(kind));
                true
            }
            None => false,
        };
        let worker = settings.worker_enabled.then(|| {
            crate::jobs::RunningWorker::start(
                Arc::clone(&queue),
                handlers,
                only_kinds,
                settings.worker_concurrency,
                Duration::from_secs(settings.shutdown_grace_secs),
                settings.worker_visibility_secs,
            )
        });
        let jobs_admin = Arc::new(domain::jobs::JobsAdmin::new(Arc::clone(&queue)));

        let dev = settings.env == Environment::Development;
        let limits = Limits {
            depth: settings.graphql_max_depth,
            complexity: settings.graphql_max_complexity,
        };
        let schema = graphql::build(
            Arc::clone(&identity),
            Arc::clone(&loyalty),
            Arc::clone(&jobs_admin),
            Arc::clone(&integrations),
            graphql::integrations::PublicUrl(public_url_for_links.clone()),
            Arc::clone(&webhooks),
            Arc::clone(&notifications),
            bus,
            limits,
            dev,
        );
        let probe_db = db.clone();
        let database_ready: Probe = Arc::new(move || {
            let db = probe_db.clone();
            Box::pin(async move { db.ping().await })
        });
        let subscriptions = crate::graphql::shared::SharedSubscriptions::new(
            schema.clone(),
            Arc::clone(&identity),
            settings.share_subscriptions,
        );
        let state = Arc::new(AppState {
            schema,
            subscriptions,
            identity: Arc::clone(&identity),
            database_ready,
            redis_up,
            jobs: jobs_admin,
            integrations,
            worker_waker: worker.as_ref().map(crate::jobs::RunningWorker::waker),
            max_body_bytes: settings.max_body_bytes,
            graphiql: dev,
            live,
            live_runtime,
            socketio,
        });
        let endpoint = http::routes(state, &settings.web_dir)
            .with(poem::middleware::Tracing)
            .boxed();

        let banner = if settings.demo {
            crate::demo::seed(&identity)
                .await
                .map_err(StartupError::Other)?
        } else {
            Vec::new()
        };
        Ok(Self {
            acceptor,
            port,
            endpoint,
            grace: Duration::from_secs(settings.shutdown_grace_secs),
            identity,
            loyalty,
            jobs: queue,
            worker,
            banner,
        })
    }

    /// The bound port.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until `shutdown` completes, then drains in-flight requests.
    ///
    /// # Errors
    /// The server failed.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send,
    ) -> std::io::Result<()> {
        let served = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(self.endpoint, shutdown, Some(self.grace))
            .await;
        // Requests have drained; jobs finish (or go back to the queue) next.
        if let Some(w) = self.worker {
            w.stop().await;
        }
        served
    }

    /// Runs only the job worker (no HTTP) until `shutdown` completes.
    pub async fn work_until(self, shutdown: impl std::future::Future<Output = ()> + Send) {
        drop(self.acceptor);
        shutdown.await;
        if let Some(w) = self.worker {
            w.stop().await;
        }
    }
}
