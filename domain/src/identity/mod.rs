//! Identity and access: tenants, staff users, memberships and roles, sessions,
//! invitations, locations, role permissions and the audit log.

pub mod errors;
pub mod models;
pub mod ports;
pub mod service;

pub use errors::*;
pub use models::*;
pub use service::{IdentityDeps, IdentityService, SessionPolicy};

#[cfg(test)]
mod tests;
