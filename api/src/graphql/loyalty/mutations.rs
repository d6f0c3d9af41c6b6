//! Loyalty mutations.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use chrono::NaiveDate;
use domain::identity::Permission as P;
use domain::loyalty::{CheckInput, GuestChanges, NewGuest, Redeem};
use domain::money::Points;
use domain::{CheckId, GuestId, HoldId, LevelId, LocationId};

use super::types::{
    Account, Guest, GuestRefInput, Hold, Level, LoyaltySettings, Receipt, SpendBasis,
};
use crate::error::{GqlResult, invalid};
use crate::graphql::{Perm, loyalty_service as svc, maybe, parse_id, requires, staff_ctx};

/// A new guest.
#[derive(InputObject)]
pub struct CreateGuestInput {
    /// Phone (any common format).
    pub phone: String,
    /// Name.
    pub name: Option<String>,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// E-mail.
    pub email: Option<String>,
    /// Agreed to marketing messages.
    #[graphql(default)]
    pub marketing_consent: bool,
    /// Tags.
    #[graphql(default)]
    pub tags: Vec<String>,
    /// The card code of the guest who invited this one (referral promotions).
    pub referral_code: Option<String>,
}

/// Changes to a guest: omitted fields stay, `null` clears.
#[derive(InputObject)]
pub struct UpdateGuestInput {
    /// Phone.
    pub phone: Option<String>,
    /// Name.
    pub name: MaybeUndefined<String>,
    /// Birthday.
    pub birthday: MaybeUndefined<NaiveDate>,
    /// E-mail.
    pub email: MaybeUndefined<String>,
    /// Marketing consent.
    pub marketing_consent: Option<bool>,
    /// Tags.
    pub tags: Option<Vec<String>>,
}

/// A check to process.
#[derive(InputObject)]
pub struct ProcessCheckInput {
    /// Where.
    pub location_id: ID,
    /// Whose.
    pub guest: GuestRefInput,
    /// Total, minor units (kopecks, tiyn).
    pub total_minor: i64,
    /// Points to pay with now (capped by the level's share and the available points).
    pub redeem_points: Option<i64>,
    /// Or: a hold to capture (from `holdPoints`).
    pub hold_id: Option<ID>,
    /// The check's id at its source: the same id is processed once.
    pub external_id: String,
}

/// Points to reserve for an open check.
#[derive(InputObject)]
pub struct HoldPointsInput {
    /// Whose.
    pub guest: GuestRefInput,
    /// Points.
    pub points: i64,
    /// The check total, to enforce the level's share (optional).
    pub total_minor: Option<i64>,
}

/// A level's values.
#[derive(InputObject)]
pub struct LevelInput {
    /// Name.
    pub name: String,
    /// Spend from which it applies, minor units.
    pub threshold_minor: i64,
    /// Cashback, basis points.
    pub cashback_bp: i32,
    /// Largest share of a check payable by points, basis points.
    pub max_redeem_bp: i32,
}

/// Loyalty settings.
#[derive(InputObject)]
pub struct LoyaltySettingsInput {
    /// Days after which points expire; null = never.
    pub expiry_days: Option<i32>,
    /// Which spend decides levels.
    pub spend_basis: SpendBasis,
    /// What one point is worth when redeemed, minor units.
    pub point_value_minor: i64,
    /// Seconds an unresolved hold lives.
    pub hold_ttl_seconds: i32,
    /// The business's offset from UTC in minutes (promotion hours and birthdays);
    /// omitted = unchanged.
    pub utc_offset_minutes: Option<i32>,
}

/// Loyalty mutations.
#[derive(Default)]
pub struct LoyaltyMutation;

#[Object]
impl LoyaltyMutation {
    /// Registers a guest (a card code and QR payload are issued).
    #[graphql(guard = "Perm(P::GuestsCreate)", directive = requires::apply("guests:create".into()))]
    async fn create_guest(&self, ctx: &Context<'_>, input: CreateGuestInput) -> Result<Guest> {
        let n = NewGuest {
            phone: Some(input.phone),
            name: input.name,
            birthday: input.birthday,
            email: input.email,
            telegram_id: None,
            marketing_consent: input.marketing_consent,
            tags: input.tags,
            referral_code: input.referral_code,
        };
        Ok(svc(ctx)?
            .create_guest(staff_ctx(ctx)?, n)
            .await
            .gql()?
            .into())
    }

    /// Edits a guest.
    #[graphql(guard = "Perm(P::GuestsManage)", directive = requires::apply("guests:manage".into()))]
    async fn update_guest(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateGuestInput,
    ) -> Result<Guest> {
        let id: GuestId = parse_id(&id, "id")?;
        let c = GuestChanges {
            phone: input.phone,
            name: maybe(input.name),
            birthday: maybe(input.birthday),
            email: maybe(input.email),
            marketing_consent: input.marketing_consent,
            tags: input.tags,
        };
        Ok(svc(ctx)?
            .update_guest(staff_ctx(ctx)?, id, c)
            .await
            .gql()?
            .into())
    }

    /// Erases a guest's personal data ("forget me"); points history and totals stay.
    #[graphql(guard = "Perm(P::GuestsManage)", directive = requires::apply("guests:manage".into()))]
    async fn forget_guest(&self, ctx: &Context<'_>, id: ID) -> Result<Guest> {
        let id: GuestId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .forget_guest(staff_ctx(ctx)?, id)
            .await
            .gql()?
            .into())
    }

    /// Merges two records of one person into `targetId` (points keep their expiry).
    #[graphql(guard = "Perm(P::GuestsManage)", directive = requires::apply("guests:manage".into()))]
    async fn merge_guests(&self, ctx: &Context<'_>, source_id: ID, target_id: ID) -> Result<Guest> {
        let source: GuestId = parse_id(&source_id, "sourceId")?;
        let target: GuestId = parse_id(&target_id, "targetId")?;
        Ok(svc(ctx)?
            .merge_guests(staff_ctx(ctx)?, source, target)
            .await
            .gql()?
            .into())
    }

    /// Processes a check once per `externalId`: redeems (points or a hold), accrues,
    /// upgrades the level. Sending the same check again returns the same receipt.
    #[graphql(guard = "Perm(P::ChecksProcess)", directive = requires::apply("checks:process".into()))]
    async fn process_check(&self, ctx: &Context<'_>, input: ProcessCheckInput) -> Result<Receipt> {
        let location: LocationId = parse_id(&input.location_id, "locationId")?;
        let redeem = match (input.redeem_points, input.hold_id) {
            (Some(_), Some(_)) => {
                return Err(invalid("holdId", "give either redeemPoints or holdId"));
            }
            (Some(p), None) => Redeem::Points(Points::new(p)),
            (None, Some(h)) => Redeem::Hold(parse_id::<HoldId>(&h, "holdId")?),
            (None, None) => Redeem::Nothing,
        };
        let check = CheckInput {
            location,
            guest: input.guest.into_domain()?,
            total_minor: input.total_minor,
            redeem,
            external_id: input.external_id,
            source: "graphql".into(),
            inbound_event: None,
        };
        Ok(svc(ctx)?
            .process_check(staff_ctx(ctx)?, check)
            .await
            .gql()?
            .into())
    }

    /// Undoes a check with reversal entries (earned points must still be available).
    #[graphql(guard = "Perm(P::PointsAdjust)", directive = requires::apply("points:adjust".into()))]
    async fn reverse_check(&self, ctx: &Context<'_>, id: ID, reason: String) -> Result<Account> {
        let id: CheckId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .reverse_check(staff_ctx(ctx)?, id, &reason)
            .await
            .gql()?
            .into())
    }

    /// Adds (positive) or removes (negative) points by hand, with a reason.
    #[graphql(guard = "Perm(P::PointsAdjust)", directive = requires::apply("points:adjust".into()))]
    async fn adjust_points(
        &self,
        ctx: &Context<'_>,
        guest_id: ID,
        points: i64,
        reason: String,
        idempotency_key: Option<String>,
    ) -> Result<Account> {
        let guest: GuestId = parse_id(&guest_id, "guestId")?;
        Ok(svc(ctx)?
            .adjust_points(
                staff_ctx(ctx)?,
                guest,
                points,
                &reason,
                idempotency_key.as_deref(),
            )
            .await
            .gql()?
            .into())
    }

    /// Reserves points for an open check (released after the business's hold TTL).
    #[graphql(guard = "Perm(P::ChecksProcess)", directive = requires::apply("checks:process".into()))]
    async fn hold_points(&self, ctx: &Context<'_>, input: HoldPointsInput) -> Result<Hold> {
        let guest = input.guest.into_domain()?;
        Ok(svc(ctx)?
            .hold_points(staff_ctx(ctx)?, &guest, input.points, input.total_minor)
            .await
            .gql()?
            .into())
    }

    /// Turns a pending hold into a redemption.
    #[graphql(guard = "Perm(P::ChecksProcess)", directive = requires::apply("checks:process".into()))]
    async fn capture_hold(&self, ctx: &Context<'_>, id: ID) -> Result<Hold> {
        let id: HoldId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .capture_hold(staff_ctx(ctx)?, id)
            .await
            .gql()?
            .into())
    }

    /// Releases a pending hold.
    #[graphql(guard = "Perm(P::ChecksProcess)", directive = requires::apply("checks:process".into()))]
    async fn void_hold(&self, ctx: &Context<'_>, id: ID) -> Result<Hold> {
        let id: HoldId = parse_id(&id, "id")?;
        Ok(svc(ctx)?.void_hold(staff_ctx(ctx)?, id).await.gql()?.into())
    }

    /// Adds a level; returns all levels.
    #[graphql(guard = "Perm(P::LoyaltyManage)", directive = requires::apply("loyalty:manage".into()))]
    async fn create_level(&self, ctx: &Context<'_>, input: LevelInput) -> Result<Vec<Level>> {
        let l = svc(ctx)?
            .create_level(
                staff_ctx(ctx)?,
                &input.name,
                input.threshold_minor,
                input.cashback_bp,
                input.max_redeem_bp,
            )
            .await
            .gql()?;
        Ok(l.iter().map(Level::from).collect())
    }

    /// Changes a level; returns all levels.
    #[graphql(guard = "Perm(P::LoyaltyManage)", directive = requires::apply("loyalty:manage".into()))]
    async fn update_level(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: LevelInput,
    ) -> Result<Vec<Level>> {
        let id: LevelId = parse_id(&id, "id")?;
        let l = svc(ctx)?
            .update_level(
                staff_ctx(ctx)?,
                id,
                &input.name,
                input.threshold_minor,
                input.cashback_bp,
                input.max_redeem_bp,
            )
            .await
            .gql()?;
        Ok(l.iter().map(Level::from).collect())
    }

    /// Removes a level; returns the others.
    #[graphql(guard = "Perm(P::LoyaltyManage)", directive = requires::apply("loyalty:manage".into()))]
    async fn delete_level(&self, ctx: &Context<'_>, id: ID) -> Result<Vec<Level>> {
        let id: LevelId = parse_id(&id, "id")?;
        let l = svc(ctx)?.delete_level(staff_ctx(ctx)?, id).await.gql()?;
        Ok(l.iter().map(Level::from).collect())
    }

    /// Replaces the loyalty settings.
    #[graphql(guard = "Perm(P::LoyaltyManage)", directive = requires::apply("loyalty:manage".into()))]
    async fn update_loyalty_settings(
        &self,
        ctx: &Context<'_>,
        input: LoyaltySettingsInput,
    ) -> Result<LoyaltySettings> {
        let expiry_days =
            match input.expiry_days {
                None => None,
                Some(d) => Some(u32::try_from(d).map_err(|_| {
                    invalid("expiryDays", "use 1 to 3650 days, or null for no expiry")
                })?),
            };
        let svc = svc(ctx)?;
        let current = svc
            .settings(staff_ctx(ctx)?)
            .await
            .map_err(|e| crate::error::gql(domain::identity::ReadError::from(e)))?;
        let s = domain::loyalty::LoyaltySettings {
            utc_offset_minutes: input
                .utc_offset_minutes
                .unwrap_or(current.utc_offset_minutes),
            expiry_days,
            spend_basis: input.spend_basis.into(),
            point_value_minor: input.point_value_minor,
            hold_ttl_secs: u32::try_from(input.hold_ttl_seconds)
                .map_err(|_| invalid("holdTtlSeconds", "holds live 60 s to 24 h"))?,
        };
        Ok(svc.update_settings(staff_ctx(ctx)?, s).await.gql()?.into())
    }
}
