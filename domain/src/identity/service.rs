//! Identity use cases: sign-up, login with throttling, rotating refresh tokens,
//! invitations, staff roles, locations, role permissions and the audit log.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::errors::{
    AcceptInvitationError, AccessError, ChangePasswordError, InviteError, LocationError,
    LoginError, ProfileError, ReadError, RefreshError, RequestPasswordResetError,
    ResetPasswordError, RevokeInvitationError, RolePermissionsError, SignUpError, StaffChangeError,
    StoreError, SwitchTenantError,
};
use super::models::{
    AccessClaims, AuditEntry, AuditRecord, AuthSession, Email, Invitation, InvitationPreview,
    InvitationStatus, Locale, Location, MeView, Name, Password, Permission, Role, StaffMember,
    Tenant, TimeZoneName, User,
};
use super::ports::{
    ApiKeyRepository, AuditFilter, AuditRepository, Authorizer, InvitationRepository, Joiner,
    LocationRepository, LoginThrottleStore, Mailer, NewPasswordReset, NewRefreshToken,
    NewTenantBundle, PasswordHasher, PasswordResetRepository, PolicyRepository, SecretGenerator,
    SessionRepository, StaffRepository, Subject, TenantRepository, ThrottleState, TokenCodec,
    TokenRejection, UserRepository,
};
use crate::ctx::{Actor, Ctx, RequestMeta};
use crate::ids::{InvitationId, LocationId, RefreshTokenId, SessionId, TenantId, UserId};
use crate::money::Currency;
use crate::page::{Page, PageRequest};
use crate::ports::Clock;

/// Lifetimes and limits of sessions, invitations and login throttling.
#[derive(Debug, Clone)]
pub struct SessionPolicy {
    /// Access token lifetime (15 minutes).
    pub access_ttl: Duration,
    /// Refresh token lifetime (30 days).
    pub refresh_ttl: Duration,
    /// Invitation lifetime (7 days).
    pub invitation_ttl: Duration,
    /// Password-reset link lifetime (30 minutes).
    pub password_reset_ttl: Duration,
    /// Failures after which each further attempt must wait (3).
    pub throttle_after: u32,
    /// Failures after which the account locks (10).
    pub lock_after: u32,
    /// How long a lock lasts (15 minutes).
    pub lock_for: Duration,
    /// The panel's public URL, for links in e-mails.
    pub public_url: String,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            access_ttl: Duration::minutes(15),
            refresh_ttl: Duration::days(30),
            invitation_ttl: Duration::days(7),
            password_reset_ttl: Duration::minutes(30),
            throttle_after: 3,
            lock_after: 10,
            lock_for: Duration::minutes(15),
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// The adapters the identity service runs on.
#[derive(Clone)]
pub struct IdentityDeps {
    /// Users.
    pub users: Arc<dyn UserRepository>,
    /// Failed-login counters.
    pub throttle: Arc<dyn LoginThrottleStore>,
    /// Tenants.
    pub tenants: Arc<dyn TenantRepository>,
    /// Staff memberships.
    pub staff: Arc<dyn StaffRepository>,
    /// Invitations.
    pub invitations: Arc<dyn InvitationRepository>,
    /// Refresh tokens.
    pub sessions: Arc<dyn SessionRepository>,
    /// Password-reset tokens.
    pub password_resets: Arc<dyn PasswordResetRepository>,
    /// Locations.
    pub locations: Arc<dyn LocationRepository>,
    /// Role policies.
    pub policies: Arc<dyn PolicyRepository>,
    /// Authorisation decisions.
    pub authorizer: Arc<dyn Authorizer>,
    /// Partner API keys.
    pub api_keys: Arc<dyn ApiKeyRepository>,
    /// The audit log.
    pub audit: Arc<dyn AuditRepository>,
    /// Password hashing.
    pub hasher: Arc<dyn PasswordHasher>,
    /// Access tokens.
    pub tokens: Arc<dyn TokenCodec>,
    /// Opaque secrets.
    pub secrets: Arc<dyn SecretGenerator>,
    /// Outgoing mail.
    pub mailer: Arc<dyn Mailer>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// Input of [`IdentityService::sign_up`], as typed by the person.
#[derive(Debug, Clone)]
pub struct SignUp {
    /// The business's name.
    pub business_name: String,
    /// Its first location's name.
    pub location_name: String,
    /// The owner's name.
    pub display_name: String,
    /// The owner's e-mail.
    pub email: String,
    /// The owner's password.
    pub password: String,
    /// The business's currency.
    pub currency: Currency,
    /// The owner's language.
    pub locale: Locale,
}

/// Input of [`IdentityService::create_location`].
#[derive(Debug, Clone)]
pub struct NewLocation {
    /// Name, unique in the tenant.
    pub name: String,
    /// Street address.
    pub address: Option<String>,
    /// IANA time zone.
    pub timezone: String,
}

/// Token prefixes: opaque tokens that are presented without an access token
/// carry their tenant, so that lookups stay inside one tenant's rows.
const REFRESH_PREFIX: &str = "rt";
const INVITATION_PREFIX: &str = "inv";
/// Password-reset tokens are global (a person spans tenants): no tenant part.
const RESET_PREFIX: &str = "pwr_";

fn compose_token(prefix: &str, tenant: TenantId, secret: &str) -> String {
    format!("{prefix}_{}_{secret}", tenant.as_uuid().simple())
}

fn parse_token(prefix: &str, token: &str) -> Option<TenantId> {
    let rest = token.strip_prefix(prefix)?.strip_prefix('_')?;
    let (tenant, secret) = rest.split_once('_')?;
    if secret.len() < 32 {
        return None;
    }
    tenant.parse().ok()
}

/// The identity use cases.
pub struct IdentityService {
    pub(super) d: IdentityDeps,
    policy: SessionPolicy,
}

impl IdentityService {
    /// A service over its adapters.
    #[must_use]
    pub fn new(deps: IdentityDeps, policy: SessionPolicy) -> Self {
        Self { d: deps, policy }
    }

    /// The policy in force.
    #[must_use]
    pub fn policy(&self) -> &SessionPolicy {
        &self.policy
    }

    pub(super) fn now(&self) -> DateTime<Utc> {
        self.d.clock.now()
    }

    // ----- authentication -------------------------------------------------

    /// Builds the request context from an access token.
    ///
    /// # Errors
    /// `Unauthenticated` or `Expired`.
    pub fn authenticate(&self, access_token: &str, meta: RequestMeta) -> Result<Ctx, AccessError> {
        let claims = self
            .d
            .tokens
            .decode(access_token, self.now().timestamp())
            .map_err(|r| match r {
                TokenRejection::Invalid => AccessError::Unauthenticated,
                TokenRejection::Expired => AccessError::Expired,
            })?;
        Ok(Ctx::staff(claims.tenant, claims.user, claims.role, meta))
    }

    /// Builds a guest's context from a guest token (Mini App).
    ///
    /// # Errors
    /// `Unauthenticated` or `Expired`.
    pub fn authenticate_guest(&self, token: &str, meta: RequestMeta) -> Result<Ctx, AccessError> {
        let claims = self
            .d
            .tokens
            .decode_guest(token, self.now().timestamp())
            .map_err(|r| match r {
                TokenRejection::Invalid => AccessError::Unauthenticated,
                TokenRejection::Expired => AccessError::Expired,
            })?;
        Ok(Ctx::guest(claims.tenant, claims.guest, meta))
    }

    /// Checks that the context's actor holds `permission` in its tenant: a staff
    /// member through their role, an API key through its scopes.
    ///
    /// # Errors
    /// `Forbidden`, or `Unauthenticated` for an actor that is neither.
    pub async fn authorize(&self, ctx: &Ctx, permission: Permission) -> Result<(), AccessError> {
        let subject = subject_of(ctx).ok_or(AccessError::Unauthenticated)?;
        if self.d.authorizer.allowed(ctx, subject, permission).await? {
            Ok(())
        } else {
            Err(AccessError::Forbidden)
        }
    }

    /// Every permission the context's actor holds in its tenant now, in
    /// catalogue order: exactly the permissions [`Self::authorize`] grants.
    ///
    /// # Errors
    /// `Unauthenticated` for an actor that is neither staff nor an API key;
    /// `Internal` when the policy store fails.
    pub async fn permissions(&self, ctx: &Ctx) -> Result<Vec<Permission>, AccessError> {
        let subject = subject_of(ctx).ok_or(AccessError::Unauthenticated)?;
        Ok(self.d.authorizer.permissions(ctx, subject).await?)
    }

    async fn issue(
        &self,
        ctx: &Ctx,
        (user, tenant, role): (&User, &Tenant, Role),
        session: SessionId,
        (refresh, refresh_expires_at): (String, DateTime<Utc>),
    ) -> Result<AuthSession, String> {
        let now = self.now();
        let access_expires_at = now + self.policy.access_ttl;
        let claims = AccessClaims {
            user: user.id,
            tenant: tenant.id,
            role,
            session,
            issued_at: now.timestamp(),
            expires_at: access_expires_at.timestamp(),
        };
        let access_token = self.d.tokens.encode(&claims)?;
        let permissions = self
            .d
            .authorizer
            .permissions(ctx, user.id.into())
            .await
            .map_err(|e| e.to_string())?;
        Ok(AuthSession {
            access_token,
            access_expires_at,
            refresh_token: refresh,
            refresh_expires_at,
            me: MeView {
                user: user.clone(),
                tenant: tenant.clone(),
                role,
                permissions,
            },
        })
    }

    async fn start_session(
        &self,
        ctx: &Ctx,
        user: &User,
        role: Role,
        how: &'static str,
    ) -> Result<AuthSession, String> {
        let tenant = self.d.tenants.get(ctx).await.map_err(|e| e.to_string())?;
        let secret = self.d.secrets.generate();
        let token = compose_token(REFRESH_PREFIX, tenant.id, &secret);
        let new = NewRefreshToken {
            id: RefreshTokenId::new(),
            session: SessionId::new(),
            user: user.id,
            token_hash: self.d.secrets.digest(&token),
            expires_at: self.now() + self.policy.refresh_ttl,
        };
        let audit = with_label(
            AuditRecord::new("auth.session_start", "session", new.session)
                .details(json!({ "method": how, "user": user.id.to_string() })),
            &user.email,
        );
        self.d
            .sessions
            .start(ctx, &new, audit)
            .await
            .map_err(|e| e.to_string())?;
        self.issue(
            ctx,
            (user, &tenant, role),
            new.session,
            (token, new.expires_at),
        )
        .await
    }

    /// Creates a business with its first location and its owner, and signs the owner in.
    ///
    /// # Errors
    /// See [`SignUpError`].
    pub async fn sign_up(
        &self,
        input: SignUp,
        meta: RequestMeta,
    ) -> Result<AuthSession, SignUpError> {
        let business = Name::parse(&input.business_name, "businessName", 120)?;
        let location_name = Name::parse(&input.location_name, "locationName", 120)?;
        let display_name = Name::parse(&input.display_name, "displayName", 100)?;
        let email = Email::parse(&input.email)?;
        let password = Password::new_checked(&input.password, Some(&email))?;
        if self.d.users.find_by_email(&email).await?.is_some() {
            return Err(SignUpError::EmailTaken);
        }
        let now = self.now();
        let tenant = Tenant {
            id: TenantId::new(),
            name: business.to_string(),
            currency: input.currency,
            created_at: now,
        };
        let owner = User {
            id: UserId::new(),
            email,
            display_name: display_name.to_string(),
            locale: input.locale,
        };
        let location = Location {
            id: LocationId::new(),
            name: location_name.to_string(),
            address: None,
            timezone: match input.currency {
                Currency::Kzt => "Asia/Almaty".into(),
                Currency::Rub => "Europe/Moscow".into(),
            },
            created_at: now,
        };
        let password_hash = self
            .d
            .hasher
            .hash(&password)
            .await
            .map_err(SignUpError::Internal)?;
        let ctx = Ctx::staff(tenant.id, owner.id, Role::Owner, meta);
        let bundle = NewTenantBundle {
            tenant: tenant.clone(),
            location,
            owner: owner.clone(),
            password_hash,
            policies: Role::ALL
                .iter()
                .map(|r| (*r, r.default_permissions()))
                .collect(),
        };
        let audit = AuditRecord::new("tenant.sign_up", "tenant", tenant.id)
            .details(json!({ "name": tenant.name, "currency": tenant.currency.code() }));
        match self
            .d
            .tenants
            .create_with_owner(&ctx, &bundle, with_label(audit, &owner.email))
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(SignUpError::EmailTaken),
            Err(e) => return Err(e.into()),
        }
        self.start_session(&ctx, &owner, Role::Owner, "sign_up")
            .await
            .map_err(SignUpError::Internal)
    }

    fn throttle_key(&self, email: &Email) -> String {
        self.d.secrets.digest(&format!("login:{email}"))
    }

    fn check_throttle(
        &self,
        state: Option<ThrottleState>,
        now: DateTime<Utc>,
    ) -> Result<(), LoginError> {
        let Some(s) = state else { return Ok(()) };
        let wait_until = if let Some(until) = s.locked_until {
            Some(until)
        } else if s.failures >= self.policy.throttle_after {
            let exp = (s.failures - self.policy.throttle_after).min(6);
            Some(s.last_failure_at + Duration::seconds(1_i64 << exp))
        } else {
            None
        };
        match wait_until {
            Some(until) if until > now => {
                let secs = u64::try_from((until - now).num_seconds())
                    .unwrap_or(0)
                    .max(1);
                Err(LoginError::Throttled {
                    retry_after_secs: secs,
                })
            }
            _ => Ok(()),
        }
    }

    /// The throttle state after one more counted attempt.
    fn next_failure(&self, state: Option<ThrottleState>, now: DateTime<Utc>) -> ThrottleState {
        let failures = match state {
            Some(s) if s.locked_until.is_some_and(|u| u <= now) => 1,
            Some(s) => s.failures.saturating_add(1),
            None => 1,
        };
        let locked_until = (failures >= self.policy.lock_after).then(|| now + self.policy.lock_for);
        ThrottleState {
            failures,
            last_failure_at: now,
            locked_until,
        }
    }

    /// Signs a staff member in with e-mail and password. Failed attempts for an
    /// e-mail (known or not) slow down and then lock further attempts; the error
    /// never tells whether the e-mail has an account.
    ///
    /// # Errors
    /// See [`LoginError`].
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        tenant: Option<TenantId>,
        meta: RequestMeta,
    ) -> Result<AuthSession, LoginError> {
        let email = Email::parse(email)?;
        let creds = self
            .check_password(&email, &Password::presented(password))
            .await?;
        let membership = self
            .d
            .users
            .memberships(creds.user.id)
            .await?
            .into_iter()
            .filter(|m| m.active && tenant.is_none_or(|t| t == m.tenant))
            .max_by_key(|m| m.joined_at)
            .ok_or(LoginError::NoActiveMembership)?;
        let ctx = Ctx::staff(membership.tenant, creds.user.id, membership.role, meta);
        self.start_session(&ctx, &creds.user, membership.role, "login")
            .await
            .map_err(LoginError::Internal)
    }

    /// Verifies a password under the login throttle: failures for the e-mail
    /// (known or not) are counted; too many slow down, then lock.
    async fn check_password(
        &self,
        email: &Email,
        password: &Password,
    ) -> Result<super::models::UserCredentials, LoginError> {
        let key = self.throttle_key(email);
        let now = self.now();
        let state = self.d.throttle.get(&key).await?;
        self.check_throttle(state, now)?;
        let creds = self.d.users.find_by_email(email).await?;
        let ok = self
            .d
            .hasher
            .verify(password, creds.as_ref().map(|c| c.password_hash.as_str()))
            .await;
        let Some(creds) = creds.filter(|_| ok) else {
            self.d
                .throttle
                .put(&key, self.next_failure(state, now))
                .await?;
            return Err(LoginError::InvalidCredentials);
        };
        self.d.throttle.clear(&key).await?;
        Ok(creds)
    }

    /// The businesses where the caller is active staff, with their role in each.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn my_tenants(&self, ctx: &Ctx) -> Result<Vec<(Tenant, Role)>, ReadError> {
        let user = ctx.actor().user_id().ok_or(ReadError::NotFound)?;
        let mut out = Vec::new();
        for m in self.d.users.memberships(user).await? {
            if m.active {
                out.push((self.d.tenants.get(&Ctx::system(m.tenant)).await?, m.role));
            }
        }
        out.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Ok(out)
    }

    /// Starts a session in another business where the caller is active staff.
    ///
    /// # Errors
    /// `NotFound` when the caller is not active staff there (never says more).
    pub async fn switch_tenant(
        &self,
        ctx: &Ctx,
        tenant: TenantId,
    ) -> Result<AuthSession, SwitchTenantError> {
        let user = ctx.actor().user_id().ok_or(SwitchTenantError::NotFound)?;
        let target = Ctx::system(tenant);
        let member = match self.d.staff.get(&target, user).await {
            Ok(m) if m.active => m,
            Ok(_) | Err(StoreError::NotFound) => return Err(SwitchTenantError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let next = Ctx::staff(tenant, user, member.role, ctx.meta().clone());
        self.start_session(&next, &member.user, member.role, "switch_tenant")
            .await
            .map_err(SwitchTenantError::Internal)
    }

    /// Changes the caller's name and/or interface language.
    ///
    /// # Errors
    /// See [`ProfileError`].
    pub async fn update_profile(
        &self,
        ctx: &Ctx,
        display_name: Option<&str>,
        locale: Option<Locale>,
    ) -> Result<User, ProfileError> {
        let user = ctx.actor().user_id().ok_or(ProfileError::NotFound)?;
        let current = match self.d.staff.get(ctx, user).await {
            Ok(m) if m.active => m,
            Ok(_) | Err(StoreError::NotFound) => return Err(ProfileError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let name = match display_name {
            Some(n) => Name::parse(n, "displayName", 100)?.to_string(),
            None => current.user.display_name.clone(),
        };
        let locale = locale.unwrap_or(current.user.locale);
        let audit = AuditRecord::new("user.update_profile", "user", user)
            .details(json!({
                "before": { "displayName": current.user.display_name, "locale": current.user.locale.code() },
                "after": { "displayName": name, "locale": locale.code() },
            }));
        Ok(self
            .d
            .users
            .update_profile(ctx, user, &name, locale, audit)
            .await?)
    }

    /// Changes the caller's password after checking the current one (under the
    /// login throttle), ends every other session of theirs in every business,
    /// and returns a fresh session here.
    ///
    /// # Errors
    /// See [`ChangePasswordError`].
    pub async fn change_password(
        &self,
        ctx: &Ctx,
        current: &str,
        new: &str,
    ) -> Result<AuthSession, ChangePasswordError> {
        let user = ctx.actor().user_id().ok_or(ChangePasswordError::NotFound)?;
        let member = match self.d.staff.get(ctx, user).await {
            Ok(m) if m.active => m,
            Ok(_) | Err(StoreError::NotFound) => return Err(ChangePasswordError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let email = member.user.email.clone();
        self.check_password(&email, &Password::presented(current))
            .await
            .map_err(|e| match e {
                LoginError::InvalidCredentials => ChangePasswordError::WrongPassword,
                LoginError::Throttled { retry_after_secs } => {
                    ChangePasswordError::Throttled { retry_after_secs }
                }
                other => ChangePasswordError::Internal(other.to_string()),
            })?;
        let password = Password::new_checked(new, Some(&email)).map_err(|mut v| {
            v.field = "newPassword";
            ChangePasswordError::Invalid(v)
        })?;
        if new == current {
            return Err(ChangePasswordError::Invalid(super::models::InvalidValue {
                field: "newPassword",
                message: "choose a password different from the current one".into(),
            }));
        }
        let hash = self
            .d
            .hasher
            .hash(&password)
            .await
            .map_err(ChangePasswordError::Internal)?;
        let audit = AuditRecord::new("user.change_password", "user", user);
        self.d.users.set_password(ctx, user, &hash, audit).await?;
        let now = self.now();
        for m in self.d.users.memberships(user).await? {
            self.d
                .sessions
                .revoke_user(&Ctx::system(m.tenant), user, now)
                .await?;
        }
        self.start_session(ctx, &member.user, member.role, "password_change")
            .await
            .map_err(ChangePasswordError::Internal)
    }

    /// E-mails a single-use password-reset link to the account with this
    /// e-mail, if there is one. The answer is the same whether or not there is
    /// (a failed send is the mailer's to log, not the caller's to learn);
    /// requests for an e-mail are throttled like failed logins.
    ///
    /// # Errors
    /// See [`RequestPasswordResetError`].
    pub async fn request_password_reset(
        &self,
        email: &str,
    ) -> Result<(), RequestPasswordResetError> {
        let email = Email::parse(email)?;
        let key = self.d.secrets.digest(&format!("reset:{email}"));
        let now = self.now();
        let state = self.d.throttle.get(&key).await?;
        self.check_throttle(state, now).map_err(|e| match e {
            LoginError::Throttled { retry_after_secs } => {
                RequestPasswordResetError::Throttled { retry_after_secs }
            }
            other => RequestPasswordResetError::Internal(other.to_string()),
        })?;
        self.d
            .throttle
            .put(&key, self.next_failure(state, now))
            .await?;
        let Some(creds) = self.d.users.find_by_email(&email).await? else {
            return Ok(());
        };
        let token = format!("{RESET_PREFIX}{}", self.d.secrets.generate());
        let reset = NewPasswordReset {
            id: uuid::Uuid::now_v7(),
            user: creds.user.id,
            token_hash: self.d.secrets.digest(&token),
            created_at: now,
            expires_at: now + self.policy.password_reset_ttl,
        };
        self.d.password_resets.create(&reset).await?;
        let link = format!(
            "{}/reset-password?token={token}",
            self.policy.public_url.trim_end_matches('/')
        );
        let message = super::mail::password_reset(
            email,
            creds.user.locale,
            &super::mail::PasswordResetMail {
                name: &creds.user.display_name,
                link: &link,
                expires_at: reset.expires_at,
            },
        );
        let _ = self.d.mailer.send(&message).await;
        Ok(())
    }

    /// Sets a new password with a reset link's token (once, before it
    /// expires), ends every session of the person in every business, and
    /// audits the reset in their most recent business.
    ///
    /// # Errors
    /// See [`ResetPasswordError`].
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: &str,
        meta: RequestMeta,
    ) -> Result<(), ResetPasswordError> {
        if !token.starts_with(RESET_PREFIX) || token.len() < RESET_PREFIX.len() + 32 {
            return Err(ResetPasswordError::InvalidToken);
        }
        let stored = self
            .d
            .password_resets
            .find(&self.d.secrets.digest(token))
            .await?
            .ok_or(ResetPasswordError::InvalidToken)?;
        let now = self.now();
        if stored.used_at.is_some() || stored.expires_at <= now {
            return Err(ResetPasswordError::InvalidToken);
        }
        let password =
            Password::new_checked(new_password, Some(&stored.email)).map_err(|mut v| {
                v.field = "newPassword";
                ResetPasswordError::Invalid(v)
            })?;
        let hash = self
            .d
            .hasher
            .hash(&password)
            .await
            .map_err(ResetPasswordError::Internal)?;
        let memberships = self.d.users.memberships(stored.user).await?;
        let home = memberships
            .iter()
            .max_by_key(|m| (m.active, m.joined_at))
            .map(|m| m.tenant)
            .ok_or_else(|| ResetPasswordError::Internal("a user without a membership".into()))?;
        let ctx = Ctx::person(home, stored.user, meta);
        let audit = with_label(
            AuditRecord::new("auth.password_reset", "user", stored.user)
                .details(json!({ "user": stored.user.to_string(), "sessions": "all ended" })),
            &stored.email,
        );
        if !self
            .d
            .password_resets
            .complete(&ctx, stored.id, &hash, now, audit)
            .await?
        {
            return Err(ResetPasswordError::InvalidToken);
        }
        for m in &memberships {
            self.d
                .sessions
                .revoke_user(&Ctx::system(m.tenant), stored.user, now)
                .await?;
        }
        // A person locked out by failed logins gets back in with the new password.
        self.d
            .throttle
            .clear(&self.throttle_key(&stored.email))
            .await?;
        Ok(())
    }

    /// Exchanges a refresh token for a new pair. A token works once: presenting
    /// a used one revokes its whole session family.
    ///
    /// # Errors
    /// See [`RefreshError`].
    pub async fn refresh(
        &self,
        refresh_token: &str,
        meta: RequestMeta,
    ) -> Result<AuthSession, RefreshError> {
        let tenant =
            parse_token(REFRESH_PREFIX, refresh_token).ok_or(RefreshError::InvalidToken)?;
        let sys = Ctx::system(tenant);
        let stored = self
            .d
            .sessions
            .find(&sys, &self.d.secrets.digest(refresh_token))
            .await?
            .ok_or(RefreshError::InvalidToken)?;
        let now = self.now();
        if stored.revoked_at.is_some() || stored.expires_at <= now {
            return Err(RefreshError::InvalidToken);
        }
        if stored.used_at.is_some() {
            self.d
                .sessions
                .revoke_family(&sys, stored.session, now, Some(reuse_audit(&stored)))
                .await?;
            return Err(RefreshError::Reused);
        }
        let member = match self.d.staff.get(&sys, stored.user).await {
            Ok(m) if m.active => m,
            Ok(_) | Err(StoreError::NotFound) => {
                self.d
                    .sessions
                    .revoke_family(&sys, stored.session, now, None)
                    .await?;
                return Err(RefreshError::InvalidToken);
            }
            Err(e) => return Err(e.into()),
        };
        let token = compose_token(REFRESH_PREFIX, tenant, &self.d.secrets.generate());
        let next = NewRefreshToken {
            id: RefreshTokenId::new(),
            session: stored.session,
            user: stored.user,
            token_hash: self.d.secrets.digest(&token),
            expires_at: now + self.policy.refresh_ttl,
        };
        if !self.d.sessions.rotate(&sys, stored.id, &next, now).await? {
            // Lost a race with another exchange of the same token: that is reuse.
            self.d
                .sessions
                .revoke_family(&sys, stored.session, now, Some(reuse_audit(&stored)))
                .await?;
            return Err(RefreshError::Reused);
        }
        let ctx = Ctx::staff(tenant, stored.user, member.role, meta);
        let tenant_row = self.d.tenants.get(&ctx).await?;
        self.issue(
            &ctx,
            (&member.user, &tenant_row, member.role),
            stored.session,
            (token, next.expires_at),
        )
        .await
        .map_err(RefreshError::Internal)
    }

    /// Ends the session of a refresh token (its whole family). Unknown tokens
    /// are ignored so that logging out twice is harmless.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn logout(&self, refresh_token: &str, meta: RequestMeta) -> Result<(), RefreshError> {
        let Some(tenant) = parse_token(REFRESH_PREFIX, refresh_token) else {
            return Ok(());
        };
        let sys = Ctx::system(tenant);
        if let Some(stored) = self
            .d
            .sessions
            .find(&sys, &self.d.secrets.digest(refresh_token))
            .await?
            && stored.revoked_at.is_none()
        {
            let ctx = Ctx::person(tenant, stored.user, meta);
            // The adapter labels the record with the person's e-mail.
            let audit = AuditRecord::new("auth.logout", "session", stored.session)
                .details(json!({ "user": stored.user.to_string() }));
            self.d
                .sessions
                .revoke_family(&ctx, stored.session, self.now(), Some(audit))
                .await?;
        }
        Ok(())
    }

    /// The caller, their tenant, role and permissions.
    ///
    /// # Errors
    /// `Unauthenticated` when the caller is no longer active staff.
    pub async fn me(&self, ctx: &Ctx) -> Result<MeView, AccessError> {
        let user = ctx.actor().user_id().ok_or(AccessError::Unauthenticated)?;
        let member = match self.d.staff.get(ctx, user).await {
            Ok(m) if m.active => m,
            Ok(_) | Err(StoreError::NotFound) => return Err(AccessError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        let tenant = self.d.tenants.get(ctx).await?;
        let permissions = self.d.authorizer.permissions(ctx, user.into()).await?;
        Ok(MeView {
            user: member.user,
            tenant,
            role: member.role,
            permissions,
        })
    }

    /// The caller's tenant.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn tenant(&self, ctx: &Ctx) -> Result<Tenant, ReadError> {
        Ok(self.d.tenants.get(ctx).await?)
    }

    // ----- staff ------------------------------------------------------------

    async fn actor_role(&self, ctx: &Ctx) -> Result<Role, StoreError> {
        match ctx.actor() {
            Actor::Staff(u) => Ok(self.d.staff.get(ctx, u).await?.role),
            Actor::System => Ok(Role::Owner),
            // Not a person: never counted as an owner (keys cannot hold
            // `staff:manage` anyway, and guests reach no staff operation).
            Actor::ApiKey(_) | Actor::Guest(_) => Ok(Role::Cashier),
        }
    }

    /// Invites someone to the staff with a role and e-mails them a link.
    ///
    /// # Errors
    /// See [`InviteError`].
    pub async fn invite_staff(
        &self,
        ctx: &Ctx,
        email: &str,
        role: Role,
    ) -> Result<Invitation, InviteError> {
        let email = Email::parse(email)?;
        if role == Role::Owner && self.actor_role(ctx).await? != Role::Owner {
            return Err(InviteError::OwnerOnly);
        }
        let existing = self.d.users.find_by_email(&email).await?;
        if let Some(creds) = &existing {
            match self.d.staff.get(ctx, creds.user.id).await {
                Ok(_) => return Err(InviteError::AlreadyMember),
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
        }
        // The invitee's language when they already have an account, else the
        // inviter's (tenants have no language of their own), else Russian.
        let locale = match (&existing, ctx.actor()) {
            (Some(creds), _) => creds.user.locale,
            (None, Actor::Staff(u)) => match self.d.staff.get(ctx, u).await {
                Ok(m) => m.user.locale,
                Err(StoreError::NotFound) => Locale::default(),
                Err(e) => return Err(e.into()),
            },
            (None, _) => Locale::default(),
        };
        let now = self.now();
        let invitation = Invitation {
            id: InvitationId::new(),
            email: email.clone(),
            role,
            status: InvitationStatus::Pending,
            expires_at: now + self.policy.invitation_ttl,
            created_at: now,
        };
        let token = compose_token(INVITATION_PREFIX, ctx.tenant(), &self.d.secrets.generate());
        let audit = AuditRecord::new("staff.invite", "invitation", invitation.id)
            .details(json!({ "email": email.as_ref(), "role": role.as_str() }));
        self.d
            .invitations
            .create(ctx, &invitation, &self.d.secrets.digest(&token), audit)
            .await?;
        let tenant = self.d.tenants.get(ctx).await?;
        let link = format!(
            "{}/accept-invitation?token={token}",
            self.policy.public_url.trim_end_matches('/')
        );
        let message = super::mail::invitation(
            email,
            locale,
            &super::mail::InvitationMail {
                business: &tenant.name,
                role,
                link: &link,
                expires_at: invitation.expires_at,
            },
        );
        if let Err(e) = self.d.mailer.send(&message).await {
            // The invitation stands; it can be sent again by inviting the same e-mail.
            return Err(InviteError::Internal(format!(
                "invitation stored but e-mail not sent: {e}"
            )));
        }
        Ok(invitation)
    }

    /// Lists invitations.
    ///
    /// # Errors
    /// See [`ReadError`].
    pub async fn invitations(
        &self,
        ctx: &Ctx,
        page: PageRequest,
    ) -> Result<Page<Invitation>, ReadError> {
        let now = self.now();
        Ok(self.d.invitations.list(ctx, page).await?.map(|mut i| {
            i.status = i.status_at(now);
            i
        }))
    }

    /// Withdraws a pending invitation.
    ///
    /// # Errors
    /// See [`RevokeInvitationError`].
    pub async fn revoke_invitation(
        &self,
        ctx: &Ctx,
        id: InvitationId,
    ) -> Result<Invitation, RevokeInvitationError> {
        let inv = self.d.invitations.get(ctx, id).await?;
        if inv.status_at(self.now()) != InvitationStatus::Pending {
            return Err(RevokeInvitationError::NotPending);
        }
        if inv.role == Role::Owner && self.actor_role(ctx).await? != Role::Owner {
            return Err(RevokeInvitationError::OwnerOnly);
        }
        let audit = AuditRecord::new("staff.invitation_revoke", "invitation", id);
        Ok(self
            .d
            .invitations
            .set_status(ctx, id, InvitationStatus::Revoked, audit)
            .await?)
    }

    async fn pending_invitation(
        &self,
        token: &str,
    ) -> Result<(Ctx, Invitation), AcceptInvitationError> {
        let tenant =
            parse_token(INVITATION_PREFIX, token).ok_or(AcceptInvitationError::NotFound)?;
        let sys = Ctx::system(tenant);
        let inv = self
            .d
            .invitations
            .find_by_token(&sys, &self.d.secrets.digest(token))
            .await?
            .ok_or(AcceptInvitationError::NotFound)?;
        match inv.status_at(self.now()) {
            InvitationStatus::Pending => Ok((sys, inv)),
            InvitationStatus::Expired => Err(AcceptInvitationError::Expired),
            InvitationStatus::Accepted | InvitationStatus::Revoked => {
                Err(AcceptInvitationError::NotFound)
            }
        }
    }

    /// What an invitation link invites to (public: the token is the credential).
    ///
    /// # Errors
    /// `NotFound`, `Expired`.
    pub async fn invitation_preview(
        &self,
        token: &str,
    ) -> Result<InvitationPreview, AcceptInvitationError> {
        let (sys, inv) = self.pending_invitation(token).await?;
        let tenant = self.d.tenants.get(&sys).await?;
        Ok(InvitationPreview {
            email: inv.email,
            role: inv.role,
            tenant_name: tenant.name,
            expires_at: inv.expires_at,
        })
    }

    /// Completes an invitation: creates the account (or joins an existing one
    /// whose password is given) and signs in.
    ///
    /// # Errors
    /// See [`AcceptInvitationError`].
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: &str,
        display_name: &str,
        meta: RequestMeta,
    ) -> Result<AuthSession, AcceptInvitationError> {
        let (sys, inv) = self.pending_invitation(token).await?;
        let existing = self.d.users.find_by_email(&inv.email).await?;
        let (user, joiner) = match existing {
            Some(_) => {
                // The same throttle as login: an invitation link must not allow
                // unlimited guesses at an existing account's password.
                let creds = self
                    .check_password(&inv.email, &Password::presented(password))
                    .await
                    .map_err(|e| match e {
                        LoginError::InvalidCredentials => AcceptInvitationError::WrongPassword,
                        LoginError::Throttled { retry_after_secs } => {
                            AcceptInvitationError::Throttled { retry_after_secs }
                        }
                        other => AcceptInvitationError::Internal(other.to_string()),
                    })?;
                let id = creds.user.id;
                (creds.user, Joiner::Existing(id))
            }
            None => {
                let name = Name::parse(display_name, "displayName", 100)?;
                let password = Password::new_checked(password, Some(&inv.email))?;
                let user = User {
                    id: UserId::new(),
                    email: inv.email.clone(),
                    display_name: name.to_string(),
                    locale: Locale::Ru,
                };
                let password_hash = self
                    .d
                    .hasher
                    .hash(&password)
                    .await
                    .map_err(AcceptInvitationError::Internal)?;
                (
                    user.clone(),
                    Joiner::NewUser {
                        user,
                        password_hash,
                    },
                )
            }
        };
        let ctx = Ctx::staff(sys.tenant(), user.id, inv.role, meta);
        let audit = with_label(
            AuditRecord::new("staff.join", "user", user.id)
                .details(json!({ "invitation": inv.id.to_string(), "role": inv.role.as_str() })),
            &user.email,
        );
        match self
            .d
            .invitations
            .accept(&ctx, inv.id, &joiner, audit)
            .await
        {
            Ok(()) => {}
            Err(StoreError::NotFound) => return Err(AcceptInvitationError::NotFound),
            Err(StoreError::Conflict("member")) => {
                return Err(AcceptInvitationError::AlreadyMember);
            }
            Err(StoreError::Conflict(_)) => return Err(AcceptInvitationError::WrongPassword),
            Err(e) => return Err(e.into()),
        }
        self.d.authorizer.invalidate(&ctx);
        self.start_session(&ctx, &user, inv.role, "invitation")
            .await
            .map_err(AcceptInvitationError::Internal)
    }

    /// Adds a staff member with a password directly (system use only: demo data
    /// and operator tools; people are invited instead). Recorded as an invitation
    /// accepted at once.
    ///
    /// # Errors
    /// See [`AcceptInvitationError`].
    pub async fn add_staff_with_password(
        &self,
        ctx: &Ctx,
        email: &str,
        display_name: &str,
        password: &str,
        role: Role,
    ) -> Result<UserId, AcceptInvitationError> {
        if ctx.actor() != Actor::System {
            return Err(AcceptInvitationError::NotFound);
        }
        let email = Email::parse(email)?;
        let name = Name::parse(display_name, "displayName", 100)?;
        let password = Password::new_checked(password, Some(&email))?;
        if self.d.users.find_by_email(&email).await?.is_some() {
            // Existing accounts join through an invitation they accept themselves.
            return Err(AcceptInvitationError::Invalid(
                super::models::InvalidValue {
                    field: "email",
                    message: "this e-mail already has an account: invite it instead".into(),
                },
            ));
        }
        let now = self.now();
        let inv = Invitation {
            id: InvitationId::new(),
            email: email.clone(),
            role,
            status: InvitationStatus::Pending,
            expires_at: now + self.policy.invitation_ttl,
            created_at: now,
        };
        let digest = self.d.secrets.digest(&self.d.secrets.generate());
        let record = AuditRecord::new("staff.invite", "invitation", inv.id)
            .details(json!({ "email": email.as_ref(), "role": role.as_str() }));
        self.d
            .invitations
            .create(ctx, &inv, &digest, record)
            .await?;
        let user = User {
            id: UserId::new(),
            email,
            display_name: name.to_string(),
            locale: Locale::Ru,
        };
        let password_hash = self
            .d
            .hasher
            .hash(&password)
            .await
            .map_err(AcceptInvitationError::Internal);
        let accepted = match password_hash {
            Ok(password_hash) => {
                let audit = AuditRecord::new("staff.join", "user", user.id)
                    .details(json!({ "invitation": inv.id.to_string(), "role": role.as_str() }));
                let joiner = Joiner::NewUser {
                    user: user.clone(),
                    password_hash,
                };
                self.d
                    .invitations
                    .accept(ctx, inv.id, &joiner, audit)
                    .await
                    .map_err(Into::into)
            }
            Err(e) => Err(e),
        };
        if let Err(e) = accepted {
            // Leave no pending invitation whose token nobody holds.
            let record = AuditRecord::new("staff.invitation_revoke", "invitation", inv.id);
            let _ = self
                .d
                .invitations
                .set_status(ctx, inv.id, InvitationStatus::Revoked, record)
                .await;
            return Err(e);
        }
        self.d.authorizer.invalidate(ctx);
        Ok(user.id)
    }

    /// Lists staff.
    ///
    /// # Errors
    /// See [`ReadError`].
    pub async fn staff(
        &self,
        ctx: &Ctx,
        page: PageRequest,
    ) -> Result<Page<StaffMember>, ReadError> {
        Ok(self.d.staff.list(ctx, page).await?)
    }

    /// One staff member.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn staff_member(&self, ctx: &Ctx, user: UserId) -> Result<StaffMember, ReadError> {
        Ok(self.d.staff.get(ctx, user).await?)
    }

    async fn guard_staff_change(
        &self,
        ctx: &Ctx,
        target: &StaffMember,
        new_role: Option<Role>,
    ) -> Result<(), StaffChangeError> {
        if ctx.actor().user_id() == Some(target.user.id) {
            return Err(StaffChangeError::SelfChange);
        }
        let actor_role = self.actor_role(ctx).await?;
        let touches_owner = target.role == Role::Owner || new_role == Some(Role::Owner);
        if touches_owner && actor_role != Role::Owner {
            return Err(StaffChangeError::OwnerOnly);
        }
        let loses_owner =
            target.role == Role::Owner && target.active && new_role != Some(Role::Owner);
        if loses_owner && self.d.staff.count_active_owners(ctx).await? <= 1 {
            return Err(StaffChangeError::LastOwner);
        }
        Ok(())
    }

    /// Changes a staff member's role. Applies from their next request.
    ///
    /// # Errors
    /// See [`StaffChangeError`].
    pub async fn change_staff_role(
        &self,
        ctx: &Ctx,
        user: UserId,
        role: Role,
    ) -> Result<StaffMember, StaffChangeError> {
        let target = self.d.staff.get(ctx, user).await?;
        if target.role == role {
            return Ok(target);
        }
        self.guard_staff_change(ctx, &target, Some(role)).await?;
        let audit = AuditRecord::new("staff.role_change", "user", user)
            .details(json!({ "before": target.role.as_str(), "after": role.as_str() }));
        let member = self.d.staff.set_role(ctx, user, role, audit).await?;
        self.d.authorizer.invalidate(ctx);
        Ok(member)
    }

    /// Deactivates or reactivates a staff member. Deactivation ends their sessions
    /// here and takes effect on their next request.
    ///
    /// # Errors
    /// See [`StaffChangeError`].
    pub async fn set_staff_active(
        &self,
        ctx: &Ctx,
        user: UserId,
        active: bool,
    ) -> Result<StaffMember, StaffChangeError> {
        let target = self.d.staff.get(ctx, user).await?;
        if target.active == active {
            return Ok(target);
        }
        self.guard_staff_change(ctx, &target, if active { Some(target.role) } else { None })
            .await?;
        let action = if active {
            "staff.reactivate"
        } else {
            "staff.deactivate"
        };
        let audit = AuditRecord::new(action, "user", user);
        let member = self.d.staff.set_active(ctx, user, active, audit).await?;
        self.d.authorizer.invalidate(ctx);
        Ok(member)
    }

    // ----- locations ----------------------------------------------------------

    /// Creates a location.
    ///
    /// # Errors
    /// See [`LocationError`].
    pub async fn create_location(
        &self,
        ctx: &Ctx,
        input: NewLocation,
    ) -> Result<Location, LocationError> {
        let name = Name::parse(&input.name, "name", 120)?;
        let address = match input.address.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => Some(Name::parse(a, "address", 300)?.to_string()),
        };
        let timezone = TimeZoneName::parse(&input.timezone)?;
        let location = Location {
            id: LocationId::new(),
            name: name.to_string(),
            address,
            timezone: timezone.as_ref().to_owned(),
            created_at: self.now(),
        };
        let audit = AuditRecord::new("location.create", "location", location.id)
            .details(json!({ "name": location.name, "timezone": location.timezone }));
        self.d.locations.create(ctx, &location, audit).await?;
        Ok(location)
    }

    /// Renames a location.
    ///
    /// # Errors
    /// See [`LocationError`].
    pub async fn rename_location(
        &self,
        ctx: &Ctx,
        id: LocationId,
        name: &str,
    ) -> Result<Location, LocationError> {
        let name = Name::parse(name, "name", 120)?;
        let before = self.d.locations.get(ctx, id).await?;
        if before.name == name.as_ref() {
            return Ok(before);
        }
        let audit = AuditRecord::new("location.rename", "location", id)
            .details(json!({ "before": before.name, "after": name.as_ref() }));
        Ok(self
            .d
            .locations
            .rename(ctx, id, name.as_ref(), audit)
            .await?)
    }

    /// One location.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn location(&self, ctx: &Ctx, id: LocationId) -> Result<Location, ReadError> {
        Ok(self.d.locations.get(ctx, id).await?)
    }

    /// Lists locations.
    ///
    /// # Errors
    /// See [`ReadError`].
    pub async fn locations(
        &self,
        ctx: &Ctx,
        page: PageRequest,
    ) -> Result<Page<Location>, ReadError> {
        Ok(self.d.locations.list(ctx, page).await?)
    }

    // ----- role permissions -------------------------------------------------------

    /// What each role may do in the tenant.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn role_permissions(
        &self,
        ctx: &Ctx,
    ) -> Result<Vec<(Role, Vec<Permission>)>, ReadError> {
        let mut stored = self.d.policies.role_permissions(ctx).await?;
        for role in Role::ALL {
            if !stored.iter().any(|(r, _)| *r == role) {
                stored.push((role, Vec::new()));
            }
        }
        stored.sort_by_key(|(r, _)| *r);
        for (_, perms) in &mut stored {
            perms.sort();
        }
        Ok(stored)
    }

    /// Replaces what a role may do in the tenant. Applies from the next request.
    ///
    /// # Errors
    /// See [`RolePermissionsError`].
    pub async fn set_role_permissions(
        &self,
        ctx: &Ctx,
        role: Role,
        keys: &[String],
    ) -> Result<Vec<Permission>, RolePermissionsError> {
        if role == Role::Owner {
            return Err(RolePermissionsError::OwnerNotEditable);
        }
        let mut perms = keys
            .iter()
            .map(|k| {
                Permission::parse(k.trim())
                    .ok_or_else(|| RolePermissionsError::UnknownPermission(k.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        perms.sort();
        perms.dedup();
        let before = self
            .d
            .policies
            .role_permissions(ctx)
            .await?
            .into_iter()
            .find(|(r, _)| *r == role)
            .map(|(_, p)| p.iter().map(|p| p.key()).collect::<Vec<_>>())
            .unwrap_or_default();
        let audit = AuditRecord::new("roles.set_permissions", "role", role.as_str()).details(
            json!({ "before": before, "after": perms.iter().map(|p| p.key()).collect::<Vec<_>>() }),
        );
        self.d
            .policies
            .set_role_permissions(ctx, role, &perms, audit)
            .await?;
        self.d.authorizer.invalidate(ctx);
        Ok(perms)
    }

    /// Reads the audit log.
    ///
    /// # Errors
    /// See [`ReadError`].
    pub async fn audit_log(
        &self,
        ctx: &Ctx,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, ReadError> {
        Ok(self.d.audit.list(ctx, filter, page).await?)
    }
}

/// Whom the authoriser asks about for this context's actor.
pub(super) const fn subject_of(ctx: &Ctx) -> Option<Subject> {
    match ctx.actor() {
        Actor::Staff(u) => Some(Subject::User(u)),
        Actor::ApiKey(k) => Some(Subject::ApiKey(k)),
        Actor::Guest(_) | Actor::System => None,
    }
}

/// The security record of a refresh token presented twice.
fn reuse_audit(stored: &super::ports::StoredRefreshToken) -> AuditRecord {
    AuditRecord::new("auth.refresh_reuse", "session", stored.session)
        .details(json!({ "user": stored.user.to_string(), "revoked": "the whole session" }))
}

fn with_label(record: AuditRecord, email: &Email) -> AuditRecord {
    AuditRecord {
        actor_label: Some(email.to_string()),
        ..record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_their_tenant_and_refuse_tampering() {
        let t = TenantId::new();
        let secret = "a".repeat(43);
        let token = compose_token(REFRESH_PREFIX, t, &secret);
        assert_eq!(parse_token(REFRESH_PREFIX, &token), Some(t));
        assert_eq!(parse_token(INVITATION_PREFIX, &token), None);
        assert_eq!(parse_token(REFRESH_PREFIX, "rt_nonsense_x"), None);
        assert_eq!(
            parse_token(
                REFRESH_PREFIX,
                &format!("rt_{}_short", t.as_uuid().simple())
            ),
            None
        );
    }
}
