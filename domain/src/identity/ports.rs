//! Ports of the identity context. Adapters live in `infra`. Every tenant-scoped
//! method takes the [`Ctx`] first and confines itself to `ctx.tenant()`;
//! mutating methods write their [`AuditRecord`] in the same transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::api_keys::ApiKey;
use super::errors::StoreError;
use super::models::{
    AccessClaims, AuditEntry, AuditRecord, Email, GuestClaims, Invitation, InvitationStatus,
    Locale, Location, MembershipRef, Password, Permission, Role, StaffMember, Tenant, User,
    UserCredentials,
};
use crate::ctx::Ctx;
use crate::ids::{ApiKeyId, InvitationId, LocationId, RefreshTokenId, SessionId, UserId};
use crate::page::{Page, PageRequest};

/// Staff users (global: a login spans tenants).
#[async_trait]
pub trait UserRepository: Send + Sync {
    /// The user with this e-mail and their password hash.
    ///
    /// # Errors
    /// Storage failure.
    async fn find_by_email(&self, email: &Email) -> Result<Option<UserCredentials>, StoreError>;
    /// The memberships of a user in every tenant (for choosing one at login).
    ///
    /// # Errors
    /// Storage failure.
    async fn memberships(&self, user: UserId) -> Result<Vec<MembershipRef>, StoreError>;
    /// Changes a user's name and language; the audit record goes to `ctx.tenant()`.
    ///
    /// # Errors
    /// `NotFound`, storage failure.
    async fn update_profile(
        &self,
        ctx: &Ctx,
        user: UserId,
        display_name: &str,
        locale: Locale,
        audit: AuditRecord,
    ) -> Result<User, StoreError>;
    /// Replaces a user's password hash; the audit record goes to `ctx.tenant()`.
    ///
    /// # Errors
    /// `NotFound`, storage failure.
    async fn set_password(
        &self,
        ctx: &Ctx,
        user: UserId,
        password_hash: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
}

/// Failed-login bookkeeping for one login key (a digest of the e-mail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    /// Consecutive failures.
    pub failures: u32,
    /// When the last failure happened.
    pub last_failure_at: DateTime<Utc>,
    /// Locked until this time, if locked.
    pub locked_until: Option<DateTime<Utc>>,
}

/// Where failed logins are counted.
#[async_trait]
pub trait LoginThrottleStore: Send + Sync {
    /// The state of a key.
    ///
    /// # Errors
    /// Storage failure.
    async fn get(&self, key: &str) -> Result<Option<ThrottleState>, StoreError>;
    /// Replaces the state of a key.
    ///
    /// # Errors
    /// Storage failure.
    async fn put(&self, key: &str, state: ThrottleState) -> Result<(), StoreError>;
    /// Forgets a key after a successful login.
    ///
    /// # Errors
    /// Storage failure.
    async fn clear(&self, key: &str) -> Result<(), StoreError>;
}

/// Everything a new business starts with.
#[derive(Debug, Clone)]
pub struct NewTenantBundle {
    /// The tenant.
    pub tenant: Tenant,
    /// Its first location.
    pub location: Location,
    /// Its owner.
    pub owner: User,
    /// The owner's password hash.
    pub password_hash: String,
    /// Default permissions of each role.
    pub policies: Vec<(Role, Vec<Permission>)>,
}

/// Tenants.
#[async_trait]
pub trait TenantRepository: Send + Sync {
    /// Creates the tenant, its location, its owner (user + membership) and the
    /// default role policies, in one transaction.
    ///
    /// # Errors
    /// `Conflict("email")` when the owner's e-mail already has an account.
    async fn create_with_owner(
        &self,
        ctx: &Ctx,
        bundle: &NewTenantBundle,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// The caller's tenant.
    ///
    /// # Errors
    /// `NotFound`, storage failure.
    async fn get(&self, ctx: &Ctx) -> Result<Tenant, StoreError>;
}

/// Every tenant's id, for system jobs that run per tenant.
#[async_trait]
pub trait TenantDirectory: Send + Sync {
    /// Tenant ids after `after`, in id order.
    ///
    /// # Errors
    /// Storage failure.
    async fn tenant_ids(
        &self,
        after: Option<crate::ids::TenantId>,
        limit: u64,
    ) -> Result<Vec<crate::ids::TenantId>, StoreError>;
}

/// Staff memberships of the caller's tenant.
#[async_trait]
pub trait StaffRepository: Send + Sync {
    /// One staff member.
    ///
    /// # Errors
    /// `NotFound` when the user is not on this tenant's staff.
    async fn get(&self, ctx: &Ctx, user: UserId) -> Result<StaffMember, StoreError>;
    /// A page of staff, oldest member first.
    ///
    /// # Errors
    /// Storage failure.
    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<StaffMember>, StoreError>;
    /// How many active owners the tenant has.
    ///
    /// # Errors
    /// Storage failure.
    async fn count_active_owners(&self, ctx: &Ctx) -> Result<u64, StoreError>;
    /// Changes a member's role (and their role grant in the policy store).
    ///
    /// # Errors
    /// `NotFound`, storage failure.
    async fn set_role(
        &self,
        ctx: &Ctx,
        user: UserId,
        role: Role,
        audit: AuditRecord,
    ) -> Result<StaffMember, StoreError>;
    /// Activates or deactivates a member; deactivation removes their role grant
    /// and revokes their sessions in this tenant.
    ///
    /// # Errors
    /// `NotFound`, storage failure.
    async fn set_active(
        &self,
        ctx: &Ctx,
        user: UserId,
        active: bool,
        audit: AuditRecord,
    ) -> Result<StaffMember, StoreError>;
}

/// How an invitation is completed.
#[derive(Debug, Clone)]
pub enum Joiner {
    /// A new user account.
    NewUser {
        /// The new user.
        user: User,
        /// Their password hash.
        password_hash: String,
    },
    /// An existing account (password already verified).
    Existing(UserId),
}

/// Staff invitations.
#[async_trait]
pub trait InvitationRepository: Send + Sync {
    /// Stores a new invitation and revokes older pending ones for the same e-mail.
    ///
    /// # Errors
    /// Storage failure.
    async fn create(
        &self,
        ctx: &Ctx,
        inv: &Invitation,
        token_hash: &str,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// A page of invitations, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<Invitation>, StoreError>;
    /// One invitation.
    ///
    /// # Errors
    /// `NotFound`.
    async fn get(&self, ctx: &Ctx, id: InvitationId) -> Result<Invitation, StoreError>;
    /// The invitation with this token digest.
    ///
    /// # Errors
    /// Storage failure.
    async fn find_by_token(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<Invitation>, StoreError>;
    /// Sets the status of a pending invitation.
    ///
    /// # Errors
    /// `NotFound` (also when it is no longer pending).
    async fn set_status(
        &self,
        ctx: &Ctx,
        id: InvitationId,
        status: InvitationStatus,
        audit: AuditRecord,
    ) -> Result<Invitation, StoreError>;
    /// Marks a pending invitation accepted and adds the joiner to the staff with
    /// its role, in one transaction.
    ///
    /// # Errors
    /// `NotFound` if it is no longer pending, `Conflict("email")` for a new user
    /// whose e-mail got an account meanwhile, `Conflict("member")` if already on staff.
    async fn accept(
        &self,
        ctx: &Ctx,
        id: InvitationId,
        joiner: &Joiner,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
}

/// A refresh token to store.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    /// Its id.
    pub id: RefreshTokenId,
    /// Its session family.
    pub session: SessionId,
    /// Its user.
    pub user: UserId,
    /// The digest of the token (the token itself is never stored).
    pub token_hash: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// A stored refresh token.
#[derive(Debug, Clone)]
pub struct StoredRefreshToken {
    /// Its id.
    pub id: RefreshTokenId,
    /// Its session family.
    pub session: SessionId,
    /// Its user.
    pub user: UserId,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was exchanged, if it was.
    pub used_at: Option<DateTime<Utc>>,
    /// When its family was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Refresh tokens (rotating, single use, grouped in session families).
#[async_trait]
pub trait SessionRepository: Send + Sync {
    /// Stores the first token of a new session, with its audit record.
    ///
    /// # Errors
    /// Storage failure.
    async fn start(
        &self,
        ctx: &Ctx,
        token: &NewRefreshToken,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// Finds a token by digest.
    ///
    /// # Errors
    /// Storage failure.
    async fn find(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<StoredRefreshToken>, StoreError>;
    /// Marks `old` used and stores `next`, atomically. Returns false (and stores
    /// nothing) when `old` had already been used or revoked.
    ///
    /// # Errors
    /// Storage failure.
    async fn rotate(
        &self,
        ctx: &Ctx,
        old: RefreshTokenId,
        next: &NewRefreshToken,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Revokes every token of a user in the tenant (all their sessions there).
    ///
    /// # Errors
    /// Storage failure.
    async fn revoke_user(
        &self,
        ctx: &Ctx,
        user: UserId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Revokes every token of a session family (auditing it when a record is given).
    ///
    /// # Errors
    /// Storage failure.
    async fn revoke_family(
        &self,
        ctx: &Ctx,
        session: SessionId,
        at: DateTime<Utc>,
        audit: Option<AuditRecord>,
    ) -> Result<(), StoreError>;
}

/// Locations of the caller's tenant.
#[async_trait]
pub trait LocationRepository: Send + Sync {
    /// Stores a new location.
    ///
    /// # Errors
    /// `Conflict("name")` when the name is taken.
    async fn create(
        &self,
        ctx: &Ctx,
        location: &Location,
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
    /// Renames a location.
    ///
    /// # Errors
    /// `NotFound`, `Conflict("name")`.
    async fn rename(
        &self,
        ctx: &Ctx,
        id: LocationId,
        name: &str,
        audit: AuditRecord,
    ) -> Result<Location, StoreError>;
    /// One location.
    ///
    /// # Errors
    /// `NotFound`.
    async fn get(&self, ctx: &Ctx, id: LocationId) -> Result<Location, StoreError>;
    /// A page of locations, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn list(&self, ctx: &Ctx, page: PageRequest) -> Result<Page<Location>, StoreError>;
}

/// The tenant's role policies (what each role may do).
#[async_trait]
pub trait PolicyRepository: Send + Sync {
    /// The permissions of every role in the tenant.
    ///
    /// # Errors
    /// Storage failure.
    async fn role_permissions(&self, ctx: &Ctx)
    -> Result<Vec<(Role, Vec<Permission>)>, StoreError>;
    /// Replaces the permissions of one role in the tenant.
    ///
    /// # Errors
    /// Storage failure.
    async fn set_role_permissions(
        &self,
        ctx: &Ctx,
        role: Role,
        permissions: &[Permission],
        audit: AuditRecord,
    ) -> Result<(), StoreError>;
}

/// Whom a policy decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A staff user, through the role they hold in the tenant.
    User(UserId),
    /// An API key, through its scopes (granted to the key itself).
    ApiKey(ApiKeyId),
}

impl From<UserId> for Subject {
    fn from(u: UserId) -> Self {
        Self::User(u)
    }
}

/// Decides whether a user or an API key may do something in the context's tenant.
#[async_trait]
pub trait Authorizer: Send + Sync {
    /// Whether `subject` holds `permission` in `ctx.tenant()`.
    ///
    /// # Errors
    /// Policy store failure.
    async fn allowed(
        &self,
        ctx: &Ctx,
        subject: Subject,
        permission: Permission,
    ) -> Result<bool, StoreError>;
    /// Every permission `subject` holds in `ctx.tenant()`.
    ///
    /// # Errors
    /// Policy store failure.
    async fn permissions(&self, ctx: &Ctx, subject: Subject)
    -> Result<Vec<Permission>, StoreError>;
    /// Forgets cached policies of the tenant after they changed.
    fn invalidate(&self, ctx: &Ctx);
}

/// API keys of the caller's tenant. A key's scopes are also policy rules of the
/// tenant granted to [`Subject::ApiKey`], written in the same transaction as the
/// key: the authoriser checks keys like people.
#[async_trait]
pub trait ApiKeyRepository: Send + Sync {
    /// Stores a new key under the digest of its secret, grants its scopes to it,
    /// and writes the audit record, in one transaction. Returns the key as
    /// stored (with the creator's label filled in).
    ///
    /// # Errors
    /// Storage failure.
    async fn create(
        &self,
        ctx: &Ctx,
        key: &ApiKey,
        token_hash: &str,
        audit: AuditRecord,
    ) -> Result<ApiKey, StoreError>;
    /// Every key of the tenant (revoked ones too), oldest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn list(&self, ctx: &Ctx) -> Result<Vec<ApiKey>, StoreError>;
    /// One key.
    ///
    /// # Errors
    /// `NotFound`.
    async fn get(&self, ctx: &Ctx, id: ApiKeyId) -> Result<ApiKey, StoreError>;
    /// The key with this digest, revoked or not.
    ///
    /// # Errors
    /// Storage failure.
    async fn find_by_digest(
        &self,
        ctx: &Ctx,
        token_hash: &str,
    ) -> Result<Option<ApiKey>, StoreError>;
    /// Marks a key revoked at `at` and removes its policy rules, with the audit
    /// record, in one transaction; a key already revoked is left as it is.
    ///
    /// # Errors
    /// `NotFound`, storage failure.
    async fn revoke(
        &self,
        ctx: &Ctx,
        id: ApiKeyId,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<ApiKey, StoreError>;
    /// Sets the key's last-used time to `at` unless it is already after
    /// `unless_after` (a conditional write, so several processes write it at
    /// most once per interval).
    ///
    /// # Errors
    /// Storage failure.
    async fn record_use(
        &self,
        ctx: &Ctx,
        id: ApiKeyId,
        at: DateTime<Utc>,
        unless_after: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// A password-reset token to store (global: a person spans tenants).
#[derive(Debug, Clone)]
pub struct NewPasswordReset {
    /// Its id.
    pub id: uuid::Uuid,
    /// Whose password it resets.
    pub user: UserId,
    /// The digest of the token (the token itself is never stored).
    pub token_hash: String,
    /// When it was requested.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// A stored password-reset token, with its user.
#[derive(Debug, Clone)]
pub struct StoredPasswordReset {
    /// Its id.
    pub id: uuid::Uuid,
    /// Whose password it resets.
    pub user: UserId,
    /// Their e-mail (for the password rules).
    pub email: Email,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was used, if it was.
    pub used_at: Option<DateTime<Utc>>,
}

/// Single-use password-reset tokens (global table).
#[async_trait]
pub trait PasswordResetRepository: Send + Sync {
    /// Stores a new token.
    ///
    /// # Errors
    /// Storage failure.
    async fn create(&self, reset: &NewPasswordReset) -> Result<(), StoreError>;
    /// The token with this digest, used or not.
    ///
    /// # Errors
    /// Storage failure.
    async fn find(&self, token_hash: &str) -> Result<Option<StoredPasswordReset>, StoreError>;
    /// In one transaction: marks the token used if it is still unused and
    /// unexpired at `at` (a conditional update), sets the user's password hash
    /// and writes the audit record to `ctx.tenant()`. Returns false (and
    /// changes nothing) when the token was used or expired meanwhile.
    ///
    /// # Errors
    /// Storage failure.
    async fn complete(
        &self,
        ctx: &Ctx,
        id: uuid::Uuid,
        password_hash: &str,
        at: DateTime<Utc>,
        audit: AuditRecord,
    ) -> Result<bool, StoreError>;
}

/// Filters of the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this action (e.g. `staff.invite`).
    pub action: Option<String>,
    /// Only this actor.
    pub actor: Option<UserId>,
}

/// The audit log (written by the other repositories; read here).
#[async_trait]
pub trait AuditRepository: Send + Sync {
    /// A page of entries, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    async fn list(
        &self,
        ctx: &Ctx,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError>;
}

/// Password hashing (argon2id in production).
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    /// A PHC string for a new password.
    ///
    /// # Errors
    /// Hashing failure (message for logs).
    async fn hash(&self, password: &Password) -> Result<String, String>;
    /// Whether the password matches the PHC string. With `None`, verifies against
    /// a dummy hash so that unknown accounts take as long as known ones.
    async fn verify(&self, password: &Password, hash: Option<&str>) -> bool;
}

/// Why an access token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejection {
    /// Malformed, badly signed or for another audience.
    Invalid,
    /// Past its expiry.
    Expired,
}

/// Signs and verifies access tokens.
pub trait TokenCodec: Send + Sync {
    /// A signed token for the claims.
    ///
    /// # Errors
    /// Encoding failure (message for logs).
    fn encode(&self, claims: &AccessClaims) -> Result<String, String>;
    /// The claims of a valid token, as of `now` (unix seconds).
    ///
    /// # Errors
    /// See [`TokenRejection`].
    fn decode(&self, token: &str, now: i64) -> Result<AccessClaims, TokenRejection>;
    /// A signed guest token.
    ///
    /// # Errors
    /// Encoding failure (message for logs).
    fn encode_guest(&self, claims: &GuestClaims) -> Result<String, String>;
    /// The claims of a valid guest token (a staff token is `Invalid` here, and
    /// a guest token is `Invalid` for [`TokenCodec::decode`]).
    ///
    /// # Errors
    /// See [`TokenRejection`].
    fn decode_guest(&self, token: &str, now: i64) -> Result<GuestClaims, TokenRejection>;
}

/// Random opaque secrets and their digests.
pub trait SecretGenerator: Send + Sync {
    /// A new random URL-safe secret (at least 256 bits).
    fn generate(&self) -> String;
    /// A one-way digest of a secret, for storage and lookup.
    fn digest(&self, secret: &str) -> String;
    /// Fills `buf` with random bytes (card codes, QR payloads).
    fn fill_random(&self, buf: &mut [u8]);
}

/// An e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailMessage {
    /// The recipient.
    pub to: Email,
    /// The subject line.
    pub subject: String,
    /// The plain text body.
    pub text: String,
    /// The HTML body, if any (sent as the alternative to the text).
    pub html: Option<String>,
}

/// Why a message was not surely sent. The three cases differ in what a caller
/// may do next: only `NotSent` is safe to try again without risking a second copy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// Nothing was handed over: no connection, or the server answered "not now"
    /// (a 4xx reply). Trying again later cannot send it twice.
    #[error("not sent: {0}")]
    NotSent(String),
    /// The server refused it for good (a 5xx reply, a malformed address).
    #[error("refused: {0}")]
    Refused(String),
    /// The connection broke or timed out after the message may have been handed
    /// over: it may have been delivered.
    #[error("the answer was lost, the message may have been delivered: {0}")]
    Unknown(String),
}

/// Sends e-mail.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Sends one message.
    ///
    /// # Errors
    /// See [`MailError`].
    async fn send(&self, message: &EmailMessage) -> Result<(), MailError>;
}
