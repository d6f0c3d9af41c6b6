//! The live events of ledger transactions: built inside the transaction and
//! written to its outbox, published by this process right after the commit,
//! and by the outbox job only when nobody did (see [`super::events`]).

use super::events::{BatchState, LIVE_WINDOW, LiveBatch, LoyaltyEvent, bus_unreachable};
use super::ports::{BatchOutcome, LedgerOp};
use super::promotions::GrantStatus;
use super::service::LoyaltyService;
use crate::ctx::Ctx;
use crate::ids::{GuestId, TenantId};
use crate::jobs::{Job, JobFailure, NewJob};

/// A transaction's live events, kept from inside it for publishing after it
/// commits.
#[derive(Debug, Clone)]
pub(super) struct Live {
    pub(super) batch: LiveBatch,
    /// Guests whose level the transaction did not know (their spend did not
    /// change): read after the commit, before publishing.
    level_unknown: Vec<GuestId>,
}

impl Live {
    /// An empty batch of `tenant`, at the outcome's time.
    pub(super) fn new(tenant: TenantId, o: &BatchOutcome) -> Self {
        Self {
            batch: LiveBatch::new(tenant, o.at, Vec::new()),
            level_unknown: Vec::new(),
        }
    }

    /// Adds an event.
    pub(super) fn push(&mut self, event: LoyaltyEvent) {
        self.batch.events.push(event);
    }

    /// Adds `guest`'s points and level after the outcome (nothing when the
    /// outcome did not touch their account).
    pub(super) fn guest_changed(&mut self, o: &BatchOutcome, guest: GuestId) {
        let Some(account) = o.accounts.iter().find(|a| a.guest == guest).copied() else {
            return;
        };
        let level = match o.levels.iter().find(|(g, _)| *g == guest) {
            Some((_, level)) => *level,
            None => {
                self.level_unknown.push(guest);
                None
            }
        };
        self.push(LoyaltyEvent::GuestChanged {
            guest,
            account,
            level,
        });
    }

    /// Adds the granted promotions among `ops`: one `PromotionGranted` per
    /// guest credited, and the points of each credited guest but `except`
    /// (whose change the caller adds itself).
    pub(super) fn grants(&mut self, ops: &[LedgerOp], o: &BatchOutcome, except: Option<GuestId>) {
        for op in ops {
            let LedgerOp::GrantPromotion(g) = op else {
                continue;
            };
            if o.grant(g.promotion, &g.once_key) != Some(GrantStatus::Granted) {
                continue;
            }
            for (guest, points) in &g.credits {
                if Some(*guest) != except {
                    self.guest_changed(o, *guest);
                }
                self.push(LoyaltyEvent::PromotionGranted {
                    promotion: g.promotion,
                    guest: *guest,
                    points: *points,
                });
            }
        }
    }

    /// The transaction's outbox `jobs` with this batch added.
    pub(super) fn outbox(&self, mut jobs: Vec<NewJob>) -> Vec<NewJob> {
        self.batch.attach(&mut jobs);
        jobs
    }
}

/// Keeps the last [`Live`] built by a transaction's finish callback (the one
/// of the attempt that committed).
#[derive(Debug, Default)]
pub(super) struct LiveSlot(std::sync::Mutex<Option<Live>>);

impl LiveSlot {
    pub(super) fn keep(&self, live: Live) {
        if let Ok(mut s) = self.0.lock() {
            *s = Some(live);
        }
    }

    pub(super) fn take(&self) -> Option<Live> {
        self.0.lock().ok().and_then(|mut s| s.take())
    }
}

impl LoyaltyService {
    /// Publishes a committed transaction's live events (right after its
    /// commit), with the levels it did not know read now.
    pub(super) async fn publish_committed(&self, ctx: &Ctx, live: Option<Live>) {
        let Some(Live {
            mut batch,
            level_unknown,
        }) = live
        else {
            return;
        };
        if batch.events.is_empty() {
            return;
        }
        for guest in level_unknown {
            let level = self
                .d
                .guests
                .get(ctx, guest)
                .await
                .ok()
                .and_then(|g| g.level_id);
            for e in &mut batch.events {
                if let LoyaltyEvent::GuestChanged {
                    guest: g, level: l, ..
                } = e
                    && *g == guest
                {
                    *l = level;
                }
            }
        }
        self.d.events.publish_batch(batch);
    }

    /// The outbox side of live events: publishes the batch `job` carries
    /// unless it was published (normally by the process that committed it,
    /// right after the commit). A guest's points and level are read again
    /// first, since a later change may have been published meanwhile and
    /// screens must not step back; a guest that cannot be read is left out.
    /// Batches older than [`LIVE_WINDOW`] are left alone.
    ///
    /// # Errors
    /// A malformed batch (permanent); a retry while the bus cannot tell
    /// whether the batch was published, except on the job's last attempt.
    pub async fn publish_live_from_outbox(&self, ctx: &Ctx, job: &Job) -> Result<(), JobFailure> {
        let Some(mut batch) = LiveBatch::from_job(job)? else {
            return Ok(());
        };
        if batch.events.is_empty() || self.d.clock.now() - batch.at > LIVE_WINDOW {
            return Ok(());
        }
        match self.d.events.batch_state(batch.id).await {
            BatchState::Published => return Ok(()),
            BatchState::Unknown => return bus_unreachable(job),
            BatchState::Unpublished => {}
        }
        let mut events = Vec::with_capacity(batch.events.len());
        for e in batch.events {
            match e {
                LoyaltyEvent::GuestChanged { guest, .. } => {
                    let (account, g) = (
                        self.d.ledger.account(ctx, guest).await,
                        self.d.guests.get(ctx, guest).await,
                    );
                    if let (Ok(account), Ok(g)) = (account, g) {
                        events.push(LoyaltyEvent::GuestChanged {
                            guest,
                            account,
                            level: g.level_id,
                        });
                    }
                }
                other => events.push(other),
            }
        }
        batch.events = events;
        match self.d.events.publish_late(batch).await {
            BatchState::Published | BatchState::Unpublished => Ok(()),
            BatchState::Unknown => bus_unreachable(job),
        }
    }
}
