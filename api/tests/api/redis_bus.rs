//! The Redis event bus: two server instances sharing one PostgreSQL database and
//! one Redis deliver each other's events, tenants never see each other's events
//! (even forged onto their channel), and a missing or dying Redis leaves the
//! server serving, degraded, with local delivery, until it is back.
//!
//! Real Redis at 127.0.0.1:6379: skipped (printing SKIPPED) when unreachable
//! unless `MAXLOYALTY_TEST_REDIS=require`; `off` skips. Each test uses its own
//! channel prefix, so parallel tests do not cross-talk.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::helpers::{Backend, Session, TestApp, postgres_available, spawn_app_with, unique_email};
use crate::realtime_and_binary::{next_json, subscribe};

const REDIS: &str = "redis://127.0.0.1:6379";
const CHECKS: &str =
    "subscription($l: ID!) { checkProcessed(locationId: $l) { externalId earned } }";
const CARD: &str = "subscription($g: ID!) { guestUpdated(guestId: $g) { balance } }";
const NOTES: &str = "subscription { notificationReceived { kind } }";

fn redis_mode() -> String {
    std::env::var("MAXLOYALTY_TEST_REDIS").unwrap_or_else(|_| "auto".into())
}

async fn ping(url: &str) -> Result<(), String> {
    let attempt = async {
        let client = redis::Client::open(url).map_err(|e| e.to_string())?;
        let mut c = client
            .get_multiplexed_async_connection()
            .await
            .map_err(|e| e.to_string())?;
        redis::cmd("PING")
            .query_async::<String>(&mut c)
            .await
            .map_err(|e| e.to_string())
    };
    match tokio::time::timeout(Duration::from_secs(2), attempt).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("timed out".into()),
    }
}

/// Whether the shared Redis is there (prints SKIPPED when it is not).
async fn redis_available() -> bool {
    let mode = redis_mode();
    if mode == "off" {
        eprintln!("SKIPPED: Redis tests are off (MAXLOYALTY_TEST_REDIS=off)");
        return false;
    }
    match ping(REDIS).await {
        Ok(()) => true,
        Err(why) => {
            assert!(
                mode != "require",
                "Redis is required (MAXLOYALTY_TEST_REDIS=require) but unusable at {REDIS}: {why}"
            );
            eprintln!("SKIPPED: Redis tests: {REDIS} is unusable: {why}");
            false
        }
    }
}

fn prefix() -> String {
    format!("mlt-{}", uuid::Uuid::now_v7().simple())
}

async fn ready(app: &TestApp) -> (u16, Value) {
    let r = app
        .http
        .get(format!("{}/ready", app.base))
        .send()
        .await
        .expect("ready answers");
    (r.status().as_u16(), r.json().await.expect("json"))
}

async fn metrics(app: &TestApp) -> String {
    app.http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .expect("metrics answer")
        .text()
        .await
        .expect("text")
}

/// Waits until `/ready` reports `redis` as `want`.
async fn wait_for_redis(app: &TestApp, want: &str, within: Duration) {
    let started = Instant::now();
    loop {
        let (status, body) = ready(app).await;
        assert_eq!(
            status, 200,
            "the database makes readiness, not Redis: {body}"
        );
        if body["redis"] == want {
            return;
        }
        assert!(
            started.elapsed() < within,
            "/ready never said redis={want}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn process_check(app: &TestApp, s: &Session, location: &str, guest: &str, external: &str) {
    process_check_of(app, s, location, guest, external, 100_000).await;
}

async fn process_check_of(
    app: &TestApp,
    s: &Session,
    location: &str,
    guest: &str,
    external: &str,
    total_minor: i64,
) {
    app.ok(
        Some(&s.access),
        "mutation($l: ID!, $g: ID!, $x: String!, $t: Int!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: $t, externalId: $x }) { earned } }",
        json!({ "l": location, "g": guest, "x": external, "t": total_minor }),
    )
    .await;
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn nothing_within(ws: &mut Ws, wait: Duration, who: &str) {
    let got = tokio::time::timeout(wait, ws.next()).await;
    assert!(got.is_err(), "{who} received {got:?}");
}

async fn next_within(ws: &mut Ws, wait: Duration, what: &str) -> Value {
    tokio::time::timeout(wait, next_json(ws))
        .await
        .unwrap_or_else(|_| panic!("{what} did not arrive within {wait:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_processed_on_one_instance_reaches_subscribers_of_another() {
    if !redis_available().await || !postgres_available().await {
        return;
    }
    let prefix = prefix();
    let p = prefix.clone();
    let a = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(REDIS.into());
        s.redis_prefix = p;
    })
    .await;
    let (db, p) = (a.database_url.clone(), prefix.clone());
    let b = spawn_app_with(Backend::Postgres, |s| {
        s.database_url = db;
        s.redis_url = Some(REDIS.into());
        s.redis_prefix = p;
    })
    .await;
    wait_for_redis(&a, "ok", Duration::from_secs(10)).await;
    wait_for_redis(&b, "ok", Duration::from_secs(10)).await;
    assert!(metrics(&a).await.contains("\nmaxloyalty_redis_up 1\n"));

    let ta = a.sign_up("Redis A", &unique_email("a")).await;
    let tb = a.sign_up("Redis B", &unique_email("b")).await;
    let (la, lb) = (
        a.first_location(&ta.access).await,
        a.first_location(&tb.access).await,
    );
    let g = a.create_guest(&ta.access, "+79005550301").await;

    // Tenant A's screen on instance B, and one on A itself; tenant B's screens
    // (its own location, and A's location) on B.
    let mut remote = subscribe(&b.base, &ta.access, CHECKS, json!({ "l": la })).await;
    let mut local = subscribe(&a.base, &ta.access, CHECKS, json!({ "l": la })).await;
    let mut other = subscribe(&b.base, &tb.access, CHECKS, json!({ "l": lb })).await;
    let mut snoop = subscribe(&b.base, &tb.access, CHECKS, json!({ "l": la })).await;

    // Listen on Redis too, to capture a real payload for the forgery below.
    let client = redis::Client::open(REDIS).expect("client");
    let (mut sink, mut raw) = client.get_async_pubsub().await.expect("pubsub").split();
    sink.psubscribe(format!("{prefix}:events:*"))
        .await
        .expect("psubscribe");

    process_check(&a, &ta, &la, &g, "redis-1").await;
    let sent = Instant::now();
    let got = next_within(
        &mut remote,
        Duration::from_secs(1),
        "the event on instance B",
    )
    .await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"]["externalId"], "redis-1",
        "{got}"
    );
    assert!(sent.elapsed() < Duration::from_secs(1));
    let got = next_within(
        &mut local,
        Duration::from_secs(1),
        "the event on instance A",
    )
    .await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"]["externalId"], "redis-1",
        "{got}"
    );
    // Exactly once on the publishing instance, and never in the other tenant.
    nothing_within(&mut local, Duration::from_millis(700), "a second delivery").await;
    nothing_within(&mut other, Duration::from_millis(100), "tenant B's screen").await;
    nothing_within(
        &mut snoop,
        Duration::from_millis(100),
        "tenant B asking for A's location",
    )
    .await;

    // The payload as it travelled: on tenant A's channel, naming tenant A.
    let msg = tokio::time::timeout(Duration::from_secs(2), raw.next())
        .await
        .expect("the test's own subscriber saw the event")
        .expect("a message");
    assert_eq!(
        msg.get_channel_name(),
        format!("{prefix}:events:{}", ta.tenant_id)
    );
    let mut payload: Value = serde_json::from_slice(msg.get_payload_bytes()).expect("json");
    assert_eq!(payload["tenant"], ta.tenant_id.as_str());

    // A check's live events travel as one batch, with its id.
    assert!(
        payload["batch"]
            .as_str()
            .is_some_and(|id| id.starts_with("msg_")),
        "{payload}"
    );
    let kinds: Vec<&str> = payload["events"]
        .as_array()
        .expect("the batch's events")
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(kinds, ["check_processed", "guest_changed"], "{payload}");

    // Forged: tenant A's event re-aimed at B's location, published on B's
    // channel but still naming tenant A → dropped by every instance.
    let check = payload["events"][0]
        .as_object_mut()
        .expect("an event object");
    let at = ["location_id", "locationId"]
        .into_iter()
        .find(|k| check.contains_key(*k))
        .expect("the receipt names its location");
    check.insert(at.into(), json!(lb));
    check.insert("external_id".into(), json!("forged"));
    let mut publisher = client
        .get_multiplexed_async_connection()
        .await
        .expect("publisher");
    let b_channel = format!("{prefix}:events:{}", tb.tenant_id);
    redis::cmd("PUBLISH")
        .arg(&b_channel)
        .arg(payload.to_string())
        .query_async::<i64>(&mut publisher)
        .await
        .expect("publish");
    nothing_within(
        &mut other,
        Duration::from_millis(700),
        "tenant B (forged tenant)",
    )
    .await;
    // The same message naming tenant B on B's channel is delivered: the drop
    // above was the tenant check, not a malformed payload.
    payload["tenant"] = json!(tb.tenant_id);
    redis::cmd("PUBLISH")
        .arg(&b_channel)
        .arg(payload.to_string())
        .query_async::<i64>(&mut publisher)
        .await
        .expect("publish");
    let got = next_within(
        &mut other,
        Duration::from_secs(1),
        "the well-formed message",
    )
    .await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"]["externalId"], "forged",
        "{got}"
    );
    nothing_within(
        &mut remote,
        Duration::from_millis(100),
        "tenant A (B's channel)",
    )
    .await;
}

fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_the_server_serves_degraded_and_delivers_locally() {
    let url = format!("redis://127.0.0.1:{}", closed_port());
    let started = Instant::now();
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.redis_url = Some(url);
        s.redis_prefix = prefix();
    })
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the server does not wait for Redis"
    );
    let (status, body) = ready(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["redis"], "degraded", "{body}");
    assert_eq!(body["database"], "ok", "{body}");
    assert!(
        metrics(&app).await.contains("\nmaxloyalty_redis_up 0\n"),
        "the gauge says Redis is down"
    );

    let owner = app.sign_up("No Redis", &unique_email("owner")).await;
    let l = app.first_location(&owner.access).await;
    let g = app.create_guest(&owner.access, "+79005550302").await;
    let mut screen = subscribe(&app.base, &owner.access, CHECKS, json!({ "l": l })).await;
    process_check(&app, &owner, &l, &g, "local-1").await;
    let got = next_within(&mut screen, Duration::from_secs(1), "the local event").await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"]["externalId"], "local-1",
        "{got}"
    );
    nothing_within(&mut screen, Duration::from_millis(500), "a second delivery").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_url_ready_and_metrics_do_not_mention_it_as_down() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let (status, body) = ready(&app).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("redis").is_none(), "{body}");
    assert!(metrics(&app).await.contains("\nmaxloyalty_redis_up 1\n"));
}

/// A private redis-server on a free port, up; `None` (after printing SKIPPED)
/// when there is no redis-server binary, unless Redis is required.
async fn own_redis() -> Option<(u16, OwnRedis)> {
    let port = closed_port();
    let Some(redis) = OwnRedis::start(port) else {
        assert!(
            redis_mode() != "require",
            "redis-server is required (MAXLOYALTY_TEST_REDIS=require) but cannot be started"
        );
        eprintln!("SKIPPED: no redis-server binary to kill and restart");
        return None;
    };
    redis.wait_up().await;
    Some((port, redis))
}

/// A private redis-server on a free port, killed on drop.
struct OwnRedis {
    child: std::process::Child,
    port: u16,
}

impl OwnRedis {
    fn start(port: u16) -> Option<Self> {
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        Some(Self { child, port })
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn wait_up(&self) {
        let started = Instant::now();
        while ping(&self.url()).await.is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server started"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_dying_mid_run_degrades_then_delivery_resumes_through_it() {
    if !redis_available().await {
        return;
    }
    let Some((port, mut redis)) = own_redis().await else {
        return;
    };
    let url = redis.url();
    let prefix = prefix();
    let (u, p) = (url.clone(), prefix.clone());
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.redis_url = Some(u);
        s.redis_prefix = p;
    })
    .await;
    wait_for_redis(&app, "ok", Duration::from_secs(10)).await;
    let owner = app.sign_up("Dying Redis", &unique_email("owner")).await;
    let l = app.first_location(&owner.access).await;
    let g = app.create_guest(&owner.access, "+79005550303").await;
    let mut screen = subscribe(&app.base, &owner.access, CHECKS, json!({ "l": l })).await;

    redis.kill();
    wait_for_redis(&app, "degraded", Duration::from_secs(15)).await;
    assert!(metrics(&app).await.contains("\nmaxloyalty_redis_up 0\n"));
    process_check(&app, &owner, &l, &g, "while-down").await;
    let got = next_within(
        &mut screen,
        Duration::from_secs(1),
        "the event while Redis is down",
    )
    .await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"]["externalId"], "while-down",
        "{got}"
    );

    let redis = OwnRedis::start(port).expect("redis-server restarts");
    redis.wait_up().await;
    wait_for_redis(&app, "ok", Duration::from_secs(20)).await;
    // Delivery goes through Redis again: an outside subscriber sees it too.
    let client = redis::Client::open(url.as_str()).expect("client");
    let (mut sink, mut raw) = client.get_async_pubsub().await.expect("pubsub").split();
    sink.psubscribe(format!("{prefix}:events:*"))
        .await
        .expect("psubscribe");
    process_check(&app, &owner, &l, &g, "after").await;
    let got = next_within(
        &mut screen,
        Duration::from_secs(1),
        "the event after reconnecting",
    )
    .await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"]["externalId"], "after",
        "{got}"
    );
    let msg = tokio::time::timeout(Duration::from_secs(2), raw.next())
        .await
        .expect("the event went through Redis")
        .expect("a message");
    assert_eq!(
        msg.get_channel_name(),
        format!("{prefix}:events:{}", owner.tenant_id)
    );
    nothing_within(&mut screen, Duration::from_millis(500), "a second delivery").await;
}

/// The next `next` message within `wait`, past keep-alive pings.
async fn next_data_within(ws: &mut Ws, wait: Duration, what: &str) -> Value {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let msg = tokio::time::timeout_at(deadline, ws.next())
            .await
            .unwrap_or_else(|_| panic!("{what} did not arrive within {wait:?}"))
            .expect("open")
            .expect("ok");
        if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).expect("json");
            if v["type"] == "next" {
                return v;
            }
        }
    }
}

/// The spec's "from the outbox": a check committed on instance A while Redis is
/// down reaches A's own screens at once and, once Redis is back, instance B's
/// too — published by the check's outbox job, which waited for the bus. A's
/// screens do not see it twice, and a guest's points arrive as they are now,
/// never as they were before a later check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_events_committed_while_redis_was_down_reach_other_instances_from_the_outbox() {
    if !redis_available().await || !postgres_available().await {
        return;
    }
    let Some((port, mut redis)) = own_redis().await else {
        return;
    };
    let (url, prefix) = (redis.url(), prefix());
    let (u, p) = (url.clone(), prefix.clone());
    let a = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(u);
        s.redis_prefix = p;
        s.worker_enabled = true;
    })
    .await;
    let (db, u, p) = (a.database_url.clone(), url.clone(), prefix.clone());
    let b = spawn_app_with(Backend::Postgres, |s| {
        s.database_url = db;
        s.redis_url = Some(u);
        s.redis_prefix = p;
        s.worker_enabled = true;
    })
    .await;
    wait_for_redis(&a, "ok", Duration::from_secs(10)).await;
    wait_for_redis(&b, "ok", Duration::from_secs(10)).await;
    let owner = a.sign_up("Outbox Live", &unique_email("owner")).await;
    let l = a.first_location(&owner.access).await;
    let g = a.create_guest(&owner.access, "+79005550304").await;
    let mut local = subscribe(&a.base, &owner.access, CHECKS, json!({ "l": l })).await;
    let mut remote = subscribe(&b.base, &owner.access, CHECKS, json!({ "l": l })).await;
    let mut card = subscribe(&b.base, &owner.access, CARD, json!({ "g": g })).await;
    // A notification made by a job (the owner hears of a guest's new level).
    let mut notes_a = subscribe(&a.base, &owner.access, NOTES, json!({})).await;
    let mut notes_b = subscribe(&b.base, &owner.access, NOTES, json!({})).await;

    redis.kill();
    wait_for_redis(&a, "degraded", Duration::from_secs(15)).await;
    wait_for_redis(&b, "degraded", Duration::from_secs(15)).await;
    process_check(&a, &owner, &l, &g, "down-1").await;
    // 15 000.00 more: Bronze → Silver.
    process_check_of(&a, &owner, &l, &g, "down-2", 1_500_000).await;
    for want in ["down-1", "down-2"] {
        let got = next_within(&mut local, Duration::from_secs(1), "A's own screen").await;
        assert_eq!(
            got["payload"]["data"]["checkProcessed"]["externalId"], want,
            "{got}"
        );
    }
    // Either worker may run the job: its own process tells its screens at once.
    let (made_on_a, got) = tokio::select! {
        got = next_json(&mut notes_a) => (true, got),
        got = next_json(&mut notes_b) => (false, got),
        () = tokio::time::sleep(Duration::from_secs(10)) => panic!("no notification where the job ran"),
    };
    assert_eq!(
        got["payload"]["data"]["notificationReceived"]["kind"], "GUEST_LEVEL_UP",
        "{got}"
    );
    let (mut notes_there, mut notes_elsewhere) = if made_on_a {
        (notes_a, notes_b)
    } else {
        (notes_b, notes_a)
    };
    nothing_within(
        &mut notes_elsewhere,
        Duration::from_millis(300),
        "the other process's notification while Redis is down",
    )
    .await;
    nothing_within(
        &mut remote,
        Duration::from_millis(500),
        "B while Redis is down",
    )
    .await;
    let balance = a
        .ok(
            Some(&owner.access),
            "query($g: ID!) { guest(id: $g) { account { balance } } }",
            json!({ "g": g }),
        )
        .await["guest"]["account"]["balance"]
        .as_i64()
        .expect("a balance");
    assert!(balance > 0);

    let redis = OwnRedis::start(port).expect("redis-server restarts");
    redis.wait_up().await;
    wait_for_redis(&a, "ok", Duration::from_secs(20)).await;
    wait_for_redis(&b, "ok", Duration::from_secs(20)).await;
    // The outbox jobs retry with backoff (2 s, 4 s, 8 s, …) until the bus
    // answers; the apps' clocks are the tests', so time is moved for them.
    let clocks = [
        std::sync::Arc::clone(&a.clock),
        std::sync::Arc::clone(&b.clock),
    ];
    let ticking = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(300)).await;
            for c in &clocks {
                c.advance(chrono::Duration::seconds(2));
            }
        }
    });
    let mut seen = Vec::new();
    for _ in 0..2 {
        let got = next_data_within(
            &mut remote,
            Duration::from_secs(40),
            "B's screen, from the outbox",
        )
        .await;
        seen.push(
            got["payload"]["data"]["checkProcessed"]["externalId"]
                .as_str()
                .expect("an external id")
                .to_owned(),
        );
    }
    // The job that made the notification runs again and publishes it late:
    // the other process's screens get it, its own do not get it twice.
    let got = next_within(
        &mut notes_elsewhere,
        Duration::from_secs(40),
        "the other process's notification, from the job",
    )
    .await;
    assert_eq!(
        got["payload"]["data"]["notificationReceived"]["kind"], "GUEST_LEVEL_UP",
        "{got}"
    );
    ticking.abort();
    nothing_within(
        &mut notes_there,
        Duration::from_millis(300),
        "the notification a second time where it was made",
    )
    .await;
    nothing_within(
        &mut notes_elsewhere,
        Duration::from_millis(100),
        "the notification a second time elsewhere",
    )
    .await;
    seen.sort();
    assert_eq!(seen, ["down-1", "down-2"]);
    for _ in 0..2 {
        let got = next_within(&mut card, Duration::from_secs(5), "B's guest card").await;
        assert_eq!(
            got["payload"]["data"]["guestUpdated"]["balance"], balance,
            "points published late are read again: {got}"
        );
    }
    nothing_within(
        &mut local,
        Duration::from_millis(700),
        "A's screen a second time",
    )
    .await;
    nothing_within(
        &mut remote,
        Duration::from_millis(100),
        "B's screen a third time",
    )
    .await;
    nothing_within(
        &mut card,
        Duration::from_millis(100),
        "B's card a third time",
    )
    .await;

    // Live again: once everywhere, and the outbox jobs find it published.
    process_check(&a, &owner, &l, &g, "up").await;
    for (screen, who) in [(&mut local, "A"), (&mut remote, "B")] {
        let got = next_within(screen, Duration::from_secs(1), who).await;
        assert_eq!(
            got["payload"]["data"]["checkProcessed"]["externalId"], "up",
            "{got}"
        );
    }
    let _ = next_within(&mut card, Duration::from_secs(1), "B's card, live").await;
    nothing_within(&mut remote, Duration::from_millis(1500), "B's screen twice").await;
    nothing_within(&mut local, Duration::from_millis(100), "A's screen twice").await;
    nothing_within(&mut card, Duration::from_millis(100), "B's card twice").await;
}

/// The outbox's late publish: asked first, then marked and published in one
/// step on Redis, with Redis's answer. Whoever comes second sends nothing more,
/// every other process receives the batch once, and without Redis the answer
/// is "unknown" (the job tries again) and nothing is delivered here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_batch_is_marked_and_published_in_one_step_and_only_once() {
    use api::realtime::LocalBus;
    use domain::loyalty::{BatchState, EventPublisher, LiveBatch, LoyaltyEvent};
    use infra::bus::RedisBus;
    use std::sync::Arc;

    if !redis_available().await {
        return;
    }
    let prefix = prefix();
    let (a_local, b_local) = (LocalBus::default(), LocalBus::default());
    let a = RedisBus::start(REDIS, &prefix, Arc::new(a_local.clone())).expect("bus a");
    let b = RedisBus::start(REDIS, &prefix, Arc::new(b_local.clone())).expect("bus b");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(a.is_connected() && b.is_connected()) {
        assert!(Instant::now() < deadline, "both buses connect");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let tenant = domain::TenantId::new();
    let event = LoyaltyEvent::PromotionGranted {
        promotion: domain::ids::PromotionId::new(),
        guest: domain::GuestId::new(),
        points: 5,
    };
    let mut on_b = Box::pin(b_local.subscribe(tenant));
    let batch = LiveBatch::new(tenant, chrono::Utc::now(), vec![event.clone()]);
    assert_eq!(a.batch_state(batch.id).await, BatchState::Unpublished);
    assert_eq!(a.publish_late(batch.clone()).await, BatchState::Published);
    assert_eq!(
        b.publish_late(batch.clone()).await,
        BatchState::Published,
        "already out: nothing more is sent"
    );
    assert_eq!(b.batch_state(batch.id).await, BatchState::Published);
    let got = tokio::time::timeout(Duration::from_secs(5), on_b.next()).await;
    assert_eq!(got.expect("delivered"), Some(event.clone()));
    let again = tokio::time::timeout(Duration::from_millis(500), on_b.next()).await;
    assert!(again.is_err(), "delivered once: {again:?}");

    // No Redis: nobody can tell, and a late batch is not delivered locally
    // instead (this process published it at its commit, if it was running).
    let down_local = LocalBus::default();
    let down = RedisBus::start(
        &format!("redis://127.0.0.1:{}", closed_port()),
        &prefix,
        Arc::new(down_local.clone()),
    )
    .expect("bus");
    let mut on_down = Box::pin(down_local.subscribe(tenant));
    let late = LiveBatch::new(tenant, chrono::Utc::now(), vec![event]);
    assert_eq!(down.batch_state(late.id).await, BatchState::Unknown);
    assert_eq!(down.publish_late(late).await, BatchState::Unknown);
    let nothing = tokio::time::timeout(Duration::from_millis(300), on_down.next()).await;
    assert!(nothing.is_err(), "not delivered locally: {nothing:?}");
}
