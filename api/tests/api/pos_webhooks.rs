//! Inbound POS webhooks over real HTTP: signatures, durability before the 2xx,
//! exactly-once accrual by the worker, the event log, iiko and r_keeper.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::Duration;
use infra::integrations::sign_for_tests;
use poem::EndpointExt;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Session, TestApp, spawn_app_with, unique_email};

#[derive(Clone)]
struct Pos {
    owner: Session,
    id: String,
    url: String,
    secret: String,
}

const CREATE: &str = "mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { secret integration { id kind endpointUrl active } } }";
const EVENTS: &str = "query($id: ID!) { integrationEvents(integrationId: $id, last: 50) { totalCount nodes { id kind externalId status error checkId } } }";

async fn integration(app: &TestApp, owner: &Session, kind: &str) -> Pos {
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
    let r = app
        .ok(
            Some(&owner.access),
            CREATE,
            json!({ "i": { "kind": kind, "locationId": location, "name": "Касса 1" } }),
        )
        .await["createIntegration"]
        .clone();
    let id = r["integration"]["id"].as_str().expect("id").to_owned();
    let url = r["integration"]["endpointUrl"]
        .as_str()
        .expect("url")
        .to_owned();
    assert!(
        url.ends_with(&format!("/webhooks/{}/{id}", kind.to_lowercase())),
        "{url}"
    );
    Pos {
        owner: owner.clone(),
        id,
        url: format!(
            "{}/webhooks/{}/{}",
            app.base,
            kind.to_lowercase(),
            r["integration"]["id"].as_str().unwrap_or_default()
        ),
        secret: r["secret"].as_str().expect("secret").to_owned(),
    }
}

async fn post(app: &TestApp, url: &str, headers: &[(&str, String)], body: &str) -> (u16, Value) {
    let mut req = app
        .http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned());
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn signed(app: &TestApp, p: &Pos, body: &str) -> (u16, Value) {
    let sig = sign_for_tests(&p.secret, app.clock.now_ts(), body.as_bytes());
    post(app, &p.url, &[("x-signature", sig)], body).await
}

fn check(ext: &str, phone: &str, total: i64) -> String {
    json!({ "type": "check.closed", "externalId": ext, "guest": { "phone": phone }, "totalMinor": total,
            "items": [{ "name": "Латте", "quantity": 1, "totalMinor": total }],
            "payments": [{ "method": "card", "amountMinor": total }] })
    .to_string()
}

async fn balance(app: &TestApp, owner: &Session, g: &str) -> i64 {
    app.ok(
        Some(&owner.access),
        "query($id: ID!) { guest(id: $id) { account { balance } } }",
        json!({ "id": g }),
    )
    .await["guest"]["account"]["balance"]
        .as_i64()
        .expect("balance")
}

async fn events(app: &TestApp, p: &Pos) -> Vec<Value> {
    app.ok(Some(&p.owner.access), EVENTS, json!({ "id": p.id }))
        .await["integrationEvents"]["nodes"]
        .as_array()
        .expect("events")
        .clone()
}

/// Polls the event log until `pick` finds an event (up to 15 s).
async fn wait_event(app: &TestApp, p: &Pos, what: &str, pick: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..150 {
        if let Some(e) = events(app, p).await.into_iter().find(|e| pick(e)) {
            return e;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}: {:?}", events(app, p).await);
}

async fn wait_status(app: &TestApp, p: &Pos, event: &str, status: &str) -> Value {
    wait_event(app, p, &format!("event {event} to be {status}"), |e| {
        e["id"] == event && e["status"] == status
    })
    .await
}

/// The stored priority rank of the job that processed inbound `event`.
async fn job_priority(app: &TestApp, event: &str) -> i16 {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let db = Database::connect(app.database_url.as_str())
        .await
        .expect("connect");
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT priority FROM jobs WHERE dedupe_key = $1",
            [format!("inbound:{event}").into()],
        ))
        .await
        .expect("query")
        .expect("the event's job");
    let rank = row.try_get("", "priority").expect("priority");
    let _ = db.close().await;
    rank
}

async fn a_signed_check_is_durable_then_accrued_exactly_once(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.worker_enabled = true).await;
    let owner = app.sign_up("POS", &unique_email("owner")).await;
    let p = integration(&app, &owner, "POS").await;
    let g = app.create_guest(&owner.access, "+79990007001").await;

    let body = check("CHK-1", "+79990007001", 100_000);
    let (status, r) = signed(&app, &p, &body).await;
    assert_eq!(status, 202, "{r}");
    let event = r["eventId"].as_str().expect("event id").to_owned();
    let done = wait_status(&app, &p, &event, "PROCESSED").await;
    assert!(
        done["checkId"].is_string(),
        "the event links its check: {done}"
    );
    assert_eq!(balance(&app, &owner, &g).await, 30);
    // Its processing ran as an interactive job: ahead of any backlog.
    assert_eq!(job_priority(&app, &event).await, 0, "interactive rank");

    // A replay: 200, same event, no effect.
    let (status, r) = signed(&app, &p, &body).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "duplicate");
    assert_eq!(r["eventId"], event.as_str());
    // The same id with another payload: 409, logged as a conflict.
    let (status, r) = signed(&app, &p, &check("CHK-1", "+79990007001", 200_000)).await;
    assert_eq!(status, 409, "{r}");
    assert_eq!(r["error"]["code"], "CONFLICT");
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(balance(&app, &owner, &g).await, 30);
    let log = events(&app, &p).await;
    assert!(log.iter().any(|e| e["status"] == "CONFLICT"), "{log:?}");

    // 50 concurrent deliveries of a new check: one accrual.
    let body = check("CHK-2", "+79990007001", 100_000);
    let sends = (0..50).map(|_| signed(&app, &p, &body));
    let answers = futures_util::future::join_all(sends).await;
    assert!(
        answers.iter().all(|(s, _)| *s == 200 || *s == 202),
        "{answers:?}"
    );
    assert_eq!(answers.iter().filter(|(s, _)| *s == 202).count(), 1);
    let first = answers
        .iter()
        .find(|(s, _)| *s == 202)
        .map(|(_, r)| r["eventId"].as_str().unwrap_or_default().to_owned())
        .expect("accepted");
    wait_status(&app, &p, &first, "PROCESSED").await;
    assert_eq!(balance(&app, &owner, &g).await, 60);

    // Lookup and a two-phase hold from the POS, then the check captures it.
    let (status, r) = signed(
        &app,
        &p,
        &json!({ "type": "guest.lookup", "guest": { "phone": "+7 999 000-70-01" }, "totalMinor": 10_000 })
            .to_string(),
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["balance"], 60);
    assert_eq!(r["maxRedeemable"], 30, "30 % of 100.00 at Bronze");
    let (status, hold) = signed(
        &app,
        &p,
        &json!({ "type": "hold.create", "guest": { "phone": "+79990007001" }, "points": 20, "totalMinor": 10_000 })
            .to_string(),
    )
    .await;
    assert_eq!(status, 200, "{hold}");
    let paid = json!({ "type": "check.closed", "externalId": "CHK-3", "guest": { "phone": "+79990007001" },
        "totalMinor": 10_000, "holdId": hold["holdId"] })
    .to_string();
    let (status, r) = signed(&app, &p, &paid).await;
    assert_eq!(status, 202, "{r}");
    wait_status(&app, &p, r["eventId"].as_str().expect("id"), "PROCESSED").await;
    // 60 − 20 redeemed + floor(80.00 × 3 %) = 42.
    assert_eq!(balance(&app, &owner, &g).await, 42);
    let (status, r) = signed(
        &app,
        &p,
        &json!({ "type": "hold.create", "guest": { "phone": "+79990007001" }, "points": 1000 })
            .to_string(),
    )
    .await;
    assert_eq!(status, 422, "{r}");
}
both_backends!(a_signed_check_is_durable_then_accrued_exactly_once);

/// Headers, body, expected status.
type Case<'a> = (Vec<(&'a str, String)>, String, u16);

async fn bad_deliveries_get_clear_statuses_and_change_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.worker_enabled = true).await;
    let owner = app.sign_up("POS", &unique_email("owner")).await;
    let p = integration(&app, &owner, "POS").await;
    let old_secret = p.secret.clone();
    let g = app.create_guest(&owner.access, "+79990007101").await;
    let body = check("BAD-1", "+79990007101", 100_000);
    let now = app.clock.now_ts();

    let cases: Vec<Case> = vec![
        (vec![], body.clone(), 401),
        (vec![("x-signature", "nonsense".into())], body.clone(), 401),
        (vec![("x-signature", sign_for_tests("mls_wrong", now, body.as_bytes()))], body.clone(), 401),
        (vec![("x-signature", sign_for_tests(&p.secret, now - 301, body.as_bytes()))], body.clone(), 401),
        (vec![("x-signature", sign_for_tests(&p.secret, now + 301, body.as_bytes()))], body.clone(), 401),
        (vec![("x-signature", sign_for_tests(&p.secret, now, b"{not json"))], "{not json".into(), 400),
        (
            vec![("x-signature", sign_for_tests(&p.secret, now, br#"{"type":"check.closed","externalId":"X","guest":{"phone":"+79990007101"},"totalMinor":1000,"payments":[{"amountMinor":900}]}"#))],
            r#"{"type":"check.closed","externalId":"X","guest":{"phone":"+79990007101"},"totalMinor":1000,"payments":[{"amountMinor":900}]}"#.into(),
            400,
        ),
    ];
    for (headers, b, expected) in cases {
        let (status, r) = post(&app, &p.url, &headers, &b).await;
        assert_eq!(status, expected, "{headers:?}: {r}");
        assert!(r["error"]["message"].is_string(), "a JSON error: {r}");
    }
    let (status, r) = post(
        &app,
        &p.url,
        &[(
            "x-signature",
            sign_for_tests(&p.secret, now - 301, body.as_bytes()),
        )],
        &body,
    )
    .await;
    assert_eq!(status, 401);
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("301 s"),
        "{r}"
    );
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(300 * 1024));
    let (status, _) = post(
        &app,
        &p.url,
        &[(
            "x-signature",
            sign_for_tests(&p.secret, now, huge.as_bytes()),
        )],
        &huge,
    )
    .await;
    assert_eq!(status, 413);
    let unknown = format!("{}/webhooks/pos/{}", app.base, uuid::Uuid::now_v7());
    let (status, _) = post(&app, &unknown, &[], &body).await;
    assert_eq!(status, 404);

    let log = events(&app, &p).await;
    assert!(
        log.iter().filter(|e| e["status"] == "REJECTED").count() >= 7,
        "{log:?}"
    );
    // Disabled: 403; enabled again: accepted.
    app.ok(
        Some(&owner.access),
        "mutation($id: ID!) { disableIntegration(id: $id) { active } }",
        json!({ "id": p.id }),
    )
    .await;
    let (status, _) = signed(&app, &p, &body).await;
    assert_eq!(status, 403);
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(balance(&app, &owner, &g).await, 0, "nothing was accrued");
    app.ok(
        Some(&owner.access),
        "mutation($id: ID!) { enableIntegration(id: $id) { active } }",
        json!({ "id": p.id }),
    )
    .await;
    let (status, _) = signed(&app, &p, &body).await;
    assert_eq!(status, 202);

    // Rotation: both secrets work for 24 h, then only the new one.
    let rotated = app
        .ok(Some(&owner.access), "mutation($id: ID!) { rotateIntegrationSecret(id: $id) { secret integration { previousSecretValidUntil } } }", json!({ "id": p.id }))
        .await["rotateIntegrationSecret"]
        .clone();
    assert!(rotated["integration"]["previousSecretValidUntil"].is_string());
    let new = Pos {
        secret: rotated["secret"].as_str().expect("secret").to_owned(),
        ..p
    };
    let old = Pos {
        secret: old_secret,
        ..new.clone()
    };
    let (status, _) = signed(&app, &old, &check("ROT-1", "+79990007101", 1000)).await;
    assert_eq!(status, 202, "the old secret still works during the overlap");
    let (status, _) = signed(&app, &new, &check("ROT-2", "+79990007101", 1000)).await;
    assert_eq!(status, 202);
    // One header with both signatures (a sender mid-rotation) passes too.
    let t = app.clock.now_ts();
    let body3 = check("ROT-3", "+79990007101", 1000);
    let both = format!(
        "{},{}",
        sign_for_tests(&old.secret, t, body3.as_bytes()),
        sign_for_tests(&new.secret, t, body3.as_bytes()).replacen(&format!("t={t},"), "", 1)
    );
    let (status, _) = post(&app, &new.url, &[("x-signature", both)], &body3).await;
    assert_eq!(status, 202);
    app.clock.advance(Duration::hours(25));
    let (status, r) = signed(&app, &old, &check("ROT-4", "+79990007101", 1000)).await;
    assert_eq!(status, 401, "the overlap is over: {r}");
    let (status, _) = signed(&app, &new, &check("ROT-5", "+79990007101", 1000)).await;
    assert_eq!(status, 202);
}
both_backends!(bad_deliveries_get_clear_statuses_and_change_nothing);

/// A local iikoCloud: `access_token` for one `apiLogin`, and orders by id from
/// `deliveries/by_id` and `order/by_id` (with a valid token only).
#[derive(Default)]
struct IikoMock {
    /// Order id → the `OrderInfo` iikoCloud answers.
    orders: Mutex<std::collections::HashMap<String, Value>>,
    /// Tokens issued and still valid.
    tokens: Mutex<Vec<String>>,
    issued: AtomicUsize,
    /// (path, order id) of every order request.
    asked: Mutex<Vec<(String, String)>>,
    down: AtomicBool,
}

const IIKO_LOGIN: &str = "b7e1c0de-api-login";

impl IikoMock {
    fn order(&self, info: Value) {
        let id = info["id"].as_str().expect("order id").to_owned();
        self.orders.lock().expect("mock").insert(id, info);
    }
    fn asked_for(&self, order: &str) -> usize {
        self.asked
            .lock()
            .expect("mock")
            .iter()
            .filter(|(_, o)| o == order)
            .count()
    }
}

fn reply(status: u16, body: &Value) -> poem::Response {
    poem::Response::builder()
        .status(poem::http::StatusCode::from_u16(status).expect("status"))
        .content_type("application/json")
        .body(body.to_string())
}

#[poem::handler]
fn iiko_token(
    poem::web::Json(body): poem::web::Json<Value>,
    mock: poem::web::Data<&Arc<IikoMock>>,
) -> poem::Response {
    if mock.down.load(Ordering::SeqCst) {
        return reply(503, &json!({ "errorDescription": "maintenance" }));
    }
    if body["apiLogin"] != IIKO_LOGIN {
        return reply(
            401,
            &json!({ "correlationId": "c", "errorDescription": "Login is not authorized", "error": "Unauthorized" }),
        );
    }
    let n = mock.issued.fetch_add(1, Ordering::SeqCst);
    let token = format!("token-{n}");
    mock.tokens.lock().expect("mock").push(token.clone());
    reply(200, &json!({ "correlationId": "c", "token": token }))
}

#[poem::handler]
fn iiko_orders(
    req: &poem::Request,
    poem::web::Json(body): poem::web::Json<Value>,
    mock: poem::web::Data<&Arc<IikoMock>>,
) -> poem::Response {
    if mock.down.load(Ordering::SeqCst) {
        return reply(503, &json!({ "errorDescription": "maintenance" }));
    }
    let token = req
        .header("authorization")
        .and_then(|a| a.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !mock.tokens.lock().expect("mock").iter().any(|t| t == token) {
        return reply(401, &json!({ "errorDescription": "token expired" }));
    }
    let table = req.uri().path().ends_with("/order/by_id");
    let org_ok = if table {
        body["organizationIds"]
            .as_array()
            .is_some_and(|o| !o.is_empty())
    } else {
        body["organizationId"].is_string()
    };
    if !org_ok {
        return reply(400, &json!({ "errorDescription": "organization required" }));
    }
    let ids: Vec<String> = body["orderIds"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let orders = mock.orders.lock().expect("mock");
    let mut found = Vec::new();
    for id in &ids {
        mock.asked
            .lock()
            .expect("mock")
            .push((req.uri().path().to_owned(), id.clone()));
        if let Some(o) = orders.get(id) {
            found.push(o.clone());
        }
    }
    reply(200, &json!({ "correlationId": "c", "orders": found }))
}

async fn start_iiko_mock() -> (String, Arc<IikoMock>) {
    let mock = Arc::new(IikoMock::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let app = poem::Route::new()
        .at("/api/1/access_token", poem::post(iiko_token))
        .at("/api/1/deliveries/by_id", poem::post(iiko_orders))
        .at("/api/1/order/by_id", poem::post(iiko_orders))
        .data(Arc::clone(&mock));
    let acceptor = poem::listener::TcpListener::bind(format!("127.0.0.1:{port}"));
    tokio::spawn(poem::Server::new(acceptor).run(app));
    tokio::time::sleep(StdDuration::from_millis(100)).await;
    (format!("http://127.0.0.1:{port}"), mock)
}

const SET_LOGIN: &str = "mutation($id: ID!, $l: String) { setIikoApiLogin(id: $id, apiLogin: $l) { id iikoApiLoginSet } }";
const ORDER: &str = "aaaa1111-2222-3333-4444-555566667777";
const ORG: &str = "7bc05553-4b68-44e8-b7bc-37be63c6d9e9";

/// The order as iikoCloud has it: `status` and `sum` may differ from the webhook.
fn iiko_order(id: &str, status: &str, sum: f64) -> Value {
    json!({ "id": id, "posId": null, "externalNumber": "APP-1001", "organizationId": ORG,
            "timestamp": 1_740_832_200, "creationStatus": "Success", "errorInfo": null,
            "order": { "number": 142, "status": status, "sum": sum, "phone": "+79990001122",
                       "customer": { "id": "5c9b2f7e-1d2a-4b3c-9e8f-0a1b2c3d4e5f", "name": "Иван" } } })
}

async fn iiko_closed_orders_accrue_once_and_unknown_guests_can_be_reprocessed(backend: Backend) {
    let (iiko_url, iiko) = start_iiko_mock().await;
    let app = spawn_app_with(backend, |s| {
        s.worker_enabled = true;
        s.iiko_api_url = iiko_url.clone();
    })
    .await;
    let owner = app.sign_up("iiko", &unique_email("owner")).await;
    let p = integration(&app, &owner, "IIKO").await;
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/iiko/webhook_delivery_closed_and_stoplist.json"),
    )
    .expect("fixture");
    // iikoCloud's truth: the order closed at 1 000.00 (the unsigned webhook says 1 250.00).
    iiko.order(iiko_order(ORDER, "Closed", 1000.0));

    // No apiLogin yet: the order is accepted and logged, but fails before any points.
    let (status, r) = post(
        &app,
        &p.url,
        &[("authorization", format!("Bearer {}", p.secret))],
        &fixture,
    )
    .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["accepted"], 1);
    assert_eq!(r["ignored"], 1);
    let order = wait_event(&app, &p, "the order to fail", |e| {
        e["kind"] == "iiko.DeliveryOrderUpdate" && e["status"] == "FAILED"
    })
    .await;
    assert!(
        order["error"]
            .as_str()
            .unwrap_or_default()
            .contains("apiLogin"),
        "{order}"
    );
    assert_eq!(iiko.asked_for(ORDER), 0);

    // Setting the login: iikoCloud checks it; a wrong one, or iikoCloud down, changes nothing.
    let wrong = app
        .gql(
            Some(&owner.access),
            SET_LOGIN,
            json!({ "id": p.id, "l": "nope" }),
        )
        .await;
    assert_eq!(crate::helpers::code(&wrong), Some("VALIDATION"), "{wrong}");
    assert_eq!(wrong["errors"][0]["extensions"]["field"], "apiLogin");
    iiko.down.store(true, Ordering::SeqCst);
    let down = app
        .gql(
            Some(&owner.access),
            SET_LOGIN,
            json!({ "id": p.id, "l": IIKO_LOGIN }),
        )
        .await;
    assert_eq!(crate::helpers::code(&down), Some("UNAVAILABLE"), "{down}");
    iiko.down.store(false, Ordering::SeqCst);
    let blank = app
        .gql(
            Some(&owner.access),
            SET_LOGIN,
            json!({ "id": p.id, "l": "  " }),
        )
        .await;
    assert_eq!(crate::helpers::code(&blank), Some("VALIDATION"), "{blank}");
    let set = app
        .ok(
            Some(&owner.access),
            SET_LOGIN,
            json!({ "id": p.id, "l": IIKO_LOGIN }),
        )
        .await;
    assert_eq!(set["setIikoApiLogin"]["iikoApiLoginSet"], true);

    // Reprocessed with the login but no such guest yet: ignored, after asking iikoCloud.
    let again = "mutation($id: ID!) { reprocessIntegrationEvent(id: $id) { status } }";
    app.ok(Some(&owner.access), again, json!({ "id": order["id"] }))
        .await;
    let ignored = wait_status(&app, &p, order["id"].as_str().expect("id"), "IGNORED").await;
    assert!(
        ignored["error"]
            .as_str()
            .unwrap_or_default()
            .contains("no guest"),
        "{ignored}"
    );
    assert_eq!(iiko.asked_for(ORDER), 1);
    let g = app.create_guest(&owner.access, "+79990001122").await;
    // iikoCloud's tokens ended meanwhile: the client gets a new one once and goes on.
    iiko.tokens.lock().expect("mock").clear();
    let issued = iiko.issued.load(Ordering::SeqCst);
    let again_r = app
        .ok(Some(&owner.access), again, json!({ "id": order["id"] }))
        .await;
    assert_eq!(again_r["reprocessIntegrationEvent"]["status"], "PENDING");
    wait_status(&app, &p, order["id"].as_str().expect("id"), "PROCESSED").await;
    assert_eq!(iiko.issued.load(Ordering::SeqCst), issued + 1);
    // 1 000.00 (iikoCloud's sum, not the webhook's 1 250.00) at 3 % = 30 points.
    assert_eq!(balance(&app, &owner, &g).await, 30);

    // A repeated Closed update of the same order (raw token, later eventTime): no second accrual.
    let repeated = fixture.replace("2025-03-01 12:30:00.123", "2025-03-01 12:40:00.000");
    let (status, _) = post(
        &app,
        &p.url,
        &[("authorization", p.secret.clone())],
        &repeated,
    )
    .await;
    assert_eq!(status, 200);
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    assert_eq!(balance(&app, &owner, &g).await, 30);

    // A webhook that says Closed for an order iikoCloud has as still open: no points.
    let open = "bbbb1111-2222-3333-4444-555566667777";
    iiko.order(iiko_order(open, "Bill", 900.0));
    let forged = fixture.replace(ORDER, open);
    let (status, _) = post(
        &app,
        &p.url,
        &[("authorization", p.secret.clone())],
        &forged,
    )
    .await;
    assert_eq!(status, 200);
    let not_closed = wait_event(&app, &p, "the open order to be ignored", |e| {
        e["externalId"] == format!("{ORG}:{open}") && e["status"] == "IGNORED"
    })
    .await;
    assert!(
        not_closed["error"]
            .as_str()
            .unwrap_or_default()
            .contains("Bill"),
        "{not_closed}"
    );
    // One iikoCloud does not know at all: failed, reprocessable.
    let unknown = "cccc1111-2222-3333-4444-555566667777";
    let (status, _) = post(
        &app,
        &p.url,
        &[("authorization", p.secret.clone())],
        &fixture.replace(ORDER, unknown),
    )
    .await;
    assert_eq!(status, 200);
    let missing = wait_event(&app, &p, "the unknown order to fail", |e| {
        e["externalId"] == format!("{ORG}:{unknown}") && e["status"] == "FAILED"
    })
    .await;
    assert!(
        missing["error"]
            .as_str()
            .unwrap_or_default()
            .contains("does not know"),
        "{missing}"
    );
    // A table order is fetched from order/by_id.
    let table = "dddd1111-2222-3333-4444-555566667777";
    iiko.order(iiko_order(table, "Closed", 500.0));
    let (status, _) = post(
        &app,
        &p.url,
        &[("authorization", p.secret.clone())],
        &fixture
            .replace(ORDER, table)
            .replace("DeliveryOrderUpdate", "TableOrderUpdate"),
    )
    .await;
    assert_eq!(status, 200);
    wait_event(&app, &p, "the table order to be processed", |e| {
        e["externalId"] == format!("{ORG}:{table}") && e["status"] == "PROCESSED"
    })
    .await;
    assert!(
        iiko.asked
            .lock()
            .expect("mock")
            .iter()
            .any(|(path, o)| o == table && path.ends_with("/order/by_id"))
    );
    // 30 + 500.00 at 3 % = 45.
    assert_eq!(balance(&app, &owner, &g).await, 45);
    // iikoCloud down: the order stays pending (its job retries), nothing fails.
    iiko.down.store(true, Ordering::SeqCst);
    iiko.tokens.lock().expect("mock").clear();
    let later = "eeee1111-2222-3333-4444-555566667777";
    iiko.order(iiko_order(later, "Closed", 100.0));
    let (status, _) = post(
        &app,
        &p.url,
        &[("authorization", p.secret.clone())],
        &fixture.replace(ORDER, later),
    )
    .await;
    assert_eq!(status, 200);
    tokio::time::sleep(StdDuration::from_millis(800)).await;
    let pending = events(&app, &p)
        .await
        .into_iter()
        .find(|e| e["externalId"] == format!("{ORG}:{later}"))
        .expect("logged");
    assert_eq!(pending["status"], "PENDING", "{pending}");
    assert_eq!(balance(&app, &owner, &g).await, 45);
    iiko.down.store(false, Ordering::SeqCst);

    // order: null is tolerated.
    let error = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/iiko/webhook_delivery_error.json"),
    )
    .expect("fixture");
    let (status, r) = post(&app, &p.url, &[("authorization", p.secret.clone())], &error).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["ignored"], 1);
    // A wrong token: 401; a malformed body: 400.
    let (status, _) = post(
        &app,
        &p.url,
        &[("authorization", "Bearer nope".into())],
        &fixture,
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = post(
        &app,
        &p.url,
        &[("authorization", p.secret.clone())],
        "{\"not\":\"an array\"}",
    )
    .await;
    assert_eq!(status, 400);
    // The canonical endpoint does not take an iiko integration.
    let wrong = p.url.replace("/iiko/", "/pos/");
    let (status, _) = post(&app, &wrong, &[], "{}").await;
    assert_eq!(status, 404);
    // Only iiko integrations have an apiLogin.
    let pos = integration(&app, &owner, "POS").await;
    let r = app
        .gql(
            Some(&owner.access),
            SET_LOGIN,
            json!({ "id": pos.id, "l": IIKO_LOGIN }),
        )
        .await;
    assert_eq!(crate::helpers::code(&r), Some("VALIDATION"), "{r}");
}
both_backends!(iiko_closed_orders_accrue_once_and_unknown_guests_can_be_reprocessed);

async fn rkeeper_relays_convert_kopecks_exactly(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.worker_enabled = true).await;
    let owner = app.sign_up("r_keeper", &unique_email("owner")).await;
    let p = integration(&app, &owner, "RKEEPER").await;
    let g = app.create_guest(&owner.access, "+79990007201").await;
    let card = app
        .ok(
            Some(&owner.access),
            "query($id: ID!) { guest(id: $id) { cardCode } }",
            json!({ "id": g }),
        )
        .await["guest"]["cardCode"]
        .as_str()
        .expect("card")
        .to_owned();
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/r_keeper/farcards_transactions_relay.json"),
    )
    .expect("fixture");
    // The fixture's card is nobody here: logged as ignored.
    let (status, r) = signed(&app, &p, &fixture).await;
    assert_eq!(status, 202, "{r}");
    let first = r["transactions"][0]["eventId"]
        .as_str()
        .expect("event")
        .to_owned();
    let ignored = wait_status(&app, &p, &first, "IGNORED").await;
    assert!(
        ignored["error"]
            .as_str()
            .unwrap_or_default()
            .contains("card"),
        "{ignored}"
    );
    // The relay naming the guest's card: 150.00 (−15000 kopecks) at 3 % = 4 points.
    let ours = fixture
        .replace("4000123412341234", &format!("\"{card}\""))
        .replace("88123", "88124");
    let (status, r) = signed(&app, &p, &ours).await;
    assert_eq!(status, 202, "{r}");
    let ev = r["transactions"][0]["eventId"]
        .as_str()
        .expect("event")
        .to_owned();
    wait_status(&app, &p, &ev, "PROCESSED").await;
    assert_eq!(balance(&app, &owner, &g).await, 4);
    let spent = app
        .ok(
            Some(&owner.access),
            "query($id: ID!) { guest(id: $id) { lifetimeSpendMinor } }",
            json!({ "id": g }),
        )
        .await;
    assert_eq!(spent["guest"]["lifetimeSpendMinor"], 15_000);
    let (status, _) = post(&app, &p.url, &[], &ours).await;
    assert_eq!(status, 401);
}
both_backends!(rkeeper_relays_convert_kopecks_exactly);

async fn a_failed_event_is_told_live_and_to_the_integration_managers(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.worker_enabled = true).await;
    let owner = app.sign_up("Сбой", &unique_email("owner")).await;
    let cashier = app
        .add_staff(&owner, &unique_email("cashier"), "CASHIER")
        .await;
    let p = integration(&app, &owner, "POS").await;
    app.create_guest(&owner.access, "+79990001122").await;

    let mut ws = crate::realtime_and_binary::subscribe(
        &app.base,
        &owner.access,
        "subscription { integrationEventFailed { integrationId eventId error } }",
        json!({}),
    )
    .await;

    // Redeeming points the guest does not have: the event fails.
    let body = json!({ "type": "check.closed", "externalId": "fail-1", "guest": { "phone": "+79990001122" },
        "totalMinor": 10_000, "redeemPoints": 500 })
    .to_string();
    let (status, _) = signed(&app, &p, &body).await;
    assert_eq!(status, 202);
    let live = crate::realtime_and_binary::next_json(&mut ws).await;
    let failed = &live["payload"]["data"]["integrationEventFailed"];
    assert_eq!(failed["integrationId"], p.id.as_str(), "{live}");
    assert!(
        failed["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{live}"
    );
    let event = wait_event(&app, &p, "fail-1 to be FAILED", |e| {
        e["externalId"] == "fail-1" && e["status"] == "FAILED"
    })
    .await;
    assert_eq!(failed["eventId"], event["id"], "{live}");

    // The owner's centre has it; the cashier (no integrations:manage) does not.
    let mut centre = Value::Null;
    for _ in 0..100 {
        centre = app
            .ok(
                Some(&owner.access),
                "{ notifications(last: 5) { nodes { kind title body data } } }",
                json!({}),
            )
            .await;
        if centre["notifications"]["nodes"][0]["kind"] == "INTEGRATION_EVENT_FAILED" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let n = &centre["notifications"]["nodes"][0];
    assert_eq!(n["kind"], "INTEGRATION_EVENT_FAILED", "{centre}");
    assert_eq!(n["title"], "Ошибка интеграции «Касса 1»", "{centre}");
    assert_eq!(n["data"]["eventId"], event["id"]);
    let theirs = app
        .ok(
            Some(&cashier.access),
            "{ unreadNotificationCount }",
            json!({}),
        )
        .await;
    assert_eq!(theirs["unreadNotificationCount"], 0);

    // The job runs again, as after a crash between marking the event failed
    // and telling: live views are told again, and no notification is added.
    let tenant: domain::TenantId = owner.tenant_id.parse().expect("tenant");
    app.jobs
        .enqueue(
            domain::jobs::NewJob::new(
                domain::integrations::PROCESS_JOB,
                json!({ "event": event["id"] }),
            )
            .tenant(tenant),
        )
        .await
        .expect("enqueue");
    let again = crate::realtime_and_binary::next_json(&mut ws).await;
    assert_eq!(
        again["payload"]["data"]["integrationEventFailed"]["eventId"], event["id"],
        "{again}"
    );
    let total = app
        .ok(
            Some(&owner.access),
            "{ notifications { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(total["notifications"]["totalCount"], 1, "{total}");
}
both_backends!(a_failed_event_is_told_live_and_to_the_integration_managers);
