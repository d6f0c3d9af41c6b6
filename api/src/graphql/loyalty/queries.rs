//! Loyalty queries.

use async_graphql::{Context, ID, Lookahead, Object, Result, Value};
use domain::GuestId;
use domain::identity::Permission as P;
use domain::page::PageRequest;

use super::types::{Guest, GuestConnection, Level, LoyaltySettings};
use crate::error::{GqlResult, gql};
use crate::graphql::{
    PageArgs, Perm, SearchCursor, connection, loyalty_service as svc, parse_id, requires,
    search_fingerprint, search_page, staff_ctx,
};

/// Loyalty queries.
#[derive(Default)]
pub struct LoyaltyQuery;

#[Object]
impl LoyaltyQuery {
    /// Finds guests, best match first. 4+ digits: the guest with that card code,
    /// then the guest with that whole phone number, then phones ending with the
    /// digits, the latest visitor first (guests who never came last). A QR
    /// payload: its guest. Other text: the guest with that card code, then
    /// (without digits) names equal to it, then names starting with it, then
    /// names with a later word starting with it (a surname), each
    /// alphabetically. No query: everyone, in registration order. Cursors
    /// belong to one query: passed back with another `query`, they are
    /// refused (`VALIDATION`).
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
        let args = PageArgs {
            after,
            before,
            first,
            last,
        };
        let fingerprint = search_fingerprint(query.as_deref());
        let page = search_page(&args, fingerprint)?;
        let p = svc(ctx)?
            .search_guests(staff_ctx(ctx)?, query.as_deref(), page)
            .await
            .gql()?;
        Ok(connection(
            p,
            |f| SearchCursor {
                query: fingerprint,
                at: f.at.clone(),
            },
            |f| Guest::from(f.guest),
        ))
    }

    /// One guest.
    #[graphql(guard = "Perm(P::GuestsRead)", directive = requires::apply("guests:read".into()))]
    async fn guest(&self, ctx: &Context<'_>, id: ID) -> Result<Guest> {
        let id: GuestId = parse_id(&id, "id")?;
        // A card on a screen asks for the points and the latest entries with
        // the guest: read them together (one transaction instead of three).
        let look = ctx.look_ahead();
        let card = CARD_FIELDS.iter().any(|f| look.field(f).exists());
        let ledger = ledger_page(&look);
        if !card && ledger.is_none() {
            return Ok(svc(ctx)?.guest(staff_ctx(ctx)?, id).await.gql()?.into());
        }
        let (card, page) = svc(ctx)?
            .guest_view(staff_ctx(ctx)?, id, ledger)
            .await
            .gql()?;
        Ok(Guest::viewed(card, ledger.zip(page)))
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

/// The fields of `Guest` that need its card (points, level).
const CARD_FIELDS: [&str; 4] = ["account", "level", "progress", "maxRedeemable"];

/// The page of `ledger` the selection asks for, when it asks once and with
/// arguments that parse; anything else is left to the field's own read.
fn ledger_page(look: &Lookahead<'_>) -> Option<PageRequest> {
    let fields = look.field("ledger").selection_fields();
    let [field] = fields.as_slice() else {
        return None;
    };
    let mut args = PageArgs::default();
    for (name, value) in field.arguments().ok()? {
        let int = |v: &Value| match v {
            Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
            _ => None,
        };
        match (name.as_str(), &value) {
            (_, Value::Null) => {}
            ("after", Value::String(c)) => args.after = Some(c.clone()),
            ("before", Value::String(c)) => args.before = Some(c.clone()),
            ("first", v) => args.first = Some(int(v)?),
            ("last", v) => args.last = Some(int(v)?),
            _ => return None,
        }
    }
    args.request().ok()
}
