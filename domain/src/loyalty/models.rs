//! Loyalty entities and the pure rules over them (levels, accrual, limits).

use chrono::{DateTime, NaiveDate, Offset, Utc};
use serde::{Deserialize, Serialize};

use super::values::{CardCode, Phone, QrPayload, Tags};
use crate::ids::{ApiKeyId, CheckId, GuestId, HoldId, LedgerEntryId, LevelId, LocationId, UserId};
use crate::money::{BasisPoints, Currency, Points};

/// Which spend decides a guest's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpendBasis {
    /// Everything the guest ever paid.
    Lifetime,
    /// What the guest paid in the last 365 days.
    Rolling365,
}

impl SpendBasis {
    /// Storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Lifetime => "lifetime",
            Self::Rolling365 => "rolling365",
        }
    }
    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "lifetime" => Some(Self::Lifetime),
            "rolling365" => Some(Self::Rolling365),
            _ => None,
        }
    }
}

/// A tenant's loyalty settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoyaltySettings {
    /// Days after which accrued points expire; `None` = never.
    pub expiry_days: Option<u32>,
    /// Which spend decides levels.
    pub spend_basis: SpendBasis,
    /// What one point is worth when redeemed, in minor units (100 = 1 RUB).
    pub point_value_minor: i64,
    /// Seconds an unresolved hold lives.
    pub hold_ttl_secs: u32,
    /// The business's offset from UTC in minutes (promotion hours, weekdays, birthdays).
    #[serde(default = "default_utc_offset")]
    pub utc_offset_minutes: i32,
}

const fn default_utc_offset() -> i32 {
    180
}

impl LoyaltySettings {
    /// The business's time zone as a fixed offset.
    #[must_use]
    pub fn offset(&self) -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(self.utc_offset_minutes * 60).unwrap_or(Utc.fix())
    }
}

impl Default for LoyaltySettings {
    fn default() -> Self {
        Self {
            expiry_days: Some(365),
            spend_basis: SpendBasis::Lifetime,
            point_value_minor: 100,
            hold_ttl_secs: 900,
            utc_offset_minutes: default_utc_offset(),
        }
    }
}

/// A loyalty level (tier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// Id.
    pub id: LevelId,
    /// Name shown to guests.
    pub name: String,
    /// Spend (minor units) from which the level applies.
    pub threshold_minor: i64,
    /// Cashback on the paid part of a check.
    pub cashback: BasisPoints,
    /// Largest share of a check payable by points.
    pub max_redeem: BasisPoints,
}

/// The default levels of a new tenant (PRODUCT.md), thresholds in minor units of `currency`.
#[must_use]
pub fn default_levels(_currency: Currency) -> Vec<(String, i64, u16, u16)> {
    vec![
        ("Bronze".into(), 0, 300, 3000),
        ("Silver".into(), 1_000_000, 500, 4000),
        ("Gold".into(), 5_000_000, 700, 5000),
    ]
}

/// The level a spend qualifies for: the highest threshold not above it.
#[must_use]
pub fn level_for(levels: &[Level], spend_minor: i64) -> Option<&Level> {
    levels
        .iter()
        .filter(|l| l.threshold_minor <= spend_minor)
        .max_by_key(|l| l.threshold_minor)
}

/// The next level above the current spend and how much is missing.
#[must_use]
pub fn next_level(levels: &[Level], spend_minor: i64) -> Option<(&Level, i64)> {
    levels
        .iter()
        .filter(|l| l.threshold_minor > spend_minor)
        .min_by_key(|l| l.threshold_minor)
        .map(|l| (l, l.threshold_minor - spend_minor))
}

/// A guest of a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    /// Id.
    pub id: GuestId,
    /// Phone, unique in the tenant (absent until a Telegram guest shares it, or after forgetting).
    pub phone: Option<Phone>,
    /// Name.
    pub name: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// E-mail.
    pub email: Option<String>,
    /// Telegram user id.
    pub telegram_id: Option<i64>,
    /// Agreed to marketing messages.
    pub marketing_consent: bool,
    /// Free tags.
    pub tags: Tags,
    /// The code on the card.
    pub card_code: CardCode,
    /// The payload of the guest's QR code.
    pub qr: QrPayload,
    /// Current level.
    pub level_id: Option<LevelId>,
    /// Everything paid, minor units.
    pub lifetime_spend_minor: i64,
    /// When registered.
    pub created_at: DateTime<Utc>,
    /// Personal data erased on request.
    pub forgotten: bool,
    /// The guest who invited this one (referral promotions).
    pub referred_by: Option<GuestId>,
    /// When the guest last came (their latest check, kept by the ledger);
    /// `None` before the first.
    pub last_visit_at: Option<DateTime<Utc>>,
}

/// A guest's points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The guest.
    pub guest: GuestId,
    /// Sum of all entries.
    pub balance: Points,
    /// Reserved by pending holds.
    pub held: Points,
}

impl Account {
    /// What can be redeemed or held now.
    #[must_use]
    pub fn available(&self) -> Points {
        Points::new(self.balance.get() - self.held.get())
    }
}

/// Kinds of ledger entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    /// Points earned on a check.
    Accrual,
    /// Points spent on a check.
    Redemption,
    /// Points reserved (balance unchanged).
    Hold,
    /// A hold turned into a redemption.
    HoldCapture,
    /// A hold released (voided or expired; balance unchanged).
    HoldVoid,
    /// A manual correction with a reason.
    Adjustment,
    /// Points granted by a promotion.
    PromotionBonus,
    /// Points that expired.
    Expiry,
    /// An entry undoing an earlier one.
    Reversal,
}

impl EntryKind {
    /// Storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Accrual => "accrual",
            Self::Redemption => "redemption",
            Self::Hold => "hold",
            Self::HoldCapture => "hold_capture",
            Self::HoldVoid => "hold_void",
            Self::Adjustment => "adjustment",
            Self::PromotionBonus => "promotion_bonus",
            Self::Expiry => "expiry",
            Self::Reversal => "reversal",
        }
    }
    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Accrual,
            Self::Redemption,
            Self::Hold,
            Self::HoldCapture,
            Self::HoldVoid,
            Self::Adjustment,
            Self::PromotionBonus,
            Self::Expiry,
            Self::Reversal,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One ledger entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    /// Id (time-ordered).
    pub id: LedgerEntryId,
    /// The guest.
    pub guest: GuestId,
    /// What happened.
    pub kind: EntryKind,
    /// Change of the balance (signed).
    pub amount: i64,
    /// Change of the held points (signed).
    pub held_delta: i64,
    /// Balance after the entry.
    pub balance_after: i64,
    /// The check it belongs to.
    pub check: Option<CheckId>,
    /// The hold it belongs to.
    pub hold: Option<HoldId>,
    /// Why (adjustments, reversals, rules).
    pub reason: Option<String>,
    /// Who (staff), if a person.
    pub actor: Option<UserId>,
    /// The partner API key, if a partner app made it.
    pub api_key: Option<ApiKeyId>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Where a hold stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoldStatus {
    /// Reserving points.
    Pending,
    /// Turned into a redemption.
    Captured,
    /// Released by the POS or cashier.
    Voided,
    /// Released by its TTL.
    Expired,
}

impl HoldStatus {
    /// Storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Captured => "captured",
            Self::Voided => "voided",
            Self::Expired => "expired",
        }
    }
    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Captured, Self::Voided, Self::Expired]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A two-phase redemption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// Id.
    pub id: HoldId,
    /// The guest.
    pub guest: GuestId,
    /// Points reserved.
    pub amount: Points,
    /// Where it stands.
    pub status: HoldStatus,
    /// When it expires if unresolved.
    pub expires_at: DateTime<Utc>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// How a check names its guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuestRef {
    /// By id.
    Id(GuestId),
    /// By phone.
    Phone(Phone),
    /// By card code.
    Card(CardCode),
    /// By QR payload.
    Qr(QrPayload),
    /// By Telegram user id.
    Telegram(i64),
}

/// How a check pays with points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Redeem {
    /// No points.
    Nothing,
    /// These points now.
    Points(Points),
    /// Capture this earlier hold.
    Hold(HoldId),
}

/// A line of a check (optional detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckItem {
    /// Product name.
    pub name: String,
    /// Quantity in thousandths.
    pub quantity_milli: i64,
    /// Line total, minor units.
    pub amount_minor: i64,
}

/// A rule that contributed points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedRule {
    /// Stable code, e.g. `level_cashback`.
    pub code: String,
    /// For people, e.g. `Silver: 5 % cashback`.
    pub description: String,
    /// Points from this rule.
    pub points: i64,
    /// The promotion behind the rule, if it is one.
    #[serde(default)]
    pub promotion: Option<crate::ids::PromotionId>,
    /// Whether the points were granted (a promotion past its cap grants nothing).
    #[serde(default)]
    pub status: super::promotions::GrantStatus,
}

/// A level as shown on a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRef {
    /// Id.
    pub id: LevelId,
    /// Name.
    pub name: String,
}

/// What processing a check did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The check.
    pub check_id: CheckId,
    /// The guest.
    pub guest_id: GuestId,
    /// The location.
    pub location_id: LocationId,
    /// The POS's or cashier's id of the check.
    pub external_id: String,
    /// Check total, minor units.
    pub total_minor: i64,
    /// Currency.
    pub currency: Currency,
    /// Points redeemed.
    pub redeemed: i64,
    /// Money value of the redeemed points, minor units.
    pub redeemed_value_minor: i64,
    /// Points earned.
    pub earned: i64,
    /// How the earned points came about.
    pub rules: Vec<AppliedRule>,
    /// Balance after the check.
    pub balance: i64,
    /// Available after the check.
    pub available: i64,
    /// Level before.
    pub level_before: Option<LevelRef>,
    /// Level after.
    pub level_after: Option<LevelRef>,
    /// When processed.
    pub processed_at: DateTime<Utc>,
}

/// Points earned on the paid part of a check: floor(paid × cashback × multiplier / point value).
#[must_use]
pub fn accrual_points(
    paid_minor: i64,
    cashback: BasisPoints,
    multiplier_pct: u32,
    point_value_minor: i64,
) -> i64 {
    if paid_minor <= 0 || point_value_minor <= 0 {
        return 0;
    }
    let v = i128::from(paid_minor) * i128::from(cashback.get()) * i128::from(multiplier_pct)
        / (10_000 * 100 * i128::from(point_value_minor));
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The most points a check of `total_minor` may be paid with at a level.
#[must_use]
pub fn max_redeemable(total_minor: i64, max_share: BasisPoints, point_value_minor: i64) -> i64 {
    if total_minor <= 0 || point_value_minor <= 0 {
        return 0;
    }
    let v = i128::from(total_minor) * i128::from(max_share.get())
        / (10_000 * i128::from(point_value_minor));
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bp(v: u16) -> BasisPoints {
        BasisPoints::new(v).expect("bp")
    }

    #[test]
    fn accrual_is_floored_on_the_paid_part() {
        // 1 000.00 RUB at 3 %, 1 point = 1 RUB → 30 points.
        assert_eq!(accrual_points(100_000, bp(300), 100, 100), 30);
        // 999.99 RUB at 3 % = 29.9997 → 29.
        assert_eq!(accrual_points(99_999, bp(300), 100, 100), 29);
        // ×2 multiplier.
        assert_eq!(accrual_points(100_000, bp(300), 200, 100), 60);
        assert_eq!(accrual_points(0, bp(300), 100, 100), 0);
    }

    #[test]
    fn redemption_is_capped_by_the_level_share() {
        // 30 % of 1 000 RUB = 300 points.
        assert_eq!(max_redeemable(100_000, bp(3000), 100), 300);
        assert_eq!(max_redeemable(99_950, bp(3000), 100), 299);
    }

    #[test]
    fn levels_follow_thresholds() {
        let mk = |name: &str, t| Level {
            id: LevelId::new(),
            name: name.into(),
            threshold_minor: t,
            cashback: bp(300),
            max_redeem: bp(3000),
        };
        let levels = vec![
            mk("Bronze", 0),
            mk("Silver", 1_000_000),
            mk("Gold", 5_000_000),
        ];
        assert_eq!(
            level_for(&levels, 0).map(|l| l.name.as_str()),
            Some("Bronze")
        );
        assert_eq!(
            level_for(&levels, 999_999).map(|l| l.name.as_str()),
            Some("Bronze")
        );
        assert_eq!(
            level_for(&levels, 1_000_000).map(|l| l.name.as_str()),
            Some("Silver")
        );
        assert_eq!(
            next_level(&levels, 1_000_000).map(|(l, m)| (l.name.as_str(), m)),
            Some(("Gold", 4_000_000))
        );
        assert!(next_level(&levels, 9_000_000).is_none());
    }
}
