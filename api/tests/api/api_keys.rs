//! Partner API keys over HTTP: created (shown once), listed, used with
//! `Authorization: Bearer <key>` until revoked, confined to their scopes and
//! their business, never wider than their creator, and named in the audit log.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Session, TestApp, code, spawn_app, unique_email};

/// Permissions no API key can hold.
pub const NEVER_KEY_SCOPES: &[&str] = &["roles:manage", "staff:manage"];

const CREATE: &str = "mutation($n: String!, $s: [String!]!) { createApiKey(name: $n, scopes: $s) { key apiKey { id name prefix scopes createdBy createdByUserId createdByApiKeyId createdAt lastUsedAt revokedAt active } } }";
const LIST: &str = "{ apiKeys { id name prefix scopes createdBy lastUsedAt revokedAt active } }";
const REVOKE: &str = "mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt active } }";

/// A key made by `by` (an access token or a key); returns (id, key).
pub async fn create_key(app: &TestApp, by: &str, name: &str, scopes: &[&str]) -> (String, String) {
    let d = app
        .ok(Some(by), CREATE, json!({ "n": name, "s": scopes }))
        .await;
    let id = d["createApiKey"]["apiKey"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let key = d["createApiKey"]["key"].as_str().expect("key").to_owned();
    (id, key)
}

/// Every permission of the catalogue (what an owner holds).
pub async fn catalogue(app: &TestApp, owner: &Session) -> Vec<String> {
    let d = app
        .ok(
            Some(&owner.access),
            "{ rolePermissions { role permissions } }",
            json!({}),
        )
        .await;
    d["rolePermissions"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["role"] == "OWNER")
        .and_then(|r| r["permissions"].as_array())
        .expect("owner permissions")
        .iter()
        .map(|p| p.as_str().expect("key").to_owned())
        .collect()
}

/// A key of `owner`'s business holding every permission a key may hold; (id, key).
pub async fn key_with_every_scope(app: &TestApp, owner: &Session) -> (String, String) {
    let all = catalogue(app, owner).await;
    let scopes: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|p| !NEVER_KEY_SCOPES.contains(p))
        .collect();
    create_key(app, &owner.access, "everything a key may do", &scopes).await
}

async fn listed(app: &TestApp, token: &str) -> Vec<Value> {
    app.ok(Some(token), LIST, json!({})).await["apiKeys"]
        .as_array()
        .expect("keys")
        .clone()
}

async fn audit(app: &TestApp, owner: &Session, action: &str) -> Vec<Value> {
    app.ok(
        Some(&owner.access),
        "query($a: String) { auditLog(action: $a) { nodes { actorId actorEmail apiKeyId targetId details } } }",
        json!({ "a": action }),
    )
    .await["auditLog"]["nodes"]
        .as_array()
        .expect("entries")
        .clone()
}

const GUESTS: &str = "{ guests { totalCount } }";

async fn an_api_key_is_shown_once_listed_and_works_until_revoked(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Ключи", &unique_email("owner")).await;
    let d = app
        .ok(
            Some(&owner.access),
            CREATE,
            json!({ "n": " POS bridge ", "s": ["checks:process", "guests:read"] }),
        )
        .await;
    let key = d["createApiKey"]["key"].as_str().expect("key").to_owned();
    let k = &d["createApiKey"]["apiKey"];
    let id = k["id"].as_str().expect("id").to_owned();
    let prefix = k["prefix"].as_str().expect("prefix").to_owned();
    assert!(key.starts_with("mlk_live_"), "{key}");
    assert_eq!(prefix.len(), "mlk_live_".len() + 8);
    assert!(key.starts_with(&prefix));
    assert_eq!(k["name"], "POS bridge");
    assert_eq!(k["scopes"], json!(["guests:read", "checks:process"]));
    assert_eq!(k["createdBy"], owner.email.as_str());
    assert_eq!(k["createdByUserId"], owner.user_id.as_str());
    assert!(k["createdByApiKeyId"].is_null());
    assert!(k["lastUsedAt"].is_null() && k["revokedAt"].is_null());
    assert_eq!(k["active"], true);

    // Listed without the key itself.
    let list = listed(&app, &owner.access).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["prefix"], prefix.as_str());
    assert!(!Value::Array(list).to_string().contains(&key));

    // It works, and its use is recorded at most once a minute.
    assert_eq!(
        app.ok(Some(&key), GUESTS, json!({})).await["guests"]["totalCount"],
        0
    );
    let first = listed(&app, &owner.access).await[0]["lastUsedAt"].clone();
    assert!(first.is_string(), "recorded: {first}");
    app.clock.advance(chrono::Duration::seconds(30));
    app.ok(Some(&key), GUESTS, json!({})).await;
    assert_eq!(listed(&app, &owner.access).await[0]["lastUsedAt"], first);
    app.clock.advance(chrono::Duration::seconds(31));
    app.ok(Some(&key), GUESTS, json!({})).await;
    let later = listed(&app, &owner.access).await[0]["lastUsedAt"].clone();
    assert!(later.is_string() && later != first, "{first} → {later}");

    // Malformed or altered keys are refused.
    let mut altered = key.clone();
    let c = if &key[9..10] == "0" { "1" } else { "0" };
    altered.replace_range(9..10, c);
    for bad in ["mlk_live_nonsense", "mlk_", altered.as_str()] {
        let r = app.gql(Some(bad), GUESTS, json!({})).await;
        assert_eq!(code(&r), Some("UNAUTHENTICATED"), "{bad}: {r}");
    }

    // Revoked: the very next request is refused.
    let r = app
        .ok(Some(&owner.access), REVOKE, json!({ "id": id }))
        .await;
    assert!(r["revokeApiKey"]["revokedAt"].is_string());
    assert_eq!(r["revokeApiKey"]["active"], false);
    let refused = app.gql(Some(&key), GUESTS, json!({})).await;
    assert_eq!(code(&refused), Some("UNAUTHENTICATED"), "{refused}");
    assert!(refused["data"].is_null() || refused["data"]["guests"].is_null());
    let list = listed(&app, &owner.access).await;
    assert_eq!(list[0]["active"], false);
    // Revoking again changes nothing.
    let again = app
        .ok(Some(&owner.access), REVOKE, json!({ "id": id }))
        .await;
    assert_eq!(
        again["revokeApiKey"]["revokedAt"],
        r["revokeApiKey"]["revokedAt"]
    );

    // Both changes are audited once, by the owner, without the key.
    for action in ["api_key.create", "api_key.revoke"] {
        let entries = audit(&app, &owner, action).await;
        assert_eq!(entries.len(), 1, "{action}");
        assert_eq!(entries[0]["actorEmail"], owner.email.as_str());
        assert_eq!(entries[0]["targetId"], id.as_str());
        let details = entries[0]["details"].as_str().expect("details");
        assert!(details.contains(&prefix) && !details.contains(&key));
    }
}
both_backends!(an_api_key_is_shown_once_listed_and_works_until_revoked);

async fn a_keys_scopes_are_enforced_and_its_actions_are_attributed_to_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Скоупы", &unique_email("owner")).await;
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
    let guest = app
        .ok(Some(&owner.access), "mutation { createGuest(input: { phone: \"+7 900 555-22-33\", name: \"Анна\" }) { id } }", json!({}))
        .await["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned();
    let process = "mutation($l: ID!, $g: ID!, $x: String!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 100000, externalId: $x }) { checkId earned } }";
    let create_guest = "mutation { createGuest(input: { phone: \"+7 900 777-22-33\" }) { id } }";

    // A guests:read key finds guests and does nothing else.
    let (_, reader) = create_key(&app, &owner.access, "Reader", &["guests:read"]).await;
    let found = app
        .ok(
            Some(&reader),
            "query($q: String) { guests(query: $q) { totalCount nodes { id } } }",
            json!({ "q": "2233" }),
        )
        .await;
    assert_eq!(found["guests"]["nodes"][0]["id"], guest.as_str());
    for (q, vars) in [
        (process, json!({ "l": location, "g": guest, "x": "r-1" })),
        (create_guest, json!({})),
    ] {
        let r = app.gql(Some(&reader), q, vars).await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    }

    // A cashier-like key processes checks; the receipt and the audit name the key.
    let (cashier_id, cashier) = create_key(
        &app,
        &owner.access,
        "POS",
        &["checks:process", "guests:create"],
    )
    .await;
    let receipt = app
        .ok(
            Some(&cashier),
            process,
            json!({ "l": location, "g": guest, "x": "pos-1" }),
        )
        .await;
    let check = receipt["processCheck"]["checkId"]
        .as_str()
        .expect("check")
        .to_owned();
    app.ok(Some(&cashier), create_guest, json!({})).await;
    let prefix = listed(&app, &owner.access)
        .await
        .into_iter()
        .find(|k| k["id"] == cashier_id.as_str())
        .and_then(|k| k["prefix"].as_str().map(str::to_owned))
        .expect("listed");
    for action in ["check.process", "guest.create"] {
        let entries = audit(&app, &owner, action).await;
        let last = entries.last().expect("audited");
        assert_eq!(last["apiKeyId"], cashier_id.as_str(), "{action}");
        assert!(last["actorId"].is_null(), "{action}: not a person");
        let label = last["actorEmail"].as_str().expect("label");
        assert!(
            label.contains("\"POS\"") && label.contains(&prefix),
            "{action}: {label}"
        );
    }
    let entries = audit(&app, &owner, "check.process").await;
    assert_eq!(entries.last().expect("entry")["targetId"], check.as_str());
    // So do the guest's ledger entries: the key, not a person.
    let ledger = app
        .ok(
            Some(&owner.access),
            "query($id: ID!) { guest(id: $id) { ledger(last: 5) { nodes { kind checkId actorId apiKeyId } } } }",
            json!({ "id": guest }),
        )
        .await;
    let nodes = ledger["guest"]["ledger"]["nodes"]
        .as_array()
        .expect("ledger");
    let accrual = nodes
        .iter()
        .find(|e| e["checkId"] == check.as_str() && e["kind"] == "ACCRUAL")
        .expect("the check's accrual");
    assert_eq!(accrual["apiKeyId"], cashier_id.as_str(), "{ledger}");
    assert!(accrual["actorId"].is_null(), "{ledger}");
    // A person's entry names the person and no key.
    app.ok(
        Some(&owner.access),
        "mutation($g: ID!) { adjustPoints(guestId: $g, points: 5, reason: \"goodwill\") { balance } }",
        json!({ "g": guest }),
    )
    .await;
    let ledger = app
        .ok(
            Some(&owner.access),
            "query($id: ID!) { guest(id: $id) { ledger(last: 1) { nodes { kind actorId apiKeyId } } } }",
            json!({ "id": guest }),
        )
        .await;
    let last = &ledger["guest"]["ledger"]["nodes"][0];
    assert_eq!(last["actorId"], owner.user_id.as_str(), "{ledger}");
    assert!(last["apiKeyId"].is_null(), "{ledger}");

    // Fields about a person refuse keys, with a message that says why.
    for q in [
        "{ me { user { id } } }",
        "{ myTenants { current } }",
        "mutation { updateMyProfile(input: { displayName: \"x\" }) { id } }",
    ] {
        let r = app.gql(Some(&cashier), q, json!({})).await;
        assert_eq!(code(&r), Some("FORBIDDEN"), "{q}: {r}");
        let msg = r["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(msg.contains("API keys"), "{msg}");
    }
}
both_backends!(a_keys_scopes_are_enforced_and_its_actions_are_attributed_to_it);

async fn a_key_never_holds_more_than_its_creator_may_do(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Границы", &unique_email("owner")).await;
    let admin = app.add_staff(&owner, &unique_email("admin"), "ADMIN").await;
    let manager = app
        .add_staff(&owner, &unique_email("manager"), "MANAGER")
        .await;
    let refused = |r: &Value, field: &str| {
        assert_eq!(code(r), Some("VALIDATION"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
        assert!(r["data"].is_null() || r["data"]["createApiKey"].is_null());
    };
    let create = |token: &str, scopes: &[&str]| {
        let token = token.to_owned();
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        let app = &app;
        async move {
            app.gql(Some(&token), CREATE, json!({ "n": "Partner", "s": scopes }))
                .await
        }
    };

    // Admins do not manage the business settings, so their keys cannot either.
    let r = create(&admin.access, &["guests:read", "tenant:manage"]).await;
    refused(&r, "scopes");
    let msg = r["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("tenant:manage") && !msg.contains("guests:read"),
        "{msg}"
    );
    create_key(&app, &admin.access, "Partner", &["guests:read"]).await;

    // Nobody gives a key staff or roles; unknown and missing scopes are refused.
    for scopes in [
        &["staff:manage"][..],
        &["guests:read", "roles:manage"][..],
        &["guests:fly"][..],
        &[][..],
    ] {
        refused(&create(&owner.access, scopes).await, "scopes");
    }
    let r = app
        .gql(
            Some(&owner.access),
            CREATE,
            json!({ "n": " ", "s": ["guests:read"] }),
        )
        .await;
    refused(&r, "name");

    // Managers have no integrations:manage; once given it, their own role bounds their keys.
    let r = create(&manager.access, &["guests:read"]).await;
    assert_eq!(code(&r), Some("FORBIDDEN"), "{r}");
    let mut manager_perms = app
        .ok(
            Some(&owner.access),
            "{ rolePermissions { role permissions } }",
            json!({}),
        )
        .await["rolePermissions"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["role"] == "MANAGER")
        .and_then(|r| r["permissions"].as_array())
        .expect("manager")
        .clone();
    manager_perms.push(json!("integrations:manage"));
    app.ok(
        Some(&owner.access),
        "mutation($p: [String!]!) { setRolePermissions(role: MANAGER, permissions: $p) { permissions } }",
        json!({ "p": manager_perms }),
    )
    .await;
    refused(
        &create(&manager.access, &["loyalty:manage"]).await,
        "scopes",
    );
    create_key(&app, &manager.access, "Partner", &["loyalty:read"]).await;

    // A key that manages integrations makes keys no wider than itself.
    let (parent_id, parent) = create_key(
        &app,
        &owner.access,
        "Integrator",
        &["integrations:manage", "guests:read"],
    )
    .await;
    refused(&create(&parent, &["guests:manage"]).await, "scopes");
    let d = app
        .ok(
            Some(&parent),
            CREATE,
            json!({ "n": "Child", "s": ["guests:read"] }),
        )
        .await;
    let child = &d["createApiKey"]["apiKey"];
    assert_eq!(child["createdByApiKeyId"], parent_id.as_str());
    assert!(child["createdByUserId"].is_null());
    let by = child["createdBy"].as_str().expect("label");
    assert!(by.contains("Integrator"), "{by}");
    let child_key = d["createApiKey"]["key"].as_str().expect("key");
    app.ok(Some(child_key), GUESTS, json!({})).await;
}
both_backends!(a_key_never_holds_more_than_its_creator_may_do);

async fn a_key_of_one_business_sees_nothing_of_another(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.sign_up("Key A", &unique_email("a")).await;
    let b = app.sign_up("Key B", &unique_email("b")).await;
    let new_guest = "mutation($p: String!) { createGuest(input: { phone: $p }) { id } }";
    let a_guest = app
        .ok(
            Some(&a.access),
            new_guest,
            json!({ "p": "+7 900 100-00-01" }),
        )
        .await["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned();
    let b_guest = app
        .ok(
            Some(&b.access),
            new_guest,
            json!({ "p": "+7 900 100-00-02" }),
        )
        .await["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned();
    let (a_key_id, a_key) = key_with_every_scope(&app, &a).await;
    let (b_key_id, b_key) = create_key(&app, &b.access, "B's partner", &["guests:read"]).await;

    let seen = app
        .ok(Some(&a_key), "{ guests { nodes { id } } }", json!({}))
        .await;
    assert_eq!(seen["guests"]["nodes"], json!([{ "id": a_guest }]));
    let r = app
        .gql(
            Some(&a_key),
            "query($id: ID!) { guest(id: $id) { id } }",
            json!({ "id": b_guest }),
        )
        .await;
    assert_eq!(code(&r), Some("NOT_FOUND"), "{r}");
    let keys = listed(&app, &a_key).await;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["id"], a_key_id.as_str());
    let r = app
        .gql(Some(&a_key), REVOKE, json!({ "id": b_key_id }))
        .await;
    assert_eq!(code(&r), Some("NOT_FOUND"), "{r}");
    app.ok(Some(&b_key), GUESTS, json!({})).await;

    // A's secret presented as B's key finds nothing.
    let (body, _) = a_key.rsplit_once('_').expect("tenant part");
    let forged = format!("{body}_{}", b.tenant_id.replace('-', ""));
    let r = app.gql(Some(&forged), GUESTS, json!({})).await;
    assert_eq!(code(&r), Some("UNAUTHENTICATED"), "{r}");
}
both_backends!(a_key_of_one_business_sees_nothing_of_another);
