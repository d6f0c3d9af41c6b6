//! The webhook transport: one reqwest client (rustls, no proxy, no redirects,
//! 15 s timeout) whose DNS resolver refuses hosts that resolve to forbidden
//! addresses, so the check happens on the addresses actually connected to, at
//! every attempt (no DNS-rebinding window). IP-literal URLs are checked before
//! sending, since they are not resolved.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use domain::webhooks::models::RESPONSE_EXCERPT_BYTES;
use domain::webhooks::{
    HttpOutcome, OutboundRequest, TargetRejection, WebhookTransport, is_forbidden_address,
};
use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};

/// The whole attempt, connection to last byte read.
const TIMEOUT: Duration = Duration::from_secs(15);
/// Resolving a host when an endpoint is saved.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

const REFUSED: &str = "webhooks are sent only to public addresses, and this host is or resolves to a private, loopback, link-local or reserved address";

/// Resolves with the system resolver and refuses forbidden addresses.
struct GuardedResolver {
    allow_private: bool,
}

async fn resolve(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, TargetRejection> {
    let addrs: Vec<SocketAddr> =
        tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((host, port)))
            .await
            .map_err(|_| TargetRejection::Unresolvable(format!("resolving {host} timed out")))?
            .map_err(|_| {
                TargetRejection::Unresolvable(format!("the host {host} does not resolve"))
            })?
            .collect();
    if addrs.is_empty() {
        return Err(TargetRejection::Unresolvable(format!(
            "the host {host} does not resolve"
        )));
    }
    if !allow_private && addrs.iter().any(|a| is_forbidden_address(a.ip())) {
        return Err(TargetRejection::Forbidden(REFUSED.to_owned()));
    }
    Ok(addrs)
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = resolve(&host, 0, allow_private).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The [`WebhookTransport`] over HTTP(S).
pub struct HttpTransport {
    client: reqwest::Client,
    allow_private: bool,
}

impl HttpTransport {
    /// A transport; with `allow_private`, private and loopback targets are
    /// allowed (development and tests only).
    ///
    /// # Errors
    /// The TLS backend could not be set up.
    pub fn new(allow_private: bool) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .user_agent(concat!("MaxLoyalty-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the webhook HTTP client: {e}"))?;
        Ok(Self {
            client,
            allow_private,
        })
    }

    fn parse(url: &str) -> Result<Url, TargetRejection> {
        let u = Url::parse(url).map_err(|_| {
            TargetRejection::Malformed(
                "give an absolute URL, like https://example.com/hooks".into(),
            )
        })?;
        if !matches!(u.scheme(), "http" | "https") {
            return Err(TargetRejection::Malformed(
                "use an http:// or https:// URL".into(),
            ));
        }
        if !u.username().is_empty() || u.password().is_some() {
            return Err(TargetRejection::Malformed(
                "remove the user name and password from the URL".into(),
            ));
        }
        if u.host().is_none() {
            return Err(TargetRejection::Malformed("the URL names no host".into()));
        }
        Ok(u)
    }

    /// The literal address of an IP-literal URL (those are never resolved).
    fn literal(u: &Url) -> Option<IpAddr> {
        // The URL parser already normalised IPv4 forms (0x7f000001 → 127.0.0.1).
        let host = u.host_str()?;
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .ok()
    }
}

/// The error and its causes, in words (`reqwest` hides the useful part deep).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let mut parts = vec![if e.is_connect() {
        "cannot connect".to_owned()
    } else {
        "the request failed".to_owned()
    }];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn retry_after(value: &str) -> Option<chrono::Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<i64>() {
        return (secs >= 0).then(|| chrono::Duration::seconds(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    (wait > chrono::Duration::zero()).then_some(wait)
}

/// At most `max` bytes of `bytes` as text, cut at a character boundary.
fn excerpt(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(max)]);
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[async_trait]
impl WebhookTransport for HttpTransport {
    async fn check_target(&self, url: &str) -> Result<(), TargetRejection> {
        let u = Self::parse(url)?;
        if let Some(ip) = Self::literal(&u) {
            if !self.allow_private && is_forbidden_address(ip) {
                return Err(TargetRejection::Forbidden(REFUSED.to_owned()));
            }
            return Ok(());
        }
        let host = u.host_str().unwrap_or_default();
        let port = u.port_or_known_default().unwrap_or(443);
        resolve(host, port, self.allow_private).await.map(|_| ())
    }

    async fn post(&self, r: &OutboundRequest) -> HttpOutcome {
        let refused = |error: String| HttpOutcome {
            error: Some(error),
            ..HttpOutcome::default()
        };
        let u = match Self::parse(&r.url) {
            Ok(u) => u,
            Err(e) => return refused(e.to_string()),
        };
        if let Some(ip) = Self::literal(&u)
            && !self.allow_private
            && is_forbidden_address(ip)
        {
            return refused(REFUSED.to_owned());
        }
        let started = Instant::now();
        let sent = self
            .client
            .post(u)
            .header(CONTENT_TYPE, "application/json")
            .header("webhook-id", &r.webhook_id)
            .header("webhook-timestamp", r.timestamp.to_string())
            .header("webhook-signature", &r.signature)
            .body(r.body.clone())
            .send()
            .await;
        let mut resp = match sent {
            Ok(resp) => resp,
            Err(e) => {
                return HttpOutcome {
                    latency_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                    error: Some(describe(&e)),
                    ..HttpOutcome::default()
                };
            }
        };
        let status = resp.status();
        let header = |name| {
            resp.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let wait = header(RETRY_AFTER).as_deref().and_then(retry_after);
        let error = status.is_redirection().then(|| {
            format!(
                "redirects are not followed (HTTP {} to {})",
                status.as_u16(),
                header(LOCATION).unwrap_or_else(|| "nowhere".into())
            )
        });
        // Read no more of the answer than the log keeps.
        let mut body = Vec::new();
        let mut read_error = None;
        while body.len() < RESPONSE_EXCERPT_BYTES {
            match resp.chunk().await {
                Ok(Some(c)) => body.extend_from_slice(&c),
                Ok(None) => break,
                Err(e) => {
                    read_error = Some(describe(&e));
                    break;
                }
            }
        }
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        HttpOutcome {
            status: Some(status.as_u16()),
            latency_ms,
            excerpt: (!body.is_empty()).then(|| excerpt(&body, RESPONSE_EXCERPT_BYTES)),
            retry_after: wait,
            // A body cut short after a 2xx answer still counts as delivered.
            error: error.or(read_error.filter(|_| !status.is_success())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn forbidden_and_malformed_targets_are_refused() {
        let t = HttpTransport::new(false).expect("client");
        for url in [
            "http://127.0.0.1/hook",
            "http://10.0.0.1/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:8080/",
            "http://0x7f000001/",
            "http://100.64.1.1/",
            "http://localhost/hook",
        ] {
            assert!(
                matches!(
                    t.check_target(url).await,
                    Err(TargetRejection::Forbidden(_))
                ),
                "{url} must be refused"
            );
            assert!(
                t.post(&request(url))
                    .await
                    .error
                    .is_some_and(|e| e.contains("public addresses")),
                "{url}"
            );
        }
        for url in [
            "ftp://example.com/",
            "not a url",
            "https://user:pw@example.com/",
            "/relative",
        ] {
            assert!(
                matches!(
                    t.check_target(url).await,
                    Err(TargetRejection::Malformed(_))
                ),
                "{url} is malformed"
            );
        }
        assert_eq!(t.check_target("https://203.0.113.7/hook").await, Ok(()));
        let open = HttpTransport::new(true).expect("client");
        assert_eq!(open.check_target("http://127.0.0.1:9/hook").await, Ok(()));
    }

    fn request(url: &str) -> OutboundRequest {
        OutboundRequest {
            url: url.into(),
            webhook_id: "msg_x".into(),
            timestamp: 0,
            signature: "v1,x".into(),
            body: "{}".into(),
        }
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        assert_eq!(retry_after("120"), Some(chrono::Duration::seconds(120)));
        assert_eq!(retry_after("-1"), None);
        assert_eq!(retry_after("soon"), None);
        let later = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc2822();
        assert!(retry_after(&later).is_some_and(|d| d > chrono::Duration::minutes(59)));
    }

    #[test]
    fn excerpts_are_cut_at_a_character_boundary() {
        let text = "ж".repeat(600);
        let e = excerpt(text.as_bytes(), 1024);
        assert!(e.len() <= 1024 && e.chars().all(|c| c == 'ж' || c == '\u{fffd}'));
        assert_eq!(excerpt(b"ok", 1024), "ok");
    }
}
