//! Signing up a business and logging in.

use chrono::Duration;

use super::harness::{PASSWORD, World, meta, sign_up_input};
use crate::identity::errors::{DomainError, ErrorClass, LoginError, SignUpError};
use crate::identity::models::{Permission, Role};
use crate::identity::service::SignUp;
use crate::money::Currency;
use crate::page::PageRequest;

#[tokio::test]
async fn signing_up_creates_the_business_its_owner_and_a_session() {
    let w = World::new();
    let now = w.now();
    let mut input = sign_up_input("  Coffee & Co  ", " Olga@Example.COM ");
    input.location_name = " Nevsky 1 ".into();
    let session = w
        .svc
        .sign_up(input, meta())
        .await
        .expect("sign-up succeeds");

    assert_eq!(session.me.role, Role::Owner);
    assert_eq!(session.me.tenant.name, "Coffee & Co");
    assert_eq!(session.me.tenant.currency, Currency::Rub);
    assert_eq!(session.me.user.email.as_ref(), "olga@example.com");
    assert_eq!(session.me.user.display_name, "Olga Owner");
    assert_eq!(session.me.permissions, Permission::ALL.to_vec());
    assert_eq!(session.access_expires_at, now + Duration::minutes(15));
    assert_eq!(session.refresh_expires_at, now + Duration::days(30));
    assert!(session.refresh_token.starts_with("rt_"));

    let ctx = w.ctx_of(&session);
    assert_eq!(ctx.tenant(), session.me.tenant.id);
    assert_eq!(ctx.actor().user_id(), Some(session.me.user.id));
    let locations = w
        .svc
        .locations(&ctx, PageRequest::default())
        .await
        .expect("locations are listed");
    assert_eq!(locations.total, 1);
    assert_eq!(locations.items[0].name, "Nevsky 1");
    assert_eq!(locations.items[0].timezone, "Europe/Moscow");
    let staff = w
        .svc
        .staff(&ctx, PageRequest::default())
        .await
        .expect("staff is listed");
    assert_eq!(staff.total, 1);
    assert_eq!(staff.items[0].role, Role::Owner);
    assert!(staff.items[0].active);
}

#[tokio::test]
async fn a_tenge_business_gets_an_almaty_location() {
    let w = World::new();
    let input = SignUp {
        currency: Currency::Kzt,
        ..sign_up_input("Dastarkhan", "aigerim@example.kz")
    };
    let session = w
        .svc
        .sign_up(input, meta())
        .await
        .expect("sign-up succeeds");
    let ctx = w.ctx_of(&session);
    let locations = w
        .svc
        .locations(&ctx, PageRequest::default())
        .await
        .expect("locations are listed");
    assert_eq!(locations.items[0].timezone, "Asia/Almaty");
    assert_eq!(session.me.tenant.currency, Currency::Kzt);
}

#[tokio::test]
async fn sign_up_names_the_field_at_fault_and_stores_nothing() {
    let w = World::new();
    let base = || sign_up_input("Coffee & Co", "olga@example.com");
    let cases: Vec<(SignUp, &str)> = vec![
        (
            SignUp {
                business_name: "   ".into(),
                ..base()
            },
            "businessName",
        ),
        (
            SignUp {
                business_name: "x".repeat(121),
                ..base()
            },
            "businessName",
        ),
        (
            SignUp {
                location_name: String::new(),
                ..base()
            },
            "locationName",
        ),
        (
            SignUp {
                display_name: "y".repeat(101),
                ..base()
            },
            "displayName",
        ),
        (
            SignUp {
                display_name: "Olga\u{7}".into(),
                ..base()
            },
            "displayName",
        ),
        (
            SignUp {
                email: "olga@example".into(),
                ..base()
            },
            "email",
        ),
        (
            SignUp {
                password: "short".into(),
                ..base()
            },
            "password",
        ),
        (
            SignUp {
                password: "password123".into(),
                ..base()
            },
            "password",
        ),
        (
            SignUp {
                password: "my-olga-password-2026".into(),
                ..base()
            },
            "password",
        ),
    ];
    for (input, field) in cases {
        let err = w
            .svc
            .sign_up(input, meta())
            .await
            .expect_err("invalid input is refused");
        assert!(matches!(err, SignUpError::Invalid(_)), "{err:?}");
        assert_eq!(err.class(), ErrorClass::Validation);
        assert_eq!(err.field(), Some(field), "{err:?}");
    }
    assert!(w.store.tables().tenants.is_empty());
    assert!(w.store.tables().users.is_empty());
    assert_eq!(w.store.audit_count(), 0);
}

#[tokio::test]
async fn signing_up_with_a_taken_email_is_refused_whatever_its_case() {
    let w = World::new();
    w.business("First", "olga@example.com").await;
    let err = w
        .sign_up("Second", "  OLGA@example.com")
        .await
        .expect_err("the e-mail is taken");
    assert_eq!(err, SignUpError::EmailTaken);
    assert_eq!(err.class(), ErrorClass::Conflict);
    assert_eq!(err.field(), Some("email"));
    assert_eq!(w.store.tables().tenants.len(), 1);
    assert_eq!(
        w.store.audit_count(),
        2,
        "the first sign-up and its session"
    );
}

#[tokio::test]
async fn the_owner_logs_in_with_the_email_in_any_case() {
    let w = World::new();
    let biz = w.business("Coffee & Co", "olga@example.com").await;
    let session = w
        .login(" Olga@Example.com ", PASSWORD)
        .await
        .expect("login succeeds");
    assert_eq!(session.me.tenant.id, biz.tenant);
    assert_eq!(session.me.user.id, biz.owner.id);
    assert_eq!(session.me.role, Role::Owner);
    assert_ne!(session.refresh_token, biz.owner.session.refresh_token);
    let ctx = w.ctx_of(&session);
    assert_eq!(ctx.tenant(), biz.tenant);
    assert_eq!(ctx.role(), Some(Role::Owner));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_give_the_same_error() {
    let w = World::new();
    w.business("Coffee & Co", "olga@example.com").await;
    let wrong = w
        .login("olga@example.com", "not-the-password")
        .await
        .expect_err("a wrong password is refused");
    let unknown = w
        .login("nobody@example.com", PASSWORD)
        .await
        .expect_err("an unknown e-mail is refused");
    assert_eq!(wrong, LoginError::InvalidCredentials);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert_eq!(wrong.class(), ErrorClass::Unauthenticated);
}

#[tokio::test]
async fn an_unknown_email_still_costs_a_password_verification() {
    let w = World::new();
    let _ = w.login("nobody@example.com", PASSWORD).await;
    assert_eq!(
        w.hasher
            .dummy_verifications
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
}

#[tokio::test]
async fn a_malformed_email_at_login_is_a_validation_error() {
    let w = World::new();
    let err = w
        .login("not an e-mail", PASSWORD)
        .await
        .expect_err("refused");
    assert!(matches!(err, LoginError::Invalid(_)), "{err:?}");
    assert_eq!(err.field(), Some("email"));
}

#[tokio::test]
async fn a_person_without_active_staff_access_cannot_log_in() {
    let w = World::new();
    let biz = w.business("Coffee & Co", "olga@example.com").await;
    let ivan = w
        .join(&biz.owner.ctx, "ivan@example.com", Role::Cashier)
        .await;
    w.svc
        .set_staff_active(&biz.owner.ctx, ivan.id, false)
        .await
        .expect("deactivated");
    let err = w
        .login("ivan@example.com", PASSWORD)
        .await
        .expect_err("no active membership");
    assert_eq!(err, LoginError::NoActiveMembership);
    assert_eq!(err.class(), ErrorClass::Forbidden);
    // A wrong password still says nothing more than that.
    assert_eq!(
        w.login("ivan@example.com", "wrong-password").await,
        Err(LoginError::InvalidCredentials)
    );
}

#[tokio::test]
async fn login_lands_in_the_latest_business_where_the_person_is_active() {
    let w = World::new();
    let first = w.business("First", "olga@example.com").await;
    w.clock.advance(Duration::minutes(1));
    let second = w.business("Second", "pavel@example.com").await;
    let token = w
        .invite(&second.owner.ctx, "olga@example.com", Role::Manager)
        .await;
    w.clock.advance(Duration::minutes(1));
    w.accept(&token, PASSWORD).await.expect("joins the second");

    let session = w.login("olga@example.com", PASSWORD).await.expect("login");
    assert_eq!(session.me.tenant.id, second.tenant);
    assert_eq!(session.me.role, Role::Manager);

    w.svc
        .set_staff_active(&second.owner.ctx, first.owner.id, false)
        .await
        .expect("deactivated in the second business");
    let session = w.login("olga@example.com", PASSWORD).await.expect("login");
    assert_eq!(session.me.tenant.id, first.tenant);
    assert_eq!(session.me.role, Role::Owner);
}

#[tokio::test]
async fn login_can_ask_for_a_business_and_only_gets_one_where_the_person_is_active() {
    let w = World::new();
    let first = w.business("First", "olga@example.com").await;
    let second = w.business("Second", "pavel@example.com").await;
    let token = w
        .invite(&second.owner.ctx, "olga@example.com", Role::Cashier)
        .await;
    w.accept(&token, PASSWORD).await.expect("joins the second");

    let s = w
        .svc
        .login("olga@example.com", PASSWORD, Some(first.tenant), meta())
        .await
        .expect("login in the first");
    assert_eq!((s.me.tenant.id, s.me.role), (first.tenant, Role::Owner));
    let s = w
        .svc
        .login("olga@example.com", PASSWORD, Some(second.tenant), meta())
        .await
        .expect("login in the second");
    assert_eq!((s.me.tenant.id, s.me.role), (second.tenant, Role::Cashier));

    let stranger = w.business("Third", "zoya@example.com").await;
    assert_eq!(
        w.svc
            .login("olga@example.com", PASSWORD, Some(stranger.tenant), meta())
            .await,
        Err(LoginError::NoActiveMembership)
    );
}
