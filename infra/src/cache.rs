//! A read-through cache of what every check reads and almost never changes: a
//! tenant's loyalty settings, levels, running promotions, the tenant itself and
//! its locations. Writes through this decorator invalidate at once in this
//! process; other processes see a change within the TTL (5 s by default), the
//! same bound the RBAC cache has. Nothing that decides a balance is trusted
//! from here alone: grants re-check a promotion inside their transaction.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use domain::identity::models::{Location, Tenant};
use domain::identity::ports::{LocationRepository, NewTenantBundle, TenantRepository};
use domain::identity::{AuditRecord, StoreError};
use domain::loyalty::ports::{LoyaltyConfigStore, PromotionStore};
use domain::loyalty::{Level, LoyaltySettings, Promotion};
use domain::page::{Page, PageRequest};
use domain::{Ctx, LocationId, PromotionId, TenantId};

/// Most entries per map before expired ones are swept.
const SWEEP_AT: usize = 10_000;

/// Entries that live `ttl` after they are put (a read-through cache's store).
pub(crate) struct Map<K, V> {
    ttl: Duration,
    inner: RwLock<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> Map<K, V> {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            inner: RwLock::new(HashMap::new()),
        }
    }

    pub(crate) fn get(&self, k: &K) -> Option<V> {
        let map = self.inner.read().ok()?;
        let (at, v) = map.get(k)?;
        (at.elapsed() < self.ttl).then(|| v.clone())
    }

    pub(crate) fn put(&self, k: K, v: V) {
        if let Ok(mut map) = self.inner.write() {
            if map.len() >= SWEEP_AT {
                let ttl = self.ttl;
                map.retain(|_, (at, _)| at.elapsed() < ttl);
            }
            map.insert(k, (Instant::now(), v));
        }
    }

    pub(crate) fn forget(&self, k: &K) {
        if let Ok(mut map) = self.inner.write() {
            map.remove(k);
        }
    }
}

/// The caching decorator over a store implementing the cached ports.
pub struct HotConfig<S> {
    inner: Arc<S>,
    settings: Map<TenantId, Option<LoyaltySettings>>,
    levels: Map<TenantId, Vec<Level>>,
    promotions: Map<TenantId, Vec<Promotion>>,
    tenants: Map<TenantId, Tenant>,
    locations: Map<(TenantId, LocationId), Location>,
}

impl<S> HotConfig<S> {
    /// A cache over `inner` whose entries live `ttl`.
    #[must_use]
    pub fn new(inner: Arc<S>, ttl: Duration) -> Self {
        Self {
            inner,
            settings: Map::new(ttl),
            levels: Map::new(ttl),
            promotions: Map::new(ttl),
            tenants: Map::new(ttl),
            locations: Map::new(ttl),
        }
    }
}

#[async_trait]
impl<S: LoyaltyConfigStore + 'static> LoyaltyConfigStore for HotConfig<S> {
    async fn settings(&self, ctx: &Ctx) -> Result<Option<LoyaltySettings>, StoreError> {
        if let Some(s) = self.settings.get(&ctx.tenant()) {
            return Ok(s);
        }
        let s = self.inner.settings(ctx).await?;
        self.settings.put(ctx.tenant(), s.clone());
        Ok(s)
    }

    async fn initialize(
        &self,
        ctx: &Ctx,
        settings: &LoyaltySettings,
        levels: &[Level],
    ) -> Result<(), StoreError> {
        let r = self.inner.initialize(ctx, settings, levels).await;
        self.settings.forget(&ctx.tenant());
        self.levels.forget(&ctx.tenant());
        r
    }

    async fn update_settings(
        &self,
        ctx: &Ctx,
        settings: &LoyaltySettings,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let r = self.inner.update_settings(ctx, settings, audit).await;
        self.settings.forget(&ctx.tenant());
        r
    }

    async fn levels(&self, ctx: &Ctx) -> Result<Vec<Level>, StoreError> {
        if let Some(l) = self.levels.get(&ctx.tenant()) {
            return Ok(l);
        }
        let l = self.inner.levels(ctx).await?;
        self.levels.put(ctx.tenant(), l.clone());
        Ok(l)
    }

    async fn save_levels(
        &self,
        ctx: &Ctx,
        levels: &[Level],
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let r = self.inner.save_levels(ctx, levels, audit).await;
        self.levels.forget(&ctx.tenant());
        r
    }
}

#[async_trait]
impl<S: PromotionStore + 'static> PromotionStore for HotConfig<S> {
    async fn list(&self, ctx: &Ctx, include_archived: bool) -> Result<Vec<Promotion>, StoreError> {
        self.inner.list(ctx, include_archived).await
    }

    async fn running(&self, ctx: &Ctx) -> Result<Vec<Promotion>, StoreError> {
        if let Some(p) = self.promotions.get(&ctx.tenant()) {
            return Ok(p);
        }
        let p = self.inner.list(ctx, false).await?;
        self.promotions.put(ctx.tenant(), p.clone());
        Ok(p)
    }

    async fn get(&self, ctx: &Ctx, id: PromotionId) -> Result<Promotion, StoreError> {
        self.inner.get(ctx, id).await
    }

    async fn create(&self, ctx: &Ctx, p: &Promotion, audit: AuditRecord) -> Result<(), StoreError> {
        let r = self.inner.create(ctx, p, audit).await;
        self.promotions.forget(&ctx.tenant());
        r
    }

    async fn update(&self, ctx: &Ctx, p: &Promotion, audit: AuditRecord) -> Result<(), StoreError> {
        let r = self.inner.update(ctx, p, audit).await;
        self.promotions.forget(&ctx.tenant());
        r
    }

    async fn granted_points(&self, ctx: &Ctx, id: PromotionId) -> Result<i64, StoreError> {
        self.inner.granted_points(ctx, id).await
    }

    async fn granted(
        &self,
        ctx: &Ctx,
        promotion: PromotionId,
        once_key: &str,
    ) -> Result<bool, StoreError> {
        self.inner.granted(ctx, promotion, once_key).await
    }
}

#[async_trait]
impl<S: TenantRepository + 'static> TenantRepository for HotConfig<S> {
    async fn create_with_owner(
        &self,
        ctx: &Ctx,
        bundle: &NewTenantBundle,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        self.inner.create_with_owner(ctx, bundle, audit).await
    }

    async fn get(&self, ctx: &Ctx) -> Result<Tenant, StoreError> {
        if let Some(t) = self.tenants.get(&ctx.tenant()) {
            return Ok(t);
        }
        let t = self.inner.get(ctx).await?;
        self.tenants.put(ctx.tenant(), t.clone());
        Ok(t)
    }
}

#[async_trait]
impl<S: LocationRepository + 'static> LocationRepository for HotConfig<S> {
    async fn create(
        &self,
        ctx: &Ctx,
        location: &Location,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        self.inner.create(ctx, location, audit).await
    }

    async fn rename(
        &self,
        ctx: &Ctx,
        id: LocationId,
        name: &str,
        audit: AuditRecord,
    ) -> Result<Location, StoreError> {
        let r = self.inner.rename(ctx, id, name, audit).await;
        self.locations.forget(&(ctx.tenant(), id));
        r
    }

    async fn get(&self, ctx: &Ctx, id: LocationId) -> Result<Location, StoreError> {
        let key = (ctx.tenant(), id);
        if let Some(l) = self.locations.get(&key) {
            return Ok(l);
        }
        let l = self.inner.get(ctx, id).await?;
        self.locations.put(key, l.clone());
        Ok(l)
    }

    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<Location>, StoreError> {
        self.inner.list(ctx, page).await
    }
}
