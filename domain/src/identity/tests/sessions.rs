//! Access tokens, rotating refresh tokens, logout, `me` and `authorize`.

use chrono::Duration;

use super::harness::{PASSWORD, World, meta};
use crate::ctx::Ctx;
use crate::identity::errors::{AccessError, DomainError, ErrorClass, RefreshError};
use crate::identity::models::{Permission, Role};

const OLGA: &str = "olga@example.com";

#[tokio::test]
async fn a_refresh_token_is_exchanged_once_for_a_new_pair() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    w.clock.advance(Duration::minutes(20));
    let first = &biz.owner.session;
    let next = w
        .svc
        .refresh(&first.refresh_token, meta())
        .await
        .expect("exchanged");
    assert_ne!(next.refresh_token, first.refresh_token);
    assert_ne!(next.access_token, first.access_token);
    assert_eq!(next.access_expires_at, w.now() + Duration::minutes(15));
    assert_eq!(next.refresh_expires_at, w.now() + Duration::days(30));
    assert_eq!(next.me.user.id, biz.owner.id);
    assert_eq!(next.me.tenant.id, biz.tenant);
    assert_eq!(next.me.permissions, Permission::ALL.to_vec());
    let ctx = w.ctx_of(&next);
    assert_eq!(ctx.tenant(), biz.tenant);
    let stored = w.store.tables().refresh_tokens.clone();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].session, stored[1].session, "same session family");
    assert_eq!(stored[0].used_at, Some(w.now()));
    assert_eq!(stored[1].used_at, None);
}

#[tokio::test]
async fn a_reused_refresh_token_revokes_the_whole_family() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let r1 = biz.owner.session.refresh_token.clone();
    let r2 = w
        .svc
        .refresh(&r1, meta())
        .await
        .expect("first exchange")
        .refresh_token;
    let r3 = w
        .svc
        .refresh(&r2, meta())
        .await
        .expect("second exchange")
        .refresh_token;

    let err = w.svc.refresh(&r1, meta()).await.expect_err("reuse");
    assert_eq!(err, RefreshError::Reused);
    assert_eq!(err.class(), ErrorClass::Unauthenticated);
    assert_eq!(
        w.svc
            .refresh(&r3, meta())
            .await
            .expect_err("family revoked"),
        RefreshError::InvalidToken
    );
    assert!(
        w.store
            .tables()
            .refresh_tokens
            .iter()
            .all(|t| t.revoked_at.is_some())
    );
}

#[tokio::test]
async fn reuse_revokes_only_its_own_family() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let other = w.login(OLGA, PASSWORD).await.expect("second session");
    let r1 = biz.owner.session.refresh_token.clone();
    w.svc.refresh(&r1, meta()).await.expect("exchange");
    assert_eq!(
        w.svc.refresh(&r1, meta()).await.map(|_| ()),
        Err(RefreshError::Reused)
    );
    w.svc
        .refresh(&other.refresh_token, meta())
        .await
        .expect("the other session lives on");
}

#[tokio::test]
async fn two_concurrent_exchanges_of_one_token_never_both_succeed() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let token = biz.owner.session.refresh_token.clone();
    let (a, b) = tokio::join!(w.svc.refresh(&token, meta()), w.svc.refresh(&token, meta()));
    let oks = [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count();
    assert_eq!(oks, 1, "{a:?} / {b:?}");
    assert!(a.err().or(b.err()) == Some(RefreshError::Reused));
}

#[tokio::test]
async fn refresh_tokens_expire_after_thirty_days() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let other = w.login(OLGA, PASSWORD).await.expect("second session");
    w.clock.advance(Duration::days(30) - Duration::seconds(1));
    w.svc
        .refresh(&biz.owner.session.refresh_token, meta())
        .await
        .expect("still valid a second before expiry");
    w.clock.advance(Duration::seconds(1));
    assert_eq!(
        w.svc
            .refresh(&other.refresh_token, meta())
            .await
            .map(|_| ()),
        Err(RefreshError::InvalidToken)
    );
}

#[tokio::test]
async fn a_logged_out_session_cannot_be_refreshed_and_logging_out_again_is_harmless() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let other = w.login(OLGA, PASSWORD).await.expect("second session");
    let token = biz.owner.session.refresh_token.clone();
    w.svc.logout(&token, meta()).await.expect("logged out");
    w.svc
        .logout(&token, meta())
        .await
        .expect("logging out twice is harmless");
    w.svc
        .logout("rt_garbage", meta())
        .await
        .expect("unknown tokens are ignored");
    w.svc
        .logout("", meta())
        .await
        .expect("empty tokens are ignored");
    assert_eq!(
        w.svc.refresh(&token, meta()).await.map(|_| ()),
        Err(RefreshError::InvalidToken)
    );
    w.svc
        .refresh(&other.refresh_token, meta())
        .await
        .expect("the other session lives on");
}

#[tokio::test]
async fn logging_out_with_a_rotated_token_ends_the_current_one_too() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let r1 = biz.owner.session.refresh_token.clone();
    let r2 = w
        .svc
        .refresh(&r1, meta())
        .await
        .expect("exchange")
        .refresh_token;
    w.svc.logout(&r1, meta()).await.expect("logged out");
    assert_eq!(
        w.svc.refresh(&r2, meta()).await.map(|_| ()),
        Err(RefreshError::InvalidToken)
    );
}

#[tokio::test]
async fn tampered_refresh_tokens_are_rejected_without_harming_the_real_one() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let other = w.business("Tea House", "pavel@example.com").await;
    let real = biz.owner.session.refresh_token.clone();
    let own_tenant = biz.tenant.as_uuid().simple().to_string();
    let other_tenant = other.tenant.as_uuid().simple().to_string();
    let secret = real
        .rsplit('_')
        .next()
        .expect("the token ends with its secret")
        .to_owned();
    let tampered = [
        String::new(),
        "garbage".into(),
        real.replacen("rt_", "inv_", 1),
        real.replacen("rt_", "", 1),
        real.replace(&own_tenant, &other_tenant),
        real.replace(&own_tenant, "not-a-uuid"),
        format!("rt_{own_tenant}_{}", &secret[..20]),
        format!("{real}x"),
        real.to_uppercase(),
    ];
    for token in &tampered {
        assert_eq!(
            w.svc.refresh(token, meta()).await.map(|_| ()),
            Err(RefreshError::InvalidToken),
            "{token}"
        );
    }
    w.svc
        .refresh(&real, meta())
        .await
        .expect("the real token still works");
}

#[tokio::test]
async fn a_deactivated_member_cannot_refresh() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let ivan = w
        .join(&biz.owner.ctx, "ivan@example.com", Role::Cashier)
        .await;
    w.svc
        .set_staff_active(&biz.owner.ctx, ivan.id, false)
        .await
        .expect("deactivated");
    assert_eq!(
        w.svc
            .refresh(&ivan.session.refresh_token, meta())
            .await
            .map(|_| ()),
        Err(RefreshError::InvalidToken)
    );
}

#[tokio::test]
async fn refresh_checks_membership_even_if_the_tokens_were_not_revoked() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let ivan = w
        .join(&biz.owner.ctx, "ivan@example.com", Role::Cashier)
        .await;
    let next = w
        .svc
        .refresh(&ivan.session.refresh_token, meta())
        .await
        .expect("exchange");
    // Behind the service's back: inactive, sessions left alone.
    w.store
        .tables()
        .memberships
        .get_mut(&(biz.tenant, ivan.id))
        .expect("a member")
        .active = false;
    assert_eq!(
        w.svc.refresh(&next.refresh_token, meta()).await.map(|_| ()),
        Err(RefreshError::InvalidToken)
    );
    let t = w.store.tables();
    assert!(
        t.refresh_tokens
            .iter()
            .filter(|r| r.user == ivan.id)
            .all(|r| r.revoked_at.is_some()),
        "the family is revoked"
    );
}

#[tokio::test]
async fn a_refresh_picks_up_a_role_change() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let ivan = w
        .join(&biz.owner.ctx, "ivan@example.com", Role::Cashier)
        .await;
    w.svc
        .change_staff_role(&biz.owner.ctx, ivan.id, Role::Manager)
        .await
        .expect("promoted");
    let next = w
        .svc
        .refresh(&ivan.session.refresh_token, meta())
        .await
        .expect("exchange");
    assert_eq!(next.me.role, Role::Manager);
    assert_eq!(next.me.permissions, Role::Manager.default_permissions());
    assert_eq!(w.ctx_of(&next).role(), Some(Role::Manager));
}

#[tokio::test]
async fn access_tokens_work_until_they_expire() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let token = &biz.owner.session.access_token;
    w.clock
        .advance(Duration::minutes(15) - Duration::seconds(1));
    let ctx = w.svc.authenticate(token, meta()).expect("still valid");
    assert_eq!(ctx.tenant(), biz.tenant);
    assert_eq!(ctx.actor().user_id(), Some(biz.owner.id));
    assert_eq!(ctx.meta(), &meta());
    w.clock.advance(Duration::seconds(1));
    let err = w.svc.authenticate(token, meta()).expect_err("expired");
    assert_eq!(err, AccessError::Expired);
    assert_eq!(err.class(), ErrorClass::Unauthenticated);
}

#[tokio::test]
async fn malformed_access_tokens_are_unauthenticated() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    for token in [
        String::new(),
        "Bearer x".into(),
        biz.owner.session.refresh_token.clone(),
        biz.owner.session.access_token.replacen('{', "[", 1),
    ] {
        assert_eq!(
            w.svc.authenticate(&token, meta()),
            Err(AccessError::Unauthenticated),
            "{token}"
        );
    }
}

#[tokio::test]
async fn me_shows_the_caller_and_refuses_one_no_longer_on_the_staff() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let ivan = w
        .join(&biz.owner.ctx, "ivan@example.com", Role::Cashier)
        .await;
    let me = w.svc.me(&ivan.ctx).await.expect("me");
    assert_eq!(me.user.email.as_ref(), "ivan@example.com");
    assert_eq!(me.role, Role::Cashier);
    assert_eq!(me.tenant.id, biz.tenant);
    assert_eq!(me.permissions, Role::Cashier.default_permissions());
    w.svc
        .set_staff_active(&biz.owner.ctx, ivan.id, false)
        .await
        .expect("deactivated");
    assert_eq!(w.svc.me(&ivan.ctx).await, Err(AccessError::Unauthenticated));
    // A valid token for a business the person is not in.
    let stranger = w.business("Tea House", "pavel@example.com").await;
    let foreign = Ctx::staff(stranger.tenant, biz.owner.id, Role::Owner, meta());
    assert_eq!(w.svc.me(&foreign).await, Err(AccessError::Unauthenticated));
}

#[tokio::test]
async fn the_system_actor_is_not_a_person() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let sys = Ctx::system(biz.tenant);
    assert_eq!(w.svc.me(&sys).await, Err(AccessError::Unauthenticated));
    assert_eq!(
        w.svc.authorize(&sys, Permission::TenantRead).await,
        Err(AccessError::Unauthenticated)
    );
}

#[tokio::test]
async fn authorize_follows_the_role_in_the_contexts_tenant() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let token = w.invite(&tea.owner.ctx, OLGA, Role::Cashier).await;
    let at_tea = w.accept(&token, PASSWORD).await.expect("joins");
    let at_tea = w.ctx_of(&at_tea);

    w.svc
        .authorize(&coffee.owner.ctx, Permission::StaffManage)
        .await
        .expect("owner at Coffee & Co");
    assert_eq!(
        w.svc.authorize(&at_tea, Permission::StaffManage).await,
        Err(AccessError::Forbidden)
    );
    w.svc
        .authorize(&at_tea, Permission::ChecksProcess)
        .await
        .expect("cashier at Tea House");
    // A forged context naming Olga as owner at Tea House still gets her real grant there.
    let forged = Ctx::staff(tea.tenant, coffee.owner.id, Role::Owner, meta());
    assert_eq!(
        w.svc.authorize(&forged, Permission::StaffManage).await,
        Err(AccessError::Forbidden)
    );
    assert_eq!(AccessError::Forbidden.class(), ErrorClass::Forbidden);
}
