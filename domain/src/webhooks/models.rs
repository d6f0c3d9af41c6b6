//! Webhook endpoints, deliveries and attempts, and the pure rules over them:
//! the retry schedule with jitter, the health rules that disable an endpoint,
//! and which network addresses a delivery may never reach (SSRF).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::{DateTime, Duration, Utc};

use crate::events::EventId;
use crate::ids::{WebhookDeliveryId, WebhookEndpointId};

/// When each attempt of a delivery starts, counted from the previous one:
/// at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h
/// (ten attempts over about three days).
pub const RETRY_SCHEDULE_SECS: [i64; 10] = [
    0, 5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400,
];

/// Attempts per delivery.
pub const MAX_ATTEMPTS: u32 = 10;

/// An endpoint that has failed every attempt for this long is disabled.
pub const FAILING_DISABLE_AFTER_HOURS: i64 = 72;

/// How long a rotated-out secret keeps signing by default.
pub const DEFAULT_ROTATION_OVERLAP_HOURS: i64 = 24;

/// The longest rotation overlap accepted.
pub const MAX_ROTATION_OVERLAP_HOURS: i64 = 7 * 24;

/// The longest `Retry-After` honoured (longer ones are cut to this).
pub const MAX_RETRY_AFTER_SECS: i64 = 24 * 3600;

/// The most of a response body kept in the delivery log, in bytes.
pub const RESPONSE_EXCERPT_BYTES: usize = 1024;

/// The delay before the attempt that follows attempt number `attempt`
/// (1-based), spread by ±5 % with `random` (wider would let the 20 h and 24 h
/// waits swap) so endpoints that failed together
/// do not all retry together; `None` once the schedule is used up.
#[must_use]
pub fn next_retry_delay(attempt: u32, random: u64) -> Option<Duration> {
    let base_secs = *RETRY_SCHEDULE_SECS.get(usize::try_from(attempt).ok()?)?;
    let base_ms = base_secs * 1000;
    let spread = base_ms / 20;
    let span = u64::try_from(2 * spread + 1).unwrap_or(1);
    let offset = i64::try_from(random % span).unwrap_or(0);
    Some(Duration::milliseconds(base_ms - spread + offset))
}

/// Whether a delivery may never connect to `ip`: unspecified, loopback,
/// private (RFC 1918, IPv6 unique local), link-local (incl. cloud metadata at
/// 169.254.169.254), carrier-grade NAT (100.64.0.0/10), multicast, broadcast
/// and other reserved ranges; IPv4 addresses embedded in IPv6 (mapped,
/// compatible, NAT64) are judged as IPv4.
#[must_use]
pub fn is_forbidden_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let s = ip.segments();
    // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96).
    let o = ip.octets();
    let embedded = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
    if s[..6] == [0; 6] && !ip.is_loopback() && !ip.is_unspecified() {
        return forbidden_v4(embedded);
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] {
        return forbidden_v4(embedded);
    }
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
}

/// A webhook endpoint of a business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEndpoint {
    /// Id.
    pub id: WebhookEndpointId,
    /// Where deliveries are POSTed (`https://…`, or `http://…`).
    pub url: String,
    /// What it is for.
    pub description: Option<String>,
    /// The event types it receives.
    pub event_types: Vec<String>,
    /// Whether deliveries are sent.
    pub enabled: bool,
    /// Why it was disabled (by a person, a 410 answer, or three days of failures).
    pub disabled_reason: Option<String>,
    /// When it was disabled.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Since when every attempt failed (`None` while healthy).
    pub failing_since: Option<DateTime<Utc>>,
    /// When the current secret was issued.
    pub secret_rotated_at: DateTime<Utc>,
    /// Until when the previous secret also signs (after a rotation).
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl WebhookEndpoint {
    /// Whether it receives events of `event_type`.
    #[must_use]
    pub fn subscribes_to(&self, event_type: &str) -> bool {
        self.event_types.iter().any(|t| t == event_type)
    }
}

/// A new endpoint, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewEndpoint {
    /// URL.
    pub url: String,
    /// Event types (at least one).
    pub event_types: Vec<String>,
    /// Description.
    pub description: Option<String>,
}

/// Changes to an endpoint (`None` = unchanged; `Some(None)` clears the description).
#[derive(Debug, Clone, Default)]
pub struct EndpointChanges {
    /// URL.
    pub url: Option<String>,
    /// Event types.
    pub event_types: Option<Vec<String>>,
    /// Description.
    pub description: Option<Option<String>>,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    /// Waiting for its first attempt or a retry.
    Pending,
    /// A 2xx answer was received.
    Succeeded,
    /// Gave up: the schedule ran out, the endpoint answered 410, or it was
    /// disabled for failing.
    Failed,
    /// Not sent: the endpoint was disabled meanwhile.
    Cancelled,
}

impl DeliveryStatus {
    /// Storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Succeeded,
            Self::Failed,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }

    /// Whether nothing more will be sent.
    #[must_use]
    pub const fn is_final(self) -> bool {
        !matches!(self, Self::Pending)
    }
}

/// One event sent (or to be sent) to one endpoint. A redelivery is a new
/// delivery of the same event, with the same `webhook-id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    /// Id.
    pub id: WebhookDeliveryId,
    /// The endpoint.
    pub endpoint: WebhookEndpointId,
    /// The event (its id is the `webhook-id`).
    pub event: EventId,
    /// The event's type.
    pub event_type: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempt_count: u32,
    /// The last answer's HTTP status.
    pub last_status_code: Option<u16>,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// When the next attempt is due (while pending and retrying).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Its attempts, oldest first (filled by the delivery log).
    pub attempts: Vec<DeliveryAttempt>,
}

/// One HTTP attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// The delivery.
    pub delivery: WebhookDeliveryId,
    /// 1 for the first attempt.
    pub number: u32,
    /// When it started.
    pub attempted_at: DateTime<Utc>,
    /// The answer's status (`None` when none came: timeout, refused, …).
    pub status_code: Option<u16>,
    /// How long it took, in milliseconds.
    pub latency_ms: u64,
    /// The start of the answer's body (at most [`RESPONSE_EXCERPT_BYTES`]).
    pub response_excerpt: Option<String>,
    /// What went wrong, in words.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn private_and_special_addresses_are_forbidden() {
        for a in [
            "127.0.0.1",
            "127.3.4.5",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "0.0.0.0",
            "0.1.2.3",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.0.8",
            "198.18.0.1",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(is_forbidden_address(ip(a)), "{a} must be refused");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for a in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.215.14",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "203.0.113.10",
            "2606:4700:4700::1111",
            "2a00:1450:4010::8a",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(!is_forbidden_address(ip(a)), "{a} must be allowed");
        }
    }

    #[test]
    fn the_schedule_is_followed_then_ends() {
        let mid = |attempt: u32| {
            let base = RETRY_SCHEDULE_SECS[attempt as usize] * 1000;
            next_retry_delay(attempt, u64::try_from(base / 20).unwrap_or(0))
                .map(|d| d.num_milliseconds())
        };
        assert_eq!(mid(1), Some(5_000));
        assert_eq!(mid(2), Some(300_000));
        assert_eq!(mid(3), Some(1_800_000));
        assert_eq!(mid(9), Some(86_400_000));
        assert_eq!(next_retry_delay(10, 0), None, "ten attempts in all");
        let total: i64 = RETRY_SCHEDULE_SECS.iter().sum();
        assert!(
            total > FAILING_DISABLE_AFTER_HOURS * 3600,
            "the schedule outlasts three days"
        );
    }

    proptest! {
        #[test]
        fn jitter_stays_within_five_percent_and_never_reorders(attempt in 1_u32..10, r in any::<u64>(), r2 in any::<u64>()) {
            let base = RETRY_SCHEDULE_SECS[attempt as usize] * 1000;
            let d = next_retry_delay(attempt, r).map(|d| d.num_milliseconds()).unwrap_or(-1);
            prop_assert!(d >= base - base / 20 && d <= base + base / 20);
            if attempt < 9 {
                let next = next_retry_delay(attempt + 1, r2).map(|d| d.num_milliseconds()).unwrap_or(-1);
                prop_assert!(next > d);
            }
        }
    }
}
