//! Loyalty use cases: guests, levels and settings, checks, holds, adjustments,
//! reversals and expiry.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use serde_json::json;

use super::errors::{ConfigError, GuestAuthError, GuestError, LedgerError};
use super::events::{EventPublisher, LoyaltyEvent};
use super::live::{Live, LiveSlot};
use super::models::{
    Account, AppliedRule, EntryKind, Guest, GuestRef, Hold, HoldStatus, LedgerEntry, Level,
    LevelRef, LoyaltySettings, Receipt, Redeem, SpendBasis, default_levels, level_for,
    max_redeemable, next_level,
};
use super::outbox::{self as events_v1, LevelChange};
use super::ports::{
    Batch, BatchError, BatchOutcome, CheckRecord, Finished, Found, GuestQuery, GuestStore,
    IdempotencyKey, LedgerOp, LedgerStore, LoyaltyConfigStore, SearchPosition, SearchTier,
};
use super::promotions::GrantStatus;
use super::values::{CardCode, Phone, PhoneFragment, QrPayload, Tags, validate_birthday};
use crate::ctx::Ctx;
use crate::events::{DomainEvent, jobs_of};
use crate::identity::errors::StoreError;
use crate::identity::models::{AuditRecord, Email, InvalidValue, Name};
use crate::identity::ports::{LocationRepository, SecretGenerator, TenantRepository};
use crate::ids::{CheckId, GuestId, HoldId, InboundEventId, LevelId, LocationId};
use crate::money::{BasisPoints, Points};
use crate::page::{Page, PageRequest};
use crate::ports::Clock;

/// The adapters the loyalty service runs on.
#[derive(Clone)]
pub struct LoyaltyDeps {
    /// The ledger.
    pub ledger: Arc<dyn LedgerStore>,
    /// Guests.
    pub guests: Arc<dyn GuestStore>,
    /// Settings and levels.
    pub config: Arc<dyn LoyaltyConfigStore>,
    /// Promotions.
    pub promotions: Arc<dyn super::ports::PromotionStore>,
    /// Tenants (currency).
    pub tenants: Arc<dyn TenantRepository>,
    /// Locations (checks must name one of the tenant's).
    pub locations: Arc<dyn LocationRepository>,
    /// Randomness for card codes and QR payloads; digests of requests.
    pub secrets: Arc<dyn SecretGenerator>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// Live events (after commit).
    pub events: Arc<dyn EventPublisher>,
    /// Guest tokens.
    pub tokens: Arc<dyn crate::identity::ports::TokenCodec>,
    /// Tenants' Telegram bot tokens.
    pub bots: Arc<dyn super::ports::TelegramBotVault>,
    /// Mini App `initData` checks.
    pub telegram: Arc<dyn super::ports::InitDataVerifier>,
}

/// A guest signed in from the Mini App.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestSession {
    /// Bearer token that can only see this guest.
    pub token: String,
    /// When it expires.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The guest (created on first sign-in).
    pub guest: Guest,
    /// Whether the guest was created now.
    pub created: bool,
}

/// How long a guest token lives.
pub const GUEST_TOKEN_TTL_SECS: i64 = 3600;

/// A new guest, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewGuest {
    /// Phone (required for staff-created guests).
    pub phone: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// E-mail.
    pub email: Option<String>,
    /// Telegram user id.
    pub telegram_id: Option<i64>,
    /// Marketing consent.
    pub marketing_consent: bool,
    /// Tags.
    pub tags: Vec<String>,
    /// The card code of the guest who invited this one.
    pub referral_code: Option<String>,
}

/// Changes to a guest (`None` = unchanged; `Some(None)` clears an optional field).
#[derive(Debug, Clone, Default)]
pub struct GuestChanges {
    /// Phone.
    pub phone: Option<String>,
    /// Name.
    pub name: Option<Option<String>>,
    /// Birthday.
    pub birthday: Option<Option<NaiveDate>>,
    /// E-mail.
    pub email: Option<Option<String>>,
    /// Marketing consent.
    pub marketing_consent: Option<bool>,
    /// Tags.
    pub tags: Option<Vec<String>>,
}

/// A check to process, as received.
#[derive(Debug, Clone)]
pub struct CheckInput {
    /// Where.
    pub location: LocationId,
    /// Whose.
    pub guest: GuestRef,
    /// Total, minor units.
    pub total_minor: i64,
    /// Points to pay with.
    pub redeem: Redeem,
    /// The source's id of the check (exactly-once key).
    pub external_id: String,
    /// Who sends it: `cashier` or `pos:<integration>`.
    pub source: String,
    /// The stored POS event it comes from: marked processed in the check's
    /// own transaction.
    pub inbound_event: Option<InboundEventId>,
}

/// A guest's card as the cashier or the guest sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestCard {
    /// The guest.
    pub guest: Guest,
    /// Their points.
    pub account: Account,
    /// Current level.
    pub level: Option<Level>,
    /// Next level and the spend missing to reach it.
    pub next: Option<(Level, i64)>,
    /// The spend that counts for levels.
    pub spend_minor: i64,
}

fn invalid(field: &'static str, message: impl Into<String>) -> InvalidValue {
    InvalidValue {
        field,
        message: message.into(),
    }
}

fn optional_text(
    v: Option<&str>,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, InvalidValue> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => Name::parse(s, field, max).map(|n| Some(n.to_string())),
    }
}

fn external_id(raw: &str) -> Result<String, InvalidValue> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 128 || s.chars().any(char::is_control) {
        return Err(invalid(
            "externalId",
            "give the check's id (1 to 128 characters)",
        ));
    }
    Ok(s.to_owned())
}

/// Builds, inside a batch's transaction, the durable events of the batch from
/// its outcome and the guest's account after it.
type Events<'a> = &'a (dyn Fn(&BatchOutcome, Option<&Account>) -> Vec<DomainEvent> + Send + Sync);

/// For batches that emit no durable event (holds, merges).
fn no_events(_: &BatchOutcome, _: Option<&Account>) -> Vec<DomainEvent> {
    Vec::new()
}

/// What a check comes to against the current state, before it is posted.
struct CheckPlan {
    /// The tenant's settings.
    settings: LoyaltySettings,
    /// Its levels.
    levels: Vec<Level>,
    /// Its currency.
    currency: crate::money::Currency,
    /// The guest's level before the check.
    level: Option<Level>,
    /// The new check's id.
    check_id: CheckId,
    /// Points paid with.
    redeemed: i64,
    /// How they are taken (points or the hold).
    redeem_op: Option<LedgerOp>,
    /// Their value, minor units.
    redeemed_value: i64,
    /// Paid in money, minor units.
    paid: i64,
    /// Points earned at the level's cashback.
    earned: i64,
    /// Promotion grants of the check.
    grants: super::promotion_service::CheckGrants,
}

/// The loyalty use cases.
pub struct LoyaltyService {
    pub(super) d: LoyaltyDeps,
}

impl LoyaltyService {
    /// A service over its adapters.
    #[must_use]
    pub fn new(deps: LoyaltyDeps) -> Self {
        Self { d: deps }
    }

    fn random<const N: usize>(&self) -> [u8; N] {
        let mut b = [0_u8; N];
        self.d.secrets.fill_random(&mut b);
        b
    }

    // ----- settings and levels -----------------------------------------------------

    /// The tenant's settings (initialising defaults and default levels on first use).
    ///
    /// # Errors
    /// Storage failure.
    pub async fn settings(&self, ctx: &Ctx) -> Result<LoyaltySettings, StoreError> {
        if let Some(s) = self.d.config.settings(ctx).await? {
            return Ok(s);
        }
        let tenant = self.d.tenants.get(ctx).await?;
        let levels: Vec<Level> = default_levels(tenant.currency)
            .into_iter()
            .filter_map(|(name, threshold, cb, share)| {
                Some(Level {
                    id: LevelId::new(),
                    name,
                    threshold_minor: threshold,
                    cashback: BasisPoints::new(cb)?,
                    max_redeem: BasisPoints::new(share)?,
                })
            })
            .collect();
        let settings = LoyaltySettings::default();
        self.d.config.initialize(ctx, &settings, &levels).await?;
        Ok(self.d.config.settings(ctx).await?.unwrap_or(settings))
    }

    /// Levels, lowest threshold first.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn levels(&self, ctx: &Ctx) -> Result<Vec<Level>, StoreError> {
        self.settings(ctx).await?;
        self.d.config.levels(ctx).await
    }

    /// Replaces the settings.
    ///
    /// # Errors
    /// Out-of-range values.
    pub async fn update_settings(
        &self,
        ctx: &Ctx,
        s: LoyaltySettings,
    ) -> Result<LoyaltySettings, ConfigError> {
        if s.expiry_days.is_some_and(|d| d == 0 || d > 3650) {
            return Err(invalid("expiryDays", "use 1 to 3650 days, or no expiry").into());
        }
        if !(1..=1_000_000).contains(&s.point_value_minor) {
            return Err(invalid(
                "pointValueMinor",
                "a point is worth 1 to 1 000 000 minor units",
            )
            .into());
        }
        if !(60..=86_400).contains(&s.hold_ttl_secs) {
            return Err(invalid("holdTtlSeconds", "holds live 60 s to 24 h").into());
        }
        if !(-720..=840).contains(&s.utc_offset_minutes) {
            return Err(invalid(
                "utcOffsetMinutes",
                "the offset from UTC is −720 to +840 minutes",
            )
            .into());
        }
        let before = self.settings(ctx).await?;
        let audit = AuditRecord::new("loyalty.update_settings", "loyalty_settings", ctx.tenant())
            .details(json!({ "before": settings_json(&before), "after": settings_json(&s) }));
        self.d.config.update_settings(ctx, &s, audit).await?;
        Ok(s)
    }

    fn check_levels(levels: &[Level]) -> Result<(), InvalidValue> {
        if levels.is_empty() {
            return Err(invalid("levels", "keep at least one level"));
        }
        let mut sorted: Vec<&Level> = levels.iter().collect();
        sorted.sort_by_key(|l| l.threshold_minor);
        if sorted[0].threshold_minor != 0 {
            return Err(invalid(
                "thresholdMinor",
                "the lowest level must start at 0",
            ));
        }
        for w in sorted.windows(2) {
            if w[0].threshold_minor >= w[1].threshold_minor {
                return Err(invalid(
                    "thresholdMinor",
                    "thresholds must strictly increase",
                ));
            }
        }
        let mut names: Vec<String> = levels.iter().map(|l| l.name.to_lowercase()).collect();
        names.sort();
        names.dedup();
        if names.len() != levels.len() {
            return Err(invalid("name", "level names must be different"));
        }
        Ok(())
    }

    async fn save_levels(
        &self,
        ctx: &Ctx,
        before: &[Level],
        after: Vec<Level>,
        action: &'static str,
        target: LevelId,
    ) -> Result<Vec<Level>, ConfigError> {
        Self::check_levels(&after)?;
        let audit = AuditRecord::new(action, "level", target)
            .details(json!({ "before": levels_json(before), "after": levels_json(&after) }));
        self.d.config.save_levels(ctx, &after, audit).await?;
        Ok(self.d.config.levels(ctx).await?)
    }

    fn level_values(
        name: &str,
        threshold_minor: i64,
        cashback_bp: i32,
        max_redeem_bp: i32,
    ) -> Result<(String, i64, BasisPoints, BasisPoints), InvalidValue> {
        let name = Name::parse(name, "name", 60)?.to_string();
        if threshold_minor < 0 {
            return Err(invalid(
                "thresholdMinor",
                "the threshold cannot be negative",
            ));
        }
        let bp = |v: i32, field: &'static str| {
            u16::try_from(v)
                .ok()
                .and_then(BasisPoints::new)
                .ok_or_else(|| invalid(field, "use 0 to 10 000 basis points (0–100 %)"))
        };
        Ok((
            name,
            threshold_minor,
            bp(cashback_bp, "cashbackBp")?,
            bp(max_redeem_bp, "maxRedeemBp")?,
        ))
    }

    /// Adds a level.
    ///
    /// # Errors
    /// Invalid values, a threshold or name already used.
    pub async fn create_level(
        &self,
        ctx: &Ctx,
        name: &str,
        threshold_minor: i64,
        cashback_bp: i32,
        max_redeem_bp: i32,
    ) -> Result<Vec<Level>, ConfigError> {
        let (name, threshold_minor, cashback, max_redeem) =
            Self::level_values(name, threshold_minor, cashback_bp, max_redeem_bp)?;
        let before = self.levels(ctx).await?;
        let id = LevelId::new();
        let mut after = before.clone();
        after.push(Level {
            id,
            name,
            threshold_minor,
            cashback,
            max_redeem,
        });
        self.save_levels(ctx, &before, after, "loyalty.create_level", id)
            .await
    }

    /// Changes a level.
    ///
    /// # Errors
    /// `NotFound`, invalid values.
    pub async fn update_level(
        &self,
        ctx: &Ctx,
        id: LevelId,
        name: &str,
        threshold_minor: i64,
        cashback_bp: i32,
        max_redeem_bp: i32,
    ) -> Result<Vec<Level>, ConfigError> {
        let (name, threshold_minor, cashback, max_redeem) =
            Self::level_values(name, threshold_minor, cashback_bp, max_redeem_bp)?;
        let before = self.levels(ctx).await?;
        if !before.iter().any(|l| l.id == id) {
            return Err(ConfigError::NotFound);
        }
        let after = before
            .iter()
            .map(|l| {
                if l.id == id {
                    Level {
                        id,
                        name: name.clone(),
                        threshold_minor,
                        cashback,
                        max_redeem,
                    }
                } else {
                    l.clone()
                }
            })
            .collect();
        self.save_levels(ctx, &before, after, "loyalty.update_level", id)
            .await
    }

    /// Removes a level (guests on it move to what their spend qualifies for at the next review).
    ///
    /// # Errors
    /// `NotFound`; the last level or the zero-threshold level cannot go.
    pub async fn delete_level(&self, ctx: &Ctx, id: LevelId) -> Result<Vec<Level>, ConfigError> {
        let before = self.levels(ctx).await?;
        if !before.iter().any(|l| l.id == id) {
            return Err(ConfigError::NotFound);
        }
        let after = before.iter().filter(|l| l.id != id).cloned().collect();
        self.save_levels(ctx, &before, after, "loyalty.delete_level", id)
            .await
    }

    // ----- guests ----------------------------------------------------------------------

    /// Registers a guest with an empty account.
    ///
    /// # Errors
    /// See [`GuestError`].
    pub async fn create_guest(&self, ctx: &Ctx, n: NewGuest) -> Result<Guest, GuestError> {
        let phone = match n.phone.as_deref() {
            Some(p) => Some(Phone::parse(p, "phone")?),
            None if n.telegram_id.is_none() => {
                return Err(invalid("phone", "give the guest's phone").into());
            }
            None => None,
        };
        let today = self.d.clock.now().date_naive();
        let referred_by = match n.referral_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => {
                let not_found = || invalid("referralCode", "no guest has this card code");
                let card = CardCode::parse(code).map_err(|_| not_found())?;
                match self.d.guests.find(ctx, &GuestRef::Card(card)).await? {
                    Some(g) if !g.forgotten => Some(g.id),
                    _ => return Err(not_found().into()),
                }
            }
        };
        let guest = Guest {
            id: GuestId::new(),
            referred_by,
            phone,
            name: optional_text(n.name.as_deref(), "name", 100)?,
            birthday: n
                .birthday
                .map(|b| validate_birthday(b, today))
                .transpose()?,
            email: n
                .email
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(Email::parse)
                .transpose()?
                .map(|e| e.to_string()),
            telegram_id: n.telegram_id,
            marketing_consent: n.marketing_consent,
            tags: Tags::parse(&n.tags)?,
            card_code: CardCode::from_random(self.random::<8>()),
            qr: QrPayload::from_random(self.random::<16>()),
            level_id: None,
            lifetime_spend_minor: 0,
            created_at: self.d.clock.now(),
            forgotten: false,
            last_visit_at: None,
        };
        let levels = self.levels(ctx).await?;
        let guest = Guest {
            level_id: level_for(&levels, 0).map(|l| l.id),
            ..guest
        };
        let audit = AuditRecord::new("guest.create", "guest", guest.id).details(
            json!({ "phone": guest.phone.as_ref().map(Phone::masked), "name": guest.name }),
        );
        // A running welcome bonus is granted right away, and an outbox job stored
        // with the guest grants it later if this process fails first (the grant's
        // key makes it once).
        let today = self
            .d
            .clock
            .now()
            .with_timezone(&self.settings(ctx).await?.offset())
            .date_naive();
        let welcome = self.d.promotions.running(ctx).await?.iter().any(|p| {
            p.runs_on(today) && p.rule.kind() == super::promotions::PromotionKind::Welcome
        });
        let mut outbox: Vec<_> = welcome
            .then(|| super::tasks::welcome_job(ctx, guest.id))
            .into_iter()
            .collect();
        outbox.push(events_v1::guest_created(ctx.tenant(), guest.created_at, &guest).to_job());
        self.d.guests.create(ctx, &guest, audit, &outbox).await?;
        if welcome {
            // Failure here is retried by the job.
            let _ = self.grant_welcome(ctx, &guest).await;
        }
        Ok(guest)
    }

    /// Edits a guest.
    ///
    /// # Errors
    /// See [`GuestError`].
    pub async fn update_guest(
        &self,
        ctx: &Ctx,
        id: GuestId,
        c: GuestChanges,
    ) -> Result<Guest, GuestError> {
        let before = self.d.guests.get(ctx, id).await?;
        if before.forgotten {
            return Err(GuestError::NotFound);
        }
        let today = self.d.clock.now().date_naive();
        let mut g = before.clone();
        if let Some(p) = c.phone.as_deref() {
            g.phone = Some(Phone::parse(p, "phone")?);
        }
        if let Some(n) = c.name {
            g.name = optional_text(n.as_deref(), "name", 100)?;
        }
        if let Some(b) = c.birthday {
            g.birthday = b.map(|b| validate_birthday(b, today)).transpose()?;
        }
        if let Some(e) = c.email {
            g.email = e
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(Email::parse)
                .transpose()?
                .map(|e| e.to_string());
        }
        if let Some(m) = c.marketing_consent {
            g.marketing_consent = m;
        }
        if let Some(t) = c.tags {
            g.tags = Tags::parse(&t)?;
        }
        let audit = AuditRecord::new("guest.update", "guest", id).details(json!({
            "before": { "phone": before.phone.as_ref().map(Phone::masked), "name": before.name, "consent": before.marketing_consent },
            "after": { "phone": g.phone.as_ref().map(Phone::masked), "name": g.name, "consent": g.marketing_consent },
        }));
        let changed =
            events_v1::guest_updated(ctx.tenant(), self.d.clock.now(), &before, &g).into_iter();
        self.d
            .guests
            .update(ctx, &g, audit, &jobs_of(&changed.collect::<Vec<_>>()))
            .await?;
        Ok(g)
    }

    /// "Forget this guest": erases personal data (phone, name, e-mail, birthday,
    /// Telegram id, tags, consent) and issues a new card code and QR so old cards
    /// identify no one; the ledger and its totals stay.
    ///
    /// # Errors
    /// `NotFound` (also for an already forgotten guest).
    pub async fn forget_guest(&self, ctx: &Ctx, id: GuestId) -> Result<Guest, GuestError> {
        let g = self.d.guests.get(ctx, id).await?;
        if g.forgotten {
            return Err(GuestError::NotFound);
        }
        let anonymous = Guest {
            phone: None,
            name: None,
            birthday: None,
            email: None,
            telegram_id: None,
            marketing_consent: false,
            tags: Tags::parse(&[])?,
            card_code: CardCode::from_random(self.random::<8>()),
            qr: QrPayload::from_random(self.random::<16>()),
            forgotten: true,
            ..g
        };
        let audit = AuditRecord::new("guest.forget", "guest", id);
        let changed: Vec<_> =
            events_v1::guest_updated(ctx.tenant(), self.d.clock.now(), &g, &anonymous)
                .into_iter()
                .collect();
        self.d
            .guests
            .update(ctx, &anonymous, audit, &jobs_of(&changed))
            .await?;
        Ok(anonymous)
    }

    /// Merges two records of one person: everything of `source` moves to
    /// `target` (points with their expiry, checks, spend, missing contacts);
    /// `source` is anonymised.
    ///
    /// # Errors
    /// `NotFound`, the same guest twice, pending holds on `source`.
    pub async fn merge_guests(
        &self,
        ctx: &Ctx,
        source: GuestId,
        target: GuestId,
    ) -> Result<Guest, LedgerError> {
        let (s, t) = (
            self.d.guests.get(ctx, source).await?,
            self.d.guests.get(ctx, target).await?,
        );
        if s.forgotten || t.forgotten {
            return Err(LedgerError::NotFound);
        }
        if source == target {
            return Err(invalid("targetId", "choose two different guests").into());
        }
        let batch = Batch {
            idempotency: None,
            ops: vec![LedgerOp::MergeGuests { source, target }],
            audit: AuditRecord::new("guest.merge", "guest", target)
                .details(json!({ "source": source.to_string(), "target": target.to_string() })),
        };
        self.account_after(ctx, batch, target, &no_events).await?;
        Ok(self.d.guests.get(ctx, target).await?)
    }

    /// One guest.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn guest(&self, ctx: &Ctx, id: GuestId) -> Result<Guest, GuestError> {
        Ok(self.d.guests.get(ctx, id).await?)
    }

    /// A guest's card: points, level, progress.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn card(&self, ctx: &Ctx, id: GuestId) -> Result<GuestCard, GuestError> {
        let guest = self.d.guests.get(ctx, id).await?;
        self.card_of(ctx, guest).await
    }

    /// The card of a guest already read.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn card_of(&self, ctx: &Ctx, guest: Guest) -> Result<GuestCard, GuestError> {
        let account = self.d.ledger.account(ctx, guest.id).await?;
        self.card_with(ctx, guest, account).await
    }

    /// A guest's card and, with `ledger`, that page of their entries: the guest,
    /// their points and the entries in one read (a card on the cashier's
    /// screen).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn guest_view(
        &self,
        ctx: &Ctx,
        id: GuestId,
        ledger: Option<PageRequest>,
    ) -> Result<(GuestCard, Option<Page<LedgerEntry>>), GuestError> {
        let view = self.d.ledger.guest_view(ctx, id, ledger).await?;
        let card = self.card_with(ctx, view.guest, view.account).await?;
        Ok((card, view.ledger))
    }

    /// The card of a guest and their account, already read.
    async fn card_with(
        &self,
        ctx: &Ctx,
        guest: Guest,
        account: Account,
    ) -> Result<GuestCard, GuestError> {
        let id = guest.id;
        let settings = self.settings(ctx).await?;
        let levels = self.d.config.levels(ctx).await?;
        let spend = match settings.spend_basis {
            SpendBasis::Lifetime => guest.lifetime_spend_minor,
            SpendBasis::Rolling365 => {
                self.d
                    .ledger
                    .spend_since(ctx, id, self.d.clock.now() - Duration::days(365))
                    .await?
            }
        };
        let level = guest
            .level_id
            .and_then(|l| levels.iter().find(|x| x.id == l))
            .or_else(|| level_for(&levels, spend))
            .cloned();
        let next = next_level(&levels, spend).map(|(l, missing)| (l.clone(), missing));
        Ok(GuestCard {
            guest,
            account,
            level,
            next,
            spend_minor: spend,
        })
    }

    /// The most points a check of `total_minor` may be paid with now: the level's
    /// share of the total, and no more than is available.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn max_redeemable_for(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        total_minor: i64,
    ) -> Result<i64, GuestError> {
        let card = self.card(ctx, guest).await?;
        self.max_redeemable_on(ctx, &card, total_minor).await
    }

    /// The most points a check may be paid with, from a card already read.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn max_redeemable_on(
        &self,
        ctx: &Ctx,
        card: &GuestCard,
        total_minor: i64,
    ) -> Result<i64, GuestError> {
        let settings = self.settings(ctx).await?;
        let share = card
            .level
            .as_ref()
            .map_or(BasisPoints::ZERO, |l| l.max_redeem);
        let by_share = max_redeemable(total_minor, share, settings.point_value_minor);
        Ok(by_share.min(card.account.available().get()).max(0))
    }

    /// Finds guests, best match first:
    /// - nothing typed: everyone, in registration order;
    /// - a QR payload: its guest;
    /// - 4+ digits: the guest with that card code, then the guest whose whole
    ///   phone number it is, then phones ending with the digits;
    /// - other text: the guest with that card code, then (when it has no
    ///   digit) names equal to it, then names starting with it, then names
    ///   with a later word starting with it (a surname), each by name.
    ///
    /// # Errors
    /// See [`GuestError`]; a query too short to mean anything is `Invalid`.
    pub async fn search_guests(
        &self,
        ctx: &Ctx,
        query: Option<&str>,
        page: PageRequest<SearchPosition>,
    ) -> Result<Page<Found>, GuestError> {
        let query = guest_query(query.map(str::trim).unwrap_or_default())?;
        Ok(self.d.guests.search(ctx, &query, page).await?)
    }

    /// A page of a guest's ledger, oldest first.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn ledger(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        page: PageRequest,
    ) -> Result<Page<LedgerEntry>, GuestError> {
        self.d.guests.get(ctx, guest).await?;
        Ok(self.d.ledger.entries(ctx, guest, page).await?)
    }

    /// A page of the ledger of a guest already read.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn ledger_of(
        &self,
        ctx: &Ctx,
        guest: &Guest,
        page: PageRequest,
    ) -> Result<Page<LedgerEntry>, GuestError> {
        Ok(self.d.ledger.entries(ctx, guest.id, page).await?)
    }

    // ----- the Mini App ------------------------------------------------------------------

    /// Sets the business's Telegram bot token (stored encrypted; never shown again).
    ///
    /// # Errors
    /// A token not of the form `<bot id>:<secret>`.
    pub async fn set_telegram_bot(
        &self,
        ctx: &Ctx,
        token: &str,
    ) -> Result<super::ports::TelegramBotInfo, GuestAuthError> {
        let token = token.trim();
        let bad = || {
            invalid(
                "token",
                "paste the token @BotFather gave, like 123456789:AAE…",
            )
        };
        let (id, secret) = token.split_once(':').ok_or_else(bad)?;
        let bot_id: i64 = id.parse().map_err(|_| bad())?;
        let secret_ok = secret.len() >= 30
            && secret.len() <= 64
            && secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if bot_id <= 0 || !secret_ok {
            return Err(bad().into());
        }
        let audit = AuditRecord::new("telegram.set_bot", "telegram_bot", bot_id);
        self.d.bots.set(ctx, bot_id, token, audit).await?;
        self.d
            .bots
            .info(ctx)
            .await?
            .ok_or_else(|| GuestAuthError::Internal("bot vanished".into()))
    }

    /// The business's bot, if set.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn telegram_bot(
        &self,
        ctx: &Ctx,
    ) -> Result<Option<super::ports::TelegramBotInfo>, GuestAuthError> {
        Ok(self.d.bots.info(ctx).await?)
    }

    /// Signs a guest in with Mini App `initData`, checked against the business's own
    /// bot token and at most an hour old; links the guest by Telegram id or
    /// registers them. Returns a token that can only see this guest.
    ///
    /// # Errors
    /// See [`GuestAuthError`].
    pub async fn sign_in_guest(
        &self,
        tenant: crate::ids::TenantId,
        init_data: &str,
    ) -> Result<GuestSession, GuestAuthError> {
        let ctx = Ctx::system(tenant);
        let token = self
            .d
            .bots
            .token(&ctx)
            .await?
            .ok_or(GuestAuthError::NotConfigured)?;
        let now = self.d.clock.now();
        let who = self
            .d
            .telegram
            .verify(init_data, &token, now.timestamp())
            .map_err(|r| match r {
                super::ports::InitDataRejection::Invalid => GuestAuthError::BadInitData,
                super::ports::InitDataRejection::Expired => GuestAuthError::Expired,
            })?;
        let (guest, created) = match self
            .d
            .guests
            .find(&ctx, &GuestRef::Telegram(who.user_id))
            .await?
        {
            Some(g) if g.forgotten => return Err(GuestAuthError::BadInitData),
            Some(g) => (g, false),
            None => {
                let name = [Some(who.first_name.as_str()), who.last_name.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                // `ref_<card code>` in the link's start parameter names who invited them.
                let mut n = NewGuest {
                    name: Some(name),
                    telegram_id: Some(who.user_id),
                    referral_code: who
                        .start_param
                        .as_deref()
                        .and_then(|p| p.strip_prefix("ref_"))
                        .map(str::to_owned),
                    ..NewGuest::default()
                };
                let mut created = self.create_guest(&ctx, n.clone()).await;
                if matches!(&created, Err(GuestError::Invalid(v)) if v.field == "referralCode") {
                    // An unknown code in the link is ignored rather than refusing the sign-in.
                    n.referral_code = None;
                    created = self.create_guest(&ctx, n).await;
                }
                match created {
                    Ok(g) => (g, true),
                    Err(GuestError::Taken(_)) => {
                        // Signed in twice at once: the other request registered them.
                        let g = self
                            .d
                            .guests
                            .find(&ctx, &GuestRef::Telegram(who.user_id))
                            .await?;
                        (
                            g.ok_or_else(|| GuestAuthError::Internal("guest vanished".into()))?,
                            false,
                        )
                    }
                    Err(GuestError::Invalid(v)) => return Err(v.into()),
                    Err(e) => return Err(GuestAuthError::Internal(e.to_string())),
                }
            }
        };
        let expires_at = now + Duration::seconds(GUEST_TOKEN_TTL_SECS);
        let claims = crate::identity::models::GuestClaims {
            guest: guest.id,
            tenant,
            issued_at: now.timestamp(),
            expires_at: expires_at.timestamp(),
        };
        let token = self
            .d
            .tokens
            .encode_guest(&claims)
            .map_err(GuestAuthError::Internal)?;
        Ok(GuestSession {
            token,
            expires_at,
            guest,
            created,
        })
    }

    pub(super) fn me_guest(ctx: &Ctx) -> Result<GuestId, GuestAuthError> {
        ctx.actor().guest_id().ok_or(GuestAuthError::NotAGuest)
    }

    /// The signed-in guest's card.
    ///
    /// # Errors
    /// Not a guest session.
    pub async fn my_card(&self, ctx: &Ctx) -> Result<GuestCard, GuestAuthError> {
        let me = Self::me_guest(ctx)?;
        self.card(ctx, me).await.map_err(|e| match e {
            GuestError::NotFound => GuestAuthError::NotAGuest,
            other => GuestAuthError::Internal(other.to_string()),
        })
    }

    /// The signed-in guest's ledger.
    ///
    /// # Errors
    /// Not a guest session.
    pub async fn my_ledger(
        &self,
        ctx: &Ctx,
        page: PageRequest,
    ) -> Result<Page<LedgerEntry>, GuestAuthError> {
        let me = Self::me_guest(ctx)?;
        Ok(self.d.ledger.entries(ctx, me, page).await?)
    }

    /// The signed-in guest edits what they may: name, birthday, marketing consent.
    ///
    /// # Errors
    /// Invalid values; not a guest session.
    pub async fn update_my_guest_profile(
        &self,
        ctx: &Ctx,
        name: Option<Option<String>>,
        birthday: Option<Option<NaiveDate>>,
        marketing_consent: Option<bool>,
    ) -> Result<Guest, GuestAuthError> {
        let me = Self::me_guest(ctx)?;
        let changes = GuestChanges {
            name,
            birthday,
            marketing_consent,
            ..GuestChanges::default()
        };
        self.update_guest(ctx, me, changes)
            .await
            .map_err(|e| match e {
                GuestError::Invalid(v) => GuestAuthError::Invalid(v),
                GuestError::NotFound => GuestAuthError::NotAGuest,
                other => GuestAuthError::Internal(other.to_string()),
            })
    }

    // ----- the ledger --------------------------------------------------------------------

    /// The guest a reference names (not forgotten).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn find_guest(&self, ctx: &Ctx, by: &GuestRef) -> Result<Guest, LedgerError> {
        self.resolve(ctx, by).await
    }

    async fn resolve(&self, ctx: &Ctx, by: &GuestRef) -> Result<Guest, LedgerError> {
        match self.d.guests.find(ctx, by).await? {
            Some(g) if !g.forgotten => Ok(g),
            _ => Err(LedgerError::NotFound),
        }
    }

    /// The answer stored for a check's key, if the check was processed: its
    /// receipt, or a conflict when the key came with another request. `None`
    /// when there is none (or it cannot be read: the caller's error stands).
    async fn stored_receipt(
        &self,
        ctx: &Ctx,
        scope: &str,
        key: &str,
        fingerprint: &str,
    ) -> Option<Result<Receipt, LedgerError>> {
        let (stored_fp, result) = self
            .d
            .ledger
            .idempotent_result(ctx, scope, key)
            .await
            .ok()??;
        if stored_fp != fingerprint {
            return Some(Err(LedgerError::IdempotencyConflict));
        }
        Some(
            serde_json::from_value(result)
                .map_err(|e| LedgerError::Internal(format!("stored receipt unreadable: {e}"))),
        )
    }

    /// What a check comes to against the current state (settings, the guest's
    /// level, the hold it captures, running promotions), before it is posted.
    ///
    /// # Errors
    /// The hold is another guest's or no longer pending; more points than the
    /// level's share; storage failure.
    async fn plan_check(
        &self,
        ctx: &Ctx,
        input: &CheckInput,
        guest: &Guest,
    ) -> Result<CheckPlan, LedgerError> {
        let settings = self.settings(ctx).await?;
        let levels = self.d.config.levels(ctx).await?;
        let currency = self.d.tenants.get(ctx).await?.currency;
        let level = guest
            .level_id
            .and_then(|l| levels.iter().find(|x| x.id == l))
            .or_else(|| level_for(&levels, guest.lifetime_spend_minor))
            .cloned();
        let (cashback, share) = level
            .as_ref()
            .map_or((BasisPoints::ZERO, BasisPoints::ZERO), |l| {
                (l.cashback, l.max_redeem)
            });
        let max = max_redeemable(input.total_minor, share, settings.point_value_minor);

        let check_id = CheckId::new();
        let (redeemed, redeem_op) = match input.redeem {
            Redeem::Nothing | Redeem::Points(Points::ZERO) => (0, None),
            Redeem::Points(p) => {
                if p.get() > max {
                    return Err(LedgerError::ExceedsMaxShare { max });
                }
                let op = LedgerOp::Debit {
                    guest: guest.id,
                    amount: p.get(),
                    kind: EntryKind::Redemption,
                    check: Some(check_id),
                    reason: None,
                };
                (p.get(), Some(op))
            }
            Redeem::Hold(h) => {
                let hold = self.d.ledger.hold(ctx, h).await?;
                if hold.guest != guest.id {
                    return Err(LedgerError::NotFound);
                }
                if hold.status != HoldStatus::Pending || hold.expires_at <= self.d.clock.now() {
                    return Err(LedgerError::HoldNotPending);
                }
                if hold.amount.get() > max {
                    return Err(LedgerError::ExceedsMaxShare { max });
                }
                (
                    hold.amount.get(),
                    Some(LedgerOp::CaptureHold {
                        hold: h,
                        check: Some(check_id),
                    }),
                )
            }
        };
        let redeemed_value = redeemed.saturating_mul(settings.point_value_minor);
        let paid = (input.total_minor - redeemed_value).max(0);
        let (earned, grants) = self
            .check_grants(
                ctx,
                &settings,
                guest,
                input.location,
                check_id,
                paid,
                cashback.get(),
            )
            .await?;
        Ok(CheckPlan {
            settings,
            levels,
            currency,
            level,
            check_id,
            redeemed,
            redeem_op,
            redeemed_value,
            paid,
            earned,
            grants,
        })
    }

    /// Processes a check exactly once per (source, external id): optional
    /// redemption (points or a hold), accrual at the guest's level, level upgrade.
    /// A replay returns the original receipt; the same id with another request
    /// is a conflict.
    ///
    /// The happy path reads the guest (one read transaction) and posts the batch
    /// (one write transaction, whose claim of the key also catches a replay); the
    /// stored receipt is looked up separately only when something that depends on
    /// the current state refuses the check.
    ///
    /// # Errors
    /// See [`LedgerError`].
    pub async fn process_check(
        &self,
        ctx: &Ctx,
        input: CheckInput,
    ) -> Result<Receipt, LedgerError> {
        self.process_check_fresh(ctx, input).await.map(|(r, _)| r)
    }

    /// [`process_check`](Self::process_check), also telling whether this call
    /// processed the check (`true`) or answered a replay from the stored
    /// receipt (`false`: the check's batch, and so its
    /// [`inbound_event`](CheckInput::inbound_event) settlement, ran before or
    /// not at all).
    ///
    /// # Errors
    /// See [`LedgerError`].
    pub async fn process_check_fresh(
        &self,
        ctx: &Ctx,
        input: CheckInput,
    ) -> Result<(Receipt, bool), LedgerError> {
        let external_id = external_id(&input.external_id)?;
        if input.total_minor <= 0 {
            return Err(invalid("totalMinor", "the total must be above zero").into());
        }
        if let Redeem::Points(p) = input.redeem
            && p.get() < 0
        {
            return Err(invalid("redeemPoints", "points to redeem cannot be negative").into());
        }
        self.d.locations.get(ctx, input.location).await?;
        let guest = self.resolve(ctx, &input.guest).await?;
        let scope = format!("check:{}", input.source);
        let fingerprint = self.d.secrets.digest(&format!(
            "{}|{}|{}|{:?}",
            input.location, guest.id, input.total_minor, input.redeem
        ));
        let CheckPlan {
            settings,
            levels,
            currency,
            level,
            check_id,
            redeemed,
            redeem_op,
            redeemed_value,
            paid,
            earned,
            grants,
        } = match self.plan_check(ctx, &input, &guest).await {
            Ok(plan) => plan,
            // A retry answers from the stored receipt even when what the check
            // depended on has changed since (the hold it captured, the level's
            // share); a retry that passes is answered by the batch's claim.
            Err(e) => {
                return self
                    .stored_receipt(ctx, &scope, &external_id, &fingerprint)
                    .await
                    .unwrap_or(Err(e))
                    .map(|r| (r, false));
            }
        };
        let mut rules = Vec::new();
        if let Some(l) = &level {
            rules.push(AppliedRule {
                code: "level_cashback".into(),
                description: format!(
                    "{}: {}.{:02} % cashback",
                    l.name,
                    l.cashback.get() / 100,
                    l.cashback.get() % 100
                ),
                points: earned,
                promotion: None,
                status: GrantStatus::Granted,
            });
        }
        let now = self.d.clock.now();
        let expires_at = settings
            .expiry_days
            .map(|d| now + Duration::days(i64::from(d)));
        let mut ops = vec![LedgerOp::RecordCheck(CheckRecord {
            id: check_id,
            guest: guest.id,
            location: input.location,
            source: input.source.clone(),
            external_id: external_id.clone(),
            total_minor: input.total_minor,
            paid_minor: paid,
            redeemed,
            earned,
            reversed: false,
            created_at: now,
        })];
        ops.extend(redeem_op);
        if earned > 0 {
            ops.push(LedgerOp::Credit {
                guest: guest.id,
                amount: earned,
                kind: EntryKind::Accrual,
                expires_at,
                check: Some(check_id),
                reason: None,
            });
        }
        let rolling_since =
            (settings.spend_basis == SpendBasis::Rolling365).then(|| now - Duration::days(365));
        ops.push(LedgerOp::AddSpend {
            guest: guest.id,
            paid_minor: paid,
            levels: Some(levels.clone()),
            rolling_since,
            visit: Some(now),
        });
        ops.extend(grants.ops.iter().cloned());
        if let Some(event) = input.inbound_event {
            ops.push(LedgerOp::SettleInboundEvent {
                event,
                check: check_id,
            });
        }
        let batch = Batch {
            idempotency: Some(IdempotencyKey { scope, key: external_id.clone(), fingerprint }),
            ops,
            audit: AuditRecord::new("check.process", "check", check_id).details(json!({
                "guest": guest.id.to_string(), "location": input.location.to_string(), "externalId": external_id,
                "totalMinor": input.total_minor, "redeemed": redeemed, "earned": earned,
            })),
        };
        let level_before = level.as_ref().map(|l| LevelRef {
            id: l.id,
            name: l.name.clone(),
        });
        let slot = LiveSlot::default();
        let tenant_id = ctx.tenant();
        let finish = |o: &BatchOutcome| {
            let mut rules = rules.clone();
            rules.extend(Self::grant_rules(&grants, o));
            let bonus: i64 = rules
                .iter()
                .filter(|r| r.promotion.is_some() && r.status == GrantStatus::Granted)
                .map(|r| r.points)
                .sum();
            let account = o.accounts.iter().find(|a| a.guest == guest.id).copied();
            let after = o
                .levels
                .iter()
                .find(|(g, _)| *g == guest.id)
                .and_then(|(_, l)| *l);
            let level_after = after
                .and_then(|id| levels.iter().find(|l| l.id == id))
                .map(|l| LevelRef {
                    id: l.id,
                    name: l.name.clone(),
                });
            let receipt = Receipt {
                check_id,
                guest_id: guest.id,
                location_id: input.location,
                external_id: external_id.clone(),
                total_minor: input.total_minor,
                currency,
                redeemed,
                redeemed_value_minor: redeemed_value,
                earned: earned + bonus,
                rules,
                balance: account.map_or(0, |a| a.balance.get()),
                available: account.map_or(0, |a| a.available().get()),
                level_before: level_before.clone(),
                level_after: level_after.or_else(|| level_before.clone()),
                processed_at: o.at,
            };
            // Durable events, enqueued with the check (a replay never gets here).
            let mut events = vec![events_v1::check_processed(
                tenant_id,
                &receipt,
                &input.source,
            )];
            let (from, to) = (receipt.level_before.as_ref(), receipt.level_after.as_ref());
            if from.map(|l| l.id) != to.map(|l| l.id) {
                events.push(events_v1::level_changed(
                    tenant_id,
                    o.at,
                    guest.id,
                    from,
                    to,
                    LevelChange::Check(check_id),
                ));
            }
            events.extend(Self::grant_events(
                tenant_id,
                &grants.ops,
                Some(check_id),
                o,
            ));
            // Live events, in the outbox too (published below, right after the commit).
            let mut live = Live::new(tenant_id, o);
            live.grants(&grants.ops, o, Some(guest.id));
            let changed = LoyaltyEvent::GuestChanged {
                guest: guest.id,
                account: account.unwrap_or(Account {
                    guest: guest.id,
                    balance: Points::ZERO,
                    held: Points::ZERO,
                }),
                level: receipt.level_after.as_ref().map(|l| l.id),
            };
            let result = serde_json::to_value(&receipt).unwrap_or(serde_json::Value::Null);
            live.push(LoyaltyEvent::CheckProcessed(receipt));
            live.push(changed);
            let jobs = live.outbox(jobs_of(&events));
            slot.keep(live);
            Finished::result(result).with_outbox(jobs)
        };
        let (stored, fresh) = match self.d.ledger.apply(ctx, batch, &finish).await {
            Ok(v) => (v, true),
            Err(BatchError::Duplicate { same: true, result }) => (result, false),
            Err(e) => return Err(e.into()),
        };
        let receipt: Receipt = serde_json::from_value(stored)
            .map_err(|e| LedgerError::Internal(format!("stored receipt unreadable: {e}")))?;
        if fresh {
            self.publish_committed(ctx, slot.take()).await;
        }
        Ok((receipt, fresh))
    }

    /// Undoes a check with reversal entries: returns redeemed points, removes earned
    /// points (they must still be available), subtracts the spend. Levels are not
    /// lowered here (that is the monthly review's job).
    ///
    /// # Errors
    /// See [`LedgerError`].
    pub async fn reverse_check(
        &self,
        ctx: &Ctx,
        id: CheckId,
        reason: &str,
    ) -> Result<Account, LedgerError> {
        let reason = Name::parse(reason, "reason", 500)?.to_string();
        let check = self.d.ledger.check(ctx, id).await?;
        if check.reversed {
            return Err(LedgerError::AlreadyReversed);
        }
        let settings = self.settings(ctx).await?;
        let now = self.d.clock.now();
        // Multiplier bonuses of the check go back with its accrual.
        let bonus: i64 = self
            .d
            .ledger
            .check_entries(ctx, id)
            .await?
            .iter()
            .filter(|e| e.kind == EntryKind::PromotionBonus && e.guest == check.guest)
            .map(|e| e.amount)
            .sum();
        let earned = check.earned + bonus;
        let mut ops = vec![LedgerOp::MarkReversed(id)];
        if earned > 0 {
            ops.push(LedgerOp::Debit {
                guest: check.guest,
                amount: earned,
                kind: EntryKind::Reversal,
                check: Some(id),
                reason: Some(reason.clone()),
            });
        }
        if check.redeemed > 0 {
            ops.push(LedgerOp::Credit {
                guest: check.guest,
                amount: check.redeemed,
                kind: EntryKind::Reversal,
                expires_at: settings
                    .expiry_days
                    .map(|d| now + Duration::days(i64::from(d))),
                check: Some(id),
                reason: Some(reason.clone()),
            });
        }
        ops.push(LedgerOp::AddSpend {
            guest: check.guest,
            paid_minor: -check.paid_minor,
            levels: None,
            rolling_since: None,
            visit: None,
        });
        let batch = Batch {
            idempotency: None,
            ops,
            audit: AuditRecord::new("check.reverse", "check", id)
                .details(json!({ "reason": reason, "earned": earned, "redeemed": check.redeemed })),
        };
        let tenant = ctx.tenant();
        let events = |o: &BatchOutcome, account: Option<&Account>| {
            vec![events_v1::check_reversed(
                tenant,
                o.at,
                id,
                check.guest,
                &reason,
                earned,
                check.redeemed,
                account,
            )]
        };
        self.account_after(ctx, batch, check.guest, &events).await
    }

    async fn account_after(
        &self,
        ctx: &Ctx,
        batch: Batch,
        guest: GuestId,
        events: Events<'_>,
    ) -> Result<Account, LedgerError> {
        let slot = LiveSlot::default();
        let tenant = ctx.tenant();
        let finish = |o: &BatchOutcome| {
            let a = o.accounts.iter().find(|a| a.guest == guest).copied();
            let mut live = Live::new(tenant, o);
            live.guest_changed(o, guest);
            let jobs = live.outbox(jobs_of(&events(o, a.as_ref())));
            slot.keep(live);
            Finished::result(serde_json::to_value(a).unwrap_or(serde_json::Value::Null))
                .with_outbox(jobs)
        };
        let (v, fresh) = match self.d.ledger.apply(ctx, batch, &finish).await {
            Ok(v) => (v, true),
            Err(BatchError::Duplicate { same: true, result }) => (result, false),
            Err(e) => return Err(e.into()),
        };
        let account = match serde_json::from_value::<Option<Account>>(v) {
            Ok(Some(a)) => a,
            Ok(None) => self.d.ledger.account(ctx, guest).await?,
            Err(e) => {
                return Err(LedgerError::Internal(format!(
                    "stored result unreadable: {e}"
                )));
            }
        };
        if fresh {
            self.publish_committed(ctx, slot.take()).await;
        }
        Ok(account)
    }

    /// Adds or removes points by hand, with a mandatory reason; exactly once per
    /// idempotency key when one is given.
    ///
    /// # Errors
    /// See [`LedgerError`].
    pub async fn adjust_points(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        delta: i64,
        reason: &str,
        idempotency_key: Option<&str>,
    ) -> Result<Account, LedgerError> {
        let reason = Name::parse(reason, "reason", 500)
            .map_err(|_| invalid("reason", "say why the points change"))?
            .to_string();
        if delta == 0 || delta.abs() > 10_000_000 {
            return Err(invalid(
                "points",
                "give a non-zero change of at most 10 000 000 points",
            )
            .into());
        }
        let g = self.d.guests.get(ctx, guest).await?;
        if g.forgotten {
            return Err(LedgerError::NotFound);
        }
        let settings = self.settings(ctx).await?;
        let now = self.d.clock.now();
        let op = if delta > 0 {
            LedgerOp::Credit {
                guest,
                amount: delta,
                kind: EntryKind::Adjustment,
                expires_at: settings
                    .expiry_days
                    .map(|d| now + Duration::days(i64::from(d))),
                check: None,
                reason: Some(reason.clone()),
            }
        } else {
            LedgerOp::Debit {
                guest,
                amount: -delta,
                kind: EntryKind::Adjustment,
                check: None,
                reason: Some(reason.clone()),
            }
        };
        let idempotency = idempotency_key
            .map(|k| {
                external_id(k).map_err(|_| invalid("idempotencyKey", "use 1 to 128 characters"))
            })
            .transpose()?
            .map(|key| IdempotencyKey {
                scope: "adjust".into(),
                key,
                fingerprint: self.d.secrets.digest(&format!("{guest}|{delta}|{reason}")),
            });
        let batch = Batch {
            idempotency,
            ops: vec![op],
            audit: AuditRecord::new("points.adjust", "guest", guest)
                .details(json!({ "points": delta, "reason": reason })),
        };
        let tenant = ctx.tenant();
        let events = |o: &BatchOutcome, account: Option<&Account>| {
            vec![events_v1::points_adjusted(
                tenant, o.at, guest, delta, &reason, account,
            )]
        };
        self.account_after(ctx, batch, guest, &events).await
    }

    /// Reserves points for an open check; they stop counting as available until
    /// captured (by `process_check` or `capture_hold`), voided, or expired.
    ///
    /// # Errors
    /// See [`LedgerError`].
    pub async fn hold_points(
        &self,
        ctx: &Ctx,
        by: &GuestRef,
        points: i64,
        total_minor: Option<i64>,
    ) -> Result<Hold, LedgerError> {
        if points <= 0 {
            return Err(invalid("points", "hold at least one point").into());
        }
        let guest = self.resolve(ctx, by).await?;
        let settings = self.settings(ctx).await?;
        if let Some(total) = total_minor {
            let levels = self.d.config.levels(ctx).await?;
            let share = guest
                .level_id
                .and_then(|l| levels.iter().find(|x| x.id == l))
                .map_or(BasisPoints::ZERO, |l| l.max_redeem);
            let max = max_redeemable(total, share, settings.point_value_minor);
            if points > max {
                return Err(LedgerError::ExceedsMaxShare { max });
            }
        }
        let now = self.d.clock.now();
        let hold = Hold {
            id: HoldId::new(),
            guest: guest.id,
            amount: Points::new(points),
            status: HoldStatus::Pending,
            expires_at: now + Duration::seconds(i64::from(settings.hold_ttl_secs)),
            created_at: now,
        };
        let batch = Batch {
            idempotency: None,
            ops: vec![LedgerOp::PlaceHold(hold.clone())],
            audit: AuditRecord::new("points.hold", "hold", hold.id)
                .details(json!({ "guest": guest.id.to_string(), "points": points })),
        };
        self.account_after(ctx, batch, guest.id, &no_events).await?;
        Ok(hold)
    }

    async fn resolve_hold(
        &self,
        ctx: &Ctx,
        id: HoldId,
        op: LedgerOp,
        action: &'static str,
    ) -> Result<Hold, LedgerError> {
        let hold = self.d.ledger.hold(ctx, id).await?;
        if hold.status != HoldStatus::Pending {
            return Err(LedgerError::HoldNotPending);
        }
        let batch = Batch {
            idempotency: None,
            ops: vec![op],
            audit: AuditRecord::new(action, "hold", id),
        };
        self.account_after(ctx, batch, hold.guest, &no_events)
            .await?;
        Ok(self.d.ledger.hold(ctx, id).await?)
    }

    /// Turns a pending hold into a redemption (without a check).
    ///
    /// # Errors
    /// `NotFound`, `HoldNotPending` (a hold resolves once).
    pub async fn capture_hold(&self, ctx: &Ctx, id: HoldId) -> Result<Hold, LedgerError> {
        if self.d.ledger.hold(ctx, id).await?.expires_at <= self.d.clock.now() {
            return Err(LedgerError::HoldNotPending);
        }
        self.resolve_hold(
            ctx,
            id,
            LedgerOp::CaptureHold {
                hold: id,
                check: None,
            },
            "points.hold_capture",
        )
        .await
    }

    /// Releases a pending hold.
    ///
    /// # Errors
    /// `NotFound`, `HoldNotPending`.
    pub async fn void_hold(&self, ctx: &Ctx, id: HoldId) -> Result<Hold, LedgerError> {
        self.resolve_hold(
            ctx,
            id,
            LedgerOp::ReleaseHold {
                hold: id,
                status: HoldStatus::Voided,
            },
            "points.hold_void",
        )
        .await
    }

    /// Releases holds past their TTL (run by a scheduled job). Returns how many.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn expire_holds(&self, ctx: &Ctx) -> Result<usize, LedgerError> {
        let ids = self
            .d
            .ledger
            .expired_holds(ctx, self.d.clock.now(), 500)
            .await?;
        let mut n = 0;
        for id in ids {
            match self
                .resolve_hold(
                    ctx,
                    id,
                    LedgerOp::ReleaseHold {
                        hold: id,
                        status: HoldStatus::Expired,
                    },
                    "points.hold_expire",
                )
                .await
            {
                Ok(_) => n += 1,
                Err(LedgerError::HoldNotPending) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n)
    }

    /// The monthly level review (run by a scheduled job): every guest moves to the
    /// level their spend qualifies for now — the only place a level goes down.
    /// Returns how many guests changed level.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn review_levels(&self, ctx: &Ctx) -> Result<usize, LedgerError> {
        let settings = self.settings(ctx).await?;
        let levels = self.d.config.levels(ctx).await?;
        let since = self.d.clock.now() - Duration::days(365);
        let mut changed = 0;
        let mut page = PageRequest::Forward {
            after: None,
            limit: 100,
        };
        let everyone = GuestQuery::all();
        loop {
            let batch_of = self.d.guests.search(ctx, &everyone, page.clone()).await?;
            for Found { guest: g, .. } in &batch_of.items {
                let spend = match settings.spend_basis {
                    SpendBasis::Lifetime => g.lifetime_spend_minor,
                    SpendBasis::Rolling365 => self.d.ledger.spend_since(ctx, g.id, since).await?,
                };
                let target = level_for(&levels, spend).map(|l| l.id);
                if target == g.level_id {
                    continue;
                }
                let level_ref = |id: Option<LevelId>| {
                    id.and_then(|id| levels.iter().find(|l| l.id == id))
                        .map(|l| LevelRef {
                            id: l.id,
                            name: l.name.clone(),
                        })
                };
                let name = |id: Option<LevelId>| level_ref(id).map(|l| l.name);
                let batch = Batch {
                    idempotency: None,
                    ops: vec![LedgerOp::SetLevel { guest: g.id, level: target }],
                    audit: AuditRecord::new("loyalty.level_review", "guest", g.id)
                        .details(json!({ "before": name(g.level_id), "after": name(target), "spendMinor": spend })),
                };
                let (tenant, guest, from, to) =
                    (ctx.tenant(), g.id, level_ref(g.level_id), level_ref(target));
                let events = |o: &BatchOutcome, _: Option<&Account>| {
                    vec![events_v1::level_changed(
                        tenant,
                        o.at,
                        guest,
                        from.as_ref(),
                        to.as_ref(),
                        LevelChange::Review,
                    )]
                };
                self.account_after(ctx, batch, g.id, &events).await?;
                changed += 1;
            }
            match (batch_of.has_next, batch_of.items.last()) {
                (true, Some(last)) => {
                    page = PageRequest::Forward {
                        after: Some(last.at.clone()),
                        limit: 100,
                    }
                }
                _ => break,
            }
        }
        Ok(changed)
    }

    /// Expires what is left of expired lots (run by a scheduled job). Returns how many guests.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn expire_points(&self, ctx: &Ctx) -> Result<usize, LedgerError> {
        let now = self.d.clock.now();
        let guests = self
            .d
            .ledger
            .guests_with_expired_lots(ctx, now, 500)
            .await?;
        let n = guests.len();
        for guest in guests {
            let batch = Batch {
                idempotency: None,
                ops: vec![LedgerOp::ExpireLots { guest, now }],
                audit: AuditRecord::new("points.expire", "guest", guest),
            };
            let tenant = ctx.tenant();
            let events = |o: &BatchOutcome, account: Option<&Account>| {
                let expired: i64 = o
                    .entries
                    .iter()
                    .filter(|e| e.guest == guest && e.kind == EntryKind::Expiry)
                    .map(|e| -e.amount)
                    .sum();
                (expired > 0)
                    .then(|| events_v1::points_expired(tenant, o.at, guest, expired, account))
                    .into_iter()
                    .collect()
            };
            self.account_after(ctx, batch, guest, &events).await?;
        }
        Ok(n)
    }
}

fn settings_json(s: &LoyaltySettings) -> serde_json::Value {
    json!({ "expiryDays": s.expiry_days, "spendBasis": s.spend_basis.as_str(), "pointValueMinor": s.point_value_minor, "holdTtlSeconds": s.hold_ttl_secs, "utcOffsetMinutes": s.utc_offset_minutes })
}

fn levels_json(levels: &[Level]) -> serde_json::Value {
    json!(levels.iter().map(|l| json!({ "name": l.name, "thresholdMinor": l.threshold_minor, "cashbackBp": l.cashback.get(), "maxRedeemBp": l.max_redeem.get() })).collect::<Vec<_>>())
}

/// The tiers of a guest search for what was typed (see
/// [`LoyaltyService::search_guests`]).
fn guest_query(q: &str) -> Result<GuestQuery, GuestError> {
    if q.is_empty() {
        return Ok(GuestQuery::all());
    }
    if let Ok(qr) = QrPayload::parse(q) {
        return Ok(GuestQuery {
            tiers: vec![SearchTier::Exact(GuestRef::Qr(qr))],
        });
    }
    let mut tiers = Vec::new();
    if let Ok(card) = CardCode::parse(q) {
        tiers.push(SearchTier::Exact(GuestRef::Card(card)));
    }
    if let Ok(frag) = PhoneFragment::parse(q) {
        if let Ok(phone) = Phone::parse(q, "query") {
            tiers.push(SearchTier::Exact(GuestRef::Phone(phone)));
        }
        tiers.push(SearchTier::PhoneEndsWith(frag.digits().to_owned()));
    } else if q.chars().count() >= 2 && !q.chars().any(|c| c.is_ascii_digit()) {
        let name = q.to_lowercase();
        tiers.push(SearchTier::NameIs(name.clone()));
        tiers.push(SearchTier::NameStartsWith(name.clone()));
        if !name.contains(char::is_whitespace) {
            tiers.push(SearchTier::NameWordStartsWith(name));
        }
    }
    if tiers.is_empty() {
        return Err(invalid(
            "query",
            "type at least 4 digits of a phone, a card code or 2 letters of a name",
        )
        .into());
    }
    Ok(GuestQuery { tiers })
}

#[cfg(test)]
mod search_tests {
    use super::*;

    fn tiers(q: &str) -> Vec<SearchTier> {
        guest_query(q).expect("a query").tiers
    }

    #[test]
    fn digits_rank_the_card_code_then_the_whole_phone_then_phone_endings() {
        assert_eq!(tiers(""), vec![SearchTier::All]);
        assert_eq!(
            tiers("4567"),
            vec![SearchTier::PhoneEndsWith("4567".into())]
        );
        // 8 digits without 0 or 1: a card code too.
        assert_eq!(
            tiers("2345-6789"),
            vec![
                SearchTier::Exact(GuestRef::Card(CardCode::parse("23456789").expect("card"))),
                SearchTier::PhoneEndsWith("23456789".into()),
            ]
        );
        // A whole number, typed the Russian way: the guest with it, then the
        // other phones that end with its digits.
        assert_eq!(
            tiers("8 916 123-45-67"),
            vec![
                SearchTier::Exact(GuestRef::Phone(
                    Phone::parse("+79161234567", "phone").expect("phone")
                )),
                SearchTier::PhoneEndsWith("79161234567".into()),
            ]
        );
    }

    #[test]
    fn words_rank_the_card_code_then_the_same_name_then_longer_names() {
        // MARGARET is a valid card code as well as a name.
        assert_eq!(
            tiers("Margaret"),
            vec![
                SearchTier::Exact(GuestRef::Card(CardCode::parse("MARGARET").expect("card"))),
                SearchTier::NameIs("margaret".into()),
                SearchTier::NameStartsWith("margaret".into()),
                SearchTier::NameWordStartsWith("margaret".into()),
            ]
        );
        assert_eq!(
            tiers("Ан"),
            vec![
                SearchTier::NameIs("ан".into()),
                SearchTier::NameStartsWith("ан".into()),
                SearchTier::NameWordStartsWith("ан".into()),
            ]
        );
        // Two words: the name's beginning only.
        assert_eq!(
            tiers("Анна П"),
            vec![
                SearchTier::NameIs("анна п".into()),
                SearchTier::NameStartsWith("анна п".into()),
            ]
        );
        // A card code with digits is not searched as a name.
        assert_eq!(
            tiers("7kqm-x2wp"),
            vec![SearchTier::Exact(GuestRef::Card(
                CardCode::parse("7KQM-X2WP").expect("card")
            ))]
        );
        let qr = QrPayload::from_random([7; 16]);
        assert_eq!(
            tiers(qr.as_str()),
            vec![SearchTier::Exact(GuestRef::Qr(qr.clone()))]
        );
    }

    #[test]
    fn a_query_that_means_nothing_is_refused() {
        for q in ["a", "12", "7", "+", "Ж"] {
            let err = guest_query(q).expect_err(q);
            assert!(
                matches!(&err, GuestError::Invalid(v) if v.field == "query"),
                "{q}: {err:?}"
            );
        }
    }
}
