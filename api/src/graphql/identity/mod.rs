//! GraphQL for the identity context: staff, sessions, locations, roles, API keys, audit.

pub mod api_keys;
pub mod mutations;
pub mod queries;
pub mod subscriptions;
pub mod types;
