//! Inviting staff, previewing, accepting and revoking invitations, and the
//! system's direct way of adding staff.

use chrono::Duration;

use super::harness::{OTHER_PASSWORD, PASSWORD, PUBLIC_URL, World, meta};
use crate::ctx::Ctx;
use crate::identity::errors::{
    AcceptInvitationError, DomainError, ErrorClass, InviteError, RevokeInvitationError,
};
use crate::identity::models::{InvitationStatus, Role};
use crate::page::PageRequest;

const OLGA: &str = "olga@example.com";
const IVAN: &str = "ivan@example.com";

async fn statuses(w: &World, ctx: &Ctx) -> Vec<(String, InvitationStatus)> {
    w.svc
        .invitations(ctx, PageRequest::default())
        .await
        .expect("invitations are listed")
        .items
        .into_iter()
        .map(|i| (i.email.to_string(), i.status))
        .collect()
}

#[tokio::test]
async fn an_invitee_previews_then_joins_with_a_new_account() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let now = w.now();
    let inv = w
        .svc
        .invite_staff(&biz.owner.ctx, "  Ivan@Example.com ", Role::Manager)
        .await
        .expect("invited");
    assert_eq!(inv.email.as_ref(), IVAN);
    assert_eq!(inv.role, Role::Manager);
    assert_eq!(inv.status, InvitationStatus::Pending);
    assert_eq!(inv.expires_at, now + Duration::days(7));

    let sent = w.mailer.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to.as_ref(), IVAN);
    assert!(
        sent[0].subject.contains("Coffee & Co"),
        "{}",
        sent[0].subject
    );
    let token = w.last_invitation_token();
    assert!(token.starts_with("inv_"), "{token}");
    assert!(
        sent[0]
            .text
            .contains(&format!("{PUBLIC_URL}/accept-invitation?token={token}")),
        "one slash between the URL and the path: {}",
        sent[0].text
    );

    let preview = w.svc.invitation_preview(&token).await.expect("preview");
    assert_eq!(preview.email.as_ref(), IVAN);
    assert_eq!(preview.role, Role::Manager);
    assert_eq!(preview.tenant_name, "Coffee & Co");
    assert_eq!(preview.expires_at, inv.expires_at);

    let session = w
        .svc
        .accept_invitation(&token, PASSWORD, "  Ivan Petrov ", meta())
        .await
        .expect("accepted");
    assert_eq!(session.me.user.email.as_ref(), IVAN);
    assert_eq!(session.me.user.display_name, "Ivan Petrov");
    assert_eq!(session.me.role, Role::Manager);
    assert_eq!(session.me.tenant.id, biz.tenant);
    assert_eq!(session.me.permissions, Role::Manager.default_permissions());
    let member = w
        .svc
        .staff_member(&biz.owner.ctx, session.me.user.id)
        .await
        .expect("on the staff");
    assert!(member.active);
    assert_eq!(member.role, Role::Manager);
    assert_eq!(
        statuses(&w, &biz.owner.ctx).await,
        vec![(IVAN.to_owned(), InvitationStatus::Accepted)]
    );
    w.login(IVAN, PASSWORD)
        .await
        .expect("the new account logs in");
}

#[tokio::test]
async fn only_an_owner_can_invite_an_owner() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let admin = w
        .join(&biz.owner.ctx, "adam@example.com", Role::Admin)
        .await;
    let sent_before = w.mailer.sent().len();
    let err = w
        .svc
        .invite_staff(&admin.ctx, "zoya@example.com", Role::Owner)
        .await
        .expect_err("admins cannot invite owners");
    assert_eq!(err, InviteError::OwnerOnly);
    assert_eq!(err.class(), ErrorClass::Forbidden);
    assert_eq!(err.field(), Some("role"));
    assert_eq!(w.mailer.sent().len(), sent_before);
    for role in [Role::Admin, Role::Manager, Role::Cashier] {
        w.svc
            .invite_staff(&admin.ctx, &format!("{}@example.com", role.as_str()), role)
            .await
            .expect("admins invite non-owners");
    }
    let token = w
        .invite(&biz.owner.ctx, "zoya@example.com", Role::Owner)
        .await;
    let zoya = w.accept(&token, PASSWORD).await.expect("joins as owner");
    assert_eq!(zoya.me.role, Role::Owner);
    assert_eq!(
        zoya.me.permissions.len(),
        crate::identity::models::Permission::ALL.len()
    );
}

#[tokio::test]
async fn inviting_someone_already_on_the_staff_is_a_conflict() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let ivan = w.join(&biz.owner.ctx, IVAN, Role::Cashier).await;
    let sent_before = w.mailer.sent().len();
    for email in [OLGA, "IVAN@example.com"] {
        let err = w
            .svc
            .invite_staff(&biz.owner.ctx, email, Role::Manager)
            .await
            .expect_err("already on the staff");
        assert_eq!(err, InviteError::AlreadyMember);
        assert_eq!(err.class(), ErrorClass::Conflict);
        assert_eq!(err.field(), Some("email"));
    }
    // A deactivated member is still a member: reactivate them instead.
    w.svc
        .set_staff_active(&biz.owner.ctx, ivan.id, false)
        .await
        .expect("deactivated");
    assert_eq!(
        w.svc
            .invite_staff(&biz.owner.ctx, IVAN, Role::Manager)
            .await,
        Err(InviteError::AlreadyMember)
    );
    assert_eq!(w.mailer.sent().len(), sent_before);
}

#[tokio::test]
async fn a_malformed_email_cannot_be_invited() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let err = w
        .svc
        .invite_staff(&biz.owner.ctx, "ivan at example", Role::Cashier)
        .await
        .expect_err("refused");
    assert_eq!(err.field(), Some("email"));
    assert_eq!(err.class(), ErrorClass::Validation);
    assert!(w.mailer.sent().is_empty());
}

#[tokio::test]
async fn an_invitation_works_once() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let token = w.invite(&biz.owner.ctx, IVAN, Role::Cashier).await;
    w.accept(&token, PASSWORD).await.expect("accepted");
    assert_eq!(
        w.accept(&token, PASSWORD).await.map(|_| ()),
        Err(AcceptInvitationError::NotFound)
    );
    assert_eq!(
        w.svc.invitation_preview(&token).await.map(|_| ()),
        Err(AcceptInvitationError::NotFound)
    );
}

#[tokio::test]
async fn an_expired_invitation_cannot_be_previewed_accepted_or_revoked() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let inv = w
        .svc
        .invite_staff(&biz.owner.ctx, IVAN, Role::Cashier)
        .await
        .expect("invited");
    let token = w.last_invitation_token();
    w.clock.advance(Duration::days(7) - Duration::seconds(1));
    w.svc.invitation_preview(&token).await.expect("still valid");
    w.clock.advance(Duration::seconds(1));
    let err = w.svc.invitation_preview(&token).await.expect_err("expired");
    assert_eq!(err, AcceptInvitationError::Expired);
    assert_eq!(err.class(), ErrorClass::Conflict);
    assert_eq!(err.field(), Some("token"));
    assert_eq!(
        w.accept(&token, PASSWORD).await.map(|_| ()),
        Err(AcceptInvitationError::Expired)
    );
    assert_eq!(
        statuses(&w, &biz.owner.ctx).await,
        vec![(IVAN.to_owned(), InvitationStatus::Expired)]
    );
    assert_eq!(
        w.svc.revoke_invitation(&biz.owner.ctx, inv.id).await,
        Err(RevokeInvitationError::NotPending)
    );
    assert!(w.store.tables().users.len() == 1, "no account was created");
}

#[tokio::test]
async fn a_revoked_invitation_cannot_be_used() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let inv = w
        .svc
        .invite_staff(&biz.owner.ctx, IVAN, Role::Cashier)
        .await
        .expect("invited");
    let token = w.last_invitation_token();
    let revoked = w
        .svc
        .revoke_invitation(&biz.owner.ctx, inv.id)
        .await
        .expect("revoked");
    assert_eq!(revoked.status, InvitationStatus::Revoked);
    assert_eq!(
        w.svc.invitation_preview(&token).await.map(|_| ()),
        Err(AcceptInvitationError::NotFound)
    );
    assert_eq!(
        w.accept(&token, PASSWORD).await.map(|_| ()),
        Err(AcceptInvitationError::NotFound)
    );
    assert_eq!(
        w.svc.revoke_invitation(&biz.owner.ctx, inv.id).await,
        Err(RevokeInvitationError::NotPending)
    );
}

#[tokio::test]
async fn inviting_the_same_email_again_replaces_the_older_invitation() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let old = w.invite(&biz.owner.ctx, IVAN, Role::Cashier).await;
    let new = w.invite(&biz.owner.ctx, IVAN, Role::Manager).await;
    assert_ne!(old, new);
    assert_eq!(
        w.accept(&old, PASSWORD).await.map(|_| ()),
        Err(AcceptInvitationError::NotFound)
    );
    let s = w.accept(&new, PASSWORD).await.expect("the newer one works");
    assert_eq!(s.me.role, Role::Manager);
    assert_eq!(
        statuses(&w, &biz.owner.ctx).await,
        vec![
            (IVAN.to_owned(), InvitationStatus::Revoked),
            (IVAN.to_owned(), InvitationStatus::Accepted)
        ]
    );
}

#[tokio::test]
async fn an_existing_account_joins_with_its_own_password_only() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let token = w.invite(&tea.owner.ctx, OLGA, Role::Admin).await;
    let preview = w.svc.invitation_preview(&token).await.expect("preview");
    assert_eq!(preview.tenant_name, "Tea House");

    let err = w
        .accept(&token, OTHER_PASSWORD)
        .await
        .expect_err("wrong password");
    assert_eq!(err, AcceptInvitationError::WrongPassword);
    assert_eq!(err.class(), ErrorClass::Unauthenticated);
    assert_eq!(err.field(), Some("password"));
    assert!(
        !w.store
            .tables()
            .memberships
            .contains_key(&(tea.tenant, coffee.owner.id))
    );

    let s = w
        .svc
        .accept_invitation(&token, PASSWORD, "A New Name", meta())
        .await
        .expect("joins with the account's password");
    assert_eq!(s.me.user.id, coffee.owner.id, "the same account");
    assert_eq!(s.me.user.display_name, "Olga Owner", "the name is kept");
    assert_eq!(s.me.tenant.id, tea.tenant);
    assert_eq!(s.me.role, Role::Admin);
    assert_eq!(w.store.tables().users.len(), 2, "no new account");
    assert_eq!(
        w.store.tables().users[&coffee.owner.id].password_hash,
        format!("hash:{PASSWORD}"),
        "the password is unchanged"
    );
}

#[tokio::test]
async fn a_new_account_needs_a_strong_password_and_a_name() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let token = w.invite(&biz.owner.ctx, IVAN, Role::Cashier).await;
    for (password, name, field) in [
        ("short", "Ivan", "password"),
        ("qwertyuiop", "Ivan", "password"),
        ("ivan-strong-password", "Ivan", "password"),
        (PASSWORD, "   ", "displayName"),
    ] {
        let err = w
            .svc
            .accept_invitation(&token, password, name, meta())
            .await
            .expect_err("refused");
        assert!(matches!(err, AcceptInvitationError::Invalid(_)), "{err:?}");
        assert_eq!(err.field(), Some(field));
    }
    assert_eq!(w.store.tables().users.len(), 1);
    w.accept(&token, PASSWORD)
        .await
        .expect("still pending, now accepted");
}

#[tokio::test]
async fn tampered_invitation_tokens_are_not_found() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let other = w.business("Tea House", "pavel@example.com").await;
    let token = w.invite(&biz.owner.ctx, IVAN, Role::Cashier).await;
    let own = biz.tenant.as_uuid().simple().to_string();
    let foreign = other.tenant.as_uuid().simple().to_string();
    for bad in [
        String::new(),
        "inv_".into(),
        token.replacen("inv_", "rt_", 1),
        token.replace(&own, &foreign),
        format!("{token}0"),
        biz.owner.session.refresh_token.clone(),
        biz.owner.session.refresh_token.replacen("rt_", "inv_", 1),
    ] {
        assert_eq!(
            w.svc.invitation_preview(&bad).await.map(|_| ()),
            Err(AcceptInvitationError::NotFound),
            "{bad}"
        );
        assert_eq!(
            w.accept(&bad, PASSWORD).await.map(|_| ()),
            Err(AcceptInvitationError::NotFound),
            "{bad}"
        );
    }
    w.accept(&token, PASSWORD)
        .await
        .expect("the real token works");
}

#[tokio::test]
async fn accepting_when_already_on_the_staff_is_a_conflict_and_changes_nothing() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let token = w.invite(&tea.owner.ctx, OLGA, Role::Cashier).await;
    // Olga got onto Tea House's staff by another way meanwhile.
    w.store.tables().memberships.insert(
        (tea.tenant, coffee.owner.id),
        super::fakes::MembershipRow {
            role: Role::Manager,
            active: true,
            joined_at: w.now(),
        },
    );
    let err = w
        .accept(&token, PASSWORD)
        .await
        .expect_err("already a member");
    assert_eq!(err, AcceptInvitationError::AlreadyMember);
    assert_eq!(err.class(), ErrorClass::Conflict);
    assert_eq!(
        statuses(&w, &tea.owner.ctx).await.first(),
        Some(&(OLGA.to_owned(), InvitationStatus::Pending)),
        "the failed acceptance left the invitation pending"
    );
}

#[tokio::test]
async fn only_an_owner_can_revoke_an_owners_invitation() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let admin = w
        .join(&biz.owner.ctx, "adam@example.com", Role::Admin)
        .await;
    let owner_inv = w
        .svc
        .invite_staff(&biz.owner.ctx, "zoya@example.com", Role::Owner)
        .await
        .expect("invited");
    let cashier_inv = w
        .svc
        .invite_staff(&biz.owner.ctx, IVAN, Role::Cashier)
        .await
        .expect("invited");
    let err = w
        .svc
        .revoke_invitation(&admin.ctx, owner_inv.id)
        .await
        .expect_err("owner only");
    assert_eq!(err, RevokeInvitationError::OwnerOnly);
    assert_eq!(err.class(), ErrorClass::Forbidden);
    w.svc
        .revoke_invitation(&admin.ctx, cashier_inv.id)
        .await
        .expect("admins revoke non-owner invitations");
    w.svc
        .revoke_invitation(&biz.owner.ctx, owner_inv.id)
        .await
        .expect("owners revoke owner invitations");
}

#[tokio::test]
async fn another_tenants_invitation_cannot_be_revoked() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let inv = w
        .svc
        .invite_staff(&tea.owner.ctx, IVAN, Role::Cashier)
        .await
        .expect("invited");
    let err = w
        .svc
        .revoke_invitation(&coffee.owner.ctx, inv.id)
        .await
        .expect_err("not in this tenant");
    assert_eq!(err, RevokeInvitationError::NotFound);
    assert_eq!(err.class(), ErrorClass::NotFound);
    assert!(statuses(&w, &coffee.owner.ctx).await.is_empty());
    assert_eq!(
        statuses(&w, &tea.owner.ctx).await,
        vec![(IVAN.to_owned(), InvitationStatus::Pending)]
    );
}

#[tokio::test]
async fn an_unsent_invitation_is_kept_and_reported() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    w.mailer.fail(true);
    let err = w
        .svc
        .invite_staff(&biz.owner.ctx, IVAN, Role::Cashier)
        .await
        .expect_err("the e-mail failed");
    assert!(matches!(err, InviteError::Internal(_)), "{err:?}");
    assert_eq!(err.class(), ErrorClass::Internal);
    assert_eq!(
        statuses(&w, &biz.owner.ctx).await,
        vec![(IVAN.to_owned(), InvitationStatus::Pending)]
    );
    w.mailer.fail(false);
    let token = w.invite(&biz.owner.ctx, IVAN, Role::Cashier).await;
    w.accept(&token, PASSWORD)
        .await
        .expect("inviting again works");
}

#[tokio::test]
async fn the_system_adds_staff_with_a_password_and_people_cannot() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let err = w
        .svc
        .add_staff_with_password(&biz.owner.ctx, IVAN, "Ivan", PASSWORD, Role::Owner)
        .await
        .expect_err("people cannot");
    assert_eq!(err, AcceptInvitationError::NotFound);
    assert_eq!(w.store.tables().users.len(), 1);

    let sys = Ctx::system(biz.tenant);
    let id = w
        .svc
        .add_staff_with_password(&sys, IVAN, "Ivan", PASSWORD, Role::Manager)
        .await
        .expect("the system can");
    let member = w
        .svc
        .staff_member(&biz.owner.ctx, id)
        .await
        .expect("on the staff");
    assert_eq!(member.role, Role::Manager);
    let s = w.login(IVAN, PASSWORD).await.expect("logs in");
    assert_eq!(s.me.permissions, Role::Manager.default_permissions());
    assert_eq!(
        statuses(&w, &biz.owner.ctx).await,
        vec![(IVAN.to_owned(), InvitationStatus::Accepted)]
    );
    let weak = w
        .svc
        .add_staff_with_password(&sys, "zoya@example.com", "Zoya", "short", Role::Cashier)
        .await
        .expect_err("weak password");
    assert_eq!(weak.field(), Some("password"));
}

/// Suspected bug: adding staff whose e-mail already has an account fails inside
/// `accept` after the invitation was stored, which leaves a pending invitation
/// nobody holds the token of, and reports a user-fixable conflict as internal.
#[tokio::test]
async fn adding_staff_with_a_taken_email_leaves_no_pending_invitation_behind() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    w.business("Tea House", "pavel@example.com").await;
    let sys = Ctx::system(biz.tenant);
    let err = w
        .svc
        .add_staff_with_password(&sys, "pavel@example.com", "Pavel", PASSWORD, Role::Cashier)
        .await
        .expect_err("the e-mail has an account");
    let pending: Vec<_> = statuses(&w, &biz.owner.ctx)
        .await
        .into_iter()
        .filter(|(_, s)| *s == InvitationStatus::Pending)
        .collect();
    assert!(
        pending.is_empty(),
        "an orphan invitation stays pending: {pending:?}"
    );
    assert_ne!(err.class(), ErrorClass::Internal, "{err:?}");
}

#[tokio::test]
async fn an_invitation_link_allows_no_more_password_guesses_than_login() {
    let w = World::new();
    let _coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let token = w.invite(&tea.owner.ctx, OLGA, Role::Admin).await;
    for _ in 0..3 {
        assert_eq!(
            w.accept(&token, OTHER_PASSWORD).await.map(|_| ()),
            Err(AcceptInvitationError::WrongPassword)
        );
    }
    let throttled = w
        .accept(&token, PASSWORD)
        .await
        .expect_err("the fourth guess comes too fast, even a right one");
    assert!(
        matches!(throttled, AcceptInvitationError::Throttled { .. }),
        "{throttled:?}"
    );
    assert_eq!(throttled.class(), ErrorClass::RateLimited);
    assert!(throttled.retry_after_secs().is_some());
    // The same counter guards login.
    assert!(matches!(
        w.login(OLGA, PASSWORD).await.map(|_| ()),
        Err(crate::identity::LoginError::Throttled { .. })
    ));
}
