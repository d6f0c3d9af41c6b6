//! Forgotten passwords: a single-use, expiring link by e-mail.

use chrono::Duration;

use super::harness::{OTHER_PASSWORD, PASSWORD, PUBLIC_URL, World, meta};
use crate::identity::errors::{
    DomainError, ErrorClass, LoginError, RefreshError, RequestPasswordResetError,
    ResetPasswordError,
};

const OLGA: &str = "olga@example.com";

fn reset_token(w: &World) -> String {
    let sent = w.mailer.sent();
    let text = &sent.last().expect("an e-mail was sent").text;
    let start = text.find("token=").expect("a link") + "token=".len();
    text[start..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_owned()
}

#[tokio::test]
async fn a_reset_link_sets_the_password_once_and_ends_every_session() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    w.svc.request_password_reset(OLGA).await.expect("requested");
    let sent = w.mailer.sent();
    let mail = sent.last().expect("mail");
    assert_eq!(
        mail.subject, "Сброс пароля — MaxLoyalty",
        "the owner's language"
    );
    let token = reset_token(&w);
    assert!(token.starts_with("pwr_"));
    assert!(
        mail.text
            .contains(&format!("{PUBLIC_URL}/reset-password?token={token}"))
    );
    assert!(
        mail.html
            .as_deref()
            .is_some_and(|h| h.contains("reset-password"))
    );

    w.svc
        .reset_password(&token, OTHER_PASSWORD, meta())
        .await
        .expect("reset");
    assert!(matches!(
        w.svc
            .refresh(&biz.owner.session.refresh_token, meta())
            .await,
        Err(RefreshError::InvalidToken | RefreshError::Reused)
    ));
    assert!(matches!(
        w.login(OLGA, PASSWORD).await,
        Err(LoginError::InvalidCredentials)
    ));
    w.login(OLGA, OTHER_PASSWORD)
        .await
        .expect("the new password");
    let again = w
        .svc
        .reset_password(&token, "yet-Another-pass-77", meta())
        .await
        .expect_err("used");
    assert_eq!(again, ResetPasswordError::InvalidToken);
    assert_eq!(
        (again.class(), again.field()),
        (ErrorClass::Validation, Some("token"))
    );
    assert!(
        w.audit(biz.tenant)
            .iter()
            .any(|e| e.action == "auth.password_reset")
    );
}

#[tokio::test]
async fn an_expired_link_or_a_weak_password_changes_nothing() {
    let w = World::new();
    w.business("Coffee & Co", OLGA).await;
    w.svc.request_password_reset(OLGA).await.expect("requested");
    let token = reset_token(&w);
    let weak = w
        .svc
        .reset_password(&token, "short", meta())
        .await
        .expect_err("weak");
    assert_eq!(weak.field(), Some("newPassword"));
    w.clock.advance(Duration::minutes(30));
    assert_eq!(
        w.svc.reset_password(&token, OTHER_PASSWORD, meta()).await,
        Err(ResetPasswordError::InvalidToken)
    );
    w.login(OLGA, PASSWORD)
        .await
        .expect("the old password still works");
}

#[tokio::test]
async fn unknown_emails_get_the_same_answer_and_requests_are_throttled() {
    let w = World::new();
    w.svc
        .request_password_reset("nobody@example.com")
        .await
        .expect("same answer");
    assert!(w.mailer.sent().is_empty());
    for _ in 0..2 {
        w.svc
            .request_password_reset("nobody@example.com")
            .await
            .expect("same answer");
    }
    let err = w
        .svc
        .request_password_reset("nobody@example.com")
        .await
        .expect_err("throttled");
    assert!(matches!(err, RequestPasswordResetError::Throttled { .. }));
    assert_eq!(err.class(), ErrorClass::RateLimited);
    w.clock.advance(Duration::seconds(2));
    w.svc
        .request_password_reset("nobody@example.com")
        .await
        .expect("after the wait");
}
