//! Identity and access: tenants, staff users, memberships and roles, sessions,
//! invitations, locations, role permissions, partner API keys and the audit log.

pub mod api_key_service;
pub mod api_keys;
pub mod errors;
pub mod mail;
pub mod models;
pub mod ports;
pub mod service;

pub use api_keys::{ApiKey, CreatedApiKey, is_api_key};
pub use errors::*;
pub use models::*;
pub use service::{IdentityDeps, IdentityService, SessionPolicy};

#[cfg(test)]
pub(crate) mod tests;
