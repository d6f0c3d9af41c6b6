//! The notification centre of staff users (panel) and guests (Mini App), their
//! channel preferences, and live notifications.

use std::sync::Arc;

use async_graphql::{
    Context, Enum, ID, InputObject, Json, Object, Result, SimpleObject, Subscription,
};
use chrono::{DateTime, Utc};
use domain::identity::Permission as P;
use domain::loyalty::LoyaltyEvent;
use domain::notifications::{NotificationService, Recipient, Shown};
use domain::{Actor, NotificationId};
use futures_util::{Stream, StreamExt};

use crate::error::{GqlResult, invalid};
use crate::graphql::identity::types::Locale;
use crate::graphql::{
    Authenticated, Conn, GuestOnly, PageArgs, Perm, authenticated, connection, guest, guest_ctx,
    requires, staff_ctx,
};
use crate::realtime::{LocalBus, Topic};

/// What a notification is about.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum NotificationKind {
    /// Guest: a check earned points.
    PointsEarned,
    /// Guest: their level changed.
    LevelChanged,
    /// Guest: a promotion (welcome, birthday, referral) credited points.
    PromotionGranted,
    /// Staff: a guest reached a higher level.
    GuestLevelUp,
    /// Staff: a POS event could not be processed.
    IntegrationEventFailed,
}

impl From<domain::notifications::NotificationKind> for NotificationKind {
    fn from(k: domain::notifications::NotificationKind) -> Self {
        use domain::notifications::NotificationKind as K;
        match k {
            K::PointsEarned => Self::PointsEarned,
            K::LevelChanged => Self::LevelChanged,
            K::PromotionGranted => Self::PromotionGranted,
            K::GuestLevelUp => Self::GuestLevelUp,
            K::IntegrationEventFailed => Self::IntegrationEventFailed,
        }
    }
}

/// A notification, in the reader's language.
#[derive(SimpleObject)]
pub struct Notification {
    /// Id.
    pub id: ID,
    /// What it is about.
    pub kind: NotificationKind,
    /// One line.
    pub title: String,
    /// The text.
    pub body: String,
    /// The facts behind it (ids, names, points), for links.
    pub data: Json<serde_json::Value>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was read.
    pub read_at: Option<DateTime<Utc>>,
}

impl From<Shown> for Notification {
    fn from(s: Shown) -> Self {
        Self {
            id: ID(s.notification.id.to_string()),
            kind: s.notification.kind.into(),
            title: s.title,
            body: s.body,
            data: Json(s.notification.data),
            created_at: s.notification.created_at,
            read_at: s.notification.read_at,
        }
    }
}

/// Channel choices.
#[derive(SimpleObject)]
pub struct NotificationPreferences {
    /// The notification centre and live toasts.
    pub in_app: bool,
    /// E-mail (guests: also needs marketing consent and an address).
    pub email: bool,
    /// Telegram messages from the business's bot (guests only).
    pub telegram: bool,
}

impl From<domain::notifications::Preferences> for NotificationPreferences {
    fn from(p: domain::notifications::Preferences) -> Self {
        Self {
            in_app: p.in_app,
            email: p.email,
            telegram: p.telegram,
        }
    }
}

/// Channels to change (omitted ones stay).
#[derive(InputObject)]
pub struct NotificationPreferencesInput {
    /// The notification centre and live toasts.
    pub in_app: Option<bool>,
    /// E-mail.
    pub email: Option<bool>,
    /// Telegram (guests only).
    pub telegram: Option<bool>,
}

/// A POS event that could not be processed.
#[derive(SimpleObject)]
pub struct IntegrationEventFailure {
    /// The integration.
    pub integration_id: ID,
    /// The stored event (reprocess it after fixing the cause).
    pub event_id: ID,
    /// Why.
    pub error: String,
}

fn svc<'a>(ctx: &'a Context<'_>) -> Result<&'a Arc<NotificationService>> {
    ctx.data::<Arc<NotificationService>>()
}

fn ids_of(ids: Option<Vec<ID>>) -> Result<Option<Vec<NotificationId>>> {
    ids.map(|v| {
        v.iter()
            .map(|i| {
                i.parse::<NotificationId>()
                    .map_err(|_| invalid("ids", format!("{} is not a notification id", i.0)))
            })
            .collect()
    })
    .transpose()
}

async fn list(
    ctx: &Context<'_>,
    c: &domain::Ctx,
    unread_only: Option<bool>,
    page: PageArgs,
) -> Result<Conn<Notification>> {
    let p = svc(ctx)?
        .list(c, unread_only.unwrap_or(false), page.request()?)
        .await
        .gql()?;
    Ok(connection(
        p,
        |s| s.notification.id.as_uuid(),
        Notification::from,
    ))
}

fn count(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Notification queries.
#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// The caller's notifications, oldest first like every connection: ask
    /// `last: N` for the newest N.
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    #[allow(clippy::too_many_arguments)]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        unread_only: Option<bool>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Notification>> {
        let c = staff_ctx(ctx)?;
        list(
            ctx,
            c,
            unread_only,
            PageArgs {
                after,
                before,
                first,
                last,
            },
        )
        .await
    }

    /// How many of the caller's notifications are unread.
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(count(svc(ctx)?.unread_count(staff_ctx(ctx)?).await.gql()?))
    }

    /// The caller's channel choices (in-app on and e-mail off until changed).
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn notification_preferences(&self, ctx: &Context<'_>) -> Result<NotificationPreferences> {
        Ok(svc(ctx)?.preferences(staff_ctx(ctx)?).await.gql()?.into())
    }

    /// The signed-in guest's notifications (oldest first; `last: N` for the newest).
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    #[allow(clippy::too_many_arguments)]
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
        unread_only: Option<bool>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<Notification>> {
        let c = guest_ctx(ctx)?;
        list(
            ctx,
            c,
            unread_only,
            PageArgs {
                after,
                before,
                first,
                last,
            },
        )
        .await
    }

    /// How many of the guest's notifications are unread.
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn my_unread_notification_count(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(count(svc(ctx)?.unread_count(guest_ctx(ctx)?).await.gql()?))
    }

    /// The guest's channel choices (all on until changed; e-mail also needs consent).
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn my_notification_preferences(
        &self,
        ctx: &Context<'_>,
    ) -> Result<NotificationPreferences> {
        Ok(svc(ctx)?.preferences(guest_ctx(ctx)?).await.gql()?.into())
    }

    /// The language the guest's notifications are written in (Russian until
    /// the Mini App records one).
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn my_notification_language(&self, ctx: &Context<'_>) -> Result<Locale> {
        Ok(svc(ctx)?.language(guest_ctx(ctx)?).await.gql()?.into())
    }
}

/// Notification mutations.
#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Marks the caller's notifications read: `ids`, or every one with
    /// `all: true`. Returns how many became read (others' ids count nothing).
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        ids: Option<Vec<ID>>,
        all: Option<bool>,
    ) -> Result<i32> {
        let n = svc(ctx)?
            .mark_read(staff_ctx(ctx)?, ids_of(ids)?, all.unwrap_or(false))
            .await
            .gql()?;
        Ok(count(n))
    }

    /// Changes the caller's channel choices (staff have no Telegram channel).
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn update_notification_preferences(
        &self,
        ctx: &Context<'_>,
        input: NotificationPreferencesInput,
    ) -> Result<NotificationPreferences> {
        Ok(svc(ctx)?
            .update_preferences(staff_ctx(ctx)?, input.in_app, input.email, input.telegram)
            .await
            .gql()?
            .into())
    }

    /// Marks the guest's notifications read (see `markNotificationsRead`).
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn mark_my_notifications_read(
        &self,
        ctx: &Context<'_>,
        ids: Option<Vec<ID>>,
        all: Option<bool>,
    ) -> Result<i32> {
        let n = svc(ctx)?
            .mark_read(guest_ctx(ctx)?, ids_of(ids)?, all.unwrap_or(false))
            .await
            .gql()?;
        Ok(count(n))
    }

    /// Records the language of the guest's notifications (in the Mini App, in
    /// Telegram, by e-mail). The Mini App sends the one it shows.
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn set_my_notification_language(
        &self,
        ctx: &Context<'_>,
        language: Locale,
    ) -> Result<Locale> {
        Ok(svc(ctx)?
            .set_language(guest_ctx(ctx)?, language.into())
            .await
            .gql()?
            .into())
    }

    /// Changes the guest's channel choices.
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn update_my_notification_preferences(
        &self,
        ctx: &Context<'_>,
        input: NotificationPreferencesInput,
    ) -> Result<NotificationPreferences> {
        Ok(svc(ctx)?
            .update_preferences(guest_ctx(ctx)?, input.in_app, input.email, input.telegram)
            .await
            .gql()?
            .into())
    }
}

/// The live notifications of one recipient.
fn live(ctx: &Context<'_>, c: &domain::Ctx) -> Result<impl Stream<Item = Notification> + use<>> {
    let me = match c.actor() {
        Actor::Staff(u) => Recipient::Staff(u),
        Actor::Guest(g) => Recipient::Guest(g),
        Actor::ApiKey(_) | Actor::System => {
            return Err(invalid(
                "",
                "only staff users and guests have notifications",
            ));
        }
    };
    let service = Arc::clone(svc(ctx)?);
    let reader = c.clone();
    let events = ctx.data::<LocalBus>()?.subscribe_to(match me {
        Recipient::Staff(u) => Topic::Staff(c.tenant(), u),
        Recipient::Guest(g) => Topic::Guest(c.tenant(), g),
    });
    Ok(events.filter_map(move |e| {
        let service = Arc::clone(&service);
        let reader = reader.clone();
        async move {
            match e {
                LoyaltyEvent::NotificationCreated(n) if n.recipient == me => {
                    Some(service.show_to(&reader, n).await.into())
                }
                _ => None,
            }
        }
    }))
}

/// Notification subscriptions.
#[derive(Default)]
pub struct NotificationSubscription;

#[Subscription]
impl NotificationSubscription {
    /// The caller's new notifications, as they are created.
    #[graphql(guard = "Authenticated", directive = authenticated::apply())]
    async fn notification_received(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Notification> + use<>> {
        live(ctx, staff_ctx(ctx)?)
    }

    /// The signed-in guest's new notifications.
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn my_notification_received(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Notification> + use<>> {
        live(ctx, guest_ctx(ctx)?)
    }

    /// POS events of the business that could not be processed, as they fail.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn integration_event_failed(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = IntegrationEventFailure> + use<>> {
        let tenant = staff_ctx(ctx)?.tenant();
        let events = ctx.data::<LocalBus>()?.subscribe(tenant);
        Ok(events.filter_map(|e| async move {
            match e {
                LoyaltyEvent::IntegrationEventFailed {
                    integration,
                    event,
                    error,
                } => Some(IntegrationEventFailure {
                    integration_id: ID(integration.to_string()),
                    event_id: ID(event.to_string()),
                    error,
                }),
                _ => None,
            }
        }))
    }
}
