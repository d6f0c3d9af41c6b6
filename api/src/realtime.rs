//! The in-process event bus: the embedded default. Events are published after
//! their transaction commits and fanned out to this process's subscribers,
//! scoped by tenant at the bus. (The Redis adapter for many processes
//! implements the same publisher port.)

use domain::TenantId;
use domain::loyalty::{EventPublisher, LoyaltyEvent};
use futures_util::Stream;
use tokio::sync::broadcast;

/// A tenant-scoped broadcast of loyalty events.
#[derive(Clone)]
pub struct LocalBus {
    tx: broadcast::Sender<(TenantId, LoyaltyEvent)>,
}

impl Default for LocalBus {
    fn default() -> Self {
        Self::new(4096)
    }
}

impl LocalBus {
    /// A bus keeping up to `capacity` events for slow subscribers.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity);
        Self { tx }
    }

    /// The events of one tenant. A subscriber that falls behind skips what it
    /// missed (live views refetch) rather than blocking publishers.
    pub fn subscribe(&self, tenant: TenantId) -> impl Stream<Item = LoyaltyEvent> + Send + use<> {
        let mut rx = self.tx.subscribe();
        async_stream::stream! {
            loop {
                match rx.recv().await {
                    Ok((t, e)) if t == tenant => yield e,
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(tenant.id = %tenant, skipped = n, "a live subscriber fell behind");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        }
    }

    /// The events of every tenant, each with its tenant: for a fan-out that
    /// scopes by tenant itself (the socket.io rooms name their tenant). Like
    /// [`LocalBus::subscribe`], a subscriber that falls behind skips what it missed.
    pub fn subscribe_all(&self) -> impl Stream<Item = (TenantId, LoyaltyEvent)> + Send + use<> {
        let mut rx = self.tx.subscribe();
        async_stream::stream! {
            loop {
                match rx.recv().await {
                    Ok(item) => yield item,
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(skipped = n, "the all-tenants subscriber fell behind");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        }
    }
}

impl EventPublisher for LocalBus {
    fn publish(&self, tenant: TenantId, event: LoyaltyEvent) {
        // No subscribers is not an error.
        let _ = self.tx.send((tenant, event));
    }
}
