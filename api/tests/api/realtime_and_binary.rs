//! Subscriptions over websocket (graphql-transport-ws, authenticated in
//! `connection_init`), and the real binary: `--help`, first start on SQLite,
//! graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::helpers::{Backend, spawn_app, unique_email};

pub(crate) async fn next_json<S>(ws: &mut S) -> Value
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a message in time")
            .expect("open")
            .expect("ok");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).expect("json");
        }
    }
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(crate) async fn connect(base: &str) -> Ws {
    connect_with(base, "graphql-transport-ws").await
}

/// A subscription socket speaking `protocol` (`graphql-transport-ws` or the
/// older `graphql-ws`).
async fn connect_with(base: &str, protocol: &str) -> Ws {
    let url = format!("{}/graphql/ws", base.replace("http://", "ws://"));
    let mut req = url.into_client_request().expect("request");
    req.headers_mut()
        .insert("Sec-WebSocket-Protocol", protocol.parse().expect("header"));
    tokio_tungstenite::connect_async(req)
        .await
        .expect("websocket connects")
        .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_authenticate_in_connection_init_and_stream_changes() {
    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.sign_up("Подписки", &unique_email("owner")).await;
    let cashier = app
        .add_staff(&owner, &unique_email("cashier"), "CASHIER")
        .await;

    let mut ws = connect(&app.base).await;
    ws.send(Message::Text(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {}", cashier.access) } }).to_string().into()))
        .await
        .expect("init");
    assert_eq!(next_json(&mut ws).await["type"], "connection_ack");
    ws.send(Message::Text(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { meChanged { role permissions } }" } }).to_string().into()))
        .await
        .expect("subscribe");
    let first = next_json(&mut ws).await;
    assert_eq!(first["type"], "next", "{first}");
    assert_eq!(first["payload"]["data"]["meChanged"]["role"], "CASHIER");

    // A role change reaches the open subscription.
    app.ok(
        Some(&owner.access),
        "mutation($id: ID!) { changeStaffRole(id: $id, role: MANAGER) { role } }",
        json!({ "id": cashier.user_id }),
    )
    .await;
    let changed = next_json(&mut ws).await;
    assert_eq!(
        changed["payload"]["data"]["meChanged"]["role"], "MANAGER",
        "{changed}"
    );

    // Without credentials the subscription is refused by its guard.
    let mut anon = connect(&app.base).await;
    anon.send(Message::Text(
        json!({ "type": "connection_init", "payload": {} })
            .to_string()
            .into(),
    ))
    .await
    .expect("init");
    assert_eq!(next_json(&mut anon).await["type"], "connection_ack");
    anon.send(Message::Text(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { meChanged { role } }" } }).to_string().into()))
        .await
        .expect("subscribe");
    let refused = next_json(&mut anon).await;
    let text = refused.to_string();
    assert!(text.contains("UNAUTHENTICATED"), "{refused}");

    // A bad token is refused at connection_init.
    let mut bad = connect(&app.base).await;
    bad.send(Message::Text(
        json!({ "type": "connection_init", "payload": { "Authorization": "Bearer nope" } })
            .to_string()
            .into(),
    ))
    .await
    .expect("init");
    let closed = tokio::time::timeout(Duration::from_secs(10), bad.next())
        .await
        .expect("answer in time");
    let acked = matches!(&closed, Some(Ok(Message::Text(t))) if t.contains("connection_ack"));
    assert!(!acked, "a bad token must not be acknowledged: {closed:?}");
}

#[test]
fn help_lists_every_setting() {
    let out = Command::new(env!("CARGO_BIN_EXE_maxloyalty"))
        .arg("--help")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    for key in [
        "DATABASE_URL",
        "MAXLOYALTY_PORT",
        "MAXLOYALTY_JWT_SECRET",
        "MAXLOYALTY_ENV",
        "REDIS_URL",
        "--demo",
        "export-schema",
    ] {
        assert!(text.contains(key), "--help mentions {key}");
    }
}

#[test]
fn the_binary_creates_its_sqlite_file_serves_and_drains_on_sigterm() {
    let dir = crate::helpers::tempdir::new();
    let db = dir.0.join("nested/data/app.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_maxloyalty"))
        .env("MAXLOYALTY_PORT", "0")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", db.display()),
        )
        .env("MAXLOYALTY_WEB_DIR", dir.0.join("no-panel"))
        .arg("--demo")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut port = None;
    let mut saw_demo = false;
    for line in lines.by_ref() {
        let line = line.expect("line");
        saw_demo |= line.contains("owner@demo.maxloyalty.app");
        if let Some(p) = line.split("listening on http://127.0.0.1:").nth(1) {
            port = p.trim().parse::<u16>().ok();
            break;
        }
    }
    let port = port.expect("the server printed its address");
    assert!(saw_demo, "--demo prints the logins");
    assert!(db.exists(), "the SQLite file and its folders were created");
    let ready = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &format!("http://127.0.0.1:{port}/ready"),
        ])
        .output();
    if let Ok(out) = ready {
        assert_eq!(String::from_utf8_lossy(&out.stdout), "200");
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let started = Instant::now();
    loop {
        if let Some(code) = child.try_wait().expect("wait") {
            assert!(code.success(), "exits cleanly on SIGTERM: {code}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "drained within the grace period"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) async fn subscribe(base: &str, token: &str, query: &str, vars: Value) -> Ws {
    let mut ws = connect(base).await;
    ws.send(Message::Text(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }).to_string().into()))
        .await
        .expect("init");
    assert_eq!(next_json(&mut ws).await["type"], "connection_ack");
    ws.send(Message::Text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": query, "variables": vars } })
            .to_string()
            .into(),
    ))
    .await
    .expect("subscribe");
    // Give the server a moment to register the subscription before events flow.
    tokio::time::sleep(Duration::from_millis(200)).await;
    ws
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_processed_check_reaches_the_live_cashier_screen_of_its_location_only() {
    let app = spawn_app(Backend::Sqlite).await;
    let a = app.sign_up("Live A", &unique_email("a")).await;
    let b = app.sign_up("Live B", &unique_email("b")).await;
    let (la, lb) = (
        app.first_location(&a.access).await,
        app.first_location(&b.access).await,
    );
    let guest = app.create_guest(&a.access, "+79005550101").await;
    let checks =
        "subscription($l: ID!) { checkProcessed(locationId: $l) { externalId earned balance } }";
    let updates = "subscription($g: ID!) { guestUpdated(guestId: $g) { balance available } }";
    let mut screen_a = subscribe(&app.base, &a.access, checks, json!({ "l": la })).await;
    let mut card_a = subscribe(&app.base, &a.access, updates, json!({ "g": guest })).await;
    let mut screen_b = subscribe(&app.base, &b.access, checks, json!({ "l": lb })).await;
    // Tenant B asking for A's location gets nothing either.
    let mut snoop = subscribe(&app.base, &b.access, checks, json!({ "l": la })).await;

    app.ok(
        Some(&a.access),
        "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 100000, externalId: \"live-1\" }) { earned } }",
        json!({ "l": la, "g": guest }),
    )
    .await;
    let got = next_json(&mut screen_a).await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"]["externalId"], "live-1",
        "{got}"
    );
    assert_eq!(got["payload"]["data"]["checkProcessed"]["earned"], 30);
    let card = next_json(&mut card_a).await;
    assert_eq!(
        card["payload"]["data"]["guestUpdated"]["balance"], 30,
        "{card}"
    );
    for ws in [&mut screen_b, &mut snoop] {
        let nothing = tokio::time::timeout(Duration::from_millis(700), ws.next()).await;
        assert!(nothing.is_err(), "another tenant received {nothing:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_key_subscribes_within_its_scopes_and_never_as_a_person() {
    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.sign_up("Live key", &unique_email("owner")).await;
    let location = app.first_location(&owner.access).await;
    let guest = app.create_guest(&owner.access, "+79005550202").await;
    let (_, key) =
        crate::api_keys::create_key(&app, &owner.access, "Screen", &["checks:process"]).await;
    let checks = "subscription($l: ID!) { checkProcessed(locationId: $l) { externalId } }";
    let mut screen = subscribe(&app.base, &key, checks, json!({ "l": location })).await;
    let mut person = subscribe(
        &app.base,
        &key,
        "subscription { meChanged { role } }",
        json!({}),
    )
    .await;
    let refused = next_json(&mut person).await;
    assert!(refused.to_string().contains("FORBIDDEN"), "{refused}");
    let mut unscoped = subscribe(
        &app.base,
        &key,
        "subscription($g: ID!) { guestUpdated(guestId: $g) { balance } }",
        json!({ "g": guest }),
    )
    .await;
    let refused = next_json(&mut unscoped).await;
    assert!(refused.to_string().contains("FORBIDDEN"), "{refused}");

    app.ok(
        Some(&key),
        "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 50000, externalId: \"key-1\" }) { earned } }",
        json!({ "l": location, "g": guest }),
    )
    .await;
    let got = next_json(&mut screen).await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"]["externalId"], "key-1",
        "{got}"
    );
}

/// The server's count of shared subscription executions and their subscribers.
async fn shared(app: &crate::helpers::TestApp) -> (u64, u64) {
    let text = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    let gauge = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {text}"))
    };
    (
        gauge("maxloyalty_graphql_shared_executions"),
        gauge("maxloyalty_graphql_shared_subscribers"),
    )
}

/// Waits until the shared executions are as expected (they end a moment after
/// their last subscriber goes).
async fn expect_shared(app: &crate::helpers::TestApp, want: (u64, u64)) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = shared(app).await;
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "shared executions and subscribers: {got:?}, expected {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equal_subscriptions_share_one_execution_and_rights_are_read_at_each_subscribe() {
    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.sign_up("Shared screens", &unique_email("owner")).await;
    let first = app.add_staff(&owner, &unique_email("c1"), "CASHIER").await;
    let second = app.add_staff(&owner, &unique_email("c2"), "CASHIER").await;
    let location = app.first_location(&owner.access).await;
    let guest = app.create_guest(&owner.access, "+79005550303").await;
    let checks =
        "subscription($l: ID!) { checkProcessed(locationId: $l) { externalId earned balance } }";
    let vars = json!({ "l": location });

    // Two cashiers asking the same thing share one execution.
    let mut screen_1 = subscribe(&app.base, &first.access, checks, vars.clone()).await;
    let mut screen_2 = subscribe(&app.base, &second.access, checks, vars.clone()).await;
    expect_shared(&app, (1, 2)).await;
    // The owner holds other permissions: an execution of their own.
    let mut owner_screen = subscribe(&app.base, &owner.access, checks, vars.clone()).await;
    expect_shared(&app, (2, 3)).await;
    // Another selection is another execution; an invalid argument fails alone.
    let mut other = subscribe(
        &app.base,
        &second.access,
        "subscription($l: ID!) { checkProcessed(locationId: $l) { externalId } }",
        vars.clone(),
    )
    .await;
    let mut bad = subscribe(&app.base, &first.access, checks, json!({ "l": "nope" })).await;
    let refused = next_json(&mut bad).await;
    assert!(refused.to_string().contains("VALIDATION"), "{refused}");
    expect_shared(&app, (3, 4)).await;

    app.ok(
        Some(&owner.access),
        "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 100000, externalId: \"shared-1\" }) { earned } }",
        json!({ "l": location, "g": guest }),
    )
    .await;
    let mut frames = Vec::new();
    for ws in [&mut screen_1, &mut screen_2, &mut owner_screen] {
        let got = next_json(ws).await;
        assert_eq!(got["type"], "next", "{got}");
        assert_eq!(got["id"], "1", "{got}");
        frames.push(got["payload"].clone());
    }
    assert_eq!(
        frames[0]["data"]["checkProcessed"],
        json!({ "externalId": "shared-1", "earned": 30, "balance": 30 })
    );
    assert!(frames.iter().all(|f| *f == frames[0]), "{frames:?}");
    let got = next_json(&mut other).await;
    assert_eq!(
        got["payload"]["data"]["checkProcessed"],
        json!({ "externalId": "shared-1" })
    );

    // Rights are read at each subscribe: once cashiers may no longer process
    // checks, a cashier asking again is refused, though the same request is
    // being served to a cashier who subscribed before the change.
    app.ok(
        Some(&owner.access),
        "mutation($p: [String!]!) { setRolePermissions(role: CASHIER, permissions: $p) { permissions } }",
        json!({ "p": ["guests:read"] }),
    )
    .await;
    let mut late = subscribe(&app.base, &second.access, checks, vars.clone()).await;
    let refused = next_json(&mut late).await;
    assert!(refused.to_string().contains("FORBIDDEN"), "{refused}");
    expect_shared(&app, (3, 4)).await;

    // A subscriber that completes leaves; the last one ends the execution.
    screen_2
        .send(Message::Text(
            json!({ "id": "1", "type": "complete" }).to_string().into(),
        ))
        .await
        .expect("complete");
    expect_shared(&app, (3, 3)).await;
    drop(screen_1);
    expect_shared(&app, (2, 2)).await;
    drop(owner_screen);
    drop(other);
    expect_shared(&app, (0, 0)).await;
}

async fn send_json(ws: &mut Ws, v: Value) {
    ws.send(Message::Text(v.to_string().into()))
        .await
        .expect("send");
}

/// The close frame that ends `ws` (its code and reason), skipping other frames.
async fn closed_with(ws: &mut Ws) -> (u16, String) {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("closed in time")
        {
            Some(Ok(Message::Close(Some(f)))) => return (u16::from(f.code), f.reason.to_string()),
            Some(Ok(Message::Close(None))) | None => panic!("ended without a close code"),
            Some(Ok(_)) => {}
            Some(Err(e)) => panic!("ended without a close frame: {e}"),
        }
    }
}

async fn init(ws: &mut Ws, token: &str) {
    let auth = format!("Bearer {token}");
    send_json(
        ws,
        json!({ "type": "connection_init", "payload": { "Authorization": auth } }),
    )
    .await;
    assert_eq!(next_json(ws).await["type"], "connection_ack");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_protocol_closes_with_its_own_codes_on_what_it_does_not_expect() {
    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.sign_up("Протокол", &unique_email("owner")).await;
    let me = json!({ "query": "subscription { meChanged { role } }" });

    // subscribe before an accepted connection_init: 4401
    let mut ws = connect(&app.base).await;
    send_json(
        &mut ws,
        json!({ "type": "subscribe", "id": "1", "payload": me }),
    )
    .await;
    assert_eq!(closed_with(&mut ws).await, (4401, "Unauthorized".into()));

    // not a message of the protocol: 4400, with what was wrong
    let mut ws = connect(&app.base).await;
    init(&mut ws, &owner.access).await;
    send_json(&mut ws, json!({ "type": "subscribe", "id": "1" })).await;
    let (code, reason) = closed_with(&mut ws).await;
    assert_eq!(code, 4400, "{reason}");
    assert!(reason.starts_with("Invalid message received"), "{reason}");

    // a second connection_init: 4429
    let mut ws = connect(&app.base).await;
    init(&mut ws, &owner.access).await;
    send_json(&mut ws, json!({ "type": "connection_init" })).await;
    assert_eq!(closed_with(&mut ws).await.0, 4429);

    // refused credentials: 4403
    let mut ws = connect(&app.base).await;
    send_json(
        &mut ws,
        json!({ "type": "connection_init", "payload": { "Authorization": "Bearer nope" } }),
    )
    .await;
    let (code, reason) = closed_with(&mut ws).await;
    assert_eq!(code, 4403, "{reason}");
    assert!(reason.starts_with("Forbidden: "), "{reason}");

    // ping is answered; a second subscription with a running one's id: 4409
    let mut ws = connect(&app.base).await;
    init(&mut ws, &owner.access).await;
    send_json(&mut ws, json!({ "type": "ping", "payload": { "at": 1 } })).await;
    assert_eq!(next_json(&mut ws).await, json!({ "type": "pong" }));
    send_json(
        &mut ws,
        json!({ "type": "subscribe", "id": "same", "payload": me }),
    )
    .await;
    send_json(
        &mut ws,
        json!({ "type": "subscribe", "id": "same", "payload": me }),
    )
    .await;
    assert_eq!(
        closed_with(&mut ws).await,
        (4409, "Subscriber for same already exists".into())
    );

    // at most 100 subscriptions at once: the 101st gets an `error` for its id
    // and the connection stays (checkProcessed sends nothing until a check)
    let location = app.first_location(&owner.access).await;
    let checks = json!({
        "query": "subscription($l: ID!) { checkProcessed(locationId: $l) { externalId } }",
        "variables": { "l": location },
    });
    let mut ws = connect(&app.base).await;
    init(&mut ws, &owner.access).await;
    for i in 0..101 {
        send_json(
            &mut ws,
            json!({ "type": "subscribe", "id": format!("s{i}"), "payload": checks }),
        )
        .await;
    }
    let refused = next_json(&mut ws).await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "s100", "{refused}");
    assert!(
        refused["payload"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 100")),
        "{refused}"
    );
    // completing one (no answer in this protocol) makes room again
    send_json(&mut ws, json!({ "type": "complete", "id": "s0" })).await;
    send_json(
        &mut ws,
        json!({ "type": "subscribe", "id": "s100", "payload": checks }),
    )
    .await;
    send_json(&mut ws, json!({ "type": "ping" })).await;
    assert_eq!(
        next_json(&mut ws).await,
        json!({ "type": "pong" }),
        "no error, no complete"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_older_subscriptions_transport_protocol_is_served_too() {
    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.sign_up("Старый протокол", &unique_email("owner")).await;
    let location = app.first_location(&owner.access).await;
    let guest = app.create_guest(&owner.access, "+79005550177").await;
    let checks = "subscription($l: ID!) { checkProcessed(locationId: $l) { externalId earned } }";

    let mut old = connect_with(&app.base, "graphql-ws").await;
    init(&mut old, &owner.access).await;
    let start = json!({ "type": "start", "id": "7", "payload": { "query": checks, "variables": { "l": location } } });
    send_json(&mut old, start.clone()).await;
    // The same subscription over graphql-transport-ws shares its execution.
    let mut new = subscribe(&app.base, &owner.access, checks, json!({ "l": location })).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    app.ok(
        Some(&owner.access),
        "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 100000, externalId: \"old-1\" }) { earned } }",
        json!({ "l": location, "g": guest }),
    )
    .await;
    let data = next_json(&mut old).await;
    assert_eq!(data["type"], "data", "{data}");
    assert_eq!(data["id"], "7", "{data}");
    assert_eq!(
        data["payload"]["data"]["checkProcessed"]["externalId"], "old-1",
        "{data}"
    );
    let next = next_json(&mut new).await;
    assert_eq!(next["type"], "next", "{next}");
    assert_eq!(next["payload"], data["payload"], "one rendering for both");

    // stop is answered with complete in this protocol
    send_json(&mut old, json!({ "type": "stop", "id": "7" })).await;
    assert_eq!(
        next_json(&mut old).await,
        json!({ "type": "complete", "id": "7" })
    );

    // refused credentials: connection_error first, then the close
    let mut bad = connect_with(&app.base, "graphql-ws").await;
    send_json(
        &mut bad,
        json!({ "type": "connection_init", "payload": { "Authorization": "Bearer nope" } }),
    )
    .await;
    let error = next_json(&mut bad).await;
    assert_eq!(error["type"], "connection_error", "{error}");
    assert!(
        error["payload"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Forbidden")),
        "{error}"
    );
    assert_eq!(closed_with(&mut bad).await.0, 4403);
}
