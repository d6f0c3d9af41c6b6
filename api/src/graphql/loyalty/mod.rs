//! GraphQL for the loyalty context: guests, the ledger, checks, holds, levels, settings.

pub mod miniapp;
pub mod mutations;
pub mod queries;
pub mod subscriptions;
pub mod types;
