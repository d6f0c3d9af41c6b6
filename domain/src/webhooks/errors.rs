//! Errors of the webhook use cases.

use crate::identity::errors::{DomainError, ErrorClass, StoreError};
use crate::identity::models::InvalidValue;
use crate::page::PageError;

/// Managing endpoints, reading the delivery log, redelivering.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// A field is invalid (a refused URL is `url`).
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// No such endpoint, delivery or event in this business.
    #[error("not found")]
    NotFound,
    /// Not possible in the current state (e.g. redelivering to a disabled endpoint).
    #[error("{0}")]
    Conflict(String),
    /// Bad pagination.
    #[error(transparent)]
    Page(#[from] PageError),
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebhookError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict(what) => Self::Conflict(format!("already exists: {what}")),
            StoreError::Internal(m) => Self::Internal(m),
        }
    }
}

impl DomainError for WebhookError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) | Self::Page(_) => ErrorClass::Validation,
            Self::NotFound => ErrorClass::NotFound,
            Self::Conflict(_) => ErrorClass::Conflict,
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
