//! One person on several businesses' staff; profile and password changes.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, PASSWORD, code, session_from, spawn_app, unique_email};

const ACCEPT: &str = "mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken refreshToken me { role user { id } tenant { id name } } } }";
const MY_TENANTS: &str = "{ myTenants { current role tenant { id name } } }";

async fn a_person_on_two_staffs_lists_switches_and_picks_at_login(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.sign_up("Альфа", &unique_email("a")).await;
    let b = app.sign_up("Бета", &unique_email("b")).await;
    // A invites B's owner, who joins with their existing password.
    app.ok(
        Some(&a.access),
        "mutation($e: String!) { inviteStaff(input: { email: $e, role: MANAGER }) { id } }",
        json!({ "e": b.email }),
    )
    .await;
    let token = app.mailer.token_for(&b.email);
    let wrong = app
        .gql(
            None,
            ACCEPT,
            json!({ "i": { "token": token, "password": "not my password", "displayName": "x" } }),
        )
        .await;
    assert_eq!(code(&wrong), Some("UNAUTHENTICATED"));
    let joined = app
        .ok(
            None,
            ACCEPT,
            json!({ "i": { "token": token, "password": PASSWORD, "displayName": "ignored" } }),
        )
        .await;
    assert_eq!(joined["acceptInvitation"]["me"]["tenant"]["name"], "Альфа");
    assert_eq!(
        joined["acceptInvitation"]["me"]["user"]["id"],
        b.user_id.as_str(),
        "the same account"
    );

    let list = app.ok(Some(&b.access), MY_TENANTS, json!({})).await;
    let tenants = list["myTenants"].as_array().expect("list");
    assert_eq!(tenants.len(), 2);
    let current: Vec<_> = tenants.iter().filter(|t| t["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["tenant"]["name"], "Бета");

    let switched = app
        .ok(Some(&b.access), "mutation($t: ID!) { switchTenant(tenantId: $t) { accessToken me { role tenant { name } } } }", json!({ "t": a.tenant_id }))
        .await;
    assert_eq!(switched["switchTenant"]["me"]["tenant"]["name"], "Альфа");
    assert_eq!(switched["switchTenant"]["me"]["role"], "MANAGER");
    let in_a = switched["switchTenant"]["accessToken"]
        .as_str()
        .expect("token");
    assert_eq!(
        code(
            &app.gql(Some(in_a), "{ staff { totalCount } }", json!({}))
                .await
        ),
        Some("FORBIDDEN"),
        "a manager of A"
    );

    let other = app.sign_up("Гамма", &unique_email("c")).await;
    let refused = app
        .gql(
            Some(&b.access),
            "mutation($t: ID!) { switchTenant(tenantId: $t) { accessToken } }",
            json!({ "t": other.tenant_id }),
        )
        .await;
    assert_eq!(code(&refused), Some("NOT_FOUND"));

    let login = "mutation($e: String!, $p: String!, $t: ID) { login(input: { email: $e, password: $p, tenantId: $t }) { me { tenant { name } role } } }";
    let to_a = app
        .ok(
            None,
            login,
            json!({ "e": b.email, "p": PASSWORD, "t": a.tenant_id }),
        )
        .await;
    assert_eq!(to_a["login"]["me"]["tenant"]["name"], "Альфа");
    let to_b = app
        .ok(
            None,
            login,
            json!({ "e": b.email, "p": PASSWORD, "t": b.tenant_id }),
        )
        .await;
    assert_eq!(to_b["login"]["me"]["role"], "OWNER");
    let elsewhere = app
        .gql(
            None,
            login,
            json!({ "e": b.email, "p": PASSWORD, "t": other.tenant_id }),
        )
        .await;
    assert_eq!(code(&elsewhere), Some("FORBIDDEN"));
}
both_backends!(a_person_on_two_staffs_lists_switches_and_picks_at_login);

async fn profile_and_password_changes_apply_and_end_other_sessions(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Профиль", &unique_email("owner")).await;
    let profile = "mutation($n: String, $l: Locale) { updateMyProfile(input: { displayName: $n, locale: $l }) { displayName locale } }";
    let p = app
        .ok(
            Some(&owner.access),
            profile,
            json!({ "n": "  Анна  ", "l": "EN" }),
        )
        .await;
    assert_eq!(p["updateMyProfile"]["displayName"], "Анна");
    assert_eq!(p["updateMyProfile"]["locale"], "EN");
    let keep = app
        .ok(Some(&owner.access), profile, json!({ "l": "RU" }))
        .await;
    assert_eq!(
        keep["updateMyProfile"]["displayName"], "Анна",
        "omitted fields stay"
    );
    let empty = app
        .gql(Some(&owner.access), profile, json!({ "n": "   " }))
        .await;
    assert_eq!(code(&empty), Some("VALIDATION"));

    let other_session = app.login(&owner.email, PASSWORD).await;
    let other = session_from(&other_session["data"]["login"], &owner.email);
    let change = "mutation($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { accessToken refreshToken } }";
    let wrong = app
        .gql(
            Some(&owner.access),
            change,
            json!({ "c": "wrong wrong wrong", "n": "a brand new passphrase" }),
        )
        .await;
    assert_eq!(code(&wrong), Some("VALIDATION"));
    assert_eq!(wrong["errors"][0]["extensions"]["field"], "currentPassword");
    let weak = app
        .gql(
            Some(&owner.access),
            change,
            json!({ "c": PASSWORD, "n": "short" }),
        )
        .await;
    assert_eq!(code(&weak), Some("VALIDATION"));
    assert_eq!(weak["errors"][0]["extensions"]["field"], "newPassword");

    // The wrong attempt above counts toward the throttle, like a failed login.
    app.clock.advance(chrono::Duration::seconds(5));
    let changed = app
        .ok(
            Some(&owner.access),
            change,
            json!({ "c": PASSWORD, "n": "a brand new passphrase" }),
        )
        .await;
    let fresh = changed["changePassword"]["refreshToken"]
        .as_str()
        .expect("refresh");
    let refresh = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }";
    assert_eq!(
        code(&app.gql(None, refresh, json!({ "t": other.refresh })).await),
        Some("UNAUTHENTICATED"),
        "other sessions end"
    );
    assert_eq!(
        code(&app.gql(None, refresh, json!({ "t": owner.refresh })).await),
        Some("UNAUTHENTICATED")
    );
    app.ok(None, refresh, json!({ "t": fresh })).await;
    assert_eq!(
        code(&app.login(&owner.email, PASSWORD).await),
        Some("UNAUTHENTICATED")
    );
    let new_login = app.login(&owner.email, "a brand new passphrase").await;
    assert!(new_login.get("errors").is_none(), "{new_login}");

    let audit = app
        .ok(
            Some(&owner.access),
            "{ auditLog(action: \"user.change_password\") { totalCount nodes { details } } }",
            json!({}),
        )
        .await;
    assert_eq!(audit["auditLog"]["totalCount"], 1);
    assert!(
        !audit.to_string().contains("brand new"),
        "no password in the audit log"
    );
}
both_backends!(profile_and_password_changes_apply_and_end_other_sessions);
