//! Cross-tenant isolation, generated from the schema: a user of tenant B, and an
//! API key of tenant B, calling any field that takes an id with tenant A's ids
//! gets `NOT_FOUND` (or, for a filter, nothing of A's; a key gets `FORBIDDEN` on
//! fields no key may call), and tenant A's data does not change.

use serde_json::{Value, json};

use crate::api_keys::{NEVER_KEY_SCOPES, create_key, key_with_every_scope};
use crate::both_backends;
use crate::helpers::{Backend, Marker, TestApp, code, schema_fields, spawn_app, unique_email};

/// What kind of A's object each id-taking field is called with.
const OBJECT_FIELDS: &[(&str, &str)] = &[
    ("location", "location"),
    ("renameLocation", "location"),
    ("staffMember", "user"),
    ("changeStaffRole", "user"),
    ("deactivateStaff", "user"),
    ("reactivateStaff", "user"),
    ("revokeInvitation", "invitation"),
    ("switchTenant", "tenant"),
    ("guestSignIn", "tenant"),
    ("guest", "guest"),
    ("updateGuest", "guest"),
    ("forgetGuest", "guest"),
    ("mergeGuests", "guest"),
    ("adjustPoints", "guest"),
    ("reverseCheck", "check"),
    ("captureHold", "hold"),
    ("voidHold", "hold"),
    ("updateLevel", "level"),
    ("deleteLevel", "level"),
    ("updatePromotion", "promotion"),
    ("archivePromotion", "promotion"),
    ("redriveJob", "job"),
    ("integrationEvents", "integration"),
    ("rotateIntegrationSecret", "integration"),
    ("disableIntegration", "integration"),
    ("setIikoApiLogin", "integration"),
    ("enableIntegration", "integration"),
    ("reprocessIntegrationEvent", "inbound_event"),
    ("revokeApiKey", "api_key"),
    ("webhookDeliveries", "webhook_endpoint"),
    ("updateWebhookEndpoint", "webhook_endpoint"),
    ("disableWebhookEndpoint", "webhook_endpoint"),
    ("enableWebhookEndpoint", "webhook_endpoint"),
    ("rotateWebhookSecret", "webhook_endpoint"),
    ("sendTestWebhook", "webhook_endpoint"),
    ("redeliverWebhook", "webhook_delivery"),
];
/// Fields that act on the caller's own rows among the ids given: others' ids
/// count nothing (the answer is 0). (A's real notifications are tried by
/// another recipient in `notifications.rs`.)
const OWN_ROWS_FIELDS: &[&str] = &["markNotificationsRead", "markMyNotificationsRead"];
/// Fields whose id argument filters a list of the caller's own tenant.
const FILTER_FIELDS: &[(&str, &str, &str)] = &[("auditLog", "actorId", "user")];

async fn snapshot(app: &TestApp, token: &str) -> Value {
    app.ok(
        Some(token),
        "{ locations { nodes { id name } } staff { nodes { id role active } } invitations { nodes { id status role } } auditLog { totalCount } \
         guests { nodes { id name phone account { balance held } } } levels { id name thresholdMinor } loyaltySettings { expiryDays pointValueMinor } \
         promotions(includeArchived: true) { id name archived budget } deadJobs { totalCount nodes { id status } } integrations { id active secretRotatedAt } \
         apiKeys { id name revokedAt } webhookEndpoints { id url enabled eventTypes secretRotatedAt } }",
        json!({}),
    )
    .await
}

async fn another_tenants_ids_are_not_found_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.sign_up("Tenant A", &unique_email("a-owner")).await;
    let a_cashier = app
        .add_staff(&a, &unique_email("a-cashier"), "CASHIER")
        .await;
    let a_loc = app
        .ok(Some(&a.access), "{ locations { nodes { id } } }", json!({}))
        .await["locations"]["nodes"][0]["id"]
        .as_str()
        .expect("location")
        .to_owned();
    let inv = app
        .ok(Some(&a.access), "mutation { inviteStaff(input: { email: \"pending@example.com\", role: MANAGER }) { id } }", json!({}))
        .await["inviteStaff"]["id"]
        .as_str()
        .expect("invitation")
        .to_owned();
    // A's loyalty objects: a guest with points, a processed check, a pending hold, a level.
    let guest = app
        .ok(Some(&a.access), "mutation { createGuest(input: { phone: \"+7 900 111-22-33\", name: \"Анна\" }) { id } }", json!({}))
        .await["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned();
    app.ok(
        Some(&a.access),
        "mutation($g: ID!) { adjustPoints(guestId: $g, points: 100, reason: \"welcome\") { balance } }",
        json!({ "g": guest }),
    )
    .await;
    let check = app
        .ok(
            Some(&a.access),
            "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 100000, externalId: \"a-1\" }) { checkId } }",
            json!({ "l": a_loc, "g": guest }),
        )
        .await["processCheck"]["checkId"]
        .as_str()
        .expect("check")
        .to_owned();
    let hold = app
        .ok(
            Some(&a.access),
            "mutation($g: ID!) { holdPoints(input: { guest: { id: $g }, points: 5 }) { id } }",
            json!({ "g": guest }),
        )
        .await["holdPoints"]["id"]
        .as_str()
        .expect("hold")
        .to_owned();
    let level = app
        .ok(Some(&a.access), "{ levels { id } }", json!({}))
        .await["levels"][0]["id"]
        .as_str()
        .expect("level")
        .to_owned();
    let promotion = app
        .ok(
            Some(&a.access),
            "mutation { createPromotion(input: { name: \"×2\", rule: { multiplier: { factorPercent: 200 } } }) { id } }",
            json!({}),
        )
        .await["createPromotion"]["id"]
        .as_str()
        .expect("promotion")
        .to_owned();
    let job = crate::jobs::dead_job_of(&app, &a.tenant_id).await;
    let integration = app
        .ok(
            Some(&a.access),
            "mutation($l: ID!) { createIntegration(input: { kind: POS, locationId: $l, name: \"A\" }) { integration { id } } }",
            json!({ "l": a_loc }),
        )
        .await["createIntegration"]["integration"]["id"]
        .as_str()
        .expect("integration")
        .to_owned();
    // An unsigned delivery is refused and logged: A's event.
    let refused = app
        .http
        .post(format!("{}/webhooks/pos/{integration}", app.base))
        .body("{}")
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 401);
    let inbound = app
        .ok(
            Some(&a.access),
            "query($i: ID!) { integrationEvents(integrationId: $i) { nodes { id } } }",
            json!({ "i": integration }),
        )
        .await["integrationEvents"]["nodes"][0]["id"]
        .as_str()
        .expect("event")
        .to_owned();
    let (api_key, _) = create_key(&app, &a.access, "A's partner", &["guests:read"]).await;
    // A's webhook endpoint (a public address; the worker is off) and a pending test ping.
    let webhook_endpoint = app
        .ok(
            Some(&a.access),
            "mutation { createWebhookEndpoint(input: { url: \"https://203.0.113.10/hooks\", eventTypes: [\"guest.created\"] }) { endpoint { id } } }",
            json!({}),
        )
        .await["createWebhookEndpoint"]["endpoint"]["id"]
        .as_str()
        .expect("webhook endpoint")
        .to_owned();
    let webhook_delivery = app
        .ok(
            Some(&a.access),
            "mutation($e: ID!) { sendTestWebhook(endpointId: $e) { id } }",
            json!({ "e": webhook_endpoint }),
        )
        .await["sendTestWebhook"]["id"]
        .as_str()
        .expect("webhook delivery")
        .to_owned();
    let b = app.sign_up("Tenant B", &unique_email("b-owner")).await;
    // B's calls are made by B's owner and again by a key of B holding all a key may.
    let (_, b_key) = key_with_every_scope(&app, &b).await;
    let callers = [b.access.as_str(), b_key.as_str()];
    let id_of = |kind: &str| -> String {
        match kind {
            "location" => a_loc.clone(),
            "user" => a_cashier.user_id.clone(),
            "invitation" => inv.clone(),
            "tenant" => a.tenant_id.clone(),
            "guest" => guest.clone(),
            "check" => check.clone(),
            "hold" => hold.clone(),
            "level" => level.clone(),
            "promotion" => promotion.clone(),
            "job" => job.clone(),
            "integration" => integration.clone(),
            "inbound_event" => inbound.clone(),
            "api_key" => api_key.clone(),
            "webhook_endpoint" => webhook_endpoint.clone(),
            "webhook_delivery" => webhook_delivery.clone(),
            other => panic!("unknown kind {other}"),
        }
    };

    let before = snapshot(&app, &a.access).await;
    let (fields, types) = schema_fields(&app).await;
    let mut covered = 0;
    for f in fields.iter().filter(|f| !f.id_args.is_empty()) {
        if let Some((_, kind)) = OBJECT_FIELDS.iter().find(|(n, _)| *n == f.name) {
            let id = id_of(kind);
            let ids: Vec<(&str, &str)> = f
                .id_args
                .iter()
                .map(|n| (n.as_str(), id.as_str()))
                .collect();
            let (q, vars) = f.operation_with_ids(&ids, &types);
            // A key never reaches fields about a person or needing staff/roles:manage.
            let key_may_call = match &f.marker {
                Marker::Requires(p) => !NEVER_KEY_SCOPES.contains(&p.as_str()),
                Marker::Public => true,
                _ => false,
            };
            for (caller, token) in callers.iter().enumerate() {
                let resp = app.gql(Some(token), &q, vars.clone()).await;
                if caller == 1 && !key_may_call {
                    assert_eq!(
                        code(&resp),
                        Some("FORBIDDEN"),
                        "{} by B's key: {resp}",
                        f.name
                    );
                    continue;
                }
                assert_eq!(
                    code(&resp),
                    Some("NOT_FOUND"),
                    "{} with tenant A's id (caller {caller}): {resp}",
                    f.name
                );
                let msg = resp["errors"][0]["message"].as_str().unwrap_or_default();
                assert_eq!(
                    msg, "not found",
                    "the message says nothing about the other tenant"
                );
            }
        } else if let Some((_, arg, kind)) = FILTER_FIELDS.iter().find(|(n, _, _)| *n == f.name) {
            let id = id_of(kind);
            let (q, vars) = f.operation_with_ids(&[(arg, id.as_str())], &types);
            let q = q.replace("{ __typename }", "{ totalCount nodes { id } }");
            for token in callers {
                let resp = app.ok(Some(token), &q, vars.clone()).await;
                assert_eq!(
                    resp[&f.name]["totalCount"], 0,
                    "{} shows none of A's rows: {resp}",
                    f.name
                );
            }
        } else if OWN_ROWS_FIELDS.contains(&f.name.as_str()) {
            let someone_elses = uuid::Uuid::now_v7().to_string();
            let ids: Vec<(&str, &str)> = f
                .id_args
                .iter()
                .map(|n| (n.as_str(), someone_elses.as_str()))
                .collect();
            let (q, vars) = f.operation_with_ids(&ids, &types);
            for (caller, token) in callers.iter().enumerate() {
                let resp = app.gql(Some(token), &q, vars.clone()).await;
                match (&f.marker, caller) {
                    (Marker::Authenticated, 0) => {
                        assert_eq!(resp["data"][&f.name], 0, "{}: {resp}", f.name);
                    }
                    _ => assert_eq!(code(&resp), Some("FORBIDDEN"), "{}: {resp}", f.name),
                }
            }
        } else {
            panic!(
                "{} takes an id but the cross-tenant test does not cover it: add it to OBJECT_FIELDS or FILTER_FIELDS",
                f.name
            );
        }
        covered += 1;
    }
    assert!(covered >= OBJECT_FIELDS.len());
    // Ids inside inputs: A's guest or location in B's check, hold and search.
    let b_loc = app
        .ok(Some(&b.access), "{ locations { nodes { id } } }", json!({}))
        .await["locations"]["nodes"][0]["id"]
        .as_str()
        .expect("b location")
        .to_owned();
    for token in callers {
        // A's location in B's multiplier.
        let r = app
            .gql(
                Some(token),
                "mutation($l: ID!) { createPromotion(input: { name: \"x\", rule: { multiplier: { factorPercent: 200, locationIds: [$l] } } }) { id } }",
                json!({ "l": a_loc }),
            )
            .await;
        assert_eq!(code(&r), Some("VALIDATION"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "locations");
        let process = "mutation($l: ID!, $g: ID!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: 1000, externalId: \"x-1\" }) { checkId } }";
        for (l, g) in [
            (b_loc.as_str(), guest.as_str()),
            (a_loc.as_str(), guest.as_str()),
        ] {
            let r = app
                .gql(Some(token), process, json!({ "l": l, "g": g }))
                .await;
            assert_eq!(code(&r), Some("NOT_FOUND"), "{r}");
        }
        let hold_other = app
            .gql(
                Some(token),
                "mutation($g: ID!) { holdPoints(input: { guest: { id: $g }, points: 1 }) { id } }",
                json!({ "g": guest }),
            )
            .await;
        assert_eq!(code(&hold_other), Some("NOT_FOUND"));
        for q in ["+79001112233", "2233", "Анна"] {
            let found = app
                .ok(
                    Some(token),
                    "query($q: String) { guests(query: $q) { totalCount } }",
                    json!({ "q": q }),
                )
                .await;
            assert_eq!(
                found["guests"]["totalCount"], 0,
                "B finds none of A's guests by {q}"
            );
        }
    }
    let after = snapshot(&app, &a.access).await;
    assert_eq!(before, after, "tenant A's data did not change");

    // B's lists never show A's rows, to B's owner or to B's key.
    for token in callers {
        let text = snapshot(&app, token).await.to_string();
        for id in [
            &a_loc,
            &a_cashier.user_id,
            &inv,
            &a.user_id,
            &guest,
            &level,
            &api_key,
        ] {
            assert!(!text.contains(id.as_str()), "B sees A's id {id}");
        }
    }
}
both_backends!(another_tenants_ids_are_not_found_and_change_nothing);
