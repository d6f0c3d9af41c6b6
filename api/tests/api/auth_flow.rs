//! Sign-up, login, refresh rotation with reuse detection, logout, throttling.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, PASSWORD, code, spawn_app, unique_email};

const ME: &str = "{ me { role user { email } tenant { name } permissions } }";
const REFRESH: &str =
    "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }";

async fn the_whole_session_lifecycle_works_and_reuse_revokes_the_family(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = unique_email("owner");
    let s = app.sign_up("Пельменная №1", &email).await;

    let me = app.ok(Some(&s.access), ME, json!({})).await;
    assert_eq!(me["me"]["role"], "OWNER");
    assert_eq!(me["me"]["tenant"]["name"], "Пельменная №1");
    assert_eq!(me["me"]["user"]["email"], email.as_str());

    let login = app.login(&email, PASSWORD).await;
    assert!(login.get("errors").is_none(), "{login}");
    let r1 = login["data"]["login"]["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();

    let refreshed = app.ok(None, REFRESH, json!({ "t": r1 })).await;
    let r2 = refreshed["refreshSession"]["refreshToken"]
        .as_str()
        .expect("r2")
        .to_owned();
    let a2 = refreshed["refreshSession"]["accessToken"]
        .as_str()
        .expect("a2")
        .to_owned();
    assert_ne!(r1, r2, "refresh tokens rotate");
    app.ok(Some(&a2), ME, json!({})).await;

    // Presenting the used token again is reuse: the whole family ends, r2 included.
    let reused = app.gql(None, REFRESH, json!({ "t": r1 })).await;
    assert_eq!(code(&reused), Some("UNAUTHENTICATED"));
    let after = app.gql(None, REFRESH, json!({ "t": r2 })).await;
    assert_eq!(
        code(&after),
        Some("UNAUTHENTICATED"),
        "the family is revoked: {after}"
    );

    // The sign-up session is a different family and still works; logout ends it.
    let other = app.ok(None, REFRESH, json!({ "t": s.refresh })).await;
    let r3 = other["refreshSession"]["refreshToken"]
        .as_str()
        .expect("r3")
        .to_owned();
    let out = app
        .ok(
            None,
            "mutation($t: String!) { logout(refreshToken: $t) }",
            json!({ "t": r3 }),
        )
        .await;
    assert_eq!(out["logout"], true);
    assert_eq!(
        code(&app.gql(None, REFRESH, json!({ "t": r3 })).await),
        Some("UNAUTHENTICATED")
    );
    // Session starts, the reuse and the logout are in the audit log, with where they came from.
    let audit = app
        .ok(
            Some(&a2),
            "{ auditLog { nodes { action ip actorEmail } } }",
            json!({}),
        )
        .await;
    let actions: Vec<&str> = audit["auditLog"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["action"].as_str())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "auth.session_start")
            .count(),
        2,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "auth.refresh_reuse")
            .count(),
        1,
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "auth.logout").count(),
        1,
        "{actions:?}"
    );
    assert_eq!(audit["auditLog"]["nodes"][0]["ip"], "127.0.0.1");
    // Logging out twice is harmless.
    app.ok(
        None,
        "mutation($t: String!) { logout(refreshToken: $t) }",
        json!({ "t": r3 }),
    )
    .await;
}
both_backends!(the_whole_session_lifecycle_works_and_reuse_revokes_the_family);

async fn bad_credentials_and_bad_sign_ups_get_clear_errors_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = unique_email("owner");
    app.sign_up("Бургерная", &email).await;

    let wrong = app.login(&email, "not the password").await;
    let unknown = app.login(&unique_email("nobody"), "not the password").await;
    assert_eq!(code(&wrong), Some("UNAUTHENTICATED"));
    assert_eq!(code(&unknown), Some("UNAUTHENTICATED"));
    assert_eq!(
        wrong["errors"][0]["message"], unknown["errors"][0]["message"],
        "never tells whether the e-mail exists"
    );

    let malformed = app.login("not-an-email", "whatever").await;
    assert_eq!(code(&malformed), Some("VALIDATION"));
    assert_eq!(malformed["errors"][0]["extensions"]["field"], "email");

    let sign_up = "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }";
    let new_email = unique_email("weak");
    let weak = app
        .gql(None, sign_up, json!({ "i": { "businessName": "X", "locationName": "Y", "email": new_email, "password": "123", "displayName": "Z" } }))
        .await;
    assert_eq!(code(&weak), Some("VALIDATION"));
    assert_eq!(weak["errors"][0]["extensions"]["field"], "password");
    let bad_email = app
        .gql(None, sign_up, json!({ "i": { "businessName": "X", "locationName": "Y", "email": "x@", "password": PASSWORD, "displayName": "Z" } }))
        .await;
    assert_eq!(code(&bad_email), Some("VALIDATION"));
    let empty_name = app
        .gql(None, sign_up, json!({ "i": { "businessName": "  ", "locationName": "Y", "email": new_email, "password": PASSWORD, "displayName": "Z" } }))
        .await;
    assert_eq!(code(&empty_name), Some("VALIDATION"));
    assert_eq!(
        empty_name["errors"][0]["extensions"]["field"],
        "businessName"
    );
    // Nothing was created: the e-mail of the refused sign-ups cannot log in.
    assert_eq!(
        code(&app.login(&new_email, PASSWORD).await),
        Some("UNAUTHENTICATED")
    );

    let taken = app
        .gql(None, sign_up, json!({ "i": { "businessName": "X", "locationName": "Y", "email": email, "password": PASSWORD, "displayName": "Z" } }))
        .await;
    assert_eq!(code(&taken), Some("CONFLICT"));

    let garbage = app.gql(None, REFRESH, json!({ "t": "rt_garbage" })).await;
    assert_eq!(code(&garbage), Some("UNAUTHENTICATED"));
    let bad_token = app.gql(Some("not.a.jwt"), ME, json!({})).await;
    assert_eq!(code(&bad_token), Some("UNAUTHENTICATED"));
}
both_backends!(bad_credentials_and_bad_sign_ups_get_clear_errors_and_change_nothing);

async fn repeated_failures_slow_down_then_lock_for_known_and_unknown_emails_alike(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let email = unique_email("owner");
    app.sign_up("Шаурма", &email).await;
    for target in [email.clone(), unique_email("ghost")] {
        for _ in 0..3 {
            assert_eq!(
                code(&app.login(&target, "wrong password!").await),
                Some("UNAUTHENTICATED")
            );
        }
        // The fourth attempt comes too fast, even with the right password.
        let throttled = app.login(&target, PASSWORD).await;
        assert_eq!(code(&throttled), Some("RATE_LIMITED"), "{throttled}");
        assert!(
            throttled["errors"][0]["extensions"]["retryAfter"]
                .as_u64()
                .is_some()
        );
        // Keep failing (waiting out each delay) until the account locks.
        for _ in 3..10 {
            app.clock.advance(chrono::Duration::seconds(120));
            assert_eq!(
                code(&app.login(&target, "wrong password!").await),
                Some("UNAUTHENTICATED")
            );
        }
        app.clock.advance(chrono::Duration::seconds(120));
        assert_eq!(
            code(&app.login(&target, PASSWORD).await),
            Some("RATE_LIMITED"),
            "locked"
        );
        app.clock.advance(chrono::Duration::minutes(16));
    }
    // After the lock, the right password works and resets the counter.
    let ok = app.login(&email, PASSWORD).await;
    assert!(ok.get("errors").is_none(), "{ok}");
}
both_backends!(repeated_failures_slow_down_then_lock_for_known_and_unknown_emails_alike);

async fn an_expired_access_token_is_refused_and_refresh_restores_access(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = app.sign_up("Чайхана", &unique_email("owner")).await;
    app.clock.advance(chrono::Duration::minutes(16));
    let expired = app.gql(Some(&s.access), ME, json!({})).await;
    assert_eq!(code(&expired), Some("UNAUTHENTICATED"));
    let r = app.ok(None, REFRESH, json!({ "t": s.refresh })).await;
    app.ok(
        Some(r["refreshSession"]["accessToken"].as_str().expect("access")),
        ME,
        json!({}),
    )
    .await;
}
both_backends!(an_expired_access_token_is_refused_and_refresh_restores_access);
