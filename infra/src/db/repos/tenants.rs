//! Tenants, and the one transaction that creates a business with its owner.

use async_trait::async_trait;
use domain::identity::ports::{NewTenantBundle, TenantDirectory, TenantRepository};
use domain::identity::{AuditRecord, StoreError, Tenant};
use domain::money::Currency;
use domain::{Ctx, TenantId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{SqlStore, grant_role, policies::insert_role_permissions, write_audit};
use crate::db::entities::{locations, memberships, tenants, users};
use crate::db::{conflict_or_internal, internal};

pub(crate) fn to_tenant(m: tenants::Model) -> Result<Tenant, StoreError> {
    Ok(Tenant {
        id: TenantId::from_uuid(m.id),
        name: m.name,
        currency: Currency::from_code(&m.currency).ok_or_else(|| {
            StoreError::Internal(format!("unknown currency in storage: {}", m.currency))
        })?,
        created_at: m.created_at,
    })
}

#[async_trait]
impl TenantRepository for SqlStore {
    async fn create_with_owner(
        &self,
        ctx: &Ctx,
        b: &NewTenantBundle,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let t = ctx.tenant().as_uuid();
        tenants::Entity::insert(tenants::ActiveModel {
            id: Set(t),
            name: Set(b.tenant.name.clone()),
            currency: Set(b.tenant.currency.code().to_owned()),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        users::Entity::insert(users::ActiveModel {
            id: Set(b.owner.id.as_uuid()),
            email: Set(b.owner.email.to_string()),
            password_hash: Set(b.password_hash.clone()),
            display_name: Set(b.owner.display_name.clone()),
            locale: Set(b.owner.locale.code().to_owned()),
            is_platform_admin: Set(false),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(|e| conflict_or_internal(e, "email"))?;
        memberships::Entity::insert(memberships::ActiveModel {
            tenant_id: Set(t),
            user_id: Set(b.owner.id.as_uuid()),
            role: Set(domain::identity::Role::Owner.as_str().to_owned()),
            active: Set(true),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        locations::Entity::insert(locations::ActiveModel {
            tenant_id: Set(t),
            id: Set(b.location.id.as_uuid()),
            name: Set(b.location.name.clone()),
            address: Set(b.location.address.clone()),
            timezone: Set(b.location.timezone.clone()),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        for (role, perms) in &b.policies {
            insert_role_permissions(&txn, ctx, *role, perms).await?;
        }
        grant_role(&txn, ctx, b.owner.id, domain::identity::Role::Owner).await?;
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn get(&self, ctx: &Ctx) -> Result<Tenant, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = tenants::Entity::find_by_id(ctx.tenant().as_uuid())
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        to_tenant(row.ok_or(StoreError::NotFound)?)
    }
}

#[async_trait]
impl TenantDirectory for SqlStore {
    async fn tenant_ids(
        &self,
        after: Option<TenantId>,
        limit: u64,
    ) -> Result<Vec<TenantId>, StoreError> {
        let txn = self.db.directory_tx().await?;
        let mut q = tenants::Entity::find()
            .select_only()
            .column(tenants::Column::Id);
        if let Some(a) = after {
            q = q.filter(tenants::Column::Id.gt(a.as_uuid()));
        }
        let ids: Vec<uuid::Uuid> = q
            .order_by_asc(tenants::Column::Id)
            .limit(limit)
            .into_tuple()
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(ids.into_iter().map(TenantId::from_uuid).collect())
    }
}
