//! The loyalty core over GraphQL: checks exactly once, never negative, holds,
//! levels, expiry, reversals, validation — on SQLite and PostgreSQL.

use std::str::FromStr;

use domain::{Ctx, TenantId};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Session, TestApp, code, spawn_app, unique_email};

struct Shop {
    owner: Session,
    location: String,
}

/// Signs the owner in again (after the test clock jumped past the access token).
async fn relogin(app: &TestApp, s: &mut Shop) {
    let r = app.login(&s.owner.email, crate::helpers::PASSWORD).await;
    s.owner.access = r["data"]["login"]["accessToken"]
        .as_str()
        .expect("access")
        .to_owned();
}

async fn shop(app: &TestApp) -> Shop {
    let owner = app.sign_up("Кофейня", &unique_email("owner")).await;
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
    Shop { owner, location }
}

async fn guest(app: &TestApp, s: &Shop, phone: &str) -> String {
    app.ok(
        Some(&s.owner.access),
        "mutation($p: String!) { createGuest(input: { phone: $p, name: \"Гость\" }) { id } }",
        json!({ "p": phone }),
    )
    .await["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned()
}

const PROCESS: &str = "mutation($i: ProcessCheckInput!) { processCheck(input: $i) { checkId redeemed redeemedValueMinor earned balance available rules { code points } levelBefore { name } levelAfter { name } } }";
const CARD: &str = "query($id: ID!) { guest(id: $id) { account { balance held available } level { name } progress { spendMinor missingMinor next { name } } ledger(first: 100) { totalCount nodes { kind amount heldDelta balanceAfter } } } }";

fn check(s: &Shop, g: &str, total: i64, ext: &str) -> Value {
    json!({ "i": { "locationId": s.location, "guest": { "id": g }, "totalMinor": total, "externalId": ext } })
}

async fn card(app: &TestApp, s: &Shop, g: &str) -> Value {
    app.ok(Some(&s.owner.access), CARD, json!({ "id": g }))
        .await["guest"]
        .clone()
}

/// Balance = Σ entries, and the account agrees with the last entry.
fn assert_consistent(card: &Value) {
    let entries = card["ledger"]["nodes"].as_array().expect("entries");
    let sum: i64 = entries
        .iter()
        .map(|e| e["amount"].as_i64().unwrap_or(0))
        .sum();
    let held: i64 = entries
        .iter()
        .map(|e| e["heldDelta"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(
        card["account"]["balance"].as_i64(),
        Some(sum),
        "balance = Σ entries: {card}"
    );
    assert_eq!(
        card["account"]["held"].as_i64(),
        Some(held),
        "held = Σ held deltas: {card}"
    );
    assert!(
        entries
            .iter()
            .all(|e| e["balanceAfter"].as_i64().unwrap_or(-1) >= 0),
        "never negative"
    );
}

async fn a_check_accrues_redeems_upgrades_and_replays_exactly_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let g = guest(&app, &s, "8 (900) 123-45-67").await;

    // 1 000.00 RUB at Bronze 3 % → 30 points.
    let r1 = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &g, 100_000, "chk-1"),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(r1["earned"], 30);
    assert_eq!(r1["balance"], 30);
    assert_eq!(r1["rules"][0]["code"], "level_cashback");
    assert_eq!(r1["levelBefore"]["name"], "Bronze");

    // The same check again: the same receipt, nothing more accrued.
    let again = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &g, 100_000, "chk-1"),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(again, r1);
    // The same id with another total is a conflict and changes nothing.
    let other = app
        .gql(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &g, 200_000, "chk-1"),
        )
        .await;
    assert_eq!(code(&other), Some("CONFLICT"));

    // A 12 000 RUB check takes the guest past Silver (10 000): upgrade at once.
    let mut big = check(&s, &g, 1_200_000, "chk-2");
    big["i"]["redeemPoints"] = json!(30);
    let r2 = app.ok(Some(&s.owner.access), PROCESS, big).await["processCheck"].clone();
    assert_eq!(r2["redeemed"], 30);
    assert_eq!(r2["redeemedValueMinor"], 3000);
    // Accrual on the paid part (12 000 − 30 = 11 970 RUB) at the level before (3 %): 359.
    assert_eq!(r2["earned"], 359);
    assert_eq!(r2["balance"], 359);
    assert_eq!(r2["levelBefore"]["name"], "Bronze");
    assert_eq!(r2["levelAfter"]["name"], "Silver");

    let c = card(&app, &s, &g).await;
    assert_eq!(c["level"]["name"], "Silver");
    assert_eq!(c["progress"]["next"]["name"], "Gold");
    assert_eq!(c["progress"]["spendMinor"], 100_000 + 1_197_000);
    assert_consistent(&c);

    // Found by phone ending, by card code, by QR.
    let by_digits = app
        .ok(
            Some(&s.owner.access),
            "{ guests(query: \"4567\") { nodes { id cardCode qrPayload } } }",
            json!({}),
        )
        .await;
    assert_eq!(by_digits["guests"]["nodes"][0]["id"], g.as_str());
    let card_code = by_digits["guests"]["nodes"][0]["cardCode"]
        .as_str()
        .expect("card")
        .to_lowercase()
        .replace('-', " ");
    let qr = by_digits["guests"]["nodes"][0]["qrPayload"]
        .as_str()
        .expect("qr")
        .to_owned();
    for q in [card_code, qr] {
        let found = app
            .ok(
                Some(&s.owner.access),
                "query($q: String) { guests(query: $q) { totalCount nodes { id } } }",
                json!({ "q": q }),
            )
            .await;
        assert_eq!(
            found["guests"]["nodes"][0]["id"],
            g.as_str(),
            "found by {q}"
        );
    }
    // Processing by phone works too.
    let by_phone = json!({ "i": { "locationId": s.location, "guest": { "phone": "+7 900 123 45 67" }, "totalMinor": 1000, "externalId": "chk-3" } });
    app.ok(Some(&s.owner.access), PROCESS, by_phone).await;
}
both_backends!(a_check_accrues_redeems_upgrades_and_replays_exactly_once);

/// The card query reads the guest, the points and the ledger page together;
/// whatever shape the ledger's arguments take (variables, cursors, aliases with
/// different pages, no card fields) each field answers as if read alone.
async fn a_guest_card_read_together_answers_like_each_field_alone(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let g = guest(&app, &s, "8 (900) 123-45-70").await;
    for (i, total) in [10_000, 20_000, 30_000, 40_000].into_iter().enumerate() {
        app.ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &g, total, &format!("view-{i}")),
        )
        .await;
    }
    let q = |query: &'static str, vars: Value| {
        let app = &app;
        let token = s.owner.access.clone();
        async move { app.ok(Some(&token), query, vars).await["guest"].clone() }
    };
    // Each part alone.
    let account = q(
        "query($id: ID!) { guest(id: $id) { account { balance } } }",
        json!({ "id": g }),
    )
    .await;
    let all = q(
        "query($id: ID!) { guest(id: $id) { ledger(first: 10) { totalCount nodes { amount balanceAfter } pageInfo { startCursor endCursor } } } }",
        json!({ "id": g }),
    )
    .await;
    assert_eq!(account["account"]["balance"], 3 + 6 + 9 + 12);
    assert_eq!(all["ledger"]["totalCount"], 4);
    let nodes = all["ledger"]["nodes"].as_array().expect("nodes").clone();
    assert_eq!(nodes.len(), 4);

    // Together, the page in variables and a cursor: the last two before the newest.
    let newest_cursor = {
        let one = q(
            "query($id: ID!) { guest(id: $id) { ledger(last: 1) { pageInfo { startCursor } } } }",
            json!({ "id": g }),
        )
        .await;
        one["ledger"]["pageInfo"]["startCursor"]
            .as_str()
            .expect("cursor")
            .to_owned()
    };
    let together = q(
        "query($id: ID!, $n: Int, $c: String) { guest(id: $id) { account { balance } level { name } ledger(last: $n, before: $c) { totalCount nodes { amount balanceAfter } } } }",
        json!({ "id": g, "n": 2, "c": newest_cursor }),
    )
    .await;
    assert_eq!(together["account"], account["account"]);
    assert_eq!(together["ledger"]["totalCount"], 4);
    assert_eq!(
        together["ledger"]["nodes"],
        json!([nodes[1].clone(), nodes[2].clone()])
    );
    // Two aliases with different pages: each gets its own.
    let aliased = q(
        "query($id: ID!) { guest(id: $id) { account { balance } a: ledger(first: 1) { nodes { amount } } b: ledger(last: 1) { nodes { amount } } } }",
        json!({ "id": g }),
    )
    .await;
    assert_eq!(
        aliased["a"]["nodes"],
        json!([{ "amount": nodes[0]["amount"] }])
    );
    assert_eq!(
        aliased["b"]["nodes"],
        json!([{ "amount": nodes[3]["amount"] }])
    );
    // A bad cursor is still the field's clear error.
    let bad = app
        .gql(
            Some(&s.owner.access),
            "query($id: ID!) { guest(id: $id) { account { balance } ledger(after: \"nope\") { nodes { amount } } } }",
            json!({ "id": g }),
        )
        .await;
    assert_eq!(code(&bad), Some("VALIDATION"), "{bad}");
    // An unknown guest is NOT_FOUND either way.
    let missing = app
        .gql(
            Some(&s.owner.access),
            "query($id: ID!) { guest(id: $id) { account { balance } ledger(last: 2) { nodes { amount } } } }",
            json!({ "id": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(code(&missing), Some("NOT_FOUND"), "{missing}");
}
both_backends!(a_guest_card_read_together_answers_like_each_field_alone);

async fn bad_checks_get_clear_errors_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let g = guest(&app, &s, "+7 900 000-00-01").await;
    app.ok(Some(&s.owner.access), "mutation($g: ID!) { adjustPoints(guestId: $g, points: 100, reason: \"gift\") { balance } }", json!({ "g": g }))
        .await;
    let before = card(&app, &s, &g).await;

    let cases: Vec<(Value, &str, &str)> = vec![
        (check(&s, &g, 0, "bad-1"), "VALIDATION", "totalMinor"),
        (check(&s, &g, -5, "bad-2"), "VALIDATION", "totalMinor"),
        (check(&s, &g, 1000, "   "), "VALIDATION", "externalId"),
        (
            {
                let mut c = check(&s, &g, 100_000, "bad-3");
                c["i"]["redeemPoints"] = json!(-1);
                c
            },
            "VALIDATION",
            "redeemPoints",
        ),
        // Bronze allows 30 % of 1 000 RUB = 300 points; the guest has 100.
        (
            {
                let mut c = check(&s, &g, 100_000, "bad-4");
                c["i"]["redeemPoints"] = json!(101);
                c
            },
            "CONFLICT",
            "redeemPoints",
        ),
        (
            {
                let mut c = check(&s, &g, 10_000, "bad-5");
                c["i"]["redeemPoints"] = json!(31);
                c
            },
            "VALIDATION",
            "redeemPoints",
        ),
        (
            json!({ "i": { "locationId": s.location, "guest": { "phone": "12" }, "totalMinor": 1000, "externalId": "bad-6" } }),
            "VALIDATION",
            "guest.phone",
        ),
        (
            json!({ "i": { "locationId": s.location, "guest": { "phone": "+7 900 999-99-99" }, "totalMinor": 1000, "externalId": "bad-7" } }),
            "NOT_FOUND",
            "",
        ),
        (
            json!({ "i": { "locationId": s.location, "guest": { "cardCode": "0000" }, "totalMinor": 1000, "externalId": "bad-8" } }),
            "VALIDATION",
            "guest.cardCode",
        ),
    ];
    for (vars, want, field) in cases {
        let r = app.gql(Some(&s.owner.access), PROCESS, vars.clone()).await;
        assert_eq!(code(&r), Some(want), "{vars}: {r}");
        if !field.is_empty() {
            assert_eq!(r["errors"][0]["extensions"]["field"], field, "{r}");
        }
    }
    let adjust = "mutation($g: ID!, $p: Int!, $r: String!) { adjustPoints(guestId: $g, points: $p, reason: $r) { balance } }";
    assert_eq!(
        code(
            &app.gql(
                Some(&s.owner.access),
                adjust,
                json!({ "g": g, "p": 5, "r": "  " })
            )
            .await
        ),
        Some("VALIDATION")
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&s.owner.access),
                adjust,
                json!({ "g": g, "p": 0, "r": "x" })
            )
            .await
        ),
        Some("VALIDATION")
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&s.owner.access),
                adjust,
                json!({ "g": g, "p": -101, "r": "x" })
            )
            .await
        ),
        Some("CONFLICT")
    );
    let create = "mutation($p: String!) { createGuest(input: { phone: $p }) { id } }";
    assert_eq!(
        code(
            &app.gql(Some(&s.owner.access), create, json!({ "p": "not a phone" }))
                .await
        ),
        Some("VALIDATION")
    );
    assert_eq!(
        code(
            &app.gql(
                Some(&s.owner.access),
                create,
                json!({ "p": "+79000000001" })
            )
            .await
        ),
        Some("CONFLICT"),
        "phone taken"
    );

    assert_eq!(card(&app, &s, &g).await, before, "nothing changed");
}
both_backends!(bad_checks_get_clear_errors_and_change_nothing);

async fn fifty_concurrent_deliveries_of_one_check_accrue_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let g = guest(&app, &s, "+7 900 000-00-02").await;
    let vars = check(&s, &g, 100_000, "pos-777");
    let calls = (0..50).map(|_| app.gql(Some(&s.owner.access), PROCESS, vars.clone()));
    let results = futures_util::future::join_all(calls).await;
    let receipts: Vec<&Value> = results
        .iter()
        .map(|r| {
            assert!(r.get("errors").is_none(), "{r}");
            &r["data"]["processCheck"]
        })
        .collect();
    assert!(
        receipts.iter().all(|r| *r == receipts[0]),
        "50 identical receipts"
    );
    let c = card(&app, &s, &g).await;
    assert_eq!(c["account"]["balance"], 30, "exactly one accrual");
    assert_eq!(c["ledger"]["totalCount"], 1);
    assert_consistent(&c);
}
both_backends!(fifty_concurrent_deliveries_of_one_check_accrue_once);

async fn twenty_concurrent_redemptions_of_ten_from_a_hundred_leave_zero(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let g = guest(&app, &s, "+7 900 000-00-03").await;
    let adjust = "mutation($g: ID!, $p: Int!) { adjustPoints(guestId: $g, points: $p, reason: \"test\") { balance } }";
    app.ok(Some(&s.owner.access), adjust, json!({ "g": g, "p": 100 }))
        .await;
    let calls =
        (0..20).map(|_| app.gql(Some(&s.owner.access), adjust, json!({ "g": g, "p": -10 })));
    let results = futures_util::future::join_all(calls).await;
    let ok = results.iter().filter(|r| r.get("errors").is_none()).count();
    let refused = results
        .iter()
        .filter(|r| code(r) == Some("CONFLICT"))
        .count();
    assert_eq!((ok, refused), (10, 10), "{results:?}");
    let c = card(&app, &s, &g).await;
    assert_eq!(c["account"]["balance"], 0);
    assert_consistent(&c);

    // The same with holds: 20 holds of 10 on 100 → exactly 10 pending.
    app.ok(Some(&s.owner.access), adjust, json!({ "g": g, "p": 100 }))
        .await;
    let hold = "mutation($g: ID!) { holdPoints(input: { guest: { id: $g }, points: 10 }) { id } }";
    let results = futures_util::future::join_all(
        (0..20).map(|_| app.gql(Some(&s.owner.access), hold, json!({ "g": g }))),
    )
    .await;
    assert_eq!(
        results.iter().filter(|r| r.get("errors").is_none()).count(),
        10
    );
    let c = card(&app, &s, &g).await;
    assert_eq!(
        (
            c["account"]["balance"].as_i64(),
            c["account"]["held"].as_i64(),
            c["account"]["available"].as_i64()
        ),
        (Some(100), Some(100), Some(0))
    );
    assert_consistent(&c);
}
both_backends!(twenty_concurrent_redemptions_of_ten_from_a_hundred_leave_zero);

async fn holds_resolve_once_and_expire_by_themselves(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut s = shop(&app).await;
    let g = guest(&app, &s, "+7 900 000-00-04").await;
    app.ok(
        Some(&s.owner.access),
        "mutation($g: ID!) { adjustPoints(guestId: $g, points: 200, reason: \"x\") { balance } }",
        json!({ "g": g }),
    )
    .await;
    let hold = "mutation($g: ID!, $p: Int!) { holdPoints(input: { guest: { id: $g }, points: $p, totalMinor: 100000 }) { id status points } }";
    let too_much = app
        .gql(Some(&s.owner.access), hold, json!({ "g": g, "p": 301 }))
        .await;
    assert_eq!(
        code(&too_much),
        Some("VALIDATION"),
        "more than the level's share of the total"
    );
    let h = app
        .ok(Some(&s.owner.access), hold, json!({ "g": g, "p": 50 }))
        .await["holdPoints"]["id"]
        .as_str()
        .expect("hold")
        .to_owned();
    assert_eq!(card(&app, &s, &g).await["account"]["available"], 150);

    // The check closes with the hold: a redemption of 50, accrual on the rest.
    let vars = json!({ "i": { "locationId": s.location, "guest": { "id": g }, "totalMinor": 100_000, "holdId": h, "externalId": "h-1" } });
    let r = app.ok(Some(&s.owner.access), PROCESS, vars).await["processCheck"].clone();
    assert_eq!(r["redeemed"], 50);
    assert_eq!(r["earned"], 28, "3 % of 950 RUB");
    assert_eq!(r["balance"], 178);
    // A hold resolves once.
    let twice = app
        .gql(
            Some(&s.owner.access),
            "mutation($h: ID!) { captureHold(id: $h) { status } }",
            json!({ "h": h }),
        )
        .await;
    assert_eq!(code(&twice), Some("CONFLICT"));
    let void = app
        .gql(
            Some(&s.owner.access),
            "mutation($h: ID!) { voidHold(id: $h) { status } }",
            json!({ "h": h }),
        )
        .await;
    assert_eq!(code(&void), Some("CONFLICT"));

    let h2 = app
        .ok(Some(&s.owner.access), hold, json!({ "g": g, "p": 70 }))
        .await["holdPoints"]["id"]
        .as_str()
        .expect("hold")
        .to_owned();
    let voided = app
        .ok(
            Some(&s.owner.access),
            "mutation($h: ID!) { voidHold(id: $h) { status } }",
            json!({ "h": h2 }),
        )
        .await;
    assert_eq!(voided["voidHold"]["status"], "VOIDED");

    let h3 = app
        .ok(Some(&s.owner.access), hold, json!({ "g": g, "p": 40 }))
        .await["holdPoints"]["id"]
        .as_str()
        .expect("hold")
        .to_owned();
    app.clock.advance(chrono::Duration::minutes(16));
    relogin(&app, &mut s).await;
    let late = json!({ "i": { "locationId": s.location, "guest": { "id": g }, "totalMinor": 100_000, "holdId": h3, "externalId": "h-3" } });
    assert_eq!(
        code(&app.gql(Some(&s.owner.access), PROCESS, late).await),
        Some("CONFLICT"),
        "an expired hold cannot be captured"
    );
    let tenant = Ctx::system(TenantId::from_str(&s.owner.tenant_id).expect("tenant"));
    assert_eq!(
        app.loyalty
            .expire_holds(&tenant)
            .await
            .expect("expire holds"),
        1
    );
    let c = card(&app, &s, &g).await;
    assert_eq!(
        (
            c["account"]["balance"].as_i64(),
            c["account"]["held"].as_i64()
        ),
        (Some(178), Some(0))
    );
    assert_consistent(&c);
}
both_backends!(holds_resolve_once_and_expire_by_themselves);

async fn points_expire_exactly_oldest_lots_first_and_reversals_undo_checks(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut s = shop(&app).await;
    let g = guest(&app, &s, "+7 900 000-00-05").await;
    let tenant = Ctx::system(TenantId::from_str(&s.owner.tenant_id).expect("tenant"));
    let adjust = "mutation($g: ID!, $p: Int!) { adjustPoints(guestId: $g, points: $p, reason: \"lot\") { balance } }";
    app.ok(Some(&s.owner.access), adjust, json!({ "g": g, "p": 100 }))
        .await; // lot A, expires day 365
    app.clock.advance(chrono::Duration::days(200));
    relogin(&app, &mut s).await;
    app.ok(Some(&s.owner.access), adjust, json!({ "g": g, "p": 50 }))
        .await; // lot B, expires day 565
    app.ok(Some(&s.owner.access), adjust, json!({ "g": g, "p": -30 }))
        .await; // takes 30 from lot A
    app.clock.advance(chrono::Duration::days(166)); // day 366: lot A (70 left) expired
    relogin(&app, &mut s).await;
    assert_eq!(app.loyalty.expire_points(&tenant).await.expect("expire"), 1);
    let c = card(&app, &s, &g).await;
    assert_eq!(
        c["account"]["balance"], 50,
        "exactly the 70 left of lot A expired"
    );
    assert_consistent(&c);
    assert_eq!(
        app.loyalty
            .expire_points(&tenant)
            .await
            .expect("expire again"),
        0,
        "nothing twice"
    );

    // Reversal: the check's earned points go, redeemed points come back.
    let mut vars = check(&s, &g, 100_000, "rev-1");
    vars["i"]["redeemPoints"] = json!(20);
    let r = app.ok(Some(&s.owner.access), PROCESS, vars).await["processCheck"].clone();
    assert_eq!(r["balance"], 50 - 20 + 29);
    let reverse = "mutation($c: ID!) { reverseCheck(id: $c, reason: \"wrong guest\") { balance } }";
    let rev = app
        .ok(Some(&s.owner.access), reverse, json!({ "c": r["checkId"] }))
        .await;
    assert_eq!(rev["reverseCheck"]["balance"], 50);
    assert_eq!(
        code(
            &app.gql(Some(&s.owner.access), reverse, json!({ "c": r["checkId"] }))
                .await
        ),
        Some("CONFLICT"),
        "once"
    );
    let c = card(&app, &s, &g).await;
    assert_consistent(&c);
}
both_backends!(points_expire_exactly_oldest_lots_first_and_reversals_undo_checks);

async fn levels_and_settings_are_validated_and_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let levels = app
        .ok(
            Some(&s.owner.access),
            "{ levels { id name thresholdMinor cashbackBp maxRedeemBp } }",
            json!({}),
        )
        .await;
    let names: Vec<&str> = levels["levels"]
        .as_array()
        .expect("levels")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(
        names,
        vec!["Bronze", "Silver", "Gold"],
        "defaults from the product card"
    );
    assert_eq!(levels["levels"][1]["thresholdMinor"], 1_000_000);
    assert_eq!(levels["levels"][1]["cashbackBp"], 500);

    let create = "mutation($i: LevelInput!) { createLevel(input: $i) { name } }";
    let bad = [
        json!({ "name": "Platinum", "thresholdMinor": 1_000_000, "cashbackBp": 900, "maxRedeemBp": 6000 }),
        json!({ "name": "Platinum", "thresholdMinor": 9_000_000, "cashbackBp": 10_001, "maxRedeemBp": 6000 }),
        json!({ "name": "gold", "thresholdMinor": 9_000_000, "cashbackBp": 900, "maxRedeemBp": 6000 }),
        json!({ "name": " ", "thresholdMinor": 9_000_000, "cashbackBp": 900, "maxRedeemBp": 6000 }),
        json!({ "name": "Minus", "thresholdMinor": -1, "cashbackBp": 900, "maxRedeemBp": 6000 }),
    ];
    for i in bad {
        assert_eq!(
            code(
                &app.gql(Some(&s.owner.access), create, json!({ "i": i.clone() }))
                    .await
            ),
            Some("VALIDATION"),
            "{i}"
        );
    }
    let ok = app
        .ok(Some(&s.owner.access), create, json!({ "i": { "name": "Platinum", "thresholdMinor": 9_000_000, "cashbackBp": 900, "maxRedeemBp": 6000 } }))
        .await;
    assert_eq!(ok["createLevel"].as_array().map(Vec::len), Some(4));
    let bronze = levels["levels"][0]["id"].clone();
    let del = app
        .gql(
            Some(&s.owner.access),
            "mutation($id: ID!) { deleteLevel(id: $id) { name } }",
            json!({ "id": bronze }),
        )
        .await;
    assert_eq!(code(&del), Some("VALIDATION"), "the level from 0 stays");

    let settings = "mutation($i: LoyaltySettingsInput!) { updateLoyaltySettings(input: $i) { expiryDays spendBasis pointValueMinor holdTtlSeconds } }";
    let bad_ttl = app.gql(Some(&s.owner.access), settings, json!({ "i": { "expiryDays": 30, "spendBasis": "LIFETIME", "pointValueMinor": 100, "holdTtlSeconds": 5 } })).await;
    assert_eq!(code(&bad_ttl), Some("VALIDATION"));
    let never = app.ok(Some(&s.owner.access), settings, json!({ "i": { "expiryDays": null, "spendBasis": "ROLLING_365", "pointValueMinor": 50, "holdTtlSeconds": 600 } })).await;
    assert_eq!(never["updateLoyaltySettings"]["expiryDays"], Value::Null);
    let audit = app
        .ok(
            Some(&s.owner.access),
            "{ auditLog(action: \"loyalty.create_level\") { totalCount nodes { actorEmail } } }",
            json!({}),
        )
        .await;
    assert_eq!(audit["auditLog"]["totalCount"], 1);
    assert_eq!(
        audit["auditLog"]["nodes"][0]["actorEmail"],
        s.owner.email.as_str(),
        "every entry names its actor"
    );
}
both_backends!(levels_and_settings_are_validated_and_audited);

async fn a_check_too_small_to_earn_still_reports_the_balance(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let g = guest(&app, &s, "+7 900 000-00-06").await;
    app.ok(
        Some(&s.owner.access),
        "mutation($g: ID!) { adjustPoints(guestId: $g, points: 167, reason: \"x\") { balance } }",
        json!({ "g": g }),
    )
    .await;
    // 2.72 RUB at 3 % is 0 points: nothing redeemed, nothing earned.
    let r = app
        .ok(Some(&s.owner.access), PROCESS, check(&s, &g, 272, "tiny"))
        .await["processCheck"]
        .clone();
    assert_eq!(
        (
            r["earned"].as_i64(),
            r["balance"].as_i64(),
            r["available"].as_i64()
        ),
        (Some(0), Some(167), Some(167)),
        "{r}"
    );
}
both_backends!(a_check_too_small_to_earn_still_reports_the_balance);

async fn merging_moves_points_and_forgetting_erases_personal_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let a = guest(&app, &s, "+7 900 000-00-07").await;
    let b = guest(&app, &s, "+7 900 000-00-08").await;
    let adjust = "mutation($g: ID!, $p: Int!) { adjustPoints(guestId: $g, points: $p, reason: \"x\") { balance } }";
    app.ok(Some(&s.owner.access), adjust, json!({ "g": a, "p": 100 }))
        .await;
    app.ok(
        Some(&s.owner.access),
        PROCESS,
        check(&s, &b, 100_000, "m-1"),
    )
    .await;

    let merge = "mutation($s: ID!, $t: ID!) { mergeGuests(sourceId: $s, targetId: $t) { id phone lifetimeSpendMinor } }";
    assert_eq!(
        code(
            &app.gql(Some(&s.owner.access), merge, json!({ "s": a, "t": a }))
                .await
        ),
        Some("VALIDATION")
    );
    let hold = app
        .ok(
            Some(&s.owner.access),
            "mutation($g: ID!) { holdPoints(input: { guest: { id: $g }, points: 10 }) { id } }",
            json!({ "g": a }),
        )
        .await["holdPoints"]["id"]
        .clone();
    assert_eq!(
        code(
            &app.gql(Some(&s.owner.access), merge, json!({ "s": a, "t": b }))
                .await
        ),
        Some("CONFLICT"),
        "pending holds first"
    );
    app.ok(
        Some(&s.owner.access),
        "mutation($h: ID!) { voidHold(id: $h) { status } }",
        json!({ "h": hold }),
    )
    .await;

    let merged = app
        .ok(Some(&s.owner.access), merge, json!({ "s": a, "t": b }))
        .await;
    assert_eq!(merged["mergeGuests"]["phone"], "+79000000008");
    assert_eq!(merged["mergeGuests"]["lifetimeSpendMinor"], 100_000);
    let cb = card(&app, &s, &b).await;
    assert_eq!(cb["account"]["balance"], 130);
    assert_consistent(&cb);
    let ca = card(&app, &s, &a).await;
    assert_eq!(ca["account"]["balance"], 0);
    assert_consistent(&ca);
    let by_old_phone = json!({ "i": { "locationId": s.location, "guest": { "phone": "+79000000007" }, "totalMinor": 1000, "externalId": "m-2" } });
    assert_eq!(
        code(&app.gql(Some(&s.owner.access), PROCESS, by_old_phone).await),
        Some("NOT_FOUND")
    );
    assert_eq!(
        code(
            &app.gql(Some(&s.owner.access), merge, json!({ "s": a, "t": b }))
                .await
        ),
        Some("NOT_FOUND"),
        "once"
    );

    let before = app
        .ok(
            Some(&s.owner.access),
            "query($id: ID!) { guest(id: $id) { cardCode } }",
            json!({ "id": b }),
        )
        .await;
    let forgotten = app
        .ok(
            Some(&s.owner.access),
            "mutation($id: ID!) { forgetGuest(id: $id) { phone name birthday cardCode } }",
            json!({ "id": b }),
        )
        .await;
    assert_eq!(forgotten["forgetGuest"]["phone"], Value::Null);
    assert_eq!(forgotten["forgetGuest"]["name"], Value::Null);
    assert_ne!(
        forgotten["forgetGuest"]["cardCode"], before["guest"]["cardCode"],
        "old cards identify no one"
    );
    let found = app
        .ok(
            Some(&s.owner.access),
            "query($q: String) { guests(query: $q) { totalCount } }",
            json!({ "q": before["guest"]["cardCode"] }),
        )
        .await;
    assert_eq!(found["guests"]["totalCount"], 0);
    let kept = card(&app, &s, &b).await;
    assert_eq!(
        kept["account"]["balance"], 130,
        "the ledger and its totals stay"
    );
    assert_consistent(&kept);
    let audit = app
        .ok(
            Some(&s.owner.access),
            "{ auditLog(action: \"guest.forget\") { totalCount nodes { details } } }",
            json!({}),
        )
        .await;
    assert_eq!(audit["auditLog"]["totalCount"], 1);
    assert!(
        !audit.to_string().contains("900000"),
        "no personal data in the audit log"
    );
}
both_backends!(merging_moves_points_and_forgetting_erases_personal_data);

async fn a_retried_check_paid_by_a_hold_gets_its_receipt_again(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let g = guest(&app, &s, "+7 900 000-00-09").await;
    app.ok(
        Some(&s.owner.access),
        "mutation($g: ID!) { adjustPoints(guestId: $g, points: 100, reason: \"x\") { balance } }",
        json!({ "g": g }),
    )
    .await;
    let h = app
        .ok(
            Some(&s.owner.access),
            "mutation($g: ID!) { holdPoints(input: { guest: { id: $g }, points: 40 }) { id } }",
            json!({ "g": g }),
        )
        .await["holdPoints"]["id"]
        .clone();
    let vars = json!({ "i": { "locationId": s.location, "guest": { "id": g }, "totalMinor": 100_000, "holdId": h, "externalId": "pos-9" } });
    let first = app.ok(Some(&s.owner.access), PROCESS, vars.clone()).await;
    // The POS did not hear the answer and sends the same check again: same receipt, no error.
    let again = app.ok(Some(&s.owner.access), PROCESS, vars).await;
    assert_eq!(first, again);
    assert_consistent(&card(&app, &s, &g).await);
}
both_backends!(a_retried_check_paid_by_a_hold_gets_its_receipt_again);

async fn the_monthly_review_lowers_levels_only_there_and_follows_the_spend_basis(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut s = shop(&app).await;
    let rolling = guest(&app, &s, "+7 900 000-00-10").await;
    let lifetime = guest(&app, &s, "+7 900 000-00-11").await;
    for (g, ext) in [(&rolling, "r-1"), (&lifetime, "l-1")] {
        let r = app
            .ok(Some(&s.owner.access), PROCESS, check(&s, g, 1_200_000, ext))
            .await;
        assert_eq!(r["processCheck"]["levelAfter"]["name"], "Silver");
    }
    let tenant = Ctx::system(TenantId::from_str(&s.owner.tenant_id).expect("tenant"));
    assert_eq!(
        app.loyalty.review_levels(&tenant).await.expect("review"),
        0,
        "nothing to change yet"
    );

    // A year without visits: under the rolling basis the spend that counts is 0.
    app.clock.advance(chrono::Duration::days(400));
    relogin(&app, &mut s).await;
    assert_eq!(
        app.loyalty.review_levels(&tenant).await.expect("review"),
        0,
        "lifetime basis keeps Silver"
    );
    let settings = "mutation { updateLoyaltySettings(input: { expiryDays: 365, spendBasis: ROLLING_365, pointValueMinor: 100, holdTtlSeconds: 900 }) { spendBasis } }";
    app.ok(Some(&s.owner.access), settings, json!({})).await;
    assert_eq!(app.loyalty.review_levels(&tenant).await.expect("review"), 2);
    for g in [&rolling, &lifetime] {
        assert_eq!(card(&app, &s, g).await["level"]["name"], "Bronze");
    }
    assert_eq!(
        app.loyalty.review_levels(&tenant).await.expect("review"),
        0,
        "a second review changes nothing"
    );
    let audit = app
        .ok(
            Some(&s.owner.access),
            "{ auditLog(action: \"loyalty.level_review\") { totalCount nodes { details } } }",
            json!({}),
        )
        .await;
    assert_eq!(audit["auditLog"]["totalCount"], 2);
    assert!(audit.to_string().contains("Silver"));
}
both_backends!(the_monthly_review_lowers_levels_only_there_and_follows_the_spend_basis);

async fn names_are_found_by_the_beginning_of_a_word_and_wildcards_mean_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    for (phone, name) in [
        ("+79990008001", "Анна Петрова"),
        ("+79990008002", "анастасия"),
        ("+79990008003", "Борис"),
        ("+79990008004", "Annie"),
        ("+79990008005", "An%drew"),
    ] {
        app.ok(
            Some(&s.owner.access),
            "mutation($p: String!, $n: String!) { createGuest(input: { phone: $p, name: $n }) { id } }",
            json!({ "p": phone, "n": name }),
        )
        .await;
    }
    let count = |q: &'static str| {
        let app = &app;
        let token = s.owner.access.clone();
        async move {
            app.ok(
                Some(&token),
                "query($q: String) { guests(query: $q) { totalCount } }",
                json!({ "q": q }),
            )
            .await["guests"]["totalCount"]
                .as_i64()
                .expect("count")
        }
    };
    assert_eq!(count("Ан").await, 2);
    assert_eq!(count("анна").await, 1);
    assert_eq!(count("ANN").await, 1);
    assert_eq!(count("an%").await, 1, "% is a character, not a wildcard");
    assert_eq!(count("an_").await, 0);
    assert_eq!(count("Бор").await, 1);
    assert_eq!(count("Петрова").await, 1, "a surname finds its guest");
    assert_eq!(count("етрова").await, 0, "words match from their beginning");
}
both_backends!(names_are_found_by_the_beginning_of_a_word_and_wildcards_mean_nothing);

/// A search lists the best matches first: the same name before longer ones
/// (alphabetically), a whole phone number before the other phones ending with
/// its digits (the latest visitor first); pages run across the ranks both
/// ways, and cursors are checked.
async fn guests_are_ranked_best_match_first_and_paged_across_ranks(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let mut ids = std::collections::HashMap::new();
    // Created out of rank order, so that id order would be wrong.
    for (key, phone, name) in [
        ("annabel", "+79990009001", "Аннабель"),
        ("anna-1", "+79990009002", "Анна"),
        ("anna-petrova", "+79990009003", "Анна Петрова"),
        ("anna-2", "+79990009004", "анна"),
        ("anastasia", "+79990009005", "Анастасия"),
        ("petya", "+79990009006", "Петя"),
        ("us", "+1 916 123 4567", "Гость"),
        ("de", "+49161234567", "Гость"),
        ("home", "8 916 123-45-67", "Гость"),
    ] {
        let id = app
            .ok(
                Some(&s.owner.access),
                "mutation($p: String!, $n: String!) { createGuest(input: { phone: $p, name: $n }) { id } }",
                json!({ "p": phone, "n": name }),
            )
            .await["createGuest"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        ids.insert(id, key);
    }
    let search = |q: &'static str, page: Value| {
        let app = &app;
        let token = s.owner.access.clone();
        let ids = ids.clone();
        async move {
            let mut vars = json!({ "q": q });
            vars.as_object_mut()
                .expect("vars")
                .extend(page.as_object().expect("page").clone());
            let r = app
                .gql(
                    Some(&token),
                    "query($q: String, $first: Int, $last: Int, $after: String, $before: String) { guests(query: $q, first: $first, last: $last, after: $after, before: $before) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { cursor node { id } } } }",
                    vars,
                )
                .await;
            let keys: Vec<&'static str> = r["data"]["guests"]["edges"]
                .as_array()
                .map(|edges| {
                    edges
                        .iter()
                        .map(|e| ids[e["node"]["id"].as_str().expect("id")])
                        .collect()
                })
                .unwrap_or_default();
            let cursors: Vec<String> = r["data"]["guests"]["edges"]
                .as_array()
                .map(|edges| {
                    edges
                        .iter()
                        .map(|e| e["cursor"].as_str().expect("cursor").to_owned())
                        .collect()
                })
                .unwrap_or_default();
            (r, keys, cursors)
        }
    };

    // Names: the same name (id order), then longer ones alphabetically.
    let (r, all, cursors) = search("Анна", json!({})).await;
    assert_eq!(all, ["anna-1", "anna-2", "anna-petrova", "annabel"]);
    assert_eq!(r["data"]["guests"]["totalCount"], 4);
    // One at a time, forwards across the ranks.
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let (r, keys, cursors) = search("Анна", json!({ "first": 1, "after": after })).await;
        assert_eq!(r["data"]["guests"]["totalCount"], 4, "{r}");
        assert_eq!(
            r["data"]["guests"]["pageInfo"]["hasPreviousPage"],
            after.is_some()
        );
        walked.extend(keys);
        if r["data"]["guests"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = cursors.last().cloned();
    }
    assert_eq!(walked, all);
    // Backwards: the last two, then the two before them.
    let (r, keys, back) = search("Анна", json!({ "last": 2 })).await;
    assert_eq!(keys, ["anna-petrova", "annabel"]);
    assert_eq!(r["data"]["guests"]["pageInfo"]["hasPreviousPage"], true);
    let (r, keys, _) = search("Анна", json!({ "last": 2, "before": back[0] })).await;
    assert_eq!(keys, ["anna-1", "anna-2"]);
    assert_eq!(r["data"]["guests"]["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(r["data"]["guests"]["pageInfo"]["hasNextPage"], true);
    // From the middle of the longer names.
    let (_, keys, _) = search("Анна", json!({ "first": 5, "after": cursors[2] })).await;
    assert_eq!(keys, ["annabel"]);
    // Case and spacing do not change the search, nor void its cursors.
    let (_, keys, _) = search("  анна ", json!({ "first": 5, "after": cursors[2] })).await;
    assert_eq!(keys, ["annabel"]);
    // A cursor belongs to its query: another search refuses it.
    for (q, page) in [
        ("ан", json!({ "first": 5, "after": cursors[2] })),
        ("пет", json!({ "last": 2, "before": back[0] })),
    ] {
        let (r, keys, _) = search(q, page).await;
        assert!(keys.is_empty(), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION", "{r}");
        let message = r["errors"][0]["message"].as_str().expect("a message");
        assert!(message.contains("another search"), "{r}");
    }
    let (_, keys, _) = search("ан", json!({})).await;
    assert_eq!(
        keys,
        ["anastasia", "anna-1", "anna-2", "anna-petrova", "annabel"],
        "«ан» is no one's whole name: every match is ordered by name"
    );

    // A surname: names starting with it first, then later words (by name).
    let (r, keys, _) = search("пет", json!({})).await;
    assert_eq!(keys, ["petya", "anna-petrova"]);
    assert_eq!(r["data"]["guests"]["totalCount"], 2);
    // The words follow the name: renamed, then forgotten.
    let petrova = ids
        .iter()
        .find(|(_, k)| **k == "anna-petrova")
        .map(|(id, _)| id.clone())
        .expect("id");
    app.ok(
        Some(&s.owner.access),
        "mutation($id: ID!) { updateGuest(id: $id, input: { name: \"Анна Сидорова-Ким\" }) { id } }",
        json!({ "id": petrova }),
    )
    .await;
    assert_eq!(search("пет", json!({})).await.1, ["petya"]);
    assert_eq!(search("сидорова-к", json!({})).await.1, ["anna-petrova"]);
    app.ok(
        Some(&s.owner.access),
        "mutation($id: ID!) { forgetGuest(id: $id) { id } }",
        json!({ "id": petrova }),
    )
    .await;
    assert!(search("сид", json!({})).await.1.is_empty());
    // Merged: the guest kept keeps its name; the source is found no more.
    let id_of = |key: &str| {
        ids.iter()
            .find(|(_, k)| **k == key)
            .map(|(id, _)| id.clone())
            .expect("id")
    };
    app.ok(
        Some(&s.owner.access),
        "mutation($s: ID!, $t: ID!) { mergeGuests(sourceId: $s, targetId: $t) { id } }",
        json!({ "s": id_of("anastasia"), "t": id_of("us") }),
    )
    .await;
    assert_eq!(search("Гость", json!({})).await.1, ["us", "de", "home"]);
    assert!(
        search("анаст", json!({})).await.1.is_empty(),
        "the source is forgotten"
    );

    // Digits: the whole number first, then the other phones ending with them.
    let (r, keys, cursors) = search("916 123 45 67", json!({})).await;
    assert_eq!(keys, ["home", "us", "de"]);
    assert_eq!(r["data"]["guests"]["totalCount"], 3);
    let (_, keys, _) = search("916 123 45 67", json!({ "first": 1, "after": cursors[0] })).await;
    assert_eq!(keys, ["us"]);
    let (_, keys, _) = search("916 123 45 67", json!({ "last": 5, "before": cursors[1] })).await;
    assert_eq!(keys, ["home"]);
    // Four digits: phone endings only. Nobody has come yet: registration order.
    let (_, keys, _) = search("4567", json!({})).await;
    assert_eq!(keys, ["us", "de", "home"]);
    // Then the latest visitor first, those who never came last.
    let mut last_check = Value::Null;
    for (key, external) in [("home", "visit-1"), ("de", "visit-2")] {
        last_check = app
            .ok(
                Some(&s.owner.access),
                PROCESS,
                check(&s, &id_of(key), 10_000, external),
            )
            .await["processCheck"]["checkId"]
            .clone();
    }
    let (_, keys, cursors) = search("4567", json!({})).await;
    assert_eq!(keys, ["de", "home", "us"]);
    let visits = app
        .ok(
            Some(&s.owner.access),
            "query($a: ID!, $b: ID!) { a: guest(id: $a) { lastVisitAt } b: guest(id: $b) { lastVisitAt } }",
            json!({ "a": id_of("de"), "b": id_of("us") }),
        )
        .await;
    assert!(visits["a"]["lastVisitAt"].is_string(), "{visits}");
    assert!(visits["b"]["lastVisitAt"].is_null(), "{visits}");
    // Paged one at a time, both ways.
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let (r, keys, page) = search("4567", json!({ "first": 1, "after": after })).await;
        walked.extend(keys);
        if r["data"]["guests"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page.last().cloned();
    }
    assert_eq!(walked, ["de", "home", "us"]);
    let (_, keys, _) = search("4567", json!({ "last": 1, "before": cursors[2] })).await;
    assert_eq!(keys, ["home"]);
    let (_, keys, _) = search("4567", json!({ "last": 5, "before": cursors[1] })).await;
    assert_eq!(keys, ["de"]);
    let (_, keys, _) = search("4567", json!({ "first": 5, "after": cursors[1] })).await;
    assert_eq!(keys, ["us"]);
    // A reversal is not a visit: the order stays.
    app.ok(
        Some(&s.owner.access),
        "mutation($c: ID!) { reverseCheck(id: $c, reason: \"wrong guest\") { balance } }",
        json!({ "c": last_check }),
    )
    .await;
    let (_, keys, _) = search("4567", json!({})).await;
    assert_eq!(keys, ["de", "home", "us"]);
    // A merged record brings its visits along: the kept guest came last.
    let late = app
        .ok(
            Some(&s.owner.access),
            "mutation($p: String!) { createGuest(input: { phone: $p, name: \"Гость\" }) { id } }",
            json!({ "p": "+79000004567" }),
        )
        .await["createGuest"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.ok(
        Some(&s.owner.access),
        PROCESS,
        check(&s, &late, 10_000, "visit-3"),
    )
    .await;
    app.ok(
        Some(&s.owner.access),
        "mutation($s: ID!, $t: ID!) { mergeGuests(sourceId: $s, targetId: $t) { id } }",
        json!({ "s": late, "t": id_of("us") }),
    )
    .await;
    let (r, keys, _) = search("4567", json!({})).await;
    assert_eq!(keys, ["us", "de", "home"], "{r}");

    // A cursor of another list, or none at all, is refused.
    let ledger_like = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([7u8; 16])
    };
    for bad in [ledger_like.as_str(), "not a cursor", ""] {
        let (r, _, _) = search("Анна", json!({ "after": bad })).await;
        assert_eq!(code(&r), Some("VALIDATION"), "{bad}: {r}");
    }
}
both_backends!(guests_are_ranked_best_match_first_and_paged_across_ranks);

/// On the embedded default, migration 022 gives guests checked in before 021
/// their last visit, written exactly as a check writes it (the same text, so
/// search order and cursors treat both alike).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guests_from_before_the_last_visit_get_it_from_their_latest_check() {
    use migrations::MigratorTrait;
    use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.sign_up("Визиты", &unique_email("owner")).await;
    let location = app.first_location(&owner.access).await;
    let came = app.create_guest(&owner.access, "+79005550191").await;
    let never = app.create_guest(&owner.access, "+79005550192").await;
    for (n, total) in [(1, 40_000), (2, 60_000)] {
        app.ok(
            Some(&owner.access),
            "mutation($l: ID!, $g: ID!, $x: String!, $t: Int!) { processCheck(input: { locationId: $l, guest: { id: $g }, totalMinor: $t, externalId: $x }) { earned } }",
            json!({ "l": location, "g": came, "x": format!("visit-{n}"), "t": total }),
        )
        .await;
        app.clock.advance(chrono::Duration::milliseconds(1_234));
    }

    let db = Database::connect(app.database_url.as_str())
        .await
        .expect("sqlite");
    let visits = || {
        let db = db.clone();
        async move {
            db.query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT phone, last_visit_at FROM guests ORDER BY phone",
            ))
            .await
            .expect("query")
            .into_iter()
            .map(|r| {
                (
                    r.try_get::<String>("", "phone").expect("phone"),
                    r.try_get::<Option<String>>("", "last_visit_at")
                        .expect("visit"),
                )
            })
            .collect::<Vec<_>>()
        }
    };
    let written = visits().await;
    assert!(
        written[0].1.is_some() && written[1].1.is_none(),
        "{written:?}"
    );
    for sql in [
        "UPDATE guests SET last_visit_at = NULL",
        "DELETE FROM seaql_migrations WHERE version = 'm20261122_000022_backfills_as_owner'",
    ] {
        db.execute_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await
            .expect("statement");
    }
    migrations::Migrator::up(&db, None).await.expect("022 runs");
    assert_eq!(
        visits().await,
        written,
        "the latest check's time, as the check wrote it ({never} never came)"
    );
    let _ = db.close().await;
}
