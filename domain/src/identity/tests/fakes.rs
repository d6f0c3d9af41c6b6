//! In-memory fakes of every identity port. [`InMemory`] holds every table behind
//! one mutex and confines each tenant-scoped call to `ctx.tenant()`, as the SQL
//! adapters do; multi-row changes are all-or-nothing (checks first, then writes),
//! like their transactions. [`FakeAuthorizer`] evaluates the stored role
//! permissions and grants, and caches them per tenant until `invalidate`, like
//! the casbin authoriser, so that a forgotten invalidation shows up as a stale
//! decision.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use crate::ctx::{Actor, Ctx};
use crate::identity::api_keys::ApiKey;
use crate::identity::errors::StoreError;
use crate::identity::models::{
    AccessClaims, AuditEntry, AuditRecord, Email, Invitation, InvitationStatus, Locale, Location,
    MembershipRef, Password, Permission, Role, StaffMember, Tenant, User, UserCredentials,
};
use crate::identity::ports::{
    ApiKeyRepository, AuditFilter, AuditRepository, Authorizer, EmailMessage, InvitationRepository,
    Joiner, LocationRepository, LoginThrottleStore, MailError, Mailer, NewPasswordReset,
    NewRefreshToken, NewTenantBundle, PasswordHasher, PasswordResetRepository, PolicyRepository,
    SecretGenerator, SessionRepository, StaffRepository, StoredPasswordReset, StoredRefreshToken,
    Subject, TenantRepository, ThrottleState, TokenCodec, TokenRejection, UserRepository,
};
use crate::ids::{
    ApiKeyId, AuditEntryId, InvitationId, LocationId, RefreshTokenId, SessionId, TenantId, UserId,
};
use crate::page::{Page, PageRequest};
use crate::ports::Clock;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

// ----- clock ------------------------------------------------------------------

/// A clock that only moves when told to.
pub(crate) struct FakeClock {
    now: Mutex<DateTime<Utc>>,
}

impl FakeClock {
    /// A clock at a fixed, whole-second instant.
    pub(crate) fn new() -> Self {
        let start = Utc
            .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        Self {
            now: Mutex::new(start),
        }
    }

    /// Moves time forward (or back, with a negative duration).
    pub(crate) fn advance(&self, by: Duration) {
        let mut now = lock(&self.now);
        *now += by;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *lock(&self.now)
    }
}

// ----- tables -----------------------------------------------------------------

#[derive(Debug, Clone)]
pub(crate) struct UserRow {
    pub(crate) user: User,
    pub(crate) password_hash: String,
}

#[derive(Debug, Clone)]
pub(crate) struct MembershipRow {
    pub(crate) role: Role,
    pub(crate) active: bool,
    pub(crate) joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(crate) struct InvitationRow {
    pub(crate) tenant: TenantId,
    pub(crate) inv: Invitation,
    pub(crate) token_hash: String,
}

#[derive(Debug, Clone)]
pub(crate) struct RefreshRow {
    pub(crate) tenant: TenantId,
    pub(crate) id: RefreshTokenId,
    pub(crate) session: SessionId,
    pub(crate) user: UserId,
    pub(crate) token_hash: String,
    pub(crate) expires_at: DateTime<Utc>,
    pub(crate) used_at: Option<DateTime<Utc>>,
    pub(crate) revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub(crate) struct LocationRow {
    pub(crate) tenant: TenantId,
    pub(crate) location: Location,
}

/// Every table of the identity context.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub(crate) tenants: HashMap<TenantId, Tenant>,
    pub(crate) users: HashMap<UserId, UserRow>,
    pub(crate) memberships: BTreeMap<(TenantId, UserId), MembershipRow>,
    pub(crate) locations: Vec<LocationRow>,
    pub(crate) invitations: Vec<InvitationRow>,
    pub(crate) refresh_tokens: Vec<RefreshRow>,
    /// `p` rules: what each role may do in a tenant.
    pub(crate) policies: BTreeMap<(TenantId, Role), Vec<Permission>>,
    /// `g` rules: the role a user holds in a tenant.
    pub(crate) grants: BTreeMap<(TenantId, UserId), Role>,
    pub(crate) audit: Vec<(TenantId, AuditEntry)>,
    pub(crate) throttle: HashMap<String, ThrottleState>,
    /// API keys with their tenant and digest; an active key's scopes are its `p` rules.
    pub(crate) api_keys: Vec<(TenantId, ApiKey, String)>,
    /// Password-reset tokens (global).
    pub(crate) password_resets: Vec<NewPasswordReset>,
    /// Ids of the used ones, with when.
    pub(crate) password_resets_used: HashMap<Uuid, DateTime<Utc>>,
}

impl Tables {
    fn write_audit(&mut self, ctx: &Ctx, record: AuditRecord, now: DateTime<Utc>) {
        let entry = AuditEntry {
            id: AuditEntryId::new(),
            at: now,
            actor: ctx.actor().user_id(),
            // Like the SQL adapter: an unlabelled record gets the staff user's
            // e-mail, or the API key's label.
            actor_label: record.actor_label.or_else(|| self.actor_label(ctx)),
            api_key: ctx.actor().api_key_id(),
            action: record.action.to_owned(),
            target_type: record.target_type.to_owned(),
            target_id: record.target_id,
            ip: ctx.meta().ip.clone(),
            details: record.details,
        };
        self.audit.push((ctx.tenant(), entry));
    }

    fn actor_label(&self, ctx: &Ctx) -> Option<String> {
        match ctx.actor() {
            Actor::Staff(u) => self.users.get(&u).map(|r| r.user.email.to_string()),
            Actor::ApiKey(k) => self
                .api_keys
                .iter()
                .find(|(t, key, _)| *t == ctx.tenant() && key.id == k)
                .map(|(_, key, _)| key.label()),
            Actor::Guest(_) | Actor::System => None,
        }
    }

    fn member(&self, tenant: TenantId, user: UserId) -> Result<StaffMember, StoreError> {
        let m = self
            .memberships
            .get(&(tenant, user))
            .ok_or(StoreError::NotFound)?;
        let u = self.users.get(&user).ok_or(StoreError::NotFound)?;
        Ok(StaffMember {
            user: u.user.clone(),
            role: m.role,
            active: m.active,
            joined_at: m.joined_at,
        })
    }

    fn email_taken(&self, email: &Email) -> bool {
        self.users.values().any(|u| &u.user.email == email)
    }

    fn invitation_mut(&mut self, tenant: TenantId, id: InvitationId) -> Option<&mut InvitationRow> {
        self.invitations
            .iter_mut()
            .find(|r| r.tenant == tenant && r.inv.id == id)
    }

    fn insert_refresh(&mut self, tenant: TenantId, t: &NewRefreshToken) -> Result<(), StoreError> {
        if self
            .refresh_tokens
            .iter()
            .any(|r| r.tenant == tenant && r.token_hash == t.token_hash)
        {
            return Err(StoreError::Internal(
                "duplicate refresh token digest".into(),
            ));
        }
        self.refresh_tokens.push(RefreshRow {
            tenant,
            id: t.id,
            session: t.session,
            user: t.user,
            token_hash: t.token_hash.clone(),
            expires_at: t.expires_at,
            used_at: None,
            revoked_at: None,
        });
        Ok(())
    }
}

/// Cuts a page out of items sorted by a time-ordered id, like the SQL `paginate`.
fn paginate<T>(mut items: Vec<(Uuid, T)>, page: PageRequest) -> Page<T> {
    items.sort_by_key(|(id, _)| *id);
    let total = items.len() as u64;
    let take = |limit: u64| usize::try_from(limit).unwrap_or(usize::MAX);
    match page {
        PageRequest::Forward { after, limit } => {
            let rest: Vec<T> = items
                .into_iter()
                .filter(|(id, _)| after.is_none_or(|a| *id > a))
                .map(|(_, t)| t)
                .collect();
            let has_next = rest.len() as u64 > limit;
            Page {
                items: rest.into_iter().take(take(limit)).collect(),
                has_next,
                has_previous: after.is_some(),
                total,
            }
        }
        PageRequest::Backward { before, limit } => {
            let mut rest: Vec<T> = items
                .into_iter()
                .filter(|(id, _)| before.is_none_or(|b| *id < b))
                .map(|(_, t)| t)
                .collect();
            let has_previous = rest.len() as u64 > limit;
            let skip = rest.len().saturating_sub(take(limit));
            Page {
                items: rest.split_off(skip),
                has_next: before.is_some(),
                has_previous,
                total,
            }
        }
    }
}

// ----- the store ----------------------------------------------------------------

/// The in-memory implementation of every identity repository port.
pub(crate) struct InMemory {
    tables: Mutex<Tables>,
    clock: Arc<FakeClock>,
}

impl InMemory {
    pub(crate) fn new(clock: Arc<FakeClock>) -> Self {
        Self {
            tables: Mutex::new(Tables::default()),
            clock,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Direct access to the tables, for arranging and inspecting state.
    pub(crate) fn tables(&self) -> MutexGuard<'_, Tables> {
        lock(&self.tables)
    }

    /// Every audit entry of a tenant, oldest first.
    pub(crate) fn audit_of(&self, tenant: TenantId) -> Vec<AuditEntry> {
        self.tables()
            .audit
            .iter()
            .filter(|(t, _)| *t == tenant)
            .map(|(_, e)| e.clone())
            .collect()
    }

    /// How many audit entries exist in every tenant together.
    pub(crate) fn audit_count(&self) -> usize {
        self.tables().audit.len()
    }
}

#[async_trait]
impl UserRepository for InMemory {
    async fn find_by_email(&self, email: &Email) -> Result<Option<UserCredentials>, StoreError> {
        Ok(self
            .tables()
            .users
            .values()
            .find(|u| &u.user.email == email)
            .map(|u| UserCredentials {
                user: u.user.clone(),
                password_hash: u.password_hash.clone(),
            }))
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<MembershipRef>, StoreError> {
        Ok(self
            .tables()
            .memberships
            .iter()
            .filter(|((_, u), _)| *u == user)
            .map(|((t, _), m)| MembershipRef {
                tenant: *t,
                role: m.role,
                active: m.active,
                joined_at: m.joined_at,
            })
            .collect())
    }

    async fn update_profile(
        &self,
        ctx: &Ctx,
        user: UserId,
        display_name: &str,
        locale: Locale,
        audit: AuditRecord,
    ) -> Result<User, StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let row = t.users.get_mut(&user).ok_or(StoreError::NotFound)?;
        display_name.clone_into(&mut row.user.display_name);
        row.user.locale = locale;
        let updated = row.user.clone();
        t.write_audit(ctx, audit, now);
        Ok(updated)
    }

    async fn set_password(
        &self,
        ctx: &Ctx,
        user: UserId,
        password_hash: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let row = t.users.get_mut(&user).ok_or(StoreError::NotFound)?;
        password_hash.clone_into(&mut row.password_hash);
        t.write_audit(ctx, audit, now);
        Ok(())
    }
}

#[async_trait]
impl PasswordResetRepository for InMemory {
    async fn create(&self, reset: &NewPasswordReset) -> Result<(), StoreError> {
        self.tables().password_resets.push(reset.clone());
        Ok(())
    }

    async fn find(&self, token_hash: &str) -> Result<Option<StoredPasswordReset>, StoreError> {
        let t = self.tables();
        let Some(r) = t
            .password_resets
            .iter()
            .find(|r| r.token_hash == token_hash)
        else {
            return Ok(None);
        };
        let email = t
            .users
            .get(&r.user)
            .ok_or(StoreError::NotFound)?
            .user
            .email
            .clone();
        Ok(Some(StoredPasswordReset {
            id: r.id,
            user: r.user,
            email,
            expires_at: r.expires_at,
            used_at: t.password_resets_used.get(&r.id).copied(),
        }))
    }

    async fn complete(
        &self,
        ctx: &Ctx,
        id: Uuid,
        password_hash: &str,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<bool, StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let Some(r) = t.password_resets.iter().find(|r| r.id == id).cloned() else {
            return Ok(false);
        };
        if t.password_resets_used.contains_key(&id) || r.expires_at <= at {
            return Ok(false);
        }
        let row = t.users.get_mut(&r.user).ok_or(StoreError::NotFound)?;
        password_hash.clone_into(&mut row.password_hash);
        t.password_resets_used.insert(id, at);
        t.write_audit(ctx, audit, now);
        Ok(true)
    }
}

#[async_trait]
impl LoginThrottleStore for InMemory {
    async fn get(&self, key: &str) -> Result<Option<ThrottleState>, StoreError> {
        Ok(self.tables().throttle.get(key).copied())
    }

    async fn put(&self, key: &str, state: ThrottleState) -> Result<(), StoreError> {
        self.tables().throttle.insert(key.to_owned(), state);
        Ok(())
    }

    async fn clear(&self, key: &str) -> Result<(), StoreError> {
        self.tables().throttle.remove(key);
        Ok(())
    }
}

#[async_trait]
impl TenantRepository for InMemory {
    async fn create_with_owner(
        &self,
        ctx: &Ctx,
        b: &NewTenantBundle,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let tenant = ctx.tenant();
        if t.tenants.contains_key(&tenant) {
            return Err(StoreError::Internal("duplicate tenant id".into()));
        }
        if t.email_taken(&b.owner.email) || t.users.contains_key(&b.owner.id) {
            return Err(StoreError::Conflict("email"));
        }
        t.tenants.insert(
            tenant,
            Tenant {
                id: tenant,
                created_at: now,
                ..b.tenant.clone()
            },
        );
        t.users.insert(
            b.owner.id,
            UserRow {
                user: b.owner.clone(),
                password_hash: b.password_hash.clone(),
            },
        );
        t.memberships.insert(
            (tenant, b.owner.id),
            MembershipRow {
                role: Role::Owner,
                active: true,
                joined_at: now,
            },
        );
        t.locations.push(LocationRow {
            tenant,
            location: b.location.clone(),
        });
        for (role, perms) in &b.policies {
            if !perms.is_empty() {
                t.policies.insert((tenant, *role), perms.clone());
            }
        }
        t.grants.insert((tenant, b.owner.id), Role::Owner);
        t.write_audit(ctx, audit, now);
        Ok(())
    }

    async fn get(&self, ctx: &Ctx) -> Result<Tenant, StoreError> {
        self.tables()
            .tenants
            .get(&ctx.tenant())
            .cloned()
            .ok_or(StoreError::NotFound)
    }
}

#[async_trait]
impl StaffRepository for InMemory {
    async fn get(&self, ctx: &Ctx, user: UserId) -> Result<StaffMember, StoreError> {
        self.tables().member(ctx.tenant(), user)
    }

    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<StaffMember>, StoreError> {
        let t = self.tables();
        let items = t
            .memberships
            .keys()
            .filter(|(tenant, _)| *tenant == ctx.tenant())
            .map(|(tenant, user)| t.member(*tenant, *user).map(|m| (user.as_uuid(), m)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(paginate(items, page))
    }

    async fn count_active_owners(&self, ctx: &Ctx) -> Result<u64, StoreError> {
        Ok(self
            .tables()
            .memberships
            .iter()
            .filter(|((t, _), m)| *t == ctx.tenant() && m.role == Role::Owner && m.active)
            .count() as u64)
    }

    async fn set_role(
        &self,
        ctx: &Ctx,
        user: UserId,
        role: Role,
        audit: AuditRecord,
    ) -> Result<StaffMember, StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let key = (ctx.tenant(), user);
        t.member(ctx.tenant(), user)?;
        let m = t.memberships.get_mut(&key).ok_or(StoreError::NotFound)?;
        m.role = role;
        if m.active {
            t.grants.insert(key, role);
        }
        t.write_audit(ctx, audit, now);
        t.member(ctx.tenant(), user)
    }

    async fn set_active(
        &self,
        ctx: &Ctx,
        user: UserId,
        active: bool,
        audit: AuditRecord,
    ) -> Result<StaffMember, StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let key = (ctx.tenant(), user);
        t.member(ctx.tenant(), user)?;
        let m = t.memberships.get_mut(&key).ok_or(StoreError::NotFound)?;
        m.active = active;
        let role = m.role;
        if active {
            t.grants.insert(key, role);
        } else {
            t.grants.remove(&key);
            for r in &mut t.refresh_tokens {
                if r.tenant == ctx.tenant() && r.user == user && r.revoked_at.is_none() {
                    r.revoked_at = Some(now);
                }
            }
        }
        t.write_audit(ctx, audit, now);
        t.member(ctx.tenant(), user)
    }
}

#[async_trait]
impl InvitationRepository for InMemory {
    async fn create(
        &self,
        ctx: &Ctx,
        inv: &Invitation,
        token_hash: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let tenant = ctx.tenant();
        if t.invitations
            .iter()
            .any(|r| r.tenant == tenant && (r.token_hash == token_hash || r.inv.id == inv.id))
        {
            return Err(StoreError::Internal("duplicate invitation".into()));
        }
        for r in &mut t.invitations {
            if r.tenant == tenant
                && r.inv.email == inv.email
                && r.inv.status == InvitationStatus::Pending
            {
                r.inv.status = InvitationStatus::Revoked;
            }
        }
        t.invitations.push(InvitationRow {
            tenant,
            inv: inv.clone(),
            token_hash: token_hash.to_owned(),
        });
        t.write_audit(ctx, audit, now);
        Ok(())
    }

    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<Invitation>, StoreError> {
        let items = self
            .tables()
            .invitations
            .iter()
            .filter(|r| r.tenant == ctx.tenant())
            .map(|r| (r.inv.id.as_uuid(), r.inv.clone()))
            .collect();
        Ok(paginate(items, page))
    }

    async fn get(&self, ctx: &Ctx, id: InvitationId) -> Result<Invitation, StoreError> {
        self.tables()
            .invitations
            .iter()
            .find(|r| r.tenant == ctx.tenant() && r.inv.id == id)
            .map(|r| r.inv.clone())
            .ok_or(StoreError::NotFound)
    }

    async fn find_by_token(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<Invitation>, StoreError> {
        Ok(self
            .tables()
            .invitations
            .iter()
            .find(|r| r.tenant == ctx.tenant() && r.token_hash == token_hash)
            .map(|r| r.inv.clone()))
    }

    async fn set_status(
        &self,
        ctx: &Ctx,
        id: InvitationId,
        status: InvitationStatus,
        audit: AuditRecord,
    ) -> Result<Invitation, StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let row = t
            .invitation_mut(ctx.tenant(), id)
            .filter(|r| r.inv.status == InvitationStatus::Pending)
            .ok_or(StoreError::NotFound)?;
        row.inv.status = status;
        let inv = row.inv.clone();
        t.write_audit(ctx, audit, now);
        Ok(inv)
    }

    async fn accept(
        &self,
        ctx: &Ctx,
        id: InvitationId,
        joiner: &Joiner,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let tenant = ctx.tenant();
        let role = t
            .invitation_mut(tenant, id)
            .filter(|r| r.inv.status == InvitationStatus::Pending)
            .ok_or(StoreError::NotFound)?
            .inv
            .role;
        let user = match joiner {
            Joiner::NewUser { user, .. } => {
                if t.email_taken(&user.email) || t.users.contains_key(&user.id) {
                    return Err(StoreError::Conflict("email"));
                }
                user.id
            }
            Joiner::Existing(u) => {
                if !t.users.contains_key(u) {
                    return Err(StoreError::Internal("no such user".into()));
                }
                *u
            }
        };
        if t.memberships.contains_key(&(tenant, user)) {
            return Err(StoreError::Conflict("member"));
        }
        // Every check passed: apply the whole change.
        if let Some(r) = t.invitation_mut(tenant, id) {
            r.inv.status = InvitationStatus::Accepted;
        }
        if let Joiner::NewUser {
            user,
            password_hash,
        } = joiner
        {
            t.users.insert(
                user.id,
                UserRow {
                    user: user.clone(),
                    password_hash: password_hash.clone(),
                },
            );
        }
        t.memberships.insert(
            (tenant, user),
            MembershipRow {
                role,
                active: true,
                joined_at: now,
            },
        );
        t.grants.insert((tenant, user), role);
        t.write_audit(ctx, audit, now);
        Ok(())
    }
}

#[async_trait]
impl SessionRepository for InMemory {
    async fn start(
        &self,
        ctx: &Ctx,
        token: &NewRefreshToken,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut t = self.tables();
        t.insert_refresh(ctx.tenant(), token)?;
        t.write_audit(ctx, audit, now);
        Ok(())
    }

    async fn find(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<StoredRefreshToken>, StoreError> {
        Ok(self
            .tables()
            .refresh_tokens
            .iter()
            .find(|r| r.tenant == ctx.tenant() && r.token_hash == token_hash)
            .map(|r| StoredRefreshToken {
                id: r.id,
                session: r.session,
                user: r.user,
                expires_at: r.expires_at,
                used_at: r.used_at,
                revoked_at: r.revoked_at,
            }))
    }

    async fn rotate(
        &self,
        ctx: &Ctx,
        old: RefreshTokenId,
        next: &NewRefreshToken,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut t = self.tables();
        let tenant = ctx.tenant();
        let Some(i) = t.refresh_tokens.iter().position(|r| {
            r.tenant == tenant && r.id == old && r.used_at.is_none() && r.revoked_at.is_none()
        }) else {
            return Ok(false);
        };
        t.insert_refresh(tenant, next)?;
        if let Some(r) = t.refresh_tokens.get_mut(i) {
            r.used_at = Some(at);
        }
        Ok(true)
    }

    async fn revoke_user(
        &self,
        ctx: &Ctx,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        for r in &mut self.tables().refresh_tokens {
            if r.tenant == ctx.tenant() && r.user == user && r.revoked_at.is_none() {
                r.revoked_at = Some(at);
            }
        }
        Ok(())
    }

    async fn revoke_family(
        &self,
        ctx: &Ctx,
        session: SessionId,
        at: DateTime<Utc>,
        audit: Option<AuditRecord>,
    ) -> Result<(), StoreError> {
        let mut t = self.tables();
        for r in &mut t.refresh_tokens {
            if r.tenant == ctx.tenant() && r.session == session && r.revoked_at.is_none() {
                r.revoked_at = Some(at);
            }
        }
        if let Some(audit) = audit {
            t.write_audit(ctx, audit, at);
        }
        Ok(())
    }
}

#[async_trait]
impl LocationRepository for InMemory {
    async fn create(
        &self,
        ctx: &Ctx,
        location: &Location,
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let tenant = ctx.tenant();
        if t.locations
            .iter()
            .any(|r| r.tenant == tenant && r.location.name == location.name)
        {
            return Err(StoreError::Conflict("name"));
        }
        t.locations.push(LocationRow {
            tenant,
            location: location.clone(),
        });
        t.write_audit(ctx, audit, now);
        Ok(())
    }

    async fn rename(
        &self,
        ctx: &Ctx,
        id: LocationId,
        name: &str,
        audit: AuditRecord,
    ) -> Result<Location, StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let tenant = ctx.tenant();
        if t.locations
            .iter()
            .any(|r| r.tenant == tenant && r.location.id != id && r.location.name == name)
        {
            return Err(StoreError::Conflict("name"));
        }
        let row = t
            .locations
            .iter_mut()
            .find(|r| r.tenant == tenant && r.location.id == id)
            .ok_or(StoreError::NotFound)?;
        name.clone_into(&mut row.location.name);
        let location = row.location.clone();
        t.write_audit(ctx, audit, now);
        Ok(location)
    }

    async fn get(&self, ctx: &Ctx, id: LocationId) -> Result<Location, StoreError> {
        self.tables()
            .locations
            .iter()
            .find(|r| r.tenant == ctx.tenant() && r.location.id == id)
            .map(|r| r.location.clone())
            .ok_or(StoreError::NotFound)
    }

    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<Location>, StoreError> {
        let items = self
            .tables()
            .locations
            .iter()
            .filter(|r| r.tenant == ctx.tenant())
            .map(|r| (r.location.id.as_uuid(), r.location.clone()))
            .collect();
        Ok(paginate(items, page))
    }
}

#[async_trait]
impl PolicyRepository for InMemory {
    async fn role_permissions(
        &self,
        ctx: &Ctx,
    ) -> Result<Vec<(Role, Vec<Permission>)>, StoreError> {
        Ok(self
            .tables()
            .policies
            .iter()
            .filter(|((t, _), _)| *t == ctx.tenant())
            .map(|((_, r), p)| (*r, p.clone()))
            .collect())
    }

    async fn set_role_permissions(
        &self,
        ctx: &Ctx,
        role: Role,
        permissions: &[Permission],
        audit: AuditRecord,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let key = (ctx.tenant(), role);
        if permissions.is_empty() {
            t.policies.remove(&key);
        } else {
            t.policies.insert(key, permissions.to_vec());
        }
        t.write_audit(ctx, audit, now);
        Ok(())
    }
}

#[async_trait]
impl AuditRepository for InMemory {
    async fn list(
        &self,
        ctx: &Ctx,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        let items = self
            .tables()
            .audit
            .iter()
            .filter(|(t, e)| {
                *t == ctx.tenant()
                    && filter.action.as_deref().is_none_or(|a| a == e.action)
                    && filter.actor.is_none_or(|a| e.actor == Some(a))
            })
            .map(|(_, e)| (e.id.as_uuid(), e.clone()))
            .collect();
        Ok(paginate(items, page))
    }
}

#[async_trait]
impl ApiKeyRepository for InMemory {
    async fn create(
        &self,
        ctx: &Ctx,
        key: &ApiKey,
        token_hash: &str,
        audit: AuditRecord,
    ) -> Result<ApiKey, StoreError> {
        let now = self.now();
        let mut t = self.tables();
        let stored = ApiKey {
            created_by_label: t.actor_label(ctx),
            ..key.clone()
        };
        t.api_keys
            .push((ctx.tenant(), stored.clone(), token_hash.to_owned()));
        t.write_audit(ctx, audit, now);
        Ok(stored)
    }

    async fn list(&self, ctx: &Ctx) -> Result<Vec<ApiKey>, StoreError> {
        let mut keys: Vec<ApiKey> = self
            .tables()
            .api_keys
            .iter()
            .filter(|(t, _, _)| *t == ctx.tenant())
            .map(|(_, k, _)| k.clone())
            .collect();
        keys.sort_by_key(|k| k.id);
        Ok(keys)
    }

    async fn get(&self, ctx: &Ctx, id: ApiKeyId) -> Result<ApiKey, StoreError> {
        self.tables()
            .api_keys
            .iter()
            .find(|(t, k, _)| *t == ctx.tenant() && k.id == id)
            .map(|(_, k, _)| k.clone())
            .ok_or(StoreError::NotFound)
    }

    async fn find_by_digest(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<ApiKey>, StoreError> {
        Ok(self
            .tables()
            .api_keys
            .iter()
            .find(|(t, _, h)| *t == ctx.tenant() && h == token_hash)
            .map(|(_, k, _)| k.clone()))
    }

    async fn revoke(
        &self,
        ctx: &Ctx,
        id: ApiKeyId,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<ApiKey, StoreError> {
        let mut t = self.tables();
        let (_, key, _) = t
            .api_keys
            .iter_mut()
            .find(|(x, k, _)| *x == ctx.tenant() && k.id == id)
            .ok_or(StoreError::NotFound)?;
        if key.revoked_at.is_some() {
            return Ok(key.clone());
        }
        key.revoked_at = Some(at);
        let key = key.clone();
        t.write_audit(ctx, audit, at);
        Ok(key)
    }

    async fn record_use(
        &self,
        ctx: &Ctx,
        id: ApiKeyId,
        at: DateTime<Utc>,
        unless_after: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut t = self.tables();
        if let Some((_, key, _)) = t
            .api_keys
            .iter_mut()
            .find(|(x, k, _)| *x == ctx.tenant() && k.id == id)
            && key.last_used_at.is_none_or(|u| u <= unless_after)
        {
            key.last_used_at = Some(at);
        }
        Ok(())
    }
}

// ----- authoriser -----------------------------------------------------------------

#[derive(Debug, Clone, Default)]
struct PolicySnapshot {
    policies: BTreeMap<Role, Vec<Permission>>,
    grants: BTreeMap<UserId, Role>,
    /// The scopes of active API keys (like the casbin rules granted to a key).
    keys: BTreeMap<ApiKeyId, Vec<Permission>>,
}

/// Evaluates the store's role permissions and grants; caches them per tenant
/// until [`Authorizer::invalidate`].
pub(crate) struct FakeAuthorizer {
    store: Arc<InMemory>,
    cache: Mutex<HashMap<TenantId, PolicySnapshot>>,
    invalidations: AtomicUsize,
}

impl FakeAuthorizer {
    pub(crate) fn new(store: Arc<InMemory>) -> Self {
        Self {
            store,
            cache: Mutex::new(HashMap::new()),
            invalidations: AtomicUsize::new(0),
        }
    }

    /// How many times a tenant's cache was dropped.
    pub(crate) fn invalidations(&self) -> usize {
        self.invalidations.load(Ordering::SeqCst)
    }

    fn snapshot(&self, tenant: TenantId) -> PolicySnapshot {
        let mut cache = lock(&self.cache);
        cache
            .entry(tenant)
            .or_insert_with(|| {
                let t = self.store.tables();
                PolicySnapshot {
                    policies: t
                        .policies
                        .iter()
                        .filter(|((x, _), _)| *x == tenant)
                        .map(|((_, r), p)| (*r, p.clone()))
                        .collect(),
                    grants: t
                        .grants
                        .iter()
                        .filter(|((x, _), _)| *x == tenant)
                        .map(|((_, u), r)| (*u, *r))
                        .collect(),
                    keys: t
                        .api_keys
                        .iter()
                        .filter(|(x, k, _)| *x == tenant && k.is_active())
                        .map(|(_, k, _)| (k.id, k.scopes.clone()))
                        .collect(),
                }
            })
            .clone()
    }
}

#[async_trait]
impl Authorizer for FakeAuthorizer {
    async fn allowed(
        &self,
        ctx: &Ctx,
        subject: Subject,
        permission: Permission,
    ) -> Result<bool, StoreError> {
        Ok(self.permissions(ctx, subject).await?.contains(&permission))
    }

    async fn permissions(
        &self,
        ctx: &Ctx,
        subject: Subject,
    ) -> Result<Vec<Permission>, StoreError> {
        let s = self.snapshot(ctx.tenant());
        let granted = match subject {
            Subject::User(user) => s
                .grants
                .get(&user)
                .and_then(|role| s.policies.get(role))
                .cloned()
                .unwrap_or_default(),
            Subject::ApiKey(key) => s.keys.get(&key).cloned().unwrap_or_default(),
        };
        Ok(Permission::ALL
            .iter()
            .copied()
            .filter(|p| granted.contains(p))
            .collect())
    }

    fn invalidate(&self, ctx: &Ctx) {
        self.invalidations.fetch_add(1, Ordering::SeqCst);
        lock(&self.cache).remove(&ctx.tenant());
    }
}

// ----- crypto, secrets, mail --------------------------------------------------------

/// `hash:<password>`; never verifies without a stored hash.
#[derive(Default)]
pub(crate) struct FakeHasher {
    /// Verifications made against the dummy hash (unknown accounts).
    pub(crate) dummy_verifications: AtomicUsize,
}

#[async_trait]
impl PasswordHasher for FakeHasher {
    async fn hash(&self, password: &Password) -> Result<String, String> {
        Ok(format!("hash:{}", password.expose()))
    }

    async fn verify(&self, password: &Password, hash: Option<&str>) -> bool {
        match hash {
            Some(h) => h == format!("hash:{}", password.expose()),
            None => {
                self.dummy_verifications.fetch_add(1, Ordering::SeqCst);
                false
            }
        }
    }
}

/// Claims as JSON behind a marker; expiry checked like the JWT codec (`exp <= now`).
pub(crate) struct FakeTokens;

const TOKEN_MARK: &str = "fake-jwt.";

impl TokenCodec for FakeTokens {
    fn encode(&self, claims: &AccessClaims) -> Result<String, String> {
        serde_json::to_string(claims)
            .map(|json| format!("{TOKEN_MARK}{json}"))
            .map_err(|e| e.to_string())
    }

    fn decode(&self, token: &str, now: i64) -> Result<AccessClaims, TokenRejection> {
        let json = token
            .strip_prefix(TOKEN_MARK)
            .ok_or(TokenRejection::Invalid)?;
        let claims: AccessClaims =
            serde_json::from_str(json).map_err(|_| TokenRejection::Invalid)?;
        if claims.expires_at <= now {
            return Err(TokenRejection::Expired);
        }
        Ok(claims)
    }

    fn encode_guest(
        &self,
        claims: &crate::identity::models::GuestClaims,
    ) -> Result<String, String> {
        serde_json::to_string(claims)
            .map(|json| format!("guest:{json}"))
            .map_err(|e| e.to_string())
    }

    fn decode_guest(
        &self,
        token: &str,
        now: i64,
    ) -> Result<crate::identity::models::GuestClaims, TokenRejection> {
        let json = token
            .strip_prefix("guest:")
            .ok_or(TokenRejection::Invalid)?;
        let claims: crate::identity::models::GuestClaims =
            serde_json::from_str(json).map_err(|_| TokenRejection::Invalid)?;
        if claims.expires_at <= now {
            return Err(TokenRejection::Expired);
        }
        Ok(claims)
    }
}

/// Unique 48-character secrets from a counter; digest `sha:<secret>`.
#[derive(Default)]
pub(crate) struct FakeSecrets {
    counter: AtomicU64,
}

impl SecretGenerator for FakeSecrets {
    fn generate(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        format!("secret{n:042}")
    }

    fn digest(&self, secret: &str) -> String {
        format!("sha:{secret}")
    }

    fn fill_random(&self, buf: &mut [u8]) {
        let n = self.counter.fetch_add(1, Ordering::SeqCst).to_le_bytes();
        for (i, b) in buf.iter_mut().enumerate() {
            *b = n[i % n.len()].wrapping_add(u8::try_from(i).unwrap_or(0));
        }
    }
}

/// Records every message; fails on demand.
#[derive(Default)]
pub(crate) struct RecordingMailer {
    sent: Mutex<Vec<EmailMessage>>,
    failing: Mutex<Option<MailError>>,
    /// Attempts, sent or not.
    attempts: AtomicUsize,
}

impl RecordingMailer {
    pub(crate) fn sent(&self) -> Vec<EmailMessage> {
        lock(&self.sent).clone()
    }

    pub(crate) fn fail(&self, failing: bool) {
        self.fail_with(failing.then(|| MailError::NotSent("smtp: connection refused".into())));
    }

    /// Every send fails with `e` (or succeeds again with `None`).
    pub(crate) fn fail_with(&self, e: Option<MailError>) {
        *lock(&self.failing) = e;
    }

    /// How many sends were tried.
    pub(crate) fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, message: &EmailMessage) -> Result<(), MailError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        if let Some(e) = lock(&self.failing).clone() {
            return Err(e);
        }
        lock(&self.sent).push(message.clone());
        Ok(())
    }
}
