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
//!
//! A committed transaction's live batch (see `domain::loyalty::events`) travels
//! as one message, published by a Lua script only if it can first set the
//! batch's marker key (`<prefix>:live:<id>`, kept for `LIVE_MEMORY`). The
//! outbox job first asks whether the key exists, and publishes late through
//! the same script, waiting for its answer: whichever comes first publishes,
//! and a connection lost around the script leaves either both the key and the
//! message or neither (the job then tries again).
//! A batch delivered only locally (Redis down) is remembered here, so that when
//! its outbox job later publishes it through Redis for the other processes,
//! this process's subscribers do not see it twice.

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use domain::TenantId;
use domain::events::EventId;
use domain::loyalty::events::LIVE_MEMORY;
use domain::loyalty::{BatchState, EventPublisher, LiveBatch, LoyaltyEvent};
use futures_util::StreamExt;
use redis::AsyncConnectionConfig;
use redis::aio::{MultiplexedConnection, PubSubSink, PubSubStream};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

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
/// Batches delivered only locally that this process remembers (see the module
/// documentation); past it, the oldest are forgotten.
const LOCAL_BATCHES: usize = 65_536;

/// Sets a batch's marker and publishes the batch, unless the marker was set:
/// KEYS[1] the marker, ARGV[1] its lifetime in ms, ARGV[2] the channel,
/// ARGV[3] the message. Returns 1 when published, 0 when not.
const PUBLISH_ONCE: &str = r"
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
";

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

/// What travels on a channel: one event, or a committed transaction's batch.
#[derive(Serialize)]
struct OutEnvelope<'a> {
    tenant: TenantId,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a LoyaltyEvent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch: Option<EventId>,
    #[serde(skip_serializing_if = "<[LoyaltyEvent]>::is_empty")]
    events: &'a [LoyaltyEvent],
}

impl<'a> OutEnvelope<'a> {
    fn event(tenant: TenantId, event: &'a LoyaltyEvent) -> Self {
        Self {
            tenant,
            event: Some(event),
            batch: None,
            events: &[],
        }
    }

    fn batch(batch: &'a LiveBatch) -> Self {
        Self {
            tenant: batch.tenant,
            event: None,
            batch: Some(batch.id),
            events: &batch.events,
        }
    }
}

#[derive(Deserialize)]
struct InEnvelope {
    tenant: TenantId,
    #[serde(default)]
    event: Option<LoyaltyEvent>,
    #[serde(default)]
    batch: Option<EventId>,
    #[serde(default)]
    events: Vec<LoyaltyEvent>,
}

/// A received message: its tenant, its batch id (for a batch) and its events.
type Received = (TenantId, Option<EventId>, Vec<LoyaltyEvent>);

/// Connection state shared by the publisher side and the connection task.
#[derive(Default)]
struct Health {
    up: AtomicBool,
    /// Events delivered to this process only since the last disconnect.
    local_only: AtomicU64,
    /// Batches delivered to this process only.
    local_batches: Mutex<LocalBatches>,
}

/// Ids of batches delivered to this process only, oldest first, for at most
/// [`LIVE_MEMORY`] and [`LOCAL_BATCHES`] of them.
#[derive(Default)]
struct LocalBatches {
    order: VecDeque<(EventId, Instant)>,
    ids: HashSet<EventId>,
}

impl Health {
    fn batches(&self) -> std::sync::MutexGuard<'_, LocalBatches> {
        self.local_batches
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Remembers a batch delivered only here (forgetting the oldest past the limits).
    fn delivered_locally(&self, id: EventId) {
        let memory = LIVE_MEMORY.to_std().unwrap_or(Duration::from_secs(600));
        let mut b = self.batches();
        while let Some((old, at)) = b.order.front().copied() {
            if b.order.len() < LOCAL_BATCHES && at.elapsed() < memory {
                break;
            }
            b.order.pop_front();
            b.ids.remove(&old);
        }
        b.order.push_back((id, Instant::now()));
        b.ids.insert(id);
    }

    /// Whether a batch arriving from Redis was delivered here already (it is
    /// then forgotten: it arrives once more at most).
    fn seen_locally(&self, id: EventId) -> bool {
        self.batches().ids.remove(&id)
    }
}

/// What the publishers ask of the connection task.
enum Cmd {
    /// Publish one event.
    Event(TenantId, LoyaltyEvent),
    /// Publish a batch just committed: once per id.
    Batch(LiveBatch),
    /// Publish a batch late (the outbox job): once per id, with the answer.
    Late(LiveBatch, oneshot::Sender<BatchState>),
    /// Whether a batch's marker is set.
    State(EventId, oneshot::Sender<BatchState>),
}

/// The Redis event bus (see the module documentation).
pub struct RedisBus {
    local: Arc<dyn EventPublisher>,
    queue: mpsc::Sender<Cmd>,
    health: Arc<Health>,
}

/// The channel of one tenant's events.
fn channel(prefix: &str, tenant: TenantId) -> String {
    format!("{prefix}:events:{tenant}")
}

/// The key marking a batch as published.
fn marker(prefix: &str, id: EventId) -> String {
    format!("{prefix}:live:{id}")
}

/// Delivers what a command carries to this process's subscribers only.
fn deliver(local: &dyn EventPublisher, health: &Health, cmd: Cmd) {
    match cmd {
        Cmd::Event(tenant, event) => local.publish(tenant, event),
        Cmd::Batch(batch) => {
            health.delivered_locally(batch.id);
            local.publish_batch(batch);
        }
        // A late batch is for the other processes: it waits for Redis (this
        // process published it at its commit, or was not running then).
        Cmd::Late(_, reply) | Cmd::State(_, reply) => {
            let _ = reply.send(BatchState::Unknown);
        }
    }
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

    fn deliver_locally(&self, cmd: Cmd, why: &str) {
        if matches!(cmd, Cmd::Event(..) | Cmd::Batch(_))
            && self.health.local_only.fetch_add(1, Ordering::Relaxed) == 0
        {
            tracing::warn!(
                reason = why,
                "Redis event bus unavailable: events reach this process's subscribers only until it is back"
            );
        }
        deliver(self.local.as_ref(), &self.health, cmd);
    }

    /// Hands a command to the connection task (publishing happens there, in
    /// order; the local broadcast is then fed by the subscription, so nothing
    /// arrives twice), or delivers it locally when Redis is not there.
    fn send(&self, cmd: Cmd) {
        if !self.is_connected() {
            self.deliver_locally(cmd, "disconnected");
            return;
        }
        match self.queue.try_send(cmd) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(cmd)) => {
                self.deliver_locally(cmd, "publish queue full");
            }
            Err(mpsc::error::TrySendError::Closed(cmd)) => {
                self.deliver_locally(cmd, "connection task ended");
            }
        }
    }
}

#[async_trait]
impl EventPublisher for RedisBus {
    fn publish(&self, tenant: TenantId, event: LoyaltyEvent) {
        self.send(Cmd::Event(tenant, event));
    }

    fn publish_batch(&self, batch: LiveBatch) {
        self.send(Cmd::Batch(batch));
    }

    async fn batch_state(&self, id: EventId) -> BatchState {
        let (tx, rx) = oneshot::channel();
        self.send(Cmd::State(id, tx));
        answer(rx).await
    }

    async fn publish_late(&self, batch: LiveBatch) -> BatchState {
        let (tx, rx) = oneshot::channel();
        self.send(Cmd::Late(batch, tx));
        answer(rx).await
    }
}

/// The connection task's answer about a batch, or `Unknown` when it does not
/// come in time.
async fn answer(rx: oneshot::Receiver<BatchState>) -> BatchState {
    match tokio::time::timeout(COMMAND_TIMEOUT * 2, rx).await {
        Ok(Ok(state)) => state,
        _ => BatchState::Unknown,
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
    rx: mpsc::Receiver<Cmd>,
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
                            Some(cmd) => deliver(self.local.as_ref(), &self.health, cmd),
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
                        Some(cmd) => deliver(self.local.as_ref(), &self.health, cmd),
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
                    Some(cmd) => {
                        if let Err((why, cmd)) = self.execute(&mut publisher, cmd).await {
                            // Not published: this process's subscribers still get it.
                            if let Some(cmd) = cmd {
                                deliver(self.local.as_ref(), &self.health, cmd);
                            }
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

    /// Runs one command against Redis. On a failure, the command comes back
    /// when it still has something to deliver locally (a question is answered
    /// [`BatchState::Unknown`] here).
    async fn execute(
        &self,
        publisher: &mut MultiplexedConnection,
        cmd: Cmd,
    ) -> Result<(), (String, Option<Cmd>)> {
        let memory_ms = LIVE_MEMORY.num_milliseconds();
        let command = match &cmd {
            Cmd::Event(tenant, event) => {
                let payload = serde_json::to_vec(&OutEnvelope::event(*tenant, event))
                    .map_err(|e| (format!("serialising an event: {e}"), None))?;
                let mut c = redis::cmd("PUBLISH");
                c.arg(channel(&self.prefix, *tenant)).arg(payload);
                c
            }
            Cmd::Batch(batch) | Cmd::Late(batch, _) => {
                let payload = serde_json::to_vec(&OutEnvelope::batch(batch))
                    .map_err(|e| (format!("serialising events: {e}"), None))?;
                let mut c = redis::cmd("EVAL");
                c.arg(PUBLISH_ONCE)
                    .arg(1)
                    .arg(marker(&self.prefix, batch.id))
                    .arg(memory_ms)
                    .arg(channel(&self.prefix, batch.tenant))
                    .arg(payload);
                c
            }
            Cmd::State(id, _) => {
                let mut c = redis::cmd("EXISTS");
                c.arg(marker(&self.prefix, *id));
                c
            }
        };
        let answer = tokio::time::timeout(
            COMMAND_TIMEOUT,
            command.query_async::<redis::Value>(publisher),
        )
        .await;
        let failure = match answer {
            Ok(Ok(value)) => {
                match cmd {
                    // Out now, or by whoever set the marker first.
                    Cmd::Late(_, reply) => {
                        let _ = reply.send(BatchState::Published);
                    }
                    Cmd::State(_, reply) => {
                        let _ = reply.send(if matches!(value, redis::Value::Int(0)) {
                            BatchState::Unpublished
                        } else {
                            BatchState::Published
                        });
                    }
                    Cmd::Event(..) | Cmd::Batch(_) => {}
                }
                return Ok(());
            }
            Ok(Err(e)) => e.to_string(),
            Err(_) => "a Redis command timed out".to_owned(),
        };
        Err((failure, Some(cmd)))
    }

    /// Hands a message to the local broadcast if its channel and payload agree
    /// on the tenant (a batch already delivered here while Redis was down is
    /// not delivered again).
    fn receive(&self, msg: &redis::Msg) {
        match decode(
            &self.prefix,
            msg.get_channel_name(),
            msg.get_payload_bytes(),
        ) {
            Ok((tenant, Some(id), events)) => {
                if !self.health.seen_locally(id) {
                    for e in events {
                        self.local.publish(tenant, e);
                    }
                }
            }
            Ok((tenant, None, events)) => {
                for e in events {
                    self.local.publish(tenant, e);
                }
            }
            Err(why) => tracing::warn!(
                channel = msg.get_channel_name(),
                reason = why,
                "dropped a Redis bus message"
            ),
        }
    }
}

/// The tenant, batch id and events of a message on `channel`, if it is
/// well-formed and its payload's tenant is the channel's.
fn decode(prefix: &str, channel: &str, payload: &[u8]) -> Result<Received, &'static str> {
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
    match (envelope.event, envelope.batch) {
        (Some(event), None) => Ok((tenant, None, vec![event])),
        (None, Some(id)) => Ok((tenant, Some(id), envelope.events)),
        _ => Err("the payload is neither an event nor a batch"),
    }
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
        let payload = serde_json::to_vec(&OutEnvelope::event(tenant, &e)).expect("json");
        let back = decode("p", &channel("p", tenant), &payload).expect("decodes");
        assert_eq!(back, (tenant, None, vec![e]));
    }

    #[test]
    fn a_batch_round_trips_as_one_message_with_its_id() {
        let tenant = TenantId::new();
        let batch = LiveBatch::new(tenant, chrono::Utc::now(), vec![event(), event()]);
        let payload = serde_json::to_vec(&OutEnvelope::batch(&batch)).expect("json");
        let back = decode("p", &channel("p", tenant), &payload).expect("decodes");
        assert_eq!(back, (tenant, Some(batch.id), batch.events));
    }

    #[test]
    fn a_batch_delivered_locally_is_not_delivered_again_from_redis() {
        let health = Health::default();
        let (a, b) = (EventId::new(), EventId::new());
        health.delivered_locally(a);
        assert!(health.seen_locally(a));
        assert!(!health.seen_locally(a), "it arrives once more at most");
        assert!(!health.seen_locally(b));
    }

    #[test]
    fn the_memory_of_local_batches_is_bounded_and_forgets_the_oldest() {
        let health = Health::default();
        let ids: Vec<EventId> = (0..=LOCAL_BATCHES).map(|_| EventId::new()).collect();
        for id in &ids {
            health.delivered_locally(*id);
        }
        assert_eq!(health.batches().order.len(), LOCAL_BATCHES);
        assert!(!health.seen_locally(ids[0]), "the oldest is forgotten");
        assert!(health.seen_locally(ids[1]));
        assert!(health.seen_locally(ids[LOCAL_BATCHES]));
    }

    #[test]
    fn a_payload_naming_another_tenant_is_dropped() {
        let (a, b) = (TenantId::new(), TenantId::new());
        let e = event();
        let payload = serde_json::to_vec(&OutEnvelope::event(a, &e)).expect("json");
        assert!(decode("p", &channel("p", b), &payload).is_err());
        assert!(decode("q", &channel("p", a), &payload).is_err());
        assert!(decode("p", "p:events:nope", &payload).is_err());
        assert!(decode("p", &channel("p", a), b"{}").is_err());
        let neither = serde_json::json!({ "tenant": a.to_string() }).to_string();
        assert!(decode("p", &channel("p", a), neither.as_bytes()).is_err());
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
