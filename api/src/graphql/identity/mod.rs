//! GraphQL for the identity context: staff, sessions, locations, roles, audit.

pub mod mutations;
pub mod queries;
pub mod subscriptions;
pub mod types;
