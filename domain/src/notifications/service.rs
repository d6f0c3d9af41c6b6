//! The notifications use cases: turning domain events into notifications for
//! guests and staff, the centre (list, unread count, mark read), preferences,
//! and the delivery of one notification over one channel (the job's work).
//!
//! A notification is stored with its deliveries and their jobs in one
//! transaction (the outbox); the live `NotificationCreated` event is published
//! after that commits, and the job that made the notification (itself an
//! outbox row) ends only once the bus vouches that it went out. Each delivery
//! is claimed before sending and finished after, so a job that runs twice
//! sends nothing the second time.

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};

use super::models::{Channel, Notification, NotificationKind, Preferences, Recipient};
use super::ports::{
    Claim, DeliveryOutcome, NewNotification, NotificationStore, Stored, StoredPreferences,
    TelegramError, TelegramSender,
};
use super::render::{email_bodies, render, telegram_html};
use crate::events::{DomainEvent, EventId, types};
use crate::identity::ports::{
    Authorizer, EmailMessage, MailError, Mailer, StaffRepository, Subject, TenantRepository,
};
use crate::identity::{Email, Locale, Permission, StoreError};
use crate::ids::{GuestId, InboundEventId, IntegrationId, NotificationId, UserId};
use crate::jobs::{Job, JobFailure};
use crate::loyalty::events::confirm_published;
use crate::loyalty::ports::{GuestStore, TelegramBotVault};
use crate::loyalty::{EventPublisher, LiveBatch, LoyaltyEvent};
use crate::page::{Page, PageRequest};
use crate::ports::Clock;
use crate::{Actor, Ctx};

/// How long a delivery claim lasts: a run that dies mid-send is retried after it.
const CLAIM_FOR: i64 = 120;

/// Everything the service needs.
pub struct NotificationDeps {
    /// Notifications, preferences, deliveries.
    pub store: Arc<dyn NotificationStore>,
    /// Staff of a tenant (recipients of staff notifications).
    pub staff: Arc<dyn StaffRepository>,
    /// Who may receive what.
    pub authorizer: Arc<dyn Authorizer>,
    /// Guests (address, consent, Telegram id).
    pub guests: Arc<dyn GuestStore>,
    /// The business (its name signs e-mails).
    pub tenants: Arc<dyn TenantRepository>,
    /// The business's bot token.
    pub bots: Arc<dyn TelegramBotVault>,
    /// The Bot API.
    pub telegram: Arc<dyn TelegramSender>,
    /// E-mail.
    pub mailer: Arc<dyn Mailer>,
    /// Live events.
    pub events: Arc<dyn EventPublisher>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// Errors of the centre and preferences.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotificationError {
    /// Only staff users and guests have a notification centre.
    #[error("only staff users and guests have notifications")]
    NoInbox,
    /// Bad input.
    #[error("{0}")]
    Validation(String),
    /// Storage failure.
    #[error("internal error")]
    Internal(String),
}

impl crate::identity::DomainError for NotificationError {
    fn class(&self) -> crate::identity::ErrorClass {
        use crate::identity::ErrorClass as C;
        match self {
            Self::NoInbox => C::Forbidden,
            Self::Validation(_) => C::Validation,
            Self::Internal(_) => C::Internal,
        }
    }
}

impl From<StoreError> for NotificationError {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

/// A notification as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The stored notification.
    pub notification: Notification,
    /// Its title in the reader's language.
    pub title: String,
    /// Its text in the reader's language.
    pub body: String,
}

/// The notifications service.
pub struct NotificationService {
    d: NotificationDeps,
}

fn later(reason: impl Into<String>) -> DeliveryOutcome {
    DeliveryOutcome::Retry {
        reason: reason.into(),
        after_secs: None,
    }
}

fn retry(e: impl std::fmt::Display) -> JobFailure {
    JobFailure::retry(e.to_string())
}

fn recipient_of(ctx: &Ctx) -> Result<Recipient, NotificationError> {
    match ctx.actor() {
        Actor::Staff(u) => Ok(Recipient::Staff(u)),
        Actor::Guest(g) => Ok(Recipient::Guest(g)),
        Actor::ApiKey(_) | Actor::System => Err(NotificationError::NoInbox),
    }
}

fn level_name(v: &Value) -> Option<String> {
    v.get("name").and_then(Value::as_str).map(str::to_owned)
}

fn guest_of(data: &Value) -> Option<GuestId> {
    data.get("guestId")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

impl NotificationService {
    /// A service over its dependencies.
    #[must_use]
    pub fn new(d: NotificationDeps) -> Self {
        Self { d }
    }

    // ----- the centre -------------------------------------------------------------

    /// A recipient's language for rendering: staff their profile's; guests the
    /// one the Mini App recorded, Russian until it did.
    async fn locale(&self, ctx: &Ctx, recipient: Recipient) -> Locale {
        match recipient {
            Recipient::Staff(u) => self
                .d
                .staff
                .get(ctx, u)
                .await
                .map(|m| m.user.locale)
                .unwrap_or_default(),
            Recipient::Guest(_) => self.guest_locale(ctx, recipient).await.unwrap_or_default(),
        }
    }

    async fn guest_locale(&self, ctx: &Ctx, r: Recipient) -> Result<Locale, StoreError> {
        Ok(self
            .d
            .store
            .preferences(ctx, r)
            .await?
            .and_then(|s| s.locale)
            .unwrap_or_default())
    }

    /// The calling guest's language for notifications.
    ///
    /// # Errors
    /// `Validation` for staff (their language is their profile's).
    pub async fn language(&self, ctx: &Ctx) -> Result<Locale, NotificationError> {
        match recipient_of(ctx)? {
            r @ Recipient::Guest(_) => Ok(self.guest_locale(ctx, r).await?),
            Recipient::Staff(_) => Err(NotificationError::Validation(
                "staff notifications use the language of the staff profile".into(),
            )),
        }
    }

    /// Records the calling guest's language: notifications are rendered in it,
    /// in the Mini App, in Telegram and by e-mail.
    ///
    /// # Errors
    /// `Validation` for staff (their language is their profile's).
    pub async fn set_language(
        &self,
        ctx: &Ctx,
        locale: Locale,
    ) -> Result<Locale, NotificationError> {
        match recipient_of(ctx)? {
            r @ Recipient::Guest(_) => {
                self.d
                    .store
                    .set_locale(ctx, r, locale, self.d.clock.now())
                    .await?;
                Ok(locale)
            }
            Recipient::Staff(_) => Err(NotificationError::Validation(
                "staff notifications use the language of the staff profile".into(),
            )),
        }
    }

    /// The caller's notifications (oldest first, like every page), rendered.
    ///
    /// # Errors
    /// See [`NotificationError`].
    pub async fn list(
        &self,
        ctx: &Ctx,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Shown>, NotificationError> {
        let r = recipient_of(ctx)?;
        let locale = self.locale(ctx, r).await;
        let p = self.d.store.list(ctx, r, unread_only, page).await?;
        Ok(p.map(|n| Self::show(n, locale)))
    }

    /// Renders a notification for a reader.
    #[must_use]
    pub fn show(n: Notification, locale: Locale) -> Shown {
        let r = render(&n, locale);
        Shown {
            notification: n,
            title: r.title,
            body: r.text,
        }
    }

    /// Renders a live notification for the caller (their language).
    pub async fn show_to(&self, ctx: &Ctx, n: Notification) -> Shown {
        let locale = self.locale(ctx, n.recipient).await;
        Self::show(n, locale)
    }

    /// How many of the caller's notifications are unread.
    ///
    /// # Errors
    /// See [`NotificationError`].
    pub async fn unread_count(&self, ctx: &Ctx) -> Result<u64, NotificationError> {
        let r = recipient_of(ctx)?;
        Ok(self.d.store.unread_count(ctx, r).await?)
    }

    /// Marks the caller's notifications read: `ids`, or all when `all`.
    ///
    /// # Errors
    /// `Validation` when neither or both are given, or too many ids.
    pub async fn mark_read(
        &self,
        ctx: &Ctx,
        ids: Option<Vec<NotificationId>>,
        all: bool,
    ) -> Result<u64, NotificationError> {
        let r = recipient_of(ctx)?;
        let ids = match (ids, all) {
            (Some(_), true) => {
                return Err(NotificationError::Validation(
                    "give either ids or all: true, not both".into(),
                ));
            }
            (None, false) => {
                return Err(NotificationError::Validation(
                    "give the ids to mark read, or all: true".into(),
                ));
            }
            (Some(ids), false) if ids.len() > 500 => {
                return Err(NotificationError::Validation(
                    "at most 500 ids at a time".into(),
                ));
            }
            (Some(ids), false) => Some(ids),
            (None, true) => None,
        };
        Ok(self
            .d
            .store
            .mark_read(ctx, r, ids.as_deref(), self.d.clock.now())
            .await?)
    }

    /// The caller's channel choices.
    ///
    /// # Errors
    /// See [`NotificationError`].
    pub async fn preferences(&self, ctx: &Ctx) -> Result<Preferences, NotificationError> {
        let r = recipient_of(ctx)?;
        self.prefs_of(ctx, r).await
    }

    async fn prefs_of(&self, ctx: &Ctx, r: Recipient) -> Result<Preferences, NotificationError> {
        Ok(self
            .d
            .store
            .preferences(ctx, r)
            .await?
            .map_or_else(|| Preferences::default_for(&r), |s| s.prefs))
    }

    /// Changes some of the caller's choices (staff have no Telegram channel).
    ///
    /// # Errors
    /// `Validation` for Telegram on a staff user.
    pub async fn update_preferences(
        &self,
        ctx: &Ctx,
        in_app: Option<bool>,
        email: Option<bool>,
        telegram: Option<bool>,
    ) -> Result<Preferences, NotificationError> {
        let r = recipient_of(ctx)?;
        if matches!(r, Recipient::Staff(_)) && telegram == Some(true) {
            return Err(NotificationError::Validation(
                "staff notifications have no Telegram channel".into(),
            ));
        }
        let mut p = self.prefs_of(ctx, r).await?;
        if let Some(v) = in_app {
            p.in_app = v;
        }
        if let Some(v) = email {
            p.email = v;
        }
        if let Some(v) = telegram {
            p.telegram = v;
        }
        self.d
            .store
            .set_preferences(ctx, r, p, self.d.clock.now())
            .await?;
        Ok(p)
    }

    // ----- creating ---------------------------------------------------------------

    /// Stores a notification for `recipient` on the channels it allows, then
    /// tells live views at once when it is shown in the centre. Its live
    /// batch, also when an earlier run of the job stored it, goes to `told`:
    /// the job confirms at its end that the bus published it
    /// ([`confirm_published`]). Returns whether it was new.
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        kind: NotificationKind,
        data: Value,
        cause: &str,
        offered: &[Channel],
        told: &mut Vec<LiveBatch>,
    ) -> Result<bool, StoreError> {
        let created_at = self.d.clock.now();
        let dedupe_key = format!(
            "{cause}:{}:{}",
            recipient.kind_str(),
            recipient.id_uuid().simple()
        );
        // The choices are read in the storing transaction (one round of
        // transactions per notification, not two).
        let plan = |stored: Option<&StoredPreferences>| {
            let prefs = stored.map_or_else(|| Preferences::default_for(&recipient), |s| s.prefs);
            let blocked = stored.is_some_and(|s| s.telegram_blocked_at.is_some());
            let channels: Vec<Channel> = offered
                .iter()
                .copied()
                .filter(|c| *c != Channel::InApp && prefs.allows(*c))
                .filter(|c| !(*c == Channel::Telegram && blocked))
                .collect();
            if !prefs.in_app && channels.is_empty() {
                return None;
            }
            Some(NewNotification {
                notification: Notification {
                    id: NotificationId::new(),
                    tenant: ctx.tenant(),
                    recipient,
                    kind,
                    data: data.clone(),
                    created_at,
                    read_at: None,
                },
                dedupe_key: dedupe_key.clone(),
                visible: prefs.in_app,
                channels,
            })
        };
        let (notification, visible, new) = match self.d.store.create(ctx, recipient, &plan).await? {
            None => return Ok(false),
            Some(Stored::New(n)) => (n.notification, n.visible, true),
            Some(Stored::Existing {
                notification,
                visible,
            }) => (notification, visible, false),
        };
        if visible {
            let batch = LiveBatch::raised(
                EventId::from_uuid(notification.id.as_uuid()),
                ctx.tenant(),
                notification.created_at,
                LoyaltyEvent::NotificationCreated(notification),
            );
            if new {
                self.d.events.publish_batch(batch.clone());
            }
            told.push(batch);
        }
        Ok(new)
    }

    /// The guest, and which of `offered` can reach them at all (an address
    /// and consent for e-mail, a Telegram id for Telegram), so no delivery job
    /// is made that could only be skipped. Sending checks again: things change.
    async fn reachable(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        offered: &[Channel],
    ) -> Result<(Option<crate::loyalty::models::Guest>, Vec<Channel>), JobFailure> {
        let g = match self.d.guests.get(ctx, guest).await {
            Ok(g) => Some(g),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(retry(e)),
        };
        let channels = offered
            .iter()
            .copied()
            .filter(|c| match (c, &g) {
                (Channel::InApp, _) => true,
                (_, None) => false,
                (_, Some(g)) if g.forgotten => false,
                (Channel::Email, Some(g)) => g.marketing_consent && g.email.is_some(),
                (Channel::Telegram, Some(g)) => g.telegram_id.is_some(),
            })
            .collect();
        Ok((g, channels))
    }

    /// Active staff of the tenant holding `permission`.
    async fn staff_with(
        &self,
        ctx: &Ctx,
        permission: Permission,
    ) -> Result<Vec<UserId>, StoreError> {
        let mut out = Vec::new();
        let mut page = PageRequest::Forward {
            after: None,
            limit: 200,
        };
        loop {
            let staff = self.d.staff.list(ctx, page).await?;
            for m in staff.items.iter().filter(|m| m.active) {
                if self
                    .d
                    .authorizer
                    .allowed(ctx, Subject::User(m.user.id), permission)
                    .await?
                {
                    out.push(m.user.id);
                }
            }
            match (staff.has_next, staff.items.last()) {
                (true, Some(last)) => {
                    page = PageRequest::Forward {
                        after: Some(last.user.id.as_uuid()),
                        limit: 200,
                    };
                }
                _ => return Ok(out),
            }
        }
    }

    /// The notifications a durable event causes (the part of `job`, its
    /// fan-out job). Returns how many were created; running it again creates
    /// none, and makes sure that live views were told of the ones created
    /// before.
    ///
    /// # Errors
    /// Storage failure (the job retries; what was created stays, once); a
    /// retry while the event bus cannot tell whether live views were told.
    pub async fn on_event(
        &self,
        ctx: &Ctx,
        e: &DomainEvent,
        job: &Job,
    ) -> Result<usize, JobFailure> {
        let mut told = Vec::new();
        let created = self.notifications_of(ctx, e, &mut told).await?;
        confirm_published(self.d.events.as_ref(), self.d.clock.now(), job, told).await?;
        Ok(created)
    }

    /// [`NotificationService::on_event`]'s notifications, their live batches
    /// added to `told`.
    async fn notifications_of(
        &self,
        ctx: &Ctx,
        e: &DomainEvent,
        told: &mut Vec<LiveBatch>,
    ) -> Result<usize, JobFailure> {
        let all = [Channel::InApp, Channel::Email, Channel::Telegram];
        let cause = e.id.to_string();
        let mut created = 0;
        let mut count = |b: bool| created += usize::from(b);
        match e.event_type.as_str() {
            types::CHECK_PROCESSED => {
                let points = e
                    .data
                    .get("earnedPoints")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                let Some(guest) = guest_of(&e.data) else {
                    return Ok(0);
                };
                if points > 0 {
                    // "+N points" is never e-mailed.
                    let (_, channels) = self
                        .reachable(ctx, guest, &[Channel::InApp, Channel::Telegram])
                        .await?;
                    let data = json!({
                        "points": points,
                        "balance": e.data.get("balance").cloned().unwrap_or(Value::Null),
                        "checkId": e.data.get("checkId").cloned().unwrap_or(Value::Null),
                    });
                    count(
                        self.notify(
                            ctx,
                            Recipient::Guest(guest),
                            NotificationKind::PointsEarned,
                            data,
                            &cause,
                            &channels,
                            told,
                        )
                        .await
                        .map_err(retry)?,
                    );
                }
            }
            types::LEVEL_CHANGED => {
                let Some(guest) = guest_of(&e.data) else {
                    return Ok(0);
                };
                let to = e.data.get("to").and_then(level_name);
                let up = e.data.get("reason").and_then(Value::as_str) == Some("check");
                let data =
                    json!({ "to": to, "up": up, "from": e.data.get("from").and_then(level_name) });
                let (g, channels) = self.reachable(ctx, guest, &all).await?;
                count(
                    self.notify(
                        ctx,
                        Recipient::Guest(guest),
                        NotificationKind::LevelChanged,
                        data,
                        &cause,
                        &channels,
                        told,
                    )
                    .await
                    .map_err(retry)?,
                );
                if up {
                    let data = json!({
                        "guestId": guest.to_string(),
                        "guestName": g.as_ref().and_then(|g| g.name.clone()),
                        "cardCode": g.as_ref().map(|g| g.card_code.to_string()),
                        "to": to,
                    });
                    for u in self
                        .staff_with(ctx, Permission::LoyaltyManage)
                        .await
                        .map_err(retry)?
                    {
                        count(
                            self.notify(
                                ctx,
                                Recipient::Staff(u),
                                NotificationKind::GuestLevelUp,
                                data.clone(),
                                &cause,
                                &[Channel::InApp, Channel::Email],
                                told,
                            )
                            .await
                            .map_err(retry)?,
                        );
                    }
                }
            }
            types::PROMOTION_GRANTED => {
                let kind = e.data.get("kind").and_then(Value::as_str).unwrap_or("");
                // A multiplier's points are part of the check's "+N points".
                if kind == "multiplier" {
                    return Ok(0);
                }
                let Some(guest) = guest_of(&e.data) else {
                    return Ok(0);
                };
                let (_, channels) = self.reachable(ctx, guest, &all).await?;
                let data = json!({
                    "promotion": e.data.get("promotionName").cloned().unwrap_or(Value::Null),
                    "promotionId": e.data.get("promotionId").cloned().unwrap_or(Value::Null),
                    "kind": kind,
                    "points": e.data.get("points").cloned().unwrap_or(Value::Null),
                });
                count(
                    self.notify(
                        ctx,
                        Recipient::Guest(guest),
                        NotificationKind::PromotionGranted,
                        data,
                        &cause,
                        &channels,
                        told,
                    )
                    .await
                    .map_err(retry)?,
                );
            }
            _ => {}
        }
        Ok(created)
    }

    /// A POS event could not be processed (found by `job`, the one that
    /// processed it): tell live views (once per job, as far as the bus can
    /// tell) and the staff who manage integrations (once per event and
    /// person).
    ///
    /// # Errors
    /// Storage failure; a retry while the event bus cannot tell whether live
    /// views were told.
    pub async fn integration_failed(
        &self,
        ctx: &Ctx,
        job: &Job,
        integration: IntegrationId,
        integration_name: &str,
        event: InboundEventId,
        error: &str,
    ) -> Result<usize, JobFailure> {
        let failed = LiveBatch::raised(
            EventId::from_uuid(job.id.as_uuid()),
            ctx.tenant(),
            self.d.clock.now(),
            LoyaltyEvent::IntegrationEventFailed {
                integration,
                event,
                error: error.to_owned(),
            },
        );
        self.d.events.publish_batch(failed.clone());
        let mut told = vec![failed];
        let data = json!({
            "integrationId": integration.to_string(),
            "integrationName": integration_name,
            "eventId": event.to_string(),
            "error": error,
        });
        let cause = format!("inbound:{event}");
        let mut n = 0;
        for u in self
            .staff_with(ctx, Permission::IntegrationsManage)
            .await
            .map_err(retry)?
        {
            if self
                .notify(
                    ctx,
                    Recipient::Staff(u),
                    NotificationKind::IntegrationEventFailed,
                    data.clone(),
                    &cause,
                    &[Channel::InApp, Channel::Email],
                    &mut told,
                )
                .await
                .map_err(retry)?
            {
                n += 1;
            }
        }
        confirm_published(self.d.events.as_ref(), self.d.clock.now(), job, told).await?;
        Ok(n)
    }

    // ----- delivering ---------------------------------------------------------------

    /// Sends one notification over one channel (the [`super::ports::DELIVER_JOB`]'s work):
    /// at most once per (notification, channel), even when the job runs twice.
    ///
    /// # Errors
    /// A retry (with `retry_after` when Telegram asked to wait) or a permanent failure.
    pub async fn deliver(&self, ctx: &Ctx, job: &Job) -> Result<(), JobFailure> {
        let id: NotificationId = job
            .payload
            .get("notification")
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| JobFailure::permanent("the job names no notification"))?;
        let channel = job
            .payload
            .get("channel")
            .and_then(Value::as_str)
            .and_then(Channel::parse)
            .filter(|c| *c != Channel::InApp)
            .ok_or_else(|| JobFailure::permanent("the job names no channel"))?;
        let now = self.d.clock.now();
        match self
            .d
            .store
            .claim(ctx, id, channel, now, now + Duration::seconds(CLAIM_FOR))
            .await
            .map_err(retry)?
        {
            Claim::Claimed => {}
            Claim::Finished | Claim::Missing | Claim::Interrupted => return Ok(()),
            Claim::Busy => {
                return Err(JobFailure::retry("another run is sending it")
                    .with_retry_after(Duration::seconds(CLAIM_FOR)));
            }
        }
        let n = match self.d.store.get(ctx, id).await {
            Ok(n) => n,
            Err(e) => {
                self.end(ctx, id, channel, later(e.to_string())).await?;
                return Err(retry(e));
            }
        };
        let outcome = match channel {
            Channel::Telegram => self.send_telegram(ctx, &n).await,
            Channel::Email => self.send_email(ctx, &n).await,
            Channel::InApp => DeliveryOutcome::Skipped("in-app needs no sending".into()),
        };
        self.end(ctx, id, channel, outcome.clone()).await?;
        match outcome {
            DeliveryOutcome::Sent | DeliveryOutcome::Skipped(_) | DeliveryOutcome::Failed(_) => {
                Ok(())
            }
            DeliveryOutcome::Retry { reason, after_secs } => {
                let f = JobFailure::retry(reason);
                Err(match after_secs {
                    Some(s) => {
                        f.with_retry_after(Duration::seconds(i64::try_from(s).unwrap_or(3600)))
                    }
                    None => f,
                })
            }
        }
    }

    async fn end(
        &self,
        ctx: &Ctx,
        id: NotificationId,
        channel: Channel,
        outcome: DeliveryOutcome,
    ) -> Result<(), JobFailure> {
        self.d
            .store
            .finish(ctx, id, channel, &outcome, self.d.clock.now())
            .await
            .map_err(retry)
    }

    async fn send_telegram(&self, ctx: &Ctx, n: &Notification) -> DeliveryOutcome {
        let Recipient::Guest(guest) = n.recipient else {
            return DeliveryOutcome::Skipped("staff have no Telegram channel".into());
        };
        let g = match self.d.guests.get(ctx, guest).await {
            Ok(g) => g,
            Err(StoreError::NotFound) => return DeliveryOutcome::Skipped("no such guest".into()),
            Err(e) => return later(e.to_string()),
        };
        let Some(chat) = g.telegram_id.filter(|_| !g.forgotten) else {
            return DeliveryOutcome::Skipped("the guest has no Telegram".into());
        };
        let locale = match self.d.store.preferences(ctx, n.recipient).await {
            Ok(Some(s)) if s.telegram_blocked_at.is_some() => {
                return DeliveryOutcome::Skipped("the chat blocked the bot".into());
            }
            Ok(Some(s)) if !s.prefs.telegram => {
                return DeliveryOutcome::Skipped("Telegram turned off".into());
            }
            Ok(s) => s.and_then(|s| s.locale).unwrap_or_default(),
            Err(e) => return later(e.to_string()),
        };
        let token = match self.d.bots.token(ctx).await {
            Ok(Some(t)) => t,
            Ok(None) => return DeliveryOutcome::Skipped("the business has no bot".into()),
            Err(e) => return later(e.to_string()),
        };
        let html = telegram_html(&render(n, locale));
        match self.d.telegram.send_message(&token, chat, &html).await {
            Ok(()) => DeliveryOutcome::Sent,
            Err(TelegramError::RetryAfter(s)) => DeliveryOutcome::Retry {
                reason: format!("Telegram asked to wait {s} s"),
                after_secs: Some(s),
            },
            Err(TelegramError::Blocked(why)) => {
                if let Err(e) = self
                    .d
                    .store
                    .mark_telegram_blocked(ctx, n.recipient, self.d.clock.now())
                    .await
                {
                    return later(e.to_string());
                }
                DeliveryOutcome::Skipped(format!("blocked: {why}"))
            }
            Err(TelegramError::Refused(why)) => DeliveryOutcome::Failed(why),
            Err(TelegramError::Unavailable(why)) => later(why),
            Err(e @ TelegramError::AnswerLost(_)) => DeliveryOutcome::Failed(format!(
                "{e}; not sent again, so that it is never sent twice"
            )),
        }
    }

    async fn send_email(&self, ctx: &Ctx, n: &Notification) -> DeliveryOutcome {
        let (to, locale) = match n.recipient {
            Recipient::Guest(guest) => {
                let g = match self.d.guests.get(ctx, guest).await {
                    Ok(g) => g,
                    Err(StoreError::NotFound) => {
                        return DeliveryOutcome::Skipped("no such guest".into());
                    }
                    Err(e) => return later(e.to_string()),
                };
                if g.forgotten || !g.marketing_consent {
                    return DeliveryOutcome::Skipped("no consent to e-mails".into());
                }
                let Some(addr) = g.email.as_deref().and_then(|e| Email::parse(e).ok()) else {
                    return DeliveryOutcome::Skipped("the guest has no e-mail".into());
                };
                // The guest's language is in the settings read below.
                (addr, None)
            }
            Recipient::Staff(u) => match self.d.staff.get(ctx, u).await {
                Ok(m) if m.active => (m.user.email.clone(), Some(m.user.locale)),
                Ok(_) | Err(StoreError::NotFound) => {
                    return DeliveryOutcome::Skipped("not active staff".into());
                }
                Err(e) => return later(e.to_string()),
            },
        };
        let locale = match self.d.store.preferences(ctx, n.recipient).await {
            Ok(Some(s)) if !s.prefs.email => {
                return DeliveryOutcome::Skipped("e-mail turned off".into());
            }
            Ok(s) => locale
                .or_else(|| s.and_then(|s| s.locale))
                .unwrap_or_default(),
            Err(e) => return later(e.to_string()),
        };
        let business = match self.d.tenants.get(ctx).await {
            Ok(t) => t.name,
            Err(e) => return later(e.to_string()),
        };
        let r = render(n, locale);
        let guest = matches!(n.recipient, Recipient::Guest(_));
        let (text, html) = email_bodies(&r, &business, locale, guest);
        let message = EmailMessage {
            to,
            subject: format!("{} — {business}", r.title),
            text,
            html: Some(html),
        };
        match self.d.mailer.send(&message).await {
            Ok(()) => DeliveryOutcome::Sent,
            Err(MailError::NotSent(why)) => later(why),
            Err(MailError::Refused(why)) => DeliveryOutcome::Failed(why),
            Err(e @ MailError::Unknown(_)) => DeliveryOutcome::Failed(format!(
                "{e}; not sent again, so that it is never sent twice"
            )),
        }
    }
}
