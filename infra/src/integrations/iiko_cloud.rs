//! The iikoCloud API (`/api/1/…`), asked before an iiko order's points effect:
//! an access token from `access_token {apiLogin}` (kept for 45 minutes of its
//! hour, renewed once when a call answers 401), then the order by id from
//! `deliveries/by_id` or `order/by_id`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use domain::integrations::{IikoCloud, IikoCloudError, IikoOrderKind};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// How long an access token is used (iikoCloud issues them for an hour).
const TOKEN_TTL: Duration = Duration::from_secs(45 * 60);
/// One request's time limit.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The iikoCloud client.
pub struct IikoCloudApi {
    http: reqwest::Client,
    base: String,
    /// Access tokens by the digest of their `apiLogin`.
    tokens: Mutex<HashMap<String, (String, Instant)>>,
}

impl IikoCloudApi {
    /// A client of iikoCloud at `base` (`https://api-ru.iiko.services`, or a mock in tests).
    ///
    /// # Errors
    /// The HTTP client could not be built.
    pub fn new(base: &str) -> Result<Self, String> {
        let http = crate::http::api_client(TIMEOUT)?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            tokens: Mutex::new(HashMap::new()),
        })
    }

    fn key(login: &str) -> String {
        Sha256::digest(login.as_bytes())
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn tokens(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Instant)>> {
        self.tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// POSTs `body` to `path`; the status and the JSON answer (`Null` when not JSON).
    async fn post(
        &self,
        path: &str,
        bearer: Option<&str>,
        body: &Value,
    ) -> Result<(u16, Value), IikoCloudError> {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(t) = bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let resp = req
            .send()
            .await
            .map_err(|e| IikoCloudError::Unavailable(crate::http::error_kind(&e)))?;
        let status = resp.status().as_u16();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| IikoCloudError::Unavailable(crate::http::error_kind(&e)))?;
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    /// A fresh access token for `login`.
    async fn new_token(&self, login: &str) -> Result<String, IikoCloudError> {
        let (status, answer) = self
            .post("/api/1/access_token", None, &json!({ "apiLogin": login }))
            .await?;
        match status {
            200 => {
                let token = answer
                    .get("token")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| {
                        IikoCloudError::Unavailable("access_token answered without a token".into())
                    })?
                    .to_owned();
                self.tokens()
                    .insert(Self::key(login), (token.clone(), Instant::now()));
                Ok(token)
            }
            _ => Err(classify(status, &answer)),
        }
    }

    async fn token(&self, login: &str) -> Result<String, IikoCloudError> {
        let cached = self
            .tokens()
            .get(&Self::key(login))
            .filter(|(_, at)| at.elapsed() < TOKEN_TTL)
            .map(|(t, _)| t.clone());
        match cached {
            Some(t) => Ok(t),
            None => self.new_token(login).await,
        }
    }
}

/// What a non-200 answer means: 5xx, 408 and 429 pass; the rest is a refusal.
fn classify(status: u16, answer: &Value) -> IikoCloudError {
    let why = answer
        .get("errorDescription")
        .and_then(Value::as_str)
        .map_or_else(
            || format!("HTTP {status}"),
            |d| format!("HTTP {status}: {}", d.chars().take(200).collect::<String>()),
        );
    if status >= 500 || status == 408 || status == 429 {
        IikoCloudError::Unavailable(why)
    } else {
        IikoCloudError::Refused(why)
    }
}

#[async_trait]
impl IikoCloud for IikoCloudApi {
    async fn check_login(&self, api_login: &str) -> Result<(), IikoCloudError> {
        self.new_token(api_login).await.map(|_| ())
    }

    async fn order_info(
        &self,
        api_login: &str,
        kind: IikoOrderKind,
        organization_id: &str,
        order_id: &str,
    ) -> Result<Option<Value>, IikoCloudError> {
        let (path, body) = match kind {
            IikoOrderKind::Delivery => (
                "/api/1/deliveries/by_id",
                json!({ "organizationId": organization_id, "orderIds": [order_id] }),
            ),
            IikoOrderKind::Table => (
                "/api/1/order/by_id",
                json!({ "organizationIds": [organization_id], "orderIds": [order_id] }),
            ),
        };
        let mut token = self.token(api_login).await?;
        let mut renewed = false;
        loop {
            let (status, answer) = self.post(path, Some(&token), &body).await?;
            match status {
                200 => {
                    let orders =
                        answer
                            .get("orders")
                            .and_then(Value::as_array)
                            .ok_or_else(|| {
                                IikoCloudError::Unavailable(format!(
                                    "{path} answered without orders"
                                ))
                            })?;
                    return Ok(orders
                        .iter()
                        .find(|o| o.get("id").and_then(Value::as_str) == Some(order_id))
                        .cloned());
                }
                // The token ended early (or was revoked): once more with a new one.
                401 if !renewed => {
                    self.tokens().remove(&Self::key(api_login));
                    token = self.new_token(api_login).await?;
                    renewed = true;
                }
                _ => return Err(classify(status, &answer)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_trouble_is_retried_and_refusals_are_not() {
        let e = json!({ "errorDescription": "Login 'x' is not authorized" });
        assert!(
            matches!(classify(401, &e), IikoCloudError::Refused(m) if m.contains("not authorized"))
        );
        assert!(matches!(
            classify(400, &Value::Null),
            IikoCloudError::Refused(_)
        ));
        assert!(matches!(
            classify(500, &Value::Null),
            IikoCloudError::Unavailable(_)
        ));
        assert!(matches!(
            classify(429, &Value::Null),
            IikoCloudError::Unavailable(_)
        ));
        assert!(matches!(
            classify(408, &Value::Null),
            IikoCloudError::Unavailable(_)
        ));
    }

    #[test]
    fn tokens_are_kept_by_a_digest_of_the_login() {
        assert_eq!(IikoCloudApi::key("a").len(), 32);
        assert_ne!(IikoCloudApi::key("a"), IikoCloudApi::key("b"));
        assert!(!IikoCloudApi::key("secret-login").contains("secret"));
    }
}
