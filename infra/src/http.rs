//! What the clients of outside HTTP APIs (Telegram, iikoCloud) share: rustls,
//! a time limit per request, no redirects, and errors reduced to their kind
//! (reqwest's own text may contain the URL, and so a token).

use std::time::Duration;

/// How long connecting may take (within the time limit per request): a
/// connection that fails is known not to have carried the request.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A client with a time limit per request that follows no redirects.
///
/// # Errors
/// The HTTP client could not be built.
pub(crate) fn api_client(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())
}

/// What went wrong, without the URL.
pub(crate) fn error_kind(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "cannot connect".into()
    } else {
        "request failed".into()
    }
}
