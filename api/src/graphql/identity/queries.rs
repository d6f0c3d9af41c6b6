//! Identity queries.

use async_graphql::{Context, ID, Object, Result};
use domain::identity::Permission as P;
use domain::identity::ports::AuditFilter;
use domain::{LocationId, UserId};

use super::types::{
    AuditEntry, Invitation, InvitationPreview, Location, Me, Permission, RolePermissions,
    StaffMember, Tenant, TenantMembership,
};
use crate::error::GqlResult;
use crate::graphql::{
    Authenticated, Conn, PageArgs, Perm, Public, authenticated, connection,
    identity_service as svc, parse_id, public, requires, staff_ctx,
};

/// Identity queries.
#[derive(Default)]
pub struct IdentityQuery;

#[Object]
impl IdentityQuery {
    /// The caller: any signed-in staff member.
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn me(&self, ctx: &Context<'_>) -> Result<Me> {
        Ok(svc(ctx)?.me(staff_ctx(ctx)?).await.gql()?.into())
    }

    /// The businesses where the caller is active staff (for switching).
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn my_tenants(&self, ctx: &Context<'_>) -> Result<Vec<TenantMembership>> {
        let c = staff_ctx(ctx)?;
        let list = svc(ctx)?.my_tenants(c).await.gql()?;
        Ok(list
            .into_iter()
            .map(|(t, role)| TenantMembership {
                current: t.id == c.tenant(),
                tenant: t.into(),
                role: role.into(),
            })
            .collect())
    }

    /// The caller's business.
    #[graphql(guard = "Perm(P::TenantRead)", directive = requires::apply("tenant:read".into()))]
    async fn tenant(&self, ctx: &Context<'_>) -> Result<Tenant> {
        Ok(svc(ctx)?.tenant(staff_ctx(ctx)?).await.gql()?.into())
    }

    /// Locations, oldest first.
    #[graphql(guard = "Perm(P::LocationsRead)", directive = requires::apply("locations:read".into()))]
    async fn locations(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Location>> {
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let p = svc(ctx)?.locations(staff_ctx(ctx)?, page).await.gql()?;
        Ok(connection(p, |l| l.id.as_uuid(), Location::from))
    }

    /// One location.
    #[graphql(guard = "Perm(P::LocationsRead)", directive = requires::apply("locations:read".into()))]
    async fn location(&self, ctx: &Context<'_>, id: ID) -> Result<Location> {
        let id: LocationId = parse_id(&id, "id")?;
        Ok(svc(ctx)?.location(staff_ctx(ctx)?, id).await.gql()?.into())
    }

    /// Staff members, oldest account first.
    #[graphql(guard = "Perm(P::StaffRead)", directive = requires::apply("staff:read".into()))]
    async fn staff(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<StaffMember>> {
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let p = svc(ctx)?.staff(staff_ctx(ctx)?, page).await.gql()?;
        Ok(connection(p, |m| m.user.id.as_uuid(), StaffMember::from))
    }

    /// One staff member (by user id).
    #[graphql(guard = "Perm(P::StaffRead)", directive = requires::apply("staff:read".into()))]
    async fn staff_member(&self, ctx: &Context<'_>, id: ID) -> Result<StaffMember> {
        let id: UserId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .staff_member(staff_ctx(ctx)?, id)
            .await
            .gql()?
            .into())
    }

    /// Invitations, oldest first.
    #[graphql(guard = "Perm(P::StaffRead)", directive = requires::apply("staff:read".into()))]
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Invitation>> {
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let p = svc(ctx)?.invitations(staff_ctx(ctx)?, page).await.gql()?;
        Ok(connection(p, |i| i.id.as_uuid(), Invitation::from))
    }

    /// What an invitation link invites to. Public: the token is the credential.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn invitation_preview(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> Result<InvitationPreview> {
        Ok(svc(ctx)?.invitation_preview(&token).await.gql()?.into())
    }

    /// Every permission a role can be given.
    #[graphql(guard = "Perm(P::RolesRead)", directive = requires::apply("roles:read".into()))]
    async fn permission_catalog(&self) -> Vec<Permission> {
        P::ALL.iter().copied().map(Permission::from).collect()
    }

    /// What each role may do in this business.
    #[graphql(guard = "Perm(P::RolesRead)", directive = requires::apply("roles:read".into()))]
    async fn role_permissions(&self, ctx: &Context<'_>) -> Result<Vec<RolePermissions>> {
        let all = svc(ctx)?.role_permissions(staff_ctx(ctx)?).await.gql()?;
        Ok(all
            .iter()
            .map(|(r, p)| RolePermissions::new(*r, p))
            .collect())
    }

    /// The audit log, oldest first; filter by action (e.g. `staff.invite`) or actor.
    #[graphql(guard = "Perm(P::AuditRead)", directive = requires::apply("audit:read".into()))]
    #[allow(clippy::too_many_arguments)]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        action: Option<String>,
        actor_id: Option<ID>,
    ) -> Result<Conn<AuditEntry>> {
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let actor = actor_id
            .as_ref()
            .map(|a| parse_id::<UserId>(a, "actorId"))
            .transpose()?;
        let filter = AuditFilter { action, actor };
        let p = svc(ctx)?
            .audit_log(staff_ctx(ctx)?, &filter, page)
            .await
            .gql()?;
        Ok(connection(p, |e| e.id.as_uuid(), AuditEntry::from))
    }
}
