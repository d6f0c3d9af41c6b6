//! Notifications, preferences and deliveries. Each method is one tenant
//! transaction; creating a notification writes its deliveries and their jobs
//! in the same one (the outbox). A delivery is claimed by a conditional update,
//! so two runs of its job never both send.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::Ctx;
use domain::NotificationId;
use domain::identity::{Locale, StoreError};
use domain::notifications::ports::{
    Claim, DeliveryOutcome, NotificationPlan, NotificationStore, Stored, StoredPreferences,
    deliver_job,
};
use domain::notifications::{Channel, Notification, NotificationKind, Preferences, Recipient};
use domain::page::{Page, PageRequest};

/// Why a delivery whose run died while sending is not sent again.
const INTERRUPTED: &str = "interrupted while sending (it may have gone out): not sent again, so that it is never sent twice";
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter,
};

use super::{IdOf, SqlStore, paginate};
use crate::db::entities::{notification_deliveries, notification_preferences, notifications};
use crate::db::internal;

impl IdOf<notifications::Column> for notifications::Model {}

fn to_notification(m: notifications::Model) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: NotificationId::from_uuid(m.id),
        tenant: domain::TenantId::from_uuid(m.tenant_id),
        recipient: Recipient::from_parts(&m.recipient_kind, m.recipient_id).ok_or_else(|| {
            StoreError::Internal(format!("unknown recipient kind {}", m.recipient_kind))
        })?,
        kind: NotificationKind::parse(&m.kind)
            .ok_or_else(|| StoreError::Internal(format!("unknown notification kind {}", m.kind)))?,
        data: serde_json::from_str(&m.data)
            .map_err(|e| StoreError::Internal(format!("bad notification data: {e}")))?,
        created_at: m.created_at,
        read_at: m.read_at,
    })
}

fn of_recipient(r: Recipient) -> Condition {
    Condition::all()
        .add(notifications::Column::RecipientKind.eq(r.kind_str()))
        .add(notifications::Column::RecipientId.eq(r.id_uuid()))
}

fn delivery_key(ctx: &Ctx, id: NotificationId, channel: Channel) -> Condition {
    Condition::all()
        .add(notification_deliveries::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .add(notification_deliveries::Column::NotificationId.eq(id.as_uuid()))
        .add(notification_deliveries::Column::Channel.eq(channel.as_str()))
}

/// A recipient's stored choices, read in `txn`.
async fn stored_preferences(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    recipient: Recipient,
) -> Result<Option<StoredPreferences>, StoreError> {
    let m = notification_preferences::Entity::find()
        .filter(notification_preferences::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(notification_preferences::Column::RecipientKind.eq(recipient.kind_str()))
        .filter(notification_preferences::Column::RecipientId.eq(recipient.id_uuid()))
        .one(txn)
        .await
        .map_err(internal)?;
    Ok(m.map(|m| StoredPreferences {
        prefs: Preferences {
            in_app: m.in_app,
            email: m.email,
            telegram: m.telegram,
        },
        telegram_blocked_at: m.telegram_blocked_at,
        locale: m.locale.as_deref().and_then(Locale::from_code),
    }))
}

#[async_trait]
impl NotificationStore for SqlStore {
    async fn create(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        plan: &NotificationPlan<'_>,
    ) -> Result<Option<Stored>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let stored = stored_preferences(&txn, ctx, recipient).await?;
        let Some(n) = plan(stored.as_ref()) else {
            txn.commit().await.map_err(internal)?;
            return Ok(None);
        };
        let x = &n.notification;
        let inserted = notifications::Entity::insert(notifications::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            id: Set(x.id.as_uuid()),
            recipient_kind: Set(x.recipient.kind_str().to_owned()),
            recipient_id: Set(x.recipient.id_uuid()),
            kind: Set(x.kind.as_str().to_owned()),
            data: Set(x.data.to_string()),
            visible: Set(n.visible),
            dedupe_key: Set(n.dedupe_key.clone()),
            created_at: Set(x.created_at),
            read_at: Set(None),
        })
        .on_conflict(
            OnConflict::columns([
                notifications::Column::TenantId,
                notifications::Column::DedupeKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        if inserted == 0 {
            // An earlier run stored it: what it stored (its job asks whether
            // live views were told).
            let m = notifications::Entity::find()
                .filter(notifications::Column::TenantId.eq(ctx.tenant().as_uuid()))
                .filter(notifications::Column::DedupeKey.eq(n.dedupe_key.as_str()))
                .one(&txn)
                .await
                .map_err(internal)?
                .ok_or(StoreError::NotFound)?;
            txn.commit().await.map_err(internal)?;
            let visible = m.visible;
            return Ok(Some(Stored::Existing {
                notification: to_notification(m)?,
                visible,
            }));
        }
        for channel in &n.channels {
            notification_deliveries::Entity::insert(notification_deliveries::ActiveModel {
                tenant_id: Set(ctx.tenant().as_uuid()),
                notification_id: Set(x.id.as_uuid()),
                channel: Set(channel.as_str().to_owned()),
                status: Set("pending".into()),
                attempts: Set(0),
                claimed_until: Set(None),
                last_error: Set(None),
                sent_at: Set(None),
                updated_at: Set(x.created_at),
            })
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
            crate::jobs::enqueue_in(&txn, x.created_at, &deliver_job(ctx, x.id, *channel))
                .await
                .map_err(internal)?;
        }
        txn.commit().await.map_err(internal)?;
        Ok(Some(Stored::New(n)))
    }

    async fn get(&self, ctx: &Ctx, id: NotificationId) -> Result<Notification, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let m = notifications::Entity::find()
            .filter(notifications::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(notifications::Column::Id.eq(id.as_uuid()))
            .one(&txn)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await.map_err(internal)?;
        to_notification(m)
    }

    async fn list(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        unread_only: bool,
        page: PageRequest,
    ) -> Result<Page<Notification>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let mut q = notifications::Entity::find()
            .filter(notifications::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(of_recipient(recipient))
            .filter(notifications::Column::Visible.eq(true));
        if unread_only {
            q = q.filter(notifications::Column::ReadAt.is_null());
        }
        let p = paginate(&txn, q, notifications::Column::Id, page).await?;
        txn.commit().await.map_err(internal)?;
        let Page {
            items,
            has_next,
            has_previous,
            total,
        } = p;
        Ok(Page {
            items: items
                .into_iter()
                .map(to_notification)
                .collect::<Result<_, _>>()?,
            has_next,
            has_previous,
            total,
        })
    }

    async fn unread_count(&self, ctx: &Ctx, recipient: Recipient) -> Result<u64, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let n = notifications::Entity::find()
            .filter(notifications::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(of_recipient(recipient))
            .filter(notifications::Column::Visible.eq(true))
            .filter(notifications::Column::ReadAt.is_null())
            .count(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(n)
    }

    async fn mark_read(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        ids: Option<&[NotificationId]>,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let mut q = notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(at))
            .filter(notifications::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(of_recipient(recipient))
            .filter(notifications::Column::ReadAt.is_null());
        if let Some(ids) = ids {
            q = q.filter(notifications::Column::Id.is_in(ids.iter().map(|i| i.as_uuid())));
        }
        let n = q.exec(&txn).await.map_err(internal)?.rows_affected;
        txn.commit().await.map_err(internal)?;
        Ok(n)
    }

    async fn preferences(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
    ) -> Result<Option<StoredPreferences>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let stored = stored_preferences(&txn, ctx, recipient).await;
        txn.commit().await.map_err(internal)?;
        stored
    }

    async fn set_preferences(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        prefs: Preferences,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        upsert_prefs(self, ctx, recipient, Change::Choices(prefs), at).await
    }

    async fn set_locale(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        locale: Locale,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        upsert_prefs(self, ctx, recipient, Change::Locale(locale), at).await
    }

    async fn mark_telegram_blocked(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        // A new row gets the defaults; an existing one keeps its choices.
        upsert_prefs(self, ctx, recipient, Change::Blocked(at), at).await
    }

    async fn claim(
        &self,
        ctx: &Ctx,
        id: NotificationId,
        channel: Channel,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Claim, StoreError> {
        use notification_deliveries::Column as C;
        let txn = self.db.tenant_tx(ctx).await?;
        let claimed = notification_deliveries::Entity::update_many()
            .col_expr(C::Status, Expr::value("sending"))
            .col_expr(C::ClaimedUntil, Expr::value(until))
            .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
            .col_expr(C::UpdatedAt, Expr::value(now))
            .filter(delivery_key(ctx, id, channel))
            .filter(C::Status.eq("pending"))
            .exec(&txn)
            .await
            .map_err(internal)?
            .rows_affected;
        let outcome = if claimed == 1 {
            Claim::Claimed
        } else {
            match notification_deliveries::Entity::find()
                .filter(delivery_key(ctx, id, channel))
                .one(&txn)
                .await
                .map_err(internal)?
            {
                None => Claim::Missing,
                Some(m) if m.status == "sending" && m.claimed_until.is_some_and(|t| t < now) => {
                    // Its run died while sending: it may have gone out.
                    notification_deliveries::Entity::update_many()
                        .col_expr(C::Status, Expr::value("failed"))
                        .col_expr(C::LastError, Expr::value(INTERRUPTED))
                        .col_expr(C::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                        .col_expr(C::UpdatedAt, Expr::value(now))
                        .filter(delivery_key(ctx, id, channel))
                        .filter(C::Status.eq("sending"))
                        .exec(&txn)
                        .await
                        .map_err(internal)?;
                    Claim::Interrupted
                }
                Some(m) if m.status == "sending" => Claim::Busy,
                Some(_) => Claim::Finished,
            }
        };
        txn.commit().await.map_err(internal)?;
        Ok(outcome)
    }

    async fn finish(
        &self,
        ctx: &Ctx,
        id: NotificationId,
        channel: Channel,
        outcome: &DeliveryOutcome,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        use notification_deliveries::Column as C;
        let (status, error, sent_at) = match outcome {
            DeliveryOutcome::Sent => ("sent", None, Some(at)),
            DeliveryOutcome::Skipped(why) => ("skipped", Some(why.clone()), None),
            DeliveryOutcome::Failed(why) => ("failed", Some(why.clone()), None),
            DeliveryOutcome::Retry { reason, .. } => ("pending", Some(reason.clone()), None),
        };
        let txn = self.db.tenant_tx(ctx).await?;
        notification_deliveries::Entity::update_many()
            .col_expr(C::Status, Expr::value(status))
            .col_expr(C::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(C::LastError, Expr::value(error))
            .col_expr(C::SentAt, Expr::value(sent_at))
            .col_expr(C::UpdatedAt, Expr::value(at))
            .filter(delivery_key(ctx, id, channel))
            .filter(C::Status.eq("sending"))
            .exec(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)
    }
}

/// What one upsert of a recipient's settings changes (a new row gets the defaults besides).
enum Change {
    /// The channel choices.
    Choices(Preferences),
    /// The mark that their Telegram chat blocked the bot.
    Blocked(DateTime<Utc>),
    /// The language.
    Locale(Locale),
}

async fn upsert_prefs(
    s: &SqlStore,
    ctx: &Ctx,
    recipient: Recipient,
    change: Change,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    use notification_preferences::Column as C;
    let txn = s.db.tenant_tx(ctx).await?;
    // Each change updates only its own columns of an existing row.
    let (prefs, blocked_at, locale, update) = match change {
        Change::Choices(p) => (
            p,
            None,
            None,
            vec![C::InApp, C::Email, C::Telegram, C::UpdatedAt],
        ),
        Change::Blocked(when) => (
            Preferences::default_for(&recipient),
            Some(when),
            None,
            vec![C::TelegramBlockedAt, C::UpdatedAt],
        ),
        Change::Locale(l) => (
            Preferences::default_for(&recipient),
            None,
            Some(l.code().to_owned()),
            vec![C::Locale, C::UpdatedAt],
        ),
    };
    notification_preferences::Entity::insert(notification_preferences::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        recipient_kind: Set(recipient.kind_str().to_owned()),
        recipient_id: Set(recipient.id_uuid()),
        in_app: Set(prefs.in_app),
        email: Set(prefs.email),
        telegram: Set(prefs.telegram),
        telegram_blocked_at: Set(blocked_at),
        updated_at: Set(at),
        locale: Set(locale),
    })
    .on_conflict(
        OnConflict::columns([C::TenantId, C::RecipientKind, C::RecipientId])
            .update_columns(update)
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await
    .map_err(internal)?;
    txn.commit().await.map_err(internal)
}
