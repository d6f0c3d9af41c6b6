//! Spawning the app, a GraphQL client, fakes (mailer, clock) and builders.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use api::config::Settings;
use api::startup::{Application, Overrides};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::identity::ports::{EmailMessage, MailError, Mailer};
use domain::ports::Clock;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Defines one test per backend from an `async fn(Backend)`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if $crate::helpers::postgres_available().await {
                    super::$name($crate::helpers::Backend::Postgres).await;
                }
            }
        }
    };
}

/// Records e-mails instead of sending them.
#[derive(Default)]
pub struct RecordingMailer {
    pub sent: Mutex<Vec<EmailMessage>>,
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, m: &EmailMessage) -> Result<(), MailError> {
        self.sent
            .lock()
            .map_err(|e| MailError::NotSent(e.to_string()))?
            .push(m.clone());
        Ok(())
    }
}

impl RecordingMailer {
    /// The invitation token in the last mail to `email`.
    pub fn token_for(&self, email: &str) -> String {
        let sent = self.sent.lock().expect("mailer lock");
        let m = sent
            .iter()
            .rev()
            .find(|m| m.to.as_ref() == email)
            .unwrap_or_else(|| panic!("no mail to {email}"));
        let start = m.text.find("token=").expect("a link with a token") + "token=".len();
        m.text[start..]
            .split_whitespace()
            .next()
            .expect("token")
            .to_owned()
    }
}

/// A clock tests can move.
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn new() -> Self {
        Self(Mutex::new(Utc::now()))
    }
    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().expect("clock") += by;
    }
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().expect("clock") = at;
    }
    pub fn now_ts(&self) -> i64 {
        self.0.lock().expect("clock").timestamp()
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub mailer: Arc<RecordingMailer>,
    pub clock: Arc<TestClock>,
    /// The URL the server itself uses.
    pub database_url: String,
    pub loyalty: Arc<domain::loyalty::LoyaltyService>,
    pub jobs: Arc<dyn domain::jobs::JobQueue>,
    _dir: Option<tempdir::Dir>,
}

/// A minimal temporary directory (removed on drop).
pub mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    pub fn new() -> Dir {
        let p = std::env::temp_dir().join(format!("maxloyalty-test-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&p).expect("temp dir");
        Dir(p)
    }
}

pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_ADMIN_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_mode() -> String {
    std::env::var("MAXLOYALTY_TEST_PG").unwrap_or_else(|_| "auto".into())
}

/// The login role the server uses in tests: not a superuser, owns nothing.
pub const TEST_APP_ROLE: &str = "maxloyalty_test_app";

static PG: OnceCell<Option<String>> = OnceCell::const_new();

pub fn with_db(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').expect("a database URL with a path");
    format!("{base}/{db}")
}

pub fn with_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("scheme");
    let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}@{host}")
}

pub async fn admin_exec(url: &str, sql: &str) -> Result<(), sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
    let db = Database::connect(url).await?;
    let r = db
        .execute_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
        .await;
    let _ = db.close().await;
    r.map(|_| ())
}

/// Prepares the migrated template database once per test run. `None` when
/// PostgreSQL is unreachable and `MAXLOYALTY_TEST_PG` is not `require`.
async fn pg_template() -> Option<String> {
    PG.get_or_init(|| async {
        let mode = pg_mode();
        if mode == "off" {
            eprintln!("SKIPPED: PostgreSQL tests are off (MAXLOYALTY_TEST_PG=off)");
            return None;
        }
        let admin = admin_url();
        let template = format!("mlt_t{}_{}", chrono::Utc::now().timestamp(), std::process::id());
        let setup = async {
            use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
            let db = Database::connect(admin.as_str()).await?;
            // Drop databases left by earlier runs (older than two hours: a run going on
            // beside this one keeps its own).
            let cutoff = chrono::Utc::now().timestamp() - 2 * 3600;
            let old = db
                .query_all_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT datname FROM pg_database WHERE datname LIKE 'mlt\\_%'",
                ))
                .await?;
            for row in old {
                let name: String = row.try_get("", "datname")?;
                let born = name
                    .trim_start_matches("mlt_")
                    .trim_start_matches(['t', 'd'])
                    .split('_')
                    .next()
                    .and_then(|t| t.parse::<i64>().ok())
                    .unwrap_or(0);
                if born > cutoff {
                    continue;
                }
                let _ = db
                    .execute_raw(Statement::from_string(DbBackend::Postgres, format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
                    .await;
            }
            db.execute_raw(Statement::from_string(DbBackend::Postgres, format!("CREATE DATABASE \"{template}\""))).await?;
            let _ = db.close().await;
            let tpl_url = with_db(&admin, &template);
            let owner = infra::Db::connect(&tpl_url).await.map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
            owner.migrate().await.map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
            owner.connection().clone().close().await?;
            admin_exec(
                &admin,
                &format!(
                    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{TEST_APP_ROLE}') THEN \
                     CREATE ROLE {TEST_APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$"
                ),
            )
            .await?;
            admin_exec(&admin, &format!("GRANT {} TO {TEST_APP_ROLE}", migrations::rls::APP_ROLE)).await?;
            Ok::<_, sea_orm::DbErr>(template.clone())
        };
        match tokio::time::timeout(Duration::from_secs(60), setup).await {
            Ok(Ok(t)) => Some(t),
            Ok(Err(e)) => pg_unavailable(&format!("{e}")),
            Err(_) => pg_unavailable("timed out"),
        }
    })
    .await
    .clone()
}

fn pg_unavailable(why: &str) -> Option<String> {
    assert!(
        pg_mode() != "require",
        "PostgreSQL is required (MAXLOYALTY_TEST_PG=require) but unusable at {}: {why}",
        admin_url()
    );
    eprintln!(
        "SKIPPED: PostgreSQL tests: {} is unusable: {why}",
        admin_url()
    );
    None
}

/// Whether the PostgreSQL variant of a test can run (prints SKIPPED when not).
pub async fn postgres_available() -> bool {
    pg_template().await.is_some()
}

/// A fresh PostgreSQL database cloned from the template; returns (owner URL, app URL).
pub async fn fresh_pg_database() -> (String, String) {
    let template = pg_template().await.expect("PostgreSQL is available");
    let name = format!(
        "mlt_d{}_{}",
        chrono::Utc::now().timestamp(),
        uuid::Uuid::now_v7().simple()
    );
    admin_exec(
        &admin_url(),
        &format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
    )
    .await
    .expect("create test db");
    let owner = with_db(&admin_url(), &name);
    let app = with_user(&owner, TEST_APP_ROLE);
    (owner, app)
}

pub fn settings_for(database_url: String) -> Settings {
    Settings {
        port: 0,
        database_url,
        jwt_secret: Some("test-secret-test-secret-test-secret!".into()),
        secrets_key: Some(infra::secret_box::SecretBox::generate_key()),
        web_dir: std::path::PathBuf::from("/nonexistent"),
        // Tests drive scheduled work by hand; the worker's own tests switch it on.
        worker_enabled: false,
        ..Settings::default()
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let (database_url, dir) = match backend {
        Backend::Sqlite => {
            let dir = tempdir::new();
            (
                format!("sqlite://{}/test.db?mode=rwc", dir.0.display()),
                Some(dir),
            )
        }
        Backend::Postgres => (fresh_pg_database().await.1, None),
    };
    let mut settings = settings_for(database_url.clone());
    tweak(&mut settings);
    let mailer = Arc::new(RecordingMailer::default());
    let clock = Arc::new(TestClock::new());
    // A test that configures an SMTP server gets the real mailer (and its own sink).
    let real_mail = settings.smtp_url.is_some();
    let overrides = Overrides {
        mailer: (!real_mail).then(|| mailer.clone() as Arc<dyn Mailer>),
        clock: Some(clock.clone()),
    };
    let app = Application::build(settings, overrides)
        .await
        .expect("the app starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let loyalty = Arc::clone(&app.loyalty);
    let jobs = Arc::clone(&app.jobs);
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        base,
        http: reqwest::Client::new(),
        mailer,
        clock,
        database_url,
        loyalty,
        jobs,
        _dir: dir,
    }
}

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct Session {
    pub access: String,
    pub refresh: String,
    pub user_id: String,
    pub tenant_id: String,
    pub email: String,
}

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// Posts a GraphQL operation; returns the whole JSON response.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .http
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request sent");
        assert!(
            resp.status().as_u16() < 500,
            "server error {}",
            resp.status()
        );
        resp.json().await.expect("a JSON response")
    }

    /// Posts and expects data; panics with the errors otherwise.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let v = self.gql(token, query, variables).await;
        assert!(v.get("errors").is_none(), "unexpected errors: {v}");
        v["data"].clone()
    }

    pub async fn sign_up(&self, business: &str, email: &str) -> Session {
        let d = self
            .ok(
                None,
                "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken refreshToken me { user { id } tenant { id } } } }",
                json!({ "i": { "businessName": business, "locationName": "Main", "email": email, "password": PASSWORD, "displayName": "Owner" } }),
            )
            .await;
        session_from(&d["signUp"], email)
    }

    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.gql(
            None,
            "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken me { role user { id } tenant { id } } } }",
            json!({ "i": { "email": email, "password": password } }),
        )
        .await
    }

    /// The id of the first location the caller's business has.
    pub async fn first_location(&self, token: &str) -> String {
        self.ok(Some(token), "{ locations { nodes { id } } }", json!({}))
            .await["locations"]["nodes"][0]["id"]
            .as_str()
            .expect("a location")
            .to_owned()
    }

    /// Registers a guest with this phone; returns its id.
    pub async fn create_guest(&self, token: &str, phone: &str) -> String {
        self.ok(
            Some(token),
            "mutation($p: String!) { createGuest(input: { phone: $p }) { id } }",
            json!({ "p": phone }),
        )
        .await["createGuest"]["id"]
            .as_str()
            .expect("a guest")
            .to_owned()
    }

    /// Invites `email` with `role` as `by` and accepts the invitation.
    pub async fn add_staff(&self, by: &Session, email: &str, role: &str) -> Session {
        self.ok(
            Some(&by.access),
            "mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }",
            json!({ "i": { "email": email, "role": role } }),
        )
        .await;
        let token = self.mailer.token_for(email);
        let d = self
            .ok(
                None,
                "mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken refreshToken me { user { id } tenant { id } } } }",
                json!({ "i": { "token": token, "password": PASSWORD, "displayName": email } }),
            )
            .await;
        session_from(&d["acceptInvitation"], email)
    }
}

pub fn session_from(payload: &Value, email: &str) -> Session {
    Session {
        access: payload["accessToken"].as_str().expect("access").to_owned(),
        refresh: payload["refreshToken"]
            .as_str()
            .expect("refresh")
            .to_owned(),
        user_id: payload["me"]["user"]["id"]
            .as_str()
            .expect("user")
            .to_owned(),
        tenant_id: payload["me"]["tenant"]["id"]
            .as_str()
            .expect("tenant")
            .to_owned(),
        email: email.to_owned(),
    }
}

/// The `extensions.code` of the first error, if any.
pub fn code(v: &Value) -> Option<&str> {
    v["errors"][0]["extensions"]["code"].as_str()
}

pub fn unique_email(prefix: &str) -> String {
    format!(
        "{prefix}.{}@example.com",
        &uuid::Uuid::now_v7().simple().to_string()[20..]
    )
}

/// A query or mutation field as a test client sees it.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    /// `query` or `mutation`.
    pub op: &'static str,
    pub name: String,
    /// `public`, `authenticated` or the required permission key.
    pub marker: Marker,
    /// Required arguments: (name, GraphQL type, introspected type).
    pub args: Vec<(String, String, Value)>,
    /// Whether the field returns an object (needs a selection).
    pub returns_object: bool,
    /// Every argument (required or not) of type `ID` / `ID!`.
    pub id_args: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    Public,
    Authenticated,
    Requires(String),
    Guest,
    None,
}

/// The access marker of every field of `type Query` / `type Mutation` in the SDL.
pub fn sdl_markers() -> Vec<(&'static str, String, Marker)> {
    let sdl = api::graphql::sdl();
    let mut out = Vec::new();
    let mut current: Option<&'static str> = None;
    let mut in_description = false;
    for line in sdl.lines() {
        let t = line.trim();
        if t.starts_with("\"\"\"") {
            // A one-line description opens and closes on the same line.
            if !(t.len() > 3 && t.ends_with("\"\"\"")) {
                in_description = !in_description;
            }
            continue;
        }
        if in_description {
            continue;
        }
        match t {
            "type Query {" => current = Some("query"),
            "type Mutation {" => current = Some("mutation"),
            "type Subscription {" => current = Some("subscription"),
            "}" => current = None,
            l if current.is_some() && !l.starts_with('"') && !l.is_empty() => {
                let name: String = l
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name.is_empty() {
                    continue;
                }
                let marker = if let Some(i) = l.find("@requires(permission: \"") {
                    let rest = &l[i + "@requires(permission: \"".len()..];
                    Marker::Requires(rest.split('"').next().unwrap_or_default().to_owned())
                } else if l.contains("@authenticated") {
                    Marker::Authenticated
                } else if l.contains("@public") {
                    Marker::Public
                } else if l.contains("@guest") {
                    Marker::Guest
                } else {
                    Marker::None
                };
                out.push((current.unwrap_or("query"), name, marker));
            }
            _ => {}
        }
    }
    out
}

const INTROSPECTION: &str = r"
query {
  __schema {
    types { name kind isOneOf
      fields { name args { name defaultValue type { ...T } } type { ...T } }
      inputFields { name defaultValue type { ...T } }
      enumValues { name }
    }
  }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
";

fn type_string(t: &Value) -> String {
    match t["kind"].as_str() {
        Some("NON_NULL") => format!("{}!", type_string(&t["ofType"])),
        Some("LIST") => format!("[{}]", type_string(&t["ofType"])),
        _ => t["name"].as_str().unwrap_or_default().to_owned(),
    }
}

fn named(t: &Value) -> &Value {
    if t["ofType"].is_null() {
        t
    } else {
        named(&t["ofType"])
    }
}

/// Every query and mutation field with its required arguments and marker.
pub async fn schema_fields(app: &TestApp) -> (Vec<FieldSpec>, Value) {
    let schema = app.ok(None, INTROSPECTION, json!({})).await;
    let types = schema["__schema"]["types"].clone();
    let markers = sdl_markers();
    let mut out = Vec::new();
    for (op, root) in [("query", "Query"), ("mutation", "Mutation")] {
        let t = types
            .as_array()
            .expect("types")
            .iter()
            .find(|t| t["name"] == root)
            .expect("root type");
        for f in t["fields"].as_array().expect("fields") {
            let name = f["name"].as_str().expect("name").to_owned();
            let marker = markers
                .iter()
                .find(|(o, n, _)| *o == op && *n == name)
                .map_or(Marker::None, |(_, _, m)| m.clone());
            let args = f["args"]
                .as_array()
                .expect("args")
                .iter()
                .filter(|a| a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null())
                .map(|a| {
                    (
                        a["name"].as_str().expect("arg").to_owned(),
                        type_string(&a["type"]),
                        a["type"].clone(),
                    )
                })
                .collect();
            let returns_object = matches!(
                named(&f["type"])["kind"].as_str(),
                Some("OBJECT" | "INTERFACE" | "UNION")
            );
            let id_args = f["args"]
                .as_array()
                .expect("args")
                .iter()
                .filter(|a| named(&a["type"])["name"] == "ID")
                .map(|a| a["name"].as_str().expect("arg").to_owned())
                .collect();
            out.push(FieldSpec {
                op,
                name,
                marker,
                args,
                returns_object,
                id_args,
            });
        }
    }
    (out, types)
}

/// A plausible value of a type (ids random, enums their last value).
pub fn dummy(t: &Value, types: &Value) -> Value {
    match t["kind"].as_str() {
        Some("NON_NULL") => dummy(&t["ofType"], types),
        Some("LIST") => json!([dummy(&t["ofType"], types)]),
        _ => {
            let name = t["name"].as_str().unwrap_or_default();
            let def = types
                .as_array()
                .and_then(|ts| ts.iter().find(|x| x["name"] == name))
                .cloned()
                .unwrap_or(Value::Null);
            match def["kind"].as_str() {
                Some("ENUM") => def["enumValues"]
                    .as_array()
                    .and_then(|v| v.last())
                    .map(|v| v["name"].clone())
                    .unwrap_or(Value::Null),
                Some("INPUT_OBJECT") if def["isOneOf"] == true => {
                    // Exactly one field of a @oneOf input.
                    let mut o = serde_json::Map::new();
                    if let Some(f) = def["inputFields"].as_array().and_then(|f| f.first()) {
                        o.insert(
                            f["name"].as_str().unwrap_or_default().to_owned(),
                            dummy(&f["type"], types),
                        );
                    }
                    Value::Object(o)
                }
                Some("INPUT_OBJECT") => {
                    let mut o = serde_json::Map::new();
                    for f in def["inputFields"].as_array().into_iter().flatten() {
                        if f["type"]["kind"] == "NON_NULL" && f["defaultValue"].is_null() {
                            o.insert(
                                f["name"].as_str().unwrap_or_default().to_owned(),
                                dummy(&f["type"], types),
                            );
                        }
                    }
                    Value::Object(o)
                }
                _ => match name {
                    "ID" => json!(uuid::Uuid::now_v7().to_string()),
                    "Int" => json!(1),
                    "Boolean" => json!(true),
                    "DateTime" => json!("2026-01-01T00:00:00Z"),
                    _ => json!("x"),
                },
            }
        }
    }
}

impl FieldSpec {
    /// An operation calling this field with the given argument values.
    pub fn operation(&self, values: &serde_json::Map<String, Value>) -> (String, Value) {
        let decls: Vec<String> = self
            .args
            .iter()
            .map(|(n, t, _)| format!("${n}: {t}"))
            .collect();
        let uses: Vec<String> = self
            .args
            .iter()
            .map(|(n, _, _)| format!("{n}: ${n}"))
            .collect();
        let head = if decls.is_empty() {
            self.op.to_owned()
        } else {
            format!("{}({})", self.op, decls.join(", "))
        };
        let call = if uses.is_empty() {
            self.name.clone()
        } else {
            format!("{}({})", self.name, uses.join(", "))
        };
        let sel = if self.returns_object {
            " { __typename }"
        } else {
            ""
        };
        (
            format!("{head} {{ {call}{sel} }}"),
            Value::Object(values.clone()),
        )
    }

    /// An operation with `id` values for the named id arguments and dummies for the rest.
    pub fn operation_with_ids(&self, ids: &[(&str, &str)], types: &Value) -> (String, Value) {
        let mut spec = self.clone();
        for (n, _) in ids {
            if !spec.args.iter().any(|(a, _, _)| a == n) {
                spec.args.push((
                    (*n).to_owned(),
                    "ID".into(),
                    json!({ "kind": "SCALAR", "name": "ID" }),
                ));
            }
        }
        let mut values: serde_json::Map<String, Value> = spec
            .args
            .iter()
            .map(|(n, _, t)| (n.clone(), dummy(t, types)))
            .collect();
        for (n, v) in ids {
            values.insert((*n).to_owned(), json!(v));
        }
        spec.operation(&values)
    }

    /// An operation with dummy values for every required argument.
    pub fn dummy_operation(&self, types: &Value) -> (String, Value) {
        let values = self
            .args
            .iter()
            .map(|(n, _, t)| (n.clone(), dummy(t, types)))
            .collect();
        self.operation(&values)
    }
}
