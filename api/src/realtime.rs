//! The in-process event bus: the embedded default. Events are published after
//! their transaction commits and fanned out to this process's subscribers,
//! scoped by tenant at the bus: each tenant has its own broadcast channel, so a
//! subscriber is only ever woken by its own tenant's events. (The Redis adapter
//! for many processes implements the same publisher port in front of it.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use domain::TenantId;
use domain::loyalty::{EventPublisher, LoyaltyEvent};
use futures_util::Stream;
use tokio::sync::broadcast;

/// A tenant-scoped broadcast of loyalty events.
#[derive(Clone)]
pub struct LocalBus {
    inner: Arc<Inner>,
}

struct Inner {
    capacity: usize,
    /// One channel per tenant with subscribers (dropped when the last one goes).
    tenants: Mutex<HashMap<TenantId, broadcast::Sender<LoyaltyEvent>>>,
    /// Every tenant's events, for fan-outs that scope by tenant themselves.
    all: broadcast::Sender<(TenantId, LoyaltyEvent)>,
}

impl Default for LocalBus {
    fn default() -> Self {
        Self::new(4096)
    }
}

impl LocalBus {
    /// A bus keeping up to `capacity` events per channel for slow subscribers.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        let (all, _) = broadcast::channel(capacity);
        Self {
            inner: Arc::new(Inner {
                capacity,
                tenants: Mutex::new(HashMap::new()),
                all,
            }),
        }
    }

    fn tenants(&self) -> MutexGuard<'_, HashMap<TenantId, broadcast::Sender<LoyaltyEvent>>> {
        self.inner
            .tenants
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The events of one tenant. A subscriber that falls behind skips what it
    /// missed (live views refetch) rather than blocking publishers.
    pub fn subscribe(&self, tenant: TenantId) -> impl Stream<Item = LoyaltyEvent> + Send + use<> {
        let mut rx = {
            let mut tenants = self.tenants();
            tenants
                .entry(tenant)
                .or_insert_with(|| broadcast::channel(self.inner.capacity).0)
                .subscribe()
        };
        async_stream::stream! {
            loop {
                match rx.recv().await {
                    Ok(e) => yield e,
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
        let mut rx = self.inner.all.subscribe();
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
        if self.inner.all.receiver_count() > 0 {
            let _ = self.inner.all.send((tenant, event.clone()));
        }
        let mut tenants = self.tenants();
        // A failed send means its last subscriber has gone.
        if let Some(tx) = tenants.get(&tenant)
            && tx.send(event).is_err()
        {
            tenants.remove(&tenant);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::GuestId;
    use domain::loyalty::models::Account;
    use domain::money::Points;
    use futures_util::StreamExt;

    fn changed(guest: GuestId) -> LoyaltyEvent {
        LoyaltyEvent::GuestChanged {
            guest,
            account: Account {
                guest,
                balance: Points::new(1),
                held: Points::new(0),
            },
            level: None,
        }
    }

    #[tokio::test]
    async fn a_subscriber_gets_its_tenants_events_only_and_channels_go_with_their_subscribers() {
        let bus = LocalBus::new(16);
        let (a, b) = (TenantId::new(), TenantId::new());
        let mut of_a = Box::pin(bus.subscribe(a));
        let mut all = Box::pin(bus.subscribe_all());
        let g = GuestId::new();
        bus.publish(b, changed(g));
        bus.publish(a, changed(g));
        assert_eq!(of_a.next().await, Some(changed(g)));
        assert_eq!(all.next().await, Some((b, changed(g))));
        assert_eq!(all.next().await, Some((a, changed(g))));
        assert!(
            !bus.tenants().contains_key(&b),
            "no channel without subscribers"
        );
        drop(of_a);
        bus.publish(a, changed(g));
        assert!(
            bus.tenants().is_empty(),
            "the last subscriber took its channel along"
        );
    }
}
