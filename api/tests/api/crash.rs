//! Crash safety with the real binary: a server killed (SIGKILL) after it
//! answered 2xx, or while its worker is processing, loses nothing and
//! accrues nothing twice once it is back.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use infra::integrations::sign_for_tests;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, tempdir};

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: &str, key: &str, worker: bool) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_maxloyalty"))
            .env("DATABASE_URL", db)
            .env("MAXLOYALTY_PORT", "0")
            .env(
                "MAXLOYALTY_JWT_SECRET",
                "crash-test-secret-crash-test-secret!!",
            )
            .env("MAXLOYALTY_SECRETS_KEY", key)
            .env("MAXLOYALTY_WEB_DIR", "/nonexistent")
            .env("MAXLOYALTY_WORKER_ENABLED", worker.to_string())
            .env("MAXLOYALTY_WORKER_VISIBILITY_SECS", "3")
            .env("MAXLOYALTY_LOG_FORMAT", "json")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server prints its address")
                .expect("a line");
            if let Some(rest) = line.strip_prefix("MaxLoyalty listening on ") {
                break rest.trim().to_owned();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Self { child, base }
    }

    fn kill(mut self) {
        // SIGKILL: no draining, no shutdown hooks.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn gql(http: &reqwest::Client, base: &str, token: Option<&str>, q: &str, v: Value) -> Value {
    let mut req = http
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": q, "variables": v }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r: Value = req
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert!(r["errors"].is_null(), "unexpected errors: {r}");
    r["data"].clone()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_accrues_every_accepted_check_exactly_once() {
    let dir = tempdir::new();
    let db = format!("sqlite://{}/crash.db?mode=rwc", dir.0.display());
    let key = infra::secret_box::SecretBox::generate_key();
    let http = reqwest::Client::new();

    // 1. A server without a worker: deliveries are stored and answered, not processed.
    let server = Server::start(&db, &key, false);
    let base = server.base.clone();
    let owner = gql(
        &http,
        &base,
        None,
        "mutation($e: String!, $p: String!) { signUp(input: { businessName: \"Crash\", locationName: \"Main\", email: $e, password: $p, displayName: \"O\" }) { accessToken } }",
        json!({ "e": "crash-owner@example.com", "p": PASSWORD }),
    )
    .await["signUp"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let location = gql(
        &http,
        &base,
        Some(&owner),
        "{ locations { nodes { id } } }",
        json!({}),
    )
    .await["locations"]["nodes"][0]["id"]
        .as_str()
        .expect("location")
        .to_owned();
    let created = gql(
        &http,
        &base,
        Some(&owner),
        "mutation($l: ID!) { createIntegration(input: { kind: POS, locationId: $l, name: \"Касса\" }) { secret integration { id } } }",
        json!({ "l": location }),
    )
    .await["createIntegration"]
        .clone();
    let secret = created["secret"].as_str().expect("secret").to_owned();
    let integration = created["integration"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let guests = 40;
    for i in 0..guests {
        gql(
            &http,
            &base,
            Some(&owner),
            "mutation($p: String!) { createGuest(input: { phone: $p }) { id } }",
            json!({ "p": format!("+7999100{i:04}") }),
        )
        .await;
    }
    let send = |base: String, i: usize| {
        let (http, secret, integration) = (http.clone(), secret.clone(), integration.clone());
        async move {
            let body = json!({ "type": "check.closed", "externalId": format!("K-{i}"),
                "guest": { "phone": format!("+7999100{:04}", i % guests) }, "totalMinor": 100_000 })
            .to_string();
            http.post(format!("{base}/webhooks/pos/{integration}"))
                .header(
                    "x-signature",
                    sign_for_tests(&secret, now(), body.as_bytes()),
                )
                .body(body)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .ok()
        }
    };
    let first = send(base.clone(), 0).await;
    assert_eq!(first, Some(202));
    server.kill();

    // 2. Back with a worker, killed while it works through a stream of checks.
    let server = Server::start(&db, &key, true);
    let mut accepted = vec![0_usize];
    let mut sends = Vec::new();
    for i in 1..120 {
        sends.push(tokio::spawn(send(server.base.clone(), i)));
        if i == 60 {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill();
    for (i, s) in sends.into_iter().enumerate() {
        if s.await
            .ok()
            .flatten()
            .is_some_and(|st| st == 200 || st == 202)
        {
            accepted.push(i + 1);
        }
    }
    assert!(
        accepted.len() > 1,
        "some checks were accepted before the kill"
    );

    // 3. Back again: every accepted check is accrued exactly once (a few seconds
    // for the killed worker's locks to lapse). Re-sending them all changes nothing.
    // A check whose answer the kill swallowed may or may not have been stored: the
    // POS sends it again, as it would, so every check ends up accepted exactly once.
    let server = Server::start(&db, &key, true);
    let base = server.base.clone();
    let owner = gql(
        &http,
        &base,
        None,
        "mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken } }",
        json!({ "e": "crash-owner@example.com", "p": PASSWORD }),
    )
    .await["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let all: Vec<usize> = (0..120).collect();
    for i in &all {
        let answer = send(base.clone(), *i).await;
        assert!(matches!(answer, Some(200 | 202)), "check {i}: {answer:?}");
    }
    let expected: i64 = 30 * i64::try_from(all.len()).unwrap_or(0);
    let total = || async {
        let r = gql(
            &http,
            &base,
            Some(&owner),
            "{ guests(first: 100) { nodes { account { balance } } } }",
            json!({}),
        )
        .await;
        r["guests"]["nodes"]
            .as_array()
            .expect("guests")
            .iter()
            .map(|g| g["account"]["balance"].as_i64().unwrap_or(0))
            .sum::<i64>()
    };
    let mut seen = 0;
    for _ in 0..300 {
        seen = total().await;
        if seen >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        seen,
        expected,
        "{} checks × 30 points ({} answered before the kill)",
        all.len(),
        accepted.len()
    );
    // And it stays there: nothing is processed twice later.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(total().await, expected);
    drop(server);
}
