//! Promotions: points rules beside the level cashback. Welcome bonus (on
//! registration), birthday bonus (once a year, in a window around the birthday),
//! multiplier (×N on weekdays, hours and locations) and referral bonus (both
//! sides, after the referee's first check). Each may have dates and a budget cap
//! in points; a promotion whose next grant would pass its cap grants nothing and
//! says so. Every grant carries a key that makes it happen at most once.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::identity::models::InvalidValue;
use crate::ids::{CheckId, GuestId, LocationId, PromotionId};

/// What a promotion does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromotionRule {
    /// Points when a guest registers.
    Welcome {
        /// Points granted.
        points: i64,
    },
    /// Points once a year, from `days_before` the birthday to `days_after` it.
    Birthday {
        /// Points granted.
        points: i64,
        /// Days before the birthday the window opens.
        days_before: u16,
        /// Days after the birthday the window stays open.
        days_after: u16,
    },
    /// Multiplies the cashback of matching checks.
    Multiplier {
        /// The factor in percent (200 = ×2).
        factor_pct: u32,
        /// Weekdays it applies on (empty = every day), in the business's time.
        weekdays: Vec<Weekday>,
        /// Hours it applies in, `[from, to)` in the business's time (`None` = all day);
        /// `from > to` spans midnight.
        hours: Option<(u8, u8)>,
        /// Locations it applies at (empty = all).
        locations: Vec<LocationId>,
    },
    /// Points for both sides after the referee's first check.
    Referral {
        /// Points for the guest who invited.
        referrer_points: i64,
        /// Points for the invited guest.
        referee_points: i64,
    },
}

/// The kinds of promotions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PromotionKind {
    /// Welcome bonus.
    Welcome,
    /// Birthday bonus.
    Birthday,
    /// Multiplier.
    Multiplier,
    /// Referral bonus.
    Referral,
}

impl PromotionKind {
    /// Storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Welcome => "welcome",
            Self::Birthday => "birthday",
            Self::Multiplier => "multiplier",
            Self::Referral => "referral",
        }
    }
    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Welcome,
            Self::Birthday,
            Self::Multiplier,
            Self::Referral,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

impl PromotionRule {
    /// Its kind.
    #[must_use]
    pub const fn kind(&self) -> PromotionKind {
        match self {
            Self::Welcome { .. } => PromotionKind::Welcome,
            Self::Birthday { .. } => PromotionKind::Birthday,
            Self::Multiplier { .. } => PromotionKind::Multiplier,
            Self::Referral { .. } => PromotionKind::Referral,
        }
    }

    /// Checks the rule's values.
    ///
    /// # Errors
    /// The first invalid field.
    pub fn validate(&self) -> Result<(), InvalidValue> {
        fn points(v: i64, field: &'static str) -> Result<(), InvalidValue> {
            if (1..=1_000_000).contains(&v) {
                Ok(())
            } else {
                Err(InvalidValue::new(field, "points must be 1 to 1 000 000"))
            }
        }
        match self {
            Self::Welcome { points: p } => points(*p, "points"),
            Self::Birthday {
                points: p,
                days_before,
                days_after,
            } => {
                points(*p, "points")?;
                if *days_before > 30 {
                    return Err(InvalidValue::new("daysBefore", "at most 30 days"));
                }
                if *days_after > 30 {
                    return Err(InvalidValue::new("daysAfter", "at most 30 days"));
                }
                Ok(())
            }
            Self::Multiplier {
                factor_pct,
                weekdays,
                hours,
                locations,
            } => {
                if !(101..=1000).contains(factor_pct) {
                    return Err(InvalidValue::new(
                        "factorPercent",
                        "the factor is a percentage from 101 (×1.01) to 1000 (×10)",
                    ));
                }
                if weekdays.len() > 7 {
                    return Err(InvalidValue::new("weekdays", "at most 7 weekdays"));
                }
                if let Some((from, to)) = hours
                    && (*from > 23 || *to > 24 || from == to)
                {
                    return Err(InvalidValue::new(
                        "hours",
                        "hours run from 0–23 to 1–24 and must differ",
                    ));
                }
                if locations.len() > 500 {
                    return Err(InvalidValue::new("locations", "at most 500 locations"));
                }
                Ok(())
            }
            Self::Referral {
                referrer_points,
                referee_points,
            } => {
                points(*referrer_points, "referrerPoints")?;
                points(*referee_points, "refereePoints")
            }
        }
    }
}

/// A promotion of a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    /// Id.
    pub id: PromotionId,
    /// Name shown to staff and guests.
    pub name: String,
    /// What it does.
    pub rule: PromotionRule,
    /// First day it applies (business time), inclusive.
    pub starts_on: Option<NaiveDate>,
    /// Last day it applies (business time), inclusive.
    pub ends_on: Option<NaiveDate>,
    /// Most points it may ever grant (`None` = no cap).
    pub budget: Option<i64>,
    /// Points granted so far.
    pub granted: i64,
    /// When a grant was first refused for the cap (cleared when the cap is raised).
    pub budget_exhausted_at: Option<DateTime<Utc>>,
    /// Archived promotions grant nothing and are kept for history.
    pub archived: bool,
    /// When created.
    pub created_at: DateTime<Utc>,
}

impl Promotion {
    /// Whether it grants on `day` (business time): not archived and within its dates.
    #[must_use]
    pub fn runs_on(&self, day: NaiveDate) -> bool {
        !self.archived
            && self.starts_on.is_none_or(|s| s <= day)
            && self.ends_on.is_none_or(|e| day <= e)
    }

    /// Points left under the cap.
    #[must_use]
    pub fn remaining_budget(&self) -> Option<i64> {
        self.budget.map(|b| (b - self.granted).max(0))
    }

    /// Whether a multiplier applies to a check at `location` at local time `at`.
    #[must_use]
    pub fn multiplies(&self, location: LocationId, at: DateTime<FixedOffset>) -> bool {
        let PromotionRule::Multiplier {
            weekdays,
            hours,
            locations,
            ..
        } = &self.rule
        else {
            return false;
        };
        if !self.runs_on(at.date_naive()) {
            return false;
        }
        if !locations.is_empty() && !locations.contains(&location) {
            return false;
        }
        let hour = u8::try_from(at.hour()).unwrap_or(0);
        // Spanning midnight, the hours after midnight belong to the previous evening.
        let day = match hours {
            Some((from, to)) if from > to && hour < *to => at.weekday().pred(),
            _ => at.weekday(),
        };
        if !weekdays.is_empty() && !weekdays.contains(&day) {
            return false;
        }
        match hours {
            None => true,
            Some((from, to)) if from < to => (*from..*to).contains(&hour),
            Some((from, to)) => hour >= *from || hour < *to,
        }
    }
}

/// The validated fields of a promotion, as typed.
#[derive(Debug, Clone)]
pub struct PromotionDraft {
    /// Name.
    pub name: String,
    /// Rule.
    pub rule: PromotionRule,
    /// First day.
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// Cap in points.
    pub budget: Option<i64>,
}

impl PromotionDraft {
    /// Checks everything but the name (parsed by the caller).
    ///
    /// # Errors
    /// The first invalid field.
    pub fn validate(&self) -> Result<(), InvalidValue> {
        self.rule.validate()?;
        if let (Some(s), Some(e)) = (self.starts_on, self.ends_on)
            && e < s
        {
            return Err(InvalidValue::new(
                "endsOn",
                "the last day cannot be before the first",
            ));
        }
        if let Some(b) = self.budget
            && !(1..=1_000_000_000).contains(&b)
        {
            return Err(InvalidValue::new(
                "budget",
                "the budget is 1 to 1 000 000 000 points",
            ));
        }
        Ok(())
    }
}

/// The occurrence of a birthday in `year` (29 February → 28 February in common years).
#[must_use]
pub fn birthday_in(birthday: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, birthday.month(), birthday.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))
}

/// The birthday occurrence whose window contains `today`, if any.
#[must_use]
pub fn birthday_window_hit(
    birthday: NaiveDate,
    today: NaiveDate,
    days_before: u16,
    days_after: u16,
) -> Option<NaiveDate> {
    // The window is at most 61 days wide, so only this year's, last year's and
    // next year's occurrences can contain today.
    [today.year() - 1, today.year(), today.year() + 1]
        .into_iter()
        .filter_map(|y| birthday_in(birthday, y))
        .find(|b| {
            *b - Duration::days(i64::from(days_before)) <= today
                && today <= *b + Duration::days(i64::from(days_after))
        })
}

/// Month-and-day keys (`month × 100 + day`) of birthdays whose window contains
/// `today`, to find guests by an index.
#[must_use]
pub fn birthday_keys(today: NaiveDate, days_before: u16, days_after: u16) -> Vec<u16> {
    let mut keys = Vec::new();
    for offset in -i64::from(days_after)..=i64::from(days_before) {
        let d = today + Duration::days(offset);
        let key = u16::try_from(d.month() * 100 + d.day()).unwrap_or(0);
        keys.push(key);
        // 29 February birthdays are kept on 28 February in common years.
        if d.month() == 2 && d.day() == 28 && NaiveDate::from_ymd_opt(d.year(), 2, 29).is_none() {
            keys.push(229);
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The index key of a birthday.
#[must_use]
pub fn birthday_key(birthday: NaiveDate) -> u16 {
    u16::try_from(birthday.month() * 100 + birthday.day()).unwrap_or(0)
}

/// A grant of points by a promotion, at most once per `once_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionGrant {
    /// The promotion.
    pub promotion: PromotionId,
    /// Its name (for the ledger entries' reason).
    pub name: String,
    /// Makes the grant happen at most once (`welcome:<guest>`, `check:<id>`, …).
    pub once_key: String,
    /// Who gets what (all or nothing, counted together against the cap).
    pub credits: Vec<(GuestId, i64)>,
    /// The check it belongs to (multipliers).
    pub check: Option<CheckId>,
    /// When the granted points expire.
    pub expires_at: Option<DateTime<Utc>>,
}

impl PromotionGrant {
    /// Points in all.
    #[must_use]
    pub fn total(&self) -> i64 {
        self.credits.iter().map(|(_, p)| p).sum()
    }
}

/// What became of a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum GrantStatus {
    /// Points were credited.
    #[default]
    Granted,
    /// Its key was granted before: nothing happened.
    AlreadyGranted,
    /// It would pass the cap: nothing was granted.
    BudgetExhausted,
    /// Archived meanwhile: nothing was granted.
    Inactive,
}

/// The points a check earns with its multipliers, attributed to each multiplier
/// in turn (they multiply): `(base, [(promotion, extra points)])`.
#[must_use]
pub fn multiplied_accrual(
    paid_minor: i64,
    cashback_bp: u16,
    point_value_minor: i64,
    factors: &[(PromotionId, u32)],
) -> (i64, Vec<(PromotionId, i64)>) {
    if paid_minor <= 0 || point_value_minor <= 0 {
        return (0, factors.iter().map(|(p, _)| (*p, 0)).collect());
    }
    let denominator = 10_000 * i128::from(point_value_minor);
    let raw = i128::from(paid_minor) * i128::from(cashback_bp);
    let base = raw / denominator;
    let mut scaled = raw; // × 100^k
    let mut scale: i128 = 1;
    let mut previous = base;
    let mut extras = Vec::with_capacity(factors.len());
    for (id, pct) in factors {
        scaled = scaled.saturating_mul(i128::from(*pct));
        scale = scale.saturating_mul(100);
        let now = scaled / (denominator.saturating_mul(scale));
        extras.push((*id, i64::try_from(now - previous).unwrap_or(0)));
        previous = now;
    }
    (i64::try_from(base).unwrap_or(i64::MAX), extras)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn promo(rule: PromotionRule) -> Promotion {
        Promotion {
            id: PromotionId::new(),
            name: "p".into(),
            rule,
            starts_on: None,
            ends_on: None,
            budget: None,
            granted: 0,
            budget_exhausted_at: None,
            archived: false,
            created_at: Utc::now(),
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn local(y: i32, m: u32, d: u32, h: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(3 * 3600)
            .expect("offset")
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("time")
    }

    #[test]
    fn birthday_windows_cross_years_and_leap_days() {
        // Born 2 January: a window of 7 days before opens on 26 December.
        assert_eq!(
            birthday_window_hit(day(1990, 1, 2), day(2026, 12, 27), 7, 3),
            Some(day(2027, 1, 2))
        );
        assert_eq!(
            birthday_window_hit(day(1990, 1, 2), day(2027, 1, 5), 7, 3),
            Some(day(2027, 1, 2))
        );
        assert_eq!(
            birthday_window_hit(day(1990, 1, 2), day(2027, 1, 6), 7, 3),
            None
        );
        // 29 February in a common year is celebrated on the 28th.
        assert_eq!(
            birthday_window_hit(day(2000, 2, 29), day(2027, 2, 28), 0, 0),
            Some(day(2027, 2, 28))
        );
        assert!(birthday_keys(day(2027, 2, 28), 0, 0).contains(&229));
        assert!(!birthday_keys(day(2028, 2, 28), 0, 0).contains(&229));
        assert_eq!(
            birthday_keys(day(2026, 12, 31), 1, 1),
            vec![101, 1230, 1231]
        );
    }

    #[test]
    fn multipliers_match_weekdays_hours_and_locations() {
        let here = LocationId::new();
        let p = promo(PromotionRule::Multiplier {
            factor_pct: 200,
            weekdays: vec![Weekday::Fri],
            hours: Some((22, 2)),
            locations: vec![here],
        });
        // Friday 2026-11-20 23:00 and Saturday 01:00 (still Friday night).
        assert!(p.multiplies(here, local(2026, 11, 20, 23)));
        assert!(p.multiplies(here, local(2026, 11, 21, 1)));
        assert!(!p.multiplies(here, local(2026, 11, 21, 2)));
        assert!(!p.multiplies(here, local(2026, 11, 20, 21)));
        assert!(!p.multiplies(LocationId::new(), local(2026, 11, 20, 23)));
        let dated = Promotion {
            starts_on: Some(day(2026, 11, 21)),
            ..p.clone()
        };
        assert!(!dated.multiplies(here, local(2026, 11, 20, 23)));
        let archived = Promotion {
            archived: true,
            ..p
        };
        assert!(!archived.multiplies(here, local(2026, 11, 20, 23)));
    }

    #[test]
    fn multiplied_accrual_is_attributed_and_floored_once() {
        let a = PromotionId::new();
        let b = PromotionId::new();
        // 999.99 at 3 % = 29.9997 → base 29; ×2 → 59.9994 → 59 (+30); ×1.5 → 89.99 → 89 (+30).
        let (base, extras) = multiplied_accrual(99_999, 300, 100, &[(a, 200), (b, 150)]);
        assert_eq!(base, 29);
        assert_eq!(extras, vec![(a, 30), (b, 30)]);
        assert_eq!(multiplied_accrual(0, 300, 100, &[(a, 200)]).1, vec![(a, 0)]);
    }

    #[test]
    fn rules_are_validated() {
        assert!(PromotionRule::Welcome { points: 0 }.validate().is_err());
        assert!(
            PromotionRule::Multiplier {
                factor_pct: 100,
                weekdays: vec![],
                hours: None,
                locations: vec![]
            }
            .validate()
            .is_err()
        );
        assert!(
            PromotionRule::Multiplier {
                factor_pct: 200,
                weekdays: vec![],
                hours: Some((5, 5)),
                locations: vec![]
            }
            .validate()
            .is_err()
        );
        let draft = PromotionDraft {
            name: "x".into(),
            rule: PromotionRule::Welcome { points: 10 },
            starts_on: Some(day(2026, 2, 1)),
            ends_on: Some(day(2026, 1, 1)),
            budget: None,
        };
        assert_eq!(draft.validate().map_err(|e| e.field), Err("endsOn"));
    }
}
