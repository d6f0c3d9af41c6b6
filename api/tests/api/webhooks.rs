//! Outbound webhooks over real HTTP: a mock receiver on 127.0.0.1 records what
//! the in-process worker sends, scripted answers drive retries, 410 and
//! rotation, and an independent Python verifier (standard library only)
//! checks every signature the receiver got.

use std::collections::{HashMap, VecDeque};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::Duration;
use domain::Ctx;
use domain::loyalty::tasks::Task;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::both_backends;
use crate::helpers::{
    Backend, PASSWORD, Session, TestApp, code, spawn_app, spawn_app_with, unique_email,
};
use crate::jobs::wait_for;

/// What the receiver answers to one request.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn reply(status: u16) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: format!("answer {status}"),
    }
}

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    headers: HashMap<String, String>,
    body: String,
    answered: u16,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A tiny HTTP/1.1 server: answers from a script (then 200), records requests.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(script: Vec<Reply>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the receiver");
        let url = format!("http://{}/hooks", listener.local_addr().expect("address"));
        let got = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let (g, s) = (Arc::clone(&got), Arc::clone(&script));
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let (g, s) = (Arc::clone(&g), Arc::clone(&s));
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0_u8; 4096];
                    let head_end = loop {
                        let n = sock.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                    let headers: HashMap<String, String> = head
                        .lines()
                        .skip(1)
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let len: usize = headers
                        .get("content-length")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    while buf.len() < head_end + len {
                        let n = sock.read(&mut chunk).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    let body = String::from_utf8_lossy(&buf[head_end..]).to_string();
                    let r = s
                        .lock()
                        .expect("script")
                        .pop_front()
                        .unwrap_or_else(|| reply(200));
                    g.lock().expect("log").push(Received {
                        headers,
                        body,
                        answered: r.status,
                    });
                    let mut out = format!(
                        "HTTP/1.1 {} Scripted\r\ncontent-length: {}\r\nconnection: close\r\n",
                        r.status,
                        r.body.len()
                    );
                    for (k, v) in &r.headers {
                        out.push_str(&format!("{k}: {v}\r\n"));
                    }
                    out.push_str("\r\n");
                    out.push_str(&r.body);
                    let _ = sock.write_all(out.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        Self { url, got }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().expect("log").clone()
    }

    fn count(&self) -> usize {
        self.got.lock().expect("log").len()
    }

    async fn wait_for_count(&self, n: usize) {
        wait_for(&format!("{n} request(s) at the receiver"), || async {
            self.count() >= n
        })
        .await;
    }
}

/// Runs the Python verifier over everything `r` received; returns, per
/// request, the indexes of `secrets` with a valid signature and the number of
/// signatures sent.
fn verify_in_python(r: &Receiver, secrets: &[&str]) -> Vec<(Vec<usize>, usize)> {
    let deliveries: Vec<Value> = r
        .received()
        .iter()
        .map(|x| {
            json!({
                "id": x.header("webhook-id"),
                "timestamp": x.header("webhook-timestamp"),
                "signature": x.header("webhook-signature"),
                "body": x.body,
            })
        })
        .collect();
    let dir = crate::helpers::tempdir::new();
    let input = dir.0.join("deliveries.json");
    std::fs::write(
        &input,
        json!({ "secrets": secrets, "deliveries": deliveries }).to_string(),
    )
    .expect("write the deliveries");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("python3")
        .arg(root.join("tests/api/webhook_verifier.py"))
        .arg(root.join("../fixtures/signatures/vectors.json"))
        .arg(&input)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the Python verifier failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("the verifier's JSON");
    v.as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["valid"]
                    .as_array()
                    .expect("valid")
                    .iter()
                    .map(|i| usize::try_from(i.as_u64().expect("index")).expect("index"))
                    .collect(),
                usize::try_from(d["signatures"].as_u64().expect("count")).expect("count"),
            )
        })
        .collect()
}

/// Every request was signed by `secret` (index 0) alone.
fn all_signed_by_one(r: &Receiver, secret: &str) {
    let results = verify_in_python(r, &[secret]);
    assert_eq!(results.len(), r.count());
    for (valid, n) in results {
        assert_eq!((valid, n), (vec![0], 1), "one valid signature per request");
    }
}

const CREATE: &str = "mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id url eventTypes enabled } } }";

async fn create_endpoint(
    app: &TestApp,
    s: &Session,
    url: &str,
    types: &[&str],
) -> (String, String) {
    let d = app
        .ok(
            Some(&s.access),
            CREATE,
            json!({ "i": { "url": url, "eventTypes": types, "description": "test receiver" } }),
        )
        .await;
    let e = &d["createWebhookEndpoint"];
    let secret = e["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (e["endpoint"]["id"].as_str().expect("id").to_owned(), secret)
}

const LOG: &str = "query($e: ID!) { webhookDeliveries(endpointId: $e) { totalCount nodes { id eventId eventType status attemptCount lastStatusCode nextAttemptAt attempts { number statusCode latencyMs responseExcerpt error attemptedAt } } } }";

async fn delivery_log(app: &TestApp, s: &Session, endpoint: &str) -> Value {
    app.ok(Some(&s.access), LOG, json!({ "e": endpoint })).await["webhookDeliveries"].clone()
}

async fn new_guest(app: &TestApp, s: &Session, phone: &str) -> String {
    app.ok(
        Some(&s.access),
        "mutation($p: String!) { createGuest(input: { phone: $p, name: \"Гость\" }) { id } }",
        json!({ "p": phone }),
    )
    .await["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned()
}

async fn adjust(app: &TestApp, s: &Session, guest: &str, points: i64) {
    app.ok(
        Some(&s.access),
        "mutation($g: ID!, $p: Int!) { adjustPoints(guestId: $g, points: $p, reason: \"webhook test\") { balance } }",
        json!({ "g": guest, "p": points }),
    )
    .await;
}

async fn allowing_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |s| {
        s.worker_enabled = true;
        s.webhooks_allow_private = true;
    })
    .await
}

/// Sleeps in real time (the worker polls every second).
async fn settle() {
    tokio::time::sleep(StdDuration::from_millis(2500)).await;
}

async fn a_receiver_that_fails_twice_gets_one_success_with_the_same_webhook_id(backend: Backend) {
    let app = allowing_app(backend).await;
    let owner = app.sign_up("Хуки", &unique_email("owner")).await;
    let mut throttled = reply(429);
    throttled.headers.push(("retry-after", "60".into()));
    let receiver = Receiver::start(vec![throttled, reply(500), reply(200)]).await;
    let (endpoint, secret) =
        create_endpoint(&app, &owner, &receiver.url, &["points.adjusted"]).await;
    let guest = new_guest(&app, &owner, "+79990007001").await;
    adjust(&app, &owner, &guest, 100).await;

    receiver.wait_for_count(1).await;
    wait_for("the first attempt in the log", || async {
        delivery_log(&app, &owner, &endpoint).await["nodes"][0]["attemptCount"] == 1
    })
    .await;
    // 429 with Retry-After: 60 → not on the 5 s step of the schedule.
    let log = delivery_log(&app, &owner, &endpoint).await;
    let d = &log["nodes"][0];
    assert_eq!(d["status"], "PENDING", "{log}");
    assert_eq!(d["lastStatusCode"], 429);
    let attempted = chrono::DateTime::parse_from_rfc3339(
        d["attempts"][0]["attemptedAt"].as_str().expect("time"),
    )
    .expect("time");
    let next = chrono::DateTime::parse_from_rfc3339(d["nextAttemptAt"].as_str().expect("next"))
        .expect("time");
    assert!(
        next - attempted >= Duration::seconds(60),
        "Retry-After honoured: {log}"
    );
    let failing_since = || async {
        app.ok(
            Some(&owner.access),
            "{ webhookEndpoints { failingSince } }",
            json!({}),
        )
        .await["webhookEndpoints"][0]["failingSince"]
            .clone()
    };
    let since = failing_since().await;
    assert_eq!(
        since
            .as_str()
            .map(|s| chrono::DateTime::parse_from_rfc3339(s).expect("time")),
        Some(attempted),
        "failing since the first failure"
    );
    app.clock.advance(Duration::seconds(6));
    settle().await;
    assert_eq!(receiver.count(), 1, "not before the Retry-After");
    app.clock.advance(Duration::seconds(60));
    receiver.wait_for_count(2).await;
    // The second failure waits for the schedule's 5 minutes.
    app.clock.advance(Duration::seconds(20));
    settle().await;
    assert_eq!(receiver.count(), 2, "the schedule's next step is 5 minutes");
    assert_eq!(
        failing_since().await,
        since,
        "a second failure keeps the first failure's time"
    );
    app.clock.advance(Duration::minutes(6));
    receiver.wait_for_count(3).await;
    wait_for("the delivery to succeed", || async {
        delivery_log(&app, &owner, &endpoint).await["nodes"][0]["status"] == "SUCCEEDED"
    })
    .await;
    settle().await;
    assert!(
        failing_since().await.is_null(),
        "a success makes the endpoint healthy again"
    );

    let got = receiver.received();
    assert_eq!(got.len(), 3, "nothing after the success");
    assert_eq!(
        got.iter()
            .filter(|r| (200..300).contains(&r.answered))
            .count(),
        1,
        "exactly one successful delivery"
    );
    let id = got[0].header("webhook-id").to_owned();
    assert!(id.starts_with("msg_"), "{id}");
    assert!(
        got.iter().all(|r| r.header("webhook-id") == id),
        "the same webhook-id on every attempt"
    );
    assert!(
        got.iter().all(|r| r.body == got[0].body),
        "the same body on every attempt"
    );
    assert!(
        got.iter()
            .all(|r| r.header("content-type") == "application/json")
    );
    let body = got[0].json();
    assert_eq!(body["id"], id.as_str());
    assert_eq!(body["type"], "points.adjusted");
    assert_eq!(body["version"], 1);
    assert_eq!(body["tenantId"], owner.tenant_id.as_str());
    assert_eq!(body["data"]["guestId"], guest.as_str());
    assert_eq!(body["data"]["points"], 100);
    assert_eq!(body["data"]["reason"], "webhook test");
    assert_eq!(body["data"]["account"]["balance"], 100);
    all_signed_by_one(&receiver, &secret);

    // The log shows each attempt.
    let log = delivery_log(&app, &owner, &endpoint).await;
    assert_eq!(log["totalCount"], 1, "{log}");
    let d = &log["nodes"][0];
    assert_eq!(d["eventId"], id.as_str());
    assert_eq!(d["eventType"], "points.adjusted");
    assert_eq!(d["attemptCount"], 3);
    assert_eq!(d["lastStatusCode"], 200);
    assert!(d["nextAttemptAt"].is_null());
    let attempts = d["attempts"].as_array().expect("attempts");
    let codes: Vec<i64> = attempts
        .iter()
        .map(|a| a["statusCode"].as_i64().expect("code"))
        .collect();
    assert_eq!(codes, [429, 500, 200]);
    let numbers: Vec<i64> = attempts
        .iter()
        .map(|a| a["number"].as_i64().expect("n"))
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(attempts[1]["responseExcerpt"], "answer 500");
    assert!(
        attempts[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("500"))
    );
    assert!(attempts[2]["error"].is_null());
    assert!(
        attempts
            .iter()
            .all(|a| a["latencyMs"].as_i64().is_some_and(|l| l >= 0))
    );
}
both_backends!(a_receiver_that_fails_twice_gets_one_success_with_the_same_webhook_id);

async fn a_processed_check_is_delivered_once_and_a_replay_sends_nothing(backend: Backend) {
    let app = allowing_app(backend).await;
    let owner = app.sign_up("Чеки", &unique_email("owner")).await;
    let receiver = Receiver::start(Vec::new()).await;
    let (endpoint, secret) =
        create_endpoint(&app, &owner, &receiver.url, &["check.processed"]).await;
    let guest = new_guest(&app, &owner, "+79990007002").await;
    let location = app
        .ok(
            Some(&owner.access),
            "{ locations { nodes { id } } }",
            json!({}),
        )
        .await["locations"]["nodes"][0]["id"]
        .as_str()
        .expect("location")
        .to_owned();
    let process = "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 150000, externalId: \"pos-77\" }) { checkId earned balance } }";
    let first = app
        .ok(
            Some(&owner.access),
            process,
            json!({ "l": location, "g": guest }),
        )
        .await;
    let replay = app
        .ok(
            Some(&owner.access),
            process,
            json!({ "l": location, "g": guest }),
        )
        .await;
    assert_eq!(first, replay, "a replay answers the same receipt");

    receiver.wait_for_count(1).await;
    settle().await;
    settle().await;
    assert_eq!(
        receiver.count(),
        1,
        "one check, one event: the replay emitted nothing"
    );
    let log = delivery_log(&app, &owner, &endpoint).await;
    assert_eq!(log["totalCount"], 1, "{log}");
    assert_eq!(log["nodes"][0]["status"], "SUCCEEDED");
    let body = receiver.received()[0].json();
    assert_eq!(body["type"], "check.processed");
    let r = &first["processCheck"];
    assert_eq!(body["data"]["checkId"], r["checkId"]);
    assert_eq!(body["data"]["guestId"], guest.as_str());
    assert_eq!(body["data"]["locationId"], location.as_str());
    assert_eq!(body["data"]["externalId"], "pos-77");
    assert_eq!(body["data"]["source"], "graphql");
    assert_eq!(body["data"]["totalMinor"], 150_000);
    assert_eq!(body["data"]["currency"], "RUB");
    assert_eq!(body["data"]["earnedPoints"], r["earned"]);
    assert_eq!(body["data"]["balance"], r["balance"]);
    assert_eq!(body["data"]["levelBefore"]["name"], "Bronze");
    all_signed_by_one(&receiver, &secret);
}
both_backends!(a_processed_check_is_delivered_once_and_a_replay_sends_nothing);

async fn a_410_disables_the_endpoint_and_tells_the_owner(backend: Backend) {
    let app = allowing_app(backend).await;
    let email = unique_email("owner");
    let owner = app.sign_up("Ушли", &email).await;
    let receiver = Receiver::start(vec![reply(410)]).await;
    let (endpoint, _) = create_endpoint(
        &app,
        &owner,
        &receiver.url,
        &["guest.created", "points.adjusted"],
    )
    .await;
    let guest = new_guest(&app, &owner, "+79990007003").await;
    receiver.wait_for_count(1).await;
    let endpoints = "{ webhookEndpoints { id enabled disabledReason disabledAt } }";
    wait_for("the endpoint to be disabled", || async {
        app.ok(Some(&owner.access), endpoints, json!({})).await["webhookEndpoints"][0]["enabled"]
            == false
    })
    .await;
    let e = app.ok(Some(&owner.access), endpoints, json!({})).await["webhookEndpoints"][0].clone();
    assert!(
        e["disabledReason"]
            .as_str()
            .is_some_and(|r| r.contains("410")),
        "{e}"
    );
    assert!(e["disabledAt"].is_string());
    let log = delivery_log(&app, &owner, &endpoint).await;
    assert_eq!(log["nodes"][0]["status"], "FAILED", "{log}");
    assert_eq!(log["nodes"][0]["attemptCount"], 1, "a 410 is not retried");
    // Audited, and the owner got an e-mail.
    let audit = app
        .ok(
            Some(&owner.access),
            "{ auditLog(action: \"webhook.auto_disable\") { totalCount nodes { targetId } } }",
            json!({}),
        )
        .await;
    assert_eq!(audit["auditLog"]["totalCount"], 1, "{audit}");
    assert_eq!(audit["auditLog"]["nodes"][0]["targetId"], endpoint.as_str());
    wait_for("the owner's e-mail", || async {
        app.mailer.sent.lock().expect("mail").iter().any(|m| {
            m.to.as_ref() == email
                && m.subject.contains("webhook")
                && m.text.contains(&receiver.url)
        })
    })
    .await;
    // A disabled endpoint gets nothing more.
    adjust(&app, &owner, &guest, 5).await;
    settle().await;
    assert_eq!(receiver.count(), 1);
    assert_eq!(delivery_log(&app, &owner, &endpoint).await["totalCount"], 1);
    // Enabling it again works (the URL is checked again).
    let on = app
        .ok(
            Some(&owner.access),
            "mutation($id: ID!) { enableWebhookEndpoint(id: $id) { enabled disabledReason failingSince } }",
            json!({ "id": endpoint }),
        )
        .await;
    assert_eq!(
        on["enableWebhookEndpoint"],
        json!({ "enabled": true, "disabledReason": null, "failingSince": null })
    );
}
both_backends!(a_410_disables_the_endpoint_and_tells_the_owner);

async fn private_and_metadata_targets_are_refused_at_creation(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("SSRF", &unique_email("owner")).await;
    for url in [
        "http://127.0.0.1:8080/hooks",
        "http://10.0.0.1/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hooks",
        "http://localhost/hooks",
        "http://192.168.1.10/hooks",
        "http://100.64.0.1/hooks",
        "http://0.0.0.0/hooks",
        "ftp://example.com/hooks",
        "not a url",
    ] {
        let r = app
            .gql(
                Some(&owner.access),
                CREATE,
                json!({ "i": { "url": url, "eventTypes": ["guest.created"] } }),
            )
            .await;
        assert_eq!(code(&r), Some("VALIDATION"), "{url}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "url", "{url}: {r}");
    }
    let r = app
        .gql(
            Some(&owner.access),
            CREATE,
            json!({ "i": { "url": "https://203.0.113.9/hooks", "eventTypes": ["guest.deleted"] } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "eventTypes", "{r}");
    let r = app
        .gql(
            Some(&owner.access),
            CREATE,
            json!({ "i": { "url": "https://203.0.113.9/hooks", "eventTypes": [] } }),
        )
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "eventTypes", "{r}");
    // A public address is accepted; moving it to a private one is refused too.
    let (id, _) = create_endpoint(
        &app,
        &owner,
        "https://203.0.113.9/hooks",
        &["guest.created"],
    )
    .await;
    let r = app
        .gql(
            Some(&owner.access),
            "mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { url: \"http://10.1.2.3/\" }) { url } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(code(&r), Some("VALIDATION"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["field"], "url");
    let list = app
        .ok(
            Some(&owner.access),
            "{ webhookEndpoints { url } }",
            json!({}),
        )
        .await;
    assert_eq!(
        list["webhookEndpoints"],
        json!([{ "url": "https://203.0.113.9/hooks" }])
    );
}
both_backends!(private_and_metadata_targets_are_refused_at_creation);

async fn rotation_sends_both_signatures_during_the_overlap(backend: Backend) {
    let app = allowing_app(backend).await;
    let owner = app.sign_up("Ротация", &unique_email("owner")).await;
    let receiver = Receiver::start(Vec::new()).await;
    let (endpoint, old) = create_endpoint(&app, &owner, &receiver.url, &["guest.created"]).await;
    let ping = "mutation($e: ID!) { sendTestWebhook(endpointId: $e) { id eventType status } }";
    let d = app
        .ok(Some(&owner.access), ping, json!({ "e": endpoint }))
        .await;
    assert_eq!(d["sendTestWebhook"]["eventType"], "webhook.test");
    receiver.wait_for_count(1).await;
    let rotated = app
        .ok(
            Some(&owner.access),
            "mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { previousSecretExpiresAt secretRotatedAt } } }",
            json!({ "id": endpoint }),
        )
        .await["rotateWebhookSecret"]
        .clone();
    let new = rotated["secret"].as_str().expect("secret").to_owned();
    assert_ne!(new, old);
    let until = chrono::DateTime::parse_from_rfc3339(
        rotated["endpoint"]["previousSecretExpiresAt"]
            .as_str()
            .expect("until"),
    )
    .expect("time");
    let rotated_at = chrono::DateTime::parse_from_rfc3339(
        rotated["endpoint"]["secretRotatedAt"].as_str().expect("at"),
    )
    .expect("time");
    assert_eq!(
        until - rotated_at,
        Duration::hours(24),
        "a 24 h overlap by default"
    );
    app.ok(Some(&owner.access), ping, json!({ "e": endpoint }))
        .await;
    receiver.wait_for_count(2).await;
    // After the overlap only the new secret signs.
    app.clock.advance(Duration::hours(25));
    let fresh = app.login(&owner.email, PASSWORD).await["data"]["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    app.ok(Some(&fresh), ping, json!({ "e": endpoint })).await;
    receiver.wait_for_count(3).await;

    let results = verify_in_python(&receiver, &[&old, &new]);
    assert_eq!(
        results[0],
        (vec![0], 1),
        "before the rotation: the old secret"
    );
    assert_eq!(
        results[1],
        (vec![0, 1], 2),
        "during the overlap: both signatures"
    );
    assert_eq!(results[2], (vec![1], 1), "after it: the new secret only");
    let got = receiver.received();
    assert_eq!(got[1].header("webhook-signature").split(' ').count(), 2);
    assert!(got.iter().all(|r| r.json()["type"] == "webhook.test"));
    assert_eq!(got[0].json()["data"]["endpointId"], endpoint.as_str());
    let audit = app
        .ok(
            Some(&fresh),
            "{ auditLog(action: \"webhook.rotate_secret\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(audit["auditLog"]["totalCount"], 1);
}
both_backends!(rotation_sends_both_signatures_during_the_overlap);

async fn redelivery_sends_the_same_event_again(backend: Backend) {
    let app = allowing_app(backend).await;
    let owner = app.sign_up("Повтор", &unique_email("owner")).await;
    let receiver = Receiver::start(Vec::new()).await;
    let (endpoint, secret) = create_endpoint(
        &app,
        &owner,
        &receiver.url,
        &["guest.created", "guest.updated"],
    )
    .await;
    let guest = new_guest(&app, &owner, "+79990007004").await;
    app.ok(
        Some(&owner.access),
        "mutation($id: ID!) { updateGuest(id: $id, input: { name: \"Новое имя\" }) { id } }",
        json!({ "id": guest }),
    )
    .await;
    receiver.wait_for_count(2).await;
    wait_for("both deliveries to succeed", || async {
        delivery_log(&app, &owner, &endpoint).await["nodes"]
            .as_array()
            .is_some_and(|n| n.len() == 2 && n.iter().all(|d| d["status"] == "SUCCEEDED"))
    })
    .await;
    let log = delivery_log(&app, &owner, &endpoint).await;
    let first = log["nodes"][0].clone();
    let created = receiver
        .received()
        .into_iter()
        .find(|r| r.json()["type"] == "guest.created")
        .expect("guest.created");
    assert_eq!(created.json()["data"]["guest"]["id"], guest.as_str());
    let updated = receiver
        .received()
        .into_iter()
        .find(|r| r.json()["type"] == "guest.updated")
        .expect("guest.updated");
    assert_eq!(updated.json()["data"]["changed"], json!(["name"]));
    assert_eq!(updated.json()["data"]["guest"]["name"], "Новое имя");

    let redeliver = "mutation($d: ID, $e: String) { redeliverWebhook(deliveryId: $d, eventId: $e) { id eventId status } }";
    let by_delivery = app
        .ok(Some(&owner.access), redeliver, json!({ "d": first["id"] }))
        .await["redeliverWebhook"]
        .clone();
    assert_eq!(by_delivery[0]["eventId"], first["eventId"]);
    assert_ne!(
        by_delivery[0]["id"], first["id"],
        "a new delivery in the log"
    );
    receiver.wait_for_count(3).await;
    app.ok(
        Some(&owner.access),
        redeliver,
        json!({ "e": first["eventId"] }),
    )
    .await;
    receiver.wait_for_count(4).await;
    let got = receiver.received();
    let original = got
        .iter()
        .find(|r| r.header("webhook-id") == first["eventId"].as_str().expect("id"))
        .expect("the original");
    let again: Vec<&Received> = got
        .iter()
        .filter(|r| r.header("webhook-id") == first["eventId"].as_str().expect("id"))
        .collect();
    assert_eq!(again.len(), 3, "the original and two redeliveries");
    assert!(
        again.iter().all(|r| r.body == original.body),
        "the same body"
    );
    wait_for("four deliveries in the log", || async {
        delivery_log(&app, &owner, &endpoint).await["totalCount"] == 4
    })
    .await;
    all_signed_by_one(&receiver, &secret);
    // Neither or both ids, a malformed event id, an unknown one.
    for vars in [
        json!({}),
        json!({ "d": first["id"], "e": first["eventId"] }),
    ] {
        let r = app.gql(Some(&owner.access), redeliver, vars).await;
        assert_eq!(code(&r), Some("VALIDATION"), "{r}");
    }
    let r = app
        .gql(Some(&owner.access), redeliver, json!({ "e": "evt_1" }))
        .await;
    assert_eq!(r["errors"][0]["extensions"]["field"], "eventId", "{r}");
    let r = app
        .gql(
            Some(&owner.access),
            redeliver,
            json!({ "e": format!("msg_{}", uuid::Uuid::now_v7().simple()) }),
        )
        .await;
    assert_eq!(code(&r), Some("NOT_FOUND"), "{r}");
    // Disabled: redelivery is refused until enabled again.
    app.ok(
        Some(&owner.access),
        "mutation($id: ID!) { disableWebhookEndpoint(id: $id) { enabled } }",
        json!({ "id": endpoint }),
    )
    .await;
    let r = app
        .gql(Some(&owner.access), redeliver, json!({ "d": first["id"] }))
        .await;
    assert_eq!(code(&r), Some("CONFLICT"), "{r}");
    let audit = app
        .ok(
            Some(&owner.access),
            "{ auditLog { nodes { action } } }",
            json!({}),
        )
        .await;
    let actions = audit.to_string();
    for a in [
        "webhook.create_endpoint",
        "webhook.redeliver",
        "webhook.disable_endpoint",
    ] {
        assert!(actions.contains(a), "{a} is audited");
    }
}
both_backends!(redelivery_sends_the_same_event_again);

async fn every_event_type_reaches_a_subscribed_endpoint(backend: Backend) {
    let app = allowing_app(backend).await;
    let owner = app.sign_up("События", &unique_email("owner")).await;
    let types = app
        .ok(Some(&owner.access), "{ webhookEventTypes }", json!({}))
        .await["webhookEventTypes"]
        .clone();
    let types: Vec<&str> = types
        .as_array()
        .expect("types")
        .iter()
        .map(|t| t.as_str().expect("type"))
        .collect();
    assert_eq!(types.len(), 8, "{types:?}");
    let receiver = Receiver::start(Vec::new()).await;
    let (_, secret) = create_endpoint(&app, &owner, &receiver.url, &types).await;
    app.ok(
        Some(&owner.access),
        "mutation { createPromotion(input: { name: \"Привет\", rule: { welcome: { points: 50 } } }) { id } }",
        json!({}),
    )
    .await;
    let guest = new_guest(&app, &owner, "+79990007005").await;
    app.ok(
        Some(&owner.access),
        "mutation($id: ID!) { updateGuest(id: $id, input: { email: \"guest@example.com\" }) { id } }",
        json!({ "id": guest }),
    )
    .await;
    adjust(&app, &owner, &guest, 100).await;
    let location = app
        .ok(
            Some(&owner.access),
            "{ locations { nodes { id } } }",
            json!({}),
        )
        .await["locations"]["nodes"][0]["id"]
        .as_str()
        .expect("location")
        .to_owned();
    // 12 000 ₽ reaches Silver.
    let check = app
        .ok(
            Some(&owner.access),
            "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 1200000, externalId: \"big-1\" }) { checkId levelAfter { name } } }",
            json!({ "l": location, "g": guest }),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(check["levelAfter"]["name"], "Silver");
    app.ok(
        Some(&owner.access),
        "mutation($id: ID!) { reverseCheck(id: $id, reason: \"returned\") { balance } }",
        json!({ "id": check["checkId"] }),
    )
    .await;
    let ctx = Ctx::system(domain::TenantId::from_str(&owner.tenant_id).expect("tenant"));
    // The monthly review takes Silver back; a year later the points expire.
    app.loyalty
        .run_task(&ctx, Task::ReviewLevels)
        .await
        .expect("review");
    app.clock.advance(Duration::days(400));
    app.loyalty
        .run_task(&ctx, Task::ExpirePoints)
        .await
        .expect("expiry");

    wait_for("every event type at the receiver", || async {
        let got: Vec<String> = receiver
            .received()
            .iter()
            .map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned())
            .collect();
        types.iter().all(|t| got.iter().any(|g| g == t))
    })
    .await;
    settle().await;
    let got = receiver.received();
    let of = |t: &str| -> Vec<Value> {
        got.iter()
            .map(Received::json)
            .filter(|b| b["type"] == t)
            .collect()
    };
    for b in got.iter().map(Received::json) {
        assert_eq!(b["version"], 1);
        assert_eq!(b["tenantId"], owner.tenant_id.as_str());
        assert!(
            b["occurredAt"].is_string() && b["id"].as_str().is_some_and(|i| i.starts_with("msg_"))
        );
    }
    let granted = of("promotion.granted");
    assert_eq!(granted.len(), 1, "{granted:?}");
    assert_eq!(granted[0]["data"]["kind"], "welcome");
    assert_eq!(granted[0]["data"]["points"], 50);
    assert_eq!(granted[0]["data"]["guestId"], guest.as_str());
    let levels = of("level.changed");
    assert_eq!(levels.len(), 2, "{levels:?}");
    let up = levels
        .iter()
        .find(|l| l["data"]["reason"] == "check")
        .expect("upgrade");
    assert_eq!(up["data"]["from"]["name"], "Bronze");
    assert_eq!(up["data"]["to"]["name"], "Silver");
    assert_eq!(up["data"]["checkId"], check["checkId"]);
    let down = levels
        .iter()
        .find(|l| l["data"]["reason"] == "review")
        .expect("review");
    assert_eq!(down["data"]["from"]["name"], "Silver");
    assert_eq!(down["data"]["to"]["name"], "Bronze");
    let reversed = of("check.reversed");
    assert_eq!(reversed[0]["data"]["checkId"], check["checkId"]);
    assert_eq!(reversed[0]["data"]["reason"], "returned");
    let expired = of("points.expired");
    assert_eq!(expired.len(), 1, "{expired:?}");
    assert_eq!(
        expired[0]["data"]["points"], 150,
        "the welcome bonus and the adjustment"
    );
    assert_eq!(expired[0]["data"]["account"]["balance"], 0);
    assert_eq!(of("guest.updated")[0]["data"]["changed"], json!(["email"]));
    assert_eq!(of("guest.created").len(), 1);
    all_signed_by_one(&receiver, &secret);
}
both_backends!(every_event_type_reaches_a_subscribed_endpoint);

async fn an_endpoint_failing_for_three_days_is_disabled(backend: Backend) {
    let app = allowing_app(backend).await;
    let email = unique_email("owner");
    let owner = app.sign_up("Сбой", &email).await;
    let receiver = Receiver::start(vec![reply(500), reply(502)]).await;
    let (endpoint, _) = create_endpoint(&app, &owner, &receiver.url, &["points.adjusted"]).await;
    let guest = new_guest(&app, &owner, "+79990007006").await;
    adjust(&app, &owner, &guest, 10).await;
    receiver.wait_for_count(1).await;
    wait_for("the first failure in the log", || async {
        delivery_log(&app, &owner, &endpoint).await["nodes"][0]["attemptCount"] == 1
    })
    .await;
    let e = app
        .ok(
            Some(&owner.access),
            "{ webhookEndpoints { enabled failingSince } }",
            json!({}),
        )
        .await["webhookEndpoints"][0]
        .clone();
    assert_eq!(e["enabled"], true);
    assert!(
        e["failingSince"].is_string(),
        "failing since the first failure: {e}"
    );
    // Three days later the next failure disables it.
    settle().await;
    app.clock.advance(Duration::hours(73));
    receiver.wait_for_count(2).await;
    let fresh = app.login(&owner.email, PASSWORD).await["data"]["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    wait_for("the endpoint to be disabled", || async {
        app.ok(Some(&fresh), "{ webhookEndpoints { enabled } }", json!({}))
            .await["webhookEndpoints"][0]["enabled"]
            == false
    })
    .await;
    let e = app
        .ok(
            Some(&fresh),
            "{ webhookEndpoints { disabledReason } }",
            json!({}),
        )
        .await["webhookEndpoints"][0]
        .clone();
    assert!(
        e["disabledReason"]
            .as_str()
            .is_some_and(|r| r.contains("3 days")),
        "{e}"
    );
    let log = delivery_log(
        &app,
        &Session {
            access: fresh.clone(),
            ..owner.clone()
        },
        &endpoint,
    )
    .await;
    assert_eq!(log["nodes"][0]["status"], "FAILED", "{log}");
    assert_eq!(log["nodes"][0]["attemptCount"], 2);
    let audit = app
        .ok(
            Some(&fresh),
            "{ auditLog(action: \"webhook.auto_disable\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(audit["auditLog"]["totalCount"], 1);
    wait_for("the owner's e-mail", || async {
        app.mailer
            .sent
            .lock()
            .expect("mail")
            .iter()
            .any(|m| m.to.as_ref() == email && m.text.contains("3 days"))
    })
    .await;
}
both_backends!(an_endpoint_failing_for_three_days_is_disabled);
