//! One error enum per loyalty operation.

use crate::identity::errors::{DomainError, ErrorClass, StoreError};
use crate::identity::models::InvalidValue;
use crate::page::PageError;

use super::ports::BatchError;

/// Processing, reversing or adjusting points, and holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// No such guest (or location, check, hold) in this business.
    #[error("not found")]
    NotFound,
    /// Not enough available points.
    #[error("not enough points: {available} available")]
    InsufficientPoints {
        /// Available now.
        available: i64,
    },
    /// More points than the level allows for this check.
    #[error("at most {max} points can pay for this check")]
    ExceedsMaxShare {
        /// The most allowed.
        max: i64,
    },
    /// The hold is no longer pending (captured, voided or expired).
    #[error("the hold is no longer pending")]
    HoldNotPending,
    /// The check was already reversed.
    #[error("the check was already reversed")]
    AlreadyReversed,
    /// The same idempotency key came with a different request.
    #[error("this id was already used for a different request")]
    IdempotencyConflict,
    /// The guest has pending holds (resolve them first).
    #[error("the guest has pending holds: capture or void them first")]
    PendingHolds,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for LedgerError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<BatchError> for LedgerError {
    fn from(e: BatchError) -> Self {
        match e {
            BatchError::Insufficient { available, .. } => Self::InsufficientPoints { available },
            BatchError::HoldNotPending(_) => Self::HoldNotPending,
            BatchError::AlreadyReversed(_) => Self::AlreadyReversed,
            BatchError::PendingHolds(_) => Self::PendingHolds,
            BatchError::Duplicate { .. } => Self::IdempotencyConflict,
            BatchError::Store(s) => s.into(),
        }
    }
}

impl DomainError for LedgerError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) | Self::ExceedsMaxShare { .. } => ErrorClass::Validation,
            Self::NotFound => ErrorClass::NotFound,
            Self::InsufficientPoints { .. }
            | Self::HoldNotPending
            | Self::AlreadyReversed
            | Self::IdempotencyConflict
            | Self::PendingHolds => ErrorClass::Conflict,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::InsufficientPoints { .. } | Self::ExceedsMaxShare { .. } => Some("redeemPoints"),
            Self::IdempotencyConflict => Some("externalId"),
            _ => None,
        }
    }
}

/// Creating, editing and reading guests.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuestError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// No such guest here.
    #[error("not found")]
    NotFound,
    /// Another guest has this phone / Telegram id.
    #[error("another guest already has this {0}")]
    Taken(&'static str),
    /// Bad pagination.
    #[error(transparent)]
    Page(#[from] PageError),
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for GuestError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(what) => Self::Taken(what),
            StoreError::Internal(m) => Self::Internal(m),
        }
    }
}

impl DomainError for GuestError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) | Self::Page(_) => ErrorClass::Validation,
            Self::NotFound => ErrorClass::NotFound,
            Self::Taken(_) => ErrorClass::Conflict,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::Taken(f) => Some(f),
            _ => None,
        }
    }
}

/// Changing levels and settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// No such level here.
    #[error("not found")]
    NotFound,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ConfigError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl DomainError for ConfigError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::NotFound => ErrorClass::NotFound,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            _ => None,
        }
    }
}

/// Signing a guest in from the Mini App, and configuring the bot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuestAuthError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// The business has no Telegram bot configured (or does not exist): said
    /// as plainly as any other missing object, so nothing leaks about businesses.
    #[error("not found")]
    NotConfigured,
    /// The `initData` is not valid for this business's bot.
    #[error("the Telegram sign-in data is not valid for this business")]
    BadInitData,
    /// The `initData` is too old: reopen the Mini App.
    #[error("the Telegram sign-in data has expired; reopen the app")]
    Expired,
    /// Not a guest session.
    #[error("sign in through the app")]
    NotAGuest,
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for GuestAuthError {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl DomainError for GuestAuthError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) => ErrorClass::Validation,
            Self::NotConfigured => ErrorClass::NotFound,
            Self::BadInitData | Self::Expired | Self::NotAGuest => ErrorClass::Unauthenticated,
            Self::Internal(_) => ErrorClass::Internal,
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid(v) => Some(v.field),
            Self::BadInitData | Self::Expired => Some("initData"),
            _ => None,
        }
    }
}
