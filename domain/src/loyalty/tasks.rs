//! The loyalty context's background work, run by the durable job queue:
//! recurring sweeps per tenant (hold and point expiry, birthday bonuses, the
//! monthly level review) and the welcome bonus as an outbox job.

use serde_json::json;

use super::errors::LedgerError;
use super::service::LoyaltyService;
use crate::ctx::Ctx;
use crate::ids::GuestId;
use crate::jobs::{NewJob, Schedule};

/// Job kinds of the loyalty context.
pub mod kinds {
    /// A scheduled sweep: fans out one [`TASK`] job per tenant.
    pub const SWEEP: &str = "loyalty.sweep";
    /// One sweep task for one tenant (`{"task": …}`).
    pub const TASK: &str = "loyalty.task";
    /// The welcome bonus of a new guest (`{"guest": …}`), enqueued with the guest.
    pub const WELCOME: &str = "loyalty.welcome";
}

/// A recurring per-tenant task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Release holds past their TTL.
    ExpireHolds,
    /// Expire what is left of expired lots.
    ExpirePoints,
    /// Grant birthday bonuses whose window is open.
    Birthdays,
    /// The monthly level review.
    ReviewLevels,
}

impl Task {
    /// Every task.
    pub const ALL: [Self; 4] = [
        Self::ExpireHolds,
        Self::ExpirePoints,
        Self::Birthdays,
        Self::ReviewLevels,
    ];

    /// Its name in payloads.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ExpireHolds => "expire_holds",
            Self::ExpirePoints => "expire_points",
            Self::Birthdays => "birthdays",
            Self::ReviewLevels => "review_levels",
        }
    }

    /// Parses a name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// When it runs (cron, UTC): holds every minute, points nightly, birthdays
    /// hourly (a business's day starts at different UTC hours; grants are once
    /// a year anyway), levels on the first of the month.
    #[must_use]
    pub const fn cron(self) -> &'static str {
        match self {
            Self::ExpireHolds => "* * * * *",
            Self::ExpirePoints => "10 3 * * *",
            Self::Birthdays => "5 * * * *",
            Self::ReviewLevels => "20 4 1 * *",
        }
    }
}

/// The recurring schedules of the loyalty context.
#[must_use]
pub fn schedules() -> Vec<Schedule> {
    Task::ALL
        .into_iter()
        .map(|t| {
            Schedule::new(
                format!("loyalty.{}", t.as_str()),
                t.cron(),
                kinds::SWEEP,
                json!({ "task": t.as_str() }),
            )
        })
        .collect()
}

/// The per-tenant job of a sweep.
#[must_use]
pub fn task_job(task: Task, ctx: &Ctx, sweep: &str) -> NewJob {
    NewJob::new(kinds::TASK, json!({ "task": task.as_str() }))
        .tenant(ctx.tenant())
        .dedupe_key(format!("{}:{}:{sweep}", task.as_str(), ctx.tenant()))
}

/// The outbox job that makes sure a new guest's welcome bonus is granted.
#[must_use]
pub fn welcome_job(ctx: &Ctx, guest: GuestId) -> NewJob {
    NewJob::new(kinds::WELCOME, json!({ "guest": guest.to_string() }))
        .tenant(ctx.tenant())
        .dedupe_key(format!("welcome:{guest}"))
}

/// Most rounds of one task per run (each round handles a bounded batch).
const MAX_ROUNDS: usize = 1000;

impl LoyaltyService {
    /// Runs one task for the context's tenant until nothing is left. Returns
    /// how many things it changed.
    ///
    /// # Errors
    /// Storage failure (the job is retried; every task is idempotent).
    pub async fn run_task(&self, ctx: &Ctx, task: Task) -> Result<usize, LedgerError> {
        let mut total = 0;
        match task {
            Task::ExpireHolds => {
                for _ in 0..MAX_ROUNDS {
                    let n = self.expire_holds(ctx).await?;
                    total += n;
                    if n == 0 {
                        break;
                    }
                }
            }
            Task::ExpirePoints => {
                for _ in 0..MAX_ROUNDS {
                    let n = self.expire_points(ctx).await?;
                    total += n;
                    if n < 500 {
                        break;
                    }
                }
            }
            Task::Birthdays => total = self.grant_birthday_bonuses(ctx).await?,
            Task::ReviewLevels => total = self.review_levels(ctx).await?,
        }
        Ok(total)
    }

    /// Grants the running welcome bonuses of a guest (idempotent: the outbox
    /// job may run after the inline grant did).
    ///
    /// # Errors
    /// Storage failure; `NotFound` for an unknown guest.
    pub async fn grant_welcome_to(&self, ctx: &Ctx, guest: GuestId) -> Result<(), LedgerError> {
        let g = self.d.guests.get(ctx, guest).await?;
        if g.forgotten {
            return Ok(());
        }
        self.grant_welcome(ctx, &g).await
    }
}
