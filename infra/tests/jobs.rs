//! The durable job queue on real databases: a fresh SQLite file per test, and a
//! fresh PostgreSQL database per test (cloned from a template migrated once per
//! run, used through a login role confined like the server's). PostgreSQL
//! variants print SKIPPED and pass when it is unreachable, unless
//! `MAXLOYALTY_TEST_PG=require`.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use domain::identity::StoreError;
use domain::jobs::{
    FailureOutcome, Job, JobFailure, JobHandler, JobPriority, JobQueue, JobStatus, NewJob,
    Schedule, ScheduleError,
};
use domain::page::PageRequest;
use domain::ports::Clock;
use domain::{JobId, TenantId};
use infra::Db;
use infra::jobs::{CancellationToken, SqlJobQueue, Worker, WorkerOptions, enqueue_in};
use sea_orm::TransactionTrait;
use serde_json::json;
use support::{Backend, TestDb};

#[macro_use]
mod support;

/// Names this suite's databases and folders.
const SUITE: &str = "jobs";

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

/// A clock tests move by hand.
struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    fn at(t: DateTime<Utc>) -> Arc<Self> {
        Arc::new(Self(Mutex::new(t)))
    }
    fn advance(&self, by: Duration) {
        *self.0.lock().expect("clock") += by;
    }
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().expect("clock") = t;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("a valid time")
        .with_timezone(&Utc)
}

/// Jobs' times are kept to the microsecond.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).expect("in range")
}

/// The queue on a test database.
impl TestDb {
    /// A new pool and its queue: two of them act like two server processes.
    async fn queue(&self, clock: Arc<TestClock>) -> (Db, Arc<SqlJobQueue>) {
        let db = self.connect().await;
        let q = Arc::new(SqlJobQueue::new(db.clone(), clock));
        (db, q)
    }
}

fn t0() -> DateTime<Utc> {
    at("2026-11-21T10:00:00.123456Z")
}

fn kinds(k: &[&str]) -> Vec<String> {
    k.iter().map(|s| (*s).to_owned()).collect()
}

async fn status_of(q: &SqlJobQueue, id: JobId) -> JobStatus {
    q.get(id).await.expect("the job exists").status
}

// ---------------------------------------------------------------------------
// Queue semantics
// ---------------------------------------------------------------------------

async fn a_claimed_job_is_locked_for_one_worker_and_completes(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    let tenant = TenantId::new();

    let id = q
        .enqueue(NewJob::new("mail.send", json!({"to": "guest"})).tenant(tenant))
        .await
        .expect("enqueued");
    let stats = q.stats().await.expect("stats");
    assert_eq!((stats.queued, stats.running, stats.dead), (1, 0, 0));
    assert_eq!(stats.oldest_queued_age_secs, Some(0));
    clock.advance(Duration::seconds(7));
    assert_eq!(
        q.stats().await.expect("stats").oldest_queued_age_secs,
        Some(7)
    );

    let claimed = q
        .claim("w1", &[], 10, Duration::seconds(30))
        .await
        .expect("claims");
    assert_eq!(claimed.len(), 1);
    let job = &claimed[0];
    assert_eq!(job.id, id);
    assert_eq!(job.kind, "mail.send");
    assert_eq!(job.tenant, Some(tenant));
    assert_eq!(job.payload, json!({"to": "guest"}));
    assert_eq!(job.status, JobStatus::Running);
    assert_eq!(job.attempts, 1);
    assert_eq!(job.max_attempts, 10);
    assert_eq!(job.locked_by.as_deref(), Some("w1"));
    assert_eq!(
        job.locked_until,
        Some(micros(clock.now() + Duration::seconds(30)))
    );
    assert_eq!(job.created_at, micros(t0()));
    let lease = job.lease.clone().expect("a lease");
    assert!(lease.len() >= 32, "lease {lease:?} looks random");

    assert!(
        q.claim("w2", &[], 10, Duration::seconds(30))
            .await
            .expect("claims")
            .is_empty(),
        "a running job is not claimed twice"
    );
    let stats = q.stats().await.expect("stats");
    assert_eq!((stats.queued, stats.running), (0, 1));
    assert_eq!(stats.oldest_queued_age_secs, None);

    q.complete(id, &lease).await.expect("completes");
    let done = q.get(id).await.expect("exists");
    assert_eq!(done.status, JobStatus::Done);
    assert_eq!(
        (done.lease, done.locked_until, done.locked_by),
        (None, None, None)
    );
    assert_eq!(q.complete(id, &lease).await, Err(StoreError::NotFound));
    assert_eq!(q.get(JobId::new()).await, Err(StoreError::NotFound));
    let stats = q.stats().await.expect("stats");
    assert_eq!((stats.queued, stats.running, stats.dead), (0, 0, 0));

    // Done jobs are purged by age.
    assert_eq!(q.purge_done(clock.now()).await.expect("purges"), 0);
    clock.advance(Duration::seconds(1));
    assert_eq!(q.purge_done(clock.now()).await.expect("purges"), 1);
    assert_eq!(q.get(id).await, Err(StoreError::NotFound));
    tdb.cleanup().await;
}
both_backends!(a_claimed_job_is_locked_for_one_worker_and_completes);

async fn jobs_are_claimed_when_due_oldest_first_and_by_kind(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    let later = q
        .enqueue(NewJob::new("a", json!(1)).run_at(t0() + Duration::minutes(5)))
        .await
        .expect("enqueued");
    let first = q
        .enqueue(NewJob::new("a", json!(2)).run_at(t0() - Duration::seconds(5)))
        .await
        .expect("enqueued");
    let second = q
        .enqueue(NewJob::new("a", json!(3)))
        .await
        .expect("enqueued");
    let other = q
        .enqueue(NewJob::new("b", json!(4)))
        .await
        .expect("enqueued");

    let got = q
        .claim("w", &kinds(&["a"]), 10, Duration::seconds(30))
        .await
        .expect("claims");
    assert_eq!(
        got.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![first, second],
        "only due jobs of the asked kinds, oldest run_at first"
    );
    let got = q
        .claim("w", &kinds(&["b", "c"]), 10, Duration::seconds(30))
        .await
        .expect("claims");
    assert_eq!(got.iter().map(|j| j.id).collect::<Vec<_>>(), vec![other]);
    assert!(
        q.claim("w", &[], 0, Duration::seconds(30))
            .await
            .expect("claims")
            .is_empty()
    );
    clock.advance(Duration::minutes(5));
    // Now the delayed job is due, and the three claimed ones have outrun their
    // visibility: all four are claimable again, oldest run_at first.
    let got = q
        .claim("w", &[], 2, Duration::seconds(30))
        .await
        .expect("claims");
    assert_eq!(
        got.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![first, second]
    );
    let got = q
        .claim("w", &[], 10, Duration::seconds(30))
        .await
        .expect("claims");
    let mut ids: Vec<JobId> = got.iter().map(|j| j.id).collect();
    ids.sort();
    let mut want = vec![other, later];
    want.sort();
    assert_eq!(ids, want);
    tdb.cleanup().await;
}
both_backends!(jobs_are_claimed_when_due_oldest_first_and_by_kind);

async fn interactive_jobs_are_claimed_before_older_normal_ones(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    // A backlog of normal jobs, all due, then two interactive ones enqueued
    // later, and one interactive job not yet due.
    let mut backlog = Vec::new();
    for i in 0..5 {
        backlog.push(
            q.enqueue(
                NewJob::new("events.fanout", json!(i)).run_at(t0() - Duration::minutes(10 - i)),
            )
            .await
            .expect("enqueued"),
        );
    }
    let interactive =
        |n: i64| NewJob::new("integrations.process", json!(n)).priority(JobPriority::Interactive);
    let till_1 = q.enqueue(interactive(1)).await.expect("enqueued");
    clock.advance(Duration::seconds(1));
    let till_2 = q.enqueue(interactive(2)).await.expect("enqueued");
    let not_due = q
        .enqueue(interactive(3).run_at(t0() + Duration::minutes(5)))
        .await
        .expect("enqueued");
    let stored = q.get(till_1).await.expect("stored");
    assert_eq!(stored.priority, JobPriority::Interactive);
    assert_eq!(
        q.get(backlog[0]).await.expect("stored").priority,
        JobPriority::Normal
    );

    // The interactive jobs come first (oldest first among them), then the
    // backlog in its own order; the job not yet due waits.
    let first = q
        .claim("w", &[], 3, Duration::seconds(30))
        .await
        .expect("claims");
    assert_eq!(
        first.iter().map(|j| j.id).collect::<Vec<_>>(),
        vec![till_1, till_2, backlog[0]],
    );
    let rest = q
        .claim("w", &[], 10, Duration::seconds(30))
        .await
        .expect("claims");
    assert_eq!(
        rest.iter().map(|j| j.id).collect::<Vec<_>>(),
        backlog[1..].to_vec()
    );
    let done: Vec<(JobId, String)> = first
        .iter()
        .chain(&rest)
        .map(|j| (j.id, j.lease.clone().expect("a lease")))
        .collect();
    assert_eq!(q.complete_many(&done).await.expect("completes").len(), 7);
    // Also under a kinds filter, and once the delayed one is due.
    clock.set(t0() + Duration::minutes(6));
    let got = q
        .claim(
            "w",
            &kinds(&["events.fanout", "integrations.process"]),
            1,
            Duration::seconds(30),
        )
        .await
        .expect("claims");
    assert_eq!(got.iter().map(|j| j.id).collect::<Vec<_>>(), vec![not_due]);
    tdb.cleanup().await;
}
both_backends!(interactive_jobs_are_claimed_before_older_normal_ones);

async fn a_flood_of_interactive_jobs_leaves_a_share_to_overdue_normal_ones(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    // Normal jobs due long ago and just now, behind a flood of interactive ones.
    let old = q
        .enqueue(NewJob::new("events.fanout", json!("old")).run_at(t0() - Duration::minutes(5)))
        .await
        .expect("enqueued");
    let fresh = q
        .enqueue(NewJob::new("events.fanout", json!("fresh")))
        .await
        .expect("enqueued");
    let mut flood = Vec::new();
    for i in 0..20 {
        flood.push(
            q.enqueue(
                NewJob::new("integrations.process", json!(i)).priority(JobPriority::Interactive),
            )
            .await
            .expect("enqueued"),
        );
    }
    let claim = |limit| q.claim("w", &[], limit, Duration::seconds(30));
    // A full claim of interactive jobs only…
    let first = claim(4).await.expect("claims");
    assert_eq!(
        first.iter().map(|j| j.id).collect::<Vec<_>>(),
        flood[..4].to_vec()
    );
    // …so the next gives a quarter to the job overdue by more than 30 s,
    // not to the one due just now.
    let second = claim(4).await.expect("claims");
    let ids: Vec<JobId> = second.iter().map(|j| j.id).collect();
    assert_eq!(ids.len(), 4);
    assert!(ids.contains(&old), "{ids:?}");
    assert!(!ids.contains(&fresh), "{ids:?}");
    assert_eq!(ids.iter().filter(|id| flood.contains(id)).count(), 3);
    // Once the fresh one is overdue too, it gets the next share.
    clock.advance(Duration::seconds(31));
    let next = claim(4).await.expect("claims");
    assert!(next.iter().any(|j| j.id == fresh), "{next:?}");
    assert_eq!(next.iter().filter(|j| flood.contains(&j.id)).count(), 3);
    // Claims too small for a quarter (a busy worker's): one in four gives its
    // slot to an overdue normal job.
    let mut overdue = Vec::new();
    for i in 0..4 {
        overdue.push(
            q.enqueue(NewJob::new("events.fanout", json!(i)).run_at(t0() - Duration::minutes(1)))
                .await
                .expect("enqueued"),
        );
    }
    let mut normal = 0;
    for _ in 0..4 {
        let got = claim(1).await.expect("claims");
        assert_eq!(got.len(), 1);
        if overdue.contains(&got[0].id) {
            normal += 1;
        } else {
            assert!(flood.contains(&got[0].id));
        }
    }
    assert_eq!(normal, 1, "a quarter of the small claims");
}
both_backends!(a_flood_of_interactive_jobs_leaves_a_share_to_overdue_normal_ones);

async fn a_dedupe_key_holds_one_pending_job(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    let job = || NewJob::new("webhook.deliver", json!({"event": 1})).dedupe_key("evt-1");

    let first = q.enqueue(job()).await.expect("enqueued");
    let again = q.enqueue(job()).await.expect("a no-op");
    assert_eq!(first, again);
    let without_key = q
        .enqueue(NewJob::new("webhook.deliver", json!({})))
        .await
        .expect("enqueued");
    assert_ne!(without_key, first);
    assert_eq!(q.stats().await.expect("stats").queued, 2);

    // Still held while running.
    let claimed = q
        .claim("w", &[], 10, Duration::seconds(30))
        .await
        .expect("claims");
    assert_eq!(claimed.len(), 2);
    assert_eq!(q.enqueue(job()).await.expect("a no-op"), first);
    let running = claimed.iter().find(|j| j.id == first).expect("claimed");
    assert_eq!(running.dedupe_key.as_deref(), Some("evt-1"));
    q.complete(first, running.lease.as_deref().expect("lease"))
        .await
        .expect("completes");

    // Free again once the job is done.
    let next = q.enqueue(job()).await.expect("enqueued");
    assert_ne!(next, first);
    assert_eq!(q.stats().await.expect("stats").queued, 1);

    // Concurrent enqueues of one key make one job.
    let ids: Vec<JobId> = futures_join_all((0..20).map(|_| {
        let q = Arc::clone(&q);
        async move {
            q.enqueue(NewJob::new("k", json!({})).dedupe_key("race"))
                .await
                .expect("enqueued")
        }
    }))
    .await;
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 1);
    tdb.cleanup().await;
}
both_backends!(a_dedupe_key_holds_one_pending_job);

/// Runs futures concurrently on the runtime and collects their outputs.
async fn futures_join_all<F>(futs: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futs.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

async fn concurrent_claimers_never_share_a_job(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    // Two pools: like two server processes.
    let (_a, qa) = tdb.queue(clock.clone()).await;
    let (_b, qb) = tdb.queue(clock.clone()).await;
    for i in 0..200 {
        qa.enqueue(NewJob::new("n", json!(i)))
            .await
            .expect("enqueued");
    }
    let seen: Arc<Mutex<Vec<JobId>>> = Arc::default();
    let claimers = (0..8).map(|w| {
        let q = if w % 2 == 0 {
            Arc::clone(&qa)
        } else {
            Arc::clone(&qb)
        };
        let seen = Arc::clone(&seen);
        async move {
            let name = format!("w{w}");
            loop {
                let jobs = q
                    .claim(&name, &[], 7, Duration::minutes(5))
                    .await
                    .expect("claims");
                if jobs.is_empty() {
                    break;
                }
                for j in jobs {
                    seen.lock().expect("seen").push(j.id);
                    q.complete(j.id, j.lease.as_deref().expect("lease"))
                        .await
                        .expect("the holder completes its job");
                }
            }
        }
    });
    futures_join_all(claimers).await;
    let seen = seen.lock().expect("seen").clone();
    assert_eq!(seen.len(), 200, "every job ran exactly once");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 200);
    let stats = qa.stats().await.expect("stats");
    assert_eq!((stats.queued, stats.running, stats.dead), (0, 0, 0));
    tdb.cleanup().await;
}
both_backends!(concurrent_claimers_never_share_a_job);

async fn a_failed_job_retries_with_backoff_then_dies_after_its_attempts(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    let id = q
        .enqueue(NewJob::new("flaky", json!({})).max_attempts(3))
        .await
        .expect("enqueued");
    let vis = Duration::seconds(30);

    // Attempt 1 → back off 2 s ± 25 %.
    let job = q.claim("w", &[], 1, vis).await.expect("claims").remove(0);
    let lease = job.lease.expect("lease");
    assert_eq!(
        q.fail(id, "not-the-lease", JobFailure::retry("boom")).await,
        Err(StoreError::NotFound)
    );
    let FailureOutcome::Retry { at } = q
        .fail(id, &lease, JobFailure::retry("boom 1"))
        .await
        .expect("fails")
    else {
        panic!("retried")
    };
    let wait = at - clock.now();
    assert!(
        wait >= Duration::milliseconds(1500) && wait <= Duration::milliseconds(2500),
        "{wait}"
    );
    let queued = q.get(id).await.expect("exists");
    assert_eq!(queued.status, JobStatus::Queued);
    assert_eq!(queued.attempts, 1);
    assert_eq!(queued.last_error.as_deref(), Some("boom 1"));
    assert_eq!(queued.run_at, micros(at));
    assert_eq!(queued.lease, None);
    assert_eq!(
        q.complete(id, &lease).await,
        Err(StoreError::NotFound),
        "a failed attempt's lease is spent"
    );
    assert!(
        q.claim("w", &[], 1, vis).await.expect("claims").is_empty(),
        "backing off"
    );

    // Attempt 2 → back off 4 s ± 25 %.
    clock.advance(Duration::milliseconds(2500));
    let job = q.claim("w", &[], 1, vis).await.expect("claims").remove(0);
    assert_eq!(job.attempts, 2);
    let FailureOutcome::Retry { at } = q
        .fail(
            id,
            job.lease.as_deref().expect("lease"),
            JobFailure::retry("boom 2"),
        )
        .await
        .expect("fails")
    else {
        panic!("retried")
    };
    let wait = at - clock.now();
    assert!(
        wait >= Duration::seconds(3) && wait <= Duration::seconds(5),
        "{wait}"
    );

    // Attempt 3 is the last.
    clock.advance(Duration::seconds(5));
    let job = q.claim("w", &[], 1, vis).await.expect("claims").remove(0);
    assert_eq!(job.attempts, 3);
    let outcome = q
        .fail(
            id,
            job.lease.as_deref().expect("lease"),
            JobFailure::retry("boom 3"),
        )
        .await
        .expect("fails");
    assert_eq!(outcome, FailureOutcome::Dead);
    let dead = q.get(id).await.expect("exists");
    assert_eq!(dead.status, JobStatus::Dead);
    assert_eq!(dead.last_error.as_deref(), Some("boom 3"));
    clock.advance(Duration::hours(2));
    assert!(q.claim("w", &[], 1, vis).await.expect("claims").is_empty());
    let stats = q.stats().await.expect("stats");
    assert_eq!((stats.queued, stats.running, stats.dead), (0, 0, 1));

    // Retry-After wins when longer; permanent failures die at once.
    let slow = q
        .enqueue(NewJob::new("slow", json!({})))
        .await
        .expect("enqueued");
    let job = q.claim("w", &[], 1, vis).await.expect("claims").remove(0);
    let outcome = q
        .fail(
            slow,
            job.lease.as_deref().expect("lease"),
            JobFailure::retry("429").with_retry_after(Duration::hours(1)),
        )
        .await
        .expect("fails");
    assert_eq!(
        outcome,
        FailureOutcome::Retry {
            at: clock.now() + Duration::hours(1)
        }
    );
    let bad = q
        .enqueue(NewJob::new("bad", json!({})))
        .await
        .expect("enqueued");
    let job = q.claim("w", &[], 1, vis).await.expect("claims").remove(0);
    assert_eq!(job.id, bad);
    let outcome = q
        .fail(
            bad,
            job.lease.as_deref().expect("lease"),
            JobFailure::permanent("no such guest"),
        )
        .await
        .expect("fails");
    assert_eq!(outcome, FailureOutcome::Dead);
    assert_eq!(q.get(bad).await.expect("exists").attempts, 1);

    // Long messages are kept bounded.
    let long = q
        .enqueue(NewJob::new("long", json!({})))
        .await
        .expect("enqueued");
    let job = q.claim("w", &[], 1, vis).await.expect("claims").remove(0);
    assert_eq!(job.id, long);
    q.fail(
        long,
        job.lease.as_deref().expect("lease"),
        JobFailure::retry("x".repeat(10_000)),
    )
    .await
    .expect("fails");
    let kept = q
        .get(long)
        .await
        .expect("exists")
        .last_error
        .expect("an error");
    assert!(kept.chars().count() <= 2001);
    tdb.cleanup().await;
}
both_backends!(a_failed_job_retries_with_backoff_then_dies_after_its_attempts);

async fn dead_letters_are_listed_and_redriven(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    let vis = Duration::seconds(30);
    let mut dead = Vec::new();
    for i in 0..5 {
        let key = format!("key-{i}");
        let id = q
            .enqueue(NewJob::new("d", json!(i)).dedupe_key(key))
            .await
            .expect("enqueued");
        let job = q.claim("w", &[], 1, vis).await.expect("claims").remove(0);
        q.fail(
            id,
            job.lease.as_deref().expect("lease"),
            JobFailure::permanent("nope"),
        )
        .await
        .expect("fails");
        dead.push(id);
    }
    let alive = q
        .enqueue(NewJob::new("d", json!("alive")))
        .await
        .expect("enqueued");

    let page = q
        .dead(
            None,
            PageRequest::Forward {
                after: None,
                limit: 2,
            },
        )
        .await
        .expect("lists");
    assert_eq!(page.total, 5);
    assert_eq!(
        page.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        dead[..2]
    );
    assert!(page.has_next && !page.has_previous);
    let page = q
        .dead(
            None,
            PageRequest::Forward {
                after: Some(dead[1].as_uuid()),
                limit: 10,
            },
        )
        .await
        .expect("lists");
    assert_eq!(
        page.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        dead[2..]
    );
    assert!(!page.has_next && page.has_previous);
    let page = q
        .dead(
            None,
            PageRequest::Backward {
                before: None,
                limit: 2,
            },
        )
        .await
        .expect("lists");
    assert_eq!(
        page.items.iter().map(|j| j.id).collect::<Vec<_>>(),
        dead[3..]
    );
    assert!(page.has_previous && !page.has_next);
    assert!(
        page.items
            .iter()
            .all(|j| j.last_error.as_deref() == Some("nope"))
    );

    clock.advance(Duration::minutes(1));
    let redriven = q.redrive(dead[0]).await.expect("redrives");
    assert_eq!(redriven.status, JobStatus::Queued);
    assert_eq!(redriven.attempts, 0);
    assert_eq!(redriven.run_at, micros(clock.now()));
    assert_eq!(
        q.redrive(dead[0]).await,
        Err(StoreError::NotFound),
        "not dead any more"
    );
    assert_eq!(q.redrive(alive).await, Err(StoreError::NotFound));
    assert_eq!(q.redrive(JobId::new()).await, Err(StoreError::NotFound));
    let claimed = q.claim("w", &[], 10, vis).await.expect("claims");
    assert!(claimed.iter().any(|j| j.id == dead[0] && j.attempts == 1));

    // A dead job's key is free; redriving it while another job holds the key conflicts.
    let holder = q
        .enqueue(NewJob::new("d", json!("new")).dedupe_key("key-1"))
        .await
        .expect("enqueued");
    assert_ne!(holder, dead[1]);
    assert!(matches!(
        q.redrive(dead[1]).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(status_of(&q, dead[1]).await, JobStatus::Dead);
    assert_eq!(q.stats().await.expect("stats").dead, 4);
    tdb.cleanup().await;
}
both_backends!(dead_letters_are_listed_and_redriven);

async fn jobs_are_completed_in_batches_each_under_its_own_lease(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    let vis = Duration::seconds(30);
    assert_eq!(q.complete_many(&[]).await, Ok(Vec::new()));
    for _ in 0..5 {
        q.enqueue(NewJob::new("b", json!({})))
            .await
            .expect("enqueued");
    }
    let jobs = q.claim("w1", &[], 5, vis).await.expect("claims");
    assert_eq!(jobs.len(), 5);
    let lease = |j: &Job| j.lease.clone().expect("lease");
    let batch = vec![
        (jobs[0].id, lease(&jobs[0])),
        (jobs[1].id, lease(&jobs[1])),
        (jobs[2].id, lease(&jobs[2])),
        // Another job's lease, and a job that does not exist: not completed.
        (jobs[3].id, lease(&jobs[4])),
        (JobId::new(), lease(&jobs[4])),
    ];
    let mut done = q.complete_many(&batch).await.expect("completes");
    done.sort();
    let mut want = vec![jobs[0].id, jobs[1].id, jobs[2].id];
    want.sort();
    assert_eq!(done, want);
    for j in &jobs[..3] {
        let got = q.get(j.id).await.expect("exists");
        assert_eq!(
            (got.status, got.lease, got.locked_until, got.locked_by),
            (JobStatus::Done, None, None, None)
        );
    }
    assert_eq!(status_of(&q, jobs[3].id).await, JobStatus::Running);
    assert_eq!(status_of(&q, jobs[4].id).await, JobStatus::Running);
    // Completing again finds nothing running under those leases.
    assert_eq!(q.complete_many(&batch[..3]).await, Ok(Vec::new()));
    assert_eq!(
        q.complete_many(&[(jobs[3].id, lease(&jobs[3]))]).await,
        Ok(vec![jobs[3].id])
    );
    tdb.cleanup().await;
}
both_backends!(jobs_are_completed_in_batches_each_under_its_own_lease);

async fn a_job_whose_worker_vanished_is_claimed_again_after_its_visibility(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    let vis = Duration::seconds(30);
    let id = q
        .enqueue(NewJob::new("v", json!({})))
        .await
        .expect("enqueued");
    let first = q.claim("w1", &[], 1, vis).await.expect("claims").remove(0);
    let old = first.lease.clone().expect("lease");

    clock.advance(Duration::seconds(29));
    assert!(q.claim("w2", &[], 1, vis).await.expect("claims").is_empty());
    clock.advance(Duration::seconds(2));
    let second = q.claim("w2", &[], 1, vis).await.expect("claims").remove(0);
    assert_eq!(second.id, id);
    assert_eq!(second.attempts, 2);
    assert_eq!(second.locked_by.as_deref(), Some("w2"));
    let new = second.lease.clone().expect("lease");
    assert_ne!(new, old);

    assert_eq!(q.complete(id, &old).await, Err(StoreError::NotFound));
    assert_eq!(
        q.fail(id, &old, JobFailure::retry("late")).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(q.extend(id, &old, vis).await, Err(StoreError::NotFound));
    assert_eq!(q.release(id, &old).await, Err(StoreError::NotFound));
    assert_eq!(status_of(&q, id).await, JobStatus::Running);

    // Heartbeats keep a long job locked.
    clock.advance(Duration::seconds(20));
    q.extend(id, &new, vis).await.expect("extends");
    clock.advance(Duration::seconds(20));
    assert!(q.claim("w3", &[], 1, vis).await.expect("claims").is_empty());
    q.complete(id, &new)
        .await
        .expect("the current holder completes");
    assert_eq!(status_of(&q, id).await, JobStatus::Done);

    // A job that outran its visibility on its last attempt is dead, not re-run.
    let last = q
        .enqueue(NewJob::new("v", json!({})).max_attempts(1))
        .await
        .expect("enqueued");
    let job = q.claim("w1", &[], 1, vis).await.expect("claims").remove(0);
    assert_eq!(job.id, last);
    clock.advance(Duration::minutes(1));
    assert!(q.claim("w2", &[], 1, vis).await.expect("claims").is_empty());
    let dead = q.get(last).await.expect("exists");
    assert_eq!(dead.status, JobStatus::Dead);
    assert!(
        dead.last_error
            .expect("a reason")
            .contains("visibility timeout")
    );

    // Releasing gives a job back without spending the attempt.
    let rel = q
        .enqueue(NewJob::new("v", json!({})))
        .await
        .expect("enqueued");
    let job = q.claim("w1", &[], 1, vis).await.expect("claims").remove(0);
    q.release(rel, job.lease.as_deref().expect("lease"))
        .await
        .expect("releases");
    let back = q.get(rel).await.expect("exists");
    assert_eq!(
        (back.status, back.attempts, back.lease),
        (JobStatus::Queued, 0, None)
    );
    assert_eq!(q.claim("w2", &[], 1, vis).await.expect("claims")[0].id, rel);
    tdb.cleanup().await;
}
both_backends!(a_job_whose_worker_vanished_is_claimed_again_after_its_visibility);

async fn enqueue_in_a_transaction_exists_iff_it_commits(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (db, q) = tdb.queue(clock.clone()).await;

    let txn = db.connection().begin().await.expect("begins");
    let rolled_back = enqueue_in(&txn, clock.now(), &NewJob::new("outbox", json!(1)))
        .await
        .expect("enqueued");
    txn.rollback().await.expect("rolls back");
    assert_eq!(q.get(rolled_back).await, Err(StoreError::NotFound));
    assert_eq!(q.stats().await.expect("stats").queued, 0);

    let txn = db.connection().begin().await.expect("begins");
    let committed = enqueue_in(
        &txn,
        clock.now(),
        &NewJob::new("outbox", json!(2)).dedupe_key("evt"),
    )
    .await
    .expect("enqueued");
    // The same key inside the same transaction is the same job.
    let again = enqueue_in(
        &txn,
        clock.now(),
        &NewJob::new("outbox", json!(2)).dedupe_key("evt"),
    )
    .await
    .expect("a no-op");
    assert_eq!(again, committed);
    txn.commit().await.expect("commits");
    let job = q.get(committed).await.expect("exists");
    assert_eq!((job.status, job.payload), (JobStatus::Queued, json!(2)));
    assert_eq!(
        q.claim("w", &[], 10, Duration::seconds(30))
            .await
            .expect("claims")
            .len(),
        1
    );
    tdb.cleanup().await;
}
both_backends!(enqueue_in_a_transaction_exists_iff_it_commits);

// ---------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------

async fn each_schedule_tick_enqueues_one_job_across_processes(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(at("2026-11-21T10:00:30Z"));
    let (_a, qa) = tdb.queue(clock.clone()).await;
    let (_b, qb) = tdb.queue(clock.clone()).await;
    let every_minute = Schedule::new("minutely", "* * * * *", "tick", json!({"n": 1}));

    let invalid = Schedule::new("broken", "61 * * * *", "tick", json!({}));
    match qa
        .register_schedules(&[every_minute.clone(), invalid])
        .await
    {
        Err(ScheduleError::InvalidCron {
            name, expression, ..
        }) => {
            assert_eq!(
                (name.as_str(), expression.as_str()),
                ("broken", "61 * * * *")
            );
        }
        other => panic!("expected an invalid cron error, got {other:?}"),
    }
    assert_eq!(
        qa.tick_schedules().await.expect("ticks"),
        0,
        "nothing was stored"
    );
    clock.advance(Duration::minutes(1));
    assert_eq!(qa.tick_schedules().await.expect("ticks"), 0);
    clock.set(at("2026-11-21T10:00:30Z"));

    qa.register_schedules(std::slice::from_ref(&every_minute))
        .await
        .expect("registers");
    assert_eq!(qa.tick_schedules().await.expect("ticks"), 0, "not due yet");

    // Several ticks, each raced by two processes.
    let mut keys = Vec::new();
    for minute in 1..=5 {
        clock.set(at(&format!("2026-11-21T10:{minute:02}:05Z")));
        let (a, bb) = tokio::join!(
            {
                let q = Arc::clone(&qa);
                async move { q.tick_schedules().await.expect("ticks") }
            },
            {
                let q = Arc::clone(&qb);
                async move { q.tick_schedules().await.expect("ticks") }
            }
        );
        assert_eq!(
            a + bb,
            1,
            "exactly one process enqueues the tick of 10:{minute:02}"
        );
        keys.push(format!(
            "schedule:minutely:2026-11-21T10:{minute:02}:00+00:00"
        ));
    }
    let jobs = qa
        .claim("w", &[], 100, Duration::seconds(30))
        .await
        .expect("claims");
    let mut got: Vec<String> = jobs
        .iter()
        .map(|j| j.dedupe_key.clone().expect("a tick key"))
        .collect();
    got.sort();
    assert_eq!(got, keys);
    assert!(
        jobs.iter()
            .all(|j| j.kind == "tick" && j.payload == json!({"n": 1}))
    );

    // Missed ticks are not made up: one job, next tick after now.
    clock.set(at("2026-11-21T10:30:10Z"));
    assert_eq!(qb.tick_schedules().await.expect("ticks"), 1);
    assert_eq!(qb.tick_schedules().await.expect("ticks"), 0);

    // Re-registering the same expression keeps the next tick (10:31)…
    clock.set(at("2026-11-21T10:30:50Z"));
    qa.register_schedules(std::slice::from_ref(&every_minute))
        .await
        .expect("registers");
    clock.set(at("2026-11-21T10:31:00Z"));
    assert_eq!(qa.tick_schedules().await.expect("ticks"), 1);
    // …a changed one moves it (hourly → 11:00, not 10:32).
    let hourly = Schedule::new("minutely", "0 * * * *", "tick", json!({"n": 2}));
    qa.register_schedules(&[hourly]).await.expect("registers");
    clock.set(at("2026-11-21T10:32:00Z"));
    assert_eq!(qa.tick_schedules().await.expect("ticks"), 0);
    clock.set(at("2026-11-21T11:00:00Z"));
    assert_eq!(qa.tick_schedules().await.expect("ticks"), 1);
    let last = qa
        .claim("w", &[], 100, Duration::seconds(30))
        .await
        .expect("claims");
    let newest = last
        .iter()
        .find(|j| j.dedupe_key.as_deref() == Some("schedule:minutely:2026-11-21T11:00:00+00:00"))
        .expect("the 11:00 tick");
    assert_eq!(newest.payload, json!({"n": 2}));
    tdb.cleanup().await;
}
both_backends!(each_schedule_tick_enqueues_one_job_across_processes);

// ---------------------------------------------------------------------------
// Worker
// ---------------------------------------------------------------------------

/// Fails its first `failures` runs, then succeeds.
struct Flaky {
    failures: u32,
    runs: AtomicU32,
}

#[async_trait]
impl JobHandler for Flaky {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        let n = self.runs.fetch_add(1, Ordering::SeqCst) + 1;
        if n <= self.failures {
            Err(JobFailure::retry(format!("failure {n}")))
        } else {
            Ok(())
        }
    }
}

struct Panics;

#[async_trait]
impl JobHandler for Panics {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        panic!("handler bug")
    }
}

struct Counts(AtomicU32);

#[async_trait]
impl JobHandler for Counts {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Signals when it starts, then takes `for_` (real time).
struct Slow {
    started: tokio::sync::mpsc::UnboundedSender<JobId>,
    for_: StdDuration,
}

#[async_trait]
impl JobHandler for Slow {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let _ = self.started.send(job.id);
        tokio::time::sleep(self.for_).await;
        Ok(())
    }
}

async fn wait_for(q: &SqlJobQueue, id: JobId, status: JobStatus) -> Job {
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(30);
    loop {
        let job = q.get(id).await.expect("exists");
        if job.status == status {
            return job;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "job {id} stayed {:?} (wanted {status:?}): {job:?}",
            job.status
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
}

fn handlers(list: Vec<(&str, Arc<dyn JobHandler>)>) -> HashMap<String, Arc<dyn JobHandler>> {
    list.into_iter().map(|(k, h)| (k.to_owned(), h)).collect()
}

async fn the_worker_retries_survives_panics_ticks_schedules_and_stops(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    // Time flies: backoffs pass in milliseconds of real time.
    let ticking = {
        let clock = Arc::clone(&clock);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(StdDuration::from_millis(10)).await;
                clock.advance(Duration::seconds(2));
            }
        })
    };
    let flaky = Arc::new(Flaky {
        failures: 2,
        runs: AtomicU32::new(0),
    });
    let ticks = Arc::new(Counts(AtomicU32::new(0)));
    let ok = Arc::new(Counts(AtomicU32::new(0)));
    q.register_schedules(&[Schedule::new(
        "every-second",
        "* * * * * *",
        "tick",
        json!({}),
    )])
    .await
    .expect("registers");
    let worker = Worker::new(
        q.clone(),
        handlers(vec![
            ("flaky", flaky.clone() as Arc<dyn JobHandler>),
            ("panics", Arc::new(Panics)),
            ("tick", ticks.clone()),
            ("ok", ok.clone()),
        ]),
        WorkerOptions {
            name: "test-worker".into(),
            concurrency: 3,
            poll_interval: StdDuration::from_millis(20),
            visibility: Duration::hours(2),
            grace: StdDuration::from_secs(5),
            only_handled_kinds: false,
        },
    );
    let waker = worker.waker();
    let shutdown = CancellationToken::new();
    let running = tokio::spawn(worker.run(shutdown.clone()));

    let flaky_id = q
        .enqueue(NewJob::new("flaky", json!({})).max_attempts(5))
        .await
        .expect("enqueued");
    let panic_id = q
        .enqueue(NewJob::new("panics", json!({})).max_attempts(2))
        .await
        .expect("enqueued");
    let unknown_id = q
        .enqueue(NewJob::new("nobody.handles.this", json!({})))
        .await
        .expect("enqueued");
    waker.wake();

    let done = wait_for(&q, flaky_id, JobStatus::Done).await;
    assert_eq!(done.attempts, 3);
    assert_eq!(
        flaky.runs.load(Ordering::SeqCst),
        3,
        "failed twice, then succeeded once"
    );
    assert_eq!(done.last_error.as_deref(), Some("failure 2"));

    let dead = wait_for(&q, panic_id, JobStatus::Dead).await;
    assert_eq!(dead.attempts, 2);
    assert!(
        dead.last_error
            .expect("why")
            .contains("panicked: handler bug")
    );

    let unknown = wait_for(&q, unknown_id, JobStatus::Dead).await;
    assert_eq!(unknown.attempts, 1);
    assert!(
        unknown
            .last_error
            .expect("why")
            .contains("no handler is registered for job kind \"nobody.handles.this\"")
    );

    // The worker is still alive after the panics.
    let after = q
        .enqueue(NewJob::new("ok", json!({})))
        .await
        .expect("enqueued");
    wait_for(&q, after, JobStatus::Done).await;
    assert_eq!(ok.0.load(Ordering::SeqCst), 1);
    // A burst finishes together: completions are written in batches, and
    // every job of the burst ends done, once.
    let mut burst = Vec::new();
    for _ in 0..40 {
        burst.push(
            q.enqueue(NewJob::new("ok", json!({})))
                .await
                .expect("enqueued"),
        );
    }
    waker.wake();
    for id in burst {
        let job = wait_for(&q, id, JobStatus::Done).await;
        assert_eq!(job.attempts, 1);
    }
    assert_eq!(ok.0.load(Ordering::SeqCst), 41);
    assert!(ticks.0.load(Ordering::SeqCst) >= 1, "the schedule ran");

    shutdown.cancel();
    tokio::time::timeout(StdDuration::from_secs(10), running)
        .await
        .expect("the worker stops")
        .expect("cleanly");
    ticking.abort();
    tdb.cleanup().await;
}
both_backends!(the_worker_retries_survives_panics_ticks_schedules_and_stops);

async fn shutdown_finishes_jobs_within_the_grace_period_and_returns_the_rest(b: Backend) {
    let tdb = TestDb::new(b).await;
    let clock = TestClock::at(t0());
    let (_db, q) = tdb.queue(clock.clone()).await;
    let opts = |grace_ms: u64| WorkerOptions {
        name: "graceful".into(),
        concurrency: 2,
        poll_interval: StdDuration::from_millis(20),
        visibility: Duration::minutes(5),
        grace: StdDuration::from_millis(grace_ms),
        only_handled_kinds: true,
    };

    // A short job in flight finishes.
    let (tx, mut started) = tokio::sync::mpsc::unbounded_channel();
    let short: Arc<dyn JobHandler> = Arc::new(Slow {
        started: tx,
        for_: StdDuration::from_millis(300),
    });
    let id = q
        .enqueue(NewJob::new("short", json!({})))
        .await
        .expect("enqueued");
    let shutdown = CancellationToken::new();
    let run = tokio::spawn(
        Worker::new(q.clone(), handlers(vec![("short", short)]), opts(5000)).run(shutdown.clone()),
    );
    assert_eq!(started.recv().await, Some(id));
    let stopping = tokio::time::Instant::now();
    shutdown.cancel();
    run.await.expect("stops");
    assert!(stopping.elapsed() < StdDuration::from_secs(4));
    assert_eq!(status_of(&q, id).await, JobStatus::Done);

    // A job outrunning the grace period is given back, due now, attempt not counted.
    let (tx, mut started) = tokio::sync::mpsc::unbounded_channel();
    let stuck: Arc<dyn JobHandler> = Arc::new(Slow {
        started: tx,
        for_: StdDuration::from_secs(60),
    });
    let id = q
        .enqueue(NewJob::new("stuck", json!({})))
        .await
        .expect("enqueued");
    // Not claimed by a worker without its handler.
    let other = q
        .enqueue(NewJob::new("other", json!({})))
        .await
        .expect("enqueued");
    let shutdown = CancellationToken::new();
    let run = tokio::spawn(
        Worker::new(q.clone(), handlers(vec![("stuck", stuck)]), opts(200)).run(shutdown.clone()),
    );
    assert_eq!(started.recv().await, Some(id));
    assert_eq!(status_of(&q, id).await, JobStatus::Running);
    let stopping = tokio::time::Instant::now();
    shutdown.cancel();
    tokio::time::timeout(StdDuration::from_secs(5), run)
        .await
        .expect("stops soon after the grace period")
        .expect("cleanly");
    assert!(stopping.elapsed() >= StdDuration::from_millis(200));
    let back = q.get(id).await.expect("exists");
    assert_eq!(back.status, JobStatus::Queued);
    assert_eq!(back.attempts, 0);
    assert_eq!(back.lease, None);
    assert_eq!(back.run_at, micros(clock.now()));
    assert_eq!(status_of(&q, other).await, JobStatus::Queued);
    tdb.cleanup().await;
}
both_backends!(shutdown_finishes_jobs_within_the_grace_period_and_returns_the_rest);
