//! Guests and their accounts (an account row is created with every guest).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::identity::{AuditRecord, StoreError};
use domain::loyalty::ports::{Found, GuestQuery, GuestStore, SearchPosition, SearchTier};
use domain::loyalty::promotions::birthday_key;
use domain::loyalty::values::{CardCode, Phone, QrPayload, Tags};
use domain::loyalty::{Guest, GuestRef};
use domain::page::{Page, PageRequest};
use domain::{Ctx, GuestId, LevelId};
use sea_orm::sea_query::{Expr, NullOrdering, Query, SimpleExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::{SqlStore, write_audit};
use crate::db::entities::{accounts, guest_name_words, guests};
use crate::db::internal;

fn reversed_digits(p: &Phone) -> String {
    p.digits().chars().rev().collect()
}

/// The smallest digit string above every string starting with `prefix` (digits
/// only): `4329` → `433`; none for all nines.
fn digits_upper_bound(prefix: &str) -> Option<String> {
    let mut digits: Vec<u8> = prefix.bytes().collect();
    while let Some(last) = digits.pop() {
        if last < b'9' {
            digits.push(last + 1);
            return String::from_utf8(digits).ok();
        }
    }
    None
}

/// The smallest string above every string starting with `prefix`, byte-wise
/// (UTF-8 byte order is code point order): the last character incremented.
fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = u32::from(last) + 1;
        if (0xD800..=0xDFFF).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

fn conflict(e: sea_orm::DbErr) -> StoreError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(msg)) => {
            let m = msg.to_lowercase();
            StoreError::Conflict(if m.contains("telegram") {
                "telegramId"
            } else if m.contains("card") {
                "cardCode"
            } else if m.contains("qr") {
                "qr"
            } else {
                "phone"
            })
        }
        _ => internal(e),
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Internal(format!("unreadable {what} in storage"))
}

pub(super) fn to_guest(m: guests::Model) -> Result<Guest, StoreError> {
    let tags: Vec<String> = serde_json::from_str(&m.tags).map_err(|_| corrupt("tags"))?;
    Ok(Guest {
        id: GuestId::from_uuid(m.id),
        phone: m
            .phone
            .as_deref()
            .map(|p| Phone::parse(p, "phone"))
            .transpose()
            .map_err(|_| corrupt("phone"))?,
        name: m.name,
        birthday: m.birthday,
        email: m.email,
        telegram_id: m.telegram_id,
        marketing_consent: m.marketing_consent,
        tags: Tags::parse(&tags).map_err(|_| corrupt("tags"))?,
        card_code: CardCode::parse(&m.card_code).map_err(|_| corrupt("card code"))?,
        qr: QrPayload::parse(&m.qr).map_err(|_| corrupt("qr"))?,
        level_id: m.level_id.map(LevelId::from_uuid),
        lifetime_spend_minor: m.lifetime_spend_minor,
        created_at: m.created_at,
        forgotten: m.forgotten,
        referred_by: m.referred_by.map(GuestId::from_uuid),
        last_visit_at: m.last_visit_at,
    })
}

fn row(ctx: &Ctx, g: &Guest) -> guests::ActiveModel {
    guests::ActiveModel {
        tenant_id: Set(ctx.tenant().as_uuid()),
        id: Set(g.id.as_uuid()),
        phone: Set(g.phone.as_ref().map(|p| p.as_e164().to_owned())),
        phone_rev: Set(g.phone.as_ref().map(reversed_digits)),
        name: Set(g.name.clone()),
        name_lower: Set(g.name.as_ref().map(|n| n.to_lowercase())),
        birthday: Set(g.birthday),
        email: Set(g.email.clone()),
        telegram_id: Set(g.telegram_id),
        marketing_consent: Set(g.marketing_consent),
        tags: Set(serde_json::to_string(g.tags.as_slice()).unwrap_or_else(|_| "[]".into())),
        card_code: Set(g.card_code.as_str().to_owned()),
        qr: Set(g.qr.as_str().to_owned()),
        level_id: Set(g.level_id.map(|l| l.as_uuid())),
        lifetime_spend_minor: Set(g.lifetime_spend_minor),
        forgotten: Set(g.forgotten),
        created_at: Set(g.created_at),
        referred_by: Set(g.referred_by.map(|r| r.as_uuid())),
        birthday_md: Set(g
            .birthday
            .map(|b| i16::try_from(birthday_key(b)).unwrap_or(0))),
        // Written by checks only.
        last_visit_at: sea_orm::ActiveValue::NotSet,
    }
}

/// The words of a lower-cased name after its first, each once: a guest is
/// found by the beginning of its name or of one of these.
fn later_words(name_lower: &str) -> Vec<&str> {
    let mut words: Vec<&str> = name_lower
        .split(' ')
        .filter(|w| !w.is_empty())
        .skip(1)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Rewrites the searchable words of a guest's name (none when it has no name
/// or is forgotten), in the caller's transaction.
pub(super) async fn write_name_words<C: ConnectionTrait>(
    conn: &C,
    tenant: Uuid,
    guest: Uuid,
    name_lower: Option<&str>,
) -> Result<(), StoreError> {
    guest_name_words::Entity::delete_many()
        .filter(guest_name_words::Column::TenantId.eq(tenant))
        .filter(guest_name_words::Column::GuestId.eq(guest))
        .exec(conn)
        .await
        .map_err(internal)?;
    let words = name_lower.map(later_words).unwrap_or_default();
    if words.is_empty() {
        return Ok(());
    }
    guest_name_words::Entity::insert_many(words.into_iter().map(|w| {
        guest_name_words::ActiveModel {
            tenant_id: Set(tenant),
            guest_id: Set(guest),
            word: Set(w.to_owned()),
        }
    }))
    .exec_without_returning(conn)
    .await
    .map_err(internal)?;
    Ok(())
}

/// [`write_name_words`] for a guest as it is being stored.
async fn write_words_of<C: ConnectionTrait>(
    conn: &C,
    ctx: &Ctx,
    g: &Guest,
) -> Result<(), StoreError> {
    let name = g
        .name
        .as_ref()
        .filter(|_| !g.forgotten)
        .map(|n| n.to_lowercase());
    write_name_words(
        conn,
        ctx.tenant().as_uuid(),
        g.id.as_uuid(),
        name.as_deref(),
    )
    .await
}

#[async_trait]
impl GuestStore for SqlStore {
    async fn create(
        &self,
        ctx: &Ctx,
        g: &Guest,
        audit: AuditRecord,
        outbox: &[domain::jobs::NewJob],
    ) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        guests::Entity::insert(row(ctx, g))
            .exec_without_returning(&txn)
            .await
            .map_err(conflict)?;
        write_words_of(&txn, ctx, g).await?;
        accounts::Entity::insert(accounts::ActiveModel {
            tenant_id: Set(ctx.tenant().as_uuid()),
            guest_id: Set(g.id.as_uuid()),
            balance: Set(0),
            held: Set(0),
            updated_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(internal)?;
        for job in outbox {
            crate::jobs::enqueue_in(&txn, now, job)
                .await
                .map_err(internal)?;
        }
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn update(
        &self,
        ctx: &Ctx,
        g: &Guest,
        audit: AuditRecord,
        outbox: &[domain::jobs::NewJob],
    ) -> Result<(), StoreError> {
        let now = self.now();
        let txn = self.db.tenant_tx(ctx).await?;
        let res = guests::Entity::update_many()
            .col_expr(
                guests::Column::Phone,
                Expr::value(g.phone.as_ref().map(|p| p.as_e164().to_owned())),
            )
            .col_expr(
                guests::Column::PhoneRev,
                Expr::value(g.phone.as_ref().map(reversed_digits)),
            )
            .col_expr(guests::Column::Name, Expr::value(g.name.clone()))
            .col_expr(
                guests::Column::NameLower,
                Expr::value(g.name.as_ref().map(|n| n.to_lowercase())),
            )
            .col_expr(guests::Column::Birthday, Expr::value(g.birthday))
            .col_expr(
                guests::Column::BirthdayMd,
                Expr::value(
                    g.birthday
                        .map(|b| i16::try_from(birthday_key(b)).unwrap_or(0)),
                ),
            )
            .col_expr(guests::Column::Email, Expr::value(g.email.clone()))
            .col_expr(guests::Column::TelegramId, Expr::value(g.telegram_id))
            .col_expr(
                guests::Column::MarketingConsent,
                Expr::value(g.marketing_consent),
            )
            .col_expr(
                guests::Column::Tags,
                Expr::value(
                    serde_json::to_string(g.tags.as_slice()).unwrap_or_else(|_| "[]".into()),
                ),
            )
            .col_expr(guests::Column::Forgotten, Expr::value(g.forgotten))
            .col_expr(guests::Column::CardCode, Expr::value(g.card_code.as_str()))
            .col_expr(guests::Column::Qr, Expr::value(g.qr.as_str()))
            .filter(guests::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(guests::Column::Id.eq(g.id.as_uuid()))
            .exec(&txn)
            .await
            .map_err(conflict)?;
        if res.rows_affected != 1 {
            return Err(StoreError::NotFound);
        }
        write_words_of(&txn, ctx, g).await?;
        for job in outbox {
            crate::jobs::enqueue_in(&txn, now, job)
                .await
                .map_err(internal)?;
        }
        write_audit(&txn, ctx, audit, now).await?;
        txn.commit().await.map_err(internal)
    }

    async fn get(&self, ctx: &Ctx, id: GuestId) -> Result<Guest, StoreError> {
        self.find(ctx, &GuestRef::Id(id))
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn find(&self, ctx: &Ctx, by: &GuestRef) -> Result<Option<Guest>, StoreError> {
        let q = guests::Entity::find().filter(guests::Column::TenantId.eq(ctx.tenant().as_uuid()));
        let q = match by {
            GuestRef::Id(id) => q.filter(guests::Column::Id.eq(id.as_uuid())),
            GuestRef::Phone(p) => q.filter(guests::Column::Phone.eq(p.as_e164())),
            GuestRef::Card(c) => q.filter(guests::Column::CardCode.eq(c.as_str())),
            GuestRef::Qr(qr) => q.filter(guests::Column::Qr.eq(qr.as_str())),
            GuestRef::Telegram(t) => q.filter(guests::Column::TelegramId.eq(*t)),
        };
        let txn = self.db.tenant_tx(ctx).await?;
        let row = q.one(&txn).await.map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        row.map(to_guest).transpose()
    }

    async fn with_birthday(
        &self,
        ctx: &Ctx,
        keys: &[u16],
        after: Option<GuestId>,
        limit: u64,
    ) -> Result<Vec<Guest>, StoreError> {
        let keys: Vec<i16> = keys.iter().filter_map(|k| i16::try_from(*k).ok()).collect();
        let mut q = guests::Entity::find()
            .filter(guests::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(guests::Column::Forgotten.eq(false))
            .filter(guests::Column::BirthdayMd.is_in(keys));
        if let Some(a) = after {
            q = q.filter(guests::Column::Id.gt(a.as_uuid()));
        }
        let txn = self.db.tenant_tx(ctx).await?;
        let rows = q
            .order_by_asc(guests::Column::Id)
            .limit(limit)
            .all(&txn)
            .await
            .map_err(internal)?;
        txn.commit().await.map_err(internal)?;
        rows.into_iter().map(to_guest).collect()
    }

    async fn search(
        &self,
        ctx: &Ctx,
        query: &GuestQuery,
        page: PageRequest<SearchPosition>,
    ) -> Result<Page<Found>, StoreError> {
        let tiers = &query.tiers;
        let base = guests::Entity::find()
            .filter(guests::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(guests::Column::Forgotten.eq(false));
        let txn = self.db.tenant_tx(ctx).await?;
        // Exact tiers first: one guest at most each, left out of every later tier.
        let mut exact: Vec<Option<guests::Model>> = Vec::with_capacity(tiers.len());
        let mut taken: Vec<Uuid> = Vec::new();
        for tier in tiers {
            let row = match tier {
                SearchTier::Exact(by) => base
                    .clone()
                    .filter(exact_match(by))
                    .one(&txn)
                    .await
                    .map_err(internal)?
                    .filter(|m| !taken.contains(&m.id)),
                _ => None,
            };
            if let Some(m) = &row {
                taken.push(m.id);
            }
            exact.push(row);
        }
        let backend = self.db.backend();
        let tenant = ctx.tenant().as_uuid();
        let ranged = |tier: &SearchTier| {
            let q = matching(base.clone(), tier, tenant, backend);
            if taken.is_empty() {
                q
            } else {
                q.filter(guests::Column::Id.is_not_in(taken.clone()))
            }
        };
        let mut total = 0;
        for (tier, row) in tiers.iter().zip(&exact) {
            total += match tier {
                SearchTier::Exact(_) => u64::from(row.is_some()),
                _ => ranged(tier).count(&txn).await.map_err(internal)?,
            };
        }
        let (forward, bound, limit) = match page {
            PageRequest::Forward { after, limit } => (true, after, limit),
            PageRequest::Backward { before, limit } => (false, before, limit),
        };
        let last = tiers.len().saturating_sub(1);
        let order: Vec<usize> = match (forward, &bound) {
            _ if tiers.is_empty() => Vec::new(),
            (true, b) => (b.as_ref().map_or(0, |b| usize::from(b.tier))..tiers.len()).collect(),
            (false, b) => (0..=b.as_ref().map_or(last, |b| usize::from(b.tier).min(last)))
                .rev()
                .collect(),
        };
        let mut found: Vec<Found> = Vec::new();
        for t in order {
            let want = (limit + 1).saturating_sub(found.len() as u64);
            if want == 0 {
                break;
            }
            let tier = &tiers[t];
            let rank = u8::try_from(t).unwrap_or(u8::MAX);
            let from = bound.as_ref().filter(|b| b.tier == rank);
            let rows = match tier {
                SearchTier::Exact(_) => exact[t]
                    .clone()
                    .filter(|m| {
                        from.is_none_or(|b| {
                            let at = position(rank, tier, m);
                            if forward { at > *b } else { at < *b }
                        })
                    })
                    .into_iter()
                    .collect(),
                _ => {
                    let mut q = ranged(tier);
                    if let Some(b) = from {
                        q = q.filter(beyond(tier, b, forward, backend));
                    }
                    ordered(q, tier, forward, backend)
                        .limit(want)
                        .all(&txn)
                        .await
                        .map_err(internal)?
                }
            };
            for m in rows {
                let at = position(rank, tier, &m);
                found.push(Found {
                    guest: to_guest(m)?,
                    at,
                });
            }
        }
        txn.commit().await.map_err(internal)?;
        let more = found.len() as u64 > limit;
        found.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        if !forward {
            found.reverse();
        }
        Ok(Page {
            items: found,
            has_next: if forward { more } else { bound.is_some() },
            has_previous: if forward { bound.is_some() } else { more },
            total,
        })
    }
}

/// The guest an exact tier names.
fn exact_match(by: &GuestRef) -> SimpleExpr {
    match by {
        GuestRef::Id(id) => guests::Column::Id.eq(id.as_uuid()),
        GuestRef::Phone(p) => guests::Column::Phone.eq(p.as_e164()),
        GuestRef::Card(c) => guests::Column::CardCode.eq(c.as_str()),
        GuestRef::Qr(qr) => guests::Column::Qr.eq(qr.as_str()),
        GuestRef::Telegram(t) => guests::Column::TelegramId.eq(*t),
    }
}

/// The guests of a tier that is not exact.
fn matching(
    q: Select<guests::Entity>,
    tier: &SearchTier,
    tenant: Uuid,
    backend: DbBackend,
) -> Select<guests::Entity> {
    match tier {
        SearchTier::All | SearchTier::Exact(_) => q,
        SearchTier::PhoneEndsWith(d) => {
            // Phone endings are prefixes of the reversed digits. Written as a range,
            // not LIKE: under row-level security PostgreSQL only uses leakproof
            // operators in an index search, and LIKE is not one.
            let rev: String = d.chars().rev().collect();
            let q = q.filter(guests::Column::PhoneRev.gte(rev.clone()));
            match digits_upper_bound(&rev) {
                Some(upper) => q.filter(guests::Column::PhoneRev.lt(upper)),
                None => q,
            }
        }
        SearchTier::NameIs(name) => q.filter(guests::Column::NameLower.eq(name.clone())),
        SearchTier::NameStartsWith(p) => {
            // The name itself is the tier before.
            q.filter(guests::Column::NameLower.ne(p.clone()))
                .filter(starts_with(
                    "name_lower",
                    guests::Column::NameLower,
                    p,
                    backend,
                ))
        }
        SearchTier::NameWordStartsWith(p) => {
            // Names that start with it are the tiers before.
            let words = Query::select()
                .column(guest_name_words::Column::GuestId)
                .from(guest_name_words::Entity)
                .and_where(guest_name_words::Column::TenantId.eq(tenant))
                .cond_where(starts_with(
                    "word",
                    guest_name_words::Column::Word,
                    p,
                    backend,
                ))
                .to_owned();
            q.filter(guests::Column::Id.in_subquery(words))
                .filter(starts_with("name_lower", guests::Column::NameLower, p, backend).not())
        }
    }
}

/// `column` starts with `prefix`, as a byte-wise range, not LIKE (not leakproof
/// under row-level security): on PostgreSQL with the pattern operators, which
/// its `text_pattern_ops` indexes serve; SQLite compares bytes by default.
fn starts_with(
    name: &str,
    column: impl ColumnTrait,
    prefix: &str,
    backend: DbBackend,
) -> Condition {
    let upper = prefix_upper_bound(prefix);
    let mut c = Condition::all();
    if backend == DbBackend::Postgres {
        c = c.add(Expr::cust_with_values(
            format!("{name} ~>=~ $1"),
            [prefix.to_owned()],
        ));
        if let Some(u) = upper {
            c = c.add(Expr::cust_with_values(format!("{name} ~<~ $1"), [u]));
        }
    } else {
        c = c.add(column.gte(prefix.to_owned()));
        if let Some(u) = upper {
            c = c.add(column.lt(u));
        }
    }
    c
}

/// Whether a tier is ordered by name (then id) rather than by id alone.
fn by_name(tier: &SearchTier) -> bool {
    matches!(
        tier,
        SearchTier::NameStartsWith(_) | SearchTier::NameWordStartsWith(_)
    )
}

/// Whether a tier is in last-visit order (phone endings: the guest at the
/// till is more likely a recent visitor than the first one registered).
fn by_visit(tier: &SearchTier) -> bool {
    matches!(tier, SearchTier::PhoneEndsWith(_))
}

/// The sort key of a guest who never came: after every visit's key.
const NEVER_VISITED: &str = "~";

/// The sort key of a last visit: keys ascend from the latest visit to the
/// earliest, then guests who never came.
fn visit_key(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(
        || NEVER_VISITED.to_owned(),
        |t| {
            format!(
                "{:019}",
                i64::MAX.saturating_sub(t.timestamp_micros().max(0))
            )
        },
    )
}

/// The last visit a [`visit_key`] stands for (`None`: never, or a key that is
/// not one, which a tampered cursor may carry).
fn visit_of(key: &str) -> Option<DateTime<Utc>> {
    key.parse::<i64>()
        .ok()
        .and_then(|k| DateTime::from_timestamp_micros(i64::MAX.saturating_sub(k)))
}

/// Where a row stands in its tier.
fn position(rank: u8, tier: &SearchTier, m: &guests::Model) -> SearchPosition {
    SearchPosition {
        tier: rank,
        key: if by_name(tier) {
            m.name_lower.clone().unwrap_or_default()
        } else if by_visit(tier) {
            visit_key(m.last_visit_at)
        } else {
            String::new()
        },
        id: GuestId::from_uuid(m.id),
    }
}

/// The rows of a tier after (`forward`) or before a position in it. Names
/// compare byte-wise on both backends (`~>~` on PostgreSQL).
fn beyond(tier: &SearchTier, b: &SearchPosition, forward: bool, backend: DbBackend) -> Condition {
    let id = b.id.as_uuid();
    let past_id = if forward {
        guests::Column::Id.gt(id)
    } else {
        guests::Column::Id.lt(id)
    };
    if by_visit(tier) {
        // Latest visit first, then those who never came; id order within.
        let visit = guests::Column::LastVisitAt;
        return match (visit_of(&b.key), forward) {
            (Some(t), true) => Condition::any()
                .add(visit.lt(t))
                .add(Condition::all().add(visit.eq(t)).add(past_id))
                .add(visit.is_null()),
            (None, true) => Condition::all().add(visit.is_null()).add(past_id),
            (Some(t), false) => Condition::any()
                .add(visit.gt(t))
                .add(Condition::all().add(visit.eq(t)).add(past_id)),
            (None, false) => Condition::any()
                .add(visit.is_not_null())
                .add(Condition::all().add(visit.is_null()).add(past_id)),
        };
    }
    if !by_name(tier) {
        return Condition::all().add(past_id);
    }
    let key = b.key.clone();
    let past_name: SimpleExpr = match (backend == DbBackend::Postgres, forward) {
        (true, true) => Expr::cust_with_values("name_lower ~>~ $1", [key.clone()]),
        (true, false) => Expr::cust_with_values("name_lower ~<~ $1", [key.clone()]),
        (false, true) => guests::Column::NameLower.gt(key.clone()),
        (false, false) => guests::Column::NameLower.lt(key.clone()),
    };
    Condition::any().add(past_name).add(
        Condition::all()
            .add(guests::Column::NameLower.eq(key))
            .add(past_id),
    )
}

/// A tier's rows in its order (or the reverse): by id, by name byte-wise
/// then id, or by last visit (latest first, never last) then id.
fn ordered(
    q: Select<guests::Entity>,
    tier: &SearchTier,
    forward: bool,
    backend: DbBackend,
) -> Select<guests::Entity> {
    let dir = if forward { Order::Asc } else { Order::Desc };
    let q = if by_visit(tier) {
        let (visits, never) = if forward {
            (Order::Desc, NullOrdering::Last)
        } else {
            (Order::Asc, NullOrdering::First)
        };
        q.order_by_with_nulls(guests::Column::LastVisitAt, visits, never)
    } else if !by_name(tier) {
        q
    } else if backend == DbBackend::Postgres {
        q.order_by(Expr::cust("name_lower COLLATE \"C\""), dir.clone())
    } else {
        q.order_by(guests::Column::NameLower, dir.clone())
    };
    q.order_by(guests::Column::Id, dir)
}

#[cfg(test)]
mod tests {
    use super::{NEVER_VISITED, digits_upper_bound, visit_key, visit_of};
    use chrono::{DateTime, Duration, Utc};

    #[test]
    fn visit_keys_ascend_from_the_latest_visit_and_come_back_whole() {
        let t = DateTime::from_timestamp_micros(1_795_000_000_123_456).expect("a time");
        let earlier = t - Duration::microseconds(1);
        assert!(visit_key(Some(t)) < visit_key(Some(earlier)));
        assert!(visit_key(Some(earlier)) < visit_key(None));
        assert_eq!(visit_of(&visit_key(Some(t))), Some(t));
        assert_eq!(visit_key(None), NEVER_VISITED);
        assert_eq!(visit_of(NEVER_VISITED), None);
        assert_eq!(visit_of("not a key"), None);
        let _: Option<DateTime<Utc>> = visit_of("0");
    }

    #[test]
    fn the_upper_bound_of_a_digit_prefix_carries() {
        assert_eq!(digits_upper_bound("4321").as_deref(), Some("4322"));
        assert_eq!(digits_upper_bound("4329").as_deref(), Some("433"));
        assert_eq!(digits_upper_bound("4999").as_deref(), Some("5"));
        assert_eq!(digits_upper_bound("999"), None);
    }

    #[test]
    fn the_upper_bound_of_a_name_prefix_is_the_next_string() {
        use super::prefix_upper_bound;
        assert_eq!(prefix_upper_bound("ann").as_deref(), Some("ano"));
        assert_eq!(prefix_upper_bound("ан").as_deref(), Some("ао"));
        assert_eq!(prefix_upper_bound("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_upper_bound(""), None);
    }
}
