//! Guests and their accounts (an account row is created with every guest).

use async_trait::async_trait;
use domain::identity::{AuditRecord, StoreError};
use domain::loyalty::ports::{GuestQuery, GuestStore};
use domain::loyalty::promotions::birthday_key;
use domain::loyalty::values::{CardCode, Phone, QrPayload, Tags};
use domain::loyalty::{Guest, GuestRef};
use domain::page::{Page, PageRequest};
use domain::{Ctx, GuestId, LevelId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{IdOf, SqlStore, paginate, write_audit};
use crate::db::entities::{accounts, guests};
use crate::db::internal;

impl IdOf<guests::Column> for guests::Model {}

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
    }
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
        page: PageRequest,
    ) -> Result<Page<Guest>, StoreError> {
        let q = guests::Entity::find()
            .filter(guests::Column::TenantId.eq(ctx.tenant().as_uuid()))
            .filter(guests::Column::Forgotten.eq(false));
        let q = match query {
            GuestQuery::All => q,
            GuestQuery::PhoneSuffix(d) => {
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
            GuestQuery::NamePrefix(p) => {
                // A byte-wise range, not LIKE (not leakproof under row-level security):
                // on PostgreSQL with the pattern operators its text_pattern_ops index
                // serves; SQLite compares bytes by default.
                let upper = prefix_upper_bound(p);
                if self.db.backend() == sea_orm::DbBackend::Postgres {
                    let q = q.filter(Expr::cust_with_values("name_lower ~>=~ $1", [p.clone()]));
                    match upper {
                        Some(u) => q.filter(Expr::cust_with_values("name_lower ~<~ $1", [u])),
                        None => q,
                    }
                } else {
                    let q = q.filter(guests::Column::NameLower.gte(p.clone()));
                    match upper {
                        Some(u) => q.filter(guests::Column::NameLower.lt(u)),
                        None => q,
                    }
                }
            }
            GuestQuery::Exact(r) => match r {
                GuestRef::Id(id) => q.filter(guests::Column::Id.eq(id.as_uuid())),
                GuestRef::Phone(p) => q.filter(guests::Column::Phone.eq(p.as_e164())),
                GuestRef::Card(c) => q.filter(guests::Column::CardCode.eq(c.as_str())),
                GuestRef::Qr(qr) => q.filter(guests::Column::Qr.eq(qr.as_str())),
                GuestRef::Telegram(t) => q.filter(guests::Column::TelegramId.eq(*t)),
            },
        };
        let txn = self.db.tenant_tx(ctx).await?;
        let p = paginate(&txn, q, guests::Column::Id, page).await?;
        txn.commit().await.map_err(internal)?;
        p.try_map(to_guest)
    }
}

#[cfg(test)]
mod tests {
    use super::digits_upper_bound;

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
