//! [`SqlJobQueue`]: the job queue port over the application's own database, with
//! the same guarantees on SQLite and PostgreSQL, and [`enqueue_in`], the outbox
//! building block that enqueues inside a caller's transaction.
//!
//! Every statement is plain SQL with `$n` placeholders (sqlx binds them on both
//! backends). Times come from the [`Clock`] port, truncated to microseconds (what
//! PostgreSQL keeps), never from the database's clock, so tests can move time.

use std::str::FromStr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, LazyLock};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use croner::Cron;
use domain::identity::StoreError;
use domain::jobs::{
    FailureOutcome, Job, JobFailure, JobPriority, JobQueue, JobStatus, NewJob, QueueStats,
    Schedule, ScheduleError, after_failure,
};
use domain::page::{Page, PageRequest};
use domain::ports::Clock;
use domain::{JobId, TenantId};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryResult, Statement,
    TransactionTrait, Value,
};
use tracing::instrument;
use uuid::Uuid;

use crate::db::{Db, internal};

/// The columns of a job row, in the order [`job_from_row`] reads them by name.
const JOB_COLUMNS: [&str; 16] = [
    "id",
    "kind",
    "tenant_id",
    "payload",
    "status",
    "attempts",
    "max_attempts",
    "run_at",
    "locked_until",
    "locked_by",
    "lease",
    "last_error",
    "dedupe_key",
    "priority",
    "created_at",
    "updated_at",
];

/// Failure messages are stored, not streamed: keep them bounded.
const MAX_ERROR_CHARS: usize = 2000;

/// The message of a job whose worker never came back on its last attempt.
const EXPIRED_ON_LAST_ATTEMPT: &str = "the last attempt did not finish before its visibility timeout (the worker stopped or lost the job)";

fn columns(prefix: &str) -> String {
    JOB_COLUMNS
        .iter()
        .map(|c| format!("{prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `t` truncated to whole microseconds: PostgreSQL keeps no more, and SQLite
/// then stores the same value.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

fn to_u32(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn bounded(message: &str) -> String {
    match message.char_indices().nth(MAX_ERROR_CHARS) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_owned(),
    }
}

fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(backend, sql, values)
}

/// The columns a new job's row sets (see [`new_job_row`]).
pub(crate) const NEW_JOB_COLUMNS: &str = "id, kind, tenant_id, payload, status, attempts, \
     max_attempts, run_at, dedupe_key, priority, created_at, updated_at";

/// The row [`enqueue_in`] inserts for `job`: its new id and the nine values
/// that [`new_job_values`] places in the order of [`NEW_JOB_COLUMNS`].
pub(crate) fn new_job_row(now: DateTime<Utc>, job: &NewJob) -> (JobId, Vec<Value>) {
    let now = micros(now);
    let id = JobId::new();
    let values = vec![
        id.as_uuid().into(),
        job.kind.clone().into(),
        job.tenant.map(|t| t.as_uuid()).into(),
        job.payload.to_string().into(),
        to_i32(job.max_attempts.max(1)).into(),
        micros(job.run_at.unwrap_or(now)).into(),
        job.dedupe_key.clone().into(),
        now.into(),
        job.priority.rank().into(),
    ];
    (id, values)
}

/// The expressions of a new job's row, in the order of [`NEW_JOB_COLUMNS`],
/// for values of [`new_job_row`] bound after `before` others.
pub(crate) fn new_job_values(before: usize) -> String {
    let [
        id,
        kind,
        tenant,
        payload,
        max_attempts,
        run_at,
        dedupe,
        now,
        priority,
    ] = std::array::from_fn::<usize, 9, _>(|i| before + i + 1);
    format!(
        "${id}, ${kind}, ${tenant}, ${payload}, 'queued', 0, ${max_attempts}, ${run_at}, \
         ${dedupe}, ${priority}, ${now}, ${now}"
    )
}

/// [`enqueue_in`]'s statement, made once.
static ENQUEUE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO jobs ({NEW_JOB_COLUMNS}) VALUES ({}) ON CONFLICT DO NOTHING",
        new_job_values(0)
    )
});

/// Enqueues `job` on `c` (a connection or, for the outbox, the caller's open
/// transaction: the job then exists iff that transaction commits). With a
/// dedupe key held by a queued or running job, nothing is inserted and that
/// job's id is returned. `now` stamps the row and is the default `run_at`.
///
/// # Errors
/// The statement failed.
pub async fn enqueue_in<C: ConnectionTrait>(
    c: &C,
    now: DateTime<Utc>,
    job: &NewJob,
) -> Result<JobId, DbErr> {
    let backend = c.get_database_backend();
    // Between our failed insert and our read, the job holding the key may
    // finish and free it: then insert again (at most a few times).
    for _ in 0..3 {
        let (id, values) = new_job_row(now, job);
        let inserted = c
            .execute_raw(stmt(backend, &ENQUEUE, values))
            .await?
            .rows_affected();
        if inserted == 1 {
            return Ok(id);
        }
        let Some(key) = &job.dedupe_key else {
            return Err(DbErr::Custom(format!(
                "enqueueing a {} job conflicted without a dedupe key",
                job.kind
            )));
        };
        let holder = c
            .query_one_raw(stmt(
                backend,
                "SELECT id FROM jobs WHERE dedupe_key = $1 AND status IN ('queued', 'running')",
                vec![key.clone().into()],
            ))
            .await?;
        if let Some(row) = holder {
            return Ok(JobId::from_uuid(row.try_get::<Uuid>("", "id")?));
        }
    }
    Err(DbErr::Custom(format!(
        "enqueueing a {} job: its dedupe key kept changing hands",
        job.kind
    )))
}

fn job_from_row(row: &QueryResult) -> Result<Job, StoreError> {
    let status: String = row.try_get("", "status").map_err(internal)?;
    let payload: String = row.try_get("", "payload").map_err(internal)?;
    Ok(Job {
        id: JobId::from_uuid(row.try_get("", "id").map_err(internal)?),
        kind: row.try_get("", "kind").map_err(internal)?,
        tenant: row
            .try_get::<Option<Uuid>>("", "tenant_id")
            .map_err(internal)?
            .map(domain::TenantId::from_uuid),
        payload: serde_json::from_str(&payload)
            .map_err(|e| StoreError::Internal(format!("a stored job payload is not JSON: {e}")))?,
        attempts: to_u32(row.try_get("", "attempts").map_err(internal)?),
        max_attempts: to_u32(row.try_get("", "max_attempts").map_err(internal)?),
        status: JobStatus::parse(&status).ok_or_else(|| {
            StoreError::Internal(format!("unknown job status in storage: {status}"))
        })?,
        run_at: row.try_get("", "run_at").map_err(internal)?,
        locked_until: row.try_get("", "locked_until").map_err(internal)?,
        locked_by: row.try_get("", "locked_by").map_err(internal)?,
        last_error: row.try_get("", "last_error").map_err(internal)?,
        lease: row.try_get("", "lease").map_err(internal)?,
        dedupe_key: row.try_get("", "dedupe_key").map_err(internal)?,
        priority: JobPriority::from_rank(row.try_get("", "priority").map_err(internal)?),
        created_at: row.try_get("", "created_at").map_err(internal)?,
        updated_at: row.try_get("", "updated_at").map_err(internal)?,
    })
}

fn parse_cron(s: &Schedule) -> Result<Cron, ScheduleError> {
    Cron::from_str(&s.cron).map_err(|e| ScheduleError::InvalidCron {
        name: s.name.clone(),
        expression: s.cron.clone(),
        reason: e.to_string(),
    })
}

/// The first tick of `cron` strictly after `after`.
fn next_tick(cron: &Cron, after: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    cron.find_next_occurrence(&after, false)
        .map(micros)
        .map_err(|e| e.to_string())
}

/// The job queue over SQL. Cheap to clone; every method is one short statement
/// or transaction, so it never holds SQLite's single connection for long.
#[derive(Clone)]
pub struct SqlJobQueue {
    db: Db,
    clock: Arc<dyn Clock>,
    /// When expired last attempts were last dead-lettered (done at most once a
    /// second of the queue's clock, not on every claim).
    last_sweep: Arc<std::sync::Mutex<Option<DateTime<Utc>>>>,
    /// The last claim was full and all interactive: higher priorities may be
    /// starving the others, so the next claim first takes a share of the
    /// normal jobs overdue by [`AGED_AFTER`].
    starving: Arc<std::sync::atomic::AtomicBool>,
    /// Claims made while starving: a claim too small for a quarter gives its
    /// first slot to an overdue normal job every fourth time.
    starving_turn: Arc<std::sync::atomic::AtomicU32>,
}

/// How long a due job of a lower priority waits before it gets a share of
/// every claim while higher priorities fill them.
pub const AGED_AFTER: Duration = Duration::seconds(30);

impl SqlJobQueue {
    /// A queue over a connected (and migrated) database.
    #[must_use]
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            clock,
            last_sweep: Arc::default(),
            starving: Arc::default(),
            starving_turn: Arc::default(),
        }
    }

    /// Whether the dead-letter sweep of expired last attempts is due at `now`
    /// (and if so, records that it ran).
    fn sweep_due(&self, now: DateTime<Utc>) -> bool {
        let mut last = self
            .last_sweep
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let due = last.is_none_or(|t| now < t || now - t >= Duration::seconds(1));
        if due {
            *last = Some(now);
        }
        due
    }

    fn conn(&self) -> &DatabaseConnection {
        self.db.connection()
    }

    fn backend(&self) -> DbBackend {
        self.db.backend()
    }

    fn now(&self) -> DateTime<Utc> {
        micros(self.clock.now())
    }

    async fn exec(&self, sql: &str, values: Vec<Value>) -> Result<u64, StoreError> {
        self.conn()
            .execute_raw(stmt(self.backend(), sql, values))
            .await
            .map(|r| r.rows_affected())
            .map_err(internal)
    }

    async fn query(&self, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>, StoreError> {
        self.conn()
            .query_all_raw(stmt(self.backend(), sql, values))
            .await
            .map_err(internal)
    }

    /// Runs an update guarded by `id` and `lease`. A lease is set only by a
    /// claim and cleared by every way out of `running`, so it stands for the
    /// running status; naming the status too would let PostgreSQL pick a partial
    /// index of the pending jobs over the primary key when its statistics are
    /// stale (during a burst), scanning thousands of entries per update.
    async fn with_lease(
        &self,
        set: &str,
        id: JobId,
        lease: &str,
        mut values: Vec<Value>,
    ) -> Result<(), StoreError> {
        let mut all: Vec<Value> = vec![id.as_uuid().into(), lease.to_owned().into()];
        all.append(&mut values);
        let sql = format!("UPDATE jobs SET {set} WHERE id = $1 AND lease = $2");
        match self.exec(&sql, all).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    /// The claim of up to `limit` jobs. The limit is written into the SQL (one
    /// prepared statement per limit, at most the worker's concurrency): with a
    /// bound `LIMIT $n` PostgreSQL's generic plan assumes a tenth of the table is
    /// wanted and reads every pending job through a bitmap scan and a sort, so
    /// each claim cost O(backlog); with a literal it walks `jobs_pending_claim`
    /// in order and stops after `limit` rows. Higher priorities first (a lower
    /// rank), then the oldest.
    ///
    /// `aged`: only queued normal jobs whose time came before `$4` (the ageing
    /// pass; kinds then start at `$5`). An equality on the priority makes
    /// `run_at` a bound of the index walk, so a pass that finds nothing stops
    /// at once instead of reading the whole normal backlog.
    fn claim_sql(&self, kinds: usize, limit: u32, aged: bool) -> String {
        let first_kind = if aged { 5 } else { 4 };
        let kinds = if kinds == 0 {
            String::new()
        } else {
            let marks: Vec<String> = (0..kinds).map(|i| format!("${}", i + first_kind)).collect();
            format!(" AND kind IN ({})", marks.join(", "))
        };
        // $1 now, $2 locked_until, $3 worker, [$4 aged before], then kinds.
        let due = if aged {
            format!(
                "(status = 'queued' AND priority = {} AND run_at <= $4)",
                JobPriority::Normal.rank()
            )
        } else {
            "((status = 'queued' AND run_at <= $1) \
             OR (status = 'running' AND locked_until <= $1 AND attempts < max_attempts))"
                .to_owned()
        };
        match self.backend() {
            DbBackend::Postgres => format!(
                "WITH picked AS (SELECT id FROM jobs WHERE {due}{kinds} \
                 ORDER BY priority, run_at, id LIMIT {limit} FOR UPDATE SKIP LOCKED) \
                 UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, \
                 locked_until = $2, locked_by = $3, lease = gen_random_uuid()::text, updated_at = $1 \
                 FROM picked WHERE jobs.id = picked.id RETURNING {}",
                columns("jobs.")
            ),
            // One statement is atomic on SQLite; writers are serialised.
            _ => format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, \
                 locked_until = $2, locked_by = $3, lease = lower(hex(randomblob(16))), updated_at = $1 \
                 WHERE id IN (SELECT id FROM jobs WHERE {due}{kinds} \
                 ORDER BY priority, run_at, id LIMIT {limit}) \
                 RETURNING {}",
                columns("")
            ),
        }
    }

    async fn tick_one(&self, row: &QueryResult, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let name: String = row.try_get("", "name").map_err(internal)?;
        let expression: String = row.try_get("", "cron").map_err(internal)?;
        let kind: String = row.try_get("", "kind").map_err(internal)?;
        let payload: String = row.try_get("", "payload").map_err(internal)?;
        let tick: DateTime<Utc> = row.try_get("", "next_run_at").map_err(internal)?;
        let schedule = Schedule {
            name,
            cron: expression,
            kind,
            payload: serde_json::from_str(&payload).map_err(|e| {
                StoreError::Internal(format!("a stored schedule payload is not JSON: {e}"))
            })?,
        };
        let next = parse_cron(&schedule)
            .map_err(|e| StoreError::Internal(e.to_string()))
            .and_then(|c| {
                next_tick(&c, now).map_err(|e| {
                    StoreError::Internal(format!(
                        "schedule {:?} has no next tick: {e}",
                        schedule.name
                    ))
                })
            })?;
        let backend = self.backend();
        let txn = self.conn().begin().await.map_err(internal)?;
        // Of several processes seeing the same due tick, one moves it.
        let moved = txn
            .execute_raw(stmt(
                backend,
                "UPDATE job_schedules SET next_run_at = $2, updated_at = $3 \
                 WHERE name = $1 AND next_run_at = $4",
                vec![
                    schedule.name.clone().into(),
                    next.into(),
                    now.into(),
                    tick.into(),
                ],
            ))
            .await
            .map_err(internal)?
            .rows_affected();
        if moved == 0 {
            txn.rollback().await.map_err(internal)?;
            return Ok(false);
        }
        let job = NewJob::new(schedule.kind.clone(), schedule.payload.clone())
            .dedupe_key(schedule.tick_key(tick));
        enqueue_in(&txn, now, &job).await.map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        tracing::info!(
            schedule = %schedule.name,
            tick = %tick.to_rfc3339(),
            next = %next.to_rfc3339(),
            "scheduled job enqueued"
        );
        Ok(true)
    }
}

#[async_trait]
impl JobQueue for SqlJobQueue {
    #[instrument(skip_all, fields(job.kind = %job.kind))]
    async fn enqueue(&self, job: NewJob) -> Result<JobId, StoreError> {
        enqueue_in(self.conn(), self.now(), &job)
            .await
            .map_err(internal)
    }

    #[instrument(skip_all, fields(worker = %worker, limit = limit))]
    async fn claim(
        &self,
        worker: &str,
        kinds: &[String],
        limit: u32,
        visibility: Duration,
    ) -> Result<Vec<Job>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let now = self.now();
        let expired = if !self.sweep_due(now) {
            0
        } else {
            self.exec(
                "UPDATE jobs SET status = 'dead', lease = NULL, locked_until = NULL, \
                 locked_by = NULL, last_error = $2, updated_at = $1 \
                 WHERE status = 'running' AND locked_until <= $1 AND attempts >= max_attempts",
                vec![now.into(), EXPIRED_ON_LAST_ATTEMPT.to_owned().into()],
            )
            .await?
        };
        if expired > 0 {
            tracing::warn!(
                jobs = expired,
                "jobs dead-lettered: their last attempt outran its visibility timeout"
            );
        }
        let values = |aged: Option<DateTime<Utc>>| {
            let mut v: Vec<Value> = vec![
                now.into(),
                micros(now + visibility).into(),
                worker.to_owned().into(),
            ];
            if let Some(before) = aged {
                v.push(before.into());
            }
            v.extend(kinds.iter().map(|k| Value::from(k.clone())));
            v
        };
        let mut jobs = Vec::new();
        // Strict priorities, with ageing: while claims fill up with interactive
        // jobs, a quarter of the slots goes to the oldest overdue others.
        let share = if !self.starving.load(Ordering::Relaxed) {
            0
        } else if limit >= 4 {
            limit / 4
        } else {
            u32::from(
                self.starving_turn
                    .fetch_add(1, Ordering::Relaxed)
                    .is_multiple_of(4),
            )
        };
        if share > 0 {
            let rows = self
                .query(
                    &self.claim_sql(kinds.len(), share, true),
                    values(Some(now - AGED_AFTER)),
                )
                .await?;
            for row in &rows {
                jobs.push(job_from_row(row)?);
            }
        }
        let rest = limit - u32::try_from(jobs.len()).unwrap_or(limit);
        if rest > 0 {
            let rows = self
                .query(&self.claim_sql(kinds.len(), rest, false), values(None))
                .await?;
            let mut all_interactive = true;
            for row in &rows {
                let job = job_from_row(row)?;
                all_interactive &= job.priority == JobPriority::Interactive;
                jobs.push(job);
            }
            self.starving.store(
                all_interactive && rows.len() == rest as usize,
                Ordering::Relaxed,
            );
        }
        jobs.sort_by_key(|j| (j.priority, j.run_at, j.id));
        Ok(jobs)
    }

    #[instrument(skip_all, fields(job.id = %id))]
    async fn complete(&self, id: JobId, lease: &str) -> Result<(), StoreError> {
        self.with_lease(
            "status = 'done', lease = NULL, locked_until = NULL, locked_by = NULL, updated_at = $3",
            id,
            lease,
            vec![self.now().into()],
        )
        .await
    }

    #[instrument(skip_all, fields(jobs = jobs.len()))]
    async fn complete_many(&self, jobs: &[(JobId, String)]) -> Result<Vec<JobId>, StoreError> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        // $1 now, then an (id, lease) pair per job; guarded like `with_lease`.
        let mut values: Vec<Value> = Vec::with_capacity(1 + 2 * jobs.len());
        values.push(self.now().into());
        let mut pairs = Vec::with_capacity(jobs.len());
        for (i, (id, lease)) in jobs.iter().enumerate() {
            pairs.push(format!("(id = ${} AND lease = ${})", 2 * i + 2, 2 * i + 3));
            values.push(id.as_uuid().into());
            values.push(lease.clone().into());
        }
        let sql = format!(
            "UPDATE jobs SET status = 'done', lease = NULL, locked_until = NULL, locked_by = NULL, \
             updated_at = $1 WHERE {} RETURNING id",
            pairs.join(" OR ")
        );
        self.query(&sql, values)
            .await?
            .iter()
            .map(|row| {
                row.try_get::<Uuid>("", "id")
                    .map(JobId::from_uuid)
                    .map_err(internal)
            })
            .collect()
    }

    #[instrument(skip_all, fields(job.id = %id))]
    async fn fail(
        &self,
        id: JobId,
        lease: &str,
        failure: JobFailure,
    ) -> Result<FailureOutcome, StoreError> {
        let now = self.now();
        let row = self
            .query(
                "SELECT attempts, max_attempts FROM jobs WHERE id = $1 AND lease = $2",
                vec![id.as_uuid().into(), lease.to_owned().into()],
            )
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)?;
        let attempts = to_u32(row.try_get("", "attempts").map_err(internal)?);
        let max_attempts = to_u32(row.try_get("", "max_attempts").map_err(internal)?);
        let random = getrandom::u64().unwrap_or(0);
        let outcome = match after_failure(attempts, max_attempts, &failure, now, random) {
            FailureOutcome::Retry { at } => FailureOutcome::Retry { at: micros(at) },
            FailureOutcome::Dead => FailureOutcome::Dead,
        };
        let message = bounded(&failure.message);
        // Guarded by the lease again: if another worker took the job over in
        // between, this changes nothing.
        match outcome {
            FailureOutcome::Retry { at } => {
                self.with_lease(
                    "status = 'queued', run_at = $3, lease = NULL, locked_until = NULL, \
                     locked_by = NULL, last_error = $4, updated_at = $5",
                    id,
                    lease,
                    vec![at.into(), message.into(), now.into()],
                )
                .await?;
            }
            FailureOutcome::Dead => {
                self.with_lease(
                    "status = 'dead', lease = NULL, locked_until = NULL, locked_by = NULL, \
                     last_error = $3, updated_at = $4",
                    id,
                    lease,
                    vec![message.into(), now.into()],
                )
                .await?;
            }
        }
        Ok(outcome)
    }

    #[instrument(skip_all, fields(job.id = %id))]
    async fn release(&self, id: JobId, lease: &str) -> Result<(), StoreError> {
        let now = self.now();
        self.with_lease(
            "status = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
             run_at = $3, lease = NULL, locked_until = NULL, locked_by = NULL, updated_at = $3",
            id,
            lease,
            vec![now.into()],
        )
        .await
    }

    #[instrument(skip_all, fields(job.id = %id))]
    async fn extend(&self, id: JobId, lease: &str, visibility: Duration) -> Result<(), StoreError> {
        let now = self.now();
        self.with_lease(
            "locked_until = $3, updated_at = $4",
            id,
            lease,
            vec![micros(now + visibility).into(), now.into()],
        )
        .await
    }

    async fn get(&self, id: JobId) -> Result<Job, StoreError> {
        let sql = format!("SELECT {} FROM jobs WHERE id = $1", columns(""));
        let rows = self.query(&sql, vec![id.as_uuid().into()]).await?;
        rows.first().map(job_from_row).ok_or(StoreError::NotFound)?
    }

    async fn dead(
        &self,
        tenant: Option<TenantId>,
        page: PageRequest,
    ) -> Result<Page<Job>, StoreError> {
        let count_sql = if tenant.is_some() {
            "SELECT COUNT(*) AS n FROM jobs WHERE status = 'dead' AND tenant_id = $1"
        } else {
            "SELECT COUNT(*) AS n FROM jobs WHERE status = 'dead'"
        };
        let total_rows = self
            .query(
                count_sql,
                tenant.iter().map(|t| t.as_uuid().into()).collect(),
            )
            .await?;
        let total: i64 = match total_rows.first() {
            Some(r) => r.try_get("", "n").map_err(internal)?,
            None => 0,
        };
        let total = u64::try_from(total).unwrap_or(0);
        let (bound, limit, forward) = match page {
            PageRequest::Forward { after, limit } => (after, limit, true),
            PageRequest::Backward { before, limit } => (before, limit, false),
        };
        let (cmp, order) = if forward { (">", "ASC") } else { ("<", "DESC") };
        let mut values: Vec<Value> = vec![
            i64::try_from(limit.saturating_add(1))
                .unwrap_or(i64::MAX)
                .into(),
        ];
        let scope = match tenant {
            Some(t) => {
                values.push(t.as_uuid().into());
                format!(" AND tenant_id = ${}", values.len())
            }
            None => String::new(),
        };
        let filter = match bound {
            Some(b) => {
                values.push(b.into());
                format!(" AND id {cmp} ${}", values.len())
            }
            None => String::new(),
        };
        let sql = format!(
            "SELECT {} FROM jobs WHERE status = 'dead'{scope}{filter} ORDER BY id {order} LIMIT $1",
            columns("")
        );
        let rows = self.query(&sql, values).await?;
        let mut items = rows
            .iter()
            .map(job_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let more = items.len() as u64 > limit;
        items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        if forward {
            Ok(Page {
                items,
                has_next: more,
                has_previous: bound.is_some(),
                total,
            })
        } else {
            items.reverse();
            Ok(Page {
                items,
                has_next: bound.is_some(),
                has_previous: more,
                total,
            })
        }
    }

    #[instrument(skip_all, fields(job.id = %id))]
    async fn redrive(&self, id: JobId) -> Result<Job, StoreError> {
        let now = self.now();
        let moved = self
            .conn()
            .execute_raw(stmt(
                self.backend(),
                "UPDATE jobs SET status = 'queued', attempts = 0, run_at = $2, lease = NULL, \
                 locked_until = NULL, locked_by = NULL, updated_at = $2 \
                 WHERE id = $1 AND status = 'dead'",
                vec![id.as_uuid().into(), now.into()],
            ))
            .await
            .map_err(|e| {
                crate::db::conflict_or_internal(
                    e,
                    "a queued or running job has the same dedupe key",
                )
            })?
            .rows_affected();
        if moved == 0 {
            return Err(StoreError::NotFound);
        }
        tracing::info!(job.id = %id, "dead job redriven");
        self.get(id).await
    }

    async fn stats(&self) -> Result<QueueStats, StoreError> {
        let now = self.now();
        let mut stats = QueueStats::default();
        let rows = self
            .query(
                "SELECT status, COUNT(*) AS n FROM jobs \
                 WHERE status IN ('queued', 'running', 'dead') GROUP BY status",
                Vec::new(),
            )
            .await?;
        for row in rows {
            let status: String = row.try_get("", "status").map_err(internal)?;
            let n = u64::try_from(row.try_get::<i64>("", "n").map_err(internal)?).unwrap_or(0);
            match JobStatus::parse(&status) {
                Some(JobStatus::Queued) => stats.queued = n,
                Some(JobStatus::Running) => stats.running = n,
                Some(JobStatus::Dead) => stats.dead = n,
                _ => {}
            }
        }
        let oldest = self
            .query(
                "SELECT run_at FROM jobs WHERE status = 'queued' AND run_at <= $1 \
                 ORDER BY run_at LIMIT 1",
                vec![now.into()],
            )
            .await?;
        if let Some(row) = oldest.first() {
            let run_at: DateTime<Utc> = row.try_get("", "run_at").map_err(internal)?;
            stats.oldest_queued_age_secs = Some((now - run_at).num_seconds().max(0));
        }
        Ok(stats)
    }

    async fn purge_done(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.exec(
            "DELETE FROM jobs WHERE status = 'done' AND updated_at < $1",
            vec![micros(before).into()],
        )
        .await
    }

    #[instrument(skip_all)]
    async fn register_schedules(&self, schedules: &[Schedule]) -> Result<(), ScheduleError> {
        let now = self.now();
        // Validate everything before storing anything.
        let mut parsed = Vec::with_capacity(schedules.len());
        for s in schedules {
            let cron = parse_cron(s)?;
            let next = next_tick(&cron, now).map_err(|reason| ScheduleError::InvalidCron {
                name: s.name.clone(),
                expression: s.cron.clone(),
                reason,
            })?;
            parsed.push((s, next));
        }
        let backend = self.backend();
        let txn = self.conn().begin().await.map_err(internal)?;
        for (s, next) in parsed {
            let existing = txn
                .query_one_raw(stmt(
                    backend,
                    "SELECT cron FROM job_schedules WHERE name = $1",
                    vec![s.name.clone().into()],
                ))
                .await
                .map_err(internal)?
                .map(|r| r.try_get::<String>("", "cron"))
                .transpose()
                .map_err(internal)?;
            let payload = s.payload.to_string();
            let (sql, values): (&str, Vec<Value>) = match existing {
                Some(cron) if cron == s.cron => (
                    "UPDATE job_schedules SET kind = $2, payload = $3, updated_at = $4 WHERE name = $1",
                    vec![
                        s.name.clone().into(),
                        s.kind.clone().into(),
                        payload.into(),
                        now.into(),
                    ],
                ),
                Some(_) => (
                    "UPDATE job_schedules SET cron = $2, kind = $3, payload = $4, next_run_at = $5, \
                     updated_at = $6 WHERE name = $1",
                    vec![
                        s.name.clone().into(),
                        s.cron.clone().into(),
                        s.kind.clone().into(),
                        payload.into(),
                        next.into(),
                        now.into(),
                    ],
                ),
                // Another process registering at the same time inserts the same
                // definition; either row will do.
                None => (
                    "INSERT INTO job_schedules (name, cron, kind, payload, next_run_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO NOTHING",
                    vec![
                        s.name.clone().into(),
                        s.cron.clone().into(),
                        s.kind.clone().into(),
                        payload.into(),
                        next.into(),
                        now.into(),
                    ],
                ),
            };
            txn.execute_raw(stmt(backend, sql, values))
                .await
                .map_err(internal)?;
        }
        txn.commit().await.map_err(internal)?;
        Ok(())
    }

    async fn tick_schedules(&self) -> Result<u32, StoreError> {
        let now = self.now();
        let due = self
            .query(
                "SELECT name, cron, kind, payload, next_run_at FROM job_schedules \
                 WHERE next_run_at <= $1 ORDER BY name",
                vec![now.into()],
            )
            .await?;
        let mut enqueued = 0;
        for row in &due {
            // One schedule's broken row must not stop the others.
            match self.tick_one(row, now).await {
                Ok(true) => enqueued += 1,
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "a schedule could not be ticked"),
            }
        }
        Ok(enqueued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_jobs_placeholders_follow_its_columns_and_values() {
        // As the statement read when it was written by hand.
        assert_eq!(
            ENQUEUE.as_str(),
            "INSERT INTO jobs (id, kind, tenant_id, payload, status, attempts, max_attempts, \
             run_at, dedupe_key, priority, created_at, updated_at) VALUES ($1, $2, $3, $4, \
             'queued', 0, $5, $6, $7, $9, $8, $8) ON CONFLICT DO NOTHING"
        );
        assert!(new_job_values(12).starts_with("$13, $14, $15, $16, 'queued', 0, $17"));
        let (_, values) = new_job_row(Utc::now(), &NewJob::new("k", serde_json::json!({})));
        assert_eq!(values.len(), 9);
    }

    #[test]
    fn long_failure_messages_are_cut_on_a_character_boundary() {
        let long = "я".repeat(MAX_ERROR_CHARS + 10);
        let cut = bounded(&long);
        assert_eq!(cut.chars().count(), MAX_ERROR_CHARS + 1);
        assert_eq!(bounded("short"), "short");
    }

    #[test]
    fn five_and_six_field_cron_expressions_parse() {
        let at = |cron: &str| {
            let s = Schedule::new("s", cron, "k", serde_json::Value::Null);
            let now = DateTime::parse_from_rfc3339("2026-11-21T10:15:30Z")
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| e.to_string())?;
            let c = parse_cron(&s).map_err(|e| e.to_string())?;
            next_tick(&c, now).map(|t| t.to_rfc3339())
        };
        assert_eq!(at("0 3 * * *").as_deref(), Ok("2026-11-22T03:00:00+00:00"));
        assert_eq!(
            at("*/10 * * * * *").as_deref(),
            Ok("2026-11-21T10:15:40+00:00")
        );
        assert!(at("61 * * * *").is_err());
        assert!(at("not cron").is_err());
    }
}
