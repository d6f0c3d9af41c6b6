//! casbin RBAC with domains (domain = tenant). Policies live in the
//! `casbin_rule` table through [`SeaOrmAdapter`], our own adapter over sea-orm
//! (one schema and one pool for SQLite and PostgreSQL). [`CasbinAuthorizer`]
//! keeps one enforcer per tenant, loaded on first use, dropped when the
//! tenant's policies change in this process, and reloaded after a short TTL so
//! that changes made by other processes apply too. Each loaded enforcer keeps
//! the answers it gave, so a subject's permissions are checked by casbin once
//! per load. API keys are subjects like
//! users: a key's scopes are `p` rules of `apikey:<id>` (see [`subject_name`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use casbin::error::AdapterError;
use casbin::{Adapter, CoreApi, DefaultModel, Enforcer, Filter, Model};
use domain::identity::ports::{Authorizer, Subject};
use domain::identity::{Permission, StoreError};
use domain::{Ctx, TenantId};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::db::Db;
use crate::db::entities::casbin_rule;

/// The casbin model: a user holds a role in a tenant (`g`), a role holds
/// object/action permissions in a tenant (`p`).
pub const MODEL: &str = r"
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && r.dom == p.dom && r.obj == p.obj && r.act == p.act
";

/// The policy subject of a user (`<user id>`, granted roles by `g` rules) or of
/// an API key (`apikey:<key id>`, granted its scopes directly by `p` rules).
pub(crate) fn subject_name(subject: Subject) -> String {
    match subject {
        Subject::User(u) => u.to_string(),
        Subject::ApiKey(k) => format!("apikey:{k}"),
    }
}

fn adapter_err(e: impl std::error::Error + Send + Sync + 'static) -> casbin::Error {
    casbin::Error::from(AdapterError(Box::new(e)))
}

/// A casbin adapter over `casbin_rule`, confined to one tenant (plus the
/// platform-wide rules, whose tenant is NULL).
pub struct SeaOrmAdapter {
    db: Db,
    tenant: TenantId,
}

impl SeaOrmAdapter {
    /// An adapter for one tenant's rules.
    #[must_use]
    pub fn new(db: Db, tenant: TenantId) -> Self {
        Self { db, tenant }
    }

    fn ctx(&self) -> Ctx {
        Ctx::system(self.tenant)
    }

    fn row(&self, ptype: &str, rule: &[String]) -> casbin_rule::ActiveModel {
        let refs: Vec<&str> = rule.iter().map(String::as_str).collect();
        crate::db::policy_rule(Some(self.tenant.as_uuid()), ptype, &refs)
    }

    fn matches(&self, ptype: &str, field_index: usize, values: &[String]) -> Condition {
        let cols = [
            casbin_rule::Column::V0,
            casbin_rule::Column::V1,
            casbin_rule::Column::V2,
            casbin_rule::Column::V3,
            casbin_rule::Column::V4,
            casbin_rule::Column::V5,
        ];
        let mut cond = Condition::all()
            .add(casbin_rule::Column::TenantId.eq(self.tenant.as_uuid()))
            .add(casbin_rule::Column::Ptype.eq(ptype));
        for (i, v) in values.iter().enumerate() {
            if let Some(col) = cols.get(field_index + i).filter(|_| !v.is_empty()) {
                cond = cond.add(col.eq(v.as_str()));
            }
        }
        cond
    }

    async fn delete_where(&self, cond: Condition) -> casbin::Result<bool> {
        let txn = self.db.tenant_tx(&self.ctx()).await.map_err(adapter_err)?;
        let res = casbin_rule::Entity::delete_many()
            .filter(cond)
            .exec(&txn)
            .await
            .map_err(adapter_err)?;
        txn.commit().await.map_err(adapter_err)?;
        Ok(res.rows_affected > 0)
    }

    async fn insert_rules(&self, ptype: &str, rules: &[Vec<String>]) -> casbin::Result<bool> {
        if rules.is_empty() {
            return Ok(false);
        }
        let txn = self.db.tenant_tx(&self.ctx()).await.map_err(adapter_err)?;
        casbin_rule::Entity::insert_many(rules.iter().map(|r| self.row(ptype, r)))
            .exec_without_returning(&txn)
            .await
            .map_err(adapter_err)?;
        txn.commit().await.map_err(adapter_err)?;
        Ok(true)
    }
}

#[async_trait]
impl Adapter for SeaOrmAdapter {
    async fn load_policy(&mut self, m: &mut dyn Model) -> casbin::Result<()> {
        let txn = self.db.tenant_tx(&self.ctx()).await.map_err(adapter_err)?;
        let rows = casbin_rule::Entity::find()
            .filter(
                Condition::any()
                    .add(casbin_rule::Column::TenantId.eq(self.tenant.as_uuid()))
                    .add(casbin_rule::Column::TenantId.is_null()),
            )
            .all(&txn)
            .await
            .map_err(adapter_err)?;
        txn.commit().await.map_err(adapter_err)?;
        for r in rows {
            let mut rule: Vec<String> = [r.v0, r.v1, r.v2, r.v3, r.v4, r.v5].into_iter().collect();
            while rule.last().is_some_and(String::is_empty) {
                rule.pop();
            }
            let sec = if r.ptype.starts_with('g') { "g" } else { "p" };
            m.add_policy(sec, &r.ptype, rule);
        }
        Ok(())
    }

    async fn load_filtered_policy<'a>(
        &mut self,
        m: &mut dyn Model,
        _f: Filter<'a>,
    ) -> casbin::Result<()> {
        // Every enforcer is already confined to one tenant.
        self.load_policy(m).await
    }

    async fn save_policy(&mut self, m: &mut dyn Model) -> casbin::Result<()> {
        self.clear_policy().await?;
        for sec in ["p", "g"] {
            let Some(map) = m.get_model().get(sec) else {
                continue;
            };
            for (ptype, ast) in map {
                let rules: Vec<Vec<String>> = ast.get_policy().iter().cloned().collect();
                self.insert_rules(ptype, &rules).await?;
            }
        }
        Ok(())
    }

    async fn clear_policy(&mut self) -> casbin::Result<()> {
        self.delete_where(
            Condition::all().add(casbin_rule::Column::TenantId.eq(self.tenant.as_uuid())),
        )
        .await?;
        Ok(())
    }

    fn is_filtered(&self) -> bool {
        false
    }

    async fn add_policy(
        &mut self,
        _sec: &str,
        ptype: &str,
        rule: Vec<String>,
    ) -> casbin::Result<bool> {
        self.insert_rules(ptype, &[rule]).await
    }

    async fn add_policies(
        &mut self,
        _sec: &str,
        ptype: &str,
        rules: Vec<Vec<String>>,
    ) -> casbin::Result<bool> {
        self.insert_rules(ptype, &rules).await
    }

    async fn remove_policy(
        &mut self,
        _sec: &str,
        ptype: &str,
        rule: Vec<String>,
    ) -> casbin::Result<bool> {
        self.delete_where(self.matches(ptype, 0, &rule)).await
    }

    async fn remove_policies(
        &mut self,
        _sec: &str,
        ptype: &str,
        rules: Vec<Vec<String>>,
    ) -> casbin::Result<bool> {
        let mut any = false;
        for rule in rules {
            any |= self.delete_where(self.matches(ptype, 0, &rule)).await?;
        }
        Ok(any)
    }

    async fn remove_filtered_policy(
        &mut self,
        _sec: &str,
        ptype: &str,
        field_index: usize,
        field_values: Vec<String>,
    ) -> casbin::Result<bool> {
        self.delete_where(self.matches(ptype, field_index, &field_values))
            .await
    }
}

/// How long a cached enforcer is trusted before it is reloaded (changes made by
/// other server processes apply within this time; changes in this process at once).
pub const ENFORCER_TTL: Duration = Duration::from_secs(5);

/// The [`Authorizer`] port over casbin.
pub struct CasbinAuthorizer {
    db: Db,
    cache: Mutex<HashMap<TenantId, Arc<Loaded>>>,
    /// Bumped on every invalidation: a load that raced one is not cached.
    epoch: AtomicU64,
}

/// How many subjects' answers one loaded enforcer keeps at most.
const MAX_KEPT_SUBJECTS: usize = 4096;

/// A tenant's enforcer as loaded, with the answers it has given: a casbin
/// check costs tens of microseconds (its matcher is a script), and a screen
/// subscribing asks for every permission at once. The answers live and die
/// with the enforcer, so they are exactly as fresh as it is.
struct Loaded {
    at: Instant,
    enforcer: Enforcer,
    /// Per subject, per permission (looked up by `&str`: no allocation on a hit).
    answers: Mutex<HashMap<String, HashMap<Permission, bool>>>,
}

impl Loaded {
    fn allowed(&self, ctx: &Ctx, sub: &str, p: Permission) -> Result<bool, StoreError> {
        if let Some(&yes) = self.answers().get(sub).and_then(|a| a.get(&p)) {
            return Ok(yes);
        }
        let yes = CasbinAuthorizer::check(&self.enforcer, ctx, sub, p)?;
        let mut answers = self.answers();
        // Subjects are the tenant's staff and keys that called within one load;
        // past this many, further ones are checked without being kept.
        if answers.len() < MAX_KEPT_SUBJECTS || answers.contains_key(sub) {
            answers.entry(sub.to_owned()).or_default().insert(p, yes);
        }
        Ok(yes)
    }

    fn answers(&self) -> std::sync::MutexGuard<'_, HashMap<String, HashMap<Permission, bool>>> {
        self.answers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl CasbinAuthorizer {
    /// An authoriser reading policies from `db`.
    #[must_use]
    pub fn new(db: Db) -> Self {
        Self {
            db,
            cache: Mutex::new(HashMap::new()),
            epoch: AtomicU64::new(0),
        }
    }

    fn cached(&self, tenant: TenantId) -> Option<Arc<Loaded>> {
        let cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .get(&tenant)
            .filter(|l| l.at.elapsed() < ENFORCER_TTL)
            .map(Arc::clone)
    }

    async fn enforcer(&self, tenant: TenantId) -> Result<Arc<Loaded>, StoreError> {
        if let Some(e) = self.cached(tenant) {
            return Ok(e);
        }
        let epoch = self.epoch.load(Ordering::SeqCst);
        let model = DefaultModel::from_str(MODEL)
            .await
            .map_err(|e| StoreError::Internal(format!("casbin model: {e}")))?;
        let enforcer = Enforcer::new(model, SeaOrmAdapter::new(self.db.clone(), tenant))
            .await
            .map_err(|e| StoreError::Internal(format!("casbin load: {e}")))?;
        let loaded = Arc::new(Loaded {
            at: Instant::now(),
            enforcer,
            answers: Mutex::new(HashMap::new()),
        });
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.epoch.load(Ordering::SeqCst) == epoch {
            cache.insert(tenant, Arc::clone(&loaded));
        }
        Ok(loaded)
    }

    fn check(e: &Enforcer, ctx: &Ctx, sub: &str, p: Permission) -> Result<bool, StoreError> {
        e.enforce((
            sub.to_owned(),
            ctx.tenant().to_string(),
            p.object(),
            p.action(),
        ))
        .map_err(|e| StoreError::Internal(format!("casbin enforce: {e}")))
    }
}

#[async_trait]
impl Authorizer for CasbinAuthorizer {
    async fn allowed(
        &self,
        ctx: &Ctx,
        subject: Subject,
        permission: Permission,
    ) -> Result<bool, StoreError> {
        let e = self.enforcer(ctx.tenant()).await?;
        e.allowed(ctx, &subject_name(subject), permission)
    }

    async fn permissions(
        &self,
        ctx: &Ctx,
        subject: Subject,
    ) -> Result<Vec<Permission>, StoreError> {
        let e = self.enforcer(ctx.tenant()).await?;
        let sub = subject_name(subject);
        let mut out = Vec::new();
        for p in Permission::ALL {
            if e.allowed(ctx, &sub, *p)? {
                out.push(*p);
            }
        }
        Ok(out)
    }

    fn invalidate(&self, ctx: &Ctx) {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.epoch.fetch_add(1, Ordering::SeqCst);
        cache.remove(&ctx.tenant());
    }
}
