//! The guest's Mini App: Telegram `initData` sign-in with the tenant's own bot,
//! guest-only fields, live card updates.

use chrono::{TimeZone, Utc};
use futures_util::{SinkExt, StreamExt};
use infra::telegram::init_data::sign_for_tests;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::both_backends;
use crate::helpers::{Backend, Session, TestApp, code, spawn_app, unique_email};

const BOT_A: &str = "1111111111:AAtenant-a-bot-token-for-tests_xxxxxxxx";
const BOT_B: &str = "2222222222:AAtenant-b-bot-token-for-tests_yyyyyyyy";
const SIGN_IN: &str =
    "mutation($t: ID!, $d: String!) { guestSignIn(tenantId: $t, initData: $d) { token created } }";
const MY_CARD: &str = "{ myCard { guest { id name cardCode qrPayload birthday marketingConsent } account { balance available } level { name } nextLevel { name } progressPercent } }";

fn init_data(user_id: i64, first_name: &str, auth_date: i64, bot: &str) -> String {
    let user =
        json!({ "id": user_id, "first_name": first_name, "language_code": "ru" }).to_string();
    sign_for_tests(
        &[
            ("user", user.as_str()),
            ("auth_date", &auth_date.to_string()),
            ("query_id", "AAH-test"),
        ],
        bot,
    )
}

async fn set_bot(app: &TestApp, owner: &Session, token: &str) -> Value {
    app.ok(
        Some(&owner.access),
        "mutation($t: String!) { setTelegramBot(token: $t) { botId } }",
        json!({ "t": token }),
    )
    .await
}

async fn a_guest_signs_in_with_init_data_and_sees_only_their_card(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Мини", &unique_email("owner")).await;
    let bot = set_bot(&app, &owner, BOT_A).await;
    assert_eq!(bot["setTelegramBot"]["botId"], "1111111111");
    let shown = app
        .ok(
            Some(&owner.access),
            "{ telegramBot { botId updatedAt } }",
            json!({}),
        )
        .await;
    assert!(
        !shown.to_string().contains("AAtenant"),
        "the token is never shown again"
    );
    let bad = app
        .gql(
            Some(&owner.access),
            "mutation { setTelegramBot(token: \"nonsense\") { botId } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&bad), Some("VALIDATION"));

    let now = app.clock.now_ts();
    let data = init_data(279_058_397, "Влад", now, BOT_A);
    let first = app
        .ok(None, SIGN_IN, json!({ "t": owner.tenant_id, "d": data }))
        .await;
    assert_eq!(first["guestSignIn"]["created"], true);
    let token = first["guestSignIn"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let again = app
        .ok(None, SIGN_IN, json!({ "t": owner.tenant_id, "d": data }))
        .await;
    assert_eq!(
        again["guestSignIn"]["created"], false,
        "the same Telegram user is the same guest"
    );

    let card = app.ok(Some(&token), MY_CARD, json!({})).await["myCard"].clone();
    assert_eq!(card["guest"]["name"], "Влад");
    assert_eq!(card["account"]["balance"], 0);
    assert_eq!(card["level"]["name"], "Bronze");
    assert_eq!(card["nextLevel"]["name"], "Silver");

    // The guest token opens guest fields only; staff tokens do not open them.
    for q in [
        "{ guests { totalCount } }",
        "{ me { role } }",
        "{ levels { name } }",
    ] {
        assert_eq!(
            code(&app.gql(Some(&token), q, json!({})).await),
            Some("FORBIDDEN"),
            "{q}"
        );
    }
    assert_eq!(
        code(&app.gql(Some(&owner.access), MY_CARD, json!({})).await),
        Some("FORBIDDEN")
    );

    // A check processed by the cashier (by the card code) shows up on the card, live.
    let mut live = subscribe_card(&app, &token).await;
    let loc = app
        .ok(
            Some(&owner.access),
            "{ locations { nodes { id } } }",
            json!({}),
        )
        .await["locations"]["nodes"][0]["id"]
        .clone();
    app.ok(
        Some(&owner.access),
        "mutation($l: ID!, $c: String!) { processCheck(input: { locationId: $l, guest: { cardCode: $c }, totalMinor: 50000, externalId: \"m-1\" }) { earned } }",
        json!({ "l": loc, "c": card["guest"]["cardCode"] }),
    )
    .await;
    let update = next_json(&mut live).await;
    assert_eq!(
        update["payload"]["data"]["myCardUpdated"]["balance"], 15,
        "{update}"
    );
    let ledger = app
        .ok(
            Some(&token),
            "{ myLedger(last: 10) { totalCount nodes { kind amount } } }",
            json!({}),
        )
        .await;
    assert_eq!(ledger["myLedger"]["totalCount"], 1);
    assert_eq!(ledger["myLedger"]["nodes"][0]["kind"], "ACCRUAL");

    let profile = "mutation($b: NaiveDate, $c: Boolean) { updateMyGuestProfile(input: { birthday: $b, marketingConsent: $c }) { guest { birthday marketingConsent } } }";
    let p = app
        .ok(
            Some(&token),
            profile,
            json!({ "b": "1990-05-17", "c": true }),
        )
        .await;
    assert_eq!(p["updateMyGuestProfile"]["guest"]["birthday"], "1990-05-17");
    let future = app
        .gql(Some(&token), profile, json!({ "b": "2999-01-01" }))
        .await;
    assert_eq!(code(&future), Some("VALIDATION"));
}
both_backends!(a_guest_signs_in_with_init_data_and_sees_only_their_card);

async fn tampered_expired_and_wrong_tenant_init_data_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.sign_up("A", &unique_email("a")).await;
    let b = app.sign_up("B", &unique_email("b")).await;
    let c = app.sign_up("C", &unique_email("c")).await;
    set_bot(&app, &a, BOT_A).await;
    set_bot(&app, &b, BOT_B).await;
    let now = app.clock.now_ts();
    let good = init_data(42, "Ann", now, BOT_A);

    let tampered = good.replace("%22id%22%3A42", "%22id%22%3A43");
    assert_ne!(tampered, good);
    let old = init_data(42, "Ann", now - 2 * 3600, BOT_A);
    for (tenant, data, want) in [
        (&a.tenant_id, tampered.as_str(), "UNAUTHENTICATED"),
        (&a.tenant_id, old.as_str(), "UNAUTHENTICATED"),
        (&b.tenant_id, good.as_str(), "UNAUTHENTICATED"),
        (&c.tenant_id, good.as_str(), "NOT_FOUND"),
        (&a.tenant_id, "garbage", "UNAUTHENTICATED"),
    ] {
        let r = app
            .gql(None, SIGN_IN, json!({ "t": tenant, "d": data }))
            .await;
        assert_eq!(code(&r), Some(want), "{data}: {r}");
    }
    let expired = app
        .gql(None, SIGN_IN, json!({ "t": a.tenant_id, "d": old }))
        .await;
    assert!(
        expired["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("expired")
    );
    // Nothing was registered by the refused attempts.
    let guests = app
        .ok(Some(&a.access), "{ guests { totalCount } }", json!({}))
        .await;
    assert_eq!(guests["guests"]["totalCount"], 0);
}
both_backends!(tampered_expired_and_wrong_tenant_init_data_is_refused);

#[tokio::test]
async fn the_published_telegram_vector_signs_a_guest_in() {
    let vectors: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../fixtures/signatures/vectors.json"),
        )
        .expect("shared vectors"),
    )
    .expect("json");
    let v = &vectors["telegram_init_data_hmac"];
    let app = spawn_app(Backend::Sqlite).await;
    let owner = app.sign_up("Vector", &unique_email("owner")).await;
    set_bot(&app, &owner, v["bot_token"].as_str().expect("token")).await;
    let auth_date = v["auth_date"].as_i64().expect("auth_date");
    app.clock
        .set(Utc.timestamp_opt(auth_date + 10, 0).single().expect("time"));
    let r = app
        .ok(
            None,
            SIGN_IN,
            json!({ "t": owner.tenant_id, "d": v["init_data"] }),
        )
        .await;
    let token = r["guestSignIn"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let card = app.ok(Some(&token), MY_CARD, json!({})).await;
    assert_eq!(card["myCard"]["guest"]["name"], "Vladislav Kibenko");
}

async fn subscribe_card(
    app: &TestApp,
    token: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/graphql/ws", app.base.replace("http://", "ws://"));
    let mut req = url.into_client_request().expect("request");
    req.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let mut ws = tokio_tungstenite::connect_async(req)
        .await
        .expect("connects")
        .0;
    ws.send(Message::Text(json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }).to_string().into()))
        .await
        .expect("init");
    assert_eq!(next_json(&mut ws).await["type"], "connection_ack");
    ws.send(Message::Text(json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { myCardUpdated { balance } }" } }).to_string().into()))
        .await
        .expect("subscribe");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    ws
}

async fn next_json<S>(ws: &mut S) -> Value
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("in time")
            .expect("open")
            .expect("ok");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).expect("json");
        }
    }
}

async fn a_shared_phone_joins_the_record_the_cashier_made(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.sign_up("Телефон", &unique_email("owner")).await;
    set_bot(&app, &owner, BOT_A).await;
    // The cashier registered the guest by phone and gave them points.
    let till = app
        .ok(
            Some(&owner.access),
            "mutation { createGuest(input: { phone: \"+7 999 555-44-33\", name: \"Анна\" }) { id } }",
            json!({}),
        )
        .await["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned();
    app.ok(
        Some(&owner.access),
        "mutation($g: ID!) { adjustPoints(guestId: $g, points: 70, reason: \"касса\") { balance } }",
        json!({ "g": till }),
    )
    .await;
    // The same person opens the Mini App: a new record, then shares the phone.
    let now = app.clock.now_ts();
    let signed_in = app
        .ok(
            None,
            SIGN_IN,
            json!({ "t": owner.tenant_id, "d": init_data(777_001, "Анна", now, BOT_A) }),
        )
        .await;
    let token = signed_in["guestSignIn"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let link = "mutation($d: String!) { linkMyPhone(contactData: $d) { token } }";
    let contact = |user: i64, phone: &str, bot: &str| {
        let c = json!({ "user_id": user, "phone_number": phone, "first_name": "Анна" }).to_string();
        sign_for_tests(
            &[("contact", c.as_str()), ("auth_date", &now.to_string())],
            bot,
        )
    };
    // Someone else's contact, a forged one and another bot's are refused.
    let r = app
        .gql(
            Some(&token),
            link,
            json!({ "d": contact(999, "79995554433", BOT_A) }),
        )
        .await;
    assert_eq!(code(&r), Some("VALIDATION"), "{r}");
    let r = app
        .gql(
            Some(&token),
            link,
            json!({ "d": contact(777_001, "79995554433", BOT_B) }),
        )
        .await;
    assert_eq!(code(&r), Some("UNAUTHENTICATED"), "{r}");
    let joined = app
        .ok(
            Some(&token),
            link,
            json!({ "d": contact(777_001, "79995554433", BOT_A) }),
        )
        .await;
    let token = joined["linkMyPhone"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let card = app.ok(Some(&token), MY_CARD, json!({})).await;
    assert_eq!(
        card["myCard"]["guest"]["id"],
        till.as_str(),
        "the till's record stays"
    );
    assert_eq!(card["myCard"]["account"]["balance"], 70);
    // Signing in again finds the joined record by Telegram id.
    let again = app
        .ok(
            None,
            SIGN_IN,
            json!({ "t": owner.tenant_id, "d": init_data(777_001, "Анна", now, BOT_A) }),
        )
        .await;
    assert_eq!(again["guestSignIn"]["created"], false);
    let t2 = again["guestSignIn"]["token"].as_str().expect("token");
    let card = app.ok(Some(t2), MY_CARD, json!({})).await;
    assert_eq!(card["myCard"]["guest"]["id"], till.as_str());

    // A guest without a till record simply gets the phone.
    let other = app
        .ok(
            None,
            SIGN_IN,
            json!({ "t": owner.tenant_id, "d": init_data(777_002, "Борис", now, BOT_A) }),
        )
        .await["guestSignIn"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    app.ok(
        Some(&other),
        link,
        json!({ "d": contact(777_002, "+79995550000", BOT_A) }),
    )
    .await;
    let found = app
        .ok(
            Some(&owner.access),
            "{ guests(query: \"0000\") { nodes { name phone } } }",
            json!({}),
        )
        .await;
    assert_eq!(found["guests"]["nodes"][0]["phone"], "+79995550000");
}
both_backends!(a_shared_phone_joins_the_record_the_cashier_made);
