//! Jobs as values, and the pure rules over them: retry backoff with jitter and
//! what a failure does to a job (retry later, or dead letter).

use chrono::{DateTime, Duration, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::ids::{JobId, TenantId};

/// How many attempts a job gets unless its producer says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;

/// The longest backoff before jitter: one hour.
pub const MAX_BACKOFF_SECS: i64 = 3600;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Waiting for its `run_at` and a free worker.
    Queued,
    /// Claimed by a worker until its `locked_until`.
    Running,
    /// Finished successfully.
    Done,
    /// Failed permanently or ran out of attempts; waits for an admin to redrive it.
    Dead,
}

impl JobStatus {
    /// Storage name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Dead => "dead",
        }
    }

    /// Parses a storage name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "queued" => Some(Self::Queued),
            "running" => Some(Self::Running),
            "done" => Some(Self::Done),
            "dead" => Some(Self::Dead),
            _ => None,
        }
    }

    /// Whether the job still waits to run or runs (its dedupe key is taken).
    #[must_use]
    pub const fn is_pending(self) -> bool {
        matches!(self, Self::Queued | Self::Running)
    }
}

/// Which due jobs a worker takes first. A worker claims due jobs in priority
/// order, then oldest first: an [`Interactive`](Self::Interactive) job never
/// waits behind a backlog of [`Normal`](Self::Normal) ones (after a burst of
/// POS checks, the next guest at the till does not wait for the burst's
/// webhook fan-out). Strict: under a sustained overload of interactive jobs
/// normal ones wait until it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum JobPriority {
    /// Someone is waiting for the outcome now (a guest's points at the till).
    Interactive,
    /// Everything else: fan-out, deliveries, notifications, scheduled tasks.
    #[default]
    Normal,
}

impl JobPriority {
    /// Storage rank: lower is claimed first.
    #[must_use]
    pub const fn rank(self) -> i16 {
        match self {
            Self::Interactive => 0,
            Self::Normal => 1,
        }
    }

    /// The priority stored as `rank`; unknown ranks read as
    /// [`Normal`](Self::Normal).
    #[must_use]
    pub const fn from_rank(rank: i16) -> Self {
        match rank {
            0 => Self::Interactive,
            _ => Self::Normal,
        }
    }
}

/// A job to enqueue. Build it with [`NewJob::new`] and the builder methods.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What to do: the name a [`JobHandler`](super::JobHandler) is registered under.
    pub kind: String,
    /// The tenant the job acts for (`None` for platform jobs). Jobs are not
    /// row-level-security scoped; the handler builds its context from this.
    pub tenant: Option<TenantId>,
    /// The handler's input.
    pub payload: Value,
    /// The earliest time to run; `None` = now.
    pub run_at: Option<DateTime<Utc>>,
    /// Unique among queued and running jobs: enqueueing a second job with the
    /// same key does nothing and returns the first job's id.
    pub dedupe_key: Option<String>,
    /// Attempts before the job is dead-lettered (at least 1).
    pub max_attempts: u32,
    /// Which due jobs run first.
    pub priority: JobPriority,
}

impl NewJob {
    /// A job of `kind` with `payload`, for no tenant, to run now, up to
    /// [`DEFAULT_MAX_ATTEMPTS`] times.
    #[must_use]
    pub fn new(kind: impl Into<String>, payload: Value) -> Self {
        Self {
            kind: kind.into(),
            tenant: None,
            payload,
            run_at: None,
            dedupe_key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            priority: JobPriority::Normal,
        }
    }

    /// Runs before due jobs of a lower priority.
    #[must_use]
    pub fn priority(mut self, priority: JobPriority) -> Self {
        self.priority = priority;
        self
    }

    /// Acts for `tenant`.
    #[must_use]
    pub fn tenant(mut self, tenant: TenantId) -> Self {
        self.tenant = Some(tenant);
        self
    }

    /// Runs no earlier than `at`.
    #[must_use]
    pub fn run_at(mut self, at: DateTime<Utc>) -> Self {
        self.run_at = Some(at);
        self
    }

    /// Deduplicates by `key` among jobs not yet finished.
    #[must_use]
    pub fn dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }

    /// At most `n` attempts (values below 1 count as 1).
    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
}

/// A stored job.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Id (time-ordered).
    pub id: JobId,
    /// What to do.
    pub kind: String,
    /// The tenant the job acts for.
    pub tenant: Option<TenantId>,
    /// The handler's input.
    pub payload: Value,
    /// Attempts so far, counting the one in progress.
    pub attempts: u32,
    /// Attempts before the job is dead-lettered.
    pub max_attempts: u32,
    /// Where the job is in its life.
    pub status: JobStatus,
    /// The earliest time to run (for a retry: when the backoff ends).
    pub run_at: DateTime<Utc>,
    /// While running: when other workers may take the job over.
    pub locked_until: Option<DateTime<Utc>>,
    /// While running: the worker holding it.
    pub locked_by: Option<String>,
    /// The last failure's message.
    pub last_error: Option<String>,
    /// While running: the token the holder presents to complete, fail, release
    /// or extend the job. A new claim makes a new lease, so a worker that lost
    /// the job (its visibility expired) can no longer finish it.
    pub lease: Option<String>,
    /// The deduplication key.
    pub dedupe_key: Option<String>,
    /// Which due jobs run first.
    pub priority: JobPriority,
    /// When enqueued.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

impl Job {
    /// The payload as `T`.
    ///
    /// # Errors
    /// A permanent [`JobFailure`]: a payload that does not parse will not parse
    /// on the next attempt either.
    pub fn payload_as<T: DeserializeOwned>(&self) -> Result<T, JobFailure> {
        serde_json::from_value(self.payload.clone()).map_err(|e| {
            JobFailure::permanent(format!(
                "the payload of a {} job is malformed: {e}",
                self.kind
            ))
        })
    }
}

/// Why a handler did not finish a job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JobFailure {
    /// What went wrong (kept as the job's `last_error`; no secrets or personal data).
    pub message: String,
    /// Wait at least this long before the next attempt (e.g. a `Retry-After`);
    /// the backoff applies when it is longer.
    pub retry_after: Option<Duration>,
    /// Retrying cannot help: dead-letter the job now.
    pub permanent: bool,
}

impl JobFailure {
    /// A failure worth retrying after the backoff.
    #[must_use]
    pub fn retry(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retry_after: None,
            permanent: false,
        }
    }

    /// A failure no retry can fix.
    #[must_use]
    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retry_after: None,
            permanent: true,
        }
    }

    /// Waits at least `after` before the next attempt.
    #[must_use]
    pub fn with_retry_after(mut self, after: Duration) -> Self {
        self.retry_after = Some(after);
        self
    }
}

/// What a failure does to a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureOutcome {
    /// Queued again, to run at `at`.
    Retry {
        /// The next attempt's earliest time.
        at: DateTime<Utc>,
    },
    /// Dead-lettered.
    Dead,
}

/// The delay before the retry that follows attempt `attempt`: 2^attempt seconds,
/// at most an hour, spread by ±25 % with `random` (any random number) so that
/// jobs failing together do not retry together. Integer milliseconds.
#[must_use]
pub fn backoff(attempt: u32, random: u64) -> Duration {
    let base_secs = if attempt >= 12 {
        MAX_BACKOFF_SECS
    } else {
        (1_i64 << attempt).min(MAX_BACKOFF_SECS)
    };
    let base_ms = base_secs * 1000;
    let quarter = base_ms / 4;
    // Uniform over [base − 25 %, base + 25 %]; `span` is at most 1 800 001.
    let span = u64::try_from(2 * quarter + 1).unwrap_or(1);
    let offset = i64::try_from(random % span).unwrap_or(0);
    Duration::milliseconds(base_ms - quarter + offset)
}

/// Decides what happens to a job whose attempt number `attempts` (of
/// `max_attempts`) failed with `failure` at `now`: dead when the failure is
/// permanent or the attempts are used up, else a retry after the longer of the
/// backoff and the failure's `retry_after`.
#[must_use]
pub fn after_failure(
    attempts: u32,
    max_attempts: u32,
    failure: &JobFailure,
    now: DateTime<Utc>,
    random: u64,
) -> FailureOutcome {
    if failure.permanent || attempts >= max_attempts {
        return FailureOutcome::Dead;
    }
    let wait = backoff(attempts, random).max(failure.retry_after.unwrap_or_else(Duration::zero));
    FailureOutcome::Retry { at: now + wait }
}

/// A recurring job: enqueues `kind` with `payload` at every tick of `cron`.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Unique name (also part of each tick's dedupe key).
    pub name: String,
    /// A cron expression in UTC: five fields (`min hour dom month dow`) or six
    /// with seconds first, e.g. `0 3 * * *` = every night at 03:00 UTC.
    pub cron: String,
    /// The job kind to enqueue.
    pub kind: String,
    /// The job payload.
    pub payload: Value,
}

impl Schedule {
    /// A schedule named `name` enqueueing `kind` with `payload` at every tick of `cron`.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        cron: impl Into<String>,
        kind: impl Into<String>,
        payload: Value,
    ) -> Self {
        Self {
            name: name.into(),
            cron: cron.into(),
            kind: kind.into(),
            payload,
        }
    }

    /// The dedupe key of the job enqueued for the tick at `tick`.
    #[must_use]
    pub fn tick_key(&self, tick: DateTime<Utc>) -> String {
        format!("schedule:{}:{}", self.name, tick.to_rfc3339())
    }
}

/// Queue depth and age, for monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Jobs waiting (due or not).
    pub queued: u64,
    /// Jobs claimed by a worker.
    pub running: u64,
    /// Dead letters.
    pub dead: u64,
    /// How long the oldest due job has been waiting, in seconds (`None` when
    /// nothing is due).
    pub oldest_queued_age_secs: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn backoff_doubles_from_one_second() {
        // The middle of the jitter range is the exact power of two.
        let mid = |attempt: u32| {
            let base = 1000 * (1_u64 << attempt.min(12)).min(3600);
            backoff(attempt, base / 4).num_milliseconds()
        };
        assert_eq!(mid(0), 1000);
        assert_eq!(mid(1), 2000);
        assert_eq!(mid(5), 32_000);
        assert_eq!(mid(11), 2_048_000);
    }

    #[test]
    fn backoff_stops_growing_at_an_hour() {
        assert_eq!(backoff(12, 0), backoff(40, 0));
        assert_eq!(backoff(u32::MAX, 0).num_seconds(), 2700);
        assert_eq!(backoff(u32::MAX, 1_800_000).num_seconds(), 4500);
    }

    #[test]
    fn jitter_spans_a_quarter_either_side() {
        assert_eq!(backoff(3, 0).num_milliseconds(), 6000);
        assert_eq!(backoff(3, 4000).num_milliseconds(), 10_000);
        // Wraps around rather than overflowing.
        assert_eq!(backoff(3, 4001).num_milliseconds(), 6000);
    }

    proptest! {
        #[test]
        fn backoff_is_within_bounds(attempt in 0_u32..100, random in any::<u64>()) {
            let ms = backoff(attempt, random).num_milliseconds();
            let base = 1000 * (1_i64 << attempt.min(12)).min(MAX_BACKOFF_SECS);
            prop_assert!(ms >= base - base / 4);
            prop_assert!(ms <= base + base / 4);
        }

        #[test]
        fn a_later_attempt_always_waits_longer_below_the_cap(
            attempt in 0_u32..12, r1 in any::<u64>(), r2 in any::<u64>()
        ) {
            // 1.25 × 2^a < 0.75 × 2^(a+1): jitter never reorders consecutive attempts.
            prop_assert!(backoff(attempt, r1) < backoff(attempt + 1, r2));
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn a_failure_with_attempts_left_is_retried_after_the_backoff() {
        let f = JobFailure::retry("timeout");
        assert_eq!(
            after_failure(1, 3, &f, now(), 0),
            FailureOutcome::Retry {
                at: now() + Duration::milliseconds(1500)
            }
        );
    }

    #[test]
    fn the_last_attempt_dead_letters_the_job() {
        let f = JobFailure::retry("timeout");
        assert_eq!(after_failure(3, 3, &f, now(), 0), FailureOutcome::Dead);
        assert_eq!(after_failure(4, 3, &f, now(), 0), FailureOutcome::Dead);
    }

    #[test]
    fn a_permanent_failure_dead_letters_at_once() {
        let f = JobFailure::permanent("unknown guest");
        assert_eq!(after_failure(1, 10, &f, now(), 0), FailureOutcome::Dead);
    }

    #[test]
    fn retry_after_wins_only_when_longer_than_the_backoff() {
        let long = JobFailure::retry("429").with_retry_after(Duration::minutes(5));
        assert_eq!(
            after_failure(1, 10, &long, now(), 0),
            FailureOutcome::Retry {
                at: now() + Duration::minutes(5)
            }
        );
        let short = JobFailure::retry("429").with_retry_after(Duration::milliseconds(10));
        assert_eq!(
            after_failure(1, 10, &short, now(), 0),
            FailureOutcome::Retry {
                at: now() + Duration::milliseconds(1500)
            }
        );
        let negative = JobFailure::retry("clock skew").with_retry_after(Duration::seconds(-60));
        assert_eq!(
            after_failure(1, 10, &negative, now(), 0),
            FailureOutcome::Retry {
                at: now() + Duration::milliseconds(1500)
            }
        );
    }

    #[test]
    fn statuses_round_trip_through_storage_names() {
        for s in [
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Done,
            JobStatus::Dead,
        ] {
            assert_eq!(JobStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(JobStatus::parse("paused"), None);
        assert!(JobStatus::Queued.is_pending() && JobStatus::Running.is_pending());
        assert!(!JobStatus::Done.is_pending() && !JobStatus::Dead.is_pending());
    }

    #[test]
    fn new_jobs_default_to_ten_attempts_and_at_least_one() {
        let j = NewJob::new("mail.send", serde_json::json!({}));
        assert_eq!(j.max_attempts, DEFAULT_MAX_ATTEMPTS);
        assert_eq!(j.run_at, None);
        assert_eq!(j.priority, JobPriority::Normal);
        assert_eq!(j.max_attempts(0).max_attempts, 1);
    }

    #[test]
    fn priorities_round_trip_through_their_rank_and_interactive_sorts_first() {
        for p in [JobPriority::Interactive, JobPriority::Normal] {
            assert_eq!(JobPriority::from_rank(p.rank()), p);
        }
        assert_eq!(JobPriority::from_rank(7), JobPriority::Normal);
        assert!(JobPriority::Interactive < JobPriority::Normal);
        assert!(JobPriority::Interactive.rank() < JobPriority::Normal.rank());
        let j = NewJob::new("integrations.process", serde_json::json!({}))
            .priority(JobPriority::Interactive);
        assert_eq!(j.priority, JobPriority::Interactive);
    }

    #[test]
    fn malformed_payloads_fail_permanently() {
        let job = Job {
            id: JobId::new(),
            kind: "k".into(),
            tenant: None,
            payload: serde_json::json!({"n": "x"}),
            attempts: 1,
            max_attempts: 10,
            status: JobStatus::Running,
            run_at: now(),
            locked_until: None,
            locked_by: None,
            last_error: None,
            lease: None,
            dedupe_key: None,
            priority: JobPriority::Normal,
            created_at: now(),
            updated_at: now(),
        };
        #[derive(serde::Deserialize)]
        struct P {
            #[expect(dead_code, reason = "only parsed")]
            n: i64,
        }
        let err = job.payload_as::<P>().err().map(|e| e.permanent);
        assert_eq!(err, Some(true));
    }

    #[test]
    fn schedule_ticks_have_stable_keys() {
        let s = Schedule::new("lots.expire", "0 3 * * *", "lots.expire", Value::Null);
        assert_eq!(
            s.tick_key(now()),
            format!("schedule:lots.expire:{}", now().to_rfc3339())
        );
    }
}
