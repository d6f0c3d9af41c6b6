//! The one mapping from domain errors to GraphQL errors with a stable
//! `extensions.code`. Internal errors are logged here, once, and shown generically.

use async_graphql::{Error, ErrorExtensions};
use domain::identity::{DomainError, ErrorClass};

/// The stable codes clients see.
pub mod code {
    /// No valid credentials.
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// Not allowed.
    pub const FORBIDDEN: &str = "FORBIDDEN";
    /// No such object (in the caller's tenant).
    pub const NOT_FOUND: &str = "NOT_FOUND";
    /// Bad input.
    pub const VALIDATION: &str = "VALIDATION";
    /// Conflicts with current state.
    pub const CONFLICT: &str = "CONFLICT";
    /// Too many attempts.
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    /// An outside system (iikoCloud, …) could not be reached; retry later.
    pub const UNAVAILABLE: &str = "UNAVAILABLE";
    /// Our fault.
    pub const INTERNAL: &str = "INTERNAL";
}

/// The stable code of an error class.
pub(crate) fn class_code(class: ErrorClass) -> &'static str {
    match class {
        ErrorClass::Validation => code::VALIDATION,
        ErrorClass::Unauthenticated => code::UNAUTHENTICATED,
        ErrorClass::Forbidden => code::FORBIDDEN,
        ErrorClass::NotFound => code::NOT_FOUND,
        ErrorClass::Conflict => code::CONFLICT,
        ErrorClass::RateLimited => code::RATE_LIMITED,
        ErrorClass::Unavailable => code::UNAVAILABLE,
        ErrorClass::Internal => code::INTERNAL,
    }
}

/// Converts any domain error into a GraphQL error.
pub fn gql<E: DomainError>(e: E) -> Error {
    let class = e.class();
    let message = if class == ErrorClass::Internal {
        tracing::error!(error = %e, "internal error");
        "internal error; it has been logged".to_owned()
    } else {
        e.to_string()
    };
    let field = e.field();
    let retry = e.retry_after_secs();
    Error::new(message).extend_with(|_, ext| {
        ext.set("code", class_code(class));
        if let Some(f) = field {
            ext.set("field", f);
        }
        if let Some(r) = retry {
            ext.set("retryAfter", r);
        }
    })
}

/// A validation error on an argument that failed to parse (ids, cursors).
pub fn invalid(field: &'static str, message: impl Into<String>) -> Error {
    let message = message.into();
    Error::new(message).extend_with(|_, ext| {
        ext.set("code", code::VALIDATION);
        ext.set("field", field);
    })
}

/// Extension trait: `.map_err(gql)` shorthand for results.
pub trait GqlResult<T> {
    /// Maps the domain error.
    ///
    /// # Errors
    /// The mapped error.
    fn gql(self) -> Result<T, Error>;
}

impl<T, E: DomainError> GqlResult<T> for Result<T, E> {
    fn gql(self) -> Result<T, Error> {
        self.map_err(gql)
    }
}
