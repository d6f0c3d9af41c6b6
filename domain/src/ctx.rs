//! The request context: who acts, in which tenant, from where. Built once at the
//! edge from a verified token and passed first to every service and repository
//! call. It is never built from request arguments.

use crate::identity::models::Role;
use crate::ids::{ApiKeyId, GuestId, TenantId, UserId};

/// Who performs an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in staff member.
    Staff(UserId),
    /// A guest signed in through the Mini App (sees only themselves).
    Guest(GuestId),
    /// A partner app calling with an API key (acts within the key's scopes).
    ApiKey(ApiKeyId),
    /// The system itself (jobs, seeding); never reachable from a request.
    System,
}

impl Actor {
    /// The staff user, if the actor is one.
    #[must_use]
    pub const fn user_id(&self) -> Option<UserId> {
        match self {
            Self::Staff(u) => Some(*u),
            Self::Guest(_) | Self::ApiKey(_) | Self::System => None,
        }
    }
    /// The guest, if the actor is one.
    #[must_use]
    pub const fn guest_id(&self) -> Option<GuestId> {
        match self {
            Self::Guest(g) => Some(*g),
            Self::Staff(_) | Self::ApiKey(_) | Self::System => None,
        }
    }
    /// The API key, if the actor is one.
    #[must_use]
    pub const fn api_key_id(&self) -> Option<ApiKeyId> {
        match self {
            Self::ApiKey(k) => Some(*k),
            Self::Staff(_) | Self::Guest(_) | Self::System => None,
        }
    }
}

/// Where a request came from (for the audit log).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    /// The client's address as seen by the server.
    pub ip: Option<String>,
    /// The client's user agent.
    pub user_agent: Option<String>,
}

/// The tenant-scoped context of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ctx {
    tenant: TenantId,
    actor: Actor,
    /// The role the access token was issued for (informational: authorisation
    /// always asks the policy store, so a role change applies at once).
    role: Option<Role>,
    meta: RequestMeta,
}

impl Ctx {
    /// A context for a staff member acting in a tenant.
    #[must_use]
    pub fn staff(tenant: TenantId, user: UserId, role: Role, meta: RequestMeta) -> Self {
        Self {
            tenant,
            actor: Actor::Staff(user),
            role: Some(role),
            meta,
        }
    }
    /// A context for a person identified by a credential other than an access
    /// token (a refresh token at logout): no role is claimed.
    #[must_use]
    pub fn person(tenant: TenantId, user: UserId, meta: RequestMeta) -> Self {
        Self {
            tenant,
            actor: Actor::Staff(user),
            role: None,
            meta,
        }
    }
    /// A context for a guest of a tenant (the Mini App).
    #[must_use]
    pub fn guest(tenant: TenantId, guest: GuestId, meta: RequestMeta) -> Self {
        Self {
            tenant,
            actor: Actor::Guest(guest),
            role: None,
            meta,
        }
    }
    /// A context for a partner app calling with an API key of a tenant.
    #[must_use]
    pub fn api_key(tenant: TenantId, key: ApiKeyId, meta: RequestMeta) -> Self {
        Self {
            tenant,
            actor: Actor::ApiKey(key),
            role: None,
            meta,
        }
    }
    /// A context for the system acting inside a tenant (jobs, seeding, sign-up).
    #[must_use]
    pub fn system(tenant: TenantId) -> Self {
        Self {
            tenant,
            actor: Actor::System,
            role: None,
            meta: RequestMeta::default(),
        }
    }
    /// The tenant every read and write of this operation is confined to.
    #[must_use]
    pub const fn tenant(&self) -> TenantId {
        self.tenant
    }
    /// Who acts.
    #[must_use]
    pub const fn actor(&self) -> Actor {
        self.actor
    }
    /// The role named in the token, if any.
    #[must_use]
    pub const fn role(&self) -> Option<Role> {
        self.role
    }
    /// Where the request came from.
    #[must_use]
    pub const fn meta(&self) -> &RequestMeta {
        &self.meta
    }
}
