//! The points ledger: one transaction per batch. The account row is the lock:
//! every operation on a guest first updates its account with a conditional
//! update (`balance - held >= n` for anything that takes points), so concurrent
//! writers on one guest serialise there and the balance can never go below zero
//! (a CHECK constraint backs the rule). Lots are consumed oldest first under
//! that lock. An idempotency row, inserted first, makes a batch exactly-once.
//! Updates return what they changed (`RETURNING`): a batch reads back nothing it
//! wrote, and a replay reads the stored result in the transaction that found it.

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use domain::identity::StoreError;
use domain::integrations::EventStatus;
use domain::loyalty::ports::{
    Batch, BatchError, BatchOutcome, CheckRecord, Finish, Finished, GuestView, LedgerOp,
    LedgerStore,
};
use domain::loyalty::{
    Account, EntryKind, GrantStatus, Hold, HoldStatus, LedgerEntry, Level, level_for,
};
use domain::money::Points;
use domain::page::{Page, PageRequest};
use domain::{ApiKeyId, CheckId, Ctx, GuestId, HoldId, LedgerEntryId, LevelId, LocationId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::{IdOf, SqlStore, paginate, write_audit};
use crate::db::entities::{
    accounts, checks, guests, holds, idempotency_keys, inbound_events, ledger_entries, lots,
};
use crate::db::internal;

impl IdOf<ledger_entries::Column> for ledger_entries::Model {}

fn store(e: sea_orm::DbErr) -> BatchError {
    BatchError::Store(internal(e))
}

/// A page of a guest's entries, oldest first.
async fn entries_in<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    guest: GuestId,
    page: PageRequest,
) -> Result<Page<LedgerEntry>, StoreError> {
    let q = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(ledger_entries::Column::GuestId.eq(guest.as_uuid()));
    paginate(c, q, ledger_entries::Column::Id, page)
        .await?
        .try_map(to_entry)
}

async fn read_account<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    guest: GuestId,
) -> Result<Account, StoreError> {
    let a = accounts::Entity::find()
        .filter(accounts::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(accounts::Column::GuestId.eq(guest.as_uuid()))
        .one(c)
        .await
        .map_err(internal)?
        .ok_or(StoreError::NotFound)?;
    Ok(Account {
        guest,
        balance: Points::new(a.balance),
        held: Points::new(a.held),
    })
}

/// Changes an account by (balance, held) deltas. With `need` the update only
/// happens when at least that much is available. Returns the account after
/// (from the update's `RETURNING`, no second read), or `Insufficient`.
async fn change_account(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    guest: GuestId,
    balance_delta: i64,
    held_delta: i64,
    need: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Account, BatchError> {
    let mut q = accounts::Entity::update_many()
        .col_expr(
            accounts::Column::Balance,
            Expr::col(accounts::Column::Balance).add(balance_delta),
        )
        .col_expr(
            accounts::Column::Held,
            Expr::col(accounts::Column::Held).add(held_delta),
        )
        .col_expr(accounts::Column::UpdatedAt, Expr::value(now))
        .filter(accounts::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(accounts::Column::GuestId.eq(guest.as_uuid()));
    if let Some(n) = need {
        q = q.filter(
            Expr::col(accounts::Column::Balance)
                .sub(Expr::col(accounts::Column::Held))
                .gte(n),
        );
    }
    let mut stmt = q.into_query();
    stmt.returning(Query::returning().columns([accounts::Column::Balance, accounts::Column::Held]));
    let rows = txn.query_all(&stmt).await.map_err(store)?;
    let [row] = rows.as_slice() else {
        let current = read_account(txn, ctx, guest).await?;
        return Err(BatchError::Insufficient {
            guest,
            available: current.available().get(),
        });
    };
    let get = |c: &str| row.try_get::<i64>("", c).map_err(store);
    Ok(Account {
        guest,
        balance: Points::new(get("balance")?),
        held: Points::new(get("held")?),
    })
}

#[allow(clippy::too_many_arguments)]
async fn write_entry(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    account: &Account,
    kind: EntryKind,
    amount: i64,
    held_delta: i64,
    refs: (Option<CheckId>, Option<HoldId>),
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<LedgerEntry, BatchError> {
    let entry = LedgerEntry {
        id: LedgerEntryId::new(),
        guest: account.guest,
        kind,
        amount,
        held_delta,
        balance_after: account.balance.get(),
        check: refs.0,
        hold: refs.1,
        reason,
        actor: ctx.actor().user_id(),
        api_key: ctx.actor().api_key_id(),
        created_at: now,
    };
    ledger_entries::Entity::insert(ledger_entries::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        id: Set(entry.id.as_uuid()),
        guest_id: Set(entry.guest.as_uuid()),
        kind: Set(kind.as_str().to_owned()),
        amount: Set(amount),
        held_delta: Set(held_delta),
        balance_after: Set(entry.balance_after),
        check_id: Set(entry.check.map(|c| c.as_uuid())),
        hold_id: Set(entry.hold.map(|h| h.as_uuid())),
        reason: Set(entry.reason.clone()),
        actor_id: Set(entry.actor.map(|u| u.as_uuid())),
        api_key_id: Set(entry.api_key.map(|k| k.as_uuid())),
        created_at: Set(now),
    })
    .exec_without_returning(txn)
    .await
    .map_err(store)?;
    Ok(entry)
}

/// Takes `amount` from the guest's open lots, oldest first (only lots expired by
/// `expired_by`, when given).
async fn consume_lots(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    guest: GuestId,
    amount: i64,
    expired_by: Option<DateTime<Utc>>,
) -> Result<(), BatchError> {
    let mut q = lots::Entity::find()
        .filter(lots::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(lots::Column::GuestId.eq(guest.as_uuid()))
        .filter(lots::Column::Remaining.gt(0));
    if let Some(t) = expired_by {
        q = q.filter(lots::Column::ExpiresAt.lte(t));
    }
    let open = q
        .order_by_asc(lots::Column::CreatedAt)
        .order_by_asc(lots::Column::Id)
        .all(txn)
        .await
        .map_err(store)?;
    let mut left = amount;
    for lot in open {
        if left == 0 {
            break;
        }
        let take = std::cmp::min(left, lot.remaining);
        lots::Entity::update_many()
            .col_expr(
                lots::Column::Remaining,
                Expr::col(lots::Column::Remaining).sub(take),
            )
            .filter(lots::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(lots::Column::Id.eq(lot.id))
            .exec(txn)
            .await
            .map_err(store)?;
        left -= take;
    }
    if left > 0 {
        return Err(BatchError::Store(StoreError::Internal(format!(
            "lots of guest {guest} hold {} points less than the balance",
            left
        ))));
    }
    Ok(())
}

fn keep(outcome: &mut BatchOutcome, account: Account) {
    outcome.accounts.retain(|a| a.guest != account.guest);
    outcome.accounts.push(account);
}

/// Makes sure the outcome reports the guest's account: one an earlier operation
/// of the batch changed is current (its update locked the row until commit),
/// else it is read.
async fn report_account(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    guest: GuestId,
    out: &mut BatchOutcome,
) -> Result<(), BatchError> {
    if !out.accounts.iter().any(|a| a.guest == guest) {
        keep(out, read_account(txn, ctx, guest).await?);
    }
    Ok(())
}

/// Moves a pending hold to `status` and returns its guest and amount; `None`
/// if it was not pending (or is not here).
async fn resolve_hold(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    id: HoldId,
    status: HoldStatus,
    now: DateTime<Utc>,
) -> Result<Option<(GuestId, i64)>, BatchError> {
    let mut stmt = holds::Entity::update_many()
        .col_expr(holds::Column::Status, Expr::value(status.as_str()))
        .col_expr(holds::Column::ResolvedAt, Expr::value(Some(now)))
        .filter(holds::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(holds::Column::Id.eq(id.as_uuid()))
        .filter(holds::Column::Status.eq(HoldStatus::Pending.as_str()))
        .into_query();
    stmt.returning(Query::returning().columns([holds::Column::GuestId, holds::Column::Amount]));
    let rows = txn.query_all(&stmt).await.map_err(store)?;
    let [row] = rows.as_slice() else {
        return Ok(None);
    };
    let guest: Uuid = row.try_get("", "guest_id").map_err(store)?;
    let amount: i64 = row.try_get("", "amount").map_err(store)?;
    Ok(Some((GuestId::from_uuid(guest), amount)))
}

fn upgraded(levels: &[Level], current: Option<Uuid>, spend: i64) -> Option<LevelId> {
    let target = level_for(levels, spend);
    let current_level = current.and_then(|c| levels.iter().find(|l| l.id.as_uuid() == c));
    match (current_level, target) {
        (Some(cur), Some(t)) if t.threshold_minor > cur.threshold_minor => Some(t.id),
        (Some(cur), _) => Some(cur.id),
        (None, t) => t.map(|t| t.id),
    }
}

async fn apply_op(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    op: LedgerOp,
    out: &mut BatchOutcome,
) -> Result<(), BatchError> {
    let now = out.at;
    let t = ctx.tenant().as_uuid();
    match op {
        LedgerOp::RecordCheck(c) => {
            checks::Entity::insert(checks::ActiveModel {
                tenant_id: Set(t),
                id: Set(c.id.as_uuid()),
                guest_id: Set(c.guest.as_uuid()),
                location_id: Set(c.location.as_uuid()),
                source: Set(c.source),
                external_id: Set(c.external_id),
                total_minor: Set(c.total_minor),
                paid_minor: Set(c.paid_minor),
                redeemed: Set(c.redeemed),
                earned: Set(c.earned),
                reversed: Set(false),
                created_at: Set(c.created_at),
            })
            .exec_without_returning(txn)
            .await
            .map_err(store)?;
        }
        LedgerOp::Credit {
            guest,
            amount,
            kind,
            expires_at,
            check,
            reason,
        } => {
            let account = change_account(txn, ctx, guest, amount, 0, None, now).await?;
            let entry = write_entry(
                txn,
                ctx,
                &account,
                kind,
                amount,
                0,
                (check, None),
                reason,
                now,
            )
            .await?;
            lots::Entity::insert(lots::ActiveModel {
                tenant_id: Set(t),
                id: Set(Uuid::now_v7()),
                guest_id: Set(guest.as_uuid()),
                entry_id: Set(entry.id.as_uuid()),
                initial: Set(amount),
                remaining: Set(amount),
                expires_at: Set(expires_at),
                created_at: Set(now),
            })
            .exec_without_returning(txn)
            .await
            .map_err(store)?;
            out.entries.push(entry);
            keep(out, account);
        }
        LedgerOp::Debit {
            guest,
            amount,
            kind,
            check,
            reason,
        } => {
            let account = change_account(txn, ctx, guest, -amount, 0, Some(amount), now).await?;
            consume_lots(txn, ctx, guest, amount, None).await?;
            out.entries.push(
                write_entry(
                    txn,
                    ctx,
                    &account,
                    kind,
                    -amount,
                    0,
                    (check, None),
                    reason,
                    now,
                )
                .await?,
            );
            keep(out, account);
        }
        LedgerOp::PlaceHold(h) => {
            let amount = h.amount.get();
            let account = change_account(txn, ctx, h.guest, 0, amount, Some(amount), now).await?;
            holds::Entity::insert(holds::ActiveModel {
                tenant_id: Set(t),
                id: Set(h.id.as_uuid()),
                guest_id: Set(h.guest.as_uuid()),
                amount: Set(amount),
                status: Set(HoldStatus::Pending.as_str().to_owned()),
                expires_at: Set(h.expires_at),
                created_at: Set(h.created_at),
                resolved_at: Set(None),
            })
            .exec_without_returning(txn)
            .await
            .map_err(store)?;
            out.entries.push(
                write_entry(
                    txn,
                    ctx,
                    &account,
                    EntryKind::Hold,
                    0,
                    amount,
                    (None, Some(h.id)),
                    None,
                    now,
                )
                .await?,
            );
            keep(out, account);
        }
        LedgerOp::CaptureHold { hold, check } => {
            let Some((guest, amount)) =
                resolve_hold(txn, ctx, hold, HoldStatus::Captured, now).await?
            else {
                return Err(BatchError::HoldNotPending(hold));
            };
            let account = change_account(txn, ctx, guest, -amount, -amount, None, now).await?;
            consume_lots(txn, ctx, guest, amount, None).await?;
            out.entries.push(
                write_entry(
                    txn,
                    ctx,
                    &account,
                    EntryKind::HoldCapture,
                    -amount,
                    -amount,
                    (check, Some(hold)),
                    None,
                    now,
                )
                .await?,
            );
            keep(out, account);
        }
        LedgerOp::ReleaseHold { hold, status } => {
            let Some((guest, amount)) = resolve_hold(txn, ctx, hold, status, now).await? else {
                return Err(BatchError::HoldNotPending(hold));
            };
            let account = change_account(txn, ctx, guest, 0, -amount, None, now).await?;
            let reason = (status == HoldStatus::Expired).then(|| "expired".to_owned());
            out.entries.push(
                write_entry(
                    txn,
                    ctx,
                    &account,
                    EntryKind::HoldVoid,
                    0,
                    -amount,
                    (None, Some(hold)),
                    reason,
                    now,
                )
                .await?,
            );
            keep(out, account);
        }
        LedgerOp::AddSpend {
            guest,
            paid_minor,
            levels,
            rolling_since,
            visit,
        } => {
            // The spend and level after the update come back with it (no second read).
            let mut update = guests::Entity::update_many().col_expr(
                guests::Column::LifetimeSpendMinor,
                Expr::col(guests::Column::LifetimeSpendMinor).add(paid_minor),
            );
            if let Some(at) = visit {
                // Whole microseconds: what PostgreSQL keeps, and what a search
                // cursor carries.
                update = update.col_expr(
                    guests::Column::LastVisitAt,
                    Expr::value(Some(at.trunc_subsecs(6))),
                );
            }
            let mut stmt = update
                .filter(guests::Column::TenantId.eq(t))
                .filter(guests::Column::Id.eq(guest.as_uuid()))
                .into_query();
            stmt.returning(
                Query::returning()
                    .columns([guests::Column::LevelId, guests::Column::LifetimeSpendMinor]),
            );
            let rows = txn.query_all(&stmt).await.map_err(store)?;
            let [row] = rows.as_slice() else {
                return Err(BatchError::Store(StoreError::NotFound));
            };
            let current: Option<Uuid> = row.try_get("", "level_id").map_err(store)?;
            let lifetime: i64 = row.try_get("", "lifetime_spend_minor").map_err(store)?;
            let mut level = current;
            if let Some(levels) = levels {
                let spend = match rolling_since {
                    Some(since) => spend_since(txn, ctx, guest, since).await?,
                    None => lifetime,
                };
                level = upgraded(&levels, current, spend).map(|l| l.as_uuid());
                if level != current {
                    guests::Entity::update_many()
                        .col_expr(guests::Column::LevelId, Expr::value(level))
                        .filter(guests::Column::TenantId.eq(t))
                        .filter(guests::Column::Id.eq(guest.as_uuid()))
                        .exec(txn)
                        .await
                        .map_err(store)?;
                }
            }
            out.levels.retain(|(g, _)| *g != guest);
            out.levels.push((guest, level.map(LevelId::from_uuid)));
            // A check that neither redeems nor earns still reports the balance.
            report_account(txn, ctx, guest, out).await?;
        }
        LedgerOp::MarkReversed(check) => {
            let res = checks::Entity::update_many()
                .col_expr(checks::Column::Reversed, Expr::value(true))
                .filter(checks::Column::TenantId.eq(t))
                .filter(checks::Column::Id.eq(check.as_uuid()))
                .filter(checks::Column::Reversed.eq(false))
                .exec(txn)
                .await
                .map_err(store)?;
            if res.rows_affected != 1 {
                return Err(BatchError::AlreadyReversed(check));
            }
        }
        LedgerOp::SettleInboundEvent { event, check } => {
            inbound_events::Entity::update_many()
                .col_expr(
                    inbound_events::Column::Status,
                    Expr::value(EventStatus::Processed.as_str()),
                )
                .col_expr(inbound_events::Column::Error, Expr::value(None::<String>))
                .col_expr(
                    inbound_events::Column::CheckId,
                    Expr::value(Some(check.as_uuid())),
                )
                .col_expr(inbound_events::Column::ProcessedAt, Expr::value(Some(now)))
                .filter(inbound_events::Column::TenantId.eq(t))
                .filter(inbound_events::Column::Id.eq(event.as_uuid()))
                .filter(inbound_events::Column::Status.eq(EventStatus::Pending.as_str()))
                .exec(txn)
                .await
                .map_err(store)?;
        }
        LedgerOp::SetLevel { guest, level } => {
            guests::Entity::update_many()
                .col_expr(
                    guests::Column::LevelId,
                    Expr::value(level.map(|l| l.as_uuid())),
                )
                .filter(guests::Column::TenantId.eq(t))
                .filter(guests::Column::Id.eq(guest.as_uuid()))
                .exec(txn)
                .await
                .map_err(store)?;
            out.levels.retain(|(g, _)| *g != guest);
            out.levels.push((guest, level));
            report_account(txn, ctx, guest, out).await?;
        }
        LedgerOp::MergeGuests { source, target } => {
            merge_guests(txn, ctx, source, target, out).await?
        }
        LedgerOp::GrantPromotion(g) => {
            let status = super::promotions::record_grant(txn, ctx, &g, now)
                .await
                .map_err(store)?;
            if status == GrantStatus::Granted {
                let reason = Some(format!("promotion: {}", g.name));
                for (guest, amount) in g.credits.iter().copied().filter(|(_, a)| *a > 0) {
                    let account = change_account(txn, ctx, guest, amount, 0, None, now).await?;
                    let entry = write_entry(
                        txn,
                        ctx,
                        &account,
                        EntryKind::PromotionBonus,
                        amount,
                        0,
                        (g.check, None),
                        reason.clone(),
                        now,
                    )
                    .await?;
                    lots::Entity::insert(lots::ActiveModel {
                        tenant_id: Set(t),
                        id: Set(Uuid::now_v7()),
                        guest_id: Set(guest.as_uuid()),
                        entry_id: Set(entry.id.as_uuid()),
                        initial: Set(amount),
                        remaining: Set(amount),
                        expires_at: Set(g.expires_at),
                        created_at: Set(now),
                    })
                    .exec_without_returning(txn)
                    .await
                    .map_err(store)?;
                    out.entries.push(entry);
                    keep(out, account);
                }
            }
            out.grants.push((g.promotion, g.once_key, status));
        }
        LedgerOp::ExpireLots { guest, now: at } => {
            // Lock the account first, then look at the lots.
            let current = change_account(txn, ctx, guest, 0, 0, None, now).await?;
            let expired: i64 = lots::Entity::find()
                .filter(lots::Column::TenantId.eq(t))
                .filter(lots::Column::GuestId.eq(guest.as_uuid()))
                .filter(lots::Column::Remaining.gt(0))
                .filter(lots::Column::ExpiresAt.lte(at))
                .all(txn)
                .await
                .map_err(store)?
                .iter()
                .map(|l| l.remaining)
                .sum();
            let amount = std::cmp::min(expired, current.available().get());
            if amount > 0 {
                let account =
                    change_account(txn, ctx, guest, -amount, 0, Some(amount), now).await?;
                consume_lots(txn, ctx, guest, amount, Some(at)).await?;
                out.entries.push(
                    write_entry(
                        txn,
                        ctx,
                        &account,
                        EntryKind::Expiry,
                        -amount,
                        0,
                        (None, None),
                        None,
                        now,
                    )
                    .await?,
                );
                keep(out, account);
            } else {
                keep(out, current);
            }
        }
    }
    Ok(())
}

async fn merge_guests(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    source: GuestId,
    target: GuestId,
    out: &mut BatchOutcome,
) -> Result<(), BatchError> {
    let now = out.at;
    let t = ctx.tenant().as_uuid();
    // Lock both accounts in a fixed order (by id) so concurrent merges cannot deadlock.
    for g in if source < target {
        [source, target]
    } else {
        [target, source]
    } {
        change_account(txn, ctx, g, 0, 0, None, now).await?;
    }
    let src = read_account(txn, ctx, source).await?;
    if src.held.get() > 0 {
        return Err(BatchError::PendingHolds(source));
    }
    let amount = src.balance.get();
    if amount > 0 {
        let from = change_account(txn, ctx, source, -amount, 0, None, now).await?;
        let reason_out = Some(format!("merged into {target}"));
        out.entries.push(
            write_entry(
                txn,
                ctx,
                &from,
                EntryKind::Adjustment,
                -amount,
                0,
                (None, None),
                reason_out,
                now,
            )
            .await?,
        );
        let to = change_account(txn, ctx, target, amount, 0, None, now).await?;
        let reason_in = Some(format!("merged from {source}"));
        let entry = write_entry(
            txn,
            ctx,
            &to,
            EntryKind::Adjustment,
            amount,
            0,
            (None, None),
            reason_in,
            now,
        )
        .await?;
        // Each open lot moves whole: same age and expiry, so FIFO and expiry stay exact.
        let open = lots::Entity::find()
            .filter(lots::Column::TenantId.eq(t))
            .filter(lots::Column::GuestId.eq(source.as_uuid()))
            .filter(lots::Column::Remaining.gt(0))
            .all(txn)
            .await
            .map_err(store)?;
        for lot in open {
            lots::Entity::insert(lots::ActiveModel {
                tenant_id: Set(t),
                id: Set(Uuid::now_v7()),
                guest_id: Set(target.as_uuid()),
                entry_id: Set(entry.id.as_uuid()),
                initial: Set(lot.remaining),
                remaining: Set(lot.remaining),
                expires_at: Set(lot.expires_at),
                created_at: Set(lot.created_at),
            })
            .exec_without_returning(txn)
            .await
            .map_err(store)?;
            lots::Entity::update_many()
                .col_expr(lots::Column::Remaining, Expr::value(0_i64))
                .filter(lots::Column::TenantId.eq(t))
                .filter(lots::Column::Id.eq(lot.id))
                .exec(txn)
                .await
                .map_err(store)?;
        }
        out.entries.push(entry);
        keep(out, from);
        keep(out, to);
    }
    checks::Entity::update_many()
        .col_expr(checks::Column::GuestId, Expr::value(target.as_uuid()))
        .filter(checks::Column::TenantId.eq(t))
        .filter(checks::Column::GuestId.eq(source.as_uuid()))
        .exec(txn)
        .await
        .map_err(store)?;
    let find = |g: GuestId| {
        guests::Entity::find()
            .filter(guests::Column::TenantId.eq(t))
            .filter(guests::Column::Id.eq(g.as_uuid()))
            .one(txn)
    };
    let s = find(source)
        .await
        .map_err(store)?
        .ok_or(BatchError::Store(StoreError::NotFound))?;
    let d = find(target)
        .await
        .map_err(store)?
        .ok_or(BatchError::Store(StoreError::NotFound))?;
    // Anonymise the source first so its phone and Telegram id are free to move.
    guests::Entity::update_many()
        .col_expr(guests::Column::Phone, Expr::value(Option::<String>::None))
        .col_expr(
            guests::Column::PhoneRev,
            Expr::value(Option::<String>::None),
        )
        .col_expr(guests::Column::Name, Expr::value(Option::<String>::None))
        .col_expr(
            guests::Column::NameLower,
            Expr::value(Option::<String>::None),
        )
        .col_expr(guests::Column::Email, Expr::value(Option::<String>::None))
        .col_expr(
            guests::Column::Birthday,
            Expr::value(Option::<chrono::NaiveDate>::None),
        )
        .col_expr(guests::Column::TelegramId, Expr::value(Option::<i64>::None))
        .col_expr(guests::Column::MarketingConsent, Expr::value(false))
        .col_expr(guests::Column::LifetimeSpendMinor, Expr::value(0_i64))
        .col_expr(
            guests::Column::LastVisitAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(guests::Column::Forgotten, Expr::value(true))
        .filter(guests::Column::TenantId.eq(t))
        .filter(guests::Column::Id.eq(source.as_uuid()))
        .exec(txn)
        .await
        .map_err(store)?;
    let merged_name = d.name_lower.clone().or_else(|| s.name_lower.clone());
    super::guests::write_name_words(txn, t, source.as_uuid(), None)
        .await
        .map_err(BatchError::Store)?;
    super::guests::write_name_words(txn, t, target.as_uuid(), merged_name.as_deref())
        .await
        .map_err(BatchError::Store)?;
    let keep_or = |mine: Option<String>, theirs: Option<String>| mine.or(theirs);
    let (phone, phone_rev) = if d.phone.is_some() {
        (d.phone, d.phone_rev)
    } else {
        (s.phone, s.phone_rev)
    };
    guests::Entity::update_many()
        .col_expr(guests::Column::Phone, Expr::value(phone))
        .col_expr(guests::Column::PhoneRev, Expr::value(phone_rev))
        .col_expr(
            guests::Column::NameLower,
            Expr::value(keep_or(d.name_lower, s.name_lower)),
        )
        .col_expr(guests::Column::Name, Expr::value(keep_or(d.name, s.name)))
        .col_expr(
            guests::Column::Email,
            Expr::value(keep_or(d.email, s.email)),
        )
        .col_expr(
            guests::Column::Birthday,
            Expr::value(d.birthday.or(s.birthday)),
        )
        .col_expr(
            guests::Column::TelegramId,
            Expr::value(d.telegram_id.or(s.telegram_id)),
        )
        .col_expr(
            guests::Column::LifetimeSpendMinor,
            Expr::value(d.lifetime_spend_minor + s.lifetime_spend_minor),
        )
        // The source's checks are the target's now: so is its latest visit.
        .col_expr(
            guests::Column::LastVisitAt,
            Expr::value(std::cmp::Ord::max(d.last_visit_at, s.last_visit_at)),
        )
        .filter(guests::Column::TenantId.eq(t))
        .filter(guests::Column::Id.eq(target.as_uuid()))
        .exec(txn)
        .await
        .map_err(store)?;
    Ok(())
}

async fn spend_since<C: ConnectionTrait>(
    c: &C,
    ctx: &Ctx,
    guest: GuestId,
    since: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let rows = checks::Entity::find()
        .select_only()
        .column(checks::Column::PaidMinor)
        .filter(checks::Column::TenantId.eq(ctx.tenant().as_uuid()))
        .filter(checks::Column::GuestId.eq(guest.as_uuid()))
        .filter(checks::Column::Reversed.eq(false))
        .filter(checks::Column::CreatedAt.gte(since))
        .into_tuple::<i64>()
        .all(c)
        .await
        .map_err(internal)?;
    Ok(rows.iter().sum())
}

fn to_entry(m: ledger_entries::Model) -> Result<LedgerEntry, StoreError> {
    Ok(LedgerEntry {
        id: LedgerEntryId::from_uuid(m.id),
        guest: GuestId::from_uuid(m.guest_id),
        kind: EntryKind::parse(&m.kind)
            .ok_or_else(|| StoreError::Internal(format!("unknown entry kind {}", m.kind)))?,
        amount: m.amount,
        held_delta: m.held_delta,
        balance_after: m.balance_after,
        check: m.check_id.map(CheckId::from_uuid),
        hold: m.hold_id.map(HoldId::from_uuid),
        reason: m.reason,
        actor: m.actor_id.map(UserId::from_uuid),
        api_key: m.api_key_id.map(ApiKeyId::from_uuid),
        created_at: m.created_at,
    })
}

fn to_hold(m: holds::Model) -> Result<Hold, StoreError> {
    Ok(Hold {
        id: HoldId::from_uuid(m.id),
        guest: GuestId::from_uuid(m.guest_id),
        amount: Points::new(m.amount),
        status: HoldStatus::parse(&m.status)
            .ok_or_else(|| StoreError::Internal(format!("unknown hold status {}", m.status)))?,
        expires_at: m.expires_at,
        created_at: m.created_at,
    })
}

impl SqlStore {
    async fn claim(
        &self,
        txn: &DatabaseTransaction,
        ctx: &Ctx,
        batch: &Batch,
    ) -> Result<bool, sea_orm::DbErr> {
        let Some(k) = &batch.idempotency else {
            return Ok(true);
        };
        let res = idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            scope: Set(k.scope.clone()),
            key: Set(k.key.clone()),
            fingerprint: Set(k.fingerprint.clone()),
            result: Set(None),
            created_at: Set(self.now()),
        })
        .on_conflict(
            OnConflict::columns([
                idempotency_keys::Column::TenantId,
                idempotency_keys::Column::Scope,
                idempotency_keys::Column::Key,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        Ok(res == 1)
    }

    /// The first request's answer for a key already claimed, read in the
    /// transaction whose claim found it (on PostgreSQL the claim waited for the
    /// other transaction, and the next statement sees what it committed).
    async fn replay(
        txn: &DatabaseTransaction,
        ctx: &Ctx,
        batch: &Batch,
    ) -> Result<BatchError, StoreError> {
        let Some(k) = &batch.idempotency else {
            return Err(StoreError::Internal("replay without a key".into()));
        };
        let row = idempotency_keys::Entity::find()
            .filter(idempotency_keys::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(idempotency_keys::Column::Scope.eq(k.scope.as_str()))
            .filter(idempotency_keys::Column::Key.eq(k.key.as_str()))
            .one(txn)
            .await
            .map_err(internal)?
            .ok_or_else(|| StoreError::Internal("idempotency key vanished".into()))?;
        let result = row
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or(serde_json::Value::Null);
        Ok(BatchError::Duplicate {
            same: row.fingerprint == k.fingerprint,
            result,
        })
    }
}

#[async_trait]
impl LedgerStore for SqlStore {
    async fn apply(
        &self,
        ctx: &Ctx,
        batch: Batch,
        finish: Finish<'_>,
    ) -> Result<serde_json::Value, BatchError> {
        let txn = self.db.tenant_tx(ctx).await?;
        // On PostgreSQL a concurrent claim of the same key waits here for the
        // first transaction, then sees the conflict: exactly one batch applies.
        if !self.claim(&txn, ctx, &batch).await.map_err(store)? {
            let replayed = Self::replay(&txn, ctx, &batch).await;
            txn.rollback().await.map_err(store)?;
            return Err(replayed?);
        }
        let mut out = BatchOutcome {
            at: self.now(),
            ..BatchOutcome::default()
        };
        let ops = batch.ops.clone();
        for op in ops {
            if let Err(e) = apply_op(&txn, ctx, op, &mut out).await {
                txn.rollback().await.map_err(store)?;
                return Err(e);
            }
        }
        write_audit(&txn, ctx, batch.audit.clone(), out.at).await?;
        let Finished { result, outbox } = finish(&out);
        // The batch's durable events: they exist iff the batch commits.
        for job in &outbox {
            crate::jobs::enqueue_in(&txn, out.at, job)
                .await
                .map_err(store)?;
        }
        if let Some(k) = &batch.idempotency {
            idempotency_keys::Entity::update_many()
                .col_expr(
                    idempotency_keys::Column::Result,
                    Expr::value(Some(result.to_string())),
                )
                .filter(idempotency_keys::Column::TenantId.eq(ctx.tenant().as_uuid()))
                .filter(idempotency_keys::Column::Scope.eq(k.scope.as_str()))
                .filter(idempotency_keys::Column::Key.eq(k.key.as_str()))
                .exec(&txn)
                .await
                .map_err(store)?;
        }
        txn.commit().await.map_err(store)?;
        Ok(result)
    }

    async fn idempotent_result(
        &self,
        ctx: &Ctx,
        scope: &str,
        key: &str,
    ) -> Result<Option<(String, serde_json::Value)>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = idempotency_keys::Entity::find()
            .filter(idempotency_keys::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(idempotency_keys::Column::Scope.eq(scope))
            .filter(idempotency_keys::Column::Key.eq(key))
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(row.and_then(|r| {
            let result = serde_json::from_str(r.result.as_deref()?).ok()?;
            Some((r.fingerprint, result))
        }))
    }

    async fn account(&self, ctx: &Ctx, guest: GuestId) -> Result<Account, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let a = read_account(&txn, ctx, guest).await;
        txn.commit().await.map_err(internal)?;
        a
    }

    async fn guest_view(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        ledger: Option<PageRequest>,
    ) -> Result<GuestView, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let row = guests::Entity::find()
            .filter(guests::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(guests::Column::Id.eq(guest.as_uuid()))
            .one(&txn)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)?;
        let account = read_account(&txn, ctx, guest).await?;
        let ledger = match ledger {
            Some(page) => Some(entries_in(&txn, ctx, guest, page).await?),
            None => None,
        };
        txn.commit().await.map_err(internal)?;
        Ok(GuestView {
            guest: super::guests::to_guest(row)?,
            account,
            ledger,
        })
    }

    async fn entries(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        page: PageRequest,
    ) -> Result<Page<LedgerEntry>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let p = entries_in(&txn, ctx, guest, page).await?;
        txn.commit().await.map_err(internal)?;
        Ok(p)
    }

    async fn check_entries(
        &self,
        ctx: &Ctx,
        check: CheckId,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = ledger_entries::Entity::find()
            .filter(ledger_entries::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(ledger_entries::Column::CheckId.eq(check.as_uuid()))
            .order_by_asc(ledger_entries::Column::Id)
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        rows.into_iter().map(to_entry).collect()
    }

    async fn hold(&self, ctx: &Ctx, id: HoldId) -> Result<Hold, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let h = holds::Entity::find()
            .filter(holds::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(holds::Column::Id.eq(id.as_uuid()))
            .one(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        to_hold(h.ok_or(StoreError::NotFound)?)
    }

    async fn check(&self, ctx: &Ctx, id: CheckId) -> Result<CheckRecord, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let c = checks::Entity::find()
            .filter(checks::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(checks::Column::Id.eq(id.as_uuid()))
            .one(&txn)
            .await
            .map_err(internal)?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await.map_err(internal)?;
        Ok(CheckRecord {
            id,
            guest: GuestId::from_uuid(c.guest_id),
            location: LocationId::from_uuid(c.location_id),
            source: c.source,
            external_id: c.external_id,
            total_minor: c.total_minor,
            paid_minor: c.paid_minor,
            redeemed: c.redeemed,
            earned: c.earned,
            reversed: c.reversed,
            created_at: c.created_at,
        })
    }

    async fn expired_holds(
        &self,
        ctx: &Ctx,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<HoldId>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let ids: Vec<Uuid> = holds::Entity::find()
            .select_only()
            .column(holds::Column::Id)
            .filter(holds::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(holds::Column::Status.eq(HoldStatus::Pending.as_str()))
            .filter(holds::Column::ExpiresAt.lte(now))
            .limit(limit)
            .into_tuple()
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(ids.into_iter().map(HoldId::from_uuid).collect())
    }

    async fn guests_with_expired_lots(
        &self,
        ctx: &Ctx,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<GuestId>, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let ids: Vec<Uuid> = lots::Entity::find()
            .select_only()
            .column(lots::Column::GuestId)
            .distinct()
            .filter(lots::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(lots::Column::Remaining.gt(0))
            .filter(lots::Column::ExpiresAt.lte(now))
            .limit(limit)
            .into_tuple()
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        Ok(ids.into_iter().map(GuestId::from_uuid).collect())
    }

    async fn spend_since(
        &self,
        ctx: &Ctx,
        guest: GuestId,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let txn = self.db.tenant_tx(ctx).await?;
        let s = spend_since(&txn, ctx, guest, since).await;
        txn.commit().await.map_err(internal)?;
        s
    }
}
