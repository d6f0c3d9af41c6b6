//! One's own profile and password, and moving between one's businesses.

use super::harness::{OTHER_PASSWORD, PASSWORD, World, meta};
use crate::ctx::Ctx;
use crate::identity::errors::{
    ChangePasswordError, DomainError, ErrorClass, LoginError, ProfileError, ReadError,
    RefreshError, SwitchTenantError,
};
use crate::identity::models::{Locale, Role};

const OLGA: &str = "olga@example.com";

#[tokio::test]
async fn a_profile_update_changes_only_what_is_given() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let ctx = &biz.owner.ctx;
    let u = w
        .svc
        .update_profile(ctx, Some("  Olga K. "), None)
        .await
        .expect("updated");
    assert_eq!((u.display_name.as_str(), u.locale), ("Olga K.", Locale::Ru));
    let u = w
        .svc
        .update_profile(ctx, None, Some(Locale::En))
        .await
        .expect("updated");
    assert_eq!((u.display_name.as_str(), u.locale), ("Olga K.", Locale::En));
    assert_eq!(w.svc.me(ctx).await.expect("me").user, u);
    let err = w
        .svc
        .update_profile(ctx, Some(&"x".repeat(101)), None)
        .await
        .expect_err("too long");
    assert_eq!(err.field(), Some("displayName"));
    assert_eq!(err.class(), ErrorClass::Validation);
}

/// Suspected bug: `change_password` and `me` refuse a deactivated member, but
/// `update_profile` lets them edit their profile while their access token lasts.
#[tokio::test]
async fn a_deactivated_member_cannot_edit_their_profile() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let kira = w
        .join(&biz.owner.ctx, "kira@example.com", Role::Cashier)
        .await;
    w.svc
        .set_staff_active(&biz.owner.ctx, kira.id, false)
        .await
        .expect("deactivated");
    assert_eq!(
        w.svc
            .update_profile(&kira.ctx, Some("Kira"), None)
            .await
            .map(|_| ()),
        Err(ProfileError::NotFound)
    );
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_a_new_strong_one() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let ctx = &biz.owner.ctx;
    let err = w
        .svc
        .change_password(ctx, "not-the-password", OTHER_PASSWORD)
        .await
        .expect_err("wrong current password");
    assert_eq!(err, ChangePasswordError::WrongPassword);
    assert_eq!(err.field(), Some("currentPassword"));
    for new in ["short", "password123", "olga-likes-tea-2026", PASSWORD] {
        let err = w
            .svc
            .change_password(ctx, PASSWORD, new)
            .await
            .expect_err("refused");
        assert!(
            matches!(err, ChangePasswordError::Invalid(_)),
            "{new}: {err:?}"
        );
        assert_eq!(err.field(), Some("newPassword"), "{new}");
    }
    w.login(OLGA, PASSWORD)
        .await
        .expect("the password is unchanged");
}

#[tokio::test]
async fn wrong_current_passwords_count_toward_the_login_throttle() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    for _ in 0..3 {
        assert_eq!(
            w.svc
                .change_password(&biz.owner.ctx, "not-the-password", OTHER_PASSWORD)
                .await
                .map(|_| ()),
            Err(ChangePasswordError::WrongPassword)
        );
    }
    let err = w
        .svc
        .change_password(&biz.owner.ctx, PASSWORD, OTHER_PASSWORD)
        .await
        .expect_err("throttled");
    assert_eq!(
        err,
        ChangePasswordError::Throttled {
            retry_after_secs: 1
        }
    );
    assert_eq!(err.retry_after_secs(), Some(1));
    assert_eq!(
        w.login(OLGA, PASSWORD).await.map(|_| ()),
        Err(LoginError::Throttled {
            retry_after_secs: 1
        })
    );
}

#[tokio::test]
async fn a_password_change_ends_every_other_session_in_every_business() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let token = w.invite(&tea.owner.ctx, OLGA, Role::Cashier).await;
    let at_tea = w.accept(&token, PASSWORD).await.expect("joins");
    let other = w.login(OLGA, PASSWORD).await.expect("another session");

    let fresh = w
        .svc
        .change_password(&coffee.owner.ctx, PASSWORD, OTHER_PASSWORD)
        .await
        .expect("changed");
    assert_eq!(fresh.me.tenant.id, coffee.tenant);
    assert_eq!(fresh.me.role, Role::Owner);
    for old in [&coffee.owner.session, &at_tea, &other] {
        assert_eq!(
            w.svc.refresh(&old.refresh_token, meta()).await.map(|_| ()),
            Err(RefreshError::InvalidToken)
        );
    }
    w.svc
        .refresh(&fresh.refresh_token, meta())
        .await
        .expect("the new session works");
    assert_eq!(
        w.login(OLGA, PASSWORD).await.map(|_| ()),
        Err(LoginError::InvalidCredentials)
    );
    w.login(OLGA, OTHER_PASSWORD)
        .await
        .expect("the new password works");
    // Pavel's sessions are untouched.
    w.svc
        .refresh(&tea.owner.session.refresh_token, meta())
        .await
        .expect("someone else's session lives on");
}

#[tokio::test]
async fn my_businesses_are_the_active_ones_sorted_by_name() {
    let w = World::new();
    let zebra = w.business("Zebra Bar", OLGA).await;
    let apple = w.business("Apple Cafe", "pavel@example.com").await;
    let mango = w.business("Mango", "mark@example.com").await;
    let t = w.invite(&apple.owner.ctx, OLGA, Role::Manager).await;
    w.accept(&t, PASSWORD).await.expect("joins");
    let t = w.invite(&mango.owner.ctx, OLGA, Role::Cashier).await;
    w.accept(&t, PASSWORD).await.expect("joins");
    w.svc
        .set_staff_active(&mango.owner.ctx, zebra.owner.id, false)
        .await
        .expect("deactivated at Mango");
    let mine = w.svc.my_tenants(&zebra.owner.ctx).await.expect("listed");
    let got: Vec<_> = mine.iter().map(|(t, r)| (t.name.as_str(), *r)).collect();
    assert_eq!(
        got,
        vec![("Apple Cafe", Role::Manager), ("Zebra Bar", Role::Owner)]
    );
    assert_eq!(
        w.svc.my_tenants(&Ctx::system(zebra.tenant)).await,
        Err(ReadError::NotFound)
    );
}

#[tokio::test]
async fn switching_business_works_only_where_one_is_active_staff() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let stranger = w.business("Other", "mark@example.com").await;
    let t = w.invite(&tea.owner.ctx, OLGA, Role::Manager).await;
    w.accept(&t, PASSWORD).await.expect("joins");

    let s = w
        .svc
        .switch_tenant(&coffee.owner.ctx, tea.tenant)
        .await
        .expect("switched");
    assert_eq!((s.me.tenant.id, s.me.role), (tea.tenant, Role::Manager));
    assert_eq!(w.ctx_of(&s).tenant(), tea.tenant);

    let err = w
        .svc
        .switch_tenant(&coffee.owner.ctx, stranger.tenant)
        .await
        .expect_err("not staff there");
    assert_eq!(err, SwitchTenantError::NotFound);
    assert_eq!(err.class(), ErrorClass::NotFound);
    w.svc
        .set_staff_active(&tea.owner.ctx, coffee.owner.id, false)
        .await
        .expect("deactivated at Tea House");
    assert_eq!(
        w.svc
            .switch_tenant(&coffee.owner.ctx, tea.tenant)
            .await
            .map(|_| ()),
        Err(SwitchTenantError::NotFound)
    );
}
