//! A guest who signed up in the Mini App shares their phone through Telegram's
//! contact request. The signed answer proves the phone is theirs; when the
//! cashier had already registered that phone, the two records become one.

use chrono::Duration;
use serde_json::json;

use super::errors::GuestAuthError;
use super::models::{Guest, GuestRef};
use super::ports::{Batch, BatchError, InitDataRejection, LedgerOp};
use super::service::{GUEST_TOKEN_TTL_SECS, GuestSession, LoyaltyService};
use super::values::Phone;
use crate::ctx::Ctx;
use crate::identity::models::{AuditRecord, InvalidValue};

fn invalid(message: &str) -> GuestAuthError {
    GuestAuthError::Invalid(InvalidValue {
        field: "contactData",
        message: message.to_owned(),
    })
}

impl LoyaltyService {
    /// Links the phone of a signed `requestContact` answer to the signed-in
    /// guest. If another record of the business has that phone (registered at
    /// the till) and no other Telegram account, this guest's points and history
    /// move there and the session continues as that record (a new token).
    ///
    /// # Errors
    /// Not a guest; a contact that is not valid, not the guest's own, or whose
    /// phone belongs to another Telegram account.
    pub async fn link_my_phone(
        &self,
        ctx: &Ctx,
        contact_data: &str,
    ) -> Result<GuestSession, GuestAuthError> {
        let me = Self::me_guest(ctx)?;
        let guest = self
            .d
            .guests
            .get(ctx, me)
            .await
            .map_err(|_| GuestAuthError::NotAGuest)?;
        let token = self
            .d
            .bots
            .token(ctx)
            .await?
            .ok_or(GuestAuthError::NotConfigured)?;
        let now = self.d.clock.now();
        let contact = self
            .d
            .telegram
            .verify_contact(contact_data, &token, now.timestamp())
            .map_err(|r| match r {
                InitDataRejection::Invalid => GuestAuthError::BadInitData,
                InitDataRejection::Expired => GuestAuthError::Expired,
            })?;
        if Some(contact.user_id) != guest.telegram_id {
            return Err(invalid("share your own contact"));
        }
        let phone = Phone::parse(&contact.phone, "contactData")?;
        let target: Guest = match self
            .d
            .guests
            .find(ctx, &GuestRef::Phone(phone.clone()))
            .await?
        {
            Some(g) if g.id == guest.id => g,
            Some(g) if !g.forgotten => {
                if g.telegram_id.is_some() {
                    return Err(invalid(
                        "this phone belongs to another Telegram account; ask the staff to help",
                    ));
                }
                // The till's record stays; this one's points and history move there.
                let batch = Batch {
                    idempotency: None,
                    ops: vec![LedgerOp::MergeGuests {
                        source: guest.id,
                        target: g.id,
                    }],
                    audit: AuditRecord::new("guest.link_phone", "guest", g.id).details(
                        json!({ "merged": guest.id.to_string(), "phone": phone.masked() }),
                    ),
                };
                let finish = |_: &super::ports::BatchOutcome| {
                    super::ports::Finished::result(serde_json::Value::Null)
                };
                match self.d.ledger.apply(ctx, batch, &finish).await {
                    Ok(_) => {}
                    Err(BatchError::PendingHolds(_)) => {
                        return Err(invalid("finish the open check first, then try again"));
                    }
                    Err(e) => return Err(GuestAuthError::Internal(e.to_string())),
                }
                let linked = Guest {
                    telegram_id: guest.telegram_id,
                    name: g.name.clone().or_else(|| guest.name.clone()),
                    ..g
                };
                let audit = AuditRecord::new("guest.link_telegram", "guest", linked.id);
                self.d
                    .guests
                    .update(ctx, &linked, audit, &[])
                    .await
                    .map_err(|e| GuestAuthError::Internal(e.to_string()))?;
                linked
            }
            _ => {
                let updated = Guest {
                    phone: Some(phone.clone()),
                    ..guest.clone()
                };
                let audit = AuditRecord::new("guest.link_phone", "guest", guest.id)
                    .details(json!({ "phone": phone.masked() }));
                self.d
                    .guests
                    .update(ctx, &updated, audit, &[])
                    .await
                    .map_err(|e| GuestAuthError::Internal(e.to_string()))?;
                updated
            }
        };
        let expires_at = now + Duration::seconds(GUEST_TOKEN_TTL_SECS);
        let claims = crate::identity::models::GuestClaims {
            guest: target.id,
            tenant: ctx.tenant(),
            issued_at: now.timestamp(),
            expires_at: expires_at.timestamp(),
        };
        let token = self
            .d
            .tokens
            .encode_guest(&claims)
            .map_err(GuestAuthError::Internal)?;
        Ok(GuestSession {
            token,
            expires_at,
            guest: target,
            created: false,
        })
    }
}
