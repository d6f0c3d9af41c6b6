//! Ports of the loyalty context. The ledger port applies a *batch* of operations
//! in one transaction: the domain decides what to post, the adapter posts it
//! atomically with conditional updates (never below zero available), consumes
//! lots oldest first, and makes the batch exactly-once through its idempotency key.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::models::{
    Account, EntryKind, Guest, GuestRef, Hold, HoldStatus, LedgerEntry, Level, LoyaltySettings,
};
use super::promotions::{GrantStatus, Promotion};
use crate::ctx::Ctx;
use crate::identity::errors::StoreError;
use crate::identity::models::AuditRecord;
use crate::ids::{CheckId, GuestId, HoldId, InboundEventId, LevelId, LocationId, PromotionId};
use crate::jobs::NewJob;
use crate::page::{Page, PageRequest};

/// A processed check as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRecord {
    /// Id.
    pub id: CheckId,
    /// The guest.
    pub guest: GuestId,
    /// The location.
    pub location: LocationId,
    /// Who sent it (`cashier`, `pos:<integration>`).
    pub source: String,
    /// Its id at the source.
    pub external_id: String,
    /// Total, minor units.
    pub total_minor: i64,
    /// Paid in money (total − value of redeemed points), minor units.
    pub paid_minor: i64,
    /// Points redeemed.
    pub redeemed: i64,
    /// Points earned.
    pub earned: i64,
    /// Reversed by a later `reverseCheck`.
    pub reversed: bool,
    /// When processed.
    pub created_at: DateTime<Utc>,
}

/// One operation of a ledger batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerOp {
    /// Stores a processed check.
    RecordCheck(CheckRecord),
    /// Adds points as a new lot.
    Credit {
        /// The guest.
        guest: GuestId,
        /// Points (> 0).
        amount: i64,
        /// Entry kind.
        kind: EntryKind,
        /// When the lot expires (`None` = never).
        expires_at: Option<DateTime<Utc>>,
        /// Related check.
        check: Option<CheckId>,
        /// Why.
        reason: Option<String>,
    },
    /// Removes available points, consuming the oldest lots first.
    Debit {
        /// The guest.
        guest: GuestId,
        /// Points (> 0).
        amount: i64,
        /// Entry kind.
        kind: EntryKind,
        /// Related check.
        check: Option<CheckId>,
        /// Why.
        reason: Option<String>,
    },
    /// Reserves available points.
    PlaceHold(Hold),
    /// Turns a pending hold into a redemption.
    CaptureHold {
        /// The hold.
        hold: HoldId,
        /// Related check.
        check: Option<CheckId>,
    },
    /// Releases a pending hold.
    ReleaseHold {
        /// The hold.
        hold: HoldId,
        /// `Voided` or `Expired`.
        status: HoldStatus,
    },
    /// Adds paid spend (may be negative for reversals) and, with `levels`,
    /// raises the guest's level to what the new spend qualifies for (never lowers it).
    AddSpend {
        /// The guest.
        guest: GuestId,
        /// Minor units.
        paid_minor: i64,
        /// The tenant's levels, to recompute the level; `None` keeps it.
        levels: Option<Vec<Level>>,
        /// With the rolling basis: count only checks since then (else lifetime spend).
        rolling_since: Option<DateTime<Utc>>,
        /// For a check: its time, the guest's last visit (a guest search by
        /// phone ending shows the most recent visitor first). `None` for a
        /// reversal.
        visit: Option<DateTime<Utc>>,
    },
    /// Marks a check reversed (fails if it already is).
    MarkReversed(CheckId),
    /// Marks the stored POS event a check came from processed and links the
    /// check, in the check's own transaction; an event no longer pending is
    /// left as it is.
    SettleInboundEvent {
        /// The event.
        event: InboundEventId,
        /// The check it became.
        check: CheckId,
    },
    /// Sets a guest's level (the monthly review may lower it).
    SetLevel {
        /// The guest.
        guest: GuestId,
        /// The new level.
        level: Option<LevelId>,
    },
    /// Moves everything of `source` to `target`: open lots (keeping their age and
    /// expiry) through a pair of adjustment entries, checks and spend, and the
    /// contact details `target` lacks; then anonymises `source`. Refused while
    /// `source` has pending holds.
    MergeGuests {
        /// The record that goes away.
        source: GuestId,
        /// The record that stays.
        target: GuestId,
    },
    /// Grants a promotion's points at most once per key and within its cap:
    /// records the grant, raises the promotion's granted total (only while it
    /// stays within the budget and the promotion is not archived) and credits
    /// each guest with a promotion-bonus lot. A grant refused for its key, cap
    /// or archiving changes nothing and is reported in [`BatchOutcome::grants`].
    GrantPromotion(super::promotions::PromotionGrant),
    /// Expires what is left of the guest's lots expired by `now`, but never
    /// more than is available (held points expire after their hold resolves).
    ExpireLots {
        /// The guest.
        guest: GuestId,
        /// The instant.
        now: DateTime<Utc>,
    },
}

/// Makes a batch exactly-once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    /// The namespace (`check:cashier`, `adjust`, …).
    pub scope: String,
    /// The key within it (an external id).
    pub key: String,
    /// A fingerprint of the request: same key + other fingerprint = conflict.
    pub fingerprint: String,
}

/// A batch of ledger operations for one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Exactly-once key.
    pub idempotency: Option<IdempotencyKey>,
    /// Operations, applied in order.
    pub ops: Vec<LedgerOp>,
    /// The audit record of the batch.
    pub audit: AuditRecord,
}

/// State after a batch, inside its transaction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BatchOutcome {
    /// Accounts touched, after the batch.
    pub accounts: Vec<Account>,
    /// Levels of guests whose spend changed, after the batch.
    pub levels: Vec<(GuestId, Option<LevelId>)>,
    /// Entries written.
    pub entries: Vec<LedgerEntry>,
    /// When the batch ran (the store's clock).
    pub at: DateTime<Utc>,
    /// What became of each promotion grant, by (promotion, once key).
    pub grants: Vec<(PromotionId, String, GrantStatus)>,
}

impl BatchOutcome {
    /// What became of a grant.
    #[must_use]
    pub fn grant(&self, promotion: PromotionId, once_key: &str) -> Option<GrantStatus> {
        self.grants
            .iter()
            .find(|(p, k, _)| *p == promotion && k == once_key)
            .map(|(_, _, s)| *s)
    }
}

/// Why a batch was not applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// Not enough available points.
    #[error("not enough points: {available} available")]
    Insufficient {
        /// The guest.
        guest: GuestId,
        /// Available points at the time.
        available: i64,
    },
    /// The hold does not exist here or is no longer pending.
    #[error("the hold is not pending")]
    HoldNotPending(HoldId),
    /// The check was already reversed.
    #[error("the check was already reversed")]
    AlreadyReversed(CheckId),
    /// The guest has pending holds.
    #[error("the guest has pending holds")]
    PendingHolds(GuestId),
    /// The idempotency key was used before; `same` tells whether with the same request.
    #[error("already processed")]
    Duplicate {
        /// Same fingerprint.
        same: bool,
        /// The stored result of the first request.
        result: serde_json::Value,
    },
    /// Storage failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a batch's [`Finish`] callback builds inside the transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Finished {
    /// The result stored with the idempotency key (and returned).
    pub result: serde_json::Value,
    /// Outbox jobs (e.g. durable events) enqueued in the batch's transaction:
    /// they exist iff the batch commits, and a replay enqueues nothing.
    pub outbox: Vec<NewJob>,
}

impl Finished {
    /// A result with no outbox jobs.
    #[must_use]
    pub fn result(result: serde_json::Value) -> Self {
        Self {
            result,
            outbox: Vec::new(),
        }
    }

    /// Adds outbox jobs.
    #[must_use]
    pub fn with_outbox(mut self, jobs: Vec<NewJob>) -> Self {
        self.outbox.extend(jobs);
        self
    }
}

/// Builds, inside the transaction, the result stored with the idempotency key
/// and the outbox jobs of the batch (from the state after its operations).
pub type Finish<'a> = &'a (dyn Fn(&BatchOutcome) -> Finished + Send + Sync);

/// A guest with their account and, when asked, a page of their ledger, as
/// one read saw them (a guest's card on a screen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestView {
    /// The guest.
    pub guest: Guest,
    /// Their points.
    pub account: Account,
    /// The page of entries asked for.
    pub ledger: Option<Page<LedgerEntry>>,
}

/// The points ledger.
#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Applies a batch atomically and returns `finish`'s result (stored with the
    /// idempotency key, returned again for a replay); `finish`'s outbox jobs are
    /// enqueued in the same transaction (not for a replay).
    ///
    /// # Errors
    /// See [`BatchError`]; nothing is applied on error.
    async fn apply(
        &self,
        ctx: &Ctx,
        batch: Batch,
        finish: Finish<'_>,
    ) -> Result<serde_json::Value, BatchError>;
    /// The fingerprint and stored result of an idempotency key already used.
    ///
    /// # Errors
    /// Storage failure.
    async fn idempotent_result(
        &self,
        ctx: &Ctx,
        scope: &str,
        key: &str,
    ) -> Result<Option<(String, serde_json::Value)>, StoreError>;
    /// A guest's account.
    ///
    /// # Errors
    /// `NotFound`.
    async fn account(&self, ctx: &Ctx, guest: GuestId) -> Result<Account, StoreError>;
    /// A guest, their account and, with `ledger`, that page of their entries
    /// (oldest first), in one read.
    ///
    /// # Errors
    /// `NotFound` when the guest is not there.
    async fn guest_view(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        ledger: Option<PageRequest>,
    ) -> Result<GuestView, StoreError>;
    /// A page of a guest's entries, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn entries(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        page: PageRequest,
    ) -> Result<Page<LedgerEntry>, StoreError>;
    /// The entries that belong to a check, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn check_entries(
        &self,
        ctx: &Ctx,
        check: CheckId,
    ) -> Result<Vec<LedgerEntry>, StoreError>;
    /// One hold.
    ///
    /// # Errors
    /// `NotFound`.
    async fn hold(&self, ctx: &Ctx, id: HoldId) -> Result<Hold, StoreError>;
    /// One check.
    ///
    /// # Errors
    /// `NotFound`.
    async fn check(&self, ctx: &Ctx, id: CheckId) -> Result<CheckRecord, StoreError>;
    /// Pending holds past their expiry.
    ///
    /// # Errors
    /// Storage failure.
    async fn expired_holds(
        &self,
        ctx: &Ctx,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<HoldId>, StoreError>;
    /// Guests with expired lots that still have points.
    ///
    /// # Errors
    /// Storage failure.
    async fn guests_with_expired_lots(
        &self,
        ctx: &Ctx,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<GuestId>, StoreError>;
    /// What a guest paid since `since` (for the rolling spend basis).
    ///
    /// # Errors
    /// Storage failure.
    async fn spend_since(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
}

/// One rank of a guest search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchTier {
    /// Everyone, in id (registration) order.
    All,
    /// One exact guest (card code, whole phone number, QR payload).
    Exact(GuestRef),
    /// Names equal to this (lower-case), in id order.
    NameIs(String),
    /// Names that start with this (lower-case) and go on, by name then id.
    NameStartsWith(String),
    /// Names with a later word starting with this (lower-case; a surname, say)
    /// that do not start with it themselves, by name then id.
    NameWordStartsWith(String),
    /// Phones ending with these digits, the latest visit first (guests who
    /// never came last), then in id order.
    PhoneEndsWith(String),
}

/// How guests are searched: tiers, best match first. A guest appears once, in
/// the first tier it matches: an adapter leaves the guests of `Exact` tiers out
/// of the later tiers; the other tiers of one query never overlap (the service
/// builds them so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestQuery {
    /// Best first.
    pub tiers: Vec<SearchTier>,
}

impl GuestQuery {
    /// Everyone, in id order.
    #[must_use]
    pub fn all() -> Self {
        Self {
            tiers: vec![SearchTier::All],
        }
    }
}

/// Where a guest stands in a search's order: its tier (the index in
/// [`GuestQuery::tiers`]), then the tier's sort key (the lower-case name in a
/// `NameStartsWith` and `NameWordStartsWith` tiers, the last visit in a
/// `PhoneEndsWith` tier as the adapter encodes it, empty in the others), then
/// its id. Pages of a search
/// start after or before one of these.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SearchPosition {
    /// The tier.
    pub tier: u8,
    /// The sort key within the tier.
    pub key: String,
    /// The guest.
    pub id: GuestId,
}

/// A guest found by a search, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The guest.
    pub guest: Guest,
    /// Where it stands.
    pub at: SearchPosition,
}

/// Guests.
#[async_trait]
pub trait GuestStore: Send + Sync {
    /// Stores a new guest with an empty account, and enqueues `outbox` jobs in
    /// the same transaction.
    ///
    /// # Errors
    /// `Conflict("phone" | "telegramId" | "cardCode" | "qr")`.
    async fn create(
        &self,
        ctx: &Ctx,
        guest: &Guest,
        audit: AuditRecord,
        outbox: &[NewJob],
    ) -> Result<(), StoreError>;
    /// Replaces a guest's editable fields, and enqueues `outbox` jobs in the
    /// same transaction.
    ///
    /// # Errors
    /// `NotFound`, `Conflict(…)`.
    async fn update(
        &self,
        ctx: &Ctx,
        guest: &Guest,
        audit: AuditRecord,
        outbox: &[NewJob],
    ) -> Result<(), StoreError>;
    /// One guest.
    ///
    /// # Errors
    /// `NotFound`.
    async fn get(&self, ctx: &Ctx, id: GuestId) -> Result<Guest, StoreError>;
    /// The guest a reference names.
    ///
    /// # Errors
    /// Storage failure.
    async fn find(&self, ctx: &Ctx, by: &GuestRef) -> Result<Option<Guest>, StoreError>;
    /// Guests (not forgotten) whose birthday's `month × 100 + day` is one of
    /// `keys`, after `after` in id order.
    ///
    /// # Errors
    /// Storage failure.
    async fn with_birthday(
        &self,
        ctx: &Ctx,
        keys: &[u16],
        after: Option<GuestId>,
        limit: u64,
    ) -> Result<Vec<Guest>, StoreError>;
    /// A page of guests matching a query, in the query's order (tier, key, id);
    /// `total` counts every tier.
    ///
    /// # Errors
    /// Storage failure.
    async fn search(
        &self,
        ctx: &Ctx,
        query: &GuestQuery,
        page: PageRequest<SearchPosition>,
    ) -> Result<Page<Found>, StoreError>;
}

/// Promotions.
#[async_trait]
pub trait PromotionStore: Send + Sync {
    /// Promotions, oldest first (archived ones only when asked).
    ///
    /// # Errors
    /// Storage failure.
    async fn list(&self, ctx: &Ctx, include_archived: bool) -> Result<Vec<Promotion>, StoreError>;
    /// The promotions that are not archived, for rules applied on the hot path
    /// (checks, registrations). An adapter may serve it from a short cache: its
    /// counters may lag, and grants re-check the promotion in their transaction.
    ///
    /// # Errors
    /// Storage failure.
    async fn running(&self, ctx: &Ctx) -> Result<Vec<Promotion>, StoreError> {
        self.list(ctx, false).await
    }
    /// One promotion.
    ///
    /// # Errors
    /// `NotFound`.
    async fn get(&self, ctx: &Ctx, id: PromotionId) -> Result<Promotion, StoreError>;
    /// Stores a new promotion.
    ///
    /// # Errors
    /// Storage failure.
    async fn create(&self, ctx: &Ctx, p: &Promotion, audit: AuditRecord) -> Result<(), StoreError>;
    /// Replaces the editable fields (name, rule, dates, budget, archived,
    /// exhaustion mark); the granted total only moves through grants.
    ///
    /// # Errors
    /// `NotFound`.
    async fn update(&self, ctx: &Ctx, p: &Promotion, audit: AuditRecord) -> Result<(), StoreError>;
    /// Points granted in all (capped promotions keep a counter; uncapped ones
    /// are summed from their grants).
    ///
    /// # Errors
    /// Storage failure.
    async fn granted_points(&self, ctx: &Ctx, id: PromotionId) -> Result<i64, StoreError>;
    /// Whether a grant with this key was made.
    ///
    /// # Errors
    /// Storage failure.
    async fn granted(
        &self,
        ctx: &Ctx,
        promotion: PromotionId,
        once_key: &str,
    ) -> Result<bool, StoreError>;
}

/// Loyalty settings and levels.
#[async_trait]
pub trait LoyaltyConfigStore: Send + Sync {
    /// The settings, if the tenant's loyalty was initialised.
    ///
    /// # Errors
    /// Storage failure.
    async fn settings(&self, ctx: &Ctx) -> Result<Option<LoyaltySettings>, StoreError>;
    /// Stores default settings and levels unless present (idempotent).
    ///
    /// # Errors
    /// Storage failure.
    async fn initialize(
        &self,
        ctx: &Ctx,
        settings: &LoyaltySettings,
        levels: &[Level],
    ) -> Result<(), StoreError>;
    /// Replaces the settings.
    ///
    /// # Errors
    /// Storage failure.
    async fn update_settings(
        &self,
        ctx: &Ctx,
        settings: &LoyaltySettings,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// Levels, lowest threshold first.
    ///
    /// # Errors
    /// Storage failure.
    async fn levels(&self, ctx: &Ctx) -> Result<Vec<Level>, StoreError>;
    /// Replaces the whole level table (validated by the domain).
    ///
    /// # Errors
    /// Storage failure.
    async fn save_levels(
        &self,
        ctx: &Ctx,
        levels: &[Level],
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
}

/// The Telegram user behind a validated Mini App `initData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramIdentity {
    /// Telegram user id.
    pub user_id: i64,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: Option<String>,
    /// Interface language (`ru`, `en`, …).
    pub language: Option<String>,
    /// The `startapp` parameter of the link that opened the app (`ref_<card code>`
    /// invites a friend).
    pub start_param: Option<String>,
}

/// Why `initData` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitDataRejection {
    /// Malformed, badly signed (e.g. for another tenant's bot) or without a user.
    Invalid,
    /// Older than allowed (or from the future).
    Expired,
}

/// A phone the guest shared from the Mini App (Telegram's `requestContact`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedContact {
    /// Whose contact it is.
    pub user_id: i64,
    /// The phone as Telegram sends it (digits, maybe without `+`).
    pub phone: String,
}

/// Checks Telegram Mini App `initData` against a bot token.
pub trait InitDataVerifier: Send + Sync {
    /// The contact of a signed `requestContact` answer, as of `now_unix`.
    ///
    /// # Errors
    /// See [`InitDataRejection`].
    fn verify_contact(
        &self,
        data: &str,
        bot_token: &str,
        now_unix: i64,
    ) -> Result<SharedContact, InitDataRejection>;
    /// The Telegram user of valid data, as of `now_unix`.
    ///
    /// # Errors
    /// See [`InitDataRejection`].
    fn verify(
        &self,
        init_data: &str,
        bot_token: &str,
        now_unix: i64,
    ) -> Result<TelegramIdentity, InitDataRejection>;
}

/// A tenant's Telegram bot, as shown (never the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelegramBotInfo {
    /// The bot's numeric id (the part of the token before `:`).
    pub bot_id: i64,
    /// When the token was last set.
    pub updated_at: DateTime<Utc>,
}

/// The tenant's bot token, encrypted at rest.
#[async_trait]
pub trait TelegramBotVault: Send + Sync {
    /// Stores (replaces) the tenant's bot token.
    ///
    /// # Errors
    /// Storage or encryption failure.
    async fn set(
        &self,
        ctx: &Ctx,
        bot_id: i64,
        token: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// The decrypted token, if set.
    ///
    /// # Errors
    /// Storage or decryption failure.
    async fn token(&self, ctx: &Ctx) -> Result<Option<String>, StoreError>;
    /// What can be shown about the bot.
    ///
    /// # Errors
    /// Storage failure.
    async fn info(&self, ctx: &Ctx) -> Result<Option<TelegramBotInfo>, StoreError>;
}
