//! Partner API keys: shown once, stored as a digest, scoped no wider than their
//! creator, authorised like people, attributed in the audit log, revocable.

use chrono::Duration;

use super::harness::{World, meta};
use crate::ctx::{Actor, Ctx};
use crate::identity::errors::{
    AccessError, CreateApiKeyError, DomainError, ErrorClass, RevokeApiKeyError,
};
use crate::identity::models::{Permission, Role};
use crate::identity::service::NewLocation;
use crate::ids::{ApiKeyId, GuestId};

const OLGA: &str = "olga@example.com";
const MARK: &str = "mark@example.com";

fn keys(ks: &[&str]) -> Vec<String> {
    ks.iter().map(|k| (*k).to_owned()).collect()
}

#[tokio::test]
async fn a_new_key_is_shown_once_and_stored_only_as_a_digest() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let invalidations = w.authz.invalidations();
    let created = w
        .svc
        .create_api_key(
            &biz.owner.ctx,
            "  POS bridge ",
            &keys(&["guests:read", "checks:process"]),
        )
        .await
        .expect("created");
    let k = &created.key;
    assert!(
        created.secret.starts_with("mlk_live_"),
        "{}",
        created.secret
    );
    assert!(created.secret.starts_with(&k.prefix));
    assert_eq!(k.prefix.len(), "mlk_live_".len() + 8);
    assert_eq!(k.name, "POS bridge");
    assert_eq!(
        k.scopes,
        vec![Permission::GuestsRead, Permission::ChecksProcess]
    );
    assert_eq!(k.created_by, Actor::Staff(biz.owner.id));
    assert_eq!(k.created_by_label.as_deref(), Some(OLGA));
    assert_eq!(k.created_at, w.now());
    assert_eq!((k.last_used_at, k.revoked_at), (None, None));
    {
        let t = w.store.tables();
        let (_, _, digest) = t.api_keys.first().expect("stored");
        assert_eq!(*digest, format!("sha:{}", created.secret));
    }
    assert_eq!(
        w.authz.invalidations(),
        invalidations + 1,
        "the new key's policy applies at once"
    );
    let audit = w.audit(biz.tenant);
    let e = audit.last().expect("audited");
    assert_eq!(e.action, "api_key.create");
    assert_eq!(e.target_id, Some(k.id.to_string()));
    assert_eq!(e.actor, Some(biz.owner.id));
    assert_eq!(e.details["scopes"][0], "guests:read");
    assert_eq!(e.details["prefix"], k.prefix.as_str());
    assert!(
        !e.details.to_string().contains(&created.secret),
        "the key is never logged"
    );
    let listed = w.svc.api_keys(&biz.owner.ctx).await.expect("listed");
    assert_eq!(listed, vec![k.clone()]);
}

#[tokio::test]
async fn a_key_acts_in_its_tenant_within_its_scopes_until_revoked() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let created = w
        .svc
        .create_api_key(&biz.owner.ctx, "POS", &keys(&["guests:read"]))
        .await
        .expect("created");
    let ctx = w
        .svc
        .authenticate_api_key(&created.secret, meta())
        .await
        .expect("the key works");
    assert_eq!(ctx.tenant(), biz.tenant);
    assert_eq!(ctx.actor(), Actor::ApiKey(created.key.id));
    assert_eq!(ctx.role(), None);
    assert_eq!(w.svc.authorize(&ctx, Permission::GuestsRead).await, Ok(()));
    for p in [Permission::ChecksProcess, Permission::IntegrationsManage] {
        assert_eq!(
            w.svc.authorize(&ctx, p).await,
            Err(AccessError::Forbidden),
            "{p:?}"
        );
    }
    // Fields about a person refuse it.
    assert_eq!(w.svc.me(&ctx).await, Err(AccessError::Unauthenticated));

    let revoked = w
        .svc
        .revoke_api_key(&biz.owner.ctx, created.key.id)
        .await
        .expect("revoked");
    assert_eq!(revoked.revoked_at, Some(w.now()));
    let err = w
        .svc
        .authenticate_api_key(&created.secret, meta())
        .await
        .expect_err("a revoked key is refused");
    assert_eq!(err, AccessError::InvalidApiKey);
    assert_eq!(err.class(), ErrorClass::Unauthenticated);
    assert_eq!(
        w.svc.authorize(&ctx, Permission::GuestsRead).await,
        Err(AccessError::Forbidden),
        "its scopes are gone too"
    );

    // Revoking again changes nothing and writes nothing.
    let n = w.audit(biz.tenant).len();
    w.clock.advance(Duration::minutes(5));
    let again = w
        .svc
        .revoke_api_key(&biz.owner.ctx, created.key.id)
        .await
        .expect("idempotent");
    assert_eq!(again.revoked_at, revoked.revoked_at);
    assert_eq!(w.audit(biz.tenant).len(), n);
    let actions: Vec<String> = w
        .audit(biz.tenant)
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("api_key."))
        .collect();
    assert_eq!(actions, ["api_key.create", "api_key.revoke"]);
}

#[tokio::test]
async fn malformed_forged_and_foreign_keys_are_refused() {
    let w = World::new();
    let a = w.business("Coffee & Co", OLGA).await;
    let b = w.business("Tea House", MARK).await;
    let created = w
        .svc
        .create_api_key(&a.owner.ctx, "POS", &keys(&["guests:read"]))
        .await
        .expect("created");
    let secret = &created.secret;
    let (body, _tenant) = secret.rsplit_once('_').expect("tenant part");
    let elsewhere = format!("{body}_{}", b.tenant.as_uuid().simple());
    let mut tampered = secret.clone();
    tampered.replace_range(9..10, if &secret[9..10] == "0" { "1" } else { "0" });
    for bad in [
        String::new(),
        "mlk_live_".to_owned(),
        "mlk_live_nonsense".to_owned(),
        body.to_owned(),
        elsewhere,
        tampered,
        format!("{secret}0"),
    ] {
        assert_eq!(
            w.svc.authenticate_api_key(&bad, meta()).await,
            Err(AccessError::InvalidApiKey),
            "{bad}"
        );
    }
    // B sees nothing of A's keys and cannot revoke them.
    assert!(
        w.svc
            .api_keys(&b.owner.ctx)
            .await
            .expect("listed")
            .is_empty()
    );
    assert_eq!(
        w.svc.revoke_api_key(&b.owner.ctx, created.key.id).await,
        Err(RevokeApiKeyError::NotFound)
    );
    assert_eq!(
        w.svc.revoke_api_key(&a.owner.ctx, ApiKeyId::new()).await,
        Err(RevokeApiKeyError::NotFound)
    );
    let still = w
        .svc
        .authenticate_api_key(secret, meta())
        .await
        .expect("A's key still works");
    assert_eq!(still.tenant(), a.tenant);
}

#[tokio::test]
async fn a_key_never_holds_more_than_its_creator_may_do() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let manager = w
        .join(&biz.owner.ctx, "ivan@example.com", Role::Manager)
        .await;
    let bad = |err: CreateApiKeyError| {
        assert_eq!(err.class(), ErrorClass::Validation, "{err}");
        assert_eq!(err.field(), Some("scopes"), "{err}");
        err.to_string()
    };
    // Beyond the manager's role (the role matrix says managers only read loyalty).
    let msg = bad(w
        .svc
        .create_api_key(
            &manager.ctx,
            "Partner",
            &keys(&["guests:read", "loyalty:manage"]),
        )
        .await
        .expect_err("beyond the role"));
    assert!(msg.contains("loyalty:manage"), "{msg}");
    w.svc
        .create_api_key(&manager.ctx, "Partner", &keys(&["guests:read"]))
        .await
        .expect("within the role");
    // Never staff or roles, not even for an owner; unknown and empty scopes too.
    for scopes in [
        &["staff:manage"][..],
        &["roles:manage", "guests:read"][..],
        &["guests:fly"][..],
        &[][..],
    ] {
        bad(w
            .svc
            .create_api_key(&biz.owner.ctx, "Partner", &keys(scopes))
            .await
            .expect_err("refused"));
    }
    let name = w
        .svc
        .create_api_key(&biz.owner.ctx, " ", &keys(&["guests:read"]))
        .await
        .expect_err("a name is needed");
    assert_eq!(name.field(), Some("name"));

    // A key creating a key is bounded by its own scopes, and is named as the creator.
    let parent = w
        .svc
        .create_api_key(
            &biz.owner.ctx,
            "Integrator",
            &keys(&["integrations:manage", "guests:read"]),
        )
        .await
        .expect("created");
    let key_ctx = w
        .svc
        .authenticate_api_key(&parent.secret, meta())
        .await
        .expect("works");
    bad(w
        .svc
        .create_api_key(&key_ctx, "Child", &keys(&["guests:manage"]))
        .await
        .expect_err("beyond the key"));
    let child = w
        .svc
        .create_api_key(&key_ctx, "Child", &keys(&["guests:read"]))
        .await
        .expect("within the key");
    assert_eq!(child.key.created_by, Actor::ApiKey(parent.key.id));
    assert_eq!(
        child.key.created_by_label.as_deref(),
        Some(parent.key.label().as_str())
    );

    // A guest is nobody's creator.
    let guest = Ctx::guest(biz.tenant, GuestId::new(), meta());
    assert_eq!(
        w.svc
            .create_api_key(&guest, "x", &keys(&["guests:read"]))
            .await,
        Err(CreateApiKeyError::NotAllowed)
    );
}

#[tokio::test]
async fn what_a_key_does_is_attributed_to_it_in_the_audit_log() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let created = w
        .svc
        .create_api_key(&biz.owner.ctx, "Site sync", &keys(&["locations:manage"]))
        .await
        .expect("created");
    let ctx = w
        .svc
        .authenticate_api_key(&created.secret, meta())
        .await
        .expect("works");
    w.svc
        .create_location(
            &ctx,
            NewLocation {
                name: "Airport".into(),
                address: None,
                timezone: "Europe/Moscow".into(),
            },
        )
        .await
        .expect("created by the key");
    let audit = w.audit(biz.tenant);
    let e = audit.last().expect("audited");
    assert_eq!(e.action, "location.create");
    assert_eq!(e.actor, None, "not a person");
    assert_eq!(e.api_key, Some(created.key.id));
    assert_eq!(
        e.actor_label.as_deref(),
        Some(format!("API key \"Site sync\" ({}…)", created.key.prefix).as_str())
    );
    let by_owner = audit
        .iter()
        .find(|e| e.action == "api_key.create")
        .expect("creation");
    assert_eq!(by_owner.api_key, None);
}

#[tokio::test]
async fn a_keys_last_use_is_recorded_at_most_once_a_minute() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let created = w
        .svc
        .create_api_key(&biz.owner.ctx, "POS", &keys(&["guests:read"]))
        .await
        .expect("created");
    let last_used =
        || async { w.svc.api_keys(&biz.owner.ctx).await.expect("listed")[0].last_used_at };
    assert_eq!(last_used().await, None);
    let first = w.now();
    w.svc
        .authenticate_api_key(&created.secret, meta())
        .await
        .expect("works");
    assert_eq!(last_used().await, Some(first));
    w.clock.advance(Duration::seconds(59));
    w.svc
        .authenticate_api_key(&created.secret, meta())
        .await
        .expect("works");
    assert_eq!(last_used().await, Some(first), "not within the minute");
    w.clock.advance(Duration::seconds(1));
    w.svc
        .authenticate_api_key(&created.secret, meta())
        .await
        .expect("works");
    assert_eq!(last_used().await, Some(w.now()));
}
