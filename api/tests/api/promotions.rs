//! Promotions over GraphQL: welcome, birthday, multiplier and referral bonuses,
//! budget caps under concurrency, validation, the guest's view — on SQLite and
//! PostgreSQL.

use std::str::FromStr;

use chrono::{Datelike, Duration, FixedOffset};
use domain::ports::Clock;
use domain::{Ctx, TenantId};
use infra::telegram::init_data::sign_for_tests;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Session, TestApp, code, spawn_app, unique_email};

const CREATE: &str = "mutation($i: PromotionInput!) { createPromotion(input: $i) { id name kind budget granted remainingBudget budgetExhaustedAt archived rule { __typename ... on MultiplierRule { factorPercent weekdays hours { from to } locationIds } ... on BirthdayRule { points daysBefore daysAfter } ... on ReferralRule { referrerPoints refereePoints } ... on WelcomeRule { points } } } }";
const LIST: &str = "query($a: Boolean) { promotions(includeArchived: $a) { id name kind budget granted remainingBudget budgetExhaustedAt archived } }";
const PROCESS: &str = "mutation($i: ProcessCheckInput!) { processCheck(input: $i) { checkId earned balance rules { code points promotionId status description } } }";
const LEDGER: &str = "query($id: ID!) { guest(id: $id) { cardCode account { balance } ledger(first: 100) { nodes { kind amount reason } } } }";

struct Shop {
    owner: Session,
    location: String,
    tenant: Ctx,
}

async fn shop(app: &TestApp) -> Shop {
    let owner = app.sign_up("Промо", &unique_email("owner")).await;
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
    let tenant = Ctx::system(TenantId::from_str(&owner.tenant_id).expect("tenant"));
    Shop {
        owner,
        location,
        tenant,
    }
}

async fn create(app: &TestApp, s: &Shop, input: Value) -> Value {
    app.ok(Some(&s.owner.access), CREATE, json!({ "i": input }))
        .await["createPromotion"]
        .clone()
}

async fn guest_with(app: &TestApp, s: &Shop, input: Value) -> Value {
    app.gql(
        Some(&s.owner.access),
        "mutation($i: CreateGuestInput!) { createGuest(input: $i) { id cardCode } }",
        json!({ "i": input }),
    )
    .await
}

async fn guest(app: &TestApp, s: &Shop, phone: &str) -> String {
    guest_with(app, s, json!({ "phone": phone })).await["data"]["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned()
}

fn check(s: &Shop, g: &str, total: i64, ext: &str) -> Value {
    json!({ "i": { "locationId": s.location, "guest": { "id": g }, "totalMinor": total, "externalId": ext } })
}

async fn ledger(app: &TestApp, s: &Shop, g: &str) -> Value {
    app.ok(Some(&s.owner.access), LEDGER, json!({ "id": g }))
        .await["guest"]
        .clone()
}

fn balance(card: &Value) -> i64 {
    card["account"]["balance"].as_i64().expect("balance")
}

fn bonus_entries(card: &Value) -> Vec<i64> {
    card["ledger"]["nodes"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["kind"] == "PROMOTION_BONUS")
        .map(|e| e["amount"].as_i64().unwrap_or(0))
        .collect()
}

/// Today's weekday in the business's default time (UTC+3), as the API names it.
fn weekday_today(app: &TestApp, days: i64) -> &'static str {
    let local = (app.clock.now() + Duration::days(days))
        .with_timezone(&FixedOffset::east_opt(3 * 3600).expect("offset"));
    ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
        [local.weekday().num_days_from_monday() as usize]
}

async fn multipliers_multiply_the_cashback_and_stop_at_their_budget(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    // ×2 today at this location, capped at 40 points; a ×3 for tomorrow only.
    let x2 = create(
        &app,
        &s,
        json!({ "name": "Двойные баллы", "budget": 40, "rule": { "multiplier": {
            "factorPercent": 200, "weekdays": [weekday_today(&app, 0)], "locationIds": [s.location] } } }),
    )
    .await;
    assert_eq!(x2["kind"], "MULTIPLIER");
    assert_eq!(x2["rule"]["__typename"], "MultiplierRule");
    assert_eq!(x2["remainingBudget"], 40);
    create(
        &app,
        &s,
        json!({ "name": "Завтра ×3", "rule": { "multiplier": {
            "factorPercent": 300, "weekdays": [weekday_today(&app, 1)] } } }),
    )
    .await;
    let g = guest(&app, &s, "+79990001001").await;

    // 1 000.00 at Bronze (3 %) = 30; ×2 adds 30.
    let r = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &g, 100_000, "m-1"),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(r["earned"], 60, "{r}");
    assert_eq!(r["balance"], 60);
    let rule = r["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|x| x["code"] == "promotion_multiplier")
        .expect("the multiplier is on the receipt")
        .clone();
    assert_eq!(rule["points"], 30);
    assert_eq!(rule["status"], "GRANTED");
    assert_eq!(rule["promotionId"], x2["id"]);
    // A replay changes nothing and answers the same receipt.
    let again = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &g, 100_000, "m-1"),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(again, r);

    // The next ×2 would need 30 more: only 10 are left, so it grants nothing and says so.
    let r2 = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &g, 100_000, "m-2"),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(r2["earned"], 30, "{r2}");
    let exhausted = r2["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|x| x["code"] == "promotion_multiplier")
        .expect("the refused multiplier is on the receipt")
        .clone();
    assert_eq!(exhausted["status"], "BUDGET_EXHAUSTED");
    assert_eq!(exhausted["points"], 0);
    let list = app.ok(Some(&s.owner.access), LIST, json!({})).await["promotions"].clone();
    let p = list
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["id"] == x2["id"])
        .expect("listed")
        .clone();
    assert_eq!(p["granted"], 30);
    assert_eq!(p["remainingBudget"], 10);
    assert!(p["budgetExhaustedAt"].is_string(), "{p}");

    // Raising the cap lets it grant again.
    let raised = app
        .ok(
            Some(&s.owner.access),
            "mutation($id: ID!, $i: PromotionInput!) { updatePromotion(id: $id, input: $i) { budget remainingBudget budgetExhaustedAt } }",
            json!({ "id": x2["id"], "i": { "name": "Двойные баллы", "budget": 100, "rule": { "multiplier": {
                "factorPercent": 200, "weekdays": [weekday_today(&app, 0)], "locationIds": [s.location] } } } }),
        )
        .await["updatePromotion"]
        .clone();
    assert_eq!(raised["remainingBudget"], 70);
    assert!(raised["budgetExhaustedAt"].is_null());
    let r3 = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &g, 100_000, "m-3"),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(r3["earned"], 60);

    // Reversing the first check takes back its accrual and its bonus.
    app.ok(
        Some(&s.owner.access),
        "mutation($id: ID!) { reverseCheck(id: $id, reason: \"ошибка кассира\") { balance } }",
        json!({ "id": r["checkId"] }),
    )
    .await;
    let card = ledger(&app, &s, &g).await;
    assert_eq!(balance(&card), 60 + 30 + 60 - 60);
    assert_eq!(bonus_entries(&card), vec![30, 30]);
}
both_backends!(multipliers_multiply_the_cashback_and_stop_at_their_budget);

async fn a_budget_holds_under_concurrent_checks(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    create(
        &app,
        &s,
        json!({ "name": "×2", "budget": 90, "rule": { "multiplier": { "factorPercent": 200 } } }),
    )
    .await;
    let mut guests = Vec::new();
    for i in 0..10 {
        guests.push(guest(&app, &s, &format!("+7999000{:04}", 2000 + i)).await);
    }
    let runs = guests.iter().enumerate().map(|(i, g)| {
        let vars = check(&s, g, 100_000, &format!("c-{i}"));
        let app = &app;
        let token = s.owner.access.clone();
        async move { app.ok(Some(&token), PROCESS, vars).await }
    });
    let receipts = futures_util::future::join_all(runs).await;
    let bonuses: i64 = receipts
        .iter()
        .map(|r| r["processCheck"]["earned"].as_i64().expect("earned") - 30)
        .sum();
    assert_eq!(bonuses, 90, "exactly the budget is granted");
    let granted_receipts = receipts
        .iter()
        .filter(|r| r["processCheck"]["earned"] == 60)
        .count();
    assert_eq!(granted_receipts, 3);
    let list = app.ok(Some(&s.owner.access), LIST, json!({})).await;
    assert_eq!(list["promotions"][0]["granted"], 90);
    assert_eq!(list["promotions"][0]["remainingBudget"], 0);
}
both_backends!(a_budget_holds_under_concurrent_checks);

async fn welcome_and_referral_bonuses_are_granted_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    create(
        &app,
        &s,
        json!({ "name": "Добро пожаловать", "budget": 75, "rule": { "welcome": { "points": 50 } } }),
    )
    .await;
    create(
        &app,
        &s,
        json!({ "name": "Приведи друга", "rule": { "referral": { "referrerPoints": 100, "refereePoints": 40 } } }),
    )
    .await;
    let a = guest_with(&app, &s, json!({ "phone": "+79990003001" })).await["data"]["createGuest"]
        .clone();
    let a_id = a["id"].as_str().expect("id").to_owned();
    assert_eq!(balance(&ledger(&app, &s, &a_id).await), 50, "welcome bonus");

    // An unknown referral code is refused and registers nobody.
    let bad = guest_with(
        &app,
        &s,
        json!({ "phone": "+79990003002", "referralCode": "ZZZZ-ZZZZ" }),
    )
    .await;
    assert_eq!(code(&bad), Some("VALIDATION"));
    assert_eq!(bad["errors"][0]["extensions"]["field"], "referralCode");
    let found = app
        .ok(
            Some(&s.owner.access),
            "{ guests(query: \"3002\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(found["guests"]["totalCount"], 0);

    // B, invited by A: the welcome budget has only 25 left, so B gets no welcome.
    let b = guest_with(
        &app,
        &s,
        json!({ "phone": "+79990003002", "referralCode": a["cardCode"] }),
    )
    .await["data"]["createGuest"]
        .clone();
    let b_id = b["id"].as_str().expect("id").to_owned();
    assert_eq!(balance(&ledger(&app, &s, &b_id).await), 0);

    // B's first check grants both sides; the second grants nothing more.
    let r = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &b_id, 10_000, "r-1"),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(r["earned"], 3 + 40, "{r}");
    assert!(
        r["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .any(|x| x["code"] == "promotion_referral" && x["status"] == "GRANTED")
    );
    assert_eq!(balance(&ledger(&app, &s, &a_id).await), 50 + 100);
    let r2 = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &b_id, 10_000, "r-2"),
        )
        .await["processCheck"]
        .clone();
    assert_eq!(r2["earned"], 3);
    assert_eq!(balance(&ledger(&app, &s, &a_id).await), 150);
    // Reversing B's first check keeps the referral bonuses (they were for the visit, not the amount).
    app.ok(
        Some(&s.owner.access),
        "mutation($id: ID!) { reverseCheck(id: $id, reason: \"возврат\") { balance } }",
        json!({ "id": r["checkId"] }),
    )
    .await;
    assert_eq!(balance(&ledger(&app, &s, &b_id).await), 3 + 40 + 3 - 3);
}
both_backends!(welcome_and_referral_bonuses_are_granted_once);

async fn birthday_bonuses_come_once_a_year_in_the_window(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    create(
        &app,
        &s,
        json!({ "name": "С днём рождения", "rule": { "birthday": { "points": 200, "daysBefore": 3, "daysAfter": 3 } } }),
    )
    .await;
    let local_today = app
        .clock
        .now()
        .with_timezone(&FixedOffset::east_opt(3 * 3600).expect("offset"))
        .date_naive();
    let soon = local_today + Duration::days(2);
    let far = local_today + Duration::days(40);
    let bday = |d: chrono::NaiveDate| {
        chrono::NaiveDate::from_ymd_opt(1990, d.month(), d.day())
            .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(1990, 2, 28).expect("date"))
    };
    let near = guest_with(
        &app,
        &s,
        json!({ "phone": "+79990004001", "birthday": bday(soon).to_string() }),
    )
    .await["data"]["createGuest"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let later = guest_with(
        &app,
        &s,
        json!({ "phone": "+79990004002", "birthday": bday(far).to_string() }),
    )
    .await["data"]["createGuest"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(
        app.loyalty
            .grant_birthday_bonuses(&s.tenant)
            .await
            .expect("sweep"),
        1
    );
    // The daily job may run again (or on two servers): nothing doubles.
    assert_eq!(
        app.loyalty
            .grant_birthday_bonuses(&s.tenant)
            .await
            .expect("sweep"),
        0
    );
    assert_eq!(balance(&ledger(&app, &s, &near).await), 200);
    assert_eq!(balance(&ledger(&app, &s, &later).await), 0);
    // 38 days later the other guest's window opens; the first one's is over.
    app.clock.advance(Duration::days(38));
    let mut s = s;
    s.owner.access =
        app.login(&s.owner.email, crate::helpers::PASSWORD).await["data"]["login"]["accessToken"]
            .as_str()
            .expect("access")
            .to_owned();
    assert_eq!(
        app.loyalty
            .grant_birthday_bonuses(&s.tenant)
            .await
            .expect("sweep"),
        1
    );
    assert_eq!(balance(&ledger(&app, &s, &later).await), 200);
    assert_eq!(balance(&ledger(&app, &s, &near).await), 200);
}
both_backends!(birthday_bonuses_come_once_a_year_in_the_window);

async fn bad_promotions_get_clear_errors_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let cases = [
        (
            json!({ "name": "x", "rule": { "welcome": { "points": 0 } } }),
            "points",
        ),
        (
            json!({ "name": "x", "rule": { "multiplier": { "factorPercent": 100 } } }),
            "factorPercent",
        ),
        (
            json!({ "name": "x", "rule": { "multiplier": { "factorPercent": 200, "hours": { "from": 5, "to": 5 } } } }),
            "hours",
        ),
        (
            json!({ "name": "x", "rule": { "multiplier": { "factorPercent": 200, "locationIds": ["0190a000-0000-7000-8000-000000000000"] } } }),
            "locations",
        ),
        (
            json!({ "name": "x", "rule": { "birthday": { "points": 10, "daysBefore": 31, "daysAfter": 0 } } }),
            "daysBefore",
        ),
        (
            json!({ "name": "x", "startsOn": "2027-02-01", "endsOn": "2027-01-01", "rule": { "welcome": { "points": 10 } } }),
            "endsOn",
        ),
        (
            json!({ "name": "x", "budget": 0, "rule": { "welcome": { "points": 10 } } }),
            "budget",
        ),
        (
            json!({ "name": "  ", "rule": { "welcome": { "points": 10 } } }),
            "name",
        ),
    ];
    for (input, field) in cases {
        let r = app
            .gql(Some(&s.owner.access), CREATE, json!({ "i": input }))
            .await;
        assert_eq!(code(&r), Some("VALIDATION"), "{input}: {r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], field, "{input}: {r}");
    }
    let two_kinds = app
        .gql(
            Some(&s.owner.access),
            CREATE,
            json!({ "i": { "name": "x", "rule": { "welcome": { "points": 10 }, "referral": { "referrerPoints": 1, "refereePoints": 1 } } } }),
        )
        .await;
    assert!(two_kinds["errors"].is_array(), "{two_kinds}");
    let none = app
        .ok(Some(&s.owner.access), LIST, json!({ "a": true }))
        .await;
    assert_eq!(none["promotions"], json!([]), "nothing was created");

    // The kind stays; an archived promotion is read-only and grants nothing.
    let p = create(
        &app,
        &s,
        json!({ "name": "Привет", "rule": { "welcome": { "points": 10 } } }),
    )
    .await;
    let update =
        "mutation($id: ID!, $i: PromotionInput!) { updatePromotion(id: $id, input: $i) { id } }";
    let r = app
        .gql(
            Some(&s.owner.access),
            update,
            json!({ "id": p["id"], "i": { "name": "x", "rule": { "birthday": { "points": 10, "daysBefore": 0, "daysAfter": 0 } } } }),
        )
        .await;
    assert_eq!(code(&r), Some("VALIDATION"));
    assert_eq!(r["errors"][0]["extensions"]["field"], "rule");
    let archived = app
        .ok(
            Some(&s.owner.access),
            "mutation($id: ID!) { archivePromotion(id: $id) { archived } }",
            json!({ "id": p["id"] }),
        )
        .await;
    assert_eq!(archived["archivePromotion"]["archived"], true);
    let again = app
        .gql(
            Some(&s.owner.access),
            "mutation($id: ID!) { archivePromotion(id: $id) { archived } }",
            json!({ "id": p["id"] }),
        )
        .await;
    assert_eq!(code(&again), Some("NOT_FOUND"));
    let g = guest(&app, &s, "+79990005001").await;
    assert_eq!(balance(&ledger(&app, &s, &g).await), 0);
    let active = app.ok(Some(&s.owner.access), LIST, json!({})).await;
    assert_eq!(active["promotions"], json!([]));
    let all = app
        .ok(Some(&s.owner.access), LIST, json!({ "a": true }))
        .await;
    assert_eq!(all["promotions"][0]["archived"], true);
    let audit = app
        .ok(
            Some(&s.owner.access),
            "{ auditLog(first: 50) { nodes { action } } }",
            json!({}),
        )
        .await;
    let actions: Vec<&str> = audit["auditLog"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["action"].as_str())
        .collect();
    assert!(actions.contains(&"promotion.create"), "{actions:?}");
    assert!(actions.contains(&"promotion.archive"), "{actions:?}");
}
both_backends!(bad_promotions_get_clear_errors_and_change_nothing);

const BOT: &str = "3333333333:AApromotions-bot-token-for-tests_zzzzzz";

async fn sign_in_guest(app: &TestApp, s: &Shop, user_id: i64, start: Option<&str>) -> String {
    app.ok(
        Some(&s.owner.access),
        "mutation($t: String!) { setTelegramBot(token: $t) { botId } }",
        json!({ "t": BOT }),
    )
    .await;
    let user = json!({ "id": user_id, "first_name": "Гость" }).to_string();
    let auth = app.clock.now_ts().to_string();
    let mut fields = vec![("user", user.as_str()), ("auth_date", auth.as_str())];
    if let Some(p) = start {
        fields.push(("start_param", p));
    }
    let data = sign_for_tests(&fields, BOT);
    app.ok(
        None,
        "mutation($t: ID!, $d: String!) { guestSignIn(tenantId: $t, initData: $d) { token } }",
        json!({ "t": s.owner.tenant_id, "d": data }),
    )
    .await["guestSignIn"]["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

async fn guests_see_their_promotions_and_invite_friends_by_link(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    create(
        &app,
        &s,
        json!({ "name": "Привет", "rule": { "welcome": { "points": 25 } } }),
    )
    .await;
    create(
        &app,
        &s,
        json!({ "name": "Друзья", "rule": { "referral": { "referrerPoints": 100, "refereePoints": 50 } } }),
    )
    .await;
    create(
        &app,
        &s,
        json!({ "name": "ДР", "rule": { "birthday": { "points": 300, "daysBefore": 7, "daysAfter": 7 } } }),
    )
    .await;
    let inviter = sign_in_guest(&app, &s, 500_001, None).await;
    let mine = "{ myCard { guest { id cardCode } account { balance } } myPromotions { name kind granted windowStartsOn windowEndsOn rule { __typename } } }";
    let me = app.ok(Some(&inviter), mine, json!({})).await;
    assert_eq!(me["myCard"]["account"]["balance"], 25, "welcome on sign-up");
    let kinds: Vec<(&str, bool)> = me["myPromotions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| (p["kind"].as_str().unwrap_or(""), p["granted"] == true))
        .collect();
    assert_eq!(
        kinds,
        vec![("WELCOME", true), ("REFERRAL", false), ("BIRTHDAY", false)]
    );
    // Without a birthday there is no window to show.
    assert!(me["myPromotions"][2]["windowStartsOn"].is_null());
    // Staff cannot read a guest's promotions, and guests cannot read the admin list.
    let staff = app
        .gql(
            Some(&s.owner.access),
            "{ myPromotions { name } }",
            json!({}),
        )
        .await;
    assert!(
        matches!(code(&staff), Some("FORBIDDEN" | "UNAUTHENTICATED")),
        "{staff}"
    );
    let guest_admin = app
        .gql(Some(&inviter), "{ promotions { name } }", json!({}))
        .await;
    assert!(
        matches!(code(&guest_admin), Some("FORBIDDEN" | "UNAUTHENTICATED")),
        "{guest_admin}"
    );

    // A friend opens the link with ?startapp=ref_<card code>.
    let card = me["myCard"]["guest"]["cardCode"].as_str().expect("card");
    let friend = sign_in_guest(&app, &s, 500_002, Some(&format!("ref_{card}"))).await;
    let friend_id = app.ok(Some(&friend), mine, json!({})).await["myCard"]["guest"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let r = app
        .ok(
            Some(&s.owner.access),
            PROCESS,
            check(&s, &friend_id, 10_000, "f-1"),
        )
        .await;
    assert_eq!(r["processCheck"]["earned"], 3 + 50);
    let me = app.ok(Some(&inviter), mine, json!({})).await;
    assert_eq!(me["myCard"]["account"]["balance"], 25 + 100);
    // A bad code in the link is ignored: the guest still signs in.
    sign_in_guest(&app, &s, 500_003, Some("ref_nonsense")).await;
}
both_backends!(guests_see_their_promotions_and_invite_friends_by_link);

async fn the_business_time_zone_is_saved_and_validated(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = shop(&app).await;
    let update = "mutation($o: Int) { updateLoyaltySettings(input: { expiryDays: 365, spendBasis: LIFETIME, pointValueMinor: 100, holdTtlSeconds: 900, utcOffsetMinutes: $o }) { utcOffsetMinutes } }";
    let read = "{ loyaltySettings { utcOffsetMinutes } }";
    assert_eq!(
        app.ok(Some(&s.owner.access), read, json!({})).await["loyaltySettings"]["utcOffsetMinutes"],
        180
    );
    app.ok(Some(&s.owner.access), update, json!({ "o": 300 }))
        .await;
    assert_eq!(
        app.ok(Some(&s.owner.access), read, json!({})).await["loyaltySettings"]["utcOffsetMinutes"],
        300
    );
    // Omitted: unchanged.
    app.ok(Some(&s.owner.access), update, json!({ "o": null }))
        .await;
    assert_eq!(
        app.ok(Some(&s.owner.access), read, json!({})).await["loyaltySettings"]["utcOffsetMinutes"],
        300
    );
    let bad = app
        .gql(Some(&s.owner.access), update, json!({ "o": 900 }))
        .await;
    assert_eq!(code(&bad), Some("VALIDATION"));
    assert_eq!(bad["errors"][0]["extensions"]["field"], "utcOffsetMinutes");
}
both_backends!(the_business_time_zone_is_saved_and_validated);
