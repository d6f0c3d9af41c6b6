//! Identity mutations.

use async_graphql::{Context, ID, InputObject, Object, Result};
use domain::identity::Permission as P;
use domain::identity::service::{NewLocation, SignUp};
use domain::{InvitationId, LocationId, TenantId, UserId};

use super::types::{
    AuthPayload, Currency, Invitation, Locale, Location, Role, RolePermissions, StaffMember, User,
};
use crate::error::GqlResult;
use crate::graphql::{
    Authenticated, Perm, Public, authenticated, caller, identity_service as svc, parse_id, public,
    requires, staff_ctx,
};

/// A new business and its owner.
#[derive(InputObject)]
pub struct SignUpInput {
    /// The business's name.
    pub business_name: String,
    /// Its first location's name.
    pub location_name: String,
    /// The owner's e-mail (their login).
    pub email: String,
    /// The owner's password (10+ characters).
    pub password: String,
    /// The owner's name.
    pub display_name: String,
    /// The business's currency.
    #[graphql(default)]
    pub currency: Currency,
    /// The owner's language.
    #[graphql(default)]
    pub locale: Locale,
}

/// E-mail and password.
#[derive(InputObject)]
pub struct LoginInput {
    /// Login e-mail.
    pub email: String,
    /// Password.
    pub password: String,
    /// The business to sign in to (default: the most recently joined one).
    pub tenant_id: Option<ID>,
}

/// Changes to one's own profile (omitted fields stay as they are).
#[derive(InputObject)]
pub struct UpdateMyProfileInput {
    /// Name shown to colleagues.
    pub display_name: Option<String>,
    /// Interface language.
    pub locale: Option<Locale>,
}

/// A password change.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The current password.
    pub current_password: String,
    /// The new password (10+ characters).
    pub new_password: String,
}

/// Completing an invitation.
#[derive(InputObject)]
pub struct AcceptInvitationInput {
    /// The token from the invitation link.
    pub token: String,
    /// A new password, or the existing account's password.
    pub password: String,
    /// The new member's name (ignored for an existing account).
    pub display_name: String,
}

/// Inviting a staff member.
#[derive(InputObject)]
pub struct InviteStaffInput {
    /// Their e-mail.
    pub email: String,
    /// Their role.
    pub role: Role,
}

/// A new location.
#[derive(InputObject)]
pub struct CreateLocationInput {
    /// Name, unique in the business.
    pub name: String,
    /// Street address.
    pub address: Option<String>,
    /// IANA time zone.
    #[graphql(default_with = "String::from(\"Europe/Moscow\")")]
    pub timezone: String,
}

/// Identity mutations.
#[derive(Default)]
pub struct IdentityMutation;

#[Object]
impl IdentityMutation {
    /// Creates a business with its first location and its owner, and signs the owner in.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn sign_up(&self, ctx: &Context<'_>, input: SignUpInput) -> Result<AuthPayload> {
        let meta = caller(ctx)?.meta();
        let s = SignUp {
            business_name: input.business_name,
            location_name: input.location_name,
            display_name: input.display_name,
            email: input.email,
            password: input.password,
            currency: input.currency.into(),
            locale: input.locale.into(),
        };
        Ok(svc(ctx)?.sign_up(s, meta).await.gql()?.into())
    }

    /// Signs in with e-mail and password.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<AuthPayload> {
        let meta = caller(ctx)?.meta();
        let tenant: Option<TenantId> = input
            .tenant_id
            .as_ref()
            .map(|t| parse_id(t, "tenantId"))
            .transpose()?;
        Ok(svc(ctx)?
            .login(&input.email, &input.password, tenant, meta)
            .await
            .gql()?
            .into())
    }

    /// Exchanges a refresh token (single use) for new tokens.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> Result<AuthPayload> {
        let meta = caller(ctx)?.meta();
        Ok(svc(ctx)?.refresh(&refresh_token, meta).await.gql()?.into())
    }

    /// Ends the session (the whole refresh-token family) of this refresh token.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> Result<bool> {
        let meta = caller(ctx)?.meta();
        svc(ctx)?.logout(&refresh_token, meta).await.gql()?;
        Ok(true)
    }

    /// Completes an invitation and signs in.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> Result<AuthPayload> {
        let meta = caller(ctx)?.meta();
        Ok(svc(ctx)?
            .accept_invitation(&input.token, &input.password, &input.display_name, meta)
            .await
            .gql()?
            .into())
    }

    /// E-mails a single-use password-reset link (valid 30 minutes) to the
    /// account with this e-mail. Answers `true` whether or not there is one;
    /// repeated requests for an e-mail are throttled like failed logins.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn request_password_reset(&self, ctx: &Context<'_>, email: String) -> Result<bool> {
        svc(ctx)?.request_password_reset(&email).await.gql()?;
        Ok(true)
    }

    /// Sets a new password with the token of a reset link (once, before it
    /// expires) and ends every session of the person. A used, expired or
    /// unknown token is `VALIDATION` on `token`.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> Result<bool> {
        let meta = caller(ctx)?.meta();
        svc(ctx)?
            .reset_password(&token, &new_password, meta)
            .await
            .gql()?;
        Ok(true)
    }

    /// Invites someone to the staff; they receive a link by e-mail.
    #[graphql(guard = "Perm(P::StaffManage)", directive = requires::apply("staff:manage".into()))]
    async fn invite_staff(&self, ctx: &Context<'_>, input: InviteStaffInput) -> Result<Invitation> {
        Ok(svc(ctx)?
            .invite_staff(staff_ctx(ctx)?, &input.email, input.role.into())
            .await
            .gql()?
            .into())
    }

    /// Withdraws a pending invitation.
    #[graphql(guard = "Perm(P::StaffManage)", directive = requires::apply("staff:manage".into()))]
    async fn revoke_invitation(&self, ctx: &Context<'_>, id: ID) -> Result<Invitation> {
        let id: InvitationId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .revoke_invitation(staff_ctx(ctx)?, id)
            .await
            .gql()?
            .into())
    }

    /// Changes a staff member's role (by user id).
    #[graphql(guard = "Perm(P::StaffManage)", directive = requires::apply("staff:manage".into()))]
    async fn change_staff_role(
        &self,
        ctx: &Context<'_>,
        id: ID,
        role: Role,
    ) -> Result<StaffMember> {
        let id: UserId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .change_staff_role(staff_ctx(ctx)?, id, role.into())
            .await
            .gql()?
            .into())
    }

    /// Deactivates a staff member: their access ends at once.
    #[graphql(guard = "Perm(P::StaffManage)", directive = requires::apply("staff:manage".into()))]
    async fn deactivate_staff(&self, ctx: &Context<'_>, id: ID) -> Result<StaffMember> {
        let id: UserId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .set_staff_active(staff_ctx(ctx)?, id, false)
            .await
            .gql()?
            .into())
    }

    /// Reactivates a staff member with their previous role.
    #[graphql(guard = "Perm(P::StaffManage)", directive = requires::apply("staff:manage".into()))]
    async fn reactivate_staff(&self, ctx: &Context<'_>, id: ID) -> Result<StaffMember> {
        let id: UserId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .set_staff_active(staff_ctx(ctx)?, id, true)
            .await
            .gql()?
            .into())
    }

    /// Creates a location.
    #[graphql(guard = "Perm(P::LocationsManage)", directive = requires::apply("locations:manage".into()))]
    async fn create_location(
        &self,
        ctx: &Context<'_>,
        input: CreateLocationInput,
    ) -> Result<Location> {
        let n = NewLocation {
            name: input.name,
            address: input.address,
            timezone: input.timezone,
        };
        Ok(svc(ctx)?
            .create_location(staff_ctx(ctx)?, n)
            .await
            .gql()?
            .into())
    }

    /// Renames a location.
    #[graphql(guard = "Perm(P::LocationsManage)", directive = requires::apply("locations:manage".into()))]
    async fn rename_location(&self, ctx: &Context<'_>, id: ID, name: String) -> Result<Location> {
        let id: LocationId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .rename_location(staff_ctx(ctx)?, id, &name)
            .await
            .gql()?
            .into())
    }

    /// Replaces what a role may do in this business (not the owner role).
    #[graphql(guard = "Perm(P::RolesManage)", directive = requires::apply("roles:manage".into()))]
    async fn set_role_permissions(
        &self,
        ctx: &Context<'_>,
        role: Role,
        permissions: Vec<String>,
    ) -> Result<RolePermissions> {
        let perms = svc(ctx)?
            .set_role_permissions(staff_ctx(ctx)?, role.into(), &permissions)
            .await
            .gql()?;
        Ok(RolePermissions::new(role.into(), &perms))
    }

    /// Starts a session in another business where the caller is active staff.
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn switch_tenant(&self, ctx: &Context<'_>, tenant_id: ID) -> Result<AuthPayload> {
        let tenant: TenantId = parse_id(&tenant_id, "tenantId")?;
        Ok(svc(ctx)?
            .switch_tenant(staff_ctx(ctx)?, tenant)
            .await
            .gql()?
            .into())
    }

    /// Changes the caller's name and/or interface language.
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn update_my_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateMyProfileInput,
    ) -> Result<User> {
        let user = svc(ctx)?
            .update_profile(
                staff_ctx(ctx)?,
                input.display_name.as_deref(),
                input.locale.map(Into::into),
            )
            .await
            .gql()?;
        Ok(user.into())
    }

    /// Changes the caller's password, ends their other sessions everywhere and
    /// returns a fresh session.
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> Result<AuthPayload> {
        Ok(svc(ctx)?
            .change_password(
                staff_ctx(ctx)?,
                &input.current_password,
                &input.new_password,
            )
            .await
            .gql()?
            .into())
    }
}
