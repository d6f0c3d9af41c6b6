//! The guest's Mini App: sign-in with Telegram `initData`, and fields about
//! the signed-in guest only. Also the business's bot settings.

use async_graphql::{
    Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject, Subscription,
};
use chrono::{DateTime, NaiveDate, Utc};
use domain::TenantId;
use domain::identity::Permission as P;
use domain::loyalty::{GuestCard, LoyaltyEvent};
use futures_util::{Stream, StreamExt};

use super::subscriptions::GuestUpdate;
use super::types::{Account, Guest, LedgerEntry, Level};
use crate::error::GqlResult;
use crate::graphql::{
    Conn, GuestOnly, PageArgs, Perm, Public, connection, guest, guest_ctx, loyalty_service as svc,
    maybe, parse_id, public, requires, staff_ctx,
};
use crate::realtime::{LocalBus, Topic};

/// A guest's card in the Mini App.
#[derive(SimpleObject)]
pub struct MyCard {
    /// The guest.
    pub guest: Guest,
    /// Points.
    pub account: Account,
    /// Current level.
    pub level: Option<Level>,
    /// The next level.
    pub next_level: Option<Level>,
    /// Spend still missing for the next level, minor units.
    pub missing_minor: Option<i64>,
    /// The spend that counts, minor units.
    pub spend_minor: i64,
    /// Progress to the next level, 0–100.
    pub progress_percent: i32,
}

impl From<GuestCard> for MyCard {
    fn from(c: GuestCard) -> Self {
        let progress = match (&c.level, &c.next) {
            (Some(cur), Some((next, _))) if next.threshold_minor > cur.threshold_minor => {
                let span = next.threshold_minor - cur.threshold_minor;
                let done = (c.spend_minor - cur.threshold_minor).clamp(0, span);
                i32::try_from(done * 100 / span).unwrap_or(0)
            }
            (_, None) => 100,
            _ => 0,
        };
        Self {
            account: c.account.into(),
            level: c.level.as_ref().map(Level::from),
            next_level: c.next.as_ref().map(|(l, _)| Level::from(l)),
            missing_minor: c.next.as_ref().map(|(_, m)| *m),
            spend_minor: c.spend_minor,
            progress_percent: progress,
            guest: c.guest.into(),
        }
    }
}

/// A guest signed in from the Mini App.
#[derive(SimpleObject)]
pub struct GuestAuthPayload {
    /// Bearer token that can only see this guest (an hour).
    pub token: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// Whether the guest was registered now.
    pub created: bool,
}

/// The business's Telegram bot (the token is never shown).
#[derive(SimpleObject)]
pub struct TelegramBot {
    /// The bot's numeric id.
    pub bot_id: String,
    /// When the token was last set.
    pub updated_at: DateTime<Utc>,
}

/// What a guest may change about themselves.
#[derive(InputObject)]
pub struct UpdateMyGuestProfileInput {
    /// Name.
    pub name: MaybeUndefined<String>,
    /// Birthday.
    pub birthday: MaybeUndefined<NaiveDate>,
    /// Agreed to marketing messages.
    pub marketing_consent: Option<bool>,
}

/// Mini App queries.
#[derive(Default)]
pub struct MiniAppQuery;

#[Object]
impl MiniAppQuery {
    /// The signed-in guest's card: balance, level, progress, QR payload, card code.
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn my_card(&self, ctx: &Context<'_>) -> Result<MyCard> {
        Ok(svc(ctx)?.my_card(guest_ctx(ctx)?).await.gql()?.into())
    }

    /// The signed-in guest's history, oldest first (use `last` for the newest).
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn my_ledger(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<Conn<LedgerEntry>> {
        let page = PageArgs {
            after,
            before,
            first,
            last,
        }
        .request()?;
        let p = svc(ctx)?.my_ledger(guest_ctx(ctx)?, page).await.gql()?;
        Ok(connection(p, |e| e.id.as_uuid(), LedgerEntry::from))
    }

    /// The business's Telegram bot, if set.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn telegram_bot(&self, ctx: &Context<'_>) -> Result<Option<TelegramBot>> {
        let b = svc(ctx)?.telegram_bot(staff_ctx(ctx)?).await.gql()?;
        Ok(b.map(|b| TelegramBot {
            bot_id: b.bot_id.to_string(),
            updated_at: b.updated_at,
        }))
    }
}

/// Mini App mutations.
#[derive(Default)]
pub struct MiniAppMutation;

#[Object]
impl MiniAppMutation {
    /// Signs a guest in with the Mini App's `initData` (validated with the business's
    /// own bot token, at most an hour old); registers them on first visit.
    #[graphql(guard = "Public", directive = public::apply())]
    async fn guest_sign_in(
        &self,
        ctx: &Context<'_>,
        tenant_id: ID,
        init_data: String,
    ) -> Result<GuestAuthPayload> {
        let tenant: TenantId = parse_id(&tenant_id, "tenantId")?;
        let s = svc(ctx)?.sign_in_guest(tenant, &init_data).await.gql()?;
        Ok(GuestAuthPayload {
            token: s.token,
            expires_at: s.expires_at,
            created: s.created,
        })
    }

    /// Links the phone the guest shared with Telegram's contact request (pass the
    /// signed answer as received). When the business already knew that phone,
    /// the records become one and the answer carries a token for it: use it from now on.
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn link_my_phone(
        &self,
        ctx: &Context<'_>,
        contact_data: String,
    ) -> Result<GuestAuthPayload> {
        let s = svc(ctx)?
            .link_my_phone(guest_ctx(ctx)?, &contact_data)
            .await
            .gql()?;
        Ok(GuestAuthPayload {
            token: s.token,
            expires_at: s.expires_at,
            created: false,
        })
    }

    /// The signed-in guest changes their name, birthday or marketing consent.
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn update_my_guest_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateMyGuestProfileInput,
    ) -> Result<MyCard> {
        let c = guest_ctx(ctx)?;
        let s = svc(ctx)?;
        s.update_my_guest_profile(
            c,
            maybe(input.name),
            maybe(input.birthday),
            input.marketing_consent,
        )
        .await
        .gql()?;
        Ok(s.my_card(c).await.gql()?.into())
    }

    /// Sets the business's Telegram bot token (stored encrypted, never shown again).
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn set_telegram_bot(&self, ctx: &Context<'_>, token: String) -> Result<TelegramBot> {
        let b = svc(ctx)?
            .set_telegram_bot(staff_ctx(ctx)?, &token)
            .await
            .gql()?;
        Ok(TelegramBot {
            bot_id: b.bot_id.to_string(),
            updated_at: b.updated_at,
        })
    }
}

/// Mini App subscriptions.
#[derive(Default)]
pub struct MiniAppSubscription;

#[Subscription]
impl MiniAppSubscription {
    /// The signed-in guest's points and level, whenever they change.
    #[graphql(guard = "GuestOnly", directive = guest::apply())]
    async fn my_card_updated(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = GuestUpdate> + use<>> {
        let c = guest_ctx(ctx)?;
        let (tenant, me) = (c.tenant(), c.actor().guest_id());
        let bus = ctx.data::<LocalBus>()?;
        let events = match me {
            Some(g) => bus.subscribe_to(Topic::Guest(tenant, g)).left_stream(),
            None => futures_util::stream::empty().right_stream(),
        };
        Ok(events.filter_map(move |e| async move {
            match e {
                LoyaltyEvent::GuestChanged {
                    guest: g,
                    account,
                    level,
                } if Some(g) == me => Some(GuestUpdate {
                    guest_id: ID(g.to_string()),
                    balance: account.balance.get(),
                    held: account.held.get(),
                    available: account.available().get(),
                    level_id: level.map(|l| ID(l.to_string())),
                }),
                _ => None,
            }
        }))
    }
}
