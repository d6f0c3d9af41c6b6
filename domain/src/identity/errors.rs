//! One error enum per identity operation. Each says how the edge should present
//! it through [`ErrorClass`]; the API maps classes to codes in one place.

use super::models::InvalidValue;
use crate::page::PageError;

/// How an error is presented to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The input is wrong; the client can fix it.
    Validation,
    /// No valid credentials.
    Unauthenticated,
    /// Authenticated, but not allowed.
    Forbidden,
    /// No such object in the caller's tenant (also for other tenants' objects).
    NotFound,
    /// Conflicts with the current state.
    Conflict,
    /// Too many attempts; retry later.
    RateLimited,
    /// An outside system we depend on could not be reached; retry later.
    Unavailable,
    /// Our fault; details are logged, never shown.
    Internal,
}

/// What every domain error tells the edge.
pub trait DomainError: std::error::Error + Send + Sync + 'static {
    /// How to present it.
    fn class(&self) -> ErrorClass;
    /// The input field at fault, for validation errors.
    fn field(&self) -> Option<&'static str> {
        None
    }
    /// Seconds until a retry can succeed, for rate limits.
    fn retry_after_secs(&self) -> Option<u64> {
        None
    }
}

/// A failure reported by a storage adapter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was violated (the constraint's meaning).
    #[error("already exists: {0}")]
    Conflict(&'static str),
    /// The row does not exist in this tenant.
    #[error("not found")]
    NotFound,
    /// The store failed; the message is for logs only.
    #[error("storage failure: {0}")]
    Internal(String),
}

macro_rules! from_store {
    ($t:ident) => {
        impl From<StoreError> for $t {
            fn from(e: StoreError) -> Self {
                Self::Internal(e.to_string())
            }
        }
    };
}

/// Signing up a new business.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignUpError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// The e-mail already has an account.
    #[error("an account with this e-mail already exists; log in instead")]
    EmailTaken,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(SignUpError);
impl DomainError for SignUpError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::EmailTaken => ErrorClass::Conflict,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::EmailTaken => Some("email"),
            Self::Internal(_) => None,
        }
    }
}

/// Logging in with e-mail and password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// The e-mail is malformed.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// Unknown e-mail or wrong password (never says which).
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    /// Too many failed attempts for this e-mail.
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    Throttled {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// The password was right but the person has no active staff access.
    #[error("this account has no active access to any business")]
    NoActiveMembership,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(LoginError);
impl DomainError for LoginError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::InvalidCredentials => ErrorClass::Unauthenticated,
            Self::Throttled { .. } => ErrorClass::RateLimited,
            Self::NoActiveMembership => ErrorClass::Forbidden,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            _ => None,
        }
    }
    fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::Throttled { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

/// Exchanging a refresh token, or logging out with one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefreshError {
    /// Unknown, expired or revoked token.
    #[error("the session has ended; log in again")]
    InvalidToken,
    /// The token was already used: the whole session was revoked.
    #[error("this refresh token was already used; the session has been revoked for safety")]
    Reused,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(RefreshError);
impl DomainError for RefreshError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::InvalidToken | Self::Reused => ErrorClass::Unauthenticated,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// Authenticating an access token or authorising an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    /// No token, or an invalid one.
    #[error("sign in to continue")]
    Unauthenticated,
    /// The token has expired: refresh it.
    #[error("the access token has expired; refresh the session")]
    Expired,
    /// The caller's role does not allow this.
    #[error("your role does not allow this")]
    Forbidden,
    /// An API key that is malformed, unknown or revoked.
    #[error("this API key is not valid or has been revoked")]
    InvalidApiKey,
    /// An API key called a field that acts for a signed-in person.
    #[error(
        "API keys cannot use this field: it is for people signed in to the panel or the Mini App"
    )]
    NotForApiKeys,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(AccessError);
impl DomainError for AccessError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Unauthenticated | Self::Expired | Self::InvalidApiKey => {
                ErrorClass::Unauthenticated
            }
            Self::Forbidden | Self::NotForApiKeys => ErrorClass::Forbidden,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// Reading one object or a list in the caller's tenant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// No such object here.
    #[error("not found")]
    NotFound,
    /// Bad pagination arguments.
    #[error(transparent)]
    Page(#[from] PageError),
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
impl From<StoreError> for ReadError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}
impl DomainError for ReadError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::NotFound => ErrorClass::NotFound,
            Self::Page(_) => ErrorClass::Validation,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// Inviting a staff member.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// The person is already on the staff.
    #[error("this person is already on the staff")]
    AlreadyMember,
    /// Only owners may invite owners.
    #[error("only an owner can invite an owner")]
    OwnerOnly,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(InviteError);
impl DomainError for InviteError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::AlreadyMember => ErrorClass::Conflict,
            Self::OwnerOnly => ErrorClass::Forbidden,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::AlreadyMember => Some("email"),
            Self::OwnerOnly => Some("role"),
            Self::Internal(_) => None,
        }
    }
}

/// Accepting an invitation (or previewing it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcceptInvitationError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// Unknown, revoked or already used token.
    #[error("this invitation link is not valid")]
    NotFound,
    /// The invitation has expired.
    #[error("this invitation has expired; ask for a new one")]
    Expired,
    /// The invited e-mail already has an account and the password does not match it.
    #[error("this e-mail already has an account: enter its password to join")]
    WrongPassword,
    /// Already on the staff.
    #[error("you are already on this staff")]
    AlreadyMember,
    /// Too many wrong passwords for the existing account.
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    Throttled {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(AcceptInvitationError);
impl DomainError for AcceptInvitationError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::NotFound => ErrorClass::NotFound,
            Self::Expired | Self::AlreadyMember => ErrorClass::Conflict,
            Self::WrongPassword => ErrorClass::Unauthenticated,
            Self::Throttled { .. } => ErrorClass::RateLimited,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::WrongPassword => Some("password"),
            Self::NotFound | Self::Expired => Some("token"),
            _ => None,
        }
    }
    fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::Throttled { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

/// Revoking an invitation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevokeInvitationError {
    /// No such invitation here.
    #[error("not found")]
    NotFound,
    /// It is no longer pending.
    #[error("only a pending invitation can be revoked")]
    NotPending,
    /// Only owners may revoke owner invitations.
    #[error("only an owner can revoke an owner's invitation")]
    OwnerOnly,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
impl From<StoreError> for RevokeInvitationError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}
impl DomainError for RevokeInvitationError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::NotFound => ErrorClass::NotFound,
            Self::NotPending => ErrorClass::Conflict,
            Self::OwnerOnly => ErrorClass::Forbidden,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// Changing a staff member's role or active state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffChangeError {
    /// No such staff member here.
    #[error("not found")]
    NotFound,
    /// You cannot change your own role or deactivate yourself.
    #[error("you cannot change your own access")]
    SelfChange,
    /// Only owners may change owners or make someone an owner.
    #[error("only an owner can change an owner or grant the owner role")]
    OwnerOnly,
    /// The business must keep at least one active owner.
    #[error("the business must keep at least one active owner")]
    LastOwner,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
impl From<StoreError> for StaffChangeError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}
impl DomainError for StaffChangeError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::NotFound => ErrorClass::NotFound,
            Self::SelfChange | Self::LastOwner => ErrorClass::Conflict,
            Self::OwnerOnly => ErrorClass::Forbidden,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// Creating or renaming a location.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocationError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// No such location here.
    #[error("not found")]
    NotFound,
    /// Another location already has this name.
    #[error("a location with this name already exists")]
    NameTaken,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
impl From<StoreError> for LocationError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(_) => Self::NameTaken,
            other => Self::Internal(other.to_string()),
        }
    }
}
impl DomainError for LocationError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::NotFound => ErrorClass::NotFound,
            Self::NameTaken => ErrorClass::Conflict,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::NameTaken => Some("name"),
            _ => None,
        }
    }
}

/// Changing what a role may do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolePermissionsError {
    /// The owner role always has every permission.
    #[error("the owner role always has every permission")]
    OwnerNotEditable,
    /// A permission key is not in the catalogue.
    #[error("unknown permission: {0}")]
    UnknownPermission(String),
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(RolePermissionsError);
impl DomainError for RolePermissionsError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::OwnerNotEditable => ErrorClass::Conflict,
            Self::UnknownPermission(_) => ErrorClass::Validation,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::OwnerNotEditable => Some("role"),
            Self::UnknownPermission(_) => Some("permissions"),
            Self::Internal(_) => None,
        }
    }
}

/// Switching the session to another business.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SwitchTenantError {
    /// Not active staff there (or no such business).
    #[error("not found")]
    NotFound,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(SwitchTenantError);
impl DomainError for SwitchTenantError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::NotFound => ErrorClass::NotFound,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// Editing one's own profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// The caller is no longer on the staff.
    #[error("not found")]
    NotFound,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(ProfileError);
impl DomainError for ProfileError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::NotFound => ErrorClass::NotFound,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            _ => None,
        }
    }
}

/// Changing one's own password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangePasswordError {
    /// The new password is not acceptable.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// The current password is wrong.
    #[error("the current password is wrong")]
    WrongPassword,
    /// Too many wrong attempts.
    #[error("too many failed attempts; try again in {retry_after_secs} s")]
    Throttled {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// The caller is no longer on the staff.
    #[error("not found")]
    NotFound,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(ChangePasswordError);
impl DomainError for ChangePasswordError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) | Self::WrongPassword => ErrorClass::Validation,
            Self::Throttled { .. } => ErrorClass::RateLimited,
            Self::NotFound => ErrorClass::NotFound,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::WrongPassword => Some("currentPassword"),
            _ => None,
        }
    }
    fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::Throttled { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

/// Creating an API key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreateApiKeyError {
    /// The name or the scopes are invalid (scopes beyond the creator's included).
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// The caller is not staff or a key of the business.
    #[error("only the business's staff can create API keys")]
    NotAllowed,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(CreateApiKeyError);
impl DomainError for CreateApiKeyError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::NotAllowed => ErrorClass::Forbidden,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            _ => None,
        }
    }
}

/// Revoking an API key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevokeApiKeyError {
    /// No such key here.
    #[error("not found")]
    NotFound,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
impl From<StoreError> for RevokeApiKeyError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}
impl DomainError for RevokeApiKeyError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::NotFound => ErrorClass::NotFound,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
}

/// Asking for a password-reset link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestPasswordResetError {
    /// The e-mail is not an e-mail address.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// Too many requests for this e-mail.
    #[error("too many requests; try again in {retry_after_secs} s")]
    Throttled {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(RequestPasswordResetError);
impl DomainError for RequestPasswordResetError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::Throttled { .. } => ErrorClass::RateLimited,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            _ => None,
        }
    }
    fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::Throttled { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

/// Setting a new password with a reset link.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResetPasswordError {
    /// The new password is not acceptable.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// The link is unknown, already used or expired.
    #[error("this password-reset link is invalid, already used or expired: ask for a new one")]
    InvalidToken,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}
from_store!(ResetPasswordError);
impl DomainError for ResetPasswordError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) | Self::InvalidToken => ErrorClass::Validation,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::InvalidToken => Some("token"),
            Self::Internal(_) => None,
        }
    }
}
