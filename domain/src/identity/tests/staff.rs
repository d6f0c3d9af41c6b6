//! Changing staff roles and active state, with the owner protections.

use super::harness::{Business, Member, PASSWORD, World, meta};
use crate::ctx::Ctx;
use crate::identity::errors::{
    AccessError, DomainError, ErrorClass, LoginError, ReadError, RefreshError, StaffChangeError,
};
use crate::identity::models::{Permission, Role};
use crate::page::PageRequest;

const OLGA: &str = "olga@example.com";

/// A business with an owner, an admin, a manager and a cashier.
async fn crew(w: &World) -> (Business, Member, Member, Member) {
    let biz = w.business("Coffee & Co", OLGA).await;
    let admin = w
        .join(&biz.owner.ctx, "adam@example.com", Role::Admin)
        .await;
    let manager = w
        .join(&biz.owner.ctx, "mila@example.com", Role::Manager)
        .await;
    let cashier = w
        .join(&biz.owner.ctx, "kira@example.com", Role::Cashier)
        .await;
    (biz, admin, manager, cashier)
}

#[tokio::test]
async fn nobody_changes_their_own_role_or_deactivates_themselves() {
    let w = World::new();
    let (biz, admin, ..) = crew(&w).await;
    for m in [&biz.owner, &admin] {
        let err = w
            .svc
            .change_staff_role(&m.ctx, m.id, Role::Cashier)
            .await
            .expect_err("self");
        assert_eq!(err, StaffChangeError::SelfChange);
        assert_eq!(err.class(), ErrorClass::Conflict);
        assert_eq!(
            w.svc.set_staff_active(&m.ctx, m.id, false).await,
            Err(StaffChangeError::SelfChange)
        );
    }
    assert_eq!(
        w.svc
            .change_staff_role(&biz.owner.ctx, biz.owner.id, Role::Owner)
            .await
            .map(|m| m.role),
        Ok(Role::Owner),
        "keeping one's own role is a no-op"
    );
}

#[tokio::test]
async fn an_admin_cannot_touch_an_owner_or_grant_the_owner_role() {
    let w = World::new();
    let (biz, admin, manager, _) = crew(&w).await;
    let cases = [
        w.svc
            .change_staff_role(&admin.ctx, biz.owner.id, Role::Admin)
            .await,
        w.svc
            .set_staff_active(&admin.ctx, biz.owner.id, false)
            .await,
        w.svc
            .change_staff_role(&admin.ctx, manager.id, Role::Owner)
            .await,
    ];
    for result in cases {
        let err = result.expect_err("owner only");
        assert_eq!(err, StaffChangeError::OwnerOnly);
        assert_eq!(err.class(), ErrorClass::Forbidden);
    }
    let owner = w
        .svc
        .staff_member(&biz.owner.ctx, biz.owner.id)
        .await
        .expect("owner");
    assert_eq!((owner.role, owner.active), (Role::Owner, true));
}

#[tokio::test]
async fn an_admin_cannot_reactivate_an_owner() {
    let w = World::new();
    let (biz, admin, ..) = crew(&w).await;
    let zoya = w
        .join(&biz.owner.ctx, "zoya@example.com", Role::Owner)
        .await;
    w.svc
        .set_staff_active(&biz.owner.ctx, zoya.id, false)
        .await
        .expect("an owner deactivates another owner");
    assert_eq!(
        w.svc.set_staff_active(&admin.ctx, zoya.id, true).await,
        Err(StaffChangeError::OwnerOnly)
    );
    assert_eq!(
        w.svc
            .change_staff_role(&admin.ctx, zoya.id, Role::Cashier)
            .await,
        Err(StaffChangeError::OwnerOnly)
    );
}

#[tokio::test]
async fn an_admin_manages_everyone_but_owners() {
    let w = World::new();
    let (biz, admin, manager, cashier) = crew(&w).await;
    let adam2 = w
        .join(&biz.owner.ctx, "adam2@example.com", Role::Admin)
        .await;
    let m = w
        .svc
        .change_staff_role(&admin.ctx, cashier.id, Role::Manager)
        .await
        .expect("promoted");
    assert_eq!((m.role, m.active), (Role::Manager, true));
    let m = w
        .svc
        .set_staff_active(&admin.ctx, manager.id, false)
        .await
        .expect("deactivated");
    assert!(!m.active);
    w.svc
        .change_staff_role(&admin.ctx, adam2.id, Role::Cashier)
        .await
        .expect("another admin demoted");
}

#[tokio::test]
async fn an_owner_demotes_another_owner_while_one_remains() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let zoya = w
        .join(&biz.owner.ctx, "zoya@example.com", Role::Owner)
        .await;
    let m = w
        .svc
        .change_staff_role(&zoya.ctx, biz.owner.id, Role::Admin)
        .await
        .expect("demoted");
    assert_eq!(m.role, Role::Admin);
    // Olga (now an admin) cannot touch Zoya, the only owner.
    assert_eq!(
        w.svc
            .change_staff_role(&biz.owner.ctx, zoya.id, Role::Admin)
            .await,
        Err(StaffChangeError::OwnerOnly)
    );
}

#[tokio::test]
async fn the_last_active_owner_cannot_be_demoted_or_deactivated() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    // Only the system (acting with owner rights) can even try.
    let sys = Ctx::system(biz.tenant);
    let err = w
        .svc
        .change_staff_role(&sys, biz.owner.id, Role::Admin)
        .await
        .expect_err("last owner");
    assert_eq!(err, StaffChangeError::LastOwner);
    assert_eq!(err.class(), ErrorClass::Conflict);
    assert_eq!(
        w.svc.set_staff_active(&sys, biz.owner.id, false).await,
        Err(StaffChangeError::LastOwner)
    );

    // With a second owner deactivated, Olga is still the last active one.
    let zoya = w
        .join(&biz.owner.ctx, "zoya@example.com", Role::Owner)
        .await;
    w.svc
        .set_staff_active(&biz.owner.ctx, zoya.id, false)
        .await
        .expect("two owners: one can go");
    assert_eq!(
        w.svc.set_staff_active(&sys, biz.owner.id, false).await,
        Err(StaffChangeError::LastOwner)
    );
    assert_eq!(
        w.svc
            .change_staff_role(&sys, biz.owner.id, Role::Manager)
            .await,
        Err(StaffChangeError::LastOwner)
    );
    // An inactive owner can be demoted: it does not reduce the active owners.
    let m = w
        .svc
        .change_staff_role(&biz.owner.ctx, zoya.id, Role::Manager)
        .await
        .expect("inactive owner demoted");
    assert_eq!((m.role, m.active), (Role::Manager, false));
    let owner = w.svc.staff_member(&sys, biz.owner.id).await.expect("owner");
    assert_eq!((owner.role, owner.active), (Role::Owner, true));
}

#[tokio::test]
async fn setting_the_current_role_or_state_changes_nothing() {
    let w = World::new();
    let (biz, _, manager, _) = crew(&w).await;
    let audit_before = w.audit(biz.tenant).len();
    let invalidations = w.authz.invalidations();
    let m = w
        .svc
        .change_staff_role(&biz.owner.ctx, manager.id, Role::Manager)
        .await
        .expect("no-op");
    assert_eq!(m.role, Role::Manager);
    let m = w
        .svc
        .set_staff_active(&biz.owner.ctx, manager.id, true)
        .await
        .expect("no-op");
    assert!(m.active);
    assert_eq!(w.audit(biz.tenant).len(), audit_before);
    assert_eq!(w.authz.invalidations(), invalidations);
}

#[tokio::test]
async fn deactivation_takes_every_access_away_at_once() {
    let w = World::new();
    let (biz, _, _, cashier) = crew(&w).await;
    let second = w
        .login("kira@example.com", PASSWORD)
        .await
        .expect("second session");
    w.svc
        .authorize(&cashier.ctx, Permission::ChecksProcess)
        .await
        .expect("allowed before");
    w.svc
        .set_staff_active(&biz.owner.ctx, cashier.id, false)
        .await
        .expect("deactivated");
    assert_eq!(
        w.svc
            .authorize(&cashier.ctx, Permission::ChecksProcess)
            .await,
        Err(AccessError::Forbidden)
    );
    assert_eq!(
        w.svc.me(&cashier.ctx).await,
        Err(AccessError::Unauthenticated)
    );
    for token in [&cashier.session.refresh_token, &second.refresh_token] {
        assert_eq!(
            w.svc.refresh(token, meta()).await.map(|_| ()),
            Err(RefreshError::InvalidToken)
        );
    }
    assert_eq!(
        w.login("kira@example.com", PASSWORD).await.map(|_| ()),
        Err(LoginError::NoActiveMembership)
    );
}

#[tokio::test]
async fn reactivation_restores_access_with_the_same_role() {
    let w = World::new();
    let (biz, _, manager, _) = crew(&w).await;
    w.svc
        .set_staff_active(&biz.owner.ctx, manager.id, false)
        .await
        .expect("deactivated");
    let m = w
        .svc
        .set_staff_active(&biz.owner.ctx, manager.id, true)
        .await
        .expect("reactivated");
    assert_eq!((m.role, m.active), (Role::Manager, true));
    w.svc
        .authorize(&manager.ctx, Permission::PointsAdjust)
        .await
        .expect("allowed again");
    let s = w
        .login("mila@example.com", PASSWORD)
        .await
        .expect("logs in");
    assert_eq!(s.me.role, Role::Manager);
}

#[tokio::test]
async fn a_role_change_applies_to_authorization_at_once() {
    let w = World::new();
    let (biz, _, _, cashier) = crew(&w).await;
    assert_eq!(
        w.svc.authorize(&cashier.ctx, Permission::StaffRead).await,
        Err(AccessError::Forbidden)
    );
    w.svc
        .change_staff_role(&biz.owner.ctx, cashier.id, Role::Admin)
        .await
        .expect("promoted");
    // The old access token (issued for a cashier) now acts as an admin.
    w.svc
        .authorize(&cashier.ctx, Permission::StaffRead)
        .await
        .expect("allowed after the change");
    let me = w.svc.me(&cashier.ctx).await.expect("me");
    assert_eq!(me.role, Role::Admin);
    assert_eq!(me.permissions, Role::Admin.default_permissions());
}

#[tokio::test]
async fn a_role_given_while_inactive_applies_on_reactivation() {
    let w = World::new();
    let (biz, _, _, cashier) = crew(&w).await;
    w.svc
        .set_staff_active(&biz.owner.ctx, cashier.id, false)
        .await
        .expect("deactivated");
    w.svc
        .change_staff_role(&biz.owner.ctx, cashier.id, Role::Manager)
        .await
        .expect("role changed while inactive");
    assert_eq!(
        w.svc
            .authorize(&cashier.ctx, Permission::ChecksProcess)
            .await,
        Err(AccessError::Forbidden),
        "still no access while inactive"
    );
    w.svc
        .set_staff_active(&biz.owner.ctx, cashier.id, true)
        .await
        .expect("reactivated");
    w.svc
        .authorize(&cashier.ctx, Permission::PointsAdjust)
        .await
        .expect("a manager now");
}

#[tokio::test]
async fn another_tenants_staff_cannot_be_seen_or_changed() {
    let w = World::new();
    let (biz, _, manager, _) = crew(&w).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let t = &tea.owner.ctx;
    assert_eq!(
        w.svc.change_staff_role(t, manager.id, Role::Cashier).await,
        Err(StaffChangeError::NotFound)
    );
    assert_eq!(
        w.svc.set_staff_active(t, manager.id, false).await,
        Err(StaffChangeError::NotFound)
    );
    assert_eq!(
        w.svc.staff_member(t, manager.id).await,
        Err(ReadError::NotFound)
    );
    assert_eq!(
        w.svc
            .change_staff_role(t, biz.owner.id, Role::Cashier)
            .await,
        Err(StaffChangeError::NotFound)
    );
    let staff = w.svc.staff(t, PageRequest::default()).await.expect("list");
    assert_eq!(staff.total, 1);
    let m = w
        .svc
        .staff_member(&biz.owner.ctx, manager.id)
        .await
        .expect("untouched");
    assert_eq!((m.role, m.active), (Role::Manager, true));
}

#[tokio::test]
async fn staff_are_listed_oldest_first_in_pages() {
    let w = World::new();
    let (biz, admin, manager, cashier) = crew(&w).await;
    let ctx = &biz.owner.ctx;
    let first = w
        .svc
        .staff(
            ctx,
            PageRequest::from_relay(None, None, Some(2), None).expect("valid"),
        )
        .await
        .expect("page 1");
    assert_eq!(first.total, 4);
    assert!(first.has_next);
    assert!(!first.has_previous);
    let ids: Vec<_> = first.items.iter().map(|m| m.user.id).collect();
    assert_eq!(ids, vec![biz.owner.id, admin.id]);
    let after = ids[1].as_uuid();
    let second = w
        .svc
        .staff(
            ctx,
            PageRequest::from_relay(Some(after), None, Some(2), None).expect("valid"),
        )
        .await
        .expect("page 2");
    let ids: Vec<_> = second.items.iter().map(|m| m.user.id).collect();
    assert_eq!(ids, vec![manager.id, cashier.id]);
    assert!(!second.has_next);
    assert!(second.has_previous);
    let last = w
        .svc
        .staff(
            ctx,
            PageRequest::from_relay(None, None, None, Some(1)).expect("valid"),
        )
        .await
        .expect("last page");
    assert_eq!(last.items.len(), 1);
    assert_eq!(last.items[0].user.id, cashier.id);
    assert!(last.has_previous);
}
