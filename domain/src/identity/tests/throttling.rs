//! Login throttling: three free failures, then waits of 1, 2, 4 … 64 s, then a
//! 15-minute lock at ten failures; keyed by the e-mail whether or not it has an
//! account.

use chrono::Duration;

use super::harness::{PASSWORD, World};
use crate::identity::errors::{DomainError, ErrorClass, LoginError};

const OLGA: &str = "olga@example.com";
const WRONG: &str = "wrong-password-0";

fn throttled(secs: u64) -> Result<(), LoginError> {
    Err(LoginError::Throttled {
        retry_after_secs: secs,
    })
}

fn bad() -> Result<(), LoginError> {
    Err(LoginError::InvalidCredentials)
}

async fn attempt(w: &World, email: &str, password: &str) -> Result<(), LoginError> {
    w.login(email, password).await.map(|_| ())
}

/// Fails ten times, waiting out each delay, which locks the e-mail.
async fn fail_until_locked(w: &World, email: &str) {
    for failures in 0..10_u32 {
        if failures >= 3 {
            w.clock
                .advance(Duration::seconds(1 << (failures - 3).min(6)));
        }
        assert_eq!(
            attempt(w, email, WRONG).await,
            bad(),
            "failure {}",
            failures + 1
        );
    }
}

#[tokio::test]
async fn after_three_failures_each_attempt_waits_twice_as_long_up_to_a_minute() {
    let w = World::new();
    w.business("Coffee & Co", OLGA).await;
    for _ in 0..3 {
        assert_eq!(attempt(&w, OLGA, WRONG).await, bad());
    }
    for failures in 3..=9_u32 {
        let wait: i64 = 1 << (failures - 3);
        // Even the right password waits.
        let err = w.login(OLGA, PASSWORD).await.expect_err("throttled");
        assert_eq!(err.class(), ErrorClass::RateLimited);
        assert_eq!(
            err.retry_after_secs(),
            Some(wait.unsigned_abs()),
            "after {failures} failures"
        );
        if wait > 1 {
            w.clock.advance(Duration::seconds(wait - 1));
            assert_eq!(attempt(&w, OLGA, PASSWORD).await, throttled(1));
        }
        w.clock
            .advance(Duration::seconds(if wait > 1 { 1 } else { wait }));
        assert_eq!(
            attempt(&w, OLGA, WRONG).await,
            bad(),
            "failure {}",
            failures + 1
        );
    }
    assert_eq!(attempt(&w, OLGA, PASSWORD).await, throttled(15 * 60));
}

#[tokio::test]
async fn ten_failures_lock_the_email_for_fifteen_minutes_even_with_the_right_password() {
    let w = World::new();
    w.business("Coffee & Co", OLGA).await;
    fail_until_locked(&w, OLGA).await;
    assert_eq!(attempt(&w, OLGA, PASSWORD).await, throttled(900));
    w.clock.advance(Duration::minutes(14));
    assert_eq!(attempt(&w, OLGA, PASSWORD).await, throttled(60));
    w.clock.advance(Duration::seconds(59));
    assert_eq!(attempt(&w, OLGA, PASSWORD).await, throttled(1));
    w.clock.advance(Duration::seconds(1));
    assert_eq!(attempt(&w, OLGA, PASSWORD).await, Ok(()));
}

#[tokio::test]
async fn attempts_refused_by_the_throttle_are_not_counted_as_failures() {
    let w = World::new();
    w.business("Coffee & Co", OLGA).await;
    for _ in 0..3 {
        assert_eq!(attempt(&w, OLGA, WRONG).await, bad());
    }
    for _ in 0..20 {
        assert_eq!(attempt(&w, OLGA, WRONG).await, throttled(1));
    }
    w.clock.advance(Duration::seconds(1));
    assert_eq!(attempt(&w, OLGA, WRONG).await, bad());
    assert_eq!(attempt(&w, OLGA, WRONG).await, throttled(2));
}

#[tokio::test]
async fn a_successful_login_resets_the_count() {
    let w = World::new();
    w.business("Coffee & Co", OLGA).await;
    for _ in 0..3 {
        assert_eq!(attempt(&w, OLGA, WRONG).await, bad());
    }
    w.clock.advance(Duration::seconds(1));
    assert_eq!(attempt(&w, OLGA, PASSWORD).await, Ok(()));
    for _ in 0..3 {
        assert_eq!(attempt(&w, OLGA, WRONG).await, bad());
    }
    assert_eq!(attempt(&w, OLGA, WRONG).await, throttled(1));
}

#[tokio::test]
async fn after_a_lock_expires_failures_count_from_one_again() {
    let w = World::new();
    w.business("Coffee & Co", OLGA).await;
    fail_until_locked(&w, OLGA).await;
    w.clock.advance(Duration::minutes(15));
    for _ in 0..3 {
        assert_eq!(attempt(&w, OLGA, WRONG).await, bad());
    }
    assert_eq!(attempt(&w, OLGA, WRONG).await, throttled(1));
}

#[tokio::test]
async fn unknown_emails_are_throttled_exactly_like_known_ones() {
    async fn script(w: &World, email: &str) -> Vec<Result<(), LoginError>> {
        let mut out = Vec::new();
        for step in 0..40_i64 {
            out.push(attempt(w, email, WRONG).await);
            // Irregular pauses: some attempts land inside the wait, some after it.
            w.clock.advance(Duration::seconds((step * 7) % 11));
        }
        w.clock.advance(Duration::minutes(20));
        out.push(attempt(w, email, WRONG).await);
        out.push(attempt(w, email, WRONG).await);
        out
    }
    let known = World::new();
    known.business("Coffee & Co", OLGA).await;
    let unknown = World::new();
    let a = script(&known, OLGA).await;
    let b = script(&unknown, OLGA).await;
    assert_eq!(a, b);
    assert!(
        a.iter().any(|r| matches!(
            r,
            Err(LoginError::Throttled { retry_after_secs }) if *retry_after_secs > 64
        )),
        "the script reaches the lock: {a:?}"
    );
}

#[tokio::test]
async fn the_throttle_key_ignores_case_and_surrounding_spaces() {
    let w = World::new();
    w.business("Coffee & Co", OLGA).await;
    for email in ["OLGA@example.com", " olga@EXAMPLE.com", "Olga@Example.Com "] {
        assert_eq!(attempt(&w, email, WRONG).await, bad());
    }
    assert_eq!(attempt(&w, OLGA, PASSWORD).await, throttled(1));
}

#[tokio::test]
async fn a_locked_email_does_not_affect_another() {
    let w = World::new();
    w.business("Coffee & Co", OLGA).await;
    w.business("Tea House", "pavel@example.com").await;
    fail_until_locked(&w, OLGA).await;
    fail_until_locked(&w, "nobody@example.com").await;
    assert_eq!(attempt(&w, "pavel@example.com", PASSWORD).await, Ok(()));
    assert_eq!(attempt(&w, OLGA, PASSWORD).await, throttled(900 - 127));
}
