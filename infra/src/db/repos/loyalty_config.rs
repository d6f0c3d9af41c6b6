//! Loyalty settings and levels.

use async_trait::async_trait;
use domain::identity::{AuditRecord, StoreError};
use domain::loyalty::ports::LoyaltyConfigStore;
use domain::loyalty::{Level, LoyaltySettings, SpendBasis};
use domain::money::BasisPoints;
use domain::{Ctx, LevelId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};

use super::{SqlStore, write_audit};
use crate::db::entities::{levels, loyalty_settings};
use crate::db::internal;

fn to_level(m: levels::Model) -> Result<Level, StoreError> {
    let bp = |v: i32| {
        u16::try_from(v)
            .ok()
            .and_then(BasisPoints::new)
            .ok_or_else(|| StoreError::Internal("bad basis points".into()))
    };
    Ok(Level {
        id: LevelId::from_uuid(m.id),
        name: m.name,
        threshold_minor: m.threshold_minor,
        cashback: bp(m.cashback_bp)?,
        max_redeem: bp(m.max_redeem_bp)?,
    })
}

async fn insert_levels(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    list: &[Level],
) -> Result<(), StoreError> {
    if list.is_empty() {
        return Ok(());
    }
    let rows = list.iter().map(|l| levels::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        id: Set(l.id.as_uuid()),
        name: Set(l.name.clone()),
        threshold_minor: Set(l.threshold_minor),
        cashback_bp: Set(i32::from(l.cashback.get())),
        max_redeem_bp: Set(i32::from(l.max_redeem.get())),
    });
    levels::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await
        .map_err(internal)?;
    Ok(())
}

fn settings_row(
    ctx: &Ctx,
    s: &LoyaltySettings,
    now: chrono::DateTime<chrono::Utc>,
) -> loyalty_settings::ActiveModel {
    loyalty_settings::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        expiry_days: Set(s.expiry_days.map(|d| i32::try_from(d).unwrap_or(i32::MAX))),
        spend_basis: Set(s.spend_basis.as_str().to_owned()),
        point_value_minor: Set(s.point_value_minor),
        hold_ttl_secs: Set(i32::try_from(s.hold_ttl_secs).unwrap_or(i32::MAX)),
        updated_at: Set(now),
        utc_offset_minutes: Set(s.utc_offset_minutes),
    }
}

#[async_trait]
impl LoyaltyConfigStore for SqlStore {
    async fn settings(&self, ctx: &Ctx) -> Result<Option<LoyaltySettings>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = loyalty_settings::Entity::find_by_id(ctx.tenant().as_uuid())
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        row.map(|r| {
            Ok(LoyaltySettings {
                expiry_days: r.expiry_days.and_then(|d| u32::try_from(d).ok()),
                spend_basis: SpendBasis::parse(&r.spend_basis)
                    .ok_or_else(|| StoreError::Internal("bad spend basis".into()))?,
                point_value_minor: r.point_value_minor,
                hold_ttl_secs: u32::try_from(r.hold_ttl_secs).unwrap_or(900),
                utc_offset_minutes: r.utc_offset_minutes,
            })
        })
        .transpose()
    }

    async fn initialize(
        &self,
        ctx: &Ctx,
        s: &LoyaltySettings,
        list: &[Level],
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let inserted = loyalty_settings::Entity::insert(settings_row(ctx, s, self.now()))
            .on_conflict(
                OnConflict::column(loyalty_settings::Column::TenantId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
        if inserted == 1 {
            insert_levels(&txn, ctx, list).await?;
        }
        txn.commit().await.map_err(internal)
    }

    async fn update_settings(
        &self,
        ctx: &Ctx,
        s: &LoyaltySettings,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        loyalty_settings::Entity::insert(settings_row(ctx, s, now))
            .on_conflict(
                OnConflict::column(loyalty_settings::Column::TenantId)
                    .update_columns([
                        loyalty_settings::Column::ExpiryDays,
                        loyalty_settings::Column::SpendBasis,
                        loyalty_settings::Column::PointValueMinor,
                        loyalty_settings::Column::HoldTtlSecs,
                        loyalty_settings::Column::UtcOffsetMinutes,
                        loyalty_settings::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn levels(&self, ctx: &Ctx) -> Result<Vec<Level>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = levels::Entity::find()
            .filter(levels::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .order_by_asc(levels::Column::ThresholdMinor)
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        rows.into_iter().map(to_level).collect()
    }

    async fn save_levels(
        &self,
        ctx: &Ctx,
        list: &[Level],
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        levels::Entity::delete_many()
            .filter(levels::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .exec(&txn)
            .await
            .map_err(internal)?;
        insert_levels(&txn, ctx, list).await?;
        write_audit(&txn, ctx, audit, self.now()).await?;
        txn.commit().await.map_err(internal)
    }
}
