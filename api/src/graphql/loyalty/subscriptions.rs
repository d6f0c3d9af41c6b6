//! Live loyalty views: the cashier screen and guest cards.

use async_graphql::{Context, ID, Result, SimpleObject, Subscription};
use domain::identity::Permission as P;
use domain::loyalty::LoyaltyEvent;
use domain::{GuestId, LocationId};
use futures_util::{Stream, StreamExt};

use super::types::Receipt;
use crate::graphql::{Perm, parse_id, requires, staff_ctx};
use crate::realtime::{LocalBus, Topic};

/// A guest's points or level changed.
#[derive(SimpleObject)]
pub struct GuestUpdate {
    /// The guest.
    pub guest_id: ID,
    /// All points.
    pub balance: i64,
    /// Reserved by holds.
    pub held: i64,
    /// Available now.
    pub available: i64,
    /// Current level id.
    pub level_id: Option<ID>,
}

/// Loyalty subscriptions.
#[derive(Default)]
pub struct LoyaltySubscription;

#[Subscription]
impl LoyaltySubscription {
    /// Checks processed at a location (by any cashier or POS), as they happen.
    #[graphql(guard = "Perm(P::ChecksProcess)", directive = requires::apply("checks:process".into()))]
    async fn check_processed(
        &self,
        ctx: &Context<'_>,
        location_id: ID,
    ) -> Result<impl Stream<Item = Receipt> + use<>> {
        let location: LocationId = parse_id(&location_id, "locationId")?;
        let tenant = staff_ctx(ctx)?.tenant();
        let events = ctx
            .data::<LocalBus>()?
            .subscribe_to(Topic::Location(tenant, location));
        Ok(events.filter_map(move |e| async move {
            match e {
                LoyaltyEvent::CheckProcessed(r) if r.location_id == location => {
                    Some(Receipt::from(r))
                }
                _ => None,
            }
        }))
    }

    /// A guest's points and level, whenever they change.
    #[graphql(guard = "Perm(P::GuestsRead)", directive = requires::apply("guests:read".into()))]
    async fn guest_updated(
        &self,
        ctx: &Context<'_>,
        guest_id: ID,
    ) -> Result<impl Stream<Item = GuestUpdate> + use<>> {
        let guest: GuestId = parse_id(&guest_id, "guestId")?;
        let tenant = staff_ctx(ctx)?.tenant();
        let events = ctx
            .data::<LocalBus>()?
            .subscribe_to(Topic::Guest(tenant, guest));
        Ok(events.filter_map(move |e| async move {
            match e {
                LoyaltyEvent::GuestChanged {
                    guest: g,
                    account,
                    level,
                } if g == guest => Some(GuestUpdate {
                    guest_id: ID(g.to_string()),
                    balance: account.balance.get(),
                    held: account.held.get(),
                    available: account.available().get(),
                    level_id: level.map(|l| ID(l.to_string())),
                }),
                _ => None,
            }
        }))
    }
}
