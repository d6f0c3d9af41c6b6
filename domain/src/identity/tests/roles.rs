//! What each role may do: reading and replacing role permissions.

use super::harness::World;
use crate::identity::errors::{AccessError, DomainError, ErrorClass, RolePermissionsError};
use crate::identity::models::{Permission, Role};

const OLGA: &str = "olga@example.com";

fn keys(ks: &[&str]) -> Vec<String> {
    ks.iter().map(|k| (*k).to_owned()).collect()
}

#[tokio::test]
async fn a_new_business_has_the_default_matrix() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let roles = w
        .svc
        .role_permissions(&biz.owner.ctx)
        .await
        .expect("listed");
    let got: Vec<Role> = roles.iter().map(|(r, _)| *r).collect();
    assert_eq!(got, Role::ALL.to_vec(), "every role, most powerful first");
    for (role, perms) in roles {
        let mut expected = role.default_permissions();
        expected.sort();
        assert_eq!(perms, expected, "{role}");
    }
}

#[tokio::test]
async fn the_owner_role_is_not_editable() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let err = w
        .svc
        .set_role_permissions(&biz.owner.ctx, Role::Owner, &keys(&["guests:read"]))
        .await
        .expect_err("not editable");
    assert_eq!(err, RolePermissionsError::OwnerNotEditable);
    assert_eq!(err.class(), ErrorClass::Conflict);
    assert_eq!(err.field(), Some("role"));
    let me = w.svc.me(&biz.owner.ctx).await.expect("me");
    assert_eq!(me.permissions, Permission::ALL.to_vec());
}

#[tokio::test]
async fn an_unknown_permission_key_is_refused_and_nothing_changes() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let before = w
        .svc
        .role_permissions(&biz.owner.ctx)
        .await
        .expect("listed");
    for bad in ["guests:fly", "GUESTS:READ", "", "guests"] {
        let err = w
            .svc
            .set_role_permissions(&biz.owner.ctx, Role::Cashier, &keys(&["guests:read", bad]))
            .await
            .expect_err("unknown key");
        assert_eq!(err, RolePermissionsError::UnknownPermission(bad.to_owned()));
        assert_eq!(err.class(), ErrorClass::Validation);
        assert_eq!(err.field(), Some("permissions"));
    }
    assert_eq!(
        w.svc
            .role_permissions(&biz.owner.ctx)
            .await
            .expect("listed"),
        before
    );
}

#[tokio::test]
async fn keys_are_trimmed_deduplicated_and_sorted() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let set = w
        .svc
        .set_role_permissions(
            &biz.owner.ctx,
            Role::Cashier,
            &keys(&[
                " staff:read ",
                "guests:read",
                "staff:read",
                "checks:process",
            ]),
        )
        .await
        .expect("set");
    assert_eq!(
        set,
        vec![
            Permission::StaffRead,
            Permission::GuestsRead,
            Permission::ChecksProcess
        ]
    );
    let roles = w
        .svc
        .role_permissions(&biz.owner.ctx)
        .await
        .expect("listed");
    let cashier = roles
        .iter()
        .find(|(r, _)| *r == Role::Cashier)
        .map(|(_, p)| p.clone());
    assert_eq!(cashier, Some(set));
}

#[tokio::test]
async fn new_role_permissions_apply_to_the_next_request() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let kira = w
        .join(&biz.owner.ctx, "kira@example.com", Role::Cashier)
        .await;
    assert_eq!(
        w.svc.authorize(&kira.ctx, Permission::StaffRead).await,
        Err(AccessError::Forbidden)
    );
    w.svc
        .authorize(&kira.ctx, Permission::ChecksProcess)
        .await
        .expect("a cashier processes checks");
    w.svc
        .set_role_permissions(&biz.owner.ctx, Role::Cashier, &keys(&["staff:read"]))
        .await
        .expect("set");
    w.svc
        .authorize(&kira.ctx, Permission::StaffRead)
        .await
        .expect("granted at once");
    assert_eq!(
        w.svc.authorize(&kira.ctx, Permission::ChecksProcess).await,
        Err(AccessError::Forbidden),
        "withdrawn at once"
    );
    let me = w.svc.me(&kira.ctx).await.expect("me");
    assert_eq!(me.permissions, vec![Permission::StaffRead]);
}

#[tokio::test]
async fn a_role_can_be_left_with_no_permissions_and_is_still_listed() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let kira = w
        .join(&biz.owner.ctx, "kira@example.com", Role::Cashier)
        .await;
    let set = w
        .svc
        .set_role_permissions(&biz.owner.ctx, Role::Cashier, &[])
        .await
        .expect("emptied");
    assert!(set.is_empty());
    let roles = w
        .svc
        .role_permissions(&biz.owner.ctx)
        .await
        .expect("listed");
    assert_eq!(roles.len(), Role::ALL.len());
    assert_eq!(roles.last(), Some(&(Role::Cashier, Vec::new())));
    assert!(
        w.svc
            .me(&kira.ctx)
            .await
            .expect("me")
            .permissions
            .is_empty()
    );
}

#[tokio::test]
async fn role_permissions_belong_to_one_business() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let tea_before = w
        .svc
        .role_permissions(&tea.owner.ctx)
        .await
        .expect("listed");
    w.svc
        .set_role_permissions(&coffee.owner.ctx, Role::Manager, &keys(&["audit:read"]))
        .await
        .expect("set");
    assert_eq!(
        w.svc
            .role_permissions(&tea.owner.ctx)
            .await
            .expect("listed"),
        tea_before
    );
}
