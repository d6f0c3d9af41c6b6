//! The Telegram Bot API over HTTPS: `sendMessage` in HTML mode, with the
//! limits Telegram documents: at most one message a second to one chat and
//! about 30 a second per bot. The slots are kept in this process, or — with
//! [`BotApi::share_limits`] — in Redis, so that every server process sending
//! with the same bot shares them (one Lua script takes both slots atomically,
//! on Redis's clock). A send that would wait longer than a few seconds is
//! handed back as "retry after" instead, so the job queue, not a worker slot,
//! does the waiting. While Redis is unreachable the process's own slots are
//! used (and a warning logged once per outage).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use domain::notifications::{TelegramError, TelegramSender};
use redis::aio::MultiplexedConnection;
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

/// How long a slot request to Redis may take before this process's own slots are used.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

/// Takes the next slot of a bot (KEYS[1]) and of a chat (KEYS[2]) on Redis's
/// clock: ARGV = bot spacing, chat spacing, longest wait (ms). Returns the wait
/// in ms, or -1 when it would be longer than the longest wait (nothing taken).
const RESERVE_SCRIPT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = now
local b = tonumber(redis.call('GET', KEYS[1]) or '0')
local c = tonumber(redis.call('GET', KEYS[2]) or '0')
if b > at then at = b end
if c > at then at = c end
local wait = at - now
if wait > tonumber(ARGV[3]) then return -1 end
local nb = at + tonumber(ARGV[1])
local nc = at + tonumber(ARGV[2])
redis.call('SET', KEYS[1], nb, 'PX', nb - now + 1000)
redis.call('SET', KEYS[2], nc, 'PX', nc - now + 1000)
return wait
";

/// Slots kept in Redis for every process sending with the same bots.
struct SharedSlots {
    client: redis::Client,
    prefix: String,
    conn: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    /// Whether the last attempt failed (to log an outage once).
    down: AtomicBool,
}

/// The Bot API client.
pub struct BotApi {
    http: reqwest::Client,
    base: String,
    /// Next free slot per bot (`b:<digest>`) and per chat (`c:<digest>:<chat>`).
    slots: Mutex<HashMap<String, Instant>>,
    shared: Option<SharedSlots>,
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
        let http = crate::http::api_client(TIMEOUT)?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            slots: Mutex::new(HashMap::new()),
            shared: None,
        })
    }

    /// Keeps the per-bot and per-chat slots in Redis at `url` (keys
    /// `<prefix>:tg:…`), shared by every process configured the same way.
    ///
    /// # Errors
    /// An invalid Redis URL.
    pub fn share_limits(mut self, url: &str, prefix: &str) -> Result<Self, String> {
        let client = redis::Client::open(url).map_err(|e| e.to_string())?;
        self.shared = Some(SharedSlots {
            client,
            prefix: prefix.to_owned(),
            conn: tokio::sync::Mutex::new(None),
            down: AtomicBool::new(false),
        });
        Ok(self)
    }

    fn keys(token: &str, chat: i64) -> (String, String) {
        let digest = hex(&Sha256::digest(token.as_bytes())[..8]);
        (format!("b:{digest}"), format!("c:{digest}:{chat}"))
    }

    /// The next slot: from Redis when shared (falling back to this process's
    /// slots while Redis is unreachable), else from this process.
    async fn take_slot(&self, token: &str, chat: i64) -> Option<Duration> {
        if let Some(shared) = &self.shared {
            match tokio::time::timeout(REDIS_TIMEOUT, shared.reserve(token, chat)).await {
                Ok(Ok(wait)) => {
                    if shared.down.swap(false, Ordering::Relaxed) {
                        tracing::info!("Telegram rate limits are shared through Redis again");
                    }
                    return wait;
                }
                Ok(Err(e)) => shared.failed(&e.to_string()).await,
                Err(_) => shared.failed("timed out").await,
            }
        }
        self.reserve(token, chat)
    }

    /// Takes the next slot of the bot and of the chat: how long to wait for it,
    /// or `None` when that is longer than [`MAX_WAIT`] (nothing is taken then).
    fn reserve(&self, token: &str, chat: i64) -> Option<Duration> {
        let (bot, chat) = Self::keys(token, chat);
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

impl SharedSlots {
    async fn connection(&self) -> Result<MultiplexedConnection, redis::RedisError> {
        let mut conn = self.conn.lock().await;
        if let Some(c) = conn.as_ref() {
            return Ok(c.clone());
        }
        let c = self.client.get_multiplexed_async_connection().await?;
        *conn = Some(c.clone());
        Ok(c)
    }

    async fn reserve(&self, token: &str, chat: i64) -> Result<Option<Duration>, redis::RedisError> {
        let (bot, chat) = BotApi::keys(token, chat);
        let mut conn = self.connection().await?;
        let wait: i64 = redis::cmd("EVAL")
            .arg(RESERVE_SCRIPT)
            .arg(2)
            .arg(format!("{}:tg:{bot}", self.prefix))
            .arg(format!("{}:tg:{chat}", self.prefix))
            .arg(duration_ms(PER_BOT))
            .arg(duration_ms(PER_CHAT))
            .arg(duration_ms(MAX_WAIT))
            .query_async(&mut conn)
            .await?;
        Ok(u64::try_from(wait).ok().map(Duration::from_millis))
    }

    /// Forgets the connection (the next send reconnects) and logs an outage once.
    async fn failed(&self, why: &str) {
        *self.conn.lock().await = None;
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                error = why,
                "Redis unreachable: Telegram rate limits are kept per process until it is back"
            );
        }
    }
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[async_trait]
impl TelegramSender for BotApi {
    async fn send_message(&self, token: &str, chat: i64, html: &str) -> Result<(), TelegramError> {
        match self.take_slot(token, chat).await {
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
            // The error text of reqwest may contain the URL (and so the token): keep only its
            // kind. Only a failed connection is sure not to have reached Telegram.
            .map_err(|e| {
                let kind = crate::http::error_kind(&e);
                if e.is_connect() {
                    TelegramError::Unavailable(kind)
                } else {
                    TelegramError::AnswerLost(kind)
                }
            })?;
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

    /// Whether the test Redis (127.0.0.1:6379) is there: `MAXLOYALTY_TEST_REDIS=require`
    /// makes its absence a failure, `off` skips, unset tries.
    async fn test_redis() -> Option<String> {
        let url = "redis://127.0.0.1:6379/0".to_owned();
        let mode = std::env::var("MAXLOYALTY_TEST_REDIS").unwrap_or_else(|_| "auto".into());
        if mode == "off" {
            eprintln!("SKIPPED: Redis tests are off (MAXLOYALTY_TEST_REDIS=off)");
            return None;
        }
        let reachable = match redis::Client::open(url.as_str()) {
            Ok(c) => c.get_multiplexed_async_connection().await.is_ok(),
            Err(_) => false,
        };
        match (reachable, mode.as_str()) {
            (true, _) => Some(url),
            (false, "require") => {
                panic!("Redis is required (MAXLOYALTY_TEST_REDIS=require) but unusable at {url}")
            }
            (false, _) => {
                eprintln!("SKIPPED: no Redis at {url}");
                None
            }
        }
    }

    #[tokio::test]
    async fn two_processes_sharing_redis_share_the_slots_and_fall_back_without_it() {
        let Some(url) = test_redis().await else {
            return;
        };
        let prefix = format!("mltest{}", uuid::Uuid::new_v4().simple());
        let a = BotApi::new("http://127.0.0.1:9")
            .and_then(|b| b.share_limits(&url, &prefix))
            .expect("client");
        let b = BotApi::new("http://127.0.0.1:9")
            .and_then(|b| b.share_limits(&url, &prefix))
            .expect("client");
        assert_eq!(a.take_slot("t", 1).await, Some(Duration::ZERO));
        // The other process waits for the same chat a second, for the same bot 34 ms.
        let same_chat = b.take_slot("t", 1).await.expect("slot");
        assert!(same_chat > Duration::from_millis(900), "{same_chat:?}");
        let same_bot = b.take_slot("t", 2).await.expect("slot");
        assert!(
            same_bot > Duration::ZERO && same_bot <= Duration::from_millis(1100),
            "{same_bot:?}"
        );
        assert!(a.take_slot("t", 1).await.is_some());
        assert!(b.take_slot("t", 1).await.is_some());
        assert_eq!(
            a.take_slot("t", 1).await,
            None,
            "beyond the longest wait: nothing taken"
        );
        // Another bot is not held up.
        assert_eq!(b.take_slot("other", 1).await, Some(Duration::ZERO));
        // Redis unreachable: the process keeps its own slots.
        let lonely = BotApi::new("http://127.0.0.1:9")
            .and_then(|b| b.share_limits("redis://127.0.0.1:9/0", &prefix))
            .expect("client");
        assert_eq!(lonely.take_slot("t", 1).await, Some(Duration::ZERO));
        assert!(lonely.take_slot("t", 1).await.expect("slot") > Duration::from_millis(900));
    }
}
