//! Unit tests of the notifications service over in-memory fakes of its ports
//! (the identity fakes give it a business, its staff and their permissions).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::models::{Channel, Notification, NotificationKind, Preferences, Recipient};
use super::ports::{
    Claim, DeliveryOutcome, NotificationPlan, NotificationStore, Stored, StoredPreferences,
    TelegramError, TelegramSender,
};
use super::service::{NotificationDeps, NotificationError, NotificationService};
use crate::Ctx;
use crate::events::{DomainEvent, EventId, types};
use crate::identity::models::{AuditRecord, Role};
use crate::identity::ports::MailError;
use crate::identity::tests::harness::{Business, Member, World};
use crate::identity::{Locale, StoreError};
use crate::ids::{GuestId, NotificationId, TenantId};
use crate::jobs::{Job, JobStatus, NewJob};
use crate::loyalty::models::{Guest, GuestRef};
use crate::loyalty::ports::{
    Found, GuestQuery, GuestStore, SearchPosition, TelegramBotInfo, TelegramBotVault,
};
use crate::loyalty::values::{CardCode, QrPayload, Tags};
use crate::loyalty::{BatchState, EventPublisher, LiveBatch, LoyaltyEvent};
use crate::page::{Page, PageRequest};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

// ----- fakes ----------------------------------------------------------------------

/// A delivery's status and claim.
type Delivery = (&'static str, Option<DateTime<Utc>>);

#[derive(Default)]
struct State {
    rows: Vec<(Notification, String, bool)>,
    deliveries: HashMap<(NotificationId, Channel), Delivery>,
    prefs: HashMap<Recipient, StoredPreferences>,
    jobs: Vec<NewJob>,
}

impl State {
    /// A recipient's settings, created with the defaults.
    fn settings(&mut self, r: Recipient) -> &mut StoredPreferences {
        self.prefs.entry(r).or_insert_with(|| StoredPreferences {
            prefs: Preferences::default_for(&r),
            telegram_blocked_at: None,
            locale: None,
        })
    }
}

#[derive(Default)]
struct FakeStore(Mutex<State>);

#[async_trait]
impl NotificationStore for FakeStore {
    async fn create(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        plan: &NotificationPlan<'_>,
    ) -> Result<Option<Stored>, StoreError> {
        let mut s = lock(&self.0);
        let Some(n) = plan(s.prefs.get(&recipient)) else {
            return Ok(None);
        };
        if let Some((x, _, visible)) = s
            .rows
            .iter()
            .find(|(x, k, _)| x.tenant == ctx.tenant() && *k == n.dedupe_key)
        {
            return Ok(Some(Stored::Existing {
                notification: x.clone(),
                visible: *visible,
            }));
        }
        for c in &n.channels {
            s.deliveries
                .insert((n.notification.id, *c), ("pending", None));
            s.jobs
                .push(super::ports::deliver_job(ctx, n.notification.id, *c));
        }
        s.rows
            .push((n.notification.clone(), n.dedupe_key.clone(), n.visible));
        Ok(Some(Stored::New(n)))
    }

    async fn get(&self, ctx: &Ctx, id: NotificationId) -> Result<Notification, StoreError> {
        lock(&self.0)
            .rows
            .iter()
            .find(|(n, _, _)| n.id == id && n.tenant == ctx.tenant())
            .map(|(n, _, _)| n.clone())
            .ok_or(StoreError::NotFound)
    }

    async fn list(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        unread_only: bool,
        _page: PageRequest,
    ) -> Result<Page<Notification>, StoreError> {
        let items: Vec<Notification> = lock(&self.0)
            .rows
            .iter()
            .filter(|(n, _, visible)| {
                *visible
                    && n.tenant == ctx.tenant()
                    && n.recipient == recipient
                    && (!unread_only || n.read_at.is_none())
            })
            .map(|(n, _, _)| n.clone())
            .collect();
        Ok(Page {
            total: items.len() as u64,
            items,
            has_next: false,
            has_previous: false,
        })
    }

    async fn unread_count(&self, ctx: &Ctx, recipient: Recipient) -> Result<u64, StoreError> {
        Ok(self
            .list(
                ctx,
                recipient,
                true,
                PageRequest::Forward {
                    after: None,
                    limit: 1000,
                },
            )
            .await?
            .total)
    }

    async fn mark_read(
        &self,
        ctx: &Ctx,
        recipient: Recipient,
        ids: Option<&[NotificationId]>,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut n = 0;
        for (x, _, _) in &mut lock(&self.0).rows {
            if x.tenant == ctx.tenant()
                && x.recipient == recipient
                && x.read_at.is_none()
                && ids.is_none_or(|ids| ids.contains(&x.id))
            {
                x.read_at = Some(at);
                n += 1;
            }
        }
        Ok(n)
    }

    async fn preferences(
        &self,
        _ctx: &Ctx,
        recipient: Recipient,
    ) -> Result<Option<StoredPreferences>, StoreError> {
        Ok(lock(&self.0).prefs.get(&recipient).copied())
    }

    async fn set_preferences(
        &self,
        _ctx: &Ctx,
        recipient: Recipient,
        prefs: Preferences,
        _at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        lock(&self.0).settings(recipient).prefs = prefs;
        Ok(())
    }

    async fn mark_telegram_blocked(
        &self,
        _ctx: &Ctx,
        recipient: Recipient,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        lock(&self.0).settings(recipient).telegram_blocked_at = Some(at);
        Ok(())
    }

    async fn set_locale(
        &self,
        _ctx: &Ctx,
        recipient: Recipient,
        locale: Locale,
        _at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        lock(&self.0).settings(recipient).locale = Some(locale);
        Ok(())
    }

    async fn claim(
        &self,
        _ctx: &Ctx,
        id: NotificationId,
        channel: Channel,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Claim, StoreError> {
        let mut s = lock(&self.0);
        let Some(d) = s.deliveries.get_mut(&(id, channel)) else {
            return Ok(Claim::Missing);
        };
        match *d {
            ("pending", _) => {}
            ("sending", Some(t)) if t < now => {
                *d = ("failed", None);
                return Ok(Claim::Interrupted);
            }
            ("sending", _) => return Ok(Claim::Busy),
            _ => return Ok(Claim::Finished),
        }
        *d = ("sending", Some(until));
        Ok(Claim::Claimed)
    }

    async fn finish(
        &self,
        _ctx: &Ctx,
        id: NotificationId,
        channel: Channel,
        outcome: &DeliveryOutcome,
        _at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let status = match outcome {
            DeliveryOutcome::Sent => "sent",
            DeliveryOutcome::Skipped(_) => "skipped",
            DeliveryOutcome::Failed(_) => "failed",
            DeliveryOutcome::Retry { .. } => "pending",
        };
        lock(&self.0)
            .deliveries
            .insert((id, channel), (status, None));
        Ok(())
    }
}

#[derive(Default)]
struct FakeGuests(Mutex<HashMap<GuestId, Guest>>);

fn not_used() -> StoreError {
    StoreError::Internal("not used by notifications".into())
}

#[async_trait]
impl GuestStore for FakeGuests {
    async fn create(
        &self,
        _ctx: &Ctx,
        _guest: &Guest,
        _audit: AuditRecord,
        _outbox: &[NewJob],
    ) -> Result<(), StoreError> {
        Err(not_used())
    }
    async fn update(
        &self,
        _ctx: &Ctx,
        _guest: &Guest,
        _audit: AuditRecord,
        _outbox: &[NewJob],
    ) -> Result<(), StoreError> {
        Err(not_used())
    }
    async fn get(&self, _ctx: &Ctx, id: GuestId) -> Result<Guest, StoreError> {
        lock(&self.0).get(&id).cloned().ok_or(StoreError::NotFound)
    }
    async fn find(&self, _ctx: &Ctx, _by: &GuestRef) -> Result<Option<Guest>, StoreError> {
        Err(not_used())
    }
    async fn with_birthday(
        &self,
        _ctx: &Ctx,
        _keys: &[u16],
        _after: Option<GuestId>,
        _limit: u64,
    ) -> Result<Vec<Guest>, StoreError> {
        Err(not_used())
    }
    async fn search(
        &self,
        _ctx: &Ctx,
        _query: &GuestQuery,
        _page: PageRequest<SearchPosition>,
    ) -> Result<Page<Found>, StoreError> {
        Err(not_used())
    }
}

struct FakeBots;

#[async_trait]
impl TelegramBotVault for FakeBots {
    async fn set(
        &self,
        _ctx: &Ctx,
        _bot_id: i64,
        _token: &str,
        _audit: AuditRecord,
    ) -> Result<(), StoreError> {
        Err(not_used())
    }
    async fn token(&self, _ctx: &Ctx) -> Result<Option<String>, StoreError> {
        Ok(Some("42:bot-token".into()))
    }
    async fn info(&self, _ctx: &Ctx) -> Result<Option<TelegramBotInfo>, StoreError> {
        Err(not_used())
    }
}

/// Records messages; answers from a script, then `Ok`.
#[derive(Default)]
struct FakeTelegram {
    sent: Mutex<Vec<(i64, String)>>,
    script: Mutex<Vec<TelegramError>>,
}

#[async_trait]
impl TelegramSender for FakeTelegram {
    async fn send_message(&self, _token: &str, chat: i64, html: &str) -> Result<(), TelegramError> {
        lock(&self.sent).push((chat, html.to_owned()));
        let mut script = lock(&self.script);
        if script.is_empty() {
            Ok(())
        } else {
            Err(script.remove(0))
        }
    }
}

/// A bus that records what it publishes; it answers questions about batches
/// from `answers` (then "published", like a bus inside one process).
#[derive(Default)]
struct Events(
    Mutex<Vec<LoyaltyEvent>>,
    Mutex<Vec<BatchState>>,
    Mutex<Vec<LiveBatch>>,
);

#[async_trait]
impl EventPublisher for Events {
    fn publish(&self, _tenant: TenantId, event: LoyaltyEvent) {
        lock(&self.0).push(event);
    }

    async fn batch_state(&self, _id: EventId) -> BatchState {
        let mut answers = lock(&self.1);
        if answers.is_empty() {
            BatchState::Published
        } else {
            answers.remove(0)
        }
    }

    async fn publish_late(&self, batch: LiveBatch) -> BatchState {
        lock(&self.2).push(batch);
        BatchState::Published
    }
}

// ----- the world ------------------------------------------------------------------

struct Fixture {
    world: World,
    svc: NotificationService,
    store: Arc<FakeStore>,
    guests: Arc<FakeGuests>,
    telegram: Arc<FakeTelegram>,
    events: Arc<Events>,
    business: Business,
    cashier: Member,
    system: Ctx,
}

async fn fixture() -> Fixture {
    let world = World::new();
    let business = world.business("Кафе", "owner@example.com").await;
    let cashier = world
        .join(&business.owner.ctx, "cashier@example.com", Role::Cashier)
        .await;
    let store = Arc::new(FakeStore::default());
    let guests = Arc::new(FakeGuests::default());
    let telegram = Arc::new(FakeTelegram::default());
    let events = Arc::new(Events::default());
    let svc = NotificationService::new(NotificationDeps {
        store: store.clone(),
        staff: world.store.clone(),
        authorizer: world.authz.clone(),
        guests: guests.clone(),
        tenants: world.store.clone(),
        bots: Arc::new(FakeBots),
        telegram: telegram.clone(),
        mailer: world.mailer.clone(),
        events: events.clone(),
        clock: world.clock.clone(),
    });
    let system = Ctx::system(business.tenant);
    Fixture {
        world,
        svc,
        store,
        guests,
        telegram,
        events,
        business,
        cashier,
        system,
    }
}

impl Fixture {
    /// A check's notification for guest `g`: its Telegram delivery job and
    /// the notification's id.
    async fn telegram_job_of_a_check(&self, g: GuestId) -> (NewJob, NotificationId) {
        self.on_event(&self.event(types::CHECK_PROCESSED, check(g, 15)))
            .await
            .expect("created");
        let job = self.job_for(Channel::Telegram);
        let id = job.payload["notification"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("id");
        (job, id)
    }

    /// Claims the Telegram delivery of `id` at `at`, for two minutes.
    async fn claim_at(&self, id: NotificationId, at: DateTime<Utc>) -> Result<Claim, StoreError> {
        self.store
            .claim(
                &self.system,
                id,
                Channel::Telegram,
                at,
                at + chrono::Duration::minutes(2),
            )
            .await
    }

    fn guest(&self, telegram: Option<i64>, email: Option<&str>, consent: bool) -> GuestId {
        let g = Guest {
            id: GuestId::new(),
            phone: None,
            name: Some("Анна".into()),
            birthday: None,
            email: email.map(str::to_owned),
            telegram_id: telegram,
            marketing_consent: consent,
            tags: Tags::parse(&[]).expect("no tags"),
            card_code: CardCode::from_random([7; 8]),
            qr: QrPayload::from_random([9; 16]),
            level_id: None,
            lifetime_spend_minor: 0,
            created_at: self.world.now(),
            forgotten: false,
            referred_by: None,
            last_visit_at: None,
        };
        let id = g.id;
        lock(&self.guests.0).insert(id, g);
        id
    }

    fn event(&self, kind: &str, data: serde_json::Value) -> DomainEvent {
        DomainEvent::new(kind, self.business.tenant, self.world.now(), data)
    }

    fn rows(&self) -> Vec<(Notification, bool)> {
        lock(&self.store.0)
            .rows
            .iter()
            .map(|(n, _, v)| (n.clone(), *v))
            .collect()
    }

    fn jobs(&self) -> Vec<NewJob> {
        lock(&self.store.0).jobs.clone()
    }

    /// Runs a stored delivery job as the worker would.
    async fn run(&self, job: &NewJob) -> Result<(), crate::jobs::JobFailure> {
        self.svc.deliver(&self.system, &self.started(job)).await
    }

    /// The notifications of `e`, as its fan-out job makes them.
    async fn on_event(&self, e: &DomainEvent) -> Result<usize, crate::jobs::JobFailure> {
        let job = self.started(&NewJob::new(crate::events::FANOUT_JOB, json!({})));
        self.svc.on_event(&self.system, e, &job).await
    }

    /// `job` as the queue hands it to its first run.
    fn started(&self, job: &NewJob) -> Job {
        Job {
            id: crate::ids::JobId::new(),
            kind: job.kind.clone(),
            tenant: job.tenant,
            payload: job.payload.clone(),
            attempts: 1,
            max_attempts: 10,
            status: JobStatus::Running,
            run_at: self.world.now(),
            locked_until: None,
            locked_by: None,
            last_error: None,
            lease: None,
            dedupe_key: job.dedupe_key.clone(),
            priority: job.priority,
            created_at: self.world.now(),
            updated_at: self.world.now(),
        }
    }

    fn job_for(&self, channel: Channel) -> NewJob {
        self.jobs()
            .into_iter()
            .rev()
            .find(|j| j.payload["channel"] == channel.as_str())
            .unwrap_or_else(|| panic!("a {channel:?} job"))
    }
}

fn check(guest: GuestId, points: i64) -> serde_json::Value {
    json!({ "guestId": guest.to_string(), "earnedPoints": points, "balance": 100 + points, "checkId": "c-1" })
}

// ----- tests ----------------------------------------------------------------------

#[tokio::test]
async fn a_notification_the_bus_cannot_vouch_for_keeps_its_job_until_it_is_published() {
    let f = fixture().await;
    let g = f.guest(Some(555), None, false);
    let e = f.event(types::CHECK_PROCESSED, check(g, 15));
    // Published at once, but the bus cannot tell whether it went out (its
    // broker is unreachable): the job tries again later.
    lock(&f.events.1).push(BatchState::Unknown);
    let first = f.on_event(&e).await;
    assert!(first.is_err_and(|x| !x.permanent), "retried, not dead");
    assert_eq!(lock(&f.events.0).len(), 1, "told at once");
    let rows = f.rows();
    assert_eq!(rows.len(), 1, "the notification stays stored");
    // The next run creates nothing, and publishes it late when nobody did.
    lock(&f.events.1).push(BatchState::Unpublished);
    assert_eq!(f.on_event(&e).await, Ok(0));
    let late = lock(&f.events.2).clone();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].id, EventId::from_uuid(rows[0].0.id.as_uuid()));
    assert_eq!(
        late[0].events,
        vec![LoyaltyEvent::NotificationCreated(rows[0].0.clone())]
    );
    // Once the bus vouches for it, a run adds nothing.
    assert_eq!(f.on_event(&e).await, Ok(0));
    assert_eq!(lock(&f.events.2).len(), 1);
    assert_eq!(lock(&f.events.0).len(), 1);
    assert_eq!(f.rows().len(), 1);
    // The job's last attempt ends quietly when the bus still cannot tell.
    lock(&f.events.1).push(BatchState::Unknown);
    let mut last = f.started(&NewJob::new(crate::events::FANOUT_JOB, json!({})));
    last.attempts = last.max_attempts;
    assert_eq!(f.svc.on_event(&f.system, &e, &last).await, Ok(0));
}

#[tokio::test]
async fn a_check_notifies_its_guest_once_and_only_over_the_channels_it_offers() {
    let f = fixture().await;
    let g = f.guest(Some(555), Some("anna@example.com"), true);
    let e = f.event(types::CHECK_PROCESSED, check(g, 15));
    assert_eq!(f.on_event(&e).await, Ok(1));
    assert_eq!(
        f.on_event(&e).await,
        Ok(0),
        "a retried fan-out adds nothing"
    );
    let rows = f.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0.recipient, Recipient::Guest(g));
    assert_eq!(rows[0].0.kind, NotificationKind::PointsEarned);
    // "+N points" goes to Telegram, never by e-mail.
    let channels: Vec<_> = f
        .jobs()
        .iter()
        .map(|j| j.payload["channel"].clone())
        .collect();
    assert_eq!(channels, vec![json!("telegram")]);
    assert_eq!(
        lock(&f.events.0).len(),
        1,
        "published once, after it was stored"
    );

    // No points, no notification.
    let e = f.event(types::CHECK_PROCESSED, check(g, 0));
    assert_eq!(f.on_event(&e).await, Ok(0));
}

#[tokio::test]
async fn a_level_up_tells_the_guest_and_the_staff_who_manage_loyalty() {
    let f = fixture().await;
    let g = f.guest(None, None, false);
    let e = f.event(
        types::LEVEL_CHANGED,
        json!({ "guestId": g.to_string(), "from": { "name": "Bronze" }, "to": { "name": "Silver" }, "reason": "check" }),
    );
    assert_eq!(f.on_event(&e).await, Ok(2));
    let rows = f.rows();
    let owner = Recipient::Staff(f.business.owner.id);
    assert!(
        rows.iter()
            .any(|(n, _)| n.recipient == owner && n.kind == NotificationKind::GuestLevelUp)
    );
    assert!(
        rows.iter()
            .all(|(n, _)| n.recipient != Recipient::Staff(f.cashier.id)),
        "cashiers do not manage loyalty"
    );
    // Staff e-mail is off until chosen: the owner's notification has no delivery.
    let staff_jobs = f
        .jobs()
        .iter()
        .filter(|j| {
            rows.iter()
                .any(|(n, _)| n.recipient == owner && j.payload["notification"] == n.id.to_string())
        })
        .count();
    assert_eq!(staff_jobs, 0);

    // The monthly review's change is the guest's news only.
    let e = f.event(
        types::LEVEL_CHANGED,
        json!({ "guestId": g.to_string(), "to": { "name": "Bronze" }, "reason": "review" }),
    );
    assert_eq!(f.on_event(&e).await, Ok(1));
}

#[tokio::test]
async fn a_delivery_job_run_twice_sends_once() {
    let f = fixture().await;
    let g = f.guest(Some(555), None, false);
    f.on_event(&f.event(types::CHECK_PROCESSED, check(g, 15)))
        .await
        .expect("created");
    let job = f.job_for(Channel::Telegram);
    assert_eq!(f.run(&job).await, Ok(()));
    assert_eq!(f.run(&job).await, Ok(()));
    let sent = lock(&f.telegram.sent).clone();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, 555);
    assert!(sent[0].1.starts_with("<b>+15 баллов</b>"), "{}", sent[0].1);
}

#[tokio::test]
async fn a_run_holding_the_claim_makes_another_wait() {
    let f = fixture().await;
    let g = f.guest(Some(555), None, false);
    let (job, id) = f.telegram_job_of_a_check(g).await;
    assert_eq!(f.claim_at(id, f.world.now()).await, Ok(Claim::Claimed));
    let busy = f.run(&job).await.expect_err("busy");
    assert!(!busy.permanent && busy.retry_after.is_some(), "{busy:?}");
    assert!(lock(&f.telegram.sent).is_empty());
}

#[tokio::test]
async fn a_delivery_whose_sender_died_or_lost_the_answer_is_never_sent_again() {
    let f = fixture().await;
    let g = f.guest(Some(555), None, false);
    let (job, id) = f.telegram_job_of_a_check(g).await;
    // A run claimed it and died: its claim runs out.
    let now = f.world.now();
    assert_eq!(f.claim_at(id, now).await, Ok(Claim::Claimed));
    let later = now + chrono::Duration::minutes(3);
    assert_eq!(f.claim_at(id, later).await, Ok(Claim::Interrupted));
    assert_eq!(f.run(&job).await, Ok(()));
    assert!(lock(&f.telegram.sent).is_empty(), "not sent again");

    // The answer to a send is lost: given up, not retried.
    let mut e = f.event(types::CHECK_PROCESSED, check(g, 20));
    e.data["checkId"] = json!("c-lost");
    assert_eq!(f.on_event(&e).await, Ok(1));
    lock(&f.telegram.script).push(TelegramError::AnswerLost("timed out".into()));
    let jobs = f.jobs();
    let job = jobs.last().expect("the second notification's job");
    assert_eq!(f.run(job).await, Ok(()), "no retry");
    assert_eq!(f.run(job).await, Ok(()));
    assert_eq!(
        lock(&f.telegram.sent).len(),
        1,
        "one attempt, never a second"
    );
}

#[tokio::test]
async fn telegram_429_retries_after_the_wait_and_403_blocks_the_chat() {
    let f = fixture().await;
    let g = f.guest(Some(555), None, false);
    lock(&f.telegram.script).extend([
        TelegramError::RetryAfter(7),
        TelegramError::Blocked("bot was blocked by the user".into()),
    ]);
    f.on_event(&f.event(types::CHECK_PROCESSED, check(g, 15)))
        .await
        .expect("created");
    let job = f.job_for(Channel::Telegram);
    let wait = f.run(&job).await.expect_err("429");
    assert_eq!(
        wait.retry_after,
        Some(chrono::Duration::seconds(7)),
        "{wait:?}"
    );
    // The retry meets 403: the delivery ends, the chat is marked.
    assert_eq!(f.run(&job).await, Ok(()));
    let blocked = f
        .store
        .preferences(&f.system, Recipient::Guest(g))
        .await
        .expect("prefs")
        .expect("stored");
    assert!(blocked.telegram_blocked_at.is_some());
    // The next notification offers no Telegram delivery at all.
    let before = f.jobs().len();
    let mut e = f.event(types::CHECK_PROCESSED, check(g, 20));
    e.data["checkId"] = json!("c-2");
    assert_eq!(f.on_event(&e).await, Ok(1));
    assert_eq!(f.jobs().len(), before, "no job for a blocked chat");
    assert_eq!(lock(&f.telegram.sent).len(), 2);
}

#[tokio::test]
async fn an_email_is_sent_again_only_when_it_surely_was_not_sent() {
    let f = fixture().await;
    let g = f.guest(None, Some("b@example.com"), true);
    let bonus = |n: i64| {
        f.event(
            types::PROMOTION_GRANTED,
            json!({ "guestId": g.to_string(), "promotionName": format!("Бонус {n}"), "kind": "birthday", "points": n }),
        )
    };
    let mailer = &f.world.mailer;
    let to_guest = || {
        mailer
            .sent()
            .into_iter()
            .filter(|m| m.to.as_ref() == "b@example.com")
            .count()
    };
    // The server said "not now": tried again, then sent.
    f.on_event(&bonus(100)).await.expect("created");
    let job = f.job_for(Channel::Email);
    mailer.fail_with(Some(MailError::NotSent("451 try later".into())));
    let attempts = mailer.attempts();
    let e = f.run(&job).await.expect_err("a retry");
    assert!(e.message.contains("451") && !e.permanent, "{e:?}");
    mailer.fail_with(None);
    assert_eq!(f.run(&job).await, Ok(()));
    assert_eq!(mailer.attempts(), attempts + 2);
    assert_eq!(to_guest(), 1);

    // Refused for good, or the answer lost after the message went: ended
    // without a retry, and never tried again.
    for (n, e) in [
        (200, MailError::Refused("550 no such user".into())),
        (
            300,
            MailError::Unknown("connection reset after DATA".into()),
        ),
    ] {
        f.on_event(&bonus(n)).await.expect("created");
        let job = f.job_for(Channel::Email);
        mailer.fail_with(Some(e));
        let attempts = mailer.attempts();
        assert_eq!(f.run(&job).await, Ok(()), "no retry");
        mailer.fail_with(None);
        assert_eq!(f.run(&job).await, Ok(()));
        assert_eq!(
            mailer.attempts(),
            attempts + 1,
            "one attempt, never a second"
        );
    }
    assert_eq!(to_guest(), 1);
}

#[tokio::test]
async fn guest_email_needs_consent_and_an_address() {
    let f = fixture().await;
    let no_consent = f.guest(None, Some("a@example.com"), false);
    let consent = f.guest(None, Some("b@example.com"), true);
    let withdraws = f.guest(None, Some("c@example.com"), true);
    let bonus = |g: GuestId| {
        f.event(
            types::PROMOTION_GRANTED,
            json!({ "guestId": g.to_string(), "promotionName": "С днём рождения", "kind": "birthday", "points": 300 }),
        )
    };
    // Without consent no e-mail delivery is even made.
    f.on_event(&bonus(no_consent)).await.expect("created");
    assert!(f.jobs().iter().all(|j| j.payload["channel"] != "email"));
    f.on_event(&bonus(consent)).await.expect("created");
    assert_eq!(f.run(&f.job_for(Channel::Email)).await, Ok(()));
    // Consent withdrawn between the notification and its sending: not sent.
    f.on_event(&bonus(withdraws)).await.expect("created");
    if let Some(g) = lock(&f.guests.0).get_mut(&withdraws) {
        g.marketing_consent = false;
    }
    assert_eq!(f.run(&f.job_for(Channel::Email)).await, Ok(()));
    let sent: Vec<_> = f
        .world
        .mailer
        .sent()
        .into_iter()
        .filter(|m| m.to.as_ref() != "cashier@example.com") // the invitation
        .collect();
    let to: Vec<&str> = sent.iter().map(|m| m.to.as_ref()).collect();
    assert_eq!(to, vec!["b@example.com"], "only the guest who agreed");
    assert!(
        sent[0].subject.starts_with("С днём рождения!"),
        "{}",
        sent[0].subject
    );
    assert!(sent[0].text.contains("300 баллов"), "{}", sent[0].text);

    // A multiplier's points are part of the check's notification.
    let e = f.event(
        types::PROMOTION_GRANTED,
        json!({ "guestId": consent.to_string(), "promotionName": "x2", "kind": "multiplier", "points": 10 }),
    );
    assert_eq!(f.on_event(&e).await, Ok(0));
}

#[tokio::test]
async fn preferences_and_the_centre_belong_to_their_reader() {
    let f = fixture().await;
    let owner = &f.business.owner.ctx;
    assert_eq!(
        f.svc
            .update_preferences(owner, None, None, Some(true))
            .await,
        Err(NotificationError::Validation(
            "staff notifications have no Telegram channel".into()
        ))
    );
    let p = f
        .svc
        .update_preferences(owner, Some(false), Some(true), None)
        .await
        .expect("saved");
    assert_eq!((p.in_app, p.email, p.telegram), (false, true, false));
    assert_eq!(f.svc.preferences(owner).await, Ok(p));

    // In-app off: stored for the e-mail, hidden from the centre, nothing live.
    let g = f.guest(None, None, false);
    let e = f.event(
        types::LEVEL_CHANGED,
        json!({ "guestId": g.to_string(), "to": { "name": "Gold" }, "reason": "check" }),
    );
    f.on_event(&e).await.expect("created");
    let mine: Vec<_> = f
        .rows()
        .into_iter()
        .filter(|(n, _)| n.recipient == Recipient::Staff(f.business.owner.id))
        .collect();
    assert_eq!(mine.len(), 1);
    assert!(!mine[0].1, "hidden");
    let page = f
        .svc
        .list(
            owner,
            false,
            PageRequest::Forward {
                after: None,
                limit: 10,
            },
        )
        .await
        .expect("list");
    assert_eq!(page.total, 0);
    let live_for_owner = lock(&f.events.0)
        .iter()
        .filter(|e| matches!(e, LoyaltyEvent::NotificationCreated(n) if n.recipient == Recipient::Staff(f.business.owner.id)))
        .count();
    assert_eq!(live_for_owner, 0);
    // Its e-mail goes out in the owner's language (Russian).
    let job = f.job_for(Channel::Email);
    assert_eq!(f.run(&job).await, Ok(()));
    assert!(
        f.world
            .mailer
            .sent()
            .iter()
            .any(|m| m.to.as_ref() == "owner@example.com" && m.subject.contains("Gold"))
    );

    // Marking needs ids or all, not both or neither; API keys and the system have no centre.
    assert!(matches!(
        f.svc.mark_read(owner, None, false).await,
        Err(NotificationError::Validation(_))
    ));
    assert!(matches!(
        f.svc.mark_read(owner, Some(vec![]), true).await,
        Err(NotificationError::Validation(_))
    ));
    assert_eq!(
        f.svc.unread_count(&f.system).await,
        Err(NotificationError::NoInbox)
    );
    let cashier = &f.cashier.ctx;
    assert_eq!(f.svc.mark_read(cashier, None, true).await, Ok(0));
}

#[tokio::test]
async fn a_guest_reads_and_receives_notifications_in_the_language_the_mini_app_recorded() {
    let f = fixture().await;
    let g = f.guest(Some(555), Some("anna@example.com"), true);
    let me = Ctx::guest(f.business.tenant, g, crate::ctx::RequestMeta::default());
    assert_eq!(
        f.svc.language(&me).await,
        Ok(Locale::Ru),
        "Russian until told"
    );
    assert_eq!(f.svc.set_language(&me, Locale::En).await, Ok(Locale::En));
    assert_eq!(f.svc.language(&me).await, Ok(Locale::En));
    // Recording the language keeps the choices made before, and the reverse.
    f.svc
        .update_preferences(&me, None, None, Some(false))
        .await
        .expect("choices");
    assert_eq!(f.svc.language(&me).await, Ok(Locale::En));
    f.svc
        .update_preferences(&me, None, None, Some(true))
        .await
        .expect("choices");

    f.on_event(&f.event(types::CHECK_PROCESSED, check(g, 15)))
        .await
        .expect("created");
    let centre = f
        .svc
        .list(&me, false, PageRequest::default())
        .await
        .expect("centre");
    let titles: Vec<_> = centre.items.iter().map(|s| s.title.clone()).collect();
    assert_eq!(titles, vec!["+15 points".to_owned()]);
    assert_eq!(f.run(&f.job_for(Channel::Telegram)).await, Ok(()));
    let sent = lock(&f.telegram.sent).clone();
    assert!(sent[0].1.starts_with("<b>+15 points</b>"), "{}", sent[0].1);

    // Staff have no such setting: theirs is the profile's.
    assert!(matches!(
        f.svc.set_language(&f.business.owner.ctx, Locale::En).await,
        Err(NotificationError::Validation(_))
    ));
}
