//! What the notifications context needs from the outside world.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::models::{Channel, Notification, Preferences, Recipient};
use crate::Ctx;
use crate::identity::{Locale, StoreError};
use crate::ids::NotificationId;
use crate::jobs::NewJob;
use crate::page::{Page, PageRequest};

/// The job kind that sends one notification over one channel.
pub const DELIVER_JOB: &str = "notifications.deliver";

/// The job sending notification `id` over `channel` (deduplicated per pair).
#[must_use]
pub fn deliver_job(ctx: &Ctx, id: NotificationId, channel: Channel) -> NewJob {
    NewJob::new(
        DELIVER_JOB,
        serde_json::json!({ "notification": id.to_string(), "channel": channel.as_str() }),
    )
    .tenant(ctx.tenant())
    .dedupe_key(format!("notify:{id}:{}", channel.as_str()))
}

/// A notification to store, with what makes it unique and where it goes.
#[derive(Debug, Clone)]
pub struct NewNotification {
    /// The notification (id, recipient, kind, data, time).
    pub notification: Notification,
    /// Unique per tenant: what caused it and for whom (a second run stores nothing).
    pub dedupe_key: String,
    /// Shown in the centre (the recipient's in-app choice).
    pub visible: bool,
    /// Channels to send it on: each gets a pending delivery and a
    /// [`DELIVER_JOB`] in the same transaction.
    pub channels: Vec<Channel>,
}

/// What [`NotificationStore::create`] came to.
#[derive(Debug, Clone)]
pub enum Stored {
    /// Stored now.
    New(NewNotification),
    /// Stored before, by an earlier run of the same job (its dedupe key
    /// exists): that notification, and whether it is shown in the centre.
    Existing {
        /// The stored notification.
        notification: Notification,
        /// Shown in the centre.
        visible: bool,
    },
}

/// What to store for a recipient, given their stored choices (`None`: they
/// made none): a notification, or nothing when the choices allow none.
pub type NotificationPlan<'a> =
    dyn for<'p> Fn(Option<&'p StoredPreferences>) -> Option<NewNotification> + Send + Sync + 'a;

/// The outcome of claiming a delivery before sending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This run may send it (the claim lasts until the given time).
    Claimed,
    /// It was sent, skipped or given up already: do nothing.
    Finished,
    /// Another run holds a live claim: try again later.
    Busy,
    /// A run claimed it and never finished (it died while sending, or its
    /// claim ran out): it may have gone out, so it is given up (marked failed)
    /// rather than sent again.
    Interrupted,
    /// No such delivery.
    Missing,
}

/// How a claimed delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Sent.
    Sent,
    /// Not sent, and never will be (no address, no consent, blocked chat…).
    Skipped(String),
    /// Not sent; the job retries (the claim is released), not before `after_secs`.
    Retry {
        /// Why.
        reason: String,
        /// The wait the other side asked for.
        after_secs: Option<u64>,
    },
    /// Not sent; given up.
    Failed(String),
}

/// Storage of notifications, preferences and deliveries (tenant-scoped).
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// In one transaction: reads `recipient`'s stored choices, asks `plan`
    /// for the notification they allow, and stores it with its deliveries and
    /// their jobs. Returns what it stored, or what an earlier run stored
    /// under the same dedupe key (nothing written then); `None` (nothing
    /// written) when the plan made nothing.
    ///
    /// # Errors
    /// Storage failure.
    async fn create(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        plan: &NotificationPlan<'_>,
    ) -> Result<Option<Stored>, StoreError>;

    /// One notification of the tenant.
    ///
    /// # Errors
    /// `NotFound`, or storage failure.
    async fn get(&self, ctx: &Ctx, id: NotificationId) -> Result<Notification, StoreError>;

    /// A recipient's visible notifications, oldest first like every page.
    ///
    /// # Errors
    /// Storage failure.
    async fn list(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, StoreError>;

    /// How many visible notifications the recipient has not read.
    ///
    /// # Errors
    /// Storage failure.
    async fn unread_count(&self, ctx: &Ctx, recipient: Recipient) -> Result<u64, StoreError>;

    /// Marks the recipient's notifications read: `ids`, or all of them when
    /// `None`. Others' ids are ignored. Returns how many became read.
    ///
    /// # Errors
    /// Storage failure.
    async fn mark_read(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        ids: Option<&[NotificationId]>,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    /// The recipient's stored choices, if they made any.
    ///
    /// # Errors
    /// Storage failure.
    async fn preferences(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
    ) -> Result<Option<StoredPreferences>, StoreError>;

    /// Stores the recipient's choices (keeps the blocked mark).
    ///
    /// # Errors
    /// Storage failure.
    async fn set_preferences(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        prefs: Preferences,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Records that the recipient's Telegram chat blocked the bot (sends stop).
    ///
    /// # Errors
    /// Storage failure.
    async fn mark_telegram_blocked(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Records the recipient's language (keeps the choices and the blocked mark).
    ///
    /// # Errors
    /// Storage failure.
    async fn set_locale(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        locale: Locale,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Claims the delivery of `id` on `channel` until `until`, unless it is
    /// finished or claimed by a live run.
    ///
    /// # Errors
    /// Storage failure.
    async fn claim(
        &self,
        ctx: &Ctx,
        id: NotificationId,
        channel: Channel,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Claim, StoreError>;

    /// Ends a claimed delivery.
    ///
    /// # Errors
    /// Storage failure.
    async fn finish(
        &self,
        ctx: &Ctx,
        id: NotificationId,
        channel: Channel,
        outcome: &DeliveryOutcome,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}

/// A recipient's stored preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredPreferences {
    /// The choices.
    pub prefs: Preferences,
    /// When their Telegram chat blocked the bot, if it did.
    pub telegram_blocked_at: Option<DateTime<Utc>>,
    /// A guest's language, once the Mini App told it.
    pub locale: Option<Locale>,
}

/// Why a Telegram message was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TelegramError {
    /// 429: wait this many seconds.
    #[error("Telegram asked to wait {0} s")]
    RetryAfter(u64),
    /// 403: the user blocked the bot (or never started it).
    #[error("the chat blocked the bot: {0}")]
    Blocked(String),
    /// Another 4xx: retrying will not help.
    #[error("Telegram refused the message: {0}")]
    Refused(String),
    /// Network trouble before the request reached Telegram, or 5xx: try again.
    #[error("Telegram unavailable: {0}")]
    Unavailable(String),
    /// The request may have reached Telegram, but its answer was lost (the
    /// connection broke or timed out after it was sent): sending again could
    /// send the message twice.
    #[error("the answer from Telegram was lost: {0}")]
    AnswerLost(String),
}

/// Sends messages through the Telegram Bot API.
#[async_trait]
pub trait TelegramSender: Send + Sync {
    /// `sendMessage` with HTML parse mode, as the bot of `token`, to `chat`.
    ///
    /// # Errors
    /// See [`TelegramError`].
    async fn send_message(&self, token: &str, chat: i64, html: &str) -> Result<(), TelegramError>;
}
