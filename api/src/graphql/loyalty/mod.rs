//! GraphQL for the loyalty context: guests, the ledger, checks, holds, levels, settings, promotions.

pub mod miniapp;
pub mod mutations;
pub mod promotions;
pub mod queries;
pub mod subscriptions;
pub mod types;
