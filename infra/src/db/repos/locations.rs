//! Locations (restaurants, stores) of a tenant.

use async_trait::async_trait;
use domain::identity::ports::LocationRepository;
use domain::identity::{AuditRecord, Location, StoreError};
use domain::page::{Page, PageRequest};
use domain::{Ctx, LocationId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{IdOf, SqlStore, paginate, write_audit};
use crate::db::entities::locations;
use crate::db::{conflict_or_internal, internal};

impl IdOf<locations::Column> for locations::Model {}

fn to_location(m: locations::Model) -> Location {
    Location {
        id: LocationId::from_uuid(m.id),
        name: m.name,
        address: m.address,
        timezone: m.timezone,
        created_at: m.created_at,
    }
}

async fn load<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    id: LocationId,
) -> Result<Location, StoreError> {
    locations::Entity::find()
        .filter(locations::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(locations::Column::Id.eq(id.as_uuid()))
        .one(conn)
        .await
        .map_err(internal)?
        .map(to_location)
        .ok_or(StoreError::NotFound)
}

#[async_trait]
impl LocationRepository for SqlStore {
    async fn create(&self, ctx: &Ctx, l: &Location, audit: AuditRecord) -> Result<(), StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        locations::Entity::insert(locations::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            id: Set(l.id.as_uuid()),
            name: Set(l.name.clone()),
            address: Set(l.address.clone()),
            timezone: Set(l.timezone.clone()),
            created_at: Set(l.created_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(|e| conflict_or_internal(e, "name"))?;
        write_audit(&txn, ctx, audit, self.now()).await?;
        txn.commit().await.map_err(internal)
    }

    async fn rename(
        &self,
        ctx: &Ctx,
        id: LocationId,
        name: &str,
        audit: AuditRecord,
    ) -> Result<Location, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let res = locations::Entity::update_many()
            .col_expr(locations::Column::Name, Expr::value(name))
            .filter(locations::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(locations::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(|e| conflict_or_internal(e, "name"))?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        write_audit(&txn, ctx, audit, self.now()).await?;
        let l = load(&txn, ctx, id).await?;
        txn.commit().await.map_err(internal)?;
        Ok(l)
    }

    async fn get(&self, ctx: &Ctx, id: LocationId) -> Result<Location, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let l = load(&txn, ctx, id).await;
        txn.commit().await.map_err(internal)?;
        l
    }

    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<Location>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let q = locations::Entity::find()
            .filter(locations::Column::TenantId.eq(ctx.tenant().as_uuid()));
        let page = paginate(&txn, q, locations::Column::Id, page).await?;
        txn.commit().await.map_err(internal)?;
        Ok(page.map(to_location))
    }
}
