//! Webhook use cases: managing a business's endpoints (secret shown once,
//! rotation with an overlap, enable/disable), fanning durable events out into
//! delivery jobs, delivering them (signed, on the retry schedule, with the
//! health rules that disable an endpoint), the delivery log, redelivery and
//! test pings.

use std::sync::Arc;

use chrono::Duration;
use serde_json::json;

use super::errors::WebhookError;
use super::models::{
    DEFAULT_ROTATION_OVERLAP_HOURS, DeliveryAttempt, DeliveryStatus, EndpointChanges,
    FAILING_DISABLE_AFTER_HOURS, MAX_ATTEMPTS, MAX_RETRY_AFTER_SECS, MAX_ROTATION_OVERLAP_HOURS,
    NewEndpoint, WebhookDelivery, WebhookEndpoint, next_retry_delay,
};
use super::ports::{
    AttemptContext, AttemptRecord, EndpointHealth, HttpOutcome, OutboundRequest, StoredEvent,
    TargetRejection, WebhookSigner, WebhookStore, WebhookTransport,
};
use crate::ctx::Ctx;
use crate::events::{DomainEvent, EventId, types};
use crate::identity::models::{AuditRecord, InvalidValue, Name, Role};
use crate::identity::ports::{EmailMessage, Mailer, SecretGenerator, StaffRepository};
use crate::ids::{WebhookDeliveryId, WebhookEndpointId};
use crate::jobs::{Job, JobFailure, NewJob};
use crate::page::{Page, PageRequest};
use crate::ports::Clock;

/// The job kind that sends one delivery (`{"delivery": id}`).
pub const DELIVER_JOB: &str = "webhooks.deliver";

/// The longest accepted endpoint URL.
const MAX_URL_CHARS: usize = 2000;

/// The adapters the service runs on.
#[derive(Clone)]
pub struct WebhookDeps {
    /// Endpoints, events, deliveries.
    pub store: Arc<dyn WebhookStore>,
    /// HTTP (and the target guard).
    pub transport: Arc<dyn WebhookTransport>,
    /// Secrets and signatures.
    pub signer: Arc<dyn WebhookSigner>,
    /// Randomness (retry jitter).
    pub secrets: Arc<dyn SecretGenerator>,
    /// Owners to tell when an endpoint is disabled for failing.
    pub staff: Arc<dyn StaffRepository>,
    /// How they are told.
    pub mailer: Arc<dyn Mailer>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

/// The webhook use cases.
pub struct WebhookService {
    d: WebhookDeps,
}

fn invalid(field: &'static str, message: impl Into<String>) -> InvalidValue {
    InvalidValue::new(field, message)
}

/// The job that sends `delivery`. Fan-out jobs are deduplicated per event and
/// endpoint (the brief's key); redeliveries and pings per delivery, so one
/// never swallows another.
fn deliver_job(ctx: &Ctx, delivery: &WebhookDelivery, per_delivery: bool) -> NewJob {
    let key = if per_delivery {
        format!("webhook:{}", delivery.id)
    } else {
        format!("webhook:{}:{}", delivery.event, delivery.endpoint)
    };
    // A test ping is one attempt: its log answers "does my receiver work?".
    let attempts = if delivery.event_type == types::WEBHOOK_TEST {
        1
    } else {
        MAX_ATTEMPTS
    };
    NewJob::new(DELIVER_JOB, json!({ "delivery": delivery.id.to_string() }))
        .tenant(ctx.tenant())
        .dedupe_key(key)
        .max_attempts(attempts)
}

fn endpoint_json(e: &WebhookEndpoint) -> serde_json::Value {
    json!({ "url": e.url, "eventTypes": e.event_types, "description": e.description, "enabled": e.enabled })
}

impl WebhookService {
    /// A service over its adapters.
    #[must_use]
    pub fn new(deps: WebhookDeps) -> Self {
        Self { d: deps }
    }

    /// The event types an endpoint can subscribe to.
    #[must_use]
    pub fn event_types() -> &'static [&'static str] {
        &types::SUBSCRIBABLE
    }

    fn random(&self) -> u64 {
        let mut b = [0_u8; 8];
        self.d.secrets.fill_random(&mut b);
        u64::from_le_bytes(b)
    }

    async fn checked_url(&self, raw: &str) -> Result<String, WebhookError> {
        let url = raw.trim();
        if url.is_empty() || url.chars().count() > MAX_URL_CHARS {
            return Err(invalid("url", "give the endpoint's URL (at most 2000 characters)").into());
        }
        match self.d.transport.check_target(url).await {
            Ok(()) => Ok(url.to_owned()),
            Err(
                TargetRejection::Malformed(m)
                | TargetRejection::Forbidden(m)
                | TargetRejection::Unresolvable(m),
            ) => Err(invalid("url", m).into()),
        }
    }

    fn checked_types(raw: &[String]) -> Result<Vec<String>, InvalidValue> {
        if raw.is_empty() {
            return Err(invalid("eventTypes", "choose at least one event type"));
        }
        for t in raw {
            if !types::SUBSCRIBABLE.contains(&t.trim()) {
                return Err(invalid(
                    "eventTypes",
                    format!(
                        "unknown event type {t:?}; use {}",
                        types::SUBSCRIBABLE.join(", ")
                    ),
                ));
            }
        }
        Ok(types::SUBSCRIBABLE
            .iter()
            .filter(|k| raw.iter().any(|t| t.trim() == **k))
            .map(|k| (*k).to_owned())
            .collect())
    }

    fn checked_description(raw: Option<&str>) -> Result<Option<String>, InvalidValue> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => Name::parse(s, "description", 500).map(|n| Some(n.to_string())),
        }
    }

    // ----- endpoints --------------------------------------------------------------------

    /// Creates an endpoint; returns it and its secret (`whsec_…`, shown once).
    ///
    /// # Errors
    /// An invalid or refused URL (`url`), unknown event types, a long description.
    pub async fn create_endpoint(
        &self,
        ctx: &Ctx,
        n: NewEndpoint,
    ) -> Result<(WebhookEndpoint, String), WebhookError> {
        let event_types = Self::checked_types(&n.event_types)?;
        let description = Self::checked_description(n.description.as_deref())?;
        let url = self.checked_url(&n.url).await?;
        let now = self.d.clock.now();
        let e = WebhookEndpoint {
            id: WebhookEndpointId::new(),
            url,
            description,
            event_types,
            enabled: true,
            disabled_reason: None,
            disabled_at: None,
            failing_since: None,
            secret_rotated_at: now,
            previous_secret_expires_at: None,
            created_at: now,
            updated_at: now,
        };
        let secret = self.d.signer.new_secret();
        let audit = AuditRecord::new("webhook.create_endpoint", "webhook_endpoint", e.id)
            .details(json!({ "after": endpoint_json(&e) }));
        self.d
            .store
            .create_endpoint(ctx, &e, &secret, audit)
            .await?;
        Ok((e, secret))
    }

    /// Changes an endpoint's URL, event types or description.
    ///
    /// # Errors
    /// `NotFound`; invalid values as for creation.
    pub async fn update_endpoint(
        &self,
        ctx: &Ctx,
        id: WebhookEndpointId,
        c: EndpointChanges,
    ) -> Result<WebhookEndpoint, WebhookError> {
        let before = self.d.store.endpoint(ctx, id).await?;
        let mut e = before.clone();
        if let Some(t) = &c.event_types {
            e.event_types = Self::checked_types(t)?;
        }
        if let Some(d) = &c.description {
            e.description = Self::checked_description(d.as_deref())?;
        }
        if let Some(u) = &c.url {
            e.url = self.checked_url(u).await?;
        }
        e.updated_at = self.d.clock.now();
        let audit = AuditRecord::new("webhook.update_endpoint", "webhook_endpoint", id)
            .details(json!({ "before": endpoint_json(&before), "after": endpoint_json(&e) }));
        self.d.store.update_endpoint(ctx, &e, audit).await?;
        Ok(e)
    }

    /// Enables or disables an endpoint. Enabling checks its URL again and
    /// clears its failure record; deliveries pending meanwhile were cancelled.
    ///
    /// # Errors
    /// `NotFound`; a URL no longer acceptable (`url`).
    pub async fn set_enabled(
        &self,
        ctx: &Ctx,
        id: WebhookEndpointId,
        enabled: bool,
    ) -> Result<WebhookEndpoint, WebhookError> {
        let before = self.d.store.endpoint(ctx, id).await?;
        if enabled {
            self.checked_url(&before.url).await?;
        }
        let now = self.d.clock.now();
        let e = WebhookEndpoint {
            enabled,
            disabled_reason: (!enabled).then(|| "disabled by a person".to_owned()),
            disabled_at: (!enabled).then_some(now),
            failing_since: if enabled { None } else { before.failing_since },
            updated_at: now,
            ..before.clone()
        };
        let action = if enabled {
            "webhook.enable_endpoint"
        } else {
            "webhook.disable_endpoint"
        };
        let audit = AuditRecord::new(action, "webhook_endpoint", id)
            .details(json!({ "before": endpoint_json(&before), "after": endpoint_json(&e) }));
        self.d.store.update_endpoint(ctx, &e, audit).await?;
        Ok(e)
    }

    /// Issues a new secret (shown once). The previous one keeps signing for
    /// `overlap_hours` (default 24, at most 168): meanwhile every delivery
    /// carries both signatures.
    ///
    /// # Errors
    /// `NotFound`; an overlap out of range.
    pub async fn rotate_secret(
        &self,
        ctx: &Ctx,
        id: WebhookEndpointId,
        overlap_hours: Option<i64>,
    ) -> Result<(WebhookEndpoint, String), WebhookError> {
        let hours = overlap_hours.unwrap_or(DEFAULT_ROTATION_OVERLAP_HOURS);
        if !(0..=MAX_ROTATION_OVERLAP_HOURS).contains(&hours) {
            return Err(invalid("overlapHours", "keep the old secret 0 to 168 hours").into());
        }
        self.d.store.endpoint(ctx, id).await?;
        let until = self.d.clock.now() + Duration::hours(hours);
        let secret = self.d.signer.new_secret();
        let audit = AuditRecord::new("webhook.rotate_secret", "webhook_endpoint", id)
            .details(json!({ "previousSecretExpiresAt": until }));
        let e = self
            .d
            .store
            .rotate_secret(ctx, id, &secret, until, audit)
            .await?;
        Ok((e, secret))
    }

    /// The business's endpoints, oldest first.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn endpoints(&self, ctx: &Ctx) -> Result<Vec<WebhookEndpoint>, WebhookError> {
        Ok(self.d.store.endpoints(ctx).await?)
    }

    /// One endpoint.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn endpoint(
        &self,
        ctx: &Ctx,
        id: WebhookEndpointId,
    ) -> Result<WebhookEndpoint, WebhookError> {
        Ok(self.d.store.endpoint(ctx, id).await?)
    }

    /// An endpoint's delivery log, oldest first, each delivery with its attempts.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn deliveries(
        &self,
        ctx: &Ctx,
        endpoint: WebhookEndpointId,
        page: PageRequest,
    ) -> Result<Page<WebhookDelivery>, WebhookError> {
        self.d.store.endpoint(ctx, endpoint).await?;
        Ok(self.d.store.deliveries(ctx, endpoint, page).await?)
    }

    fn new_delivery(&self, endpoint: WebhookEndpointId, event: &StoredEvent) -> WebhookDelivery {
        let now = self.d.clock.now();
        WebhookDelivery {
            id: WebhookDeliveryId::new(),
            endpoint,
            event: event.id,
            event_type: event.event_type.clone(),
            status: DeliveryStatus::Pending,
            attempt_count: 0,
            last_status_code: None,
            last_error: None,
            next_attempt_at: Some(now),
            created_at: now,
            updated_at: now,
            attempts: Vec::new(),
        }
    }

    /// Sends a past event again, with its original `webhook-id` and body: a
    /// delivery again to its endpoint, or an event to every endpoint that
    /// received it. Each makes a new delivery in the log.
    ///
    /// # Errors
    /// `NotFound`; neither or both given (`deliveryId`); only disabled endpoints.
    pub async fn redeliver(
        &self,
        ctx: &Ctx,
        delivery: Option<WebhookDeliveryId>,
        event: Option<EventId>,
    ) -> Result<Vec<WebhookDelivery>, WebhookError> {
        let (event, endpoints) = match (delivery, event) {
            (Some(d), None) => {
                let d = self.d.store.delivery(ctx, d).await?;
                (d.event, vec![d.endpoint])
            }
            (None, Some(e)) => {
                let mut eps: Vec<WebhookEndpointId> = self
                    .d
                    .store
                    .event_deliveries(ctx, e)
                    .await?
                    .into_iter()
                    .map(|d| d.endpoint)
                    .collect();
                eps.sort();
                eps.dedup();
                if eps.is_empty() {
                    return Err(WebhookError::NotFound);
                }
                (e, eps)
            }
            _ => {
                return Err(
                    invalid("deliveryId", "give either a delivery id or an event id").into(),
                );
            }
        };
        let stored = self.d.store.event(ctx, event).await?;
        let mut out = Vec::new();
        for id in endpoints {
            let e = self.d.store.endpoint(ctx, id).await?;
            if e.enabled {
                out.push(self.new_delivery(e.id, &stored));
            }
        }
        if out.is_empty() {
            return Err(WebhookError::Conflict(
                "the endpoint is disabled: enable it first".into(),
            ));
        }
        let jobs: Vec<NewJob> = out.iter().map(|d| deliver_job(ctx, d, true)).collect();
        let audit = AuditRecord::new("webhook.redeliver", "webhook_event", event).details(json!({
            "deliveries": out.iter().map(|d| d.id.to_string()).collect::<Vec<_>>(),
            "endpoints": out.iter().map(|d| d.endpoint.to_string()).collect::<Vec<_>>(),
        }));
        self.d
            .store
            .add_deliveries(ctx, None, &out, &jobs, audit)
            .await?;
        Ok(out)
    }

    /// Sends a `webhook.test` ping to one endpoint, once (enabled or not:
    /// testing a disabled endpoint before enabling it is the point).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn send_test(
        &self,
        ctx: &Ctx,
        endpoint: WebhookEndpointId,
    ) -> Result<WebhookDelivery, WebhookError> {
        let e = self.d.store.endpoint(ctx, endpoint).await?;
        let event = DomainEvent::new(
            types::WEBHOOK_TEST,
            ctx.tenant(),
            self.d.clock.now(),
            json!({ "endpointId": e.id.to_string(), "message": "A test event from MaxLoyalty." }),
        );
        let stored = StoredEvent {
            id: event.id,
            event_type: event.event_type.clone(),
            occurred_at: event.occurred_at,
            body: event.body(),
        };
        let d = self.new_delivery(e.id, &stored);
        let jobs = [deliver_job(ctx, &d, true)];
        let audit = AuditRecord::new("webhook.send_test", "webhook_endpoint", e.id)
            .details(json!({ "delivery": d.id.to_string(), "event": event.id.to_string() }));
        self.d
            .store
            .add_deliveries(ctx, Some(&stored), std::slice::from_ref(&d), &jobs, audit)
            .await?;
        Ok(d)
    }

    // ----- the job handlers ---------------------------------------------------------------

    /// Fans an event out: one delivery (and job) per enabled endpoint that
    /// subscribes to its type. Running it again for the same event does
    /// nothing. Returns how many deliveries it made.
    ///
    /// # Errors
    /// A retryable failure (storage).
    pub async fn fan_out(&self, ctx: &Ctx, event: &DomainEvent) -> Result<usize, JobFailure> {
        if !types::SUBSCRIBABLE.contains(&event.event_type.as_str()) {
            return Ok(0);
        }
        let stored = StoredEvent {
            id: event.id,
            event_type: event.event_type.clone(),
            occurred_at: event.occurred_at,
            body: event.body(),
        };
        // Each first attempt is due when its event happened, so after a
        // backlog it runs right after its event's fan-out, in event order,
        // instead of behind the fan-out of every event queued meanwhile.
        let due = event.occurred_at.min(self.d.clock.now());
        let plan = |e: &WebhookEndpoint| {
            (e.enabled && e.subscribes_to(&event.event_type)).then(|| {
                let d = self.new_delivery(e.id, &stored);
                let job = deliver_job(ctx, &d, false).run_at(due);
                (d, job)
            })
        };
        self.d
            .store
            .fan_out(ctx, &stored, &plan)
            .await
            .map_err(|e| JobFailure::retry(e.to_string()))
    }

    /// Sends one delivery attempt (the `webhooks.deliver` job): signs the
    /// stored body with every signing secret, POSTs it, logs the attempt, and
    /// decides what follows — success; a 410 disables the endpoint; three days
    /// of failures disable it and tell its owners; otherwise a retry on the
    /// schedule (or after a longer `Retry-After`) until the schedule ends and
    /// the delivery is marked failed.
    ///
    /// # Errors
    /// A retry with its delay; a permanent failure for a malformed job.
    pub async fn deliver(&self, ctx: &Ctx, job: &Job) -> Result<(), JobFailure> {
        let id: WebhookDeliveryId = job
            .payload
            .get("delivery")
            .and_then(|v| v.as_str())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| JobFailure::permanent("the job names no delivery"))?;
        let retry = |e: crate::identity::errors::StoreError| JobFailure::retry(e.to_string());
        let now = self.d.clock.now();
        let AttemptContext {
            delivery: d,
            endpoint: e,
            event,
            secrets,
        } = self
            .d
            .store
            .attempt_context(ctx, id, now)
            .await
            .map_err(retry)?;
        if d.status.is_final() {
            return Ok(());
        }
        if !e.enabled && d.event_type != types::WEBHOOK_TEST {
            self.d
                .store
                .close_delivery(
                    ctx,
                    id,
                    DeliveryStatus::Cancelled,
                    "not sent: the endpoint is disabled",
                )
                .await
                .map_err(retry)?;
            return Ok(());
        }
        let webhook_id = event.id.to_string();
        let timestamp = now.timestamp();
        let signature = secrets
            .iter()
            .map(|s| self.d.signer.sign(s, &webhook_id, timestamp, &event.body))
            .collect::<Result<Vec<_>, _>>()
            .map_err(JobFailure::permanent)?
            .join(" ");
        let out = self
            .d
            .transport
            .post(&OutboundRequest {
                url: e.url.clone(),
                webhook_id,
                timestamp,
                signature,
                body: event.body,
            })
            .await;
        self.after_attempt(ctx, job, &d, &e, now, out).await
    }

    async fn after_attempt(
        &self,
        ctx: &Ctx,
        job: &Job,
        d: &WebhookDelivery,
        e: &WebhookEndpoint,
        now: chrono::DateTime<chrono::Utc>,
        out: HttpOutcome,
    ) -> Result<(), JobFailure> {
        let retry = |e: crate::identity::errors::StoreError| JobFailure::retry(e.to_string());
        let failure = match (out.status, &out.error) {
            (Some(200..=299), None) => None,
            (_, Some(err)) => Some(err.clone()),
            (Some(code), None) => Some(format!("the endpoint answered HTTP {code}")),
            (None, None) => Some("no answer".to_owned()),
        };
        let attempt = DeliveryAttempt {
            delivery: d.id,
            number: d.attempt_count + 1,
            attempted_at: now,
            status_code: out.status,
            latency_ms: out.latency_ms,
            response_excerpt: out.excerpt.clone(),
            error: failure.clone(),
        };
        let Some(failure) = failure else {
            let record = AttemptRecord {
                attempt,
                status: DeliveryStatus::Succeeded,
                next_attempt_at: None,
                // Most successes change nothing; a write per success would
                // make concurrent deliveries to one endpoint queue on its row.
                health: if e.failing_since.is_some() {
                    EndpointHealth::Healthy
                } else {
                    EndpointHealth::Unchanged
                },
                audit: None,
            };
            return self
                .d
                .store
                .record_attempt(ctx, e.id, &record)
                .await
                .map_err(retry);
        };
        let failing_for = now - e.failing_since.unwrap_or(now);
        let disable = if out.status == Some(410) {
            Some("the endpoint answered 410 Gone".to_owned())
        } else if failing_for >= Duration::hours(FAILING_DISABLE_AFTER_HOURS) {
            Some(format!(
                "every delivery failed for {} days",
                FAILING_DISABLE_AFTER_HOURS / 24
            ))
        } else {
            None
        };
        if let Some(reason) = disable {
            let audit = AuditRecord::new("webhook.auto_disable", "webhook_endpoint", e.id)
                .details(json!({ "url": e.url, "reason": reason, "delivery": d.id.to_string() }));
            let record = AttemptRecord {
                attempt,
                status: DeliveryStatus::Failed,
                next_attempt_at: None,
                health: EndpointHealth::Disable(reason.clone()),
                audit: Some(audit),
            };
            self.d
                .store
                .record_attempt(ctx, e.id, &record)
                .await
                .map_err(retry)?;
            self.tell_owners(ctx, e, &reason).await;
            return Ok(());
        }
        let delay = (job.attempts < job.max_attempts)
            .then(|| next_retry_delay(job.attempts, self.random()))
            .flatten();
        let Some(delay) = delay else {
            // The schedule is used up: the delivery failed (redeliver it from the log).
            let record = AttemptRecord {
                attempt,
                status: DeliveryStatus::Failed,
                next_attempt_at: None,
                health: EndpointHealth::Failing,
                audit: None,
            };
            return self
                .d
                .store
                .record_attempt(ctx, e.id, &record)
                .await
                .map_err(retry);
        };
        let asked = out.retry_after.map_or(Duration::zero(), |r| {
            r.min(Duration::seconds(MAX_RETRY_AFTER_SECS))
        });
        let wait = delay.max(asked);
        let record = AttemptRecord {
            attempt,
            status: DeliveryStatus::Pending,
            next_attempt_at: Some(now + wait),
            health: EndpointHealth::Failing,
            audit: None,
        };
        self.d
            .store
            .record_attempt(ctx, e.id, &record)
            .await
            .map_err(retry)?;
        Err(JobFailure::retry(failure).with_retry_after(wait))
    }

    /// Tells the business's active owners that an endpoint was disabled
    /// (best effort: the audit log keeps the durable record).
    async fn tell_owners(&self, ctx: &Ctx, e: &WebhookEndpoint, reason: &str) {
        let mut page = PageRequest::Forward {
            after: None,
            limit: 100,
        };
        loop {
            let Ok(staff) = self.d.staff.list(ctx, page).await else {
                return;
            };
            for m in staff
                .items
                .iter()
                .filter(|m| m.active && m.role == Role::Owner)
            {
                let message = EmailMessage {
                    to: m.user.email.clone(),
                    subject: "A webhook endpoint was disabled".into(),
                    text: format!(
                        "MaxLoyalty stopped sending webhooks to {url}: {reason}.\n\n\
                         Fix the receiver, then enable the endpoint again under Settings → Webhooks \
                         and redeliver what it missed from its delivery log.",
                        url = e.url
                    ),
                    html: None,
                };
                let _ = self.d.mailer.send(&message).await;
            }
            match (staff.has_next, staff.items.last()) {
                (true, Some(last)) => {
                    page = PageRequest::Forward {
                        after: Some(last.user.id.as_uuid()),
                        limit: 100,
                    };
                }
                _ => return,
            }
        }
    }
}
