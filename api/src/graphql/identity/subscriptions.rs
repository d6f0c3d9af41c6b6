//! Identity subscriptions.

use async_graphql::{Context, Result, Subscription};
use futures_util::Stream;

use super::types::Me;
use crate::graphql::{Authenticated, ME_POLL, access, authenticated, identity_service, staff_ctx};

/// Identity subscriptions.
#[derive(Default)]
pub struct IdentitySubscription;

#[Subscription]
impl IdentitySubscription {
    /// The caller's role and permissions: sent at once, then whenever they change
    /// (re-read every few seconds). Ends with `UNAUTHENTICATED` when access ends.
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn me_changed(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = Result<Me>>> {
        let svc = identity_service(ctx)?.clone();
        let c = staff_ctx(ctx)?.clone();
        Ok(async_stream::stream! {
            let mut last: Option<(domain::identity::Role, Vec<domain::identity::Permission>)> = None;
            loop {
                match svc.me(&c).await {
                    Ok(me) => {
                        let key = (me.role, me.permissions.clone());
                        if last.as_ref() != Some(&key) {
                            last = Some(key);
                            yield Ok(Me::from(me));
                        }
                    }
                    Err(e) => {
                        yield Err(access(e));
                        break;
                    }
                }
                tokio::time::sleep(ME_POLL).await;
            }
        })
    }
}
