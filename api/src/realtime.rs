//! The in-process event bus: the embedded default. Events are published after
//! their transaction commits and fanned out to this process's subscribers,
//! scoped at the bus: a subscriber listens to a [`Topic`] (a tenant's every
//! event, or only those about one location, guest or staff user), each topic
//! has its own broadcast channel, and a publish wakes only the subscribers of
//! the topics its event belongs to. A check seen by 10 000 open Mini Apps of one
//! business wakes its guest's two subscriptions, not 20 000. (The Redis adapter
//! for many processes implements the same publisher port in front of it.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use domain::loyalty::{EventPublisher, LoyaltyEvent};
use domain::notifications::Recipient;
use domain::{GuestId, LocationId, TenantId, UserId};
use futures_util::Stream;
use tokio::sync::broadcast;

/// What a subscriber listens to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Every event of a tenant.
    Tenant(TenantId),
    /// Checks processed at one location.
    Location(TenantId, LocationId),
    /// One guest's points, level, promotions and notifications.
    Guest(TenantId, GuestId),
    /// One staff user's notifications.
    Staff(TenantId, UserId),
}

impl Topic {
    /// How many events its channel keeps for a slow subscriber: the tenant's
    /// whole stream needs room; one guest or user gets a few events a visit
    /// (a channel's slots are allocated when it opens, per subscribed guest).
    fn capacity(self, tenant_capacity: usize) -> usize {
        match self {
            Self::Tenant(_) => tenant_capacity,
            Self::Location(..) => tenant_capacity.clamp(1, 256),
            Self::Guest(..) | Self::Staff(..) => tenant_capacity.clamp(1, 32),
        }
    }

    /// The topic narrower than the tenant that an event belongs to, if any.
    fn scoped(tenant: TenantId, event: &LoyaltyEvent) -> Option<Self> {
        match event {
            LoyaltyEvent::CheckProcessed(r) => Some(Self::Location(tenant, r.location_id)),
            LoyaltyEvent::GuestChanged { guest, .. }
            | LoyaltyEvent::PromotionGranted { guest, .. } => Some(Self::Guest(tenant, *guest)),
            LoyaltyEvent::NotificationCreated(n) => Some(match n.recipient {
                Recipient::Guest(g) => Self::Guest(tenant, g),
                Recipient::Staff(u) => Self::Staff(tenant, u),
            }),
            LoyaltyEvent::IntegrationEventFailed { .. } => None,
        }
    }
}

/// A topic-scoped broadcast of loyalty events.
#[derive(Clone)]
pub struct LocalBus {
    inner: Arc<Inner>,
}

struct Inner {
    capacity: usize,
    /// One channel per topic with subscribers (dropped when the last one goes).
    topics: Mutex<HashMap<Topic, broadcast::Sender<LoyaltyEvent>>>,
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
                topics: Mutex::new(HashMap::new()),
                all,
            }),
        }
    }

    fn topics(&self) -> MutexGuard<'_, HashMap<Topic, broadcast::Sender<LoyaltyEvent>>> {
        self.inner
            .topics
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The events of one tenant.
    pub fn subscribe(&self, tenant: TenantId) -> impl Stream<Item = LoyaltyEvent> + Send + use<> {
        self.subscribe_to(Topic::Tenant(tenant))
    }

    /// The events of one topic. A subscriber that falls behind skips what it
    /// missed (live views refetch) rather than blocking publishers. The topic's
    /// channel goes when its last subscriber does.
    pub fn subscribe_to(&self, topic: Topic) -> impl Stream<Item = LoyaltyEvent> + Send + use<> {
        let rx = {
            let mut topics = self.topics();
            topics
                .entry(topic)
                .or_insert_with(|| broadcast::channel(topic.capacity(self.inner.capacity)).0)
                .subscribe()
        };
        let sub = Subscription {
            rx: Some(rx),
            inner: Arc::clone(&self.inner),
            topic,
        };
        futures_util::stream::unfold(sub, |mut sub| async move {
            loop {
                let rx = sub.rx.as_mut()?;
                match rx.recv().await {
                    Ok(e) => return Some((e, sub)),
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(topic = ?sub.topic, skipped = n, "a live subscriber fell behind");
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        })
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

    /// How many topics have a channel (for tests).
    #[cfg(test)]
    fn open_topics(&self) -> usize {
        self.topics().len()
    }
}

/// One subscriber's receiver; dropping the last one of a topic removes the
/// topic's channel (a guest who closed the Mini App leaves nothing behind).
struct Subscription {
    rx: Option<broadcast::Receiver<LoyaltyEvent>>,
    inner: Arc<Inner>,
    topic: Topic,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        drop(self.rx.take());
        let mut topics = self
            .inner
            .topics
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if topics
            .get(&self.topic)
            .is_some_and(|tx| tx.receiver_count() == 0)
        {
            topics.remove(&self.topic);
        }
    }
}

impl EventPublisher for LocalBus {
    fn publish(&self, tenant: TenantId, event: LoyaltyEvent) {
        // No subscribers is not an error.
        if self.inner.all.receiver_count() > 0 {
            let _ = self.inner.all.send((tenant, event.clone()));
        }
        let scoped = Topic::scoped(tenant, &event);
        let mut topics = self.topics();
        // A failed send means its last subscriber has gone.
        if let Some(topic) = scoped
            && let Some(tx) = topics.get(&topic)
            && tx.send(event.clone()).is_err()
        {
            topics.remove(&topic);
        }
        let tenant = Topic::Tenant(tenant);
        if let Some(tx) = topics.get(&tenant)
            && tx.send(event).is_err()
        {
            topics.remove(&tenant);
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
        assert_eq!(bus.open_topics(), 1, "no channel without subscribers");
        drop(of_a);
        assert_eq!(
            bus.open_topics(),
            0,
            "the last subscriber took its channel along"
        );
    }

    fn check_at(location: LocationId, guest: GuestId) -> LoyaltyEvent {
        LoyaltyEvent::CheckProcessed(domain::loyalty::models::Receipt {
            check_id: domain::CheckId::new(),
            guest_id: guest,
            location_id: location,
            external_id: "c-1".into(),
            total_minor: 100,
            currency: domain::money::Currency::Rub,
            redeemed: 0,
            redeemed_value_minor: 0,
            earned: 1,
            rules: Vec::new(),
            balance: 1,
            available: 1,
            level_before: None,
            level_after: None,
            processed_at: chrono::DateTime::UNIX_EPOCH,
        })
    }

    #[tokio::test]
    async fn a_scoped_subscriber_is_woken_only_by_its_own_location_or_guest() {
        let bus = LocalBus::new(16);
        let t = TenantId::new();
        let (here, there) = (LocationId::new(), LocationId::new());
        let (me, other) = (GuestId::new(), GuestId::new());
        let mut at_here = Box::pin(bus.subscribe_to(Topic::Location(t, here)));
        let mut mine = Box::pin(bus.subscribe_to(Topic::Guest(t, me)));
        let mut tenant = Box::pin(bus.subscribe(t));
        let (there_other, here_other) = (check_at(there, other), check_at(here, other));
        // Another tenant's events with the same ids reach none of them.
        bus.publish(TenantId::new(), here_other.clone());
        bus.publish(TenantId::new(), changed(me));
        bus.publish(t, there_other.clone());
        bus.publish(t, changed(other));
        bus.publish(t, here_other.clone());
        bus.publish(t, changed(me));
        assert_eq!(at_here.next().await, Some(here_other.clone()));
        assert_eq!(mine.next().await, Some(changed(me)));
        for e in [there_other, changed(other), here_other, changed(me)] {
            assert_eq!(tenant.next().await, Some(e), "the tenant hears everything");
        }
        // Nothing else is queued for the scoped subscribers.
        let nothing = tokio::time::timeout(std::time::Duration::from_millis(50), at_here.next());
        assert!(nothing.await.is_err());
        let nothing = tokio::time::timeout(std::time::Duration::from_millis(50), mine.next());
        assert!(nothing.await.is_err());
        assert_eq!(bus.open_topics(), 3);
        drop((at_here, mine));
        assert_eq!(
            bus.open_topics(),
            1,
            "scoped channels go with their subscribers"
        );
        drop(tenant);
        assert_eq!(bus.open_topics(), 0);
    }
}
