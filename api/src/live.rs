//! Limits and lifetimes of live connections (GraphQL subscriptions over
//! websocket, socket.io): how many one tenant may hold open on this process,
//! and when a connection's credentials end.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use domain::TenantId;

/// The read buffer of a live connection's websocket (GraphQL subscriptions
/// and socket.io), in bytes. Live screens send little: an init with a token,
/// a subscription, pongs; a larger message just takes more reads. The codec
/// allocates this much per connection and zero-fills it before every read
/// attempt (the GraphQL protocol attempts one per event sent).
pub const READ_BUFFER: usize = 512;

/// Open live connections per tenant on this process, up to a maximum each.
#[derive(Clone)]
pub struct LiveLimits {
    max: usize,
    open: Arc<Mutex<HashMap<TenantId, usize>>>,
}

/// One open connection of a tenant; dropping it frees the place.
pub struct LivePermit {
    tenant: TenantId,
    open: Arc<Mutex<HashMap<TenantId, usize>>>,
}

impl LiveLimits {
    /// At most `max` open connections per tenant.
    #[must_use]
    pub fn new(max: usize) -> Self {
        Self {
            max: max.max(1),
            open: Arc::default(),
        }
    }

    /// A place for one more connection of `tenant`, unless it holds the maximum.
    #[must_use]
    pub fn acquire(&self, tenant: TenantId) -> Option<LivePermit> {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(tenant).or_insert(0);
        if *n >= self.max {
            return None;
        }
        *n += 1;
        Some(LivePermit {
            tenant,
            open: Arc::clone(&self.open),
        })
    }

    /// Connections of `tenant` open now.
    #[must_use]
    pub fn open(&self, tenant: TenantId) -> usize {
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&tenant)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for LivePermit {
    fn drop(&mut self) {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.tenant) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.tenant);
            }
        }
    }
}

/// When an access token (staff or guest JWT) ends: its `exp` claim. The token
/// has been verified before this is asked; API keys (not JWTs) have no end.
#[must_use]
pub fn token_expiry(authorization: &str) -> Option<DateTime<Utc>> {
    let token = authorization
        .trim()
        .strip_prefix("Bearer ")
        .or_else(|| authorization.trim().strip_prefix("bearer "))
        .unwrap_or_else(|| authorization.trim());
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    DateTime::from_timestamp(claims.get("exp")?.as_i64()?, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn live_connections_run_on_their_own_threads_unless_turned_off() {
        let thread = || std::thread::current().name().map(str::to_owned);
        let live = LiveRuntime::start(1).expect("live threads");
        assert_eq!(
            live.spawn(async move { thread() }).await.expect("ran"),
            Some("live".to_owned())
        );
        // Another server of the process shares them.
        let again = LiveRuntime::start(1).expect("live threads");
        assert_eq!(
            again.spawn(async move { thread() }).await.expect("ran"),
            Some("live".to_owned())
        );
        let off = LiveRuntime::start(0).expect("no threads");
        assert_ne!(
            off.spawn(async move { thread() }).await.expect("ran"),
            Some("live".to_owned())
        );
    }

    #[test]
    fn a_tenant_holds_at_most_its_maximum_and_dropping_frees_places() {
        let limits = LiveLimits::new(2);
        let (a, b) = (TenantId::new(), TenantId::new());
        let p1 = limits.acquire(a).expect("first");
        let _p2 = limits.acquire(a).expect("second");
        assert!(limits.acquire(a).is_none(), "third refused");
        assert!(
            limits.acquire(b).is_some(),
            "another tenant is not affected"
        );
        drop(p1);
        assert_eq!(limits.open(a), 1);
        assert!(limits.acquire(a).is_some(), "a freed place is reused");
    }

    #[test]
    fn the_expiry_of_a_jwt_is_read_and_other_strings_have_none() {
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"sub":"x","exp":1900000000}"#);
        let jwt = format!("e30.{claims}.sig");
        assert_eq!(
            token_expiry(&format!("Bearer {jwt}")).map(|t| t.timestamp()),
            Some(1_900_000_000)
        );
        assert_eq!(token_expiry("mlk_live_abc"), None);
        assert_eq!(token_expiry("a.!!!.c"), None);
    }
}

/// The threads that serve live connections (GraphQL subscriptions over
/// websocket, socket.io), apart from the ones that answer requests. A check
/// processed while 10 000 screens are open wakes 10 000 connection tasks; on
/// the request threads they queue ahead of every request (and of the database
/// answers those requests wait for), so a till waited seconds for its receipt.
/// On threads of their own they share the CPU with requests instead of
/// standing in front of them.
///
/// One runtime per process, made by the first server that asks (tests start
/// many); never dropped. With 0 threads, connections run where they arrive.
#[derive(Clone, Debug)]
pub struct LiveRuntime(Option<tokio::runtime::Handle>);

static LIVE_RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();

impl LiveRuntime {
    /// Live connections on `threads` threads of their own (0: on the caller's).
    ///
    /// # Errors
    /// The threads could not be started.
    pub fn start(threads: usize) -> std::io::Result<Self> {
        if threads == 0 {
            return Ok(Self(None));
        }
        if let Some(rt) = LIVE_RUNTIME.get() {
            return Ok(Self(Some(rt.handle().clone())));
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("live")
            .enable_all()
            .build()?;
        if let Err(extra) = LIVE_RUNTIME.set(rt) {
            // Another server made it first; this one is not needed (and may
            // not be dropped inside an async context).
            extra.shutdown_background();
        }
        Ok(Self(LIVE_RUNTIME.get().map(|rt| rt.handle().clone())))
    }

    /// Runs `task` on the live threads.
    pub fn spawn<F>(&self, task: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match &self.0 {
            Some(h) => h.spawn(task),
            None => tokio::spawn(task),
        }
    }
}
