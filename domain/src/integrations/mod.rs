//! Integrations: POS systems (our canonical format, iiko, r_keeper) send checks
//! to per-location endpoints. Every delivery is verified, stored raw with its
//! processing job in one transaction, answered at once, and processed by a
//! worker exactly once per external id; every delivery is listed in the
//! integration's event log.

pub mod errors;
pub mod formats;
pub mod models;
pub mod ports;
pub mod service;

pub use errors::{IntegrationError, ReceiveError};
pub use models::{
    EventStatus, InboundEvent, Integration, IntegrationKind, IntegrationSecrets, IntegrationStatus,
};
pub use ports::{
    EventFilter, IikoCloud, IikoCloudError, IikoOrderKind, InboundEventStore, IntegrationStore,
    Received,
};
pub use service::{IntegrationDeps, IntegrationService, NewIntegration, PROCESS_JOB};
