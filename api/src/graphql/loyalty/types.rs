//! GraphQL types of the loyalty context, built `From` domain types. Amounts are
//! integers: points, and money in minor units (`…Minor`) with the currency.

use async_graphql::{ComplexObject, Context, Enum, ID, OneofObject, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::loyalty as d;
use domain::loyalty::values::{CardCode, Phone, QrPayload};
use domain::page::{Page, PageRequest};

use crate::error::{GqlResult, invalid};
use crate::graphql::identity::types::Currency;
use crate::graphql::{Conn, PageArgs, connection, loyalty_service, parse_id, staff_ctx};

/// Kinds of ledger entries.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum EntryKind {
    /// Earned on a check.
    Accrual,
    /// Spent on a check.
    Redemption,
    /// Reserved (balance unchanged).
    Hold,
    /// A hold turned into a redemption.
    HoldCapture,
    /// A hold released.
    HoldVoid,
    /// A manual correction.
    Adjustment,
    /// Granted by a promotion.
    PromotionBonus,
    /// Expired.
    Expiry,
    /// Undoing an earlier entry.
    Reversal,
}

impl From<d::EntryKind> for EntryKind {
    fn from(k: d::EntryKind) -> Self {
        match k {
            d::EntryKind::Accrual => Self::Accrual,
            d::EntryKind::Redemption => Self::Redemption,
            d::EntryKind::Hold => Self::Hold,
            d::EntryKind::HoldCapture => Self::HoldCapture,
            d::EntryKind::HoldVoid => Self::HoldVoid,
            d::EntryKind::Adjustment => Self::Adjustment,
            d::EntryKind::PromotionBonus => Self::PromotionBonus,
            d::EntryKind::Expiry => Self::Expiry,
            d::EntryKind::Reversal => Self::Reversal,
        }
    }
}

/// Where a hold stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum HoldStatus {
    /// Reserving points.
    Pending,
    /// Turned into a redemption.
    Captured,
    /// Released.
    Voided,
    /// Released by its time limit.
    Expired,
}

impl From<d::HoldStatus> for HoldStatus {
    fn from(s: d::HoldStatus) -> Self {
        match s {
            d::HoldStatus::Pending => Self::Pending,
            d::HoldStatus::Captured => Self::Captured,
            d::HoldStatus::Voided => Self::Voided,
            d::HoldStatus::Expired => Self::Expired,
        }
    }
}

/// Which spend decides levels.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SpendBasis {
    /// Everything ever paid.
    Lifetime,
    /// The last 365 days.
    #[graphql(name = "ROLLING_365")]
    Rolling365,
}

impl From<d::SpendBasis> for SpendBasis {
    fn from(s: d::SpendBasis) -> Self {
        match s {
            d::SpendBasis::Lifetime => Self::Lifetime,
            d::SpendBasis::Rolling365 => Self::Rolling365,
        }
    }
}

impl From<SpendBasis> for d::SpendBasis {
    fn from(s: SpendBasis) -> Self {
        match s {
            SpendBasis::Lifetime => Self::Lifetime,
            SpendBasis::Rolling365 => Self::Rolling365,
        }
    }
}

/// How a guest is named: exactly one of these.
#[derive(OneofObject, Clone)]
pub enum GuestRefInput {
    /// By id.
    Id(ID),
    /// By phone (any common format; +7 assumed for 10 digits).
    Phone(String),
    /// By card code (`XXXX-XXXX`, case and dashes ignored).
    CardCode(String),
    /// By the payload of the guest's QR code.
    Qr(String),
}

impl GuestRefInput {
    /// The domain reference.
    ///
    /// # Errors
    /// `VALIDATION` for a malformed value.
    pub fn into_domain(self) -> Result<d::GuestRef> {
        Ok(match self {
            Self::Id(id) => d::GuestRef::Id(parse_id(&id, "guest.id")?),
            Self::Phone(p) => d::GuestRef::Phone(
                Phone::parse(&p, "guest.phone").map_err(|e| invalid("guest.phone", e.message))?,
            ),
            Self::CardCode(c) => d::GuestRef::Card(
                CardCode::parse(&c).map_err(|e| invalid("guest.cardCode", e.message))?,
            ),
            Self::Qr(q) => {
                d::GuestRef::Qr(QrPayload::parse(&q).map_err(|e| invalid("guest.qr", e.message))?)
            }
        })
    }
}

/// A loyalty level.
#[derive(SimpleObject, Clone)]
pub struct Level {
    /// Id.
    pub id: ID,
    /// Name.
    pub name: String,
    /// Spend from which it applies, minor units.
    pub threshold_minor: i64,
    /// Cashback, basis points (500 = 5 %).
    pub cashback_bp: i32,
    /// Largest share of a check payable by points, basis points.
    pub max_redeem_bp: i32,
}

impl From<&d::Level> for Level {
    fn from(l: &d::Level) -> Self {
        Self {
            id: ID(l.id.to_string()),
            name: l.name.clone(),
            threshold_minor: l.threshold_minor,
            cashback_bp: i32::from(l.cashback.get()),
            max_redeem_bp: i32::from(l.max_redeem.get()),
        }
    }
}

/// A tenant's loyalty settings.
#[derive(SimpleObject)]
pub struct LoyaltySettings {
    /// Days after which points expire; null = never.
    pub expiry_days: Option<i32>,
    /// Which spend decides levels.
    pub spend_basis: SpendBasis,
    /// What one point is worth when redeemed, minor units.
    pub point_value_minor: i64,
    /// Seconds an unresolved hold lives.
    pub hold_ttl_seconds: i32,
    /// The business's offset from UTC in minutes.
    pub utc_offset_minutes: i32,
}

impl From<d::LoyaltySettings> for LoyaltySettings {
    fn from(s: d::LoyaltySettings) -> Self {
        Self {
            expiry_days: s.expiry_days.and_then(|d| i32::try_from(d).ok()),
            spend_basis: s.spend_basis.into(),
            point_value_minor: s.point_value_minor,
            hold_ttl_seconds: i32::try_from(s.hold_ttl_secs).unwrap_or(i32::MAX),
            utc_offset_minutes: s.utc_offset_minutes,
        }
    }
}

/// A guest's points.
#[derive(SimpleObject)]
pub struct Account {
    /// The guest.
    pub guest_id: ID,
    /// All points.
    pub balance: i64,
    /// Reserved by pending holds.
    pub held: i64,
    /// What can be redeemed now.
    pub available: i64,
}

impl From<d::Account> for Account {
    fn from(a: d::Account) -> Self {
        Self {
            guest_id: ID(a.guest.to_string()),
            balance: a.balance.get(),
            held: a.held.get(),
            available: a.available().get(),
        }
    }
}

/// Progress to the next level.
#[derive(SimpleObject)]
pub struct LevelProgress {
    /// The spend that counts, minor units.
    pub spend_minor: i64,
    /// The next level, if any.
    pub next: Option<Level>,
    /// Spend still missing to reach it, minor units.
    pub missing_minor: Option<i64>,
}

/// A guest of the business.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Guest {
    /// Id.
    pub id: ID,
    /// Phone, E.164.
    pub phone: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// E-mail.
    pub email: Option<String>,
    /// Telegram user id (a string: it exceeds 32 bits).
    pub telegram_id: Option<String>,
    /// Agreed to marketing messages.
    pub marketing_consent: bool,
    /// Tags.
    pub tags: Vec<String>,
    /// The code on the card, `XXXX-XXXX`.
    pub card_code: String,
    /// The payload of the guest's QR code.
    pub qr_payload: String,
    /// Everything paid, minor units.
    pub lifetime_spend_minor: i64,
    /// When registered.
    pub created_at: DateTime<Utc>,
    /// When the guest last came (their latest check); null before the first.
    pub last_visit_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub guest_id: domain::GuestId,
    /// The guest as read, with what was read beside it.
    #[graphql(skip)]
    pub inner: std::sync::Arc<GuestData>,
}

/// What a [`Guest`] object holds besides its fields.
pub struct GuestData {
    /// The guest as read.
    pub guest: d::Guest,
    /// Their card, read once per object however many fields ask for it (or
    /// read with the guest).
    card: tokio::sync::OnceCell<d::GuestCard>,
    /// A page of their ledger read with the guest, and the request it answers.
    ledger: Option<(PageRequest, Page<d::LedgerEntry>)>,
}

impl Guest {
    async fn card<'a>(&'a self, ctx: &Context<'_>) -> Result<&'a d::GuestCard> {
        let data = &*self.inner;
        data.card
            .get_or_try_init(|| async {
                loyalty_service(ctx)?
                    .card_of(staff_ctx(ctx)?, data.guest.clone())
                    .await
                    .gql()
            })
            .await
    }

    /// A guest whose card, and maybe a page of whose ledger, were read with it.
    #[must_use]
    pub fn viewed(card: d::GuestCard, ledger: Option<(PageRequest, Page<d::LedgerEntry>)>) -> Self {
        let guest = card.guest.clone();
        Self::with_data(GuestData {
            guest,
            card: tokio::sync::OnceCell::new_with(Some(card)),
            ledger,
        })
    }

    fn with_data(data: GuestData) -> Self {
        let g = &data.guest;
        Self {
            id: ID(g.id.to_string()),
            phone: g.phone.as_ref().map(|p| p.as_e164().to_owned()),
            name: g.name.clone(),
            birthday: g.birthday,
            email: g.email.clone(),
            telegram_id: g.telegram_id.map(|t| t.to_string()),
            marketing_consent: g.marketing_consent,
            tags: g.tags.as_slice().to_vec(),
            card_code: g.card_code.to_string(),
            qr_payload: g.qr.as_str().to_owned(),
            lifetime_spend_minor: g.lifetime_spend_minor,
            created_at: g.created_at,
            last_visit_at: g.last_visit_at,
            guest_id: g.id,
            inner: std::sync::Arc::new(data),
        }
    }
}

impl From<d::Guest> for Guest {
    fn from(guest: d::Guest) -> Self {
        Self::with_data(GuestData {
            guest,
            card: tokio::sync::OnceCell::new(),
            ledger: None,
        })
    }
}

#[ComplexObject]
impl Guest {
    /// Points.
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        Ok(self.card(ctx).await?.account.into())
    }

    /// Current level.
    async fn level(&self, ctx: &Context<'_>) -> Result<Option<Level>> {
        Ok(self.card(ctx).await?.level.as_ref().map(Level::from))
    }

    /// Progress to the next level.
    async fn progress(&self, ctx: &Context<'_>) -> Result<LevelProgress> {
        let card = self.card(ctx).await?;
        Ok(LevelProgress {
            spend_minor: card.spend_minor,
            next: card.next.as_ref().map(|(l, _)| Level::from(l)),
            missing_minor: card.next.as_ref().map(|(_, m)| *m),
        })
    }

    /// The most points a check of `totalMinor` may be paid with now (level share and available points).
    async fn max_redeemable(&self, ctx: &Context<'_>, total_minor: i64) -> Result<i64> {
        let card = self.card(ctx).await?;
        loyalty_service(ctx)?
            .max_redeemable_on(staff_ctx(ctx)?, card, total_minor)
            .await
            .gql()
    }

    /// The ledger, oldest first (use `last` for the newest entries).
    async fn ledger(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<LedgerEntry>> {
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let p = match &self.inner.ledger {
            Some((asked, read)) if *asked == page => read.clone(),
            _ => loyalty_service(ctx)?
                .ledger_of(staff_ctx(ctx)?, &self.inner.guest, page)
                .await
                .gql()?,
        };
        Ok(connection(p, |e| e.id.as_uuid(), LedgerEntry::from))
    }
}

/// One ledger entry.
#[derive(SimpleObject)]
pub struct LedgerEntry {
    /// Id.
    pub id: ID,
    /// What happened.
    pub kind: EntryKind,
    /// Change of the balance (signed points).
    pub amount: i64,
    /// Change of the held points.
    pub held_delta: i64,
    /// Balance after.
    pub balance_after: i64,
    /// The check.
    pub check_id: Option<ID>,
    /// The hold.
    pub hold_id: Option<ID>,
    /// Why.
    pub reason: Option<String>,
    /// Who (staff user id).
    pub actor_id: Option<ID>,
    /// The partner API key that made it (see `apiKeys`).
    pub api_key_id: Option<ID>,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<d::LedgerEntry> for LedgerEntry {
    fn from(e: d::LedgerEntry) -> Self {
        Self {
            id: ID(e.id.to_string()),
            kind: e.kind.into(),
            amount: e.amount,
            held_delta: e.held_delta,
            balance_after: e.balance_after,
            check_id: e.check.map(|c| ID(c.to_string())),
            hold_id: e.hold.map(|h| ID(h.to_string())),
            reason: e.reason,
            actor_id: e.actor.map(|a| ID(a.to_string())),
            api_key_id: e.api_key.map(|k| ID(k.to_string())),
            created_at: e.created_at,
        }
    }
}

/// A rule that contributed points.
#[derive(SimpleObject)]
pub struct AppliedRule {
    /// Stable code, e.g. `level_cashback`.
    pub code: String,
    /// For people.
    pub description: String,
    /// Points.
    pub points: i64,
    /// The promotion behind the rule, if it is one.
    pub promotion_id: Option<ID>,
    /// Whether the points were granted.
    pub status: GrantStatus,
}

/// What became of a rule's points.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum GrantStatus {
    /// Granted.
    Granted,
    /// Already granted before: nothing now.
    AlreadyGranted,
    /// The promotion's budget is exhausted: nothing granted.
    BudgetExhausted,
    /// The promotion stopped meanwhile: nothing granted.
    Inactive,
}

impl From<d::GrantStatus> for GrantStatus {
    fn from(s: d::GrantStatus) -> Self {
        match s {
            d::GrantStatus::Granted => Self::Granted,
            d::GrantStatus::AlreadyGranted => Self::AlreadyGranted,
            d::GrantStatus::BudgetExhausted => Self::BudgetExhausted,
            d::GrantStatus::Inactive => Self::Inactive,
        }
    }
}

/// A level on a receipt.
#[derive(SimpleObject)]
pub struct LevelRef {
    /// Id.
    pub id: ID,
    /// Name.
    pub name: String,
}

/// What processing a check did.
#[derive(SimpleObject)]
pub struct Receipt {
    /// The check.
    pub check_id: ID,
    /// The guest.
    pub guest_id: ID,
    /// The location.
    pub location_id: ID,
    /// The check's id at its source.
    pub external_id: String,
    /// Total, minor units.
    pub total_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Points redeemed.
    pub redeemed: i64,
    /// Their money value, minor units.
    pub redeemed_value_minor: i64,
    /// Points earned.
    pub earned: i64,
    /// How the points were earned.
    pub rules: Vec<AppliedRule>,
    /// Balance after.
    pub balance: i64,
    /// Available after.
    pub available: i64,
    /// Level before.
    pub level_before: Option<LevelRef>,
    /// Level after.
    pub level_after: Option<LevelRef>,
    /// When processed.
    pub processed_at: DateTime<Utc>,
}

fn level_ref(l: Option<d::LevelRef>) -> Option<LevelRef> {
    l.map(|l| LevelRef {
        id: ID(l.id.to_string()),
        name: l.name,
    })
}

impl From<d::Receipt> for Receipt {
    fn from(r: d::Receipt) -> Self {
        Self {
            check_id: ID(r.check_id.to_string()),
            guest_id: ID(r.guest_id.to_string()),
            location_id: ID(r.location_id.to_string()),
            external_id: r.external_id,
            total_minor: r.total_minor,
            currency: r.currency.into(),
            redeemed: r.redeemed,
            redeemed_value_minor: r.redeemed_value_minor,
            earned: r.earned,
            rules: r
                .rules
                .into_iter()
                .map(|a| AppliedRule {
                    code: a.code,
                    description: a.description,
                    points: a.points,
                    promotion_id: a.promotion.map(|p| ID(p.to_string())),
                    status: a.status.into(),
                })
                .collect(),
            balance: r.balance,
            available: r.available,
            level_before: level_ref(r.level_before),
            level_after: level_ref(r.level_after),
            processed_at: r.processed_at,
        }
    }
}

/// A two-phase redemption.
#[derive(SimpleObject)]
pub struct Hold {
    /// Id.
    pub id: ID,
    /// The guest.
    pub guest_id: ID,
    /// Points reserved.
    pub points: i64,
    /// Where it stands.
    pub status: HoldStatus,
    /// When it expires if unresolved.
    pub expires_at: DateTime<Utc>,
    /// When made.
    pub created_at: DateTime<Utc>,
}

impl From<d::Hold> for Hold {
    fn from(h: d::Hold) -> Self {
        Self {
            id: ID(h.id.to_string()),
            guest_id: ID(h.guest.to_string()),
            points: h.amount.get(),
            status: h.status.into(),
            expires_at: h.expires_at,
            created_at: h.created_at,
        }
    }
}

/// Guests as a connection (re-exported for the queries).
pub type GuestConnection = Conn<Guest>;
