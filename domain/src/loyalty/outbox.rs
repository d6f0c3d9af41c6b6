//! The loyalty context's durable events (version 1 payloads). Each builder
//! returns the [`DomainEvent`] the service hands to the ledger or guest store,
//! which enqueues it in the transaction of the change. The shapes here are a
//! published contract (`docs/WEBHOOKS.md`): add fields, never rename or remove
//! them without a new version.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::models::{Account, AppliedRule, Guest, LevelRef, Receipt};
use super::promotions::GrantStatus;
use crate::events::{DomainEvent, types};
use crate::ids::{CheckId, GuestId, PromotionId, TenantId};

fn level(l: Option<&LevelRef>) -> Value {
    l.map_or(
        Value::Null,
        |l| json!({ "id": l.id.to_string(), "name": l.name }),
    )
}

fn points(account: Option<&Account>) -> Value {
    account.map_or(Value::Null, |a| {
        json!({ "balance": a.balance.get(), "held": a.held.get(), "available": a.available().get() })
    })
}

/// A guest as events show them (no QR payload: it is a credential).
#[must_use]
pub fn guest_json(g: &Guest) -> Value {
    json!({
        "id": g.id.to_string(),
        "cardCode": g.card_code.as_str(),
        "phone": g.phone.as_ref().map(|p| p.as_ref().to_owned()),
        "name": g.name,
        "email": g.email,
        "birthday": g.birthday.map(|b| b.format("%Y-%m-%d").to_string()),
        "telegramId": g.telegram_id,
        "marketingConsent": g.marketing_consent,
        "tags": g.tags.as_slice(),
        "levelId": g.level_id.map(|l| l.to_string()),
        "referredBy": g.referred_by.map(|r| r.to_string()),
        "forgotten": g.forgotten,
        "createdAt": g.created_at,
    })
}

/// `guest.created`.
#[must_use]
pub fn guest_created(tenant: TenantId, at: DateTime<Utc>, g: &Guest) -> DomainEvent {
    DomainEvent::new(
        types::GUEST_CREATED,
        tenant,
        at,
        json!({ "guest": guest_json(g) }),
    )
}

/// `guest.updated`, with the names of the fields that changed (`None` when
/// nothing a subscriber sees changed).
#[must_use]
pub fn guest_updated(
    tenant: TenantId,
    at: DateTime<Utc>,
    before: &Guest,
    after: &Guest,
) -> Option<DomainEvent> {
    let (b, a) = (guest_json(before), guest_json(after));
    let changed: Vec<&str> = [
        "cardCode",
        "phone",
        "name",
        "email",
        "birthday",
        "telegramId",
        "marketingConsent",
        "tags",
        "forgotten",
    ]
    .into_iter()
    .filter(|k| b[*k] != a[*k])
    .collect();
    (!changed.is_empty()).then(|| {
        DomainEvent::new(
            types::GUEST_UPDATED,
            tenant,
            at,
            json!({ "guest": a, "changed": changed }),
        )
    })
}

fn rule_json(r: &AppliedRule) -> Value {
    json!({
        "code": r.code,
        "description": r.description,
        "points": r.points,
        "promotionId": r.promotion.map(|p| p.to_string()),
        "granted": r.status == GrantStatus::Granted,
    })
}

/// `check.processed`: the receipt.
#[must_use]
pub fn check_processed(tenant: TenantId, r: &Receipt, source: &str) -> DomainEvent {
    DomainEvent::new(
        types::CHECK_PROCESSED,
        tenant,
        r.processed_at,
        json!({
            "checkId": r.check_id.to_string(),
            "guestId": r.guest_id.to_string(),
            "locationId": r.location_id.to_string(),
            "externalId": r.external_id,
            "source": source,
            "totalMinor": r.total_minor,
            "currency": r.currency.code(),
            "redeemedPoints": r.redeemed,
            "redeemedValueMinor": r.redeemed_value_minor,
            "earnedPoints": r.earned,
            "rules": r.rules.iter().map(rule_json).collect::<Vec<_>>(),
            "balance": r.balance,
            "available": r.available,
            "levelBefore": level(r.level_before.as_ref()),
            "levelAfter": level(r.level_after.as_ref()),
        }),
    )
}

/// Why a level changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelChange {
    /// Raised by a check's spend.
    Check(CheckId),
    /// The monthly review (the only way down).
    Review,
}

/// `level.changed`.
#[must_use]
pub fn level_changed(
    tenant: TenantId,
    at: DateTime<Utc>,
    guest: GuestId,
    from: Option<&LevelRef>,
    to: Option<&LevelRef>,
    why: LevelChange,
) -> DomainEvent {
    let (reason, check) = match why {
        LevelChange::Check(c) => ("check", Some(c.to_string())),
        LevelChange::Review => ("review", None),
    };
    DomainEvent::new(
        types::LEVEL_CHANGED,
        tenant,
        at,
        json!({
            "guestId": guest.to_string(),
            "from": level(from),
            "to": level(to),
            "reason": reason,
            "checkId": check,
        }),
    )
}

/// What a `promotion.granted` event says about the grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantInfo<'a> {
    /// The promotion.
    pub promotion: PromotionId,
    /// Its name.
    pub name: &'a str,
    /// `welcome`, `birthday`, `multiplier` or `referral`.
    pub kind: &'a str,
    /// The check it came with, if any.
    pub check: Option<CheckId>,
}

/// `promotion.granted`: one event per guest credited.
#[must_use]
pub fn promotion_granted(
    tenant: TenantId,
    at: DateTime<Utc>,
    grant: &GrantInfo<'_>,
    guest: GuestId,
    granted: i64,
    account: Option<&Account>,
) -> DomainEvent {
    DomainEvent::new(
        types::PROMOTION_GRANTED,
        tenant,
        at,
        json!({
            "promotionId": grant.promotion.to_string(),
            "promotionName": grant.name,
            "kind": grant.kind,
            "guestId": guest.to_string(),
            "points": granted,
            "checkId": grant.check.map(|c| c.to_string()),
            "account": points(account),
        }),
    )
}

/// `check.reversed`.
#[must_use]
#[expect(clippy::too_many_arguments, reason = "one argument per payload field")]
pub fn check_reversed(
    tenant: TenantId,
    at: DateTime<Utc>,
    check: CheckId,
    guest: GuestId,
    reason: &str,
    points_removed: i64,
    points_returned: i64,
    account: Option<&Account>,
) -> DomainEvent {
    DomainEvent::new(
        types::CHECK_REVERSED,
        tenant,
        at,
        json!({
            "checkId": check.to_string(),
            "guestId": guest.to_string(),
            "reason": reason,
            "pointsRemoved": points_removed,
            "pointsReturned": points_returned,
            "account": points(account),
        }),
    )
}

/// `points.adjusted`.
#[must_use]
pub fn points_adjusted(
    tenant: TenantId,
    at: DateTime<Utc>,
    guest: GuestId,
    delta: i64,
    reason: &str,
    account: Option<&Account>,
) -> DomainEvent {
    DomainEvent::new(
        types::POINTS_ADJUSTED,
        tenant,
        at,
        json!({
            "guestId": guest.to_string(),
            "points": delta,
            "reason": reason,
            "account": points(account),
        }),
    )
}

/// `points.expired`.
#[must_use]
pub fn points_expired(
    tenant: TenantId,
    at: DateTime<Utc>,
    guest: GuestId,
    expired: i64,
    account: Option<&Account>,
) -> DomainEvent {
    DomainEvent::new(
        types::POINTS_EXPIRED,
        tenant,
        at,
        json!({
            "guestId": guest.to_string(),
            "points": expired,
            "account": points(account),
        }),
    )
}
