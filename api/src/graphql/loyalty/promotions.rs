//! Promotions: staff configure them; guests see the ones running for them.

use async_graphql::{
    ComplexObject, Context, Enum, ID, InputObject, Object, OneofObject, Result, SimpleObject, Union,
};
use chrono::{DateTime, NaiveDate, Utc, Weekday as ChronoWeekday};
use domain::identity::Permission as P;
use domain::loyalty as d;
use domain::{LocationId, PromotionId};

use crate::error::{GqlResult, invalid};
use crate::graphql::{
    GuestOnly, Perm, guest, guest_ctx, loyalty_service as svc, parse_id, requires, staff_ctx,
};

/// Kinds of promotions.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum PromotionKind {
    /// Points on registration.
    Welcome,
    /// Points once a year around the birthday.
    Birthday,
    /// ×N cashback on chosen weekdays, hours and locations.
    Multiplier,
    /// Points for both sides after the invited guest's first check.
    Referral,
}

impl From<d::PromotionKind> for PromotionKind {
    fn from(k: d::PromotionKind) -> Self {
        match k {
            d::PromotionKind::Welcome => Self::Welcome,
            d::PromotionKind::Birthday => Self::Birthday,
            d::PromotionKind::Multiplier => Self::Multiplier,
            d::PromotionKind::Referral => Self::Referral,
        }
    }
}

/// Days of the week.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl From<ChronoWeekday> for Weekday {
    fn from(w: ChronoWeekday) -> Self {
        match w {
            ChronoWeekday::Mon => Self::Mon,
            ChronoWeekday::Tue => Self::Tue,
            ChronoWeekday::Wed => Self::Wed,
            ChronoWeekday::Thu => Self::Thu,
            ChronoWeekday::Fri => Self::Fri,
            ChronoWeekday::Sat => Self::Sat,
            ChronoWeekday::Sun => Self::Sun,
        }
    }
}

impl From<Weekday> for ChronoWeekday {
    fn from(w: Weekday) -> Self {
        match w {
            Weekday::Mon => Self::Mon,
            Weekday::Tue => Self::Tue,
            Weekday::Wed => Self::Wed,
            Weekday::Thu => Self::Thu,
            Weekday::Fri => Self::Fri,
            Weekday::Sat => Self::Sat,
            Weekday::Sun => Self::Sun,
        }
    }
}

/// A welcome bonus.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "WelcomeRuleInput")]
pub struct WelcomeRule {
    /// Points granted on registration.
    pub points: i64,
}

/// A birthday bonus.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "BirthdayRuleInput")]
pub struct BirthdayRule {
    /// Points granted once a year.
    pub points: i64,
    /// Days before the birthday the window opens (0–30).
    pub days_before: i32,
    /// Days after the birthday the window stays open (0–30).
    pub days_after: i32,
}

/// Hours of the day, `[from, to)` in the business's time; `from > to` spans midnight.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "HourRangeInput")]
pub struct HourRange {
    /// First hour (0–23).
    pub from: i32,
    /// Hour it stops (1–24).
    pub to: i32,
}

/// A cashback multiplier.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "MultiplierRuleInput")]
pub struct MultiplierRule {
    /// The factor in percent: 200 = ×2, 150 = ×1.5 (101–1000).
    pub factor_percent: i32,
    /// Weekdays it applies on; empty = every day.
    #[graphql(default)]
    pub weekdays: Vec<Weekday>,
    /// Hours it applies in; null = all day.
    pub hours: Option<HourRange>,
    /// Locations it applies at; empty = all.
    #[graphql(default)]
    pub location_ids: Vec<ID>,
}

/// A referral bonus.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "ReferralRuleInput")]
pub struct ReferralRule {
    /// Points for the guest who invited.
    pub referrer_points: i64,
    /// Points for the invited guest.
    pub referee_points: i64,
}

/// What a promotion does.
#[derive(Union)]
pub enum PromotionRule {
    /// Welcome bonus.
    Welcome(WelcomeRule),
    /// Birthday bonus.
    Birthday(BirthdayRule),
    /// Multiplier.
    Multiplier(MultiplierRule),
    /// Referral bonus.
    Referral(ReferralRule),
}

/// What a promotion does: exactly one kind.
#[derive(OneofObject)]
pub enum PromotionRuleInput {
    /// Welcome bonus.
    Welcome(WelcomeRule),
    /// Birthday bonus.
    Birthday(BirthdayRule),
    /// Multiplier.
    Multiplier(MultiplierRule),
    /// Referral bonus.
    Referral(ReferralRule),
}

fn u16_field(v: i32, field: &'static str, message: &str) -> Result<u16> {
    u16::try_from(v).map_err(|_| invalid(field, message))
}

impl PromotionRuleInput {
    fn into_domain(self) -> Result<d::PromotionRule> {
        Ok(match self {
            Self::Welcome(w) => d::PromotionRule::Welcome { points: w.points },
            Self::Birthday(b) => d::PromotionRule::Birthday {
                points: b.points,
                days_before: u16_field(b.days_before, "daysBefore", "at most 30 days")?,
                days_after: u16_field(b.days_after, "daysAfter", "at most 30 days")?,
            },
            Self::Multiplier(m) => {
                let hours = match m.hours {
                    None => None,
                    Some(h) => {
                        let bad =
                            || invalid("hours", "hours run from 0–23 to 1–24 and must differ");
                        Some((
                            u8::try_from(h.from).map_err(|_| bad())?,
                            u8::try_from(h.to).map_err(|_| bad())?,
                        ))
                    }
                };
                let mut weekdays: Vec<ChronoWeekday> =
                    m.weekdays.into_iter().map(Into::into).collect();
                weekdays.dedup();
                d::PromotionRule::Multiplier {
                    factor_pct: u32::try_from(m.factor_percent).map_err(|_| {
                        invalid(
                            "factorPercent",
                            "the factor is a percentage from 101 (×1.01) to 1000 (×10)",
                        )
                    })?,
                    weekdays,
                    hours,
                    locations: m
                        .location_ids
                        .iter()
                        .map(|id| parse_id::<LocationId>(id, "locationIds"))
                        .collect::<Result<_>>()?,
                }
            }
            Self::Referral(r) => d::PromotionRule::Referral {
                referrer_points: r.referrer_points,
                referee_points: r.referee_points,
            },
        })
    }
}

impl From<&d::PromotionRule> for PromotionRule {
    fn from(r: &d::PromotionRule) -> Self {
        match r {
            d::PromotionRule::Welcome { points } => Self::Welcome(WelcomeRule { points: *points }),
            d::PromotionRule::Birthday {
                points,
                days_before,
                days_after,
            } => Self::Birthday(BirthdayRule {
                points: *points,
                days_before: i32::from(*days_before),
                days_after: i32::from(*days_after),
            }),
            d::PromotionRule::Multiplier {
                factor_pct,
                weekdays,
                hours,
                locations,
            } => Self::Multiplier(MultiplierRule {
                factor_percent: i32::try_from(*factor_pct).unwrap_or(i32::MAX),
                weekdays: weekdays.iter().map(|w| Weekday::from(*w)).collect(),
                hours: hours.map(|(from, to)| HourRange {
                    from: i32::from(from),
                    to: i32::from(to),
                }),
                location_ids: locations.iter().map(|l| ID(l.to_string())).collect(),
            }),
            d::PromotionRule::Referral {
                referrer_points,
                referee_points,
            } => Self::Referral(ReferralRule {
                referrer_points: *referrer_points,
                referee_points: *referee_points,
            }),
        }
    }
}

/// A promotion's values.
#[derive(InputObject)]
pub struct PromotionInput {
    /// Name shown to staff and guests.
    pub name: String,
    /// What it does (the kind cannot change later).
    pub rule: PromotionRuleInput,
    /// First day it applies (business time); null = from now.
    pub starts_on: Option<NaiveDate>,
    /// Last day it applies; null = open-ended.
    pub ends_on: Option<NaiveDate>,
    /// Most points it may grant in all; null = no cap.
    pub budget: Option<i64>,
}

impl PromotionInput {
    fn into_draft(self) -> Result<d::PromotionDraft> {
        Ok(d::PromotionDraft {
            name: self.name,
            rule: self.rule.into_domain()?,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            budget: self.budget,
        })
    }
}

/// A promotion.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Promotion {
    /// Id.
    pub id: ID,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PromotionKind,
    /// What it does.
    pub rule: PromotionRule,
    /// First day (business time).
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// Cap in points; null = none.
    pub budget: Option<i64>,
    /// When a grant was first refused for the cap (null once the cap is raised).
    pub budget_exhausted_at: Option<DateTime<Utc>>,
    /// Archived promotions grant nothing.
    pub archived: bool,
    /// When created.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub inner: d::Promotion,
    #[graphql(skip)]
    pub granted: tokio::sync::OnceCell<i64>,
}

impl From<d::Promotion> for Promotion {
    fn from(p: d::Promotion) -> Self {
        Self {
            id: ID(p.id.to_string()),
            name: p.name.clone(),
            kind: p.rule.kind().into(),
            rule: (&p.rule).into(),
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            budget: p.budget,
            budget_exhausted_at: p.budget_exhausted_at,
            archived: p.archived,
            created_at: p.created_at,
            inner: p,
            granted: tokio::sync::OnceCell::new(),
        }
    }
}

impl Promotion {
    /// The granted total as stored now (lists may come from a cache).
    async fn granted_now(&self, ctx: &Context<'_>) -> Result<i64> {
        let granted = self
            .granted
            .get_or_try_init(|| async {
                svc(ctx)?
                    .promotion_granted_points(staff_ctx(ctx)?, self.inner.id)
                    .await
                    .gql()
            })
            .await?;
        Ok(*granted)
    }
}

#[ComplexObject]
impl Promotion {
    /// Points granted so far.
    async fn granted(&self, ctx: &Context<'_>) -> Result<i64> {
        self.granted_now(ctx).await
    }

    /// Points left under the cap; null = no cap.
    async fn remaining_budget(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        match self.inner.budget {
            None => Ok(None),
            Some(b) => Ok(Some((b - self.granted_now(ctx).await?).max(0))),
        }
    }
}

/// A promotion as the guest sees it.
#[derive(SimpleObject)]
pub struct GuestPromotion {
    /// Id.
    pub id: ID,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PromotionKind,
    /// What it does.
    pub rule: PromotionRule,
    /// First day.
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// Birthday bonus: first day of the guest's window (their birthday is needed).
    pub window_starts_on: Option<NaiveDate>,
    /// Birthday bonus: last day of the window.
    pub window_ends_on: Option<NaiveDate>,
    /// Welcome, this year's birthday or referral bonus already received.
    pub granted: bool,
}

impl From<d::GuestPromotion> for GuestPromotion {
    fn from(g: d::GuestPromotion) -> Self {
        let p = g.promotion;
        Self {
            id: ID(p.id.to_string()),
            name: p.name,
            kind: p.rule.kind().into(),
            rule: (&p.rule).into(),
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            window_starts_on: g.window.map(|w| w.0),
            window_ends_on: g.window.map(|w| w.1),
            granted: g.granted,
        }
    }
}

/// Promotion queries.
#[derive(Default)]
pub struct PromotionQuery;

#[Object]
impl PromotionQuery {
    /// The business's promotions, oldest first (archived ones with `includeArchived: true`).
    #[graphql(guard = "Perm(P::LoyaltyRead)", directive = requires::apply("loyalty:read".into()))]
    async fn promotions(
        &self,
        ctx: &Context<'_>,
        include_archived: Option<bool>,
    ) -> Result<Vec<Promotion>> {
        let list = svc(ctx)?
            .promotions(staff_ctx(ctx)?, include_archived.unwrap_or(false))
            .await
            .gql()?;
        Ok(list.into_iter().map(Promotion::from).collect())
    }

    /// The promotions running for the signed-in guest (and ones announced to start).
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn my_promotions(&self, ctx: &Context<'_>) -> Result<Vec<GuestPromotion>> {
        let list = svc(ctx)?.my_promotions(guest_ctx(ctx)?).await.gql()?;
        Ok(list.into_iter().map(GuestPromotion::from).collect())
    }
}

/// Promotion mutations.
#[derive(Default)]
pub struct PromotionMutation;

#[Object]
impl PromotionMutation {
    /// Creates a promotion.
    #[graphql(guard = "Perm(P::LoyaltyManage)", directive = requires::apply("loyalty:manage".into()))]
    async fn create_promotion(
        &self,
        ctx: &Context<'_>,
        input: PromotionInput,
    ) -> Result<Promotion> {
        let draft = input.into_draft()?;
        Ok(svc(ctx)?
            .create_promotion(staff_ctx(ctx)?, draft)
            .await
            .gql()?
            .into())
    }

    /// Changes a promotion (its kind stays; the budget cannot go below what was granted).
    #[graphql(guard = "Perm(P::LoyaltyManage)", directive = requires::apply("loyalty:manage".into()))]
    async fn update_promotion(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: PromotionInput,
    ) -> Result<Promotion> {
        let id: PromotionId = parse_id(&id, "id")?;
        let draft = input.into_draft()?;
        Ok(svc(ctx)?
            .update_promotion(staff_ctx(ctx)?, id, draft)
            .await
            .gql()?
            .into())
    }

    /// Archives a promotion: it grants nothing more and stays in the history.
    #[graphql(guard = "Perm(P::LoyaltyManage)", directive = requires::apply("loyalty:manage".into()))]
    async fn archive_promotion(&self, ctx: &Context<'_>, id: ID) -> Result<Promotion> {
        let id: PromotionId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .archive_promotion(staff_ctx(ctx)?, id)
            .await
            .gql()?
            .into())
    }
}
