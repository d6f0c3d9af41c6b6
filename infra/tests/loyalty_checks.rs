//! Checks and the ledger on real databases: how many transactions a check takes
//! (the SQL adapter opens one per port call, so port calls are counted), that a
//! retry is answered from the stored receipt however it reaches the store, and
//! the ledger batch's exactly-once claim, conditional updates and audit record.
//! A fresh SQLite file per test, and a fresh PostgreSQL database per test (cloned
//! from a template migrated once per run, used through a login role confined like
//! the server's). PostgreSQL variants print SKIPPED and pass when it is
//! unreachable, unless `MAXLOYALTY_TEST_PG=require`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::identity::ports::{AuditFilter, AuditRepository, NewTenantBundle, TenantRepository};
use domain::identity::{AuditRecord, Email, Locale, Location, Role, StoreError, Tenant, User};
use domain::jobs::NewJob;
use domain::loyalty::ports::{
    Batch, BatchError, BatchOutcome, CheckRecord, Finish, Finished, Found, GuestQuery, GuestStore,
    GuestView, IdempotencyKey, LedgerOp, LedgerStore, SearchPosition,
};
use domain::loyalty::{
    Account, CheckInput, EntryKind, Guest, GuestRef, Hold, LedgerEntry, LedgerError, LoyaltyDeps,
    LoyaltyService, NewGuest, NoEvents, Redeem,
};
use domain::money::{Currency, Points};
use domain::page::{Page, PageRequest};
use domain::ports::SystemClock;
use domain::{CheckId, Ctx, GuestId, HoldId, LocationId, RequestMeta, TenantId, UserId};
use infra::Db;
use infra::cache::HotConfig;
use infra::crypto::{HsJwt, RandomSecrets};
use infra::db::{SqlBotVault, SqlStore};
use infra::secret_box::SecretBox;
use infra::telegram::MiniAppAuth;
use serde_json::json;
use support::{Backend, TestDb};

#[macro_use]
mod support;

/// Names this suite's databases and folders.
const SUITE: &str = "loyalty";

// ---------------------------------------------------------------------------
// Counting the ledger's and the guests' port calls
// ---------------------------------------------------------------------------

/// Port calls of the ledger and the guests (each is one transaction in `SqlStore`).
#[derive(Default)]
struct Calls {
    guest_reads: AtomicU32,
    batches: AtomicU32,
    key_reads: AtomicU32,
    other_ledger_reads: AtomicU32,
}

/// Calls since the last `take`, as (guest reads, batches, key reads, other ledger reads).
type Counts = (u32, u32, u32, u32);

impl Calls {
    fn take(&self) -> Counts {
        (
            self.guest_reads.swap(0, Ordering::SeqCst),
            self.batches.swap(0, Ordering::SeqCst),
            self.key_reads.swap(0, Ordering::SeqCst),
            self.other_ledger_reads.swap(0, Ordering::SeqCst),
        )
    }
}

fn bump(c: &AtomicU32) {
    c.fetch_add(1, Ordering::SeqCst);
}

/// `SqlStore` as the ledger and guest ports, counting the calls.
struct Counted {
    inner: Arc<SqlStore>,
    calls: Arc<Calls>,
}

#[async_trait]
impl LedgerStore for Counted {
    async fn apply(
        &self,
        ctx: &Ctx,
        batch: Batch,
        finish: Finish<'_>,
    ) -> Result<serde_json::Value, BatchError> {
        bump(&self.calls.batches);
        self.inner.apply(ctx, batch, finish).await
    }
    async fn idempotent_result(
        &self,
        ctx: &Ctx,
        scope: &str,
        key: &str,
    ) -> Result<Option<(String, serde_json::Value)>, StoreError> {
        bump(&self.calls.key_reads);
        self.inner.idempotent_result(ctx, scope, key).await
    }
    async fn account(&self, ctx: &Ctx, guest: GuestId) -> Result<Account, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.account(ctx, guest).await
    }
    async fn entries(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        page: PageRequest,
    ) -> Result<Page<LedgerEntry>, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.entries(ctx, guest, page).await
    }
    async fn guest_view(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        ledger: Option<PageRequest>,
    ) -> Result<GuestView, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.guest_view(ctx, guest, ledger).await
    }
    async fn check_entries(
        &self,
        ctx: &Ctx,
        check: CheckId,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.check_entries(ctx, check).await
    }
    async fn hold(&self, ctx: &Ctx, id: HoldId) -> Result<Hold, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.hold(ctx, id).await
    }
    async fn check(&self, ctx: &Ctx, id: CheckId) -> Result<CheckRecord, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.check(ctx, id).await
    }
    async fn expired_holds(
        &self,
        ctx: &Ctx,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<HoldId>, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.expired_holds(ctx, now, limit).await
    }
    async fn guests_with_expired_lots(
        &self,
        ctx: &Ctx,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<GuestId>, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.guests_with_expired_lots(ctx, now, limit).await
    }
    async fn spend_since(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        bump(&self.calls.other_ledger_reads);
        self.inner.spend_since(ctx, guest, since).await
    }
}

#[async_trait]
impl GuestStore for Counted {
    async fn create(
        &self,
        ctx: &Ctx,
        guest: &Guest,
        audit: AuditRecord,
        outbox: &[NewJob],
    ) -> Result<(), StoreError> {
        GuestStore::create(self.inner.as_ref(), ctx, guest, audit, outbox).await
    }
    async fn update(
        &self,
        ctx: &Ctx,
        guest: &Guest,
        audit: AuditRecord,
        outbox: &[NewJob],
    ) -> Result<(), StoreError> {
        GuestStore::update(self.inner.as_ref(), ctx, guest, audit, outbox).await
    }
    async fn get(&self, ctx: &Ctx, id: GuestId) -> Result<Guest, StoreError> {
        bump(&self.calls.guest_reads);
        GuestStore::get(self.inner.as_ref(), ctx, id).await
    }
    async fn find(&self, ctx: &Ctx, by: &GuestRef) -> Result<Option<Guest>, StoreError> {
        bump(&self.calls.guest_reads);
        self.inner.find(ctx, by).await
    }
    async fn with_birthday(
        &self,
        ctx: &Ctx,
        keys: &[u16],
        after: Option<GuestId>,
        limit: u64,
    ) -> Result<Vec<Guest>, StoreError> {
        bump(&self.calls.guest_reads);
        self.inner.with_birthday(ctx, keys, after, limit).await
    }
    async fn search(
        &self,
        ctx: &Ctx,
        query: &GuestQuery,
        page: PageRequest<SearchPosition>,
    ) -> Result<Page<Found>, StoreError> {
        bump(&self.calls.guest_reads);
        self.inner.search(ctx, query, page).await
    }
}

// ---------------------------------------------------------------------------
// A business
// ---------------------------------------------------------------------------

/// A business with its owner, its first location and the loyalty service the
/// server would build (settings, levels, promotions, tenant and locations cached).
struct Shop {
    db: Db,
    store: Arc<SqlStore>,
    loyalty: LoyaltyService,
    calls: Arc<Calls>,
    owner: Ctx,
    owner_email: String,
    location: LocationId,
}

impl Shop {
    async fn open(tdb: &TestDb) -> Self {
        let db = tdb.connect().await;
        let clock: Arc<dyn domain::ports::Clock> = Arc::new(SystemClock);
        let store = Arc::new(SqlStore::new(db.clone(), Arc::clone(&clock)));
        let now = Utc::now();
        let (tenant, user, location) = (TenantId::new(), UserId::new(), LocationId::new());
        let owner_email = format!("owner-{}@example.com", uuid::Uuid::now_v7().simple());
        let owner = Ctx::staff(tenant, user, Role::Owner, RequestMeta::default());
        let bundle = NewTenantBundle {
            tenant: Tenant {
                id: tenant,
                name: "Кофейня".into(),
                currency: Currency::Rub,
                created_at: now,
            },
            location: Location {
                id: location,
                name: "Main".into(),
                address: None,
                timezone: "Europe/Moscow".into(),
                created_at: now,
            },
            owner: User {
                id: user,
                email: Email::parse(&owner_email).expect("an e-mail"),
                display_name: "Owner".into(),
                locale: Locale::default(),
            },
            password_hash: "not a real hash".into(),
            policies: Vec::new(),
        };
        TenantRepository::create_with_owner(
            store.as_ref(),
            &owner,
            &bundle,
            AuditRecord::new("tenant.sign_up", "tenant", tenant),
        )
        .await
        .expect("the business is created");
        let calls = Arc::new(Calls::default());
        let counted = Arc::new(Counted {
            inner: Arc::clone(&store),
            calls: Arc::clone(&calls),
        });
        let hot = Arc::new(HotConfig::new(
            Arc::clone(&store),
            StdDuration::from_secs(60),
        ));
        let sealer =
            Arc::new(SecretBox::from_base64(&SecretBox::generate_key()).expect("a secrets key"));
        let loyalty = LoyaltyService::new(LoyaltyDeps {
            ledger: counted.clone(),
            guests: counted,
            config: hot.clone(),
            promotions: hot.clone(),
            tenants: hot.clone(),
            locations: hot,
            secrets: Arc::new(RandomSecrets),
            clock: Arc::clone(&clock),
            events: Arc::new(NoEvents),
            tokens: Arc::new(
                HsJwt::new(b"loyalty-test-secret-loyalty-test-secret").expect("a JWT key"),
            ),
            bots: Arc::new(SqlBotVault::new(db.clone(), sealer, clock)),
            telegram: Arc::new(MiniAppAuth::default()),
        });
        Self {
            db,
            store,
            loyalty,
            calls,
            owner,
            owner_email,
            location,
        }
    }

    async fn guest(&self, phone: &str) -> GuestId {
        self.loyalty
            .create_guest(
                &self.owner,
                NewGuest {
                    phone: Some(phone.into()),
                    ..NewGuest::default()
                },
            )
            .await
            .expect("the guest is created")
            .id
    }

    fn check(&self, guest: GuestId, total_minor: i64, redeem: Redeem, ext: &str) -> CheckInput {
        CheckInput {
            location: self.location,
            guest: GuestRef::Id(guest),
            total_minor,
            redeem,
            external_id: ext.into(),
            source: "cashier".into(),
            inbound_event: None,
        }
    }

    async fn close(self) {
        self.db.connection().clone().close().await.expect("closes");
    }
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

async fn a_new_check_is_one_guest_read_and_one_batch(b: Backend) {
    let tdb = TestDb::new(b).await;
    let shop = Shop::open(&tdb).await;
    let g = shop.guest("+79990001001").await;
    // The first check fills the caches (settings, levels, the tenant, the location).
    shop.loyalty
        .process_check(&shop.owner, shop.check(g, 10_000, Redeem::Nothing, "warm"))
        .await
        .expect("processed");
    shop.calls.take();

    let first = shop
        .loyalty
        .process_check(&shop.owner, shop.check(g, 150_000, Redeem::Nothing, "A-1"))
        .await
        .expect("processed");
    assert_eq!(
        shop.calls.take(),
        (1, 1, 0, 0),
        "a new check: the guest, then the batch; no separate idempotency read"
    );
    // 3 % of 1 500.00 at a point worth 1.00, on top of the warm-up's 3 points.
    assert_eq!((first.earned, first.balance, first.available), (45, 48, 48));

    // A retry is answered by the batch's claim with the stored receipt.
    let again = shop
        .loyalty
        .process_check(&shop.owner, shop.check(g, 150_000, Redeem::Nothing, "A-1"))
        .await
        .expect("replayed");
    assert_eq!(again, first);
    assert_eq!(shop.calls.take(), (1, 1, 0, 0));
    let other = shop
        .loyalty
        .process_check(&shop.owner, shop.check(g, 150_001, Redeem::Nothing, "A-1"))
        .await;
    assert_eq!(other, Err(LedgerError::IdempotencyConflict));
    assert_eq!(
        shop.loyalty
            .card(&shop.owner, g)
            .await
            .expect("card")
            .account
            .balance,
        Points::new(48),
        "the retries changed nothing"
    );

    // The check's audit entry names the cashier by e-mail (read by the insert).
    let audit = AuditRepository::list(
        shop.store.as_ref(),
        &shop.owner,
        &AuditFilter {
            action: Some("check.process".into()),
            actor: None,
        },
        PageRequest::Forward {
            after: None,
            limit: 10,
        },
    )
    .await
    .expect("the audit log");
    assert_eq!(audit.items.len(), 2, "one entry per processed check");
    for e in &audit.items {
        assert_eq!(e.actor_label.as_deref(), Some(shop.owner_email.as_str()));
        assert_eq!(e.actor, shop.owner.actor().user_id());
    }
    shop.close().await;
    tdb.cleanup().await;
}
both_backends!(a_new_check_is_one_guest_read_and_one_batch);

/// The migration that brings surname search splits the names already stored:
/// undone and redone over guests made by the current code, it leaves the same
/// words behind and the same answers.
async fn the_words_of_stored_names_are_split_by_their_migration(b: Backend) {
    use migrations::{Migrator, MigratorTrait};
    let tdb = TestDb::new(b).await;
    let shop = Shop::open(&tdb).await;
    for (phone, name) in [
        ("+79990001101", "Анна Петрова-Водкина"),
        ("+79990001102", "Пётр Петров Петров"),
        ("+79990001103", "Ким"),
    ] {
        shop.loyalty
            .create_guest(
                &shop.owner,
                NewGuest {
                    phone: Some(phone.into()),
                    name: Some(name.into()),
                    ..NewGuest::default()
                },
            )
            .await
            .expect("created");
    }
    let found = |q: &'static str| {
        let shop = &shop;
        async move {
            let page = shop
                .loyalty
                .search_guests(&shop.owner, Some(q), PageRequest::default())
                .await
                .expect("searched");
            page.items
                .into_iter()
                .map(|f| f.guest.name.unwrap_or_default())
                .collect::<Vec<_>>()
        }
    };
    let before = (
        found("петров").await,
        found("водк").await,
        found("ким").await,
    );
    assert_eq!(before.0, ["Анна Петрова-Водкина", "Пётр Петров Петров"]);
    assert!(before.1.is_empty(), "a word is split at spaces only");
    assert_eq!(before.2, ["Ким"]);
    let owner = tdb.connect_owner().await;
    // Back to before the words' migration (and every later one).
    let all = Migrator::migrations();
    let words = all
        .iter()
        .position(|m| m.name() == "m20261121_000020_guest_name_words")
        .expect("the words' migration");
    let steps = u32::try_from(all.len() - words).expect("a few steps");
    Migrator::down(owner.connection(), Some(steps))
        .await
        .expect("down");
    assert!(
        shop.loyalty
            .search_guests(&shop.owner, Some("петров"), PageRequest::default())
            .await
            .is_err(),
        "no words table, no search"
    );
    Migrator::up(owner.connection(), None).await.expect("up");
    owner.connection().clone().close().await.expect("closes");
    let after = (
        found("петров").await,
        found("водк").await,
        found("ким").await,
    );
    assert_eq!(after, before);
    shop.close().await;
    tdb.cleanup().await;
}
both_backends!(the_words_of_stored_names_are_split_by_their_migration);

async fn a_guest_card_with_its_ledger_is_one_read(b: Backend) {
    let tdb = TestDb::new(b).await;
    let shop = Shop::open(&tdb).await;
    let g = shop.guest("+79990001009").await;
    for (i, total) in [10_000, 20_000, 30_000].into_iter().enumerate() {
        shop.loyalty
            .process_check(
                &shop.owner,
                shop.check(g, total, Redeem::Nothing, &format!("V-{i}")),
            )
            .await
            .expect("processed");
    }
    let last_two = PageRequest::Backward {
        before: None,
        limit: 2,
    };
    // What the card and the ledger page say when read one by one.
    let card = shop.loyalty.card(&shop.owner, g).await.expect("card");
    let guest = shop.loyalty.guest(&shop.owner, g).await.expect("guest");
    let page = shop
        .loyalty
        .ledger_of(&shop.owner, &guest, last_two)
        .await
        .expect("page");
    shop.calls.take();

    let (view, ledger) = shop
        .loyalty
        .guest_view(&shop.owner, g, Some(last_two))
        .await
        .expect("the view");
    assert_eq!(shop.calls.take(), (0, 0, 0, 1), "one read for all of it");
    assert_eq!(view, card);
    assert_eq!(ledger.as_ref(), Some(&page));
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.total, 3);
    let (alone, none) = shop
        .loyalty
        .guest_view(&shop.owner, g, None)
        .await
        .expect("the card alone");
    assert_eq!((alone, none), (card, None));
    assert_eq!(
        shop.loyalty
            .guest_view(&shop.owner, GuestId::new(), None)
            .await
            .map(|_| ()),
        Err(domain::loyalty::GuestError::NotFound)
    );
    shop.close().await;
    tdb.cleanup().await;
}
both_backends!(a_guest_card_with_its_ledger_is_one_read);

async fn a_retry_the_current_state_refuses_is_answered_from_its_receipt(b: Backend) {
    let tdb = TestDb::new(b).await;
    let shop = Shop::open(&tdb).await;
    let g = shop.guest("+79990001002").await;
    shop.loyalty
        .adjust_points(&shop.owner, g, 1_000, "gift", None)
        .await
        .expect("adjusted");
    // Bronze lets 30 % of a check be paid with points.
    let paid = shop
        .loyalty
        .process_check(
            &shop.owner,
            shop.check(g, 10_000, Redeem::Points(Points::new(20)), "R-1"),
        )
        .await
        .expect("processed");
    assert_eq!(paid.redeemed, 20);

    // Now no level lets points pay: a new check is refused, its retry is not.
    let levels = shop.loyalty.levels(&shop.owner).await.expect("levels");
    for l in &levels {
        shop.loyalty
            .update_level(
                &shop.owner,
                l.id,
                &l.name,
                l.threshold_minor,
                i32::from(l.cashback.get()),
                0,
            )
            .await
            .expect("updated");
    }
    shop.calls.take();
    let retry = shop
        .loyalty
        .process_check(
            &shop.owner,
            shop.check(g, 10_000, Redeem::Points(Points::new(20)), "R-1"),
        )
        .await
        .expect("the stored receipt");
    assert_eq!(retry, paid);
    assert_eq!(
        shop.calls.take(),
        (1, 0, 1, 0),
        "refused by the current state: the stored receipt is looked up, nothing is posted"
    );
    let changed = shop
        .loyalty
        .process_check(
            &shop.owner,
            shop.check(g, 10_001, Redeem::Points(Points::new(20)), "R-1"),
        )
        .await;
    assert_eq!(changed, Err(LedgerError::IdempotencyConflict));
    let fresh = shop
        .loyalty
        .process_check(
            &shop.owner,
            shop.check(g, 10_000, Redeem::Points(Points::new(20)), "R-2"),
        )
        .await;
    assert_eq!(fresh, Err(LedgerError::ExceedsMaxShare { max: 0 }));
    assert_eq!(
        shop.loyalty
            .card(&shop.owner, g)
            .await
            .expect("card")
            .account
            .balance,
        Points::new(paid.balance),
        "nothing changed after the first check"
    );
    shop.close().await;
    tdb.cleanup().await;
}
both_backends!(a_retry_the_current_state_refuses_is_answered_from_its_receipt);

// ---------------------------------------------------------------------------
// The ledger batch
// ---------------------------------------------------------------------------

fn credit(guest: GuestId, amount: i64) -> LedgerOp {
    LedgerOp::Credit {
        guest,
        amount,
        kind: EntryKind::Adjustment,
        expires_at: None,
        check: None,
        reason: Some("test".into()),
    }
}

fn keyed(key: &str, fingerprint: &str, ops: Vec<LedgerOp>) -> Batch {
    Batch {
        idempotency: Some(IdempotencyKey {
            scope: "test".into(),
            key: key.into(),
            fingerprint: fingerprint.into(),
        }),
        ops,
        audit: AuditRecord::new("test.batch", "guest", key),
    }
}

/// The batch's result: the account of its first guest after it.
fn balance_after(o: &BatchOutcome) -> Finished {
    Finished::result(json!({ "balance": o.accounts.first().map(|a| a.balance.get()) }))
}

async fn concurrent_batches_of_one_key_apply_once_and_replay_the_first_result(b: Backend) {
    let tdb = TestDb::new(b).await;
    let shop = Shop::open(&tdb).await;
    let g = shop.guest("+79990001003").await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let (store, ctx) = (Arc::clone(&shop.store), shop.owner.clone());
        // One sender in ten sends another request under the same key.
        let fingerprint = if i % 10 == 9 { "other" } else { "same" };
        tasks.push(tokio::spawn(async move {
            let batch = keyed("K-1", fingerprint, vec![credit(g, 70)]);
            (fingerprint, store.apply(&ctx, batch, &balance_after).await)
        }));
    }
    let mut applied = Vec::new();
    let mut replayed = Vec::new();
    for t in tasks {
        match t.await.expect("the task ends") {
            (f, Ok(v)) => applied.push((f, v)),
            (f, Err(BatchError::Duplicate { same, result })) => replayed.push((f, same, result)),
            (_, Err(e)) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(applied.len(), 1, "exactly one batch applies");
    let (winner, result) = &applied[0];
    assert_eq!(result, &json!({ "balance": 70 }));
    assert_eq!(replayed.len(), 19);
    for (f, same, stored) in &replayed {
        // Every waiter sees what the first committed; "same" only for its request.
        assert_eq!(stored, result);
        assert_eq!(*same, f == winner);
    }
    assert_eq!(
        shop.store
            .account(&shop.owner, g)
            .await
            .expect("account")
            .balance,
        Points::new(70)
    );
    shop.close().await;
    tdb.cleanup().await;
}
both_backends!(concurrent_batches_of_one_key_apply_once_and_replay_the_first_result);

async fn a_refused_batch_changes_nothing_and_leaves_its_key_free(b: Backend) {
    let tdb = TestDb::new(b).await;
    let shop = Shop::open(&tdb).await;
    let g = shop.guest("+79990001004").await;
    shop.store
        .apply(
            &shop.owner,
            keyed("top-up", "1", vec![credit(g, 100)]),
            &balance_after,
        )
        .await
        .expect("credited");
    let take = |amount| LedgerOp::Debit {
        guest: g,
        amount,
        kind: EntryKind::Adjustment,
        check: None,
        reason: Some("test".into()),
    };
    // The credit before the debit is undone with it.
    let refused = shop
        .store
        .apply(
            &shop.owner,
            keyed("D-1", "1", vec![credit(g, 5), take(1_000)]),
            &balance_after,
        )
        .await;
    assert_eq!(
        refused,
        Err(BatchError::Insufficient {
            guest: g,
            available: 105
        }),
        "the available points as the refused update saw them"
    );
    let a = shop.store.account(&shop.owner, g).await.expect("account");
    assert_eq!((a.balance, a.held), (Points::new(100), Points::new(0)));
    // The key was not used up: the same key with what fits applies.
    let ok = shop
        .store
        .apply(
            &shop.owner,
            keyed("D-1", "1", vec![take(100)]),
            &balance_after,
        )
        .await
        .expect("applied");
    assert_eq!(ok, json!({ "balance": 0 }));
    shop.close().await;
    tdb.cleanup().await;
}
both_backends!(a_refused_batch_changes_nothing_and_leaves_its_key_free);
