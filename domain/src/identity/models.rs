//! Identity values and entities. Validated values have one constructor and
//! private fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::ids::{InvitationId, LocationId, SessionId, TenantId, UserId};
use crate::money::Currency;

/// Why a value was refused: which field, and a message that stands alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidValue {
    /// The input field (camelCase, as the API names it).
    pub field: &'static str,
    /// What is wrong, for a person.
    pub message: String,
}

impl InvalidValue {
    pub(crate) fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// A syntactically valid e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Parses and normalises an address.
    ///
    /// # Errors
    /// Not of the form `local@domain.tld`, spaces, or longer than 254 characters.
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let s = raw.trim().to_lowercase();
        let bad = || {
            InvalidValue::new(
                "email",
                "enter a valid e-mail address, like name@example.com",
            )
        };
        if s.is_empty() || s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(bad());
        }
        Ok(Self(s))
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password a person typed. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password123",
    "qwerty",
    "qwertyuiop",
    "1234567890",
    "12345678910",
    "iloveyou",
    "letmein",
    "welcome",
    "admin12345",
    "abc1234567",
    "passw0rd",
    "qwerty123",
    "1q2w3e4r5t",
    "zaq12wsx",
    "йцукенгшщз",
];

impl Password {
    /// The minimum length of a new password.
    pub const MIN_LEN: usize = 10;

    /// Checks a new password: 10 to 128 characters, not a common password, not
    /// one repeated character, not containing the e-mail's name part.
    ///
    /// # Errors
    /// A weak password, with the reason.
    pub fn new_checked(raw: &str, email: Option<&Email>) -> Result<Self, InvalidValue> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(InvalidValue::new(
                "password",
                format!("use at least {} characters", Self::MIN_LEN),
            ));
        }
        if len > 128 {
            return Err(InvalidValue::new("password", "use at most 128 characters"));
        }
        let lower = raw.to_lowercase();
        let mut chars = lower.chars();
        let first = chars.next();
        if COMMON_PASSWORDS.contains(&lower.as_str()) || chars.all(|c| Some(c) == first) {
            return Err(InvalidValue::new(
                "password",
                "this password is too easy to guess",
            ));
        }
        if let Some(email) = email {
            let local = email.as_ref().split('@').next().unwrap_or_default();
            if local.len() >= 4 && lower.contains(local) {
                return Err(InvalidValue::new(
                    "password",
                    "the password must not contain your e-mail name",
                ));
            }
        }
        Ok(Self(raw.to_owned()))
    }

    /// A password presented at login: not checked for strength.
    #[must_use]
    pub fn presented(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    /// The plain text, for the hasher only.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A non-empty, trimmed, bounded name (people, businesses, locations).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name(String);

impl Name {
    /// Trims and checks 1..=max characters with no control characters.
    ///
    /// # Errors
    /// Empty, too long, or control characters.
    pub fn parse(raw: &str, field: &'static str, max: usize) -> Result<Self, InvalidValue> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(InvalidValue::new(field, "must not be empty"));
        }
        if s.chars().count() > max {
            return Err(InvalidValue::new(
                field,
                format!("use at most {max} characters"),
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(InvalidValue::new(
                field,
                "must not contain control characters",
            ));
        }
        Ok(Self(s.to_owned()))
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An IANA time zone name such as `Europe/Moscow`, or `UTC`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    /// Checks the shape `Area/City[/Sub]` or `UTC`.
    ///
    /// # Errors
    /// Anything else.
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let s = raw.trim();
        let part_ok = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        };
        let parts: Vec<&str> = s.split('/').collect();
        let ok = s == "UTC"
            || (parts.len() >= 2
                && parts.len() <= 3
                && parts.iter().all(|p| part_ok(p))
                && s.len() <= 64);
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidValue::new(
                "timezone",
                "use an IANA time zone such as Europe/Moscow",
            ))
        }
    }
}

impl AsRef<str> for TimeZoneName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The interface language of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    /// Russian (the default).
    #[default]
    Ru,
    /// English.
    En,
}

impl Locale {
    /// `ru` / `en`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }
    /// Parses `ru` / `en`.
    #[must_use]
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

/// A staff role within one tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Owns the business: everything, including roles and billing.
    Owner,
    /// Runs the business day to day; cannot touch owners.
    Admin,
    /// Guests, adjustments, orders, inventory.
    Manager,
    /// Finds guests and processes checks.
    Cashier,
}

impl Role {
    /// Every tenant role, most powerful first.
    pub const ALL: [Self; 4] = [Self::Owner, Self::Admin, Self::Manager, Self::Cashier];

    /// The policy subject name (`owner`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Cashier => "cashier",
        }
    }
    /// Parses a policy subject name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// The default permissions of the role (PRODUCT.md's matrix).
    #[must_use]
    pub fn default_permissions(self) -> Vec<Permission> {
        use Permission as P;
        match self {
            Self::Owner => P::ALL.to_vec(),
            Self::Admin => P::ALL
                .iter()
                .copied()
                .filter(|p| !matches!(p, P::TenantManage | P::RolesManage))
                .collect(),
            Self::Manager => vec![
                P::LocationsRead,
                P::LoyaltyRead,
                P::GuestsRead,
                P::GuestsCreate,
                P::GuestsManage,
                P::ChecksProcess,
                P::PointsAdjust,
                P::OrdersRead,
                P::OrdersManage,
                P::CampaignsRead,
                P::AnalyticsRead,
            ],
            Self::Cashier => vec![
                P::LocationsRead,
                P::GuestsRead,
                P::GuestsCreate,
                P::ChecksProcess,
                P::OrdersRead,
            ],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! permissions {
    ($($variant:ident => $obj:literal, $act:literal, $desc:literal;)*) => {
        /// One permission: an object and an action (`staff:manage`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Permission { $(#[doc = $desc] $variant),* }

        impl Permission {
            /// Every permission, in catalogue order.
            pub const ALL: &'static [Permission] = &[$(Self::$variant),*];
            /// The policy object (`staff`).
            #[must_use]
            pub const fn object(self) -> &'static str { match self { $(Self::$variant => $obj),* } }
            /// The policy action (`manage`).
            #[must_use]
            pub const fn action(self) -> &'static str { match self { $(Self::$variant => $act),* } }
            /// The key clients see (`staff:manage`).
            #[must_use]
            pub const fn key(self) -> &'static str { match self { $(Self::$variant => concat!($obj, ":", $act)),* } }
            /// What the permission allows, in English.
            #[must_use]
            pub const fn description(self) -> &'static str { match self { $(Self::$variant => $desc),* } }
        }
    };
}

permissions! {
    TenantRead => "tenant", "read", "See the business settings and plan";
    TenantManage => "tenant", "manage", "Change the business settings and plan";
    StaffRead => "staff", "read", "See staff and invitations";
    StaffManage => "staff", "manage", "Invite, change roles of, deactivate staff (admins cannot touch owners)";
    RolesRead => "roles", "read", "See what each role may do";
    RolesManage => "roles", "manage", "Change what each role may do";
    LocationsRead => "locations", "read", "See locations";
    LocationsManage => "locations", "manage", "Create and rename locations";
    LoyaltyRead => "loyalty", "read", "See levels and promotions";
    LoyaltyManage => "loyalty", "manage", "Configure levels and promotions";
    GuestsRead => "guests", "read", "Find guests and read their cards";
    GuestsCreate => "guests", "create", "Register new guests";
    GuestsManage => "guests", "manage", "Edit, merge and forget guests";
    ChecksProcess => "checks", "process", "Process checks: redeem and accrue points";
    PointsAdjust => "points", "adjust", "Adjust points manually, with a reason";
    IntegrationsManage => "integrations", "manage", "Manage integrations, webhooks and API keys";
    OrdersRead => "orders", "read", "See orders and inventory";
    OrdersManage => "orders", "manage", "Manage orders and inventory";
    CampaignsRead => "campaigns", "read", "See campaigns and the wallet";
    CampaignsManage => "campaigns", "manage", "Manage campaigns and the wallet";
    AnalyticsRead => "analytics", "read", "See analytics";
    AuditRead => "audit", "read", "Read the audit log";
    AuditExport => "audit", "export", "Export the audit log";
}

impl Permission {
    /// Parses a key such as `staff:manage`.
    #[must_use]
    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.key() == key)
    }
}

/// A business using MaxLoyalty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// Its id.
    pub id: TenantId,
    /// Its display name.
    pub name: String,
    /// The currency of its checks.
    pub currency: Currency,
    /// When it signed up.
    pub created_at: DateTime<Utc>,
}

/// A staff person (global: one login may serve several tenants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Login e-mail.
    pub email: Email,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Interface language.
    pub locale: Locale,
}

/// A user's stored credentials, for login.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// The argon2id PHC string.
    pub password_hash: String,
}

/// A user's membership in a tenant, seen from the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// The user.
    pub user: User,
    /// Their role here.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
}

/// A membership, seen from the user (for choosing a tenant at login).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MembershipRef {
    /// The tenant.
    pub tenant: TenantId,
    /// The role there.
    pub role: Role,
    /// Whether it is active.
    pub active: bool,
    /// When it began.
    pub joined_at: DateTime<Utc>,
}

/// A restaurant or store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Its id.
    pub id: LocationId,
    /// Its name, unique in the tenant.
    pub name: String,
    /// Street address.
    pub address: Option<String>,
    /// IANA time zone.
    pub timezone: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvitationStatus {
    /// Sent, not yet used.
    Pending,
    /// Used to join.
    Accepted,
    /// Withdrawn by staff (or replaced by a newer one).
    Revoked,
    /// Not used in time.
    Expired,
}

impl InvitationStatus {
    /// Storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }
    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Accepted, Self::Revoked, Self::Expired]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// An invitation for someone to join the staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Its id.
    pub id: InvitationId,
    /// Who is invited.
    pub email: Email,
    /// With which role.
    pub role: Role,
    /// Stored status (a pending one past `expires_at` reads as expired).
    pub status: InvitationStatus,
    /// Until when it can be accepted.
    pub expires_at: DateTime<Utc>,
    /// When it was sent.
    pub created_at: DateTime<Utc>,
}

impl Invitation {
    /// The status as of `now`.
    #[must_use]
    pub fn status_at(&self, now: DateTime<Utc>) -> InvitationStatus {
        if self.status == InvitationStatus::Pending && now >= self.expires_at {
            InvitationStatus::Expired
        } else {
            self.status
        }
    }
}

/// What an invitation link shows before it is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationPreview {
    /// Who is invited.
    pub email: Email,
    /// With which role.
    pub role: Role,
    /// To which business.
    pub tenant_name: String,
    /// Until when.
    pub expires_at: DateTime<Utc>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its id (time-ordered).
    pub id: crate::ids::AuditEntryId,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a staff user), if a person.
    pub actor: Option<UserId>,
    /// The actor's e-mail (or, for an API key, its name and prefix) at the time.
    pub actor_label: Option<String>,
    /// The API key that acted, if a partner app did.
    pub api_key: Option<crate::ids::ApiKeyId>,
    /// What, e.g. `staff.invite`.
    pub action: String,
    /// On what kind of object.
    pub target_type: String,
    /// On which object.
    pub target_id: Option<String>,
    /// From where.
    pub ip: Option<String>,
    /// Details as JSON (before/after).
    pub details: serde_json::Value,
}

/// An audit record to write in the same transaction as the change it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// What, e.g. `location.rename`.
    pub action: &'static str,
    /// On what kind of object.
    pub target_type: &'static str,
    /// On which object.
    pub target_id: Option<String>,
    /// Details (before/after).
    pub details: serde_json::Value,
    /// The actor's label (e-mail) if known.
    pub actor_label: Option<String>,
}

impl AuditRecord {
    /// A record of `action` on `target_type` `target_id`.
    #[must_use]
    pub fn new(
        action: &'static str,
        target_type: &'static str,
        target_id: impl fmt::Display,
    ) -> Self {
        Self {
            action,
            target_type,
            target_id: Some(target_id.to_string()),
            details: serde_json::Value::Null,
            actor_label: None,
        }
    }
    /// With details.
    #[must_use]
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user.
    pub user: UserId,
    /// The tenant the token acts in.
    pub tenant: TenantId,
    /// The role at issue time.
    pub role: Role,
    /// The session family.
    pub session: SessionId,
    /// Issued at (unix seconds).
    pub issued_at: i64,
    /// Expires at (unix seconds).
    pub expires_at: i64,
}

/// Claims of a guest token (Mini App): one guest of one tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestClaims {
    /// The guest.
    pub guest: crate::ids::GuestId,
    /// Their tenant.
    pub tenant: TenantId,
    /// Issued at (unix seconds).
    pub issued_at: i64,
    /// Expires at (unix seconds).
    pub expires_at: i64,
}

/// What the signed-in staff member sees of themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeView {
    /// The user.
    pub user: User,
    /// The current tenant.
    pub tenant: Tenant,
    /// Their role there.
    pub role: Role,
    /// Their effective permissions there.
    pub permissions: Vec<Permission>,
}

/// The result of a successful sign-up, login, refresh or invitation acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSession {
    /// A short-lived bearer token.
    pub access_token: String,
    /// When it expires.
    pub access_expires_at: DateTime<Utc>,
    /// A single-use token for the next refresh.
    pub refresh_token: String,
    /// When it expires.
    pub refresh_expires_at: DateTime<Utc>,
    /// Who signed in.
    pub me: MeView,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_malformed_ones_refused() {
        assert_eq!(
            Email::parse("  Anna@Example.COM ").map(|e| e.to_string()),
            Ok("anna@example.com".into())
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "an na@example.com",
            "a@b@c.com",
            "a@.com",
            "a@b..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let email = Email::parse("anna.smith@example.com").expect("valid");
        assert!(Password::new_checked("short", None).is_err());
        assert!(Password::new_checked("aaaaaaaaaaaa", None).is_err());
        assert!(Password::new_checked("password123", None).is_err());
        assert!(Password::new_checked("anna.smith-2024!", Some(&email)).is_err());
        assert!(Password::new_checked("correct horse battery", Some(&email)).is_ok());
    }

    #[test]
    fn owners_have_every_permission_and_cashiers_only_the_counter() {
        assert_eq!(
            Role::Owner.default_permissions().len(),
            Permission::ALL.len()
        );
        let cashier = Role::Cashier.default_permissions();
        assert!(cashier.contains(&Permission::ChecksProcess));
        assert!(!cashier.contains(&Permission::StaffRead));
        assert!(
            !Role::Admin
                .default_permissions()
                .contains(&Permission::RolesManage)
        );
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.key()), Some(*p));
        }
    }

    #[test]
    fn time_zones_must_look_like_iana_names() {
        assert!(TimeZoneName::parse("Europe/Moscow").is_ok());
        assert!(TimeZoneName::parse("America/Argentina/Buenos_Aires").is_ok());
        assert!(TimeZoneName::parse("UTC").is_ok());
        assert!(TimeZoneName::parse("Moscow").is_err());
        assert!(TimeZoneName::parse("Europe/Mos cow").is_err());
    }
}
