//! Outbound webhooks (Standard Webhooks): a business's endpoints subscribe to
//! event types; every durable event ([`crate::events`]) fans out into one
//! delivery job per subscribed, enabled endpoint; each delivery is signed
//! (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`),
//! retried on a fixed schedule, and logged attempt by attempt.

pub mod errors;
pub mod models;
pub mod ports;
pub mod service;

pub use errors::WebhookError;
pub use models::{
    DeliveryAttempt, DeliveryStatus, EndpointChanges, NewEndpoint, RETRY_SCHEDULE_SECS,
    WebhookDelivery, WebhookEndpoint, is_forbidden_address, next_retry_delay,
};
pub use ports::{
    AttemptContext, AttemptRecord, EndpointHealth, HttpOutcome, OutboundRequest, StoredEvent,
    TargetRejection, WebhookSigner, WebhookStore, WebhookTransport,
};
pub use service::{DELIVER_JOB, WebhookDeps, WebhookService};
