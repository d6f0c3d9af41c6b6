//! The Telegram Bot API over HTTPS: `sendMessage` in HTML mode, with the
//! limits Telegram documents kept in this process: at most one message a
//! second to one chat and about 30 a second per bot. A send that would wait
//! longer than a few seconds is handed back as "retry after" instead, so the
//! job queue, not a worker slot, does the waiting.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use domain::notifications::{TelegramError, TelegramSender};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Spacing of messages to one chat.
const PER_CHAT: Duration = Duration::from_secs(1);
/// Spacing of messages of one bot (30 a second).
const PER_BOT: Duration = Duration::from_millis(34);
/// The longest this process waits in line before handing the wait to the queue.
const MAX_WAIT: Duration = Duration::from_secs(3);
/// One request's time limit.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The Bot API client.
pub struct BotApi {
    http: reqwest::Client,
    base: String,
    /// Next free slot per bot (`b:<digest>`) and per chat (`c:<digest>:<chat>`).
    slots: Mutex<HashMap<String, Instant>>,
}

#[derive(Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<Parameters>,
}

#[derive(Deserialize)]
struct Parameters {
    #[serde(default)]
    retry_after: Option<u64>,
}

impl BotApi {
    /// A client of the Bot API at `base` (`https://api.telegram.org`, or a mock in tests).
    ///
    /// # Errors
    /// The HTTP client could not be built.
    pub fn new(base: &str) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            slots: Mutex::new(HashMap::new()),
        })
    }

    /// Takes the next slot of the bot and of the chat: how long to wait for it,
    /// or `None` when that is longer than [`MAX_WAIT`] (nothing is taken then).
    fn reserve(&self, token: &str, chat: i64) -> Option<Duration> {
        let digest = hex(&Sha256::digest(token.as_bytes())[..8]);
        let (bot, chat) = (format!("b:{digest}"), format!("c:{digest}:{chat}"));
        let now = Instant::now();
        let mut slots = self
            .slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if slots.len() > 100_000 {
            slots.retain(|_, t| *t > now);
        }
        let at = [&bot, &chat]
            .iter()
            .filter_map(|k| slots.get(*k).copied())
            .fold(now, Instant::max);
        let wait = at - now;
        if wait > MAX_WAIT {
            return None;
        }
        slots.insert(bot, at + PER_BOT);
        slots.insert(chat, at + PER_CHAT);
        Some(wait)
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[async_trait]
impl TelegramSender for BotApi {
    async fn send_message(&self, token: &str, chat: i64, html: &str) -> Result<(), TelegramError> {
        match self.reserve(token, chat) {
            Some(w) if !w.is_zero() => tokio::time::sleep(w).await,
            Some(_) => {}
            None => return Err(TelegramError::RetryAfter(MAX_WAIT.as_secs().max(1))),
        }
        let url = format!("{}/bot{token}/sendMessage", self.base);
        let resp = self
            .http
            .post(&url)
            .header("content-type", "application/json")
            .body(
                serde_json::json!({
                    "chat_id": chat,
                    "text": html,
                    "parse_mode": "HTML",
                    "link_preview_options": { "is_disabled": true },
                })
                .to_string(),
            )
            .send()
            .await
            // The error text of reqwest may contain the URL (and so the token): keep only its kind.
            .map_err(|e| TelegramError::Unavailable(kind_of(&e)))?;
        let status = resp.status().as_u16();
        let answer: Option<Answer> = resp
            .bytes()
            .await
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        if status == 200 && answer.as_ref().is_some_and(|a| a.ok) {
            return Ok(());
        }
        let code = answer.as_ref().and_then(|a| a.error_code).unwrap_or(status);
        let description = answer
            .as_ref()
            .and_then(|a| a.description.clone())
            .unwrap_or_else(|| format!("HTTP {status}"));
        match code {
            429 => {
                let after = answer
                    .and_then(|a| a.parameters)
                    .and_then(|p| p.retry_after)
                    .unwrap_or(5);
                Err(TelegramError::RetryAfter(after.max(1)))
            }
            403 => Err(TelegramError::Blocked(description)),
            400..=499 => Err(TelegramError::Refused(description)),
            _ => Err(TelegramError::Unavailable(description)),
        }
    }
}

fn kind_of(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "cannot connect".into()
    } else {
        "request failed".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_space_one_chat_by_a_second_and_a_bot_by_34_ms() {
        let api = BotApi::new("http://127.0.0.1:9").expect("client");
        assert_eq!(api.reserve("t", 1), Some(Duration::ZERO));
        let second = api.reserve("t", 2).expect("slot");
        assert!(
            second > Duration::from_millis(20) && second <= PER_BOT,
            "{second:?}"
        );
        let same_chat = api.reserve("t", 1).expect("slot");
        assert!(same_chat > Duration::from_millis(900), "{same_chat:?}");
        // Another bot is not held up by the first one.
        assert_eq!(api.reserve("other", 1), Some(Duration::ZERO));
        // Three more to chat 1 fit within MAX_WAIT; the next does not.
        assert!(api.reserve("t", 1).is_some());
        assert!(api.reserve("t", 1).is_some());
        assert_eq!(api.reserve("t", 1), None);
    }
}
