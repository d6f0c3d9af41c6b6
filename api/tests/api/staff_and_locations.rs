//! Staff: invitations, roles, deactivation, owner protections. Locations: create,
//! rename, list with cursors.

use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, PASSWORD, code, session_from, spawn_app, unique_email};

const INVITE: &str = "mutation($e: String!, $r: Role!) { inviteStaff(input: { email: $e, role: $r }) { id status role } }";
const ACCEPT: &str = "mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken refreshToken me { role user { id } tenant { id } } } }";

async fn invitations_work_once_and_can_be_revoked(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Кафе", &unique_email("owner")).await;
    let email = unique_email("new");
    let inv = app
        .ok(
            Some(&owner.access),
            INVITE,
            json!({ "e": email, "r": "MANAGER" }),
        )
        .await;
    assert_eq!(inv["inviteStaff"]["status"], "PENDING");
    let token = app.mailer.token_for(&email);

    let preview = app
        .ok(
            None,
            "query($t: String!) { invitationPreview(token: $t) { email role tenantName } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(preview["invitationPreview"]["tenantName"], "Кафе");
    assert_eq!(preview["invitationPreview"]["role"], "MANAGER");

    let weak = app
        .gql(
            None,
            ACCEPT,
            json!({ "i": { "token": token, "password": "short", "displayName": "N" } }),
        )
        .await;
    assert_eq!(code(&weak), Some("VALIDATION"));
    let joined = app
        .ok(
            None,
            ACCEPT,
            json!({ "i": { "token": token, "password": PASSWORD, "displayName": "Новый" } }),
        )
        .await;
    assert_eq!(joined["acceptInvitation"]["me"]["role"], "MANAGER");
    let again = app
        .gql(
            None,
            ACCEPT,
            json!({ "i": { "token": token, "password": PASSWORD, "displayName": "Новый" } }),
        )
        .await;
    assert_eq!(code(&again), Some("NOT_FOUND"), "an invitation works once");
    let forged = app.gql(None, ACCEPT, json!({ "i": { "token": format!("{token}x"), "password": PASSWORD, "displayName": "N" } })).await;
    assert_eq!(code(&forged), Some("NOT_FOUND"));

    let second = unique_email("later");
    let inv2 = app
        .ok(
            Some(&owner.access),
            INVITE,
            json!({ "e": second, "r": "CASHIER" }),
        )
        .await;
    let t2 = app.mailer.token_for(&second);
    let revoked = app
        .ok(
            Some(&owner.access),
            "mutation($id: ID!) { revokeInvitation(id: $id) { status } }",
            json!({ "id": inv2["inviteStaff"]["id"] }),
        )
        .await;
    assert_eq!(revoked["revokeInvitation"]["status"], "REVOKED");
    assert_eq!(
        code(
            &app.gql(
                None,
                ACCEPT,
                json!({ "i": { "token": t2, "password": PASSWORD, "displayName": "N" } })
            )
            .await
        ),
        Some("NOT_FOUND")
    );

    let dup = app
        .gql(
            Some(&owner.access),
            INVITE,
            json!({ "e": email, "r": "CASHIER" }),
        )
        .await;
    assert_eq!(code(&dup), Some("CONFLICT"), "already on the staff");

    let third = unique_email("slow");
    app.ok(
        Some(&owner.access),
        INVITE,
        json!({ "e": third, "r": "CASHIER" }),
    )
    .await;
    let t3 = app.mailer.token_for(&third);
    app.clock.advance(chrono::Duration::days(8));
    let expired = app
        .gql(
            None,
            ACCEPT,
            json!({ "i": { "token": t3, "password": PASSWORD, "displayName": "N" } }),
        )
        .await;
    assert_eq!(code(&expired), Some("CONFLICT"), "expired: {expired}");
}
both_backends!(invitations_work_once_and_can_be_revoked);

async fn owners_are_protected_and_deactivation_ends_access_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Ресторан", &unique_email("owner")).await;
    let admin = app.add_staff(&owner, &unique_email("admin"), "ADMIN").await;
    let cashier = app
        .add_staff(&owner, &unique_email("cashier"), "CASHIER")
        .await;

    let change =
        "mutation($id: ID!, $r: Role!) { changeStaffRole(id: $id, role: $r) { role active } }";
    let deactivate = "mutation($id: ID!) { deactivateStaff(id: $id) { active } }";
    assert_eq!(
        code(
            &app.gql(
                Some(&admin.access),
                change,
                json!({ "id": owner.user_id, "r": "CASHIER" })
            )
            .await
        ),
        Some("FORBIDDEN")
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&admin.access),
                change,
                json!({ "id": cashier.user_id, "r": "OWNER" })
            )
            .await
        ),
        Some("FORBIDDEN")
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&admin.access),
                deactivate,
                json!({ "id": owner.user_id })
            )
            .await
        ),
        Some("FORBIDDEN")
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&admin.access),
                INVITE,
                json!({ "e": unique_email("o2"), "r": "OWNER" })
            )
            .await
        ),
        Some("FORBIDDEN")
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&owner.access),
                change,
                json!({ "id": owner.user_id, "r": "ADMIN" })
            )
            .await
        ),
        Some("CONFLICT"),
        "not yourself"
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&owner.access),
                deactivate,
                json!({ "id": owner.user_id })
            )
            .await
        ),
        Some("CONFLICT")
    );

    // Admin manages non-owners.
    let promoted = app
        .ok(
            Some(&admin.access),
            change,
            json!({ "id": cashier.user_id, "r": "MANAGER" }),
        )
        .await;
    assert_eq!(promoted["changeStaffRole"]["role"], "MANAGER");

    // Deactivation: the token stops working for guarded fields and `me`, refresh ends.
    let d = app
        .ok(
            Some(&owner.access),
            deactivate,
            json!({ "id": cashier.user_id }),
        )
        .await;
    assert_eq!(d["deactivateStaff"]["active"], false);
    assert_eq!(
        code(
            &app.gql(
                Some(&cashier.access),
                "{ locations { totalCount } }",
                json!({})
            )
            .await
        ),
        Some("FORBIDDEN")
    );
    assert_eq!(
        code(
            &app.gql(Some(&cashier.access), "{ me { role } }", json!({}))
                .await
        ),
        Some("UNAUTHENTICATED")
    );
    let r = app
        .gql(
            None,
            "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }",
            json!({ "t": cashier.refresh }),
        )
        .await;
    assert_eq!(code(&r), Some("UNAUTHENTICATED"));
    assert_eq!(
        code(&app.login(&cashier.email, PASSWORD).await),
        Some("FORBIDDEN"),
        "no active access anywhere"
    );

    let back = app
        .ok(
            Some(&owner.access),
            "mutation($id: ID!) { reactivateStaff(id: $id) { active role } }",
            json!({ "id": cashier.user_id }),
        )
        .await;
    assert_eq!(back["reactivateStaff"]["role"], "MANAGER");
    let login = app.login(&cashier.email, PASSWORD).await;
    let s = session_from(&login["data"]["login"], &cashier.email);
    app.ok(Some(&s.access), "{ locations { totalCount } }", json!({}))
        .await;

    // A second owner makes demoting the first possible; the last one is kept.
    app.ok(
        Some(&owner.access),
        change,
        json!({ "id": admin.user_id, "r": "OWNER" }),
    )
    .await;
    app.ok(
        Some(&admin.access),
        change,
        json!({ "id": owner.user_id, "r": "ADMIN" }),
    )
    .await;
    let staff = app
        .ok(
            Some(&admin.access),
            "{ staff { nodes { id role } } }",
            json!({}),
        )
        .await;
    let owners = staff["staff"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|n| n["role"] == "OWNER")
        .count();
    assert_eq!(owners, 1);
}
both_backends!(owners_are_protected_and_deactivation_ends_access_at_once);

async fn locations_are_created_renamed_and_paged(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Сеть", &unique_email("owner")).await;
    let create = "mutation($n: String!, $tz: String!) { createLocation(input: { name: $n, timezone: $tz }) { id name timezone } }";
    let mut ids = Vec::new();
    for i in 1..=5 {
        let l = app
            .ok(
                Some(&owner.access),
                create,
                json!({ "n": format!("Точка {i}"), "tz": "Asia/Almaty" }),
            )
            .await;
        ids.push(l["createLocation"]["id"].as_str().expect("id").to_owned());
    }
    assert_eq!(
        code(
            &app.gql(
                Some(&owner.access),
                create,
                json!({ "n": "Точка 1", "tz": "Asia/Almaty" })
            )
            .await
        ),
        Some("CONFLICT")
    );
    let bad_tz = app
        .gql(
            Some(&owner.access),
            create,
            json!({ "n": "Z", "tz": "nowhere" }),
        )
        .await;
    assert_eq!(code(&bad_tz), Some("VALIDATION"));
    assert_eq!(bad_tz["errors"][0]["extensions"]["field"], "timezone");

    let renamed = app
        .ok(
            Some(&owner.access),
            "mutation($id: ID!) { renameLocation(id: $id, name: \"  Главная  \") { name } }",
            json!({ "id": ids[0] }),
        )
        .await;
    assert_eq!(renamed["renameLocation"]["name"], "Главная");
    let clash = app
        .gql(
            Some(&owner.access),
            "mutation($id: ID!) { renameLocation(id: $id, name: \"Точка 2\") { name } }",
            json!({ "id": ids[0] }),
        )
        .await;
    assert_eq!(code(&clash), Some("CONFLICT"));

    let page = "query($a: String, $b: String, $f: Int, $l: Int) { locations(after: $a, before: $b, first: $f, last: $l) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { name } } }";
    let p1 = app.ok(Some(&owner.access), page, json!({ "f": 2 })).await;
    assert_eq!(p1["locations"]["totalCount"], 6);
    assert_eq!(p1["locations"]["nodes"].as_array().map(Vec::len), Some(2));
    assert_eq!(p1["locations"]["pageInfo"]["hasNextPage"], true);
    let mut names = Vec::new();
    let mut after = serde_json::Value::Null;
    loop {
        let p = app
            .ok(Some(&owner.access), page, json!({ "f": 2, "a": after }))
            .await;
        for n in p["locations"]["nodes"].as_array().expect("nodes") {
            names.push(n["name"].as_str().expect("name").to_owned());
        }
        if p["locations"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = p["locations"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(names.len(), 6, "every location exactly once: {names:?}");
    let last2 = app.ok(Some(&owner.access), page, json!({ "l": 2 })).await;
    let tail: Vec<_> = last2["locations"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["name"].clone())
        .collect();
    assert_eq!(tail, vec![json!("Точка 4"), json!("Точка 5")]);
    assert_eq!(last2["locations"]["pageInfo"]["hasPreviousPage"], true);
}
both_backends!(locations_are_created_renamed_and_paged);
