//! Promotion use cases: configuring promotions, and granting their points
//! (welcome on registration, birthdays by the daily sweep, multipliers and
//! referrals while processing a check — see [`LoyaltyService::process_check`]).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde_json::json;

use super::errors::{ConfigError, GuestAuthError, LedgerError};
use super::live::{Live, LiveSlot};
use super::models::{AppliedRule, Guest, LoyaltySettings};
use super::outbox::{self as events_v1, GrantInfo};
use super::ports::{Batch, BatchError, BatchOutcome, Finished, LedgerOp};
use super::promotions::{
    GrantStatus, Promotion, PromotionDraft, PromotionGrant, PromotionKind, PromotionRule,
    birthday_keys, birthday_window_hit,
};
use super::service::LoyaltyService;
use crate::ctx::Ctx;
use crate::events::{DomainEvent, jobs_of};
use crate::identity::models::{AuditRecord, InvalidValue, Name};
use crate::ids::{CheckId, LocationId, PromotionId, TenantId};

/// A promotion as a guest sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestPromotion {
    /// The promotion.
    pub promotion: Promotion,
    /// For a birthday bonus: the window around the guest's next (or current) birthday.
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// For once-only bonuses (welcome, this year's birthday, referral): already granted.
    pub granted: bool,
}

/// Grants prepared for a check, before the batch runs.
pub(super) struct CheckGrants {
    /// The ops to append to the check's batch.
    pub ops: Vec<LedgerOp>,
    /// (promotion, once key, name, points for the check's guest, what the rule is).
    pub rules: Vec<(PromotionId, String, String, i64, String)>,
}

fn promotion_json(p: &Promotion) -> serde_json::Value {
    let rule = match &p.rule {
        PromotionRule::Welcome { points } => json!({ "points": points }),
        PromotionRule::Birthday {
            points,
            days_before,
            days_after,
        } => json!({ "points": points, "daysBefore": days_before, "daysAfter": days_after }),
        PromotionRule::Multiplier {
            factor_pct,
            weekdays,
            hours,
            locations,
        } => json!({
            "factorPercent": factor_pct,
            "weekdays": weekdays.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "hours": hours.map(|(f, t)| [f, t]),
            "locations": locations.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }),
        PromotionRule::Referral {
            referrer_points,
            referee_points,
        } => json!({ "referrerPoints": referrer_points, "refereePoints": referee_points }),
    };
    json!({
        "name": p.name, "kind": p.rule.kind().as_str(), "rule": rule,
        "startsOn": p.starts_on, "endsOn": p.ends_on, "budget": p.budget, "archived": p.archived,
    })
}

/// The promotion kind behind a grant, from its once key.
fn grant_kind(once_key: &str) -> &'static str {
    match once_key.split(':').next() {
        Some("check") => "multiplier",
        Some("welcome") => "welcome",
        Some("birthday") => "birthday",
        Some("referral") => "referral",
        _ => "other",
    }
}

fn factor_text(pct: u32) -> String {
    if pct.is_multiple_of(100) {
        format!("×{}", pct / 100)
    } else {
        format!("×{}.{:02}", pct / 100, pct % 100)
            .trim_end_matches('0')
            .to_owned()
    }
}

impl LoyaltyService {
    fn today(&self, settings: &LoyaltySettings) -> NaiveDate {
        self.d
            .clock
            .now()
            .with_timezone(&settings.offset())
            .date_naive()
    }

    fn lot_expiry(settings: &LoyaltySettings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        settings
            .expiry_days
            .map(|d| now + Duration::days(i64::from(d)))
    }

    /// The tenant's promotions, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn promotions(
        &self,
        ctx: &Ctx,
        include_archived: bool,
    ) -> Result<Vec<Promotion>, ConfigError> {
        Ok(self.d.promotions.list(ctx, include_archived).await?)
    }

    /// Points a promotion granted in all.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn promotion_granted_points(
        &self,
        ctx: &Ctx,
        id: PromotionId,
    ) -> Result<i64, ConfigError> {
        Ok(self.d.promotions.granted_points(ctx, id).await?)
    }

    async fn check_draft(&self, ctx: &Ctx, draft: &PromotionDraft) -> Result<String, ConfigError> {
        let name = Name::parse(&draft.name, "name", 100)?.to_string();
        draft.validate()?;
        if let PromotionRule::Multiplier { locations, .. } = &draft.rule {
            for l in locations {
                if self.d.locations.get(ctx, *l).await.is_err() {
                    return Err(InvalidValue {
                        field: "locations",
                        message: format!("no location {l} in this business"),
                    }
                    .into());
                }
            }
        }
        Ok(name)
    }

    /// Creates a promotion.
    ///
    /// # Errors
    /// Invalid fields.
    pub async fn create_promotion(
        &self,
        ctx: &Ctx,
        draft: PromotionDraft,
    ) -> Result<Promotion, ConfigError> {
        let name = self.check_draft(ctx, &draft).await?;
        let p = Promotion {
            id: PromotionId::new(),
            name,
            rule: draft.rule,
            starts_on: draft.starts_on,
            ends_on: draft.ends_on,
            budget: draft.budget,
            granted: 0,
            budget_exhausted_at: None,
            archived: false,
            created_at: self.d.clock.now(),
        };
        let audit = AuditRecord::new("promotion.create", "promotion", p.id)
            .details(json!({ "after": promotion_json(&p) }));
        self.d.promotions.create(ctx, &p, audit).await?;
        Ok(p)
    }

    /// Changes a promotion (not its kind). A budget cannot go below what was
    /// already granted; raising it lets an exhausted promotion grant again.
    ///
    /// # Errors
    /// `NotFound`, invalid fields, an archived promotion.
    pub async fn update_promotion(
        &self,
        ctx: &Ctx,
        id: PromotionId,
        draft: PromotionDraft,
    ) -> Result<Promotion, ConfigError> {
        let before = self.d.promotions.get(ctx, id).await?;
        if before.archived {
            return Err(InvalidValue {
                field: "id",
                message: "an archived promotion cannot be changed".into(),
            }
            .into());
        }
        if draft.rule.kind() != before.rule.kind() {
            return Err(InvalidValue {
                field: "rule",
                message: format!(
                    "a {} promotion stays one; create a new promotion instead",
                    before.rule.kind().as_str()
                ),
            }
            .into());
        }
        let name = self.check_draft(ctx, &draft).await?;
        if let Some(b) = draft.budget
            && b < before.granted
        {
            return Err(InvalidValue {
                field: "budget",
                message: format!(
                    "{} points were already granted: the budget cannot be lower",
                    before.granted
                ),
            }
            .into());
        }
        let still_exhausted = before.budget_exhausted_at.is_some()
            && draft
                .budget
                .is_some_and(|b| before.budget.is_some_and(|old| b <= old));
        let after = Promotion {
            name,
            rule: draft.rule,
            starts_on: draft.starts_on,
            ends_on: draft.ends_on,
            budget: draft.budget,
            budget_exhausted_at: if still_exhausted {
                before.budget_exhausted_at
            } else {
                None
            },
            ..before.clone()
        };
        let audit = AuditRecord::new("promotion.update", "promotion", id)
            .details(json!({ "before": promotion_json(&before), "after": promotion_json(&after) }));
        self.d.promotions.update(ctx, &after, audit).await?;
        Ok(self.d.promotions.get(ctx, id).await?)
    }

    /// Archives a promotion: it grants nothing more and stays in the history.
    ///
    /// # Errors
    /// `NotFound` (also when already archived).
    pub async fn archive_promotion(
        &self,
        ctx: &Ctx,
        id: PromotionId,
    ) -> Result<Promotion, ConfigError> {
        let before = self.d.promotions.get(ctx, id).await?;
        if before.archived {
            return Err(ConfigError::NotFound);
        }
        let after = Promotion {
            archived: true,
            ..before.clone()
        };
        let audit = AuditRecord::new("promotion.archive", "promotion", id)
            .details(json!({ "before": promotion_json(&before), "after": promotion_json(&after) }));
        self.d.promotions.update(ctx, &after, audit).await?;
        Ok(after)
    }

    /// Runs grants outside a check (welcome, birthday), one transaction each,
    /// and publishes what they changed. Returns the status of each.
    pub(super) async fn run_grants(
        &self,
        ctx: &Ctx,
        grants: Vec<PromotionGrant>,
    ) -> Result<Vec<GrantStatus>, LedgerError> {
        let mut out = Vec::with_capacity(grants.len());
        for g in grants {
            let (id, key) = (g.promotion, g.once_key.clone());
            let batch = Batch {
                idempotency: None,
                audit: AuditRecord::new("promotion.grant", "promotion", id)
                    .details(json!({ "key": key, "points": g.total() })),
                ops: vec![LedgerOp::GrantPromotion(g)],
            };
            // The grant's status and live events are kept from inside the
            // transaction; they are used only once it has committed.
            let status = std::sync::Mutex::new(GrantStatus::Inactive);
            let slot = LiveSlot::default();
            let tenant = ctx.tenant();
            let ops = batch.ops.clone();
            let finish = |o: &BatchOutcome| {
                if let Ok(mut s) = status.lock() {
                    *s = o.grant(id, &key).unwrap_or(GrantStatus::Inactive);
                }
                let mut live = Live::new(tenant, o);
                live.grants(&ops, o, None);
                let jobs = live.outbox(jobs_of(&Self::grant_events(tenant, &ops, None, o)));
                slot.keep(live);
                Finished::result(serde_json::Value::Null).with_outbox(jobs)
            };
            match self.d.ledger.apply(ctx, batch, &finish).await {
                Ok(_) => {}
                Err(BatchError::Duplicate { .. }) => {
                    out.push(GrantStatus::AlreadyGranted);
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            self.publish_committed(ctx, slot.take()).await;
            out.push(status.into_inner().unwrap_or(GrantStatus::Inactive));
        }
        Ok(out)
    }

    /// The durable `promotion.granted` events of the grants among `ops` that
    /// were granted (one per guest credited), built inside their transaction.
    pub(super) fn grant_events(
        tenant: TenantId,
        ops: &[LedgerOp],
        check: Option<CheckId>,
        outcome: &BatchOutcome,
    ) -> Vec<DomainEvent> {
        let mut out = Vec::new();
        for op in ops {
            let LedgerOp::GrantPromotion(g) = op else {
                continue;
            };
            if outcome.grant(g.promotion, &g.once_key) != Some(GrantStatus::Granted) {
                continue;
            }
            let info = GrantInfo {
                promotion: g.promotion,
                name: &g.name,
                kind: grant_kind(&g.once_key),
                check: g.check.or(check),
            };
            for (guest, points) in &g.credits {
                let account = outcome.accounts.iter().find(|a| a.guest == *guest);
                out.push(events_v1::promotion_granted(
                    tenant, outcome.at, &info, *guest, *points, account,
                ));
            }
        }
        out
    }

    /// Grants running welcome bonuses to a guest who just registered.
    ///
    /// # Errors
    /// Storage failure.
    pub(super) async fn grant_welcome(&self, ctx: &Ctx, guest: &Guest) -> Result<(), LedgerError> {
        let settings = self.settings(ctx).await?;
        let today = self.today(&settings);
        let expires_at = Self::lot_expiry(&settings, self.d.clock.now());
        let grants = self
            .d
            .promotions
            .running(ctx)
            .await?
            .into_iter()
            .filter(|p| p.runs_on(today))
            .filter_map(|p| match p.rule {
                PromotionRule::Welcome { points } => Some(PromotionGrant {
                    promotion: p.id,
                    name: p.name,
                    once_key: format!("welcome:{}", guest.id),
                    credits: vec![(guest.id, points)],
                    check: None,
                    expires_at,
                }),
                _ => None,
            })
            .collect();
        self.run_grants(ctx, grants).await?;
        Ok(())
    }

    /// Grants birthday bonuses to every guest whose window is open today; at
    /// most once per guest, promotion and birthday year. Meant to run daily
    /// (and safe to run more often). Returns the number of grants.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn grant_birthday_bonuses(&self, ctx: &Ctx) -> Result<usize, LedgerError> {
        let settings = self.settings(ctx).await?;
        let today = self.today(&settings);
        let expires_at = Self::lot_expiry(&settings, self.d.clock.now());
        let mut granted = 0;
        for p in self.d.promotions.running(ctx).await? {
            let PromotionRule::Birthday {
                points,
                days_before,
                days_after,
            } = p.rule
            else {
                continue;
            };
            if !p.runs_on(today) {
                continue;
            }
            let keys = birthday_keys(today, days_before, days_after);
            let mut after = None;
            'pages: loop {
                let page = self.d.guests.with_birthday(ctx, &keys, after, 200).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                for g in &page {
                    let Some(occurrence) = g
                        .birthday
                        .and_then(|b| birthday_window_hit(b, today, days_before, days_after))
                    else {
                        continue;
                    };
                    let grant = PromotionGrant {
                        promotion: p.id,
                        name: p.name.clone(),
                        once_key: format!("birthday:{}:{}", g.id, occurrence.format("%Y")),
                        credits: vec![(g.id, points)],
                        check: None,
                        expires_at,
                    };
                    match self.run_grants(ctx, vec![grant]).await?.first() {
                        Some(GrantStatus::Granted) => granted += 1,
                        Some(GrantStatus::BudgetExhausted | GrantStatus::Inactive) => {
                            break 'pages;
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(granted)
    }

    /// Multiplier and referral grants for a check being processed: multipliers
    /// matching its location and local time, in creation order (they multiply);
    /// referral bonuses when the guest was invited and has not been granted one.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn check_grants(
        &self,
        ctx: &Ctx,
        settings: &LoyaltySettings,
        guest: &Guest,
        location: LocationId,
        check: CheckId,
        paid_minor: i64,
        cashback_bp: u16,
    ) -> Result<(i64, CheckGrants), LedgerError> {
        let now = self.d.clock.now();
        let local = now.with_timezone(&settings.offset());
        let expires_at = Self::lot_expiry(settings, now);
        let promotions = self.d.promotions.running(ctx).await?;
        let multipliers: Vec<&Promotion> = promotions
            .iter()
            .filter(|p| p.multiplies(location, local))
            .collect();
        let factors: Vec<(PromotionId, u32)> = multipliers
            .iter()
            .filter_map(|p| match p.rule {
                PromotionRule::Multiplier { factor_pct, .. } => Some((p.id, factor_pct)),
                _ => None,
            })
            .collect();
        let (base, extras) = super::promotions::multiplied_accrual(
            paid_minor,
            cashback_bp,
            settings.point_value_minor,
            &factors,
        );
        let mut grants = CheckGrants {
            ops: Vec::new(),
            rules: Vec::new(),
        };
        for ((id, extra), p) in extras.into_iter().zip(&multipliers) {
            if extra <= 0 {
                continue;
            }
            let key = format!("check:{check}");
            let factor = match p.rule {
                PromotionRule::Multiplier { factor_pct, .. } => factor_text(factor_pct),
                _ => String::new(),
            };
            grants
                .rules
                .push((id, key.clone(), p.name.clone(), extra, factor));
            grants.ops.push(LedgerOp::GrantPromotion(PromotionGrant {
                promotion: id,
                name: p.name.clone(),
                once_key: key,
                credits: vec![(guest.id, extra)],
                check: Some(check),
                expires_at,
            }));
        }
        if let Some(referrer) = guest.referred_by {
            // Looked up only when a referral grant is still due (not on every check).
            let mut referrer_active = None;
            for p in promotions.iter().filter(|p| p.runs_on(local.date_naive())) {
                let PromotionRule::Referral {
                    referrer_points,
                    referee_points,
                } = p.rule
                else {
                    continue;
                };
                let key = format!("referral:{}", guest.id);
                if self.d.promotions.granted(ctx, p.id, &key).await? {
                    continue;
                }
                let active = match referrer_active {
                    Some(a) => a,
                    None => {
                        let a = self
                            .d
                            .guests
                            .get(ctx, referrer)
                            .await
                            .is_ok_and(|r| !r.forgotten);
                        referrer_active = Some(a);
                        a
                    }
                };
                let mut credits = vec![(guest.id, referee_points)];
                if active {
                    credits.push((referrer, referrer_points));
                }
                grants.rules.push((
                    p.id,
                    key.clone(),
                    p.name.clone(),
                    referee_points,
                    "referral".into(),
                ));
                grants.ops.push(LedgerOp::GrantPromotion(PromotionGrant {
                    promotion: p.id,
                    name: p.name.clone(),
                    once_key: key,
                    credits,
                    check: None,
                    expires_at,
                }));
            }
        }
        Ok((base, grants))
    }

    /// The receipt's rules for a check's grants, from the batch outcome.
    pub(super) fn grant_rules(grants: &CheckGrants, outcome: &BatchOutcome) -> Vec<AppliedRule> {
        grants
            .rules
            .iter()
            .filter_map(|(id, key, name, points, what)| {
                let status = outcome.grant(*id, key).unwrap_or(GrantStatus::Inactive);
                let (code, description) = if what == "referral" {
                    ("promotion_referral", format!("{name}: referral bonus"))
                } else {
                    ("promotion_multiplier", format!("{name}: {what}"))
                };
                match status {
                    GrantStatus::Granted => Some(AppliedRule {
                        code: code.into(),
                        description,
                        points: *points,
                        promotion: Some(*id),
                        status,
                    }),
                    GrantStatus::BudgetExhausted => Some(AppliedRule {
                        code: code.into(),
                        description: format!("{description} — budget exhausted"),
                        points: 0,
                        promotion: Some(*id),
                        status,
                    }),
                    GrantStatus::AlreadyGranted | GrantStatus::Inactive => None,
                }
            })
            .collect()
    }

    /// The promotions running for the signed-in guest, with their own details.
    ///
    /// # Errors
    /// Not a guest session.
    pub async fn my_promotions(&self, ctx: &Ctx) -> Result<Vec<GuestPromotion>, GuestAuthError> {
        let me = Self::me_guest(ctx)?;
        let guest = self
            .d
            .guests
            .get(ctx, me)
            .await
            .map_err(|_| GuestAuthError::NotAGuest)?;
        let settings = self.settings(ctx).await?;
        let today = self.today(&settings);
        let mut out = Vec::new();
        for p in self.d.promotions.running(ctx).await? {
            if !p.runs_on(today) && p.starts_on.is_none_or(|s| s <= today) {
                continue; // over; promotions starting later are announced
            }
            if p.remaining_budget() == Some(0) {
                continue;
            }
            let (window, key) = match &p.rule {
                PromotionRule::Welcome { .. } => (None, Some(format!("welcome:{}", guest.id))),
                PromotionRule::Birthday {
                    days_before,
                    days_after,
                    ..
                } => {
                    let (before, after) = (i64::from(*days_before), i64::from(*days_after));
                    let window = guest.birthday.and_then(|b| {
                        birthday_window_hit(b, today, *days_before, *days_after).or_else(|| {
                            [today.year(), today.year() + 1]
                                .into_iter()
                                .filter_map(|y| super::promotions::birthday_in(b, y))
                                .find(|d| *d - Duration::days(before) > today)
                        })
                    });
                    let key = window.map(|d| format!("birthday:{}:{}", guest.id, d.format("%Y")));
                    (
                        window.map(|d| (d - Duration::days(before), d + Duration::days(after))),
                        key,
                    )
                }
                PromotionRule::Referral { .. } => (None, Some(format!("referral:{}", guest.id))),
                PromotionRule::Multiplier { .. } => (None, None),
            };
            let granted = match &key {
                Some(k) => self.d.promotions.granted(ctx, p.id, k).await?,
                None => false,
            };
            // A welcome bonus matters to a guest only if they got it.
            if p.rule.kind() == PromotionKind::Welcome && !granted {
                continue;
            }
            out.push(GuestPromotion {
                promotion: p,
                window,
                granted,
            });
        }
        Ok(out)
    }
}
