//! Loyalty: guests, the points ledger (accounts, entries, lots, holds), levels,
//! settings and check processing.

pub mod errors;
pub mod events;
mod live;
pub mod models;
pub mod outbox;
pub mod phone_link;
pub mod ports;
pub mod promotion_service;
pub mod promotions;
pub mod service;
pub mod tasks;
pub mod values;

pub use errors::*;
pub use events::{BatchState, EventPublisher, LiveBatch, LoyaltyEvent, NoEvents};
pub use models::*;
pub use promotion_service::GuestPromotion;
pub use promotions::{
    GrantStatus, Promotion, PromotionDraft, PromotionGrant, PromotionKind, PromotionRule,
};
pub use service::{
    CheckInput, GuestCard, GuestChanges, GuestSession, LoyaltyDeps, LoyaltyService, NewGuest,
};
