//! Promotions and their grants. A grant is at most once per (promotion, key)
//! through the grants table's primary key; a capped promotion's counter moves
//! with a conditional update (`granted + n <= budget`), which also serialises
//! the grants of that promotion, and a CHECK constraint backs the cap.

use async_trait::async_trait;
use chrono::{DateTime, Utc, Weekday};
use domain::identity::{AuditRecord, StoreError};
use domain::loyalty::ports::PromotionStore;
use domain::loyalty::{GrantStatus, Promotion, PromotionGrant, PromotionKind, PromotionRule};
use domain::{Ctx, LocationId, PromotionId};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{SqlStore, write_audit};
use crate::db::entities::{promotion_grants, promotions};
use crate::db::internal;

/// The stored form of a rule's parameters.
#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RuleParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    points: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    days_before: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    days_after: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    factor_pct: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    weekdays: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hours: Option<(u8, u8)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    locations: Vec<uuid::Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    referrer_points: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    referee_points: Option<i64>,
}

fn corrupt() -> StoreError {
    StoreError::Internal("unreadable promotion rule in storage".into())
}

fn rule_params(rule: &PromotionRule) -> RuleParams {
    match rule {
        PromotionRule::Welcome { points } => RuleParams {
            points: Some(*points),
            ..RuleParams::default()
        },
        PromotionRule::Birthday {
            points,
            days_before,
            days_after,
        } => RuleParams {
            points: Some(*points),
            days_before: Some(*days_before),
            days_after: Some(*days_after),
            ..RuleParams::default()
        },
        PromotionRule::Multiplier {
            factor_pct,
            weekdays,
            hours,
            locations,
        } => RuleParams {
            factor_pct: Some(*factor_pct),
            weekdays: weekdays
                .iter()
                .map(|d| u8::try_from(d.number_from_monday()).unwrap_or(1))
                .collect(),
            hours: *hours,
            locations: locations.iter().map(|l| l.as_uuid()).collect(),
            ..RuleParams::default()
        },
        PromotionRule::Referral {
            referrer_points,
            referee_points,
        } => RuleParams {
            referrer_points: Some(*referrer_points),
            referee_points: Some(*referee_points),
            ..RuleParams::default()
        },
    }
}

fn weekday(n: u8) -> Option<Weekday> {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .get(usize::from(n).checked_sub(1)?)
    .copied()
}

fn to_rule(kind: &str, raw: &str) -> Result<PromotionRule, StoreError> {
    let p: RuleParams = serde_json::from_str(raw).map_err(|_| corrupt())?;
    Ok(match PromotionKind::parse(kind).ok_or_else(corrupt)? {
        PromotionKind::Welcome => PromotionRule::Welcome {
            points: p.points.ok_or_else(corrupt)?,
        },
        PromotionKind::Birthday => PromotionRule::Birthday {
            points: p.points.ok_or_else(corrupt)?,
            days_before: p.days_before.unwrap_or(0),
            days_after: p.days_after.unwrap_or(0),
        },
        PromotionKind::Multiplier => PromotionRule::Multiplier {
            factor_pct: p.factor_pct.ok_or_else(corrupt)?,
            weekdays: p
                .weekdays
                .into_iter()
                .map(weekday)
                .collect::<Option<_>>()
                .ok_or_else(corrupt)?,
            hours: p.hours,
            locations: p.locations.into_iter().map(LocationId::from_uuid).collect(),
        },
        PromotionKind::Referral => PromotionRule::Referral {
            referrer_points: p.referrer_points.ok_or_else(corrupt)?,
            referee_points: p.referee_points.ok_or_else(corrupt)?,
        },
    })
}

fn to_promotion(m: promotions::Model) -> Result<Promotion, StoreError> {
    Ok(Promotion {
        id: PromotionId::from_uuid(m.id),
        name: m.name,
        rule: to_rule(&m.kind, &m.rule)?,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        budget: m.budget,
        granted: m.granted,
        budget_exhausted_at: m.budget_exhausted_at,
        archived: m.archived,
        created_at: m.created_at,
    })
}

fn rule_text(rule: &PromotionRule) -> String {
    serde_json::to_string(&rule_params(rule)).unwrap_or_else(|_| json!({}).to_string())
}

async fn find<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    id: PromotionId,
) -> Result<Option<promotions::Model>, sea_orm::DbErr> {
    promotions::Entity::find()
        .filter(promotions::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(promotions::Column::Id.eq(id.as_uuid()))
        .one(c)
        .await
}

/// Records a grant and moves the promotion's counter, in the caller's
/// transaction. The credits themselves are the caller's (the ledger's) job,
/// and only happen when this answers [`GrantStatus::Granted`].
pub(crate) async fn record_grant(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    g: &PromotionGrant,
    now: DateTime<Utc>,
) -> Result<GrantStatus, sea_orm::DbErr> {
    let t = ctx.tenant().as_uuid();
    let total = g.total();
    let Some(p) = find(txn, ctx, g.promotion).await? else {
        return Ok(GrantStatus::Inactive);
    };
    if p.archived {
        return Ok(GrantStatus::Inactive);
    }
    let capped = p.budget.is_some();
    if capped {
        let res = promotions::Entity::update_many()
            .col_expr(
                promotions::Column::Granted,
                Expr::col(promotions::Column::Granted).add(total),
            )
            .filter(promotions::Column::TenantId.eq(t))
            .filter(promotions::Column::Id.eq(p.id))
            .filter(promotions::Column::Archived.eq(false))
            .filter(
                Expr::col(promotions::Column::Granted)
                    .add(total)
                    .lte(Expr::col(promotions::Column::Budget)),
            )
            .exec(txn)
            .await?;
        if res.rows_affected != 1 {
            promotions::Entity::update_many()
                .col_expr(
                    promotions::Column::BudgetExhaustedAt,
                    Expr::value(Some(now)),
                )
                .filter(promotions::Column::TenantId.eq(t))
                .filter(promotions::Column::Id.eq(p.id))
                .filter(promotions::Column::BudgetExhaustedAt.is_null())
                .exec(txn)
                .await?;
            return Ok(GrantStatus::BudgetExhausted);
        }
    }
    let inserted = promotion_grants::Entity::insert(promotion_grants::ActiveModel {
        tenant_id: Set(t),
        promotion_id: Set(p.id),
        once_key: Set(g.once_key.clone()),
        guest_id: Set(g.credits.first().map_or(p.id, |(guest, _)| guest.as_uuid())),
        points: Set(total),
        check_id: Set(g.check.map(|c| c.as_uuid())),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            promotion_grants::Column::TenantId,
            promotion_grants::Column::PromotionId,
            promotion_grants::Column::OnceKey,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    if inserted != 1 {
        if capped {
            // Give back what the counter took: the row is still locked by us.
            promotions::Entity::update_many()
                .col_expr(
                    promotions::Column::Granted,
                    Expr::col(promotions::Column::Granted).sub(total),
                )
                .filter(promotions::Column::TenantId.eq(t))
                .filter(promotions::Column::Id.eq(p.id))
                .exec(txn)
                .await?;
        }
        return Ok(GrantStatus::AlreadyGranted);
    }
    Ok(GrantStatus::Granted)
}

#[async_trait]
impl PromotionStore for SqlStore {
    async fn list(&self, ctx: &Ctx, include_archived: bool) -> Result<Vec<Promotion>, StoreError> {
        let mut q = promotions::Entity::find()
            .filter(promotions::Column::TenantId.eq(ctx.tenant().as_uuid()));
        if !include_archived {
            q = q.filter(promotions::Column::Archived.eq(false));
        }
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = q
            .order_by_asc(promotions::Column::CreatedAt)
            .order_by_asc(promotions::Column::Id)
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        rows.into_iter().map(to_promotion).collect()
    }

    async fn get(&self, ctx: &Ctx, id: PromotionId) -> Result<Promotion, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = find(&txn, ctx, id).await.map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        to_promotion(row.ok_or(StoreError::NotFound)?)
    }

    async fn create(&self, ctx: &Ctx, p: &Promotion, audit: AuditRecord) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        promotions::Entity::insert(promotions::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            id: Set(p.id.as_uuid()),
            name: Set(p.name.clone()),
            kind: Set(p.rule.kind().as_str().to_owned()),
            rule: Set(rule_text(&p.rule)),
            starts_on: Set(p.starts_on),
            ends_on: Set(p.ends_on),
            budget: Set(p.budget),
            granted: Set(0),
            budget_exhausted_at: Set(None),
            archived: Set(p.archived),
            created_at: Set(p.created_at),
            updated_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn update(&self, ctx: &Ctx, p: &Promotion, audit: AuditRecord) -> Result<(), StoreError> {
        let now = self.now();
        let t = ctx.tenant().as_uuid();
        let txn = self.db.tenant_tx(ctx).await?;
        let mut q = promotions::Entity::update_many()
            .col_expr(promotions::Column::Name, Expr::value(p.name.clone()))
            .col_expr(promotions::Column::Rule, Expr::value(rule_text(&p.rule)))
            .col_expr(promotions::Column::StartsOn, Expr::value(p.starts_on))
            .col_expr(promotions::Column::EndsOn, Expr::value(p.ends_on))
            .col_expr(promotions::Column::Budget, Expr::value(p.budget))
            .col_expr(
                promotions::Column::BudgetExhaustedAt,
                Expr::value(p.budget_exhausted_at),
            )
            .col_expr(promotions::Column::Archived, Expr::value(p.archived))
            .col_expr(promotions::Column::UpdatedAt, Expr::value(now));
        if p.budget.is_some() {
            // Uncapped grants do not keep the counter (no hot row); a new cap counts them.
            let granted = granted_total(&txn, ctx, p.id).await.map_err(internal)?;
            q = q.col_expr(promotions::Column::Granted, Expr::value(granted));
        }
        let res = q
            .filter(promotions::Column::TenantId.eq(t))
            .filter(promotions::Column::Id.eq(p.id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(|e| match e.sql_err() {
                // The CHECK on the cap: a budget below what was granted meanwhile.
                Some(_) => StoreError::Conflict("budget"),
                None => internal(e),
            })?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn granted_points(&self, ctx: &Ctx, id: PromotionId) -> Result<i64, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let p = find(&txn, ctx, id)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)?;
        // A capped promotion keeps its counter; an uncapped one is summed.
        let total = if p.budget.is_some() {
            p.granted
        } else {
            granted_total(&txn, ctx, id).await.map_err(internal)?
        };
        txn.commit().await.map_err(internal)?;
        Ok(total)
    }

    async fn granted(
        &self,
        ctx: &Ctx,
        promotion: PromotionId,
        once_key: &str,
    ) -> Result<bool, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = promotion_grants::Entity::find_by_id((
            ctx.tenant().as_uuid(),
            promotion.as_uuid(),
            once_key.to_owned(),
        ))
        .one(&txn)
        .await
        .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(row.is_some())
    }
}

/// The points a promotion granted in all (from its grants).
async fn granted_total<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    promotion: PromotionId,
) -> Result<i64, sea_orm::DbErr> {
    let total: Option<i64> = promotion_grants::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(points), 0) AS BIGINT)"),
            "total",
        )
        .filter(promotion_grants::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(promotion_grants::Column::PromotionId.eq(promotion.as_uuid()))
        .into_tuple()
        .one(c)
        .await?;
    Ok(total.unwrap_or(0))
}
