//! The durable job queue inside the server: scheduled sweeps run by the
//! in-process worker, dead letters and re-drive per business, metrics.

use std::str::FromStr;
use std::time::Duration as StdDuration;

use chrono::Duration;
use domain::TenantId;
use domain::jobs::{JobFailure, JobStatus, NewJob};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, code, spawn_app, spawn_app_with, unique_email};

/// A dead job of `tenant` (an unknown kind that failed for good).
pub async fn dead_job_of(app: &TestApp, tenant: &str) -> String {
    let t = TenantId::from_str(tenant).expect("tenant");
    let id = app
        .jobs
        .enqueue(NewJob::new("test.nothing", json!({ "n": 1 })).tenant(t))
        .await
        .expect("enqueue");
    let claimed = app
        .jobs
        .claim(
            "test",
            &["test.nothing".to_owned()],
            10,
            Duration::minutes(1),
        )
        .await
        .expect("claim");
    let job = claimed
        .into_iter()
        .find(|j| j.id == id)
        .expect("claimed it");
    app.jobs
        .fail(
            id,
            job.lease.as_deref().expect("lease"),
            JobFailure::permanent("test failure"),
        )
        .await
        .expect("fail");
    assert_eq!(app.jobs.get(id).await.expect("job").status, JobStatus::Dead);
    id.to_string()
}

pub async fn wait_for<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn the_worker_expires_holds_on_schedule(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.worker_enabled = true).await;
    let owner = app.sign_up("Очередь", &unique_email("owner")).await;
    let guest = app
        .ok(
            Some(&owner.access),
            "mutation { createGuest(input: { phone: \"+79990006001\" }) { id } }",
            json!({}),
        )
        .await["createGuest"]["id"]
        .as_str()
        .expect("guest")
        .to_owned();
    app.ok(
        Some(&owner.access),
        "mutation($g: ID!) { adjustPoints(guestId: $g, points: 100, reason: \"старт\") { balance } }",
        json!({ "g": guest }),
    )
    .await;
    app.ok(
        Some(&owner.access),
        "mutation($g: ID!) { holdPoints(input: { guest: { id: $g }, points: 30 }) { id } }",
        json!({ "g": guest }),
    )
    .await;
    // Past the hold's TTL (15 min) and a schedule tick: nobody calls anything.
    app.clock.advance(Duration::minutes(16));
    let login = app.login(&owner.email, crate::helpers::PASSWORD).await;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    wait_for("the hold to expire", || {
        let (app, token, guest) = (&app, &token, &guest);
        async move {
            let r = app
                .ok(
                    Some(token),
                    "query($g: ID!) { guest(id: $g) { account { held available } } }",
                    json!({ "g": guest }),
                )
                .await;
            r["guest"]["account"]["held"] == 0 && r["guest"]["account"]["available"] == 100
        }
    })
    .await;
    let stats = app
        .ok(
            Some(&token),
            "{ jobQueueStats { queued running dead } }",
            json!({}),
        )
        .await;
    assert_eq!(stats["jobQueueStats"]["dead"], 0, "{stats}");
}
both_backends!(the_worker_expires_holds_on_schedule);

async fn dead_letters_are_per_business_and_can_be_redriven(backend: Backend) {
    let app = spawn_app(backend).await;
    let a = app.sign_up("A", &unique_email("a")).await;
    let b = app.sign_up("B", &unique_email("b")).await;
    let id = dead_job_of(&app, &a.tenant_id).await;
    let list = "{ deadJobs { totalCount nodes { id kind status attempts lastError payload } } }";
    let seen = app.ok(Some(&a.access), list, json!({})).await;
    assert_eq!(seen["deadJobs"]["totalCount"], 1);
    assert_eq!(seen["deadJobs"]["nodes"][0]["id"], id.as_str());
    assert_eq!(seen["deadJobs"]["nodes"][0]["status"], "DEAD");
    assert_eq!(seen["deadJobs"]["nodes"][0]["lastError"], "test failure");
    assert_eq!(seen["deadJobs"]["nodes"][0]["payload"], json!({ "n": 1 }));
    let other = app.ok(Some(&b.access), list, json!({})).await;
    assert_eq!(other["deadJobs"]["totalCount"], 0);
    let redrive = "mutation($id: ID!) { redriveJob(id: $id) { id status attempts } }";
    let r = app.gql(Some(&b.access), redrive, json!({ "id": id })).await;
    assert_eq!(code(&r), Some("NOT_FOUND"));
    let r = app.ok(Some(&a.access), redrive, json!({ "id": id })).await;
    assert_eq!(r["redriveJob"]["status"], "QUEUED");
    assert_eq!(r["redriveJob"]["attempts"], 0);
    let again = app.gql(Some(&a.access), redrive, json!({ "id": id })).await;
    assert_eq!(
        code(&again),
        Some("NOT_FOUND"),
        "only dead jobs are re-driven"
    );
    let cashier = app.add_staff(&a, &unique_email("cashier"), "CASHIER").await;
    let r = app.gql(Some(&cashier.access), list, json!({})).await;
    assert_eq!(code(&r), Some("FORBIDDEN"));

    let metrics = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .expect("metrics");
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.expect("body");
    assert!(
        text.contains("maxloyalty_jobs{status=\"queued\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("maxloyalty_jobs_oldest_queued_age_seconds"),
        "{text}"
    );
}
both_backends!(dead_letters_are_per_business_and_can_be_redriven);

async fn finished_jobs_are_purged_after_a_week(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = app
        .jobs
        .enqueue(NewJob::new("test.done", json!({})))
        .await
        .expect("enqueue");
    let job = app
        .jobs
        .claim("test", &["test.done".to_owned()], 1, Duration::minutes(1))
        .await
        .expect("claim")
        .pop()
        .expect("claimed");
    app.jobs
        .complete(id, job.lease.as_deref().expect("lease"))
        .await
        .expect("complete");
    let clock: std::sync::Arc<dyn domain::ports::Clock> = app.clock.clone();
    let purge = api::jobs::purge_handler(std::sync::Arc::clone(&app.jobs), clock);
    purge.run(&job).await.expect("purge");
    assert_eq!(
        app.jobs.get(id).await.expect("kept").status,
        JobStatus::Done,
        "a fresh finished job is kept"
    );
    app.clock.advance(Duration::days(8));
    purge.run(&job).await.expect("purge");
    assert!(app.jobs.get(id).await.is_err(), "gone after a week");
    assert!(
        api::jobs::schedules()
            .iter()
            .any(|s| s.kind == api::jobs::PURGE_JOB),
        "the purge is scheduled"
    );
}
both_backends!(finished_jobs_are_purged_after_a_week);
