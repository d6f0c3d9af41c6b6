//! Bad requests get clear errors with stable codes, never a 500 or a panic,
//! and change nothing.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, code, spawn_app, spawn_app_with, unique_email};

async fn raw(app: &TestApp, body: impl Into<reqwest::Body>, content_type: &str) -> (u16, Value) {
    let resp = app
        .http
        .post(format!("{}/graphql", app.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn malformed_requests_are_answered_with_clear_errors(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.max_body_bytes = 64 * 1024).await;
    let owner = app.sign_up("Ошибки", &unique_email("owner")).await;

    let (status, body) = raw(&app, "{\"query\": \"{ me ", "application/json").await;
    assert_eq!(status, 400);
    assert_eq!(code(&body), Some("VALIDATION"));

    let (status, body) = raw(
        &app,
        "[{\"query\":\"{ me { role } }\"},{\"query\":\"{ me { role } }\"}]",
        "application/json",
    )
    .await;
    assert_eq!(status, 400, "no batching");
    assert_eq!(code(&body), Some("VALIDATION"));

    let (status, _) = raw(&app, "query=%7Bme%7D", "application/x-www-form-urlencoded").await;
    assert_eq!(status, 415);

    let big = format!(
        "{{\"query\":\"{{ me {{ role }} }}\",\"variables\":{{\"pad\":\"{}\"}}}}",
        "x".repeat(70 * 1024)
    );
    let (status, body) = raw(&app, big, "application/json").await;
    assert_eq!(status, 413);
    assert_eq!(code(&body), Some("VALIDATION"));

    let syntax = app
        .gql(Some(&owner.access), "{ me { role ", json!({}))
        .await;
    assert_eq!(code(&syntax), Some("VALIDATION"));
    let unknown_field = app
        .gql(Some(&owner.access), "{ me { salary } }", json!({}))
        .await;
    assert_eq!(code(&unknown_field), Some("VALIDATION"));
    let wrong_type = app
        .gql(
            Some(&owner.access),
            "query($n: Int) { locations(first: $n) { totalCount } }",
            json!({ "n": "many" }),
        )
        .await;
    assert_eq!(code(&wrong_type), Some("VALIDATION"));
    let bad_id = app
        .gql(
            Some(&owner.access),
            "{ location(id: \"nope\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&bad_id), Some("VALIDATION"));
    let bad_cursor = app
        .gql(
            Some(&owner.access),
            "{ locations(after: \"???\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&bad_cursor), Some("VALIDATION"));
    let huge_page = app
        .gql(
            Some(&owner.access),
            "{ locations(first: 100000) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&huge_page), Some("VALIDATION"));

    let two_ops = "query A { me { role } } query B { tenant { name } }";
    let resp = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&owner.access)
        .json(&json!({ "query": two_ops, "operationName": "C" }))
        .send()
        .await
        .expect("sent");
    assert!(resp.status().as_u16() < 500);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(code(&body), Some("VALIDATION"), "unknown operation: {body}");

    let deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }";
    let too_deep = app.gql(None, deep, json!({})).await;
    assert_eq!(code(&too_deep), Some("VALIDATION"), "{too_deep}");

    let wide: String = (0..400)
        .map(|i| format!("a{i}: me {{ user {{ id email }} }} "))
        .collect();
    let too_complex = app
        .gql(Some(&owner.access), &format!("{{ {wide} }}"), json!({}))
        .await;
    assert_eq!(code(&too_complex), Some("VALIDATION"), "{too_complex}");

    // Nothing above changed anything: one location, one staff member, only the sign-up
    // and its session start audited.
    let state = app
        .ok(
            Some(&owner.access),
            "{ locations { totalCount } staff { totalCount } auditLog { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(state["locations"]["totalCount"], 1);
    assert_eq!(state["staff"]["totalCount"], 1);
    assert_eq!(state["auditLog"]["totalCount"], 2);
}
both_backends!(malformed_requests_are_answered_with_clear_errors);

#[tokio::test]
async fn mutations_are_never_executed_over_get() {
    let app = spawn_app(Backend::Sqlite).await;
    let email = unique_email("get");
    let q = format!(
        "mutation {{ signUp(input: {{ businessName: \"G\", locationName: \"L\", email: \"{email}\", password: \"correct horse battery\", displayName: \"D\" }}) {{ accessToken }} }}"
    );
    let resp = app
        .http
        .get(format!("{}/graphql", app.base))
        .query(&[("query", q.as_str())])
        .send()
        .await
        .expect("sent");
    assert!(resp.status().as_u16() < 500);
    assert_eq!(
        code(&app.login(&email, "correct horse battery").await),
        Some("UNAUTHENTICATED"),
        "no account was created"
    );
}

#[tokio::test]
async fn production_mode_hides_graphiql_and_introspection() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.env = api::config::Environment::Production
    })
    .await;
    let resp = app
        .http
        .get(format!("{}/graphql", app.base))
        .send()
        .await
        .expect("sent");
    let status = resp.status().as_u16();
    assert_eq!(status, 405, "{:?}", resp.text().await);
    let intro = app
        .gql(None, "{ __schema { types { name } } }", json!({}))
        .await;
    assert!(
        intro["data"]["__schema"].is_null(),
        "introspection is off in production: {intro}"
    );
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app(Backend::Sqlite).await;
    let h: Value = app
        .http
        .get(format!("{}/health", app.base))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(h["status"], "ok");
    let r = app
        .http
        .get(format!("{}/ready", app.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(r.status().as_u16(), 200);
    let r: Value = r.json().await.expect("json");
    assert_eq!(r["database"], "ok");
}
