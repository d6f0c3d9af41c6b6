//! Limits and lifetimes of live connections (GraphQL subscriptions over
//! websocket, socket.io): how many one tenant may hold open on this process,
//! and when a connection's credentials end.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use domain::TenantId;

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
