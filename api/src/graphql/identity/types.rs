//! GraphQL types of the identity context, built `From` domain types.

use async_graphql::{ComplexObject, Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use domain::identity as d;
use domain::money;

/// A staff role within a business.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Role {
    /// Everything, including roles and billing.
    Owner,
    /// Day-to-day management; cannot touch owners.
    Admin,
    /// Guests, adjustments, orders, inventory.
    Manager,
    /// Finds guests and processes checks.
    Cashier,
}

impl From<d::Role> for Role {
    fn from(r: d::Role) -> Self {
        match r {
            d::Role::Owner => Self::Owner,
            d::Role::Admin => Self::Admin,
            d::Role::Manager => Self::Manager,
            d::Role::Cashier => Self::Cashier,
        }
    }
}

impl From<Role> for d::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Owner => Self::Owner,
            Role::Admin => Self::Admin,
            Role::Manager => Self::Manager,
            Role::Cashier => Self::Cashier,
        }
    }
}

/// Interface language.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum Locale {
    /// Russian.
    #[default]
    Ru,
    /// English.
    En,
}

impl From<d::Locale> for Locale {
    fn from(l: d::Locale) -> Self {
        match l {
            d::Locale::Ru => Self::Ru,
            d::Locale::En => Self::En,
        }
    }
}

impl From<Locale> for d::Locale {
    fn from(l: Locale) -> Self {
        match l {
            Locale::Ru => Self::Ru,
            Locale::En => Self::En,
        }
    }
}

/// ISO 4217 currency.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum Currency {
    /// Russian rouble.
    #[default]
    Rub,
    /// Kazakhstani tenge.
    Kzt,
}

impl From<money::Currency> for Currency {
    fn from(c: money::Currency) -> Self {
        match c {
            money::Currency::Rub => Self::Rub,
            money::Currency::Kzt => Self::Kzt,
        }
    }
}

impl From<Currency> for money::Currency {
    fn from(c: Currency) -> Self {
        match c {
            Currency::Rub => Self::Rub,
            Currency::Kzt => Self::Kzt,
        }
    }
}

/// Where an invitation stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum InvitationStatus {
    /// Sent, not yet used.
    Pending,
    /// Used to join.
    Accepted,
    /// Withdrawn or replaced.
    Revoked,
    /// Not used in time.
    Expired,
}

impl From<d::InvitationStatus> for InvitationStatus {
    fn from(s: d::InvitationStatus) -> Self {
        match s {
            d::InvitationStatus::Pending => Self::Pending,
            d::InvitationStatus::Accepted => Self::Accepted,
            d::InvitationStatus::Revoked => Self::Revoked,
            d::InvitationStatus::Expired => Self::Expired,
        }
    }
}

/// A staff person.
#[derive(SimpleObject)]
pub struct User {
    /// Id.
    pub id: ID,
    /// Login e-mail.
    pub email: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Interface language.
    pub locale: Locale,
}

impl From<d::User> for User {
    fn from(u: d::User) -> Self {
        Self {
            id: ID(u.id.to_string()),
            email: u.email.to_string(),
            display_name: u.display_name,
            locale: u.locale.into(),
        }
    }
}

/// A business.
#[derive(SimpleObject)]
pub struct Tenant {
    /// Id.
    pub id: ID,
    /// Name.
    pub name: String,
    /// Currency of its checks.
    pub currency: Currency,
    /// When it signed up.
    pub created_at: DateTime<Utc>,
}

impl From<d::Tenant> for Tenant {
    fn from(t: d::Tenant) -> Self {
        Self {
            id: ID(t.id.to_string()),
            name: t.name,
            currency: t.currency.into(),
            created_at: t.created_at,
        }
    }
}

/// The signed-in staff member in their current business.
#[derive(SimpleObject)]
pub struct Me {
    /// The person.
    pub user: User,
    /// The business.
    pub tenant: Tenant,
    /// Their role there.
    pub role: Role,
    /// Effective permissions there, e.g. `staff:manage` (drives navigation).
    pub permissions: Vec<String>,
}

impl From<d::MeView> for Me {
    fn from(m: d::MeView) -> Self {
        Self {
            user: m.user.into(),
            tenant: m.tenant.into(),
            role: m.role.into(),
            permissions: m.permissions.iter().map(|p| p.key().to_owned()).collect(),
        }
    }
}

/// A business the caller works in.
#[derive(SimpleObject)]
pub struct TenantMembership {
    /// The business.
    pub tenant: Tenant,
    /// The caller's role there.
    pub role: Role,
    /// Whether the current session is in this business.
    pub current: bool,
}

/// Tokens of a signed-in session.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Bearer token for `Authorization` (15 minutes).
    pub access_token: String,
    /// When it expires.
    pub access_token_expires_at: DateTime<Utc>,
    /// Single-use token for `refreshSession`.
    pub refresh_token: String,
    /// When it expires.
    pub refresh_token_expires_at: DateTime<Utc>,
    /// Who signed in.
    pub me: Me,
}

impl From<d::AuthSession> for AuthPayload {
    fn from(s: d::AuthSession) -> Self {
        Self {
            access_token: s.access_token,
            access_token_expires_at: s.access_expires_at,
            refresh_token: s.refresh_token,
            refresh_token_expires_at: s.refresh_expires_at,
            me: s.me.into(),
        }
    }
}

/// A restaurant or store.
#[derive(SimpleObject)]
pub struct Location {
    /// Id.
    pub id: ID,
    /// Name, unique in the business.
    pub name: String,
    /// Street address.
    pub address: Option<String>,
    /// IANA time zone.
    pub timezone: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl From<d::Location> for Location {
    fn from(l: d::Location) -> Self {
        Self {
            id: ID(l.id.to_string()),
            name: l.name,
            address: l.address,
            timezone: l.timezone,
            created_at: l.created_at,
        }
    }
}

/// A member of the staff (the id is the user's).
#[derive(SimpleObject)]
pub struct StaffMember {
    /// User id.
    pub id: ID,
    /// Login e-mail.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Role here.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

impl From<d::StaffMember> for StaffMember {
    fn from(m: d::StaffMember) -> Self {
        Self {
            id: ID(m.user.id.to_string()),
            email: m.user.email.to_string(),
            display_name: m.user.display_name,
            role: m.role.into(),
            active: m.active,
            joined_at: m.joined_at,
        }
    }
}

/// An invitation to join the staff.
#[derive(SimpleObject)]
pub struct Invitation {
    /// Id.
    pub id: ID,
    /// Who is invited.
    pub email: String,
    /// With which role.
    pub role: Role,
    /// Where it stands.
    pub status: InvitationStatus,
    /// Until when it can be accepted.
    pub expires_at: DateTime<Utc>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

impl From<d::Invitation> for Invitation {
    fn from(i: d::Invitation) -> Self {
        Self {
            id: ID(i.id.to_string()),
            email: i.email.to_string(),
            role: i.role.into(),
            status: i.status.into(),
            expires_at: i.expires_at,
            created_at: i.created_at,
        }
    }
}

/// What an invitation link shows before it is accepted.
#[derive(SimpleObject)]
pub struct InvitationPreview {
    /// Who is invited.
    pub email: String,
    /// With which role.
    pub role: Role,
    /// To which business.
    pub tenant_name: String,
    /// Until when.
    pub expires_at: DateTime<Utc>,
}

impl From<d::InvitationPreview> for InvitationPreview {
    fn from(p: d::InvitationPreview) -> Self {
        Self {
            email: p.email.to_string(),
            role: p.role.into(),
            tenant_name: p.tenant_name,
            expires_at: p.expires_at,
        }
    }
}

/// A permission of the catalogue.
#[derive(SimpleObject)]
pub struct Permission {
    /// Key, e.g. `staff:manage`.
    pub key: String,
    /// What it allows.
    pub description: String,
}

impl From<d::Permission> for Permission {
    fn from(p: d::Permission) -> Self {
        Self {
            key: p.key().to_owned(),
            description: p.description().to_owned(),
        }
    }
}

/// What one role may do.
#[derive(SimpleObject)]
pub struct RolePermissions {
    /// The role.
    pub role: Role,
    /// Permission keys.
    pub permissions: Vec<String>,
    /// False for the owner role, which always has everything.
    pub editable: bool,
}

impl RolePermissions {
    /// From a role and its permissions.
    #[must_use]
    pub fn new(role: d::Role, perms: &[d::Permission]) -> Self {
        Self {
            role: role.into(),
            permissions: perms.iter().map(|p| p.key().to_owned()).collect(),
            editable: role != d::Role::Owner,
        }
    }
}

/// One entry of the audit log.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AuditEntry {
    /// Id.
    pub id: ID,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (user id), if a person.
    pub actor_id: Option<ID>,
    /// The actor's e-mail at the time (for an API key: its name and prefix).
    pub actor_email: Option<String>,
    /// The API key that acted, if a partner app did.
    pub api_key_id: Option<ID>,
    /// What, e.g. `staff.invite`.
    pub action: String,
    /// Kind of object.
    pub target_type: String,
    /// Which object.
    pub target_id: Option<String>,
    /// From which address.
    pub ip: Option<String>,
    #[graphql(skip)]
    pub details_json: serde_json::Value,
}

#[ComplexObject]
impl AuditEntry {
    /// Details (before/after) as a JSON string.
    async fn details(&self) -> String {
        self.details_json.to_string()
    }
}

impl From<d::AuditEntry> for AuditEntry {
    fn from(e: d::AuditEntry) -> Self {
        Self {
            id: ID(e.id.to_string()),
            at: e.at,
            actor_id: e.actor.map(|a| ID(a.to_string())),
            actor_email: e.actor_label,
            api_key_id: e.api_key.map(|k| ID(k.to_string())),
            action: e.action,
            target_type: e.target_type,
            target_id: e.target_id,
            ip: e.ip,
            details_json: e.details,
        }
    }
}
