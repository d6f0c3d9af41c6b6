//! socket.io at `/socket.io`, spoken by a small raw engine.io v4 / socket.io v5
//! client over one transport each (websocket only, long-polling only): tokens
//! at CONNECT, rooms the server picks, `watch` for a location, events that never
//! leave their tenant (or their guest), and events of one process reaching
//! sockets on another through Redis.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use infra::telegram::init_data::sign_for_tests;
use serde_json::{Value, json};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::api_keys::create_key;
use crate::both_backends;
use crate::helpers::{
    Backend, Session, TestApp, postgres_available, spawn_app, spawn_app_with, unique_email,
};

// ----- a raw client -------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    WebSocket,
    Polling,
}

enum Out {
    Ws(mpsc::UnboundedSender<String>),
    Polling {
        http: reqwest::Client,
        url: String,
        /// engine.io refuses overlapping POSTs (the pong is posted by the reader).
        lock: Arc<Mutex<()>>,
    },
}

async fn post(http: &reqwest::Client, url: &str, lock: &Mutex<()>, packet: String) {
    let _one_at_a_time = lock.lock().await;
    let r = http
        .post(url)
        .header("content-type", "text/plain;charset=UTF-8")
        .body(packet)
        .send()
        .await
        .expect("POST sent");
    assert_eq!(r.status().as_u16(), 200, "POST refused");
}

/// One engine.io session: socket.io packets (engine.io messages without their
/// leading `4`) arrive on `rx`; pings are answered by the reader.
struct Client {
    rx: mpsc::UnboundedReceiver<String>,
    out: Out,
    next_ack: u64,
    pending: VecDeque<(String, Value)>,
    reader: JoinHandle<()>,
}

impl Drop for Client {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Client {
    async fn open(base: &str, transport: Transport, authorization: Option<&str>) -> Self {
        match transport {
            Transport::WebSocket => Self::websocket(base, authorization).await,
            Transport::Polling => Self::polling(base, authorization).await,
        }
    }

    /// Straight to websocket: no polling first.
    async fn websocket(base: &str, authorization: Option<&str>) -> Self {
        let url = format!(
            "{}/socket.io/?EIO=4&transport=websocket",
            base.replacen("http", "ws", 1)
        );
        let mut req = url.into_client_request().expect("request");
        if let Some(a) = authorization {
            req.headers_mut()
                .insert("authorization", a.parse().expect("header"));
        }
        let (ws, _) = tokio::time::timeout(
            Duration::from_secs(5),
            tokio_tungstenite::connect_async(req),
        )
        .await
        .expect("the websocket upgrade answers")
        .expect("a websocket-only socket.io client connects");
        let (mut sink, mut stream) = ws.split();
        let open = match stream.next().await {
            Some(Ok(Message::Text(t))) => t.as_str().to_owned(),
            other => panic!("no engine.io OPEN packet: {other:?}"),
        };
        let open: Value =
            serde_json::from_str(open.strip_prefix('0').expect("OPEN")).expect("json");
        assert!(open["sid"].is_string(), "{open}");
        assert_eq!(open["upgrades"], json!([]), "already on websocket");
        let (in_tx, rx) = mpsc::unbounded_channel();
        let (out_tx, mut out_rx) = mpsc::unbounded_channel::<String>();
        let reader = tokio::spawn(async move {
            loop {
                tokio::select! {
                    m = stream.next() => match m {
                        Some(Ok(Message::Text(t))) => {
                            let alive = match t.as_str() {
                                "2" => sink.send(Message::text("3")).await.is_ok(),
                                p if p.starts_with('4') => in_tx.send(p[1..].to_owned()).is_ok(),
                                _ => true,
                            };
                            if !alive {
                                return;
                            }
                        }
                        Some(Ok(_)) => {}
                        _ => return,
                    },
                    p = out_rx.recv() => match p {
                        Some(p) => {
                            if sink.send(Message::text(p)).await.is_err() {
                                return;
                            }
                        }
                        None => return,
                    },
                }
            }
        });
        Self {
            rx,
            out: Out::Ws(out_tx),
            next_ack: 1,
            pending: VecDeque::new(),
            reader,
        }
    }

    /// Long-polling only: never upgrades.
    async fn polling(base: &str, authorization: Option<&str>) -> Self {
        let http = reqwest::Client::new();
        let first = format!("{base}/socket.io/?EIO=4&transport=polling");
        let mut req = http.get(&first);
        if let Some(a) = authorization {
            req = req.header("authorization", a);
        }
        let body = req
            .send()
            .await
            .expect("handshake")
            .text()
            .await
            .expect("text");
        let open: Value =
            serde_json::from_str(body.strip_prefix('0').expect("OPEN packet")).expect("json");
        let sid = open["sid"].as_str().expect("sid").to_owned();
        let url = format!("{first}&sid={sid}");
        let lock = Arc::new(Mutex::new(()));
        let (in_tx, rx) = mpsc::unbounded_channel();
        let (h, u, l) = (http.clone(), url.clone(), Arc::clone(&lock));
        let reader = tokio::spawn(async move {
            loop {
                let Ok(r) = h.get(&u).send().await else {
                    return;
                };
                if r.status().as_u16() != 200 {
                    return;
                }
                let Ok(text) = r.text().await else {
                    return;
                };
                for p in text.split('\x1e') {
                    let alive = match p {
                        "2" => {
                            post(&h, &u, &l, "3".into()).await;
                            true
                        }
                        "1" => false,
                        p if p.starts_with('4') => in_tx.send(p[1..].to_owned()).is_ok(),
                        _ => true,
                    };
                    if !alive {
                        return;
                    }
                }
            }
        });
        Self {
            rx,
            out: Out::Polling { http, url, lock },
            next_ack: 1,
            pending: VecDeque::new(),
            reader,
        }
    }

    /// Sends a socket.io packet (as an engine.io message).
    async fn send(&self, packet: &str) {
        let packet = format!("4{packet}");
        match &self.out {
            Out::Ws(tx) => tx.send(packet).expect("the websocket is open"),
            Out::Polling { http, url, lock } => post(http, url, lock, packet).await,
        }
    }

    async fn recv(&mut self, within: Duration) -> Option<String> {
        tokio::time::timeout(within, self.rx.recv())
            .await
            .ok()
            .flatten()
    }

    /// CONNECTs to `/`: the CONNECT payload, or the CONNECT_ERROR payload.
    async fn connect(&mut self, auth: Option<Value>) -> Result<Value, Value> {
        let packet = auth.map_or_else(|| "0".to_owned(), |a| format!("0{a}"));
        self.send(&packet).await;
        loop {
            // Generous: refusing an unknown API key still runs a (debug-build) argon2
            // verification, which takes seconds on a loaded machine.
            let p = self
                .recv(Duration::from_secs(20))
                .await
                .expect("an answer to CONNECT");
            if let Some(body) = p.strip_prefix('0') {
                return Ok(serde_json::from_str(body).expect("json"));
            }
            if let Some(body) = p.strip_prefix('4') {
                return Err(serde_json::from_str(body).expect("json"));
            }
        }
    }

    /// Emits `event` with an ack and returns the ack's first argument.
    async fn call(&mut self, event: &str, data: Value) -> Value {
        let id = self.next_ack;
        self.next_ack += 1;
        self.send(&format!("2{id}{}", json!([event, data]))).await;
        let prefix = format!("3{id}");
        loop {
            let p = self
                .recv(Duration::from_secs(5))
                .await
                .unwrap_or_else(|| panic!("no ack to {event}"));
            if let Some(body) = p.strip_prefix(&prefix) {
                let args: Value = serde_json::from_str(body).expect("json");
                return args[0].clone();
            }
            if let Some(e) = parse_event(&p) {
                self.pending.push_back(e);
            }
        }
    }

    async fn watch(&mut self, location: &str) -> Value {
        self.call("watch", json!({ "locationId": location })).await
    }

    /// The next event, if one arrives within `within`.
    async fn event(&mut self, within: Duration) -> Option<(String, Value)> {
        if let Some(e) = self.pending.pop_front() {
            return Some(e);
        }
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let p = self.recv(left).await?;
            if let Some(e) = parse_event(&p) {
                return Some(e);
            }
        }
    }

    /// The next `name` event (skipping others) within `within`.
    async fn expect(&mut self, name: &str, within: Duration) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.event(left).await {
                Some((n, data)) if n == name => return data,
                Some(_) => {}
                None => panic!("no {name} within {within:?}"),
            }
        }
    }

    async fn nothing_within(&mut self, within: Duration, who: &str) {
        let got = self.event(within).await;
        assert!(got.is_none(), "{who} received {got:?}");
    }
}

fn parse_event(packet: &str) -> Option<(String, Value)> {
    let body = packet.strip_prefix('2')?;
    let v: Value = serde_json::from_str(body).ok()?;
    Some((v[0].as_str()?.to_owned(), v[1].clone()))
}

/// A connected client of `token`.
async fn connected(base: &str, transport: Transport, token: &str) -> Client {
    let mut c = Client::open(base, transport, None).await;
    let ok = c.connect(Some(json!({ "token": token }))).await;
    assert!(ok.is_ok(), "{transport:?} refused: {ok:?}");
    c
}

// ----- fixtures ----------------------------------------------------------------

const SHORT: Duration = Duration::from_millis(700);
const SECOND: Duration = Duration::from_secs(1);
const BOT: &str = "3333333333:AAtenant-s-bot-token-for-tests_zzzzzzzz";

async fn process_check(app: &TestApp, s: &Session, location: &str, guest: &str, external: &str) {
    app.ok(
        Some(&s.access),
        "mutation($l: ID!, $g: ID!, $x: String!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 100000, externalId: $x }) { earned } }",
        json!({ "l": location, "g": guest, "x": external }),
    )
    .await;
}

/// A guest signed in through the Mini App: (token, guest id).
async fn mini_app_guest(app: &TestApp, owner: &Session, telegram_id: i64) -> (String, String) {
    app.ok(
        Some(&owner.access),
        "mutation($t: String!) { setTelegramBot(token: $t) { botId } }",
        json!({ "t": BOT }),
    )
    .await;
    let user = json!({ "id": telegram_id, "first_name": "Гость" }).to_string();
    let data = sign_for_tests(
        &[
            ("user", user.as_str()),
            ("auth_date", &app.clock.now_ts().to_string()),
            ("query_id", "AAH-test"),
        ],
        BOT,
    );
    let d = app
        .ok(
            None,
            "mutation($t: ID!, $d: String!) { guestSignIn(tenantId: $t, initData: $d) { token } }",
            json!({ "t": owner.tenant_id, "d": data }),
        )
        .await;
    let token = d["guestSignIn"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let me = app
        .ok(Some(&token), "{ myCard { guest { id } } }", json!({}))
        .await;
    let id = me["myCard"]["guest"]["id"].as_str().expect("id").to_owned();
    (token, id)
}

// ----- tests ---------------------------------------------------------------------

async fn watched_checks_arrive(backend: Backend, transport: Transport) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Socket", &unique_email("owner")).await;
    let l = app.first_location(&owner.access).await;
    let g = app.create_guest(&owner.access, "+79005550401").await;
    let mut c = connected(&app.base, transport, &format!("Bearer {}", owner.access)).await;
    assert_eq!(c.watch(&l).await, json!({ "ok": true }));

    process_check(&app, &owner, &l, &g, "sio-1").await;
    let r = c.expect("check.processed", SECOND).await;
    assert_eq!(r["externalId"], "sio-1", "{r}");
    assert_eq!(r["locationId"], l.as_str());
    assert_eq!(r["guestId"], g.as_str());
    assert_eq!(r["totalMinor"], 100_000);
    assert_eq!(r["currency"], "RUB");
    assert!(r["earned"].as_i64().expect("earned") > 0, "{r}");
    assert_eq!(r["balance"], r["earned"]);
    assert!(
        r["checkId"].is_string() && r["processedAt"].is_string(),
        "{r}"
    );
    // The owner reads guests: their cards' changes arrive too.
    let u = c.expect("guest.updated", SECOND).await;
    assert_eq!(u["guestId"], g.as_str());
    assert_eq!(u["balance"], r["earned"]);
    assert_eq!(u["available"], r["available"]);
    c.nothing_within(SHORT, "a second delivery").await;

    // After `unwatch` the location's checks stop; card updates go on.
    let unwatch = c.call("unwatch", json!({ "locationId": l })).await;
    assert_eq!(unwatch, json!({ "ok": true }));
    process_check(&app, &owner, &l, &g, "sio-2").await;
    let (name, _) = c.event(SECOND).await.expect("the card update");
    assert_eq!(name, "guest.updated");
    c.nothing_within(SHORT, "an unwatched location").await;
}

async fn a_websocket_only_client_gets_checks_of_a_watched_location(backend: Backend) {
    watched_checks_arrive(backend, Transport::WebSocket).await;
}
both_backends!(a_websocket_only_client_gets_checks_of_a_watched_location);

async fn a_polling_only_client_gets_checks_of_a_watched_location(backend: Backend) {
    watched_checks_arrive(backend, Transport::Polling).await;
}
both_backends!(a_polling_only_client_gets_checks_of_a_watched_location);

async fn missing_and_bad_credentials_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Refused", &unique_email("owner")).await;
    for transport in [Transport::WebSocket, Transport::Polling] {
        for auth in [
            None,
            Some(json!({})),
            Some(json!({ "token": "" })),
            Some(json!({ "token": "nonsense" })),
            Some(json!({ "token": "Bearer mlk_0000000000000000_bogus" })),
            Some(json!({ "token": 42 })),
        ] {
            let mut c = Client::open(&app.base, transport, None).await;
            let err = c
                .connect(auth.clone())
                .await
                .expect_err("refused without a valid token");
            assert_eq!(
                err["code"], "UNAUTHENTICATED",
                "{transport:?} {auth:?}: {err}"
            );
            assert_eq!(err["data"]["code"], "UNAUTHENTICATED", "{err}");
            let message = err["message"].as_str().expect("message");
            assert!(
                !message.is_empty() && !message.contains("UNAUTHENTICATED"),
                "{err}"
            );
            c.nothing_within(Duration::from_millis(200), "a refused socket")
                .await;
        }
        // The handshake's Authorization header works when the payload has no token.
        let bearer = format!("Bearer {}", owner.access);
        let mut c = Client::open(&app.base, transport, Some(&bearer)).await;
        assert!(
            c.connect(None).await.is_ok(),
            "{transport:?} with the header"
        );
        // Refused first, then accepted on the same connection.
        let mut c = Client::open(&app.base, transport, None).await;
        assert!(c.connect(Some(json!({ "token": "nope" }))).await.is_err());
        let ok = c.connect(Some(json!({ "token": owner.access }))).await;
        assert!(ok.expect("a retry connects")["sid"].is_string());
    }

    // An API key connects with its scopes: guests:read gives card updates,
    // but without checks:process it cannot watch a location.
    let l = app.first_location(&owner.access).await;
    let g = app.create_guest(&owner.access, "+79005550402").await;
    let (_, key) = create_key(&app, &owner.access, "cards", &["guests:read"]).await;
    let mut k = connected(&app.base, Transport::WebSocket, &key).await;
    let w = k.watch(&l).await;
    assert_eq!(w["error"]["code"], "FORBIDDEN", "{w}");
    process_check(&app, &owner, &l, &g, "key-1").await;
    let (name, data) = k.event(SECOND).await.expect("an event for the key");
    assert_eq!(name, "guest.updated");
    assert_eq!(data["guestId"], g.as_str());
    k.nothing_within(SHORT, "a key that watches nothing").await;
}
both_backends!(missing_and_bad_credentials_are_refused);

async fn other_tenants_see_nothing_and_cannot_watch_foreign_locations(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.sign_up("Tenant A", &unique_email("a")).await;
    let b = app.sign_up("Tenant B", &unique_email("b")).await;
    let (la, lb) = (
        app.first_location(&a.access).await,
        app.first_location(&b.access).await,
    );
    let g = app.create_guest(&a.access, "+79005550403").await;

    let mut ca = connected(&app.base, Transport::WebSocket, &a.access).await;
    assert_eq!(ca.watch(&la).await, json!({ "ok": true }));
    let mut cb = connected(&app.base, Transport::WebSocket, &b.access).await;
    let mut pb = connected(&app.base, Transport::Polling, &b.access).await;
    // B's owner reads guests and manages integrations in B: rooms of B only.
    assert_eq!(cb.watch(&lb).await, json!({ "ok": true }));
    let foreign = cb.watch(&la).await;
    assert_eq!(foreign["error"]["code"], "NOT_FOUND", "{foreign}");
    let unknown = cb.watch(&uuid::Uuid::now_v7().to_string()).await;
    assert_eq!(
        unknown, foreign,
        "a foreign location looks exactly like an unknown one"
    );
    assert_eq!(pb.watch(&la).await["error"]["code"], "NOT_FOUND");
    for bad in [json!({}), json!({ "locationId": "nonsense" }), json!("x")] {
        let r = cb.call("watch", bad.clone()).await;
        assert_eq!(r["error"]["code"], "VALIDATION", "{bad}: {r}");
    }

    process_check(&app, &a, &la, &g, "a-1").await;
    ca.expect("check.processed", SECOND).await;
    ca.expect("guest.updated", SECOND).await;
    cb.nothing_within(SHORT, "tenant B over websocket").await;
    pb.nothing_within(Duration::from_millis(200), "tenant B over polling")
        .await;
}
both_backends!(other_tenants_see_nothing_and_cannot_watch_foreign_locations);

async fn a_guest_socket_gets_only_its_own_card_updates(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Guests", &unique_email("owner")).await;
    let l = app.first_location(&owner.access).await;
    let (token, me) = mini_app_guest(&app, &owner, 279_058_401).await;
    let other = app.create_guest(&owner.access, "+79005550404").await;

    let mut c = connected(&app.base, Transport::WebSocket, &token).await;
    let mut p = connected(&app.base, Transport::Polling, &token).await;
    let w = c.watch(&l).await;
    assert_eq!(
        w["error"]["code"], "FORBIDDEN",
        "guests watch no location: {w}"
    );

    process_check(&app, &owner, &l, &other, "other-1").await;
    c.nothing_within(SHORT, "a guest (another guest's check)")
        .await;
    p.nothing_within(Duration::from_millis(100), "a guest over polling")
        .await;

    process_check(&app, &owner, &l, &me, "mine-1").await;
    for client in [&mut c, &mut p] {
        let (name, data) = client.event(SECOND).await.expect("the guest's own update");
        assert_eq!(
            name, "guest.updated",
            "no check.processed for guests: {data}"
        );
        assert_eq!(data["guestId"], me.as_str());
        assert!(data["balance"].as_i64().expect("balance") > 0, "{data}");
        client
            .nothing_within(SHORT, "a guest (after their update)")
            .await;
    }
}
both_backends!(a_guest_socket_gets_only_its_own_card_updates);

// ----- two processes ---------------------------------------------------------------

const REDIS: &str = "redis://127.0.0.1:6379";

/// Whether the shared Redis is there; `MAXLOYALTY_TEST_REDIS` as in `redis_bus`
/// (`off` skips, `require` fails when it is missing).
async fn redis_available() -> bool {
    let mode = std::env::var("MAXLOYALTY_TEST_REDIS").unwrap_or_else(|_| "auto".into());
    if mode == "off" {
        eprintln!("SKIPPED: Redis tests are off (MAXLOYALTY_TEST_REDIS=off)");
        return false;
    }
    let ping = async {
        let client = redis::Client::open(REDIS).map_err(|e| e.to_string())?;
        let mut c = client
            .get_multiplexed_async_connection()
            .await
            .map_err(|e| e.to_string())?;
        redis::cmd("PING")
            .query_async::<String>(&mut c)
            .await
            .map_err(|e| e.to_string())
    };
    let why = match tokio::time::timeout(Duration::from_secs(2), ping).await {
        Ok(Ok(_)) => return true,
        Ok(Err(e)) => e,
        Err(_) => "timed out".to_owned(),
    };
    assert!(
        mode != "require",
        "Redis is required (MAXLOYALTY_TEST_REDIS=require) but unusable at {REDIS}: {why}"
    );
    eprintln!("SKIPPED: Redis tests: {REDIS} is unusable: {why}");
    false
}

async fn wait_for_redis(app: &TestApp) {
    let started = Instant::now();
    loop {
        let body: Value = app
            .http
            .get(format!("{}/ready", app.base))
            .send()
            .await
            .expect("ready answers")
            .json()
            .await
            .expect("json");
        if body["redis"] == "ok" {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "Redis never connected: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_processed_on_one_process_reaches_socketio_clients_of_another() {
    if !redis_available().await || !postgres_available().await {
        return;
    }
    let prefix = format!("mlt-{}", uuid::Uuid::now_v7().simple());
    let p = prefix.clone();
    let a = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(REDIS.into());
        s.redis_prefix = p;
    })
    .await;
    let db = a.database_url.clone();
    let b = spawn_app_with(Backend::Postgres, |s| {
        s.database_url = db;
        s.redis_url = Some(REDIS.into());
        s.redis_prefix = prefix;
    })
    .await;
    wait_for_redis(&a).await;
    wait_for_redis(&b).await;

    let owner = a.sign_up("Two processes", &unique_email("owner")).await;
    let l = a.first_location(&owner.access).await;
    let g = a.create_guest(&owner.access, "+79005550405").await;
    let other = a.sign_up("Other", &unique_email("other")).await;

    let mut ws = connected(&b.base, Transport::WebSocket, &owner.access).await;
    let mut polling = connected(&b.base, Transport::Polling, &owner.access).await;
    let mut snoop = connected(&b.base, Transport::WebSocket, &other.access).await;
    for c in [&mut ws, &mut polling] {
        assert_eq!(c.watch(&l).await, json!({ "ok": true }));
    }

    process_check(&a, &owner, &l, &g, "remote-1").await;
    let sent = Instant::now();
    for (c, who) in [(&mut ws, "websocket"), (&mut polling, "polling")] {
        let left = SECOND.saturating_sub(sent.elapsed());
        let r = c.expect("check.processed", left).await;
        assert_eq!(r["externalId"], "remote-1", "{who}: {r}");
    }
    assert!(sent.elapsed() < SECOND, "both within one second");
    snoop
        .nothing_within(SHORT, "another tenant on process B")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polling_client_upgrades_to_websocket() {
    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.sign_up("Upgrade", &unique_email("owner")).await;
    let l = app.first_location(&owner.access).await;
    let g = app.create_guest(&owner.access, "+79005550406").await;

    let http = reqwest::Client::new();
    let first = format!("{}/socket.io/?EIO=4&transport=polling", app.base);
    let body = http.get(&first).send().await.expect("handshake");
    let open: Value = serde_json::from_str(
        body.text()
            .await
            .expect("text")
            .strip_prefix('0')
            .expect("OPEN"),
    )
    .expect("json");
    assert_eq!(open["upgrades"], json!(["websocket"]), "{open}");
    let sid = open["sid"].as_str().expect("sid").to_owned();
    let url = format!("{first}&sid={sid}");
    let lock = Mutex::new(());
    post(
        &http,
        &url,
        &lock,
        format!("40{}", json!({ "token": owner.access })),
    )
    .await;
    // CONNECT's answer (a ping may come first: answer it).
    let mut polled = Vec::new();
    while !polled.iter().any(|p: &String| p.starts_with("40{")) {
        assert!(polled.len() < 5, "no CONNECT answer: {polled:?}");
        let text = http
            .get(&url)
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("text");
        for p in text.split('\x1e') {
            if p == "2" {
                post(&http, &url, &lock, "3".into()).await;
            }
            polled.push(p.to_owned());
        }
    }

    let ws_url = format!(
        "{}/socket.io/?EIO=4&transport=websocket&sid={sid}",
        app.base.replacen("http", "ws", 1)
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(ws_url)
        .await
        .expect("the upgrade is accepted");
    ws.send(Message::text("2probe")).await.expect("probe");
    let next_text = async |ws: &mut tokio_tungstenite::WebSocketStream<_>| loop {
        match tokio::time::timeout(Duration::from_secs(2), ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) if t.as_str() != "2" => return t.as_str().to_owned(),
            Ok(Some(Ok(_))) => {}
            other => panic!("the websocket ended: {other:?}"),
        }
    };
    assert_eq!(next_text(&mut ws).await, "3probe");
    ws.send(Message::text("5")).await.expect("upgrade");
    ws.send(Message::text(format!(
        "421{}",
        json!(["watch", { "locationId": l }])
    )))
    .await
    .expect("watch");
    assert_eq!(next_text(&mut ws).await, r#"431[{"ok":true}]"#);
    process_check(&app, &owner, &l, &g, "upgraded-1").await;
    let event = next_text(&mut ws).await;
    assert!(
        event.starts_with(r#"42["check.processed""#) && event.contains("upgraded-1"),
        "{event}"
    );
}

// ----- limits and lifetimes -------------------------------------------------------

/// A graphql-transport-ws connection after `connection_init`: the first
/// message (ack), or the close frame.
async fn gql_ws(
    base: &str,
    token: &str,
) -> (
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    Message,
) {
    let mut ws = crate::realtime_and_binary::connect(base).await;
    ws.send(Message::text(
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } })
            .to_string(),
    ))
    .await
    .expect("init");
    let first = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .expect("an answer")
        .expect("a message")
        .expect("a frame");
    (ws, first)
}

fn close_code(m: &Message) -> Option<u16> {
    match m {
        Message::Close(Some(f)) => Some(u16::from(f.code)),
        _ => None,
    }
}

fn is_ack(m: &Message) -> bool {
    matches!(m, Message::Text(t) if t.as_str().contains("connection_ack"))
}

async fn live_connections_are_limited_per_tenant_and_end_with_their_token(backend: Backend) {
    let app =
        crate::helpers::spawn_app_with(backend, |s| s.max_live_connections_per_tenant = 2).await;
    let owner = app.sign_up("Limits", &unique_email("owner")).await;
    let other = app.sign_up("Other", &unique_email("owner")).await;

    // Two places per business and process, shared by GraphQL and socket.io.
    let (first, ack) = gql_ws(&app.base, &owner.access).await;
    assert!(is_ack(&ack), "{ack:?}");
    let sio = connected(&app.base, Transport::WebSocket, &owner.access).await;
    let (_third, refused) = gql_ws(&app.base, &owner.access).await;
    assert_eq!(close_code(&refused), Some(1013), "{refused:?}");
    let mut c = Client::open(&app.base, Transport::Polling, None).await;
    let err = c
        .connect(Some(json!({ "token": owner.access })))
        .await
        .expect_err("the fourth is refused");
    assert_eq!(err["code"], "RATE_LIMITED", "{err}");
    // Another business is not held back.
    let (_theirs, ack) = gql_ws(&app.base, &other.access).await;
    assert!(is_ack(&ack), "{ack:?}");
    // A closed connection frees its place.
    drop(first);
    let mut freed = false;
    for _ in 0..50 {
        let (_ws, m) = gql_ws(&app.base, &owner.access).await;
        if is_ack(&m) {
            freed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(freed, "the place of a closed connection is reused");
    sio.send("41").await;
    drop(sio);

    // A token ending while connected closes the connection cleanly: 4401 on
    // GraphQL, `session.expired` then a disconnect on socket.io.
    let app = crate::helpers::spawn_app(backend).await;
    let email = unique_email("short");
    let owner = app.sign_up("Short", &email).await;
    // Sign in "14 minutes 57 seconds ago": the 15-minute token ends in ~3 s.
    app.clock.advance(chrono::Duration::seconds(-(15 * 60 - 3)));
    let short = app.login(&email, crate::helpers::PASSWORD).await;
    let short = short["data"]["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("login: {short}"))
        .to_owned();
    app.clock.advance(chrono::Duration::seconds(15 * 60 - 3));
    let _ = owner;
    let (mut ws, ack) = gql_ws(&app.base, &short).await;
    assert!(is_ack(&ack), "{ack:?}");
    let mut sio = connected(&app.base, Transport::WebSocket, &short).await;
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match ws.next().await {
                Some(Ok(m @ Message::Close(_))) => return m,
                Some(Ok(_)) => {}
                other => panic!("ended without a close frame: {other:?}"),
            }
        }
    })
    .await
    .expect("closed when the token ends");
    assert_eq!(close_code(&closed), Some(4401), "{closed:?}");
    let expired = sio.expect("session.expired", Duration::from_secs(10)).await;
    assert_eq!(expired["code"], "UNAUTHENTICATED", "{expired}");
}
both_backends!(live_connections_are_limited_per_tenant_and_end_with_their_token);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_socket_without_connection_init_is_closed_after_ten_seconds() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await;
    let mut ws = crate::realtime_and_binary::connect(&app.base).await;
    let started = Instant::now();
    let closed = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            match ws.next().await {
                Some(Ok(m @ Message::Close(_))) => return m,
                Some(Ok(_)) => {}
                other => panic!("ended without a close frame: {other:?}"),
            }
        }
    })
    .await
    .expect("closed");
    assert_eq!(close_code(&closed), Some(4408), "{closed:?}");
    assert!(
        started.elapsed() >= Duration::from_secs(9),
        "{:?}",
        started.elapsed()
    );
}
