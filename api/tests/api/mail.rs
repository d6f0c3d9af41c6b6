//! E-mail over SMTP: a local SMTP sink started inside the test receives the
//! invitation and password-reset mails (headers, languages, multipart/
//! alternative); the reset link works once and expires; unknown e-mails get
//! the same answer and no mail.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::both_backends;
use crate::helpers::{Backend, PASSWORD, TestApp, code, spawn_app_with, unique_email};

/// One message as the sink received it.
#[derive(Debug, Clone)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    data: String,
}

/// A tiny SMTP server: EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT.
struct SmtpSink {
    port: u16,
    messages: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = Arc::clone(&messages);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = Arc::clone(&store);
                tokio::spawn(async move {
                    let _ = serve(stream, store).await;
                });
            }
        });
        Self { port, messages }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn all(&self) -> Vec<Received> {
        self.messages.lock().expect("sink").clone()
    }

    /// The last mail to `email`, waiting (mail leaves through the job queue).
    async fn last_to(&self, email: &str) -> Mail {
        for _ in 0..100 {
            if self.count_to(email) > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let m = self
            .all()
            .into_iter()
            .rev()
            .find(|m| m.rcpt_to.iter().any(|r| r == email))
            .unwrap_or_else(|| panic!("no mail to {email}"));
        Mail::parse(&m)
    }

    fn count_to(&self, email: &str) -> usize {
        self.all()
            .iter()
            .filter(|m| m.rcpt_to.iter().any(|r| r == email))
            .count()
    }
}

async fn serve(
    stream: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 sink.test ESMTP test sink\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_owned();
        let upper = cmd.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink.test\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n"
        } else if upper.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = angle(&cmd["MAIL FROM:".len()..]);
            to.clear();
            b"250 2.1.0 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(angle(&cmd["RCPT TO:".len()..]));
            b"250 2.1.5 OK\r\n"
        } else if upper == "DATA" {
            w.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                // Dot-stuffing (RFC 5321 §4.5.2).
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            store.lock().expect("sink").push(Received {
                mail_from: from.clone(),
                rcpt_to: to.clone(),
                data,
            });
            b"250 2.0.0 queued\r\n"
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        w.write_all(reply).await?;
    }
}

fn angle(s: &str) -> String {
    s.trim()
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A received message, decoded enough to check it.
#[derive(Debug)]
struct Mail {
    envelope_from: String,
    headers: Vec<(String, String)>,
    /// (content type, decoded body) of each part.
    parts: Vec<(String, String)>,
}

fn split_head(raw: &str) -> (Vec<(String, String)>, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for l in head.lines() {
        if l.starts_with(' ') || l.starts_with('\t') {
            if let Some(last) = headers.last_mut() {
                // Unfolding removes the line break and keeps the whitespace.
                last.1.push_str(l);
            }
        } else if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    (headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Decodes RFC 2047 `=?utf-8?b?…?=` words (what lettre writes for non-ASCII).
fn decode_words(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    let mut after_word = false;
    while let Some(start) = rest.find("=?") {
        let between = &rest[..start];
        // Whitespace between two encoded words is not part of the text.
        if !(after_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        let word = &rest[start + 2..];
        let end = word.find("?=").expect("encoded word end");
        let mut it = word[..end].splitn(3, '?');
        let (_, enc, text) = (it.next(), it.next(), it.next().expect("text"));
        assert!(enc.is_some_and(|e| e.eq_ignore_ascii_case("b")), "{v}");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .expect("base64 word");
        out.push_str(&String::from_utf8(bytes).expect("utf-8"));
        rest = &word[end + 2..];
        after_word = true;
    }
    out.push_str(rest);
    out
}

fn decode_body(cte: Option<&str>, body: &str) -> String {
    match cte.map(str::to_ascii_lowercase).as_deref() {
        Some("base64") => {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .expect("base64 body"),
            )
            .expect("utf-8 body")
        }
        Some("quoted-printable") => {
            let joined = body.replace("=\n", "");
            let b = joined.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'=' && i + 2 < b.len() {
                    let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("hex");
                    out.push(u8::from_str_radix(hex, 16).expect("qp hex"));
                    i += 3;
                } else {
                    out.push(b[i]);
                    i += 1;
                }
            }
            String::from_utf8(out).expect("utf-8 body")
        }
        _ => body.to_owned(),
    }
}

impl Mail {
    fn parse(m: &Received) -> Self {
        let (headers, body) = split_head(&m.data);
        let ctype = header(&headers, "content-type").unwrap_or("").to_owned();
        let mut parts = Vec::new();
        if ctype.starts_with("multipart/") {
            let boundary = ctype
                .split("boundary=")
                .nth(1)
                .expect("a boundary")
                .trim_matches('"')
                .to_owned();
            for chunk in body.split(&format!("--{boundary}")).skip(1) {
                if chunk.starts_with("--") {
                    break;
                }
                let (h, b) = split_head(chunk.trim_start_matches('\n'));
                let ct = header(&h, "content-type").unwrap_or("").to_owned();
                parts.push((
                    ct,
                    decode_body(header(&h, "content-transfer-encoding"), b.trim_end()),
                ));
            }
        } else {
            parts.push((
                ctype,
                decode_body(header(&headers, "content-transfer-encoding"), &body),
            ));
        }
        Self {
            envelope_from: m.mail_from.clone(),
            headers,
            parts,
        }
    }

    fn header(&self, name: &str) -> String {
        decode_words(header(&self.headers, name).unwrap_or_else(|| panic!("no {name}")))
    }

    fn part(&self, ctype: &str) -> &str {
        &self
            .parts
            .iter()
            .find(|(ct, _)| ct.starts_with(ctype))
            .unwrap_or_else(|| panic!("no {ctype} part in {:?}", self.parts))
            .1
    }

    /// Checks what every mail of ours carries: the sender, the recipient, and
    /// a text and an HTML alternative.
    fn assert_well_formed(&self, to: &str) {
        assert_eq!(self.envelope_from, "no-reply@maxloyalty.local");
        assert_eq!(
            self.header("from"),
            "MaxLoyalty <no-reply@maxloyalty.local>"
        );
        assert_eq!(self.header("to"), to);
        assert!(
            self.header("content-type")
                .starts_with("multipart/alternative"),
            "{}",
            self.header("content-type")
        );
        assert!(self.part("text/plain").contains("http"));
        assert!(self.part("text/html").contains("<a href=\"http"));
    }

    fn token(&self) -> String {
        let text = self.part("text/plain");
        let start = text.find("token=").expect("a link with a token") + "token=".len();
        text[start..]
            .split_whitespace()
            .next()
            .expect("token")
            .to_owned()
    }
}

async fn app_with_sink(backend: Backend) -> (TestApp, SmtpSink) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(backend, |s| {
        s.smtp_url = Some(url);
        s.public_url = Some("https://panel.example.test".into());
        // Mail leaves through the outbox: the worker sends it.
        s.worker_enabled = true;
    })
    .await;
    (app, sink)
}

async fn sign_up_in(app: &TestApp, business: &str, email: &str, locale: &str) -> String {
    let d = app
        .ok(
            None,
            "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
            json!({ "i": { "businessName": business, "locationName": "Main", "email": email,
                "password": PASSWORD, "displayName": "Ann <b>Owner</b>", "locale": locale } }),
        )
        .await;
    d["signUp"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned()
}

async fn invite(app: &TestApp, access: &str, email: &str) {
    app.ok(
        Some(access),
        "mutation($i: InviteStaffInput!) { inviteStaff(input: $i) { id } }",
        json!({ "i": { "email": email, "role": "CASHIER" } }),
    )
    .await;
}

async fn request_reset(app: &TestApp, email: &str) -> serde_json::Value {
    app.gql(
        None,
        "mutation($e: String!) { requestPasswordReset(email: $e) }",
        json!({ "e": email }),
    )
    .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> serde_json::Value {
    app.gql(
        None,
        "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }",
        json!({ "t": token, "p": password }),
    )
    .await
}

async fn invitations_arrive_in_the_inviters_language(backend: Backend) {
    let (app, sink) = app_with_sink(backend).await;
    let en_owner = unique_email("en-owner");
    let en = sign_up_in(&app, "Tom & Jerry <Bar>", &en_owner, "EN").await;
    let ru = sign_up_in(&app, "Кофейня «Утро»", &unique_email("ru-owner"), "RU").await;

    let to_en = unique_email("cashier-en");
    invite(&app, &en, &to_en).await;
    let m = sink.last_to(&to_en).await;
    m.assert_well_formed(&to_en);
    assert_eq!(
        m.header("subject"),
        "Invitation to join Tom & Jerry <Bar> — MaxLoyalty"
    );
    assert!(m.part("text/plain").contains("as cashier"));
    let html = m.part("text/html");
    assert!(html.contains("Tom &amp; Jerry &lt;Bar&gt;"), "{html}");
    assert!(!html.contains("<Bar>"));
    let token = m.token();
    assert!(token.starts_with("inv_"));
    assert!(m.part("text/plain").contains(&format!(
        "https://panel.example.test/accept-invitation?token={token}"
    )));

    let to_ru = unique_email("cashier-ru");
    invite(&app, &ru, &to_ru).await;
    let m = sink.last_to(&to_ru).await;
    m.assert_well_formed(&to_ru);
    assert_eq!(
        m.header("subject"),
        "Приглашение в «Кофейня «Утро»» — MaxLoyalty"
    );
    assert!(m.part("text/plain").contains("роль: кассир"));
    assert!(m.part("text/html").contains("lang=\"ru\""));

    // The invitation link works (accepted with the token from the mail).
    app.ok(
        None,
        "mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { accessToken } }",
        json!({ "i": { "token": m.token(), "password": PASSWORD, "displayName": "Kira" } }),
    )
    .await;
    // An invitation to someone who already has an account uses their language:
    // the English owner invited by the Russian business gets English.
    invite(&app, &ru, &en_owner).await;
    assert!(
        sink.last_to(&en_owner)
            .await
            .header("subject")
            .starts_with("Invitation to join")
    );
}
both_backends!(invitations_arrive_in_the_inviters_language);

async fn a_reset_link_works_once_in_the_persons_language(backend: Backend) {
    let (app, sink) = app_with_sink(backend).await;
    let ru_email = unique_email("ru");
    sign_up_in(&app, "Альфа", &ru_email, "RU").await;
    let en_email = unique_email("en");
    sign_up_in(&app, "Beta", &en_email, "EN").await;
    let old_session = app.login(&en_email, PASSWORD).await;
    let old_refresh = old_session["data"]["login"]["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();

    assert_eq!(
        request_reset(&app, &ru_email).await["data"]["requestPasswordReset"],
        true
    );
    let m = sink.last_to(&ru_email).await;
    m.assert_well_formed(&ru_email);
    assert_eq!(m.header("subject"), "Сброс пароля — MaxLoyalty");
    assert!(m.part("text/plain").contains("действует до"));
    assert!(m.part("text/html").contains("Ann &lt;b&gt;Owner&lt;/b&gt;"));

    assert_eq!(
        request_reset(&app, &en_email).await["data"]["requestPasswordReset"],
        true
    );
    let m = sink.last_to(&en_email).await;
    m.assert_well_formed(&en_email);
    assert_eq!(m.header("subject"), "Reset your password — MaxLoyalty");
    let token = m.token();
    assert!(token.starts_with("pwr_"));
    assert!(m.part("text/plain").contains(&format!(
        "https://panel.example.test/reset-password?token={token}"
    )));

    // A weak password is refused and the token stays usable.
    let weak = reset(&app, &token, "short").await;
    assert_eq!(code(&weak), Some("VALIDATION"));
    assert_eq!(weak["errors"][0]["extensions"]["field"], "newPassword");

    let new_password = "a brand new passphrase";
    assert_eq!(
        reset(&app, &token, new_password).await["data"]["resetPassword"],
        true
    );
    assert_eq!(
        code(&app.login(&en_email, PASSWORD).await),
        Some("UNAUTHENTICATED")
    );
    assert!(app.login(&en_email, new_password).await["data"]["login"]["accessToken"].is_string());
    // Other sessions ended.
    let refreshed = app
        .gql(
            None,
            "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }",
            json!({ "t": old_refresh }),
        )
        .await;
    assert_eq!(code(&refreshed), Some("UNAUTHENTICATED"), "{refreshed}");

    // Once only: the second use changes nothing.
    let again = reset(&app, &token, "yet another passphrase").await;
    assert_eq!(code(&again), Some("VALIDATION"), "{again}");
    assert_eq!(again["errors"][0]["extensions"]["field"], "token");
    assert!(app.login(&en_email, new_password).await["data"]["login"]["accessToken"].is_string());

    // The reset is in the audit log.
    let access = app.login(&en_email, new_password).await["data"]["login"]["accessToken"]
        .as_str()
        .expect("access")
        .to_owned();
    let log = app
        .ok(
            Some(&access),
            "{ auditLog(action: \"auth.password_reset\") { nodes { action actorEmail } } }",
            json!({}),
        )
        .await;
    assert_eq!(log["auditLog"]["nodes"][0]["actorEmail"], en_email.as_str());
}
both_backends!(a_reset_link_works_once_in_the_persons_language);

async fn a_reset_link_expires_after_30_minutes(backend: Backend) {
    let (app, sink) = app_with_sink(backend).await;
    let email = unique_email("late");
    sign_up_in(&app, "Gamma", &email, "EN").await;
    request_reset(&app, &email).await;
    let token = sink.last_to(&email).await.token();
    app.clock.advance(chrono::Duration::minutes(31));
    let late = reset(&app, &token, "a brand new passphrase").await;
    assert_eq!(code(&late), Some("VALIDATION"), "{late}");
    assert_eq!(late["errors"][0]["extensions"]["field"], "token");
    assert!(
        app.login(&email, PASSWORD).await["data"]["login"]["accessToken"].is_string(),
        "nothing changed"
    );
    assert_eq!(
        code(&reset(&app, "pwr_forged", "a brand new passphrase").await),
        Some("VALIDATION")
    );
}
both_backends!(a_reset_link_expires_after_30_minutes);

async fn unknown_emails_get_the_same_answer_and_no_mail(backend: Backend) {
    let (app, sink) = app_with_sink(backend).await;
    let nobody = unique_email("nobody");
    let answer = request_reset(&app, &nobody).await;
    assert_eq!(answer, json!({ "data": { "requestPasswordReset": true } }));
    // Give the outbox's worker the time it takes to send a real one.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(sink.count_to(&nobody), 0);
    assert!(sink.all().is_empty(), "no mail at all");

    // Requests are throttled like logins, known e-mail or not.
    request_reset(&app, &nobody).await;
    request_reset(&app, &nobody).await;
    let throttled = request_reset(&app, &nobody).await;
    assert_eq!(code(&throttled), Some("RATE_LIMITED"), "{throttled}");
    assert!(throttled["errors"][0]["extensions"]["retryAfter"].is_number());
    app.clock.advance(chrono::Duration::seconds(2));
    assert_eq!(
        request_reset(&app, &nobody).await["data"]["requestPasswordReset"],
        true
    );
}
both_backends!(unknown_emails_get_the_same_answer_and_no_mail);
