//! Integration use cases: configuring POS connections, receiving their
//! deliveries (verify → parse → store with the processing job → answer), and
//! processing stored events exactly once.

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};

use super::errors::{IntegrationError, ReceiveError};
use super::formats::{self, ClosedCheck, GuestKey, PosMessage};
use super::models::{
    EventStatus, InboundEvent, Integration, IntegrationKind, IntegrationSecrets, IntegrationStatus,
};
use super::ports::{
    EventFilter, IikoCloud, IikoCloudError, IikoOrderKind, InboundEventStore, IntegrationStore,
    Received,
};
use crate::ctx::Ctx;
use crate::identity::errors::StoreError;
use crate::identity::models::{AuditRecord, InvalidValue, Name};
use crate::identity::ports::{LocationRepository, SecretGenerator};
use crate::ids::{HoldId, InboundEventId, IntegrationId, LocationId};
use crate::jobs::{JobPriority, NewJob};
use crate::loyalty::values::{CardCode, Phone, QrPayload};
use crate::loyalty::{CheckInput, GuestRef, LedgerError, LoyaltyService, Redeem};
use crate::money::Points;
use crate::page::{Page, PageRequest};
use crate::ports::Clock;

/// The job kind that processes a stored event (`{"event": id}`).
pub const PROCESS_JOB: &str = "integrations.process";

/// How long a rotated-out secret stays valid.
pub const ROTATION_OVERLAP_HOURS: i64 = 24;

/// Largest accepted delivery.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Rejected deliveries keep at most this much of their body in the log.
const REJECTED_KEEP: usize = 4096;

/// Verifies signatures and tokens (HMAC and constant-time comparison live in infra).
pub trait DeliveryVerifier: Send + Sync {
    /// Checks `X-Signature: t=<unix>,v1=<hex>[,v1=…]` over `t.body` with any
    /// of `secrets`, within ±300 s of `now_unix`.
    ///
    /// # Errors
    /// Why it is refused, for a 401 answer.
    fn verify_signature(
        &self,
        header: Option<&str>,
        body: &[u8],
        secrets: &[&str],
        now_unix: i64,
    ) -> Result<(), String>;
    /// Whether `given` equals one of `secrets` (constant time).
    fn token_matches(&self, given: &str, secrets: &[&str]) -> bool;
}

/// The adapters the service runs on.
#[derive(Clone)]
pub struct IntegrationDeps {
    /// Integrations.
    pub integrations: Arc<dyn IntegrationStore>,
    /// The event log.
    pub events: Arc<dyn InboundEventStore>,
    /// Locations (an integration names one of the tenant's).
    pub locations: Arc<dyn LocationRepository>,
    /// Checks, lookups and holds.
    pub loyalty: Arc<LoyaltyService>,
    /// Secrets and digests.
    pub secrets: Arc<dyn SecretGenerator>,
    /// Signatures.
    pub verifier: Arc<dyn DeliveryVerifier>,
    /// iikoCloud, asked before an iiko order's points effect.
    pub iiko: Arc<dyn IikoCloud>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// A new integration, as typed.
#[derive(Debug, Clone)]
pub struct NewIntegration {
    /// Kind.
    pub kind: IntegrationKind,
    /// Its location.
    pub location: LocationId,
    /// Name.
    pub name: String,
}

/// What to answer a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// 200 (answered or repeated) or 202 (accepted for processing).
    pub status: u16,
    /// The JSON body.
    pub body: Value,
}

/// The result of processing one stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessError {
    /// Try again later (storage).
    Retry(String),
}

/// The integration use cases.
pub struct IntegrationService {
    d: IntegrationDeps,
}

fn guest_ref(key: &GuestKey) -> Result<GuestRef, String> {
    match key {
        GuestKey::Phone(p) => Phone::parse(p, "phone")
            .map(GuestRef::Phone)
            .map_err(|e| e.to_string()),
        GuestKey::Card(c) => CardCode::parse(c)
            .map(GuestRef::Card)
            .map_err(|_| format!("no guest with card {c}")),
        GuestKey::Qr(q) => QrPayload::parse(q)
            .map(GuestRef::Qr)
            .map_err(|e| e.to_string()),
    }
}

fn refused(e: &LedgerError) -> ReceiveError {
    match e {
        LedgerError::Internal(m) => ReceiveError::Internal(m.clone()),
        LedgerError::NotFound => ReceiveError::Refused("no such guest or hold".into()),
        other => ReceiveError::Refused(other.to_string()),
    }
}

impl IntegrationService {
    /// A service over its adapters.
    #[must_use]
    pub fn new(deps: IntegrationDeps) -> Self {
        Self { d: deps }
    }

    // ----- configuration ------------------------------------------------------------

    /// Creates an integration; returns it and its secret (shown once).
    ///
    /// # Errors
    /// Invalid name or location.
    pub async fn create(
        &self,
        ctx: &Ctx,
        n: NewIntegration,
    ) -> Result<(Integration, String), IntegrationError> {
        let name = Name::parse(&n.name, "name", 100)?.to_string();
        if self.d.locations.get(ctx, n.location).await.is_err() {
            return Err(InvalidValue {
                field: "locationId",
                message: "no such location in this business".into(),
            }
            .into());
        }
        let now = self.d.clock.now();
        let integration = Integration {
            id: IntegrationId::new(),
            kind: n.kind,
            name,
            location: n.location,
            status: IntegrationStatus::Active,
            secret_rotated_at: now,
            previous_valid_until: None,
            created_at: now,
            iiko_api_login_set: false,
        };
        let secret = format!("mls_{}", self.d.secrets.generate());
        let audit = AuditRecord::new("integration.create", "integration", integration.id).details(
            json!({ "kind": n.kind.as_str(), "name": integration.name, "location": n.location.to_string() }),
        );
        self.d
            .integrations
            .create(ctx, &integration, &secret, audit)
            .await?;
        Ok((integration, secret))
    }

    /// Issues a new secret; the old one keeps working for 24 hours.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn rotate_secret(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
    ) -> Result<(Integration, String), IntegrationError> {
        self.d.integrations.get(ctx, id).await?;
        let secret = format!("mls_{}", self.d.secrets.generate());
        let until = self.d.clock.now() + Duration::hours(ROTATION_OVERLAP_HOURS);
        let audit = AuditRecord::new("integration.rotate_secret", "integration", id)
            .details(json!({ "previousValidUntil": until }));
        let i = self
            .d
            .integrations
            .rotate(ctx, id, &secret, until, audit)
            .await?;
        Ok((i, secret))
    }

    /// Disables (or enables again) an integration.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn set_active(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        active: bool,
    ) -> Result<Integration, IntegrationError> {
        let action = if active {
            "integration.enable"
        } else {
            "integration.disable"
        };
        let audit = AuditRecord::new(action, "integration", id);
        Ok(self
            .d
            .integrations
            .set_active(ctx, id, active, audit)
            .await?)
    }

    /// Sets the iikoCloud `apiLogin` of an iiko integration after iikoCloud
    /// accepted it (`None` clears it: closed orders then fail until it is set).
    ///
    /// # Errors
    /// `NotFound`; not an iiko integration, a malformed login or one iikoCloud
    /// refuses (validation); iikoCloud unreachable (`Unavailable`).
    pub async fn set_iiko_api_login(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        api_login: Option<&str>,
    ) -> Result<Integration, IntegrationError> {
        let integration = self.d.integrations.get(ctx, id).await?;
        if integration.kind != IntegrationKind::Iiko {
            return Err(InvalidValue {
                field: "id",
                message: "only iiko integrations have an iikoCloud apiLogin".into(),
            }
            .into());
        }
        let login = match api_login.map(str::trim) {
            None => None,
            Some(l)
                if l.is_empty() || l.chars().count() > 200 || l.chars().any(char::is_control) =>
            {
                return Err(InvalidValue {
                    field: "apiLogin",
                    message: "an apiLogin is 1 to 200 printable characters".into(),
                }
                .into());
            }
            Some(l) => Some(l),
        };
        if let Some(l) = login {
            match self.d.iiko.check_login(l).await {
                Ok(()) => {}
                Err(IikoCloudError::Refused(why)) => {
                    return Err(InvalidValue {
                        field: "apiLogin",
                        message: format!("iikoCloud refused this apiLogin: {why}"),
                    }
                    .into());
                }
                Err(IikoCloudError::Unavailable(why)) => {
                    return Err(IntegrationError::Unavailable(format!(
                        "iikoCloud could not be reached to check the apiLogin ({why}); try again"
                    )));
                }
            }
        }
        let audit = AuditRecord::new("integration.set_iiko_api_login", "integration", id)
            .details(json!({ "set": login.is_some() }));
        Ok(self
            .d
            .integrations
            .set_iiko_api_login(ctx, id, login, audit)
            .await?)
    }

    /// The business's integrations.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn list(&self, ctx: &Ctx) -> Result<Vec<Integration>, IntegrationError> {
        Ok(self.d.integrations.list(ctx).await?)
    }

    /// One integration.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn get(&self, ctx: &Ctx, id: IntegrationId) -> Result<Integration, IntegrationError> {
        Ok(self.d.integrations.get(ctx, id).await?)
    }

    /// An integration's event log, newest first.
    ///
    /// # Errors
    /// `NotFound`, bad pagination.
    pub async fn events(
        &self,
        ctx: &Ctx,
        id: IntegrationId,
        filter: &EventFilter,
        page: PageRequest,
    ) -> Result<Page<InboundEvent>, IntegrationError> {
        self.d.integrations.get(ctx, id).await?;
        Ok(self.d.events.list(ctx, id, filter, page).await?)
    }

    /// Processes a failed or ignored event again.
    ///
    /// # Errors
    /// `NotFound`, `NotReprocessable`.
    pub async fn reprocess(
        &self,
        ctx: &Ctx,
        id: InboundEventId,
    ) -> Result<InboundEvent, IntegrationError> {
        let e = self.d.events.get(ctx, id).await?;
        if !matches!(e.status, EventStatus::Failed | EventStatus::Ignored)
            || e.external_id.is_none()
        {
            return Err(IntegrationError::NotReprocessable);
        }
        let audit = AuditRecord::new("integration.reprocess", "inbound_event", id);
        self.d
            .events
            .requeue(ctx, id, Self::job(ctx, id, true), audit)
            .await?;
        Ok(self.d.events.get(ctx, id).await?)
    }

    fn job(ctx: &Ctx, id: InboundEventId, again: bool) -> NewJob {
        // A guest at the till waits for these points: ahead of fan-out and deliveries.
        let job = NewJob::new(PROCESS_JOB, json!({ "event": id.to_string() }))
            .tenant(ctx.tenant())
            .priority(JobPriority::Interactive);
        if again {
            job
        } else {
            job.dedupe_key(format!("inbound:{id}"))
        }
    }

    // ----- deliveries ---------------------------------------------------------------

    async fn door(
        &self,
        id: IntegrationId,
        kind: IntegrationKind,
    ) -> Result<(Ctx, Integration, IntegrationSecrets), ReceiveError> {
        let (tenant, integration, secrets) = match self
            .d
            .integrations
            .for_delivery(id, self.d.clock.now())
            .await
        {
            Ok(x) => x,
            Err(StoreError::NotFound) => return Err(ReceiveError::UnknownIntegration),
            Err(e) => return Err(e.into()),
        };
        if integration.kind != kind {
            return Err(ReceiveError::UnknownIntegration);
        }
        Ok((Ctx::system(tenant), integration, secrets))
    }

    fn event(&self, integration: &Integration, kind: &str, payload: &str) -> InboundEvent {
        InboundEvent {
            id: InboundEventId::new(),
            integration: integration.id,
            kind: kind.to_owned(),
            external_id: None,
            fingerprint: None,
            payload: payload.to_owned(),
            status: EventStatus::Pending,
            error: None,
            check: None,
            received_at: self.d.clock.now(),
            processed_at: None,
        }
    }

    /// Logs a refused delivery (best effort) and returns the refusal.
    async fn reject(
        &self,
        ctx: &Ctx,
        integration: &Integration,
        kind: &str,
        body: &[u8],
        why: ReceiveError,
    ) -> ReceiveError {
        let text = String::from_utf8_lossy(&body[..body.len().min(REJECTED_KEEP)]).into_owned();
        let mut e = self.event(integration, kind, &text);
        e.status = EventStatus::Rejected;
        e.error = Some(why.to_string());
        e.processed_at = Some(e.received_at);
        let _ = self.d.events.record(ctx, &e, None).await;
        why
    }

    async fn authenticate_signed(
        &self,
        id: IntegrationId,
        kind: IntegrationKind,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<(Ctx, Integration, String), ReceiveError> {
        let (ctx, integration, secrets) = self.door(id, kind).await?;
        let log_kind = format!("{}.delivery", kind.as_str());
        if integration.status == IntegrationStatus::Disabled {
            return Err(self
                .reject(&ctx, &integration, &log_kind, body, ReceiveError::Disabled)
                .await);
        }
        if let Err(why) = self.d.verifier.verify_signature(
            signature,
            body,
            &secrets.valid(),
            self.d.clock.now().timestamp(),
        ) {
            return Err(self
                .reject(
                    &ctx,
                    &integration,
                    &log_kind,
                    body,
                    ReceiveError::Unauthenticated(why),
                )
                .await);
        }
        match std::str::from_utf8(body) {
            Ok(s) => Ok((ctx, integration, s.to_owned())),
            Err(_) => Err(self
                .reject(
                    &ctx,
                    &integration,
                    &log_kind,
                    body,
                    ReceiveError::Malformed("the body is not UTF-8".into()),
                )
                .await),
        }
    }

    /// Stores a closed check with its job; answers 202, or 200 for a repeat.
    async fn accept_check(
        &self,
        ctx: &Ctx,
        integration: &Integration,
        kind: &str,
        check: &ClosedCheck,
        payload: &str,
    ) -> Result<Answer, ReceiveError> {
        let mut e = self.event(integration, kind, payload);
        e.external_id = Some(check.external_id.clone());
        e.fingerprint = Some(self.d.secrets.digest(&check.fingerprint_source()));
        match self
            .d
            .events
            .record(ctx, &e, Some(Self::job(ctx, e.id, false)))
            .await?
        {
            Received::New(id) => Ok(Answer {
                status: 202,
                body: json!({ "status": "accepted", "eventId": id.to_string() }),
            }),
            Received::Duplicate(first) => Ok(Answer {
                status: 200,
                body: json!({ "status": "duplicate", "eventId": first.id.to_string(),
                              "eventStatus": first.status.as_str() }),
            }),
            Received::Conflict(_) => Err(ReceiveError::Conflict),
        }
    }

    /// Logs an answered synchronous request.
    async fn log_answered(
        &self,
        ctx: &Ctx,
        integration: &Integration,
        kind: &str,
        payload: &str,
        outcome: &Result<Answer, ReceiveError>,
    ) {
        let mut e = self.event(integration, kind, payload);
        e.processed_at = Some(e.received_at);
        match outcome {
            Ok(_) => e.status = EventStatus::Processed,
            Err(why) => {
                e.status = EventStatus::Failed;
                e.error = Some(why.to_string());
            }
        }
        let _ = self.d.events.record(ctx, &e, None).await;
    }

    /// A delivery of our canonical format (`POST /webhooks/pos/{id}`).
    ///
    /// # Errors
    /// See [`ReceiveError`]; refusals are logged.
    pub async fn receive_pos(
        &self,
        id: IntegrationId,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<Answer, ReceiveError> {
        let (ctx, integration, text) = self
            .authenticate_signed(id, IntegrationKind::Pos, signature, body)
            .await?;
        let msg = match formats::parse_canonical(&text) {
            Ok(m) => m,
            Err(why) => {
                return Err(self
                    .reject(
                        &ctx,
                        &integration,
                        "pos.delivery",
                        body,
                        ReceiveError::Malformed(why),
                    )
                    .await);
            }
        };
        let outcome = match &msg {
            PosMessage::CheckClosed(c) => {
                return self
                    .accept_check(&ctx, &integration, msg.kind(), c, &text)
                    .await;
            }
            PosMessage::GuestLookup { guest, total_minor } => {
                self.lookup(&ctx, guest, *total_minor).await
            }
            PosMessage::HoldCreate {
                guest,
                points,
                total_minor,
            } => self.hold(&ctx, guest, *points, *total_minor).await,
            PosMessage::HoldVoid { hold_id } => self.void(&ctx, hold_id).await,
        };
        self.log_answered(&ctx, &integration, msg.kind(), &text, &outcome)
            .await;
        outcome
    }

    async fn lookup(
        &self,
        ctx: &Ctx,
        guest: &GuestKey,
        total_minor: Option<i64>,
    ) -> Result<Answer, ReceiveError> {
        let by = guest_ref(guest).map_err(ReceiveError::Malformed)?;
        let g = self
            .d
            .loyalty
            .find_guest(ctx, &by)
            .await
            .map_err(|e| refused(&e))?;
        let card = self
            .d
            .loyalty
            .card_of(ctx, g)
            .await
            .map_err(|e| ReceiveError::Internal(e.to_string()))?;
        let max = match total_minor {
            Some(t) => Some(
                self.d
                    .loyalty
                    .max_redeemable_on(ctx, &card, t)
                    .await
                    .map_err(|e| ReceiveError::Internal(e.to_string()))?,
            ),
            None => None,
        };
        Ok(Answer {
            status: 200,
            body: json!({
                "guest": {
                    "id": card.guest.id.to_string(),
                    "name": card.guest.name,
                    "cardCode": card.guest.card_code.to_string(),
                },
                "balance": card.account.balance.get(),
                "available": card.account.available().get(),
                "level": card.level.as_ref().map(|l| json!({ "name": l.name, "cashbackBp": l.cashback.get(), "maxRedeemBp": l.max_redeem.get() })),
                "maxRedeemable": max,
            }),
        })
    }

    async fn hold(
        &self,
        ctx: &Ctx,
        guest: &GuestKey,
        points: i64,
        total_minor: Option<i64>,
    ) -> Result<Answer, ReceiveError> {
        let by = guest_ref(guest).map_err(ReceiveError::Malformed)?;
        let h = self
            .d
            .loyalty
            .hold_points(ctx, &by, points, total_minor)
            .await
            .map_err(|e| refused(&e))?;
        Ok(Answer {
            status: 200,
            body: json!({ "holdId": h.id.to_string(), "points": h.amount.get(), "expiresAt": h.expires_at }),
        })
    }

    async fn void(&self, ctx: &Ctx, hold: &str) -> Result<Answer, ReceiveError> {
        let id: HoldId = hold
            .parse()
            .map_err(|_| ReceiveError::Malformed("`holdId` is not a hold id".into()))?;
        let h = self
            .d
            .loyalty
            .void_hold(ctx, id)
            .await
            .map_err(|e| refused(&e))?;
        Ok(Answer {
            status: 200,
            body: json!({ "holdId": h.id.to_string(), "status": "voided" }),
        })
    }

    /// An iikoCloud delivery (`POST /webhooks/iiko/{id}`): authenticated by the
    /// token in `Authorization` (raw or `Bearer`); closed orders are accrued
    /// once per (organization, order); everything else is logged as ignored.
    /// iiko must always get 200 once authenticated, conflicts included.
    ///
    /// # Errors
    /// Unknown or disabled integration, bad token, malformed body.
    pub async fn receive_iiko(
        &self,
        id: IntegrationId,
        authorization: Option<&str>,
        body: &[u8],
    ) -> Result<Answer, ReceiveError> {
        let (ctx, integration, secrets) = self.door(id, IntegrationKind::Iiko).await?;
        if integration.status == IntegrationStatus::Disabled {
            return Err(self
                .reject(
                    &ctx,
                    &integration,
                    "iiko.delivery",
                    body,
                    ReceiveError::Disabled,
                )
                .await);
        }
        let token = authorization
            .map(str::trim)
            .map(|a| a.strip_prefix("Bearer ").unwrap_or(a).trim());
        if !token.is_some_and(|t| self.d.verifier.token_matches(t, &secrets.valid())) {
            return Err(self
                .reject(
                    &ctx,
                    &integration,
                    "iiko.delivery",
                    body,
                    ReceiveError::Unauthenticated("the authToken is missing or wrong".into()),
                )
                .await);
        }
        let parsed = std::str::from_utf8(body)
            .map_err(|_| "the body is not UTF-8".to_owned())
            .and_then(formats::parse_iiko);
        let events = match parsed {
            Ok(e) => e,
            Err(why) => {
                return Err(self
                    .reject(
                        &ctx,
                        &integration,
                        "iiko.delivery",
                        body,
                        ReceiveError::Malformed(why),
                    )
                    .await);
            }
        };
        let (mut accepted, mut ignored) = (0, 0);
        for ev in events {
            let kind = format!("iiko.{}", ev.event_type);
            match &ev.closed {
                Some(check) => match self
                    .accept_check(&ctx, &integration, &kind, check, &ev.raw)
                    .await
                {
                    Ok(_) | Err(ReceiveError::Conflict) => accepted += 1,
                    Err(e) => return Err(e),
                },
                None => {
                    let mut e = self.event(&integration, &kind, &ev.raw);
                    e.external_id = None;
                    e.status = EventStatus::Ignored;
                    e.error = ev.note.clone();
                    e.processed_at = Some(e.received_at);
                    self.d.events.record(&ctx, &e, None).await?;
                    ignored += 1;
                }
            }
        }
        Ok(Answer {
            status: 200,
            body: json!({ "status": "ok", "accepted": accepted, "ignored": ignored }),
        })
    }

    /// The r_keeper FarCards relay (`POST /webhooks/rkeeper/{id}`), signed like
    /// the canonical format.
    ///
    /// # Errors
    /// See [`ReceiveError`].
    pub async fn receive_rkeeper(
        &self,
        id: IntegrationId,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<Answer, ReceiveError> {
        let (ctx, integration, text) = self
            .authenticate_signed(id, IntegrationKind::RKeeper, signature, body)
            .await?;
        let txs = match formats::parse_rkeeper(&text) {
            Ok(t) => t,
            Err(why) => {
                return Err(self
                    .reject(
                        &ctx,
                        &integration,
                        "rkeeper.delivery",
                        body,
                        ReceiveError::Malformed(why),
                    )
                    .await);
            }
        };
        let mut results = Vec::new();
        let mut conflict = false;
        for t in txs {
            match self
                .accept_check(&ctx, &integration, "rkeeper.transaction", &t.check, &t.raw)
                .await
            {
                Ok(a) => results.push(a.body),
                Err(ReceiveError::Conflict) => conflict = true,
                Err(e) => return Err(e),
            }
        }
        if conflict {
            return Err(ReceiveError::Conflict);
        }
        Ok(Answer {
            status: 202,
            body: json!({ "status": "accepted", "transactions": results }),
        })
    }

    // ----- processing ---------------------------------------------------------------

    /// Processes a stored event (the job's work): turns it into a check and
    /// processes it exactly once (the ledger's key is the integration and the
    /// external id). A guest that cannot be found, or a check the ledger
    /// refuses, marks the event failed (reprocess later); storage trouble is
    /// retried.
    ///
    /// # Errors
    /// [`ProcessError::Retry`].
    pub async fn process(&self, ctx: &Ctx, id: InboundEventId) -> Result<Processed, ProcessError> {
        let retry = |e: &dyn std::fmt::Display| ProcessError::Retry(e.to_string());
        let (e, integration) = match self.d.events.get_with_integration(ctx, id).await {
            Ok(both) => both,
            Err(StoreError::NotFound) => return Ok(Processed::Done),
            Err(err) => return Err(retry(&err)),
        };
        match (e.status, &e.error) {
            (EventStatus::Pending, _) => {}
            // Failed by a run of this job that did not finish telling (it
            // died, or could not be sure live views were told): tell again,
            // which adds nothing told before.
            (EventStatus::Failed, Some(error)) => {
                return Ok(Processed::Failed {
                    integration: integration.id,
                    name: integration.name,
                    error: error.clone(),
                });
            }
            _ => return Ok(Processed::Done), // done before (a job ran twice)
        }
        let check = match integration.kind {
            IntegrationKind::Pos => match formats::parse_canonical(&e.payload) {
                Ok(PosMessage::CheckClosed(c)) => Ok(c),
                Ok(_) => Err((EventStatus::Failed, "not a check".to_owned())),
                Err(why) => Err((EventStatus::Failed, why)),
            },
            IntegrationKind::Iiko => self.iiko_check(ctx, &integration, &e.payload).await?,
            IntegrationKind::RKeeper => {
                formats::parse_rkeeper(&format!("{{\"transactions\":[{}]}}", e.payload))
                    .and_then(|mut v| v.pop().map(|t| t.check).ok_or_else(|| "empty".into()))
                    .map_err(|why| (EventStatus::Failed, why))
            }
        };
        let integration = &integration;
        let finish = |status: EventStatus,
                      error: Option<String>,
                      check: Option<crate::ids::CheckId>| async move {
            self.d
                .events
                .finish(ctx, id, status, error.clone(), check)
                .await
                .map_err(|x| retry(&x))?;
            Ok(match (status, error) {
                (EventStatus::Failed, Some(error)) => Processed::Failed {
                    integration: integration.id,
                    name: integration.name.clone(),
                    error,
                },
                _ => Processed::Done,
            })
        };
        let check = match check {
            Ok(c) => c,
            Err((status, why)) => return finish(status, Some(why), None).await,
        };
        let guest = match guest_ref(&check.guest) {
            Ok(g) => g,
            Err(why) => return finish(EventStatus::Ignored, Some(why), None).await,
        };
        let redeem = match (&check.hold_id, check.redeem_points) {
            (Some(h), _) => match h.parse::<HoldId>() {
                Ok(h) => Redeem::Hold(h),
                Err(_) => {
                    return finish(EventStatus::Failed, Some("bad holdId".into()), None).await;
                }
            },
            (None, Some(p)) if p > 0 => Redeem::Points(Points::new(p)),
            _ => Redeem::Nothing,
        };
        let input = CheckInput {
            location: integration.location,
            guest,
            total_minor: check.total_minor,
            redeem,
            external_id: check.external_id.clone(),
            source: format!("{}:{}", integration.kind.as_str(), integration.id),
            inbound_event: Some(id),
        };
        match self.d.loyalty.process_check_fresh(ctx, input).await {
            // The check's own transaction marked the event processed.
            Ok((_, true)) => Ok(Processed::Done),
            // A replay (the check was processed before this event settled).
            Ok((receipt, false)) => {
                finish(EventStatus::Processed, None, Some(receipt.check_id)).await
            }
            Err(LedgerError::Internal(m)) => Err(ProcessError::Retry(m)),
            Err(LedgerError::NotFound) => {
                finish(
                    EventStatus::Ignored,
                    Some(format!("no guest with {}", describe(&check.guest))),
                    None,
                )
                .await
            }
            Err(other) => finish(EventStatus::Failed, Some(other.to_string()), None).await,
        }
    }
}

impl IntegrationService {
    /// An iiko event's check as iikoCloud has it now: the webhook is not signed,
    /// so the amount and the guest come from iikoCloud, never from its body.
    /// `Err((status, why))` is how the event ends when there is nothing to
    /// accrue; iikoCloud being unreachable is retried.
    async fn iiko_check(
        &self,
        ctx: &Ctx,
        integration: &Integration,
        payload: &str,
    ) -> Result<Result<ClosedCheck, (EventStatus, String)>, ProcessError> {
        let failed = |why: String| Ok(Err((EventStatus::Failed, why)));
        let ev = match formats::parse_iiko(&format!("[{payload}]")).map(|mut v| v.pop()) {
            Ok(Some(ev)) => ev,
            Ok(None) => return failed("empty event".into()),
            Err(why) => return failed(why),
        };
        let (Some(org), Some(order_id)) = (ev.organization_id.as_deref(), ev.order_id.as_deref())
        else {
            return failed("not an order event".into());
        };
        let kind = if ev.event_type == "TableOrderUpdate" {
            IikoOrderKind::Table
        } else {
            IikoOrderKind::Delivery
        };
        let login = match self
            .d
            .integrations
            .iiko_api_login(ctx, integration.id)
            .await
        {
            Ok(Some(l)) => l,
            Ok(None) => {
                return failed(
                    "no iikoCloud apiLogin is set for this integration: set it, then reprocess \
                     (orders are confirmed with iikoCloud before any points)"
                        .into(),
                );
            }
            Err(e) => return Err(ProcessError::Retry(e.to_string())),
        };
        let info = match self.d.iiko.order_info(&login, kind, org, order_id).await {
            Ok(Some(info)) => info,
            Ok(None) => return failed(format!("iikoCloud does not know order {order_id}")),
            Err(IikoCloudError::Refused(why)) => {
                return failed(format!("iikoCloud refused: {why}"));
            }
            Err(IikoCloudError::Unavailable(why)) => return Err(ProcessError::Retry(why)),
        };
        let info = info.as_object();
        let answered_id = info.and_then(|i| i.get("id")?.as_str());
        let answered_org = info.and_then(|i| i.get("organizationId")?.as_str());
        if answered_id != Some(order_id) || answered_org.is_some_and(|o| o != org) {
            return failed("iikoCloud answered with another order".into());
        }
        Ok(
            match formats::iiko_order_check(info, ev.external_id.as_deref()) {
                Ok(Ok(check)) => Ok(check),
                Ok(Err(why)) => Err((EventStatus::Ignored, format!("in iikoCloud: {why}"))),
                Err(why) => Err((EventStatus::Failed, format!("in iikoCloud: {why}"))),
            },
        )
    }
}

/// What processing a stored event came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Processed {
    /// Processed, ignored, or done before.
    Done,
    /// Marked failed (staff should look: reprocess after fixing the cause).
    Failed {
        /// The integration.
        integration: IntegrationId,
        /// Its name.
        name: String,
        /// Why (no personal data).
        error: String,
    },
}

fn describe(g: &GuestKey) -> String {
    match g {
        GuestKey::Phone(p) => format!("phone {}", mask(p)),
        GuestKey::Card(c) => format!("card {}", mask(c)),
        GuestKey::Qr(_) => "this QR code".into(),
    }
}

fn mask(s: &str) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n && i > 1 { '•' } else { c })
        .collect()
}
