//! Loyalty queries.

use async_graphql::{Context, ID, Object, Result};
use domain::GuestId;
use domain::identity::Permission as P;

use super::types::{Guest, GuestConnection, Level, LoyaltySettings};
use crate::error::{GqlResult, gql};
use crate::graphql::{
    PageArgs, Perm, connection, loyalty_service as svc, parse_id, requires, staff_ctx,
};

/// Loyalty queries.
#[derive(Default)]
pub struct LoyaltyQuery;

#[Object]
impl LoyaltyQuery {
    /// Finds guests: 4+ digits search phone endings (and card codes), a card code or
    /// QR payload finds one guest, 2+ letters search name beginnings; no query lists all.
    #[graphql(guard = "Perm(P::GuestsRead)", directive = requires::apply("guests:read".into()))]
    #[allow(clippy::too_many_arguments)]
    async fn guests(
        &self,
        ctx: &Context<'_>,
        query: Option<String>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<GuestConnection> {
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let p = svc(ctx)?
            .search_guests(staff_ctx(ctx)?, query.as_deref(), page)
            .await
            .gql()?;
        Ok(connection(p, |g| g.id.as_uuid(), Guest::from))
    }

    /// One guest.
    #[graphql(guard = "Perm(P::GuestsRead)", directive = requires::apply("guests:read".into()))]
    async fn guest(&self, ctx: &Context<'_>, id: ID) -> Result<Guest> {
        let id: GuestId = parse_id(&id, "id")?;
        Ok(svc(ctx)?.guest(staff_ctx(ctx)?, id).await.gql()?.into())
    }

    /// Levels, lowest threshold first.
    #[graphql(guard = "Perm(P::LoyaltyRead)", directive = requires::apply("loyalty:read".into()))]
    async fn levels(&self, ctx: &Context<'_>) -> Result<Vec<Level>> {
        let levels = svc(ctx)?
            .levels(staff_ctx(ctx)?)
            .await
            .map_err(|e| gql(domain::identity::ReadError::from(e)))?;
        Ok(levels.iter().map(Level::from).collect())
    }

    /// The business's loyalty settings.
    #[graphql(guard = "Perm(P::LoyaltyRead)", directive = requires::apply("loyalty:read".into()))]
    async fn loyalty_settings(&self, ctx: &Context<'_>) -> Result<LoyaltySettings> {
        let s = svc(ctx)?
            .settings(staff_ctx(ctx)?)
            .await
            .map_err(|e| gql(domain::identity::ReadError::from(e)))?;
        Ok(s.into())
    }
}
