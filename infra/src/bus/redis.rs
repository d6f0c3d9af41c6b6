//! The Redis pub/sub event bus: many server processes, one stream of events.
//!
//! Publishing serialises an event to the tenant's channel
//! (`<prefix>:events:<tenant>`). One task per process holds a `PSUBSCRIBE
//! <prefix>:events:*` and hands every message to this process's local
//! broadcast (the publisher given at start), so each process delivers every
//! event to its own subscribers, and the local broadcast is fed from Redis only.
//! A message whose payload names another tenant than its channel is dropped.
//!
//! While Redis is unreachable, events go straight to the local broadcast (this
//! process's subscribers still see them; other processes miss them, and live
//! views refetch on reconnect), and the task reconnects with exponential
//! backoff (250 ms doubling to 10 s). Every connect is bounded by a timeout: the
//! server never waits on Redis to serve requests.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use domain::TenantId;
use domain::loyalty::{EventPublisher, LoyaltyEvent};
use futures_util::StreamExt;
use redis::AsyncConnectionConfig;
use redis::aio::{MultiplexedConnection, PubSubSink, PubSubStream};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

/// How long one connection attempt (TCP, TLS, handshake, subscribe) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one command may wait for its answer.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(3);
/// How often an idle connection is checked.
const PING_EVERY: Duration = Duration::from_secs(5);
/// First reconnect delay; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// Longest reconnect delay.
const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// Events waiting to be published before publishers fall back to local delivery.
const QUEUE: usize = 4096;

/// Why the bus could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum RedisBusError {
    /// The URL is not a Redis URL.
    #[error("REDIS_URL is not a valid Redis URL: {0}")]
    Url(String),
    /// The prefix would not work as a channel pattern.
    #[error("the Redis channel prefix must be non-empty and free of `*?[]\\` and spaces: {0:?}")]
    Prefix(String),
}

/// What travels on a channel.
#[derive(Serialize)]
struct OutEnvelope<'a> {
    tenant: TenantId,
    event: &'a LoyaltyEvent,
}

#[derive(Deserialize)]
struct InEnvelope {
    tenant: TenantId,
    event: LoyaltyEvent,
}

/// Connection state shared by the publisher side and the connection task.
#[derive(Default)]
struct Health {
    up: AtomicBool,
    /// Events delivered to this process only since the last disconnect.
    local_only: AtomicU64,
}

/// The Redis event bus (see the module documentation).
pub struct RedisBus {
    local: Arc<dyn EventPublisher>,
    queue: mpsc::Sender<(TenantId, LoyaltyEvent)>,
    health: Arc<Health>,
}

/// The channel of one tenant's events.
fn channel(prefix: &str, tenant: TenantId) -> String {
    format!("{prefix}:events:{tenant}")
}

impl RedisBus {
    /// Starts the bus: validates the settings and spawns the connection task
    /// (it does not wait for Redis; [`RedisBus::is_connected`] says when it is
    /// up). Messages received from Redis, and events published while Redis is
    /// down, go to `local`. The task ends when the bus is dropped.
    ///
    /// # Errors
    /// An invalid URL or prefix.
    pub fn start(
        url: &str,
        prefix: &str,
        local: Arc<dyn EventPublisher>,
    ) -> Result<Self, RedisBusError> {
        if prefix.is_empty()
            || prefix
                .chars()
                .any(|c| matches!(c, '*' | '?' | '[' | ']' | '\\') || c.is_whitespace())
        {
            return Err(RedisBusError::Prefix(prefix.to_owned()));
        }
        let client = redis::Client::open(url).map_err(|e| RedisBusError::Url(e.to_string()))?;
        let (queue, rx) = mpsc::channel(QUEUE);
        let health = Arc::new(Health::default());
        let task = Task {
            client,
            prefix: prefix.to_owned(),
            local: Arc::clone(&local),
            health: Arc::clone(&health),
            rx,
        };
        tokio::spawn(task.run());
        Ok(Self {
            local,
            queue,
            health,
        })
    }

    /// Whether the bus is connected and subscribed right now.
    #[must_use]
    pub fn is_connected(&self) -> bool {
        self.health.up.load(Ordering::Acquire)
    }

    /// A cheap handle answering [`RedisBus::is_connected`] (for probes).
    pub fn status(&self) -> impl Fn() -> bool + Send + Sync + 'static {
        let health = Arc::clone(&self.health);
        move || health.up.load(Ordering::Acquire)
    }

    fn deliver_locally(&self, tenant: TenantId, event: LoyaltyEvent, why: &str) {
        if self.health.local_only.fetch_add(1, Ordering::Relaxed) == 0 {
            tracing::warn!(
                reason = why,
                "Redis event bus unavailable: events reach this process's subscribers only until it is back"
            );
        }
        self.local.publish(tenant, event);
    }
}

impl EventPublisher for RedisBus {
    fn publish(&self, tenant: TenantId, event: LoyaltyEvent) {
        if !self.is_connected() {
            self.deliver_locally(tenant, event, "disconnected");
            return;
        }
        // Publishing happens on the connection task, in order; the local
        // broadcast is then fed by the subscription, so nothing arrives twice.
        match self.queue.try_send((tenant, event)) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full((t, e))) => {
                self.deliver_locally(t, e, "publish queue full");
            }
            Err(mpsc::error::TrySendError::Closed((t, e))) => {
                self.deliver_locally(t, e, "connection task ended");
            }
        }
    }
}

/// How a connected session ended.
enum Ended {
    /// The bus was dropped.
    Stop,
    /// The connection failed.
    Lost(String),
}

struct Task {
    client: redis::Client,
    prefix: String,
    local: Arc<dyn EventPublisher>,
    health: Arc<Health>,
    rx: mpsc::Receiver<(TenantId, LoyaltyEvent)>,
}

impl Task {
    async fn run(mut self) {
        let mut delay = FIRST_BACKOFF;
        let mut was_connected = false;
        loop {
            let attempt = {
                let connecting = connect(&self.client, &self.prefix);
                tokio::pin!(connecting);
                loop {
                    tokio::select! {
                        r = &mut connecting => break r,
                        m = self.rx.recv() => match m {
                            // Queued just before the connection was lost.
                            Some((t, e)) => self.local.publish(t, e),
                            None => return,
                        },
                    }
                }
            };
            match attempt {
                Ok((publisher, sink, stream)) => {
                    self.health.up.store(true, Ordering::Release);
                    let missed = self.health.local_only.swap(0, Ordering::Relaxed);
                    if was_connected {
                        tracing::info!(local_only_events = missed, "Redis event bus reconnected");
                    } else {
                        tracing::info!(local_only_events = missed, "Redis event bus connected");
                    }
                    was_connected = true;
                    delay = FIRST_BACKOFF;
                    let ended = self.serve(publisher, sink, stream).await;
                    self.health.up.store(false, Ordering::Release);
                    match ended {
                        Ended::Stop => return,
                        Ended::Lost(why) => tracing::warn!(
                            error = %why,
                            retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                            "lost the Redis event bus; reconnecting (events stay local meanwhile)"
                        ),
                    }
                }
                Err(why) => tracing::warn!(
                    error = %why,
                    retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "Redis event bus unreachable; retrying"
                ),
            }
            // Back off, still delivering whatever was queued before the loss.
            let pause = tokio::time::sleep(delay);
            tokio::pin!(pause);
            loop {
                tokio::select! {
                    () = &mut pause => break,
                    m = self.rx.recv() => match m {
                        Some((t, e)) => self.local.publish(t, e),
                        None => return,
                    },
                }
            }
            delay = (delay * 2).min(MAX_BACKOFF);
        }
    }

    async fn serve(
        &mut self,
        mut publisher: MultiplexedConnection,
        mut sink: PubSubSink,
        mut stream: PubSubStream,
    ) -> Ended {
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ping.tick().await;
        loop {
            tokio::select! {
                msg = stream.next() => match msg {
                    Some(msg) => self.receive(&msg),
                    None => return Ended::Lost("the subscription connection closed".into()),
                },
                m = self.rx.recv() => match m {
                    Some((tenant, event)) => {
                        if let Err(why) = self.send(&mut publisher, tenant, &event).await {
                            // Not published: this process's subscribers still get it.
                            self.local.publish(tenant, event);
                            return Ended::Lost(why);
                        }
                    }
                    None => return Ended::Stop,
                },
                _ = ping.tick() => {
                    let publisher_ok = tokio::time::timeout(
                        COMMAND_TIMEOUT,
                        redis::cmd("PING").query_async::<redis::Value>(&mut publisher),
                    )
                    .await;
                    let subscriber_ok =
                        tokio::time::timeout(COMMAND_TIMEOUT, sink.ping::<redis::Value>()).await;
                    match (publisher_ok, subscriber_ok) {
                        (Ok(Ok(_)), Ok(Ok(_))) => {}
                        (Ok(Err(e)), _) | (_, Ok(Err(e))) => return Ended::Lost(e.to_string()),
                        _ => return Ended::Lost("PING timed out".into()),
                    }
                }
            }
        }
    }

    async fn send(
        &self,
        publisher: &mut MultiplexedConnection,
        tenant: TenantId,
        event: &LoyaltyEvent,
    ) -> Result<(), String> {
        let payload = serde_json::to_vec(&OutEnvelope { tenant, event })
            .map_err(|e| format!("serialising an event: {e}"))?;
        let mut publish = redis::cmd("PUBLISH");
        publish.arg(channel(&self.prefix, tenant)).arg(payload);
        match tokio::time::timeout(COMMAND_TIMEOUT, publish.query_async::<i64>(publisher)).await {
            Ok(Ok(_receivers)) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("PUBLISH timed out".into()),
        }
    }

    /// Hands a message to the local broadcast if its channel and payload agree
    /// on the tenant.
    fn receive(&self, msg: &redis::Msg) {
        match decode(
            &self.prefix,
            msg.get_channel_name(),
            msg.get_payload_bytes(),
        ) {
            Ok((tenant, event)) => self.local.publish(tenant, event),
            Err(why) => tracing::warn!(
                channel = msg.get_channel_name(),
                reason = why,
                "dropped a Redis bus message"
            ),
        }
    }
}

/// The tenant and event of a message on `channel`, if it is well-formed and
/// its payload's tenant is the channel's.
fn decode(
    prefix: &str,
    channel: &str,
    payload: &[u8],
) -> Result<(TenantId, LoyaltyEvent), &'static str> {
    let tenant: TenantId = channel
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix(":events:"))
        .ok_or("not an event channel")?
        .parse()
        .map_err(|_| "the channel names no tenant")?;
    let envelope: InEnvelope =
        serde_json::from_slice(payload).map_err(|_| "the payload is not an event")?;
    if envelope.tenant != tenant {
        return Err("the payload's tenant differs from the channel's");
    }
    Ok((tenant, envelope.event))
}

/// Connects the publishing connection and the subscription, within
/// [`CONNECT_TIMEOUT`].
async fn connect(
    client: &redis::Client,
    prefix: &str,
) -> Result<(MultiplexedConnection, PubSubSink, PubSubStream), String> {
    let attempt = async {
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(COMMAND_TIMEOUT));
        let publisher = client
            .get_multiplexed_async_connection_with_config(&config)
            .await?;
        let (mut sink, stream) = client.get_async_pubsub().await?.split();
        sink.psubscribe(format!("{prefix}:events:*")).await?;
        Ok::<_, redis::RedisError>((publisher, sink, stream))
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ids::{GuestId, PromotionId};

    fn event() -> LoyaltyEvent {
        LoyaltyEvent::PromotionGranted {
            promotion: PromotionId::new(),
            guest: GuestId::new(),
            points: 7,
        }
    }

    #[test]
    fn an_event_round_trips_through_its_tenant_channel() {
        let tenant = TenantId::new();
        let e = event();
        let payload = serde_json::to_vec(&OutEnvelope { tenant, event: &e }).expect("json");
        let (t, back) = decode("p", &channel("p", tenant), &payload).expect("decodes");
        assert_eq!((t, back), (tenant, e));
    }

    #[test]
    fn a_payload_naming_another_tenant_is_dropped() {
        let (a, b) = (TenantId::new(), TenantId::new());
        let payload = serde_json::to_vec(&OutEnvelope {
            tenant: a,
            event: &event(),
        })
        .expect("json");
        assert!(decode("p", &channel("p", b), &payload).is_err());
        assert!(decode("q", &channel("p", a), &payload).is_err());
        assert!(decode("p", "p:events:nope", &payload).is_err());
        assert!(decode("p", &channel("p", a), b"{}").is_err());
    }

    #[test]
    fn bad_prefixes_and_urls_are_refused() {
        let local: Arc<dyn EventPublisher> = Arc::new(domain::loyalty::NoEvents);
        assert!(matches!(
            RedisBus::start("redis://127.0.0.1:1", "a*", Arc::clone(&local)),
            Err(RedisBusError::Prefix(_))
        ));
        assert!(matches!(
            RedisBus::start("http://nope", "a", local),
            Err(RedisBusError::Url(_))
        ));
    }
}
