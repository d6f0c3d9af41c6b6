//! Errors of the integration use cases.

use crate::identity::errors::{DomainError, ErrorClass, StoreError};
use crate::identity::models::InvalidValue;
use crate::page::PageError;

/// Configuring integrations and reading their logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntegrationError {
    /// A field is invalid.
    #[error(transparent)]
    Invalid(#[from] InvalidValue),
    /// No such integration (or event) here.
    #[error("not found")]
    NotFound,
    /// Only failed (or ignored) events can be processed again.
    #[error("only failed or ignored events can be reprocessed")]
    NotReprocessable,
    /// Bad pagination.
    #[error(transparent)]
    Page(#[from] PageError),
    /// An outside system (iikoCloud) could not be reached.
    #[error("{0}")]
    Unavailable(String),
    /// Internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for IntegrationError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl DomainError for IntegrationError {
    fn class(&self) -> ErrorClass {
        match self {
            Self::Invalid(_) | Self::Page(_) => ErrorClass::Validation,
            Self::NotFound => ErrorClass::NotFound,
            Self::NotReprocessable => ErrorClass::Conflict,
            Self::Unavailable(_) => ErrorClass::Unavailable,
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

/// Why an inbound delivery was refused (each maps to one HTTP status).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiveError {
    /// No such integration (404).
    #[error("no such integration")]
    UnknownIntegration,
    /// Disabled (403).
    #[error("this integration is disabled")]
    Disabled,
    /// Bad or missing signature or token (401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The body is not what the format says (400).
    #[error("{0}")]
    Malformed(String),
    /// The same external id came before with a different payload (409).
    #[error("this external id was already used for a different payload")]
    Conflict,
    /// A synchronous request (lookup, hold) was refused by the ledger (422).
    #[error("{0}")]
    Refused(String),
    /// Storage failure (503: the sender retries).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ReceiveError {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}
