//! The role matrix, generated from the schema: for every guarded field and every
//! role, the call is allowed exactly when the tenant's policy grants the field's
//! permission, and for every API key exactly when its scopes hold it; fields
//! about a person refuse keys; policy and role changes apply on the next request.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::api_keys::{NEVER_KEY_SCOPES, catalogue, create_key, key_with_every_scope};
use crate::both_backends;
use crate::helpers::{Backend, Marker, code, schema_fields, spawn_app, unique_email};

async fn every_guarded_field_follows_the_tenant_policy_for_every_role(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Матрица", &unique_email("owner")).await;
    let mut sessions = vec![("OWNER", owner.clone())];
    for role in ["ADMIN", "MANAGER", "CASHIER"] {
        sessions.push((
            role,
            app.add_staff(&owner, &unique_email(&role.to_lowercase()), role)
                .await,
        ));
    }
    let policy = app
        .ok(
            Some(&owner.access),
            "{ rolePermissions { role permissions } }",
            json!({}),
        )
        .await;
    let granted: HashMap<String, Vec<String>> = policy["rolePermissions"]
        .as_array()
        .expect("roles")
        .iter()
        .map(|r| {
            let perms = r["permissions"]
                .as_array()
                .expect("perms")
                .iter()
                .map(|p| p.as_str().unwrap_or_default().to_owned())
                .collect();
            (r["role"].as_str().unwrap_or_default().to_owned(), perms)
        })
        .collect();

    let (fields, types) = schema_fields(&app).await;
    let guarded: Vec<_> = fields
        .iter()
        .filter(|f| matches!(f.marker, Marker::Requires(_)))
        .collect();
    assert!(guarded.len() >= 15, "the schema has its guarded fields");
    let mut checked = 0;
    // The owner goes last so that its successful calls cannot change the others' results.
    for (role, session) in sessions.iter().rev() {
        for f in &guarded {
            let Marker::Requires(perm) = &f.marker else {
                continue;
            };
            let (q, vars) = f.dummy_operation(&types);
            let resp = app.gql(Some(&session.access), &q, vars).await;
            let allowed = granted[*role].contains(perm);
            let c = code(&resp);
            if allowed {
                assert!(
                    c != Some("FORBIDDEN") && c != Some("UNAUTHENTICATED"),
                    "{role} should be allowed {} ({perm}): {resp}",
                    f.name
                );
            } else {
                assert_eq!(
                    c,
                    Some("FORBIDDEN"),
                    "{role} must be refused {} ({perm}): {resp}",
                    f.name
                );
                assert!(resp["data"].is_null() || resp["data"][&f.name].is_null());
            }
            checked += 1;
        }
    }
    assert_eq!(checked, guarded.len() * 4);
}
both_backends!(every_guarded_field_follows_the_tenant_policy_for_every_role);

async fn every_guarded_field_follows_an_api_keys_scopes(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Матрица ключей", &unique_email("owner")).await;
    let all = catalogue(&app, &owner).await;
    let holdable: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|p| !NEVER_KEY_SCOPES.contains(p))
        .collect();
    // For every permission: a key holding only it (when a key may hold it), and
    // a key holding everything a key may hold but it.
    let mut only = HashMap::new();
    let mut all_but = HashMap::new();
    for p in &all {
        if holdable.contains(&p.as_str()) {
            let (_, key) = create_key(&app, &owner.access, &format!("only {p}"), &[p]).await;
            only.insert(p.clone(), key);
        }
        let rest: Vec<&str> = holdable.iter().copied().filter(|h| h != p).collect();
        let (_, key) = create_key(&app, &owner.access, &format!("all but {p}"), &rest).await;
        all_but.insert(p.clone(), key);
    }
    let (_, everything) = key_with_every_scope(&app, &owner).await;

    let (fields, types) = schema_fields(&app).await;
    let mut checked = 0;
    for f in &fields {
        let (q, vars) = f.dummy_operation(&types);
        match &f.marker {
            Marker::Requires(perm) => {
                if let Some(key) = only.get(perm) {
                    let resp = app.gql(Some(key), &q, vars.clone()).await;
                    let c = code(&resp);
                    assert!(
                        c != Some("FORBIDDEN") && c != Some("UNAUTHENTICATED"),
                        "a key holding {perm} should be allowed {}: {resp}",
                        f.name
                    );
                } else {
                    assert!(NEVER_KEY_SCOPES.contains(&perm.as_str()), "{perm}");
                }
                let resp = app.gql(Some(&all_but[perm]), &q, vars).await;
                assert_eq!(
                    code(&resp),
                    Some("FORBIDDEN"),
                    "a key without {perm} must be refused {}: {resp}",
                    f.name
                );
                assert!(resp["data"].is_null() || resp["data"][&f.name].is_null());
            }
            // About a person (staff or guest): no key, whatever its scopes.
            Marker::Authenticated | Marker::Guest => {
                let resp = app.gql(Some(&everything), &q, vars).await;
                assert_eq!(
                    code(&resp),
                    Some("FORBIDDEN"),
                    "{} is about a person and must refuse API keys: {resp}",
                    f.name
                );
            }
            Marker::Public | Marker::None => continue,
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fields were checked");
}
both_backends!(every_guarded_field_follows_an_api_keys_scopes);

fn perms(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|p| p.as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn permission_and_role_changes_apply_on_the_next_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Политика", &unique_email("owner")).await;
    let cashier = app
        .add_staff(&owner, &unique_email("cashier"), "CASHIER")
        .await;
    let staff_q = "{ staff { totalCount } }";
    assert_eq!(
        code(&app.gql(Some(&cashier.access), staff_q, json!({})).await),
        Some("FORBIDDEN")
    );

    let set = "mutation($r: Role!, $p: [String!]!) { setRolePermissions(role: $r, permissions: $p) { permissions } }";
    let roles = app
        .ok(
            Some(&owner.access),
            "{ rolePermissions { role permissions } }",
            json!({}),
        )
        .await;
    let mut cashier_perms = roles["rolePermissions"]
        .as_array()
        .expect("roles")
        .iter()
        .find(|r| r["role"] == "CASHIER")
        .map(|r| perms(&r["permissions"]))
        .expect("cashier");
    cashier_perms.push("staff:read".into());
    app.ok(
        Some(&owner.access),
        set,
        json!({ "r": "CASHIER", "p": cashier_perms }),
    )
    .await;
    let now_allowed = app.ok(Some(&cashier.access), staff_q, json!({})).await;
    assert_eq!(now_allowed["staff"]["totalCount"], 2);
    let me = app
        .ok(Some(&cashier.access), "{ me { permissions } }", json!({}))
        .await;
    assert!(perms(&me["me"]["permissions"]).contains(&"staff:read".to_owned()));

    cashier_perms.retain(|p| p != "staff:read");
    app.ok(
        Some(&owner.access),
        set,
        json!({ "r": "CASHIER", "p": cashier_perms }),
    )
    .await;
    assert_eq!(
        code(&app.gql(Some(&cashier.access), staff_q, json!({})).await),
        Some("FORBIDDEN")
    );

    // The owner role cannot be edited, unknown permissions are refused.
    let owner_edit = app
        .gql(Some(&owner.access), set, json!({ "r": "OWNER", "p": [] }))
        .await;
    assert_eq!(code(&owner_edit), Some("CONFLICT"));
    let unknown = app
        .gql(
            Some(&owner.access),
            set,
            json!({ "r": "MANAGER", "p": ["staff:fly"] }),
        )
        .await;
    assert_eq!(code(&unknown), Some("VALIDATION"));

    // A role change applies with the same access token.
    app.ok(
        Some(&owner.access),
        "mutation($id: ID!) { changeStaffRole(id: $id, role: ADMIN) { role } }",
        json!({ "id": cashier.user_id }),
    )
    .await;
    app.ok(Some(&cashier.access), staff_q, json!({})).await;

    // Each change is in the audit log with before and after.
    let audit = app
        .ok(Some(&owner.access), "{ auditLog(action: \"roles.set_permissions\") { totalCount nodes { details actorEmail } } }", json!({}))
        .await;
    assert_eq!(audit["auditLog"]["totalCount"], 2);
    let details: Value = serde_json::from_str(
        audit["auditLog"]["nodes"][0]["details"]
            .as_str()
            .expect("details"),
    )
    .expect("json");
    assert!(perms(&details["after"]).contains(&"staff:read".to_owned()));
    assert!(!perms(&details["before"]).contains(&"staff:read".to_owned()));
    assert_eq!(
        audit["auditLog"]["nodes"][0]["actorEmail"],
        owner.email.as_str()
    );
}
both_backends!(permission_and_role_changes_apply_on_the_next_request);
