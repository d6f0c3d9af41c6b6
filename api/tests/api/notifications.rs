//! Notifications: the centre of guests and staff, preferences, live
//! notifications, and delivery through the outbox to a local mock of the
//! Telegram Bot API (one `sendMessage` per notification even when its job runs
//! twice; `retry_after` on 429 honoured; 403 stops sends to that chat) and to
//! e-mail.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use domain::Ctx;
use domain::jobs::NewJob;
use domain::notifications::Channel;
use domain::notifications::ports::deliver_job;
use infra::telegram::init_data::sign_for_tests;
use poem::web::{Data, Json, Path};
use poem::{EndpointExt, Route, Server, handler, post};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Session, TestApp, code, spawn_app_with, unique_email};
use crate::realtime_and_binary::{next_json, subscribe};

const BOT: &str = "3333333333:AAnotification-bot-token-for-tests_zz";
const CHAT: i64 = 279_058_397;

/// One `sendMessage` the mock received.
#[derive(Debug, Clone)]
struct Sent {
    token: String,
    body: Value,
}

/// A local Bot API: records every `sendMessage` and answers from a script
/// (then `ok`).
#[derive(Default)]
struct BotMock {
    sent: Mutex<Vec<Sent>>,
    script: Mutex<VecDeque<(u16, Value)>>,
}

impl BotMock {
    fn sent(&self) -> Vec<Sent> {
        self.sent.lock().expect("mock").clone()
    }
    fn answer_next(&self, status: u16, body: Value) {
        self.script.lock().expect("mock").push_back((status, body));
    }
}

#[handler]
fn send_message(
    Path(token): Path<String>,
    Json(body): Json<Value>,
    mock: Data<&Arc<BotMock>>,
) -> poem::Response {
    mock.sent.lock().expect("mock").push(Sent {
        token: token.trim_start_matches("bot").to_owned(),
        body,
    });
    let (status, answer) = mock
        .script
        .lock()
        .expect("mock")
        .pop_front()
        .unwrap_or((200, json!({ "ok": true, "result": { "message_id": 1 } })));
    poem::Response::builder()
        .status(poem::http::StatusCode::from_u16(status).expect("status"))
        .content_type("application/json")
        .body(answer.to_string())
}

async fn start_bot_mock() -> (String, Arc<BotMock>) {
    let mock = Arc::new(BotMock::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let app = Route::new()
        .at("/:token/sendMessage", post(send_message))
        .data(Arc::clone(&mock));
    let acceptor = poem::listener::TcpListener::bind(format!("127.0.0.1:{port}"));
    tokio::spawn(Server::new(acceptor).run(app));
    tokio::time::sleep(Duration::from_millis(100)).await;
    (format!("http://127.0.0.1:{port}"), mock)
}

async fn wait_until<F, Fut>(what: &str, within: Duration, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let end = Instant::now() + within;
    while Instant::now() < end {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

struct World {
    app: TestApp,
    owner: Session,
    location: Value,
    guest_token: String,
    card: String,
}

async fn world(backend: Backend, bot_url: &str) -> World {
    let url = bot_url.to_owned();
    let app = spawn_app_with(backend, move |s| {
        s.worker_enabled = true;
        s.telegram_api_url = url;
    })
    .await;
    let owner = app.sign_up("Уведомления", &unique_email("owner")).await;
    app.ok(
        Some(&owner.access),
        "mutation($t: String!) { setTelegramBot(token: $t) { botId } }",
        json!({ "t": BOT }),
    )
    .await;
    let (guest_token, card) = guest(&app, &owner, CHAT).await;
    let location = app
        .ok(
            Some(&owner.access),
            "{ locations { nodes { id } } }",
            json!({}),
        )
        .await["locations"]["nodes"][0]["id"]
        .clone();
    World {
        app,
        owner,
        location,
        guest_token,
        card,
    }
}

async fn guest(app: &TestApp, owner: &Session, telegram_id: i64) -> (String, String) {
    let user = json!({ "id": telegram_id, "first_name": "Гость" }).to_string();
    let data = sign_for_tests(
        &[
            ("user", user.as_str()),
            ("auth_date", &app.clock.now_ts().to_string()),
        ],
        BOT,
    );
    let token = app
        .ok(
            None,
            "mutation($t: ID!, $d: String!) { guestSignIn(tenantId: $t, initData: $d) { token } }",
            json!({ "t": owner.tenant_id, "d": data }),
        )
        .await["guestSignIn"]["token"]
        .as_str()
        .expect("token")
        .to_owned();
    let card = app
        .ok(Some(&token), "{ myCard { guest { cardCode } } }", json!({}))
        .await["myCard"]["guest"]["cardCode"]
        .as_str()
        .expect("card")
        .to_owned();
    (token, card)
}

impl World {
    async fn check(&self, external: &str, total_minor: i64) {
        self.app
            .ok(
                Some(&self.owner.access),
                "mutation($l: ID!, $c: String!, $t: Int!, $e: String!) { processCheck(input: { locationId: $l, guest: { cardCode: $c }, totalMinor: $t, externalId: $e }) { earned } }",
                json!({ "l": self.location, "c": self.card, "t": total_minor, "e": external }),
            )
            .await;
    }

    async fn my_notifications(&self, token: &str) -> Value {
        self.app
            .ok(
                Some(token),
                "{ myNotifications(last: 20) { totalCount nodes { id kind title body data readAt } } myUnreadNotificationCount }",
                json!({}),
            )
            .await
    }

    /// Nothing due is waiting and nothing runs.
    async fn queue_idle(&self) -> bool {
        self.app
            .jobs
            .stats()
            .await
            .is_ok_and(|s| s.running == 0 && s.oldest_queued_age_secs.is_none())
    }
}

async fn a_check_notifies_its_guest_once_in_app_and_in_telegram(backend: Backend) {
    let (bot_url, mock) = start_bot_mock().await;
    let w = world(backend, &bot_url).await;
    w.check("n-1", 50_000).await; // 500.00 at Bronze: 15 points

    wait_until(
        "the guest's notification",
        Duration::from_secs(15),
        || async { w.my_notifications(&w.guest_token).await["myNotifications"]["totalCount"] == 1 },
    )
    .await;
    let mine = w.my_notifications(&w.guest_token).await;
    let n = &mine["myNotifications"]["nodes"][0];
    assert_eq!(n["kind"], "POINTS_EARNED", "{mine}");
    assert_eq!(n["title"], "+15 баллов", "{mine}");
    assert_eq!(n["data"]["points"], 15);
    assert!(n["readAt"].is_null());
    assert_eq!(mine["myUnreadNotificationCount"], 1);

    wait_until("one sendMessage", Duration::from_secs(15), || async {
        !mock.sent().is_empty()
    })
    .await;
    wait_until("an idle queue", Duration::from_secs(15), || w.queue_idle()).await;
    let sent = mock.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].token, BOT);
    assert_eq!(sent[0].body["chat_id"], CHAT);
    assert_eq!(sent[0].body["parse_mode"], "HTML");
    let text = sent[0].body["text"].as_str().expect("text");
    assert!(text.starts_with("<b>+15 баллов</b>\n"), "{text}");

    // The delivery job runs again, twice, at once: nothing more is sent.
    let id: domain::NotificationId = n["id"].as_str().expect("id").parse().expect("uuid");
    let tenant: domain::TenantId = w.owner.tenant_id.parse().expect("tenant");
    let ctx = Ctx::system(tenant);
    for again in ["again-1", "again-2"] {
        let job = deliver_job(&ctx, id, Channel::Telegram);
        let job = NewJob {
            dedupe_key: Some(format!("{again}:{id}")),
            ..job
        };
        w.app.jobs.enqueue(job).await.expect("enqueue");
    }
    wait_until("an idle queue", Duration::from_secs(15), || w.queue_idle()).await;
    assert_eq!(
        mock.sent().len(),
        1,
        "one message per notification and channel"
    );

    // Another guest sees nothing of it and cannot mark it read.
    let (other, _) = guest(&w.app, &w.owner, 42).await;
    let theirs = w.my_notifications(&other).await;
    assert_eq!(theirs["myNotifications"]["totalCount"], 0, "{theirs}");
    let marked = w
        .app
        .ok(
            Some(&other),
            "mutation($i: [ID!]) { markMyNotificationsRead(ids: $i) }",
            json!({ "i": [n["id"]] }),
        )
        .await;
    assert_eq!(marked["markMyNotificationsRead"], 0);
    assert_eq!(
        w.my_notifications(&w.guest_token).await["myUnreadNotificationCount"],
        1
    );

    // Bad input changes nothing.
    for (q, vars) in [
        ("mutation { markMyNotificationsRead }", json!({})),
        (
            "mutation { markMyNotificationsRead(ids: [\"x\"], all: true) }",
            json!({}),
        ),
        (
            "mutation { markMyNotificationsRead(ids: [\"nonsense\"]) }",
            json!({}),
        ),
    ] {
        let r = w.app.gql(Some(&w.guest_token), q, vars).await;
        assert_eq!(code(&r), Some("VALIDATION"), "{q}: {r}");
    }
    // Staff tokens have their own centre, not the guest's.
    let r = w
        .app
        .gql(
            Some(&w.owner.access),
            "{ myNotifications { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&r), Some("FORBIDDEN"));

    let marked = w
        .app
        .ok(
            Some(&w.guest_token),
            "mutation { markMyNotificationsRead(all: true) }",
            json!({}),
        )
        .await;
    assert_eq!(marked["markMyNotificationsRead"], 1);
    let mine = w.my_notifications(&w.guest_token).await;
    assert_eq!(mine["myUnreadNotificationCount"], 0);
    assert!(mine["myNotifications"]["nodes"][0]["readAt"].is_string());
}
both_backends!(a_check_notifies_its_guest_once_in_app_and_in_telegram);

async fn a_guest_gets_notifications_in_the_language_the_mini_app_recorded(backend: Backend) {
    let (bot_url, mock) = start_bot_mock().await;
    let w = world(backend, &bot_url).await;
    let language = "{ myNotificationLanguage }";
    let set = "mutation($l: Locale!) { setMyNotificationLanguage(language: $l) }";
    let r = w.app.ok(Some(&w.guest_token), language, json!({})).await;
    assert_eq!(r["myNotificationLanguage"], "RU", "Russian until told");
    let r = w
        .app
        .ok(Some(&w.guest_token), set, json!({ "l": "EN" }))
        .await;
    assert_eq!(r["setMyNotificationLanguage"], "EN");
    let r = w.app.ok(Some(&w.guest_token), language, json!({})).await;
    assert_eq!(r["myNotificationLanguage"], "EN");
    // Staff have none (theirs is the profile's); a bad value changes nothing.
    let staff = w
        .app
        .gql(Some(&w.owner.access), set, json!({ "l": "EN" }))
        .await;
    assert_eq!(code(&staff), Some("FORBIDDEN"), "{staff}");
    let bad = w
        .app
        .gql(Some(&w.guest_token), set, json!({ "l": "DE" }))
        .await;
    assert!(bad["errors"].is_array(), "{bad}");

    w.check("lang-1", 50_000).await;
    wait_until(
        "the guest's notification",
        Duration::from_secs(15),
        || async { w.my_notifications(&w.guest_token).await["myNotifications"]["totalCount"] == 1 },
    )
    .await;
    let mine = w.my_notifications(&w.guest_token).await;
    assert_eq!(
        mine["myNotifications"]["nodes"][0]["title"], "+15 points",
        "{mine}"
    );
    wait_until("one sendMessage", Duration::from_secs(15), || async {
        !mock.sent().is_empty()
    })
    .await;
    let text = mock.sent()[0].body["text"]
        .as_str()
        .expect("text")
        .to_owned();
    assert!(text.starts_with("<b>+15 points</b>\n"), "{text}");
}
both_backends!(a_guest_gets_notifications_in_the_language_the_mini_app_recorded);

async fn telegram_429_is_waited_out_and_403_stops_sends_to_that_chat(backend: Backend) {
    let (bot_url, mock) = start_bot_mock().await;
    let w = world(backend, &bot_url).await;
    mock.answer_next(
        429,
        json!({ "ok": false, "error_code": 429, "description": "Too Many Requests: retry after 30", "parameters": { "retry_after": 30 } }),
    );
    w.check("n-1", 50_000).await;
    wait_until("the first attempt", Duration::from_secs(15), || async {
        mock.sent().len() == 1
    })
    .await;
    // The queue's clock has not moved: the retry waits.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(mock.sent().len(), 1, "retry_after is honoured");
    w.app.clock.advance(chrono::Duration::seconds(31));
    wait_until("the retry", Duration::from_secs(15), || async {
        mock.sent().len() == 2
    })
    .await;

    // The guest blocks the bot: the next message is refused with 403, and
    // nothing is sent to that chat afterwards.
    mock.answer_next(
        403,
        json!({ "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user" }),
    );
    w.check("n-2", 50_000).await;
    wait_until("the refused attempt", Duration::from_secs(15), || async {
        mock.sent().len() == 3
    })
    .await;
    wait_until("an idle queue", Duration::from_secs(15), || w.queue_idle()).await;
    w.check("n-3", 50_000).await;
    wait_until("three notifications", Duration::from_secs(15), || async {
        w.my_notifications(&w.guest_token).await["myNotifications"]["totalCount"] == 3
    })
    .await;
    wait_until("an idle queue", Duration::from_secs(15), || w.queue_idle()).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(mock.sent().len(), 3, "no sends after 403");
    // In-app notifications go on.
    assert_eq!(
        w.my_notifications(&w.guest_token).await["myUnreadNotificationCount"],
        3
    );

    // A guest who turns Telegram off gets no Telegram; preferences read back.
    let prefs = w
        .app
        .ok(
            Some(&w.guest_token),
            "mutation { updateMyNotificationPreferences(input: { telegram: false }) { inApp email telegram } }",
            json!({}),
        )
        .await;
    assert_eq!(
        prefs["updateMyNotificationPreferences"],
        json!({ "inApp": true, "email": true, "telegram": false })
    );
    let read = w
        .app
        .ok(
            Some(&w.guest_token),
            "{ myNotificationPreferences { inApp email telegram } }",
            json!({}),
        )
        .await;
    assert_eq!(read["myNotificationPreferences"]["telegram"], false);
}
both_backends!(telegram_429_is_waited_out_and_403_stops_sends_to_that_chat);

/// A Bot API that reads each request whole, then hangs up without answering:
/// the message may have been sent, but its answer is lost. Counts requests.
async fn start_hanging_up_bot() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0_u8; 4096];
                loop {
                    let Ok(n) = socket.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                // Dropped: the connection closes with no answer.
            });
        }
    });
    (url, count)
}

async fn a_telegram_message_whose_answer_was_lost_is_not_sent_again(backend: Backend) {
    let (bot_url, requests) = start_hanging_up_bot().await;
    let w = world(backend, &bot_url).await;
    w.check("lost-1", 50_000).await;
    let sent = || requests.load(std::sync::atomic::Ordering::SeqCst);
    wait_until("the one attempt", Duration::from_secs(15), || async {
        sent() == 1
    })
    .await;
    wait_until("an idle queue", Duration::from_secs(15), || w.queue_idle()).await;
    // In-app, it is there.
    assert_eq!(
        w.my_notifications(&w.guest_token).await["myNotifications"]["totalCount"],
        1
    );
    // The queue's clock moves past any backoff: still no second attempt.
    w.app.clock.advance(chrono::Duration::hours(2));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(w.queue_idle().await, "no retry is queued");
    assert_eq!(sent(), 1, "the message may have gone out: never sent twice");
}
both_backends!(a_telegram_message_whose_answer_was_lost_is_not_sent_again);

async fn a_level_up_reaches_the_owner_live_in_the_centre_and_by_email_when_chosen(
    backend: Backend,
) {
    let (bot_url, _mock) = start_bot_mock().await;
    let w = world(backend, &bot_url).await;
    let owner = &w.owner;
    // A cashier manages no loyalty: they are not told.
    let cashier = w
        .app
        .add_staff(owner, &unique_email("cashier"), "CASHIER")
        .await;

    // Staff preferences: in-app on, e-mail off by default; Telegram is not theirs.
    let prefs = w
        .app
        .ok(
            Some(&owner.access),
            "{ notificationPreferences { inApp email telegram } }",
            json!({}),
        )
        .await;
    assert_eq!(
        prefs["notificationPreferences"],
        json!({ "inApp": true, "email": false, "telegram": false })
    );
    let r = w
        .app
        .gql(
            Some(&owner.access),
            "mutation { updateNotificationPreferences(input: { telegram: true }) { telegram } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&r), Some("VALIDATION"));
    w.app
        .ok(
            Some(&owner.access),
            "mutation { updateNotificationPreferences(input: { email: true }) { email } }",
            json!({}),
        )
        .await;

    // The owner listens live.
    let mut ws = subscribe(
        &w.app.base,
        &owner.access,
        "subscription { notificationReceived { kind title body } }",
        json!({}),
    )
    .await;

    // The guest gave an address and consent: level changes reach them by e-mail too.
    let guest_id = w
        .app
        .ok(
            Some(&w.guest_token),
            "{ myCard { guest { id } } }",
            json!({}),
        )
        .await["myCard"]["guest"]["id"]
        .clone();
    w.app
        .ok(
            Some(&owner.access),
            "mutation($g: ID!) { updateGuest(id: $g, input: { email: \"guest@example.com\", marketingConsent: true }) { id } }",
            json!({ "g": guest_id }),
        )
        .await;

    w.check("big", 1_500_000).await; // 15 000.00: Bronze → Silver
    let live = next_json(&mut ws).await;
    let n = &live["payload"]["data"]["notificationReceived"];
    assert_eq!(n["kind"], "GUEST_LEVEL_UP", "{live}");
    assert!(
        n["body"].as_str().expect("body").contains("Silver"),
        "{live}"
    );

    let centre = w
        .app
        .ok(
            Some(&owner.access),
            "{ notifications(last: 10) { totalCount nodes { id kind title } } unreadNotificationCount }",
            json!({}),
        )
        .await;
    assert_eq!(centre["notifications"]["totalCount"], 1, "{centre}");
    assert_eq!(centre["unreadNotificationCount"], 1);
    let cashier_centre = w
        .app
        .ok(
            Some(&cashier.access),
            "{ notifications { totalCount } unreadNotificationCount }",
            json!({}),
        )
        .await;
    assert_eq!(cashier_centre["notifications"]["totalCount"], 0);

    // The guest hears of the level and the points.
    wait_until(
        "the guest's two notifications",
        Duration::from_secs(15),
        || async { w.my_notifications(&w.guest_token).await["myNotifications"]["totalCount"] == 2 },
    )
    .await;
    let kinds: Vec<Value> = w.my_notifications(&w.guest_token).await["myNotifications"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["kind"].clone())
        .collect();
    assert!(kinds.contains(&json!("LEVEL_CHANGED")), "{kinds:?}");
    assert!(kinds.contains(&json!("POINTS_EARNED")), "{kinds:?}");

    // The owner chose e-mail: one message, in their language, naming the business.
    wait_until("the owner's e-mail", Duration::from_secs(15), || async {
        w.app
            .mailer
            .sent
            .lock()
            .expect("mailer")
            .iter()
            .any(|m| m.to.as_ref() == owner.email && m.subject.contains("Silver"))
    })
    .await;
    wait_until("an idle queue", Duration::from_secs(15), || w.queue_idle()).await;
    let mails: Vec<_> = w
        .app
        .mailer
        .sent
        .lock()
        .expect("mailer")
        .iter()
        .filter(|m| m.to.as_ref() == owner.email)
        .cloned()
        .collect();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].subject.ends_with("— Уведомления"),
        "{}",
        mails[0].subject
    );
    assert!(
        mails[0]
            .html
            .as_deref()
            .is_some_and(|h| h.contains("lang=\"ru\""))
    );

    // The guest's e-mail: the level, in Russian, signed by the business; the
    // points of a check are not e-mailed.
    let to_guest: Vec<_> = w
        .app
        .mailer
        .sent
        .lock()
        .expect("mailer")
        .iter()
        .filter(|m| m.to.as_ref() == "guest@example.com")
        .cloned()
        .collect();
    assert_eq!(to_guest.len(), 1, "{to_guest:?}");
    assert!(
        to_guest[0].subject.starts_with("Новый уровень: Silver"),
        "{}",
        to_guest[0].subject
    );
    assert!(
        to_guest[0].text.contains("— Уведомления"),
        "{}",
        to_guest[0].text
    );

    let marked = w
        .app
        .ok(
            Some(&owner.access),
            "mutation($i: [ID!]) { markNotificationsRead(ids: $i) }",
            json!({ "i": [centre["notifications"]["nodes"][0]["id"]] }),
        )
        .await;
    assert_eq!(marked["markNotificationsRead"], 1);
    let again = w
        .app
        .ok(
            Some(&owner.access),
            "{ unreadNotificationCount }",
            json!({}),
        )
        .await;
    assert_eq!(again["unreadNotificationCount"], 0);
}
both_backends!(a_level_up_reaches_the_owner_live_in_the_centre_and_by_email_when_chosen);
