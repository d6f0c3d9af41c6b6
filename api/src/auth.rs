//! Who is calling: built once per request (HTTP header or websocket
//! `connection_init`) and handed to GraphQL as request data.

use domain::identity::AccessError;
use domain::{Ctx, RequestMeta};

/// The caller of one GraphQL request.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credentials were presented.
    Anonymous(RequestMeta),
    /// A staff member with a valid access token.
    Staff(Ctx),
    /// A guest with a valid guest token (Mini App).
    Guest(Ctx),
    /// Credentials were presented but refused.
    Rejected(AccessError, RequestMeta),
}

impl Caller {
    /// Resolves an `Authorization` header value.
    pub fn from_authorization(
        header: Option<&str>,
        meta: RequestMeta,
        identity: &domain::identity::IdentityService,
    ) -> Self {
        match header.map(str::trim).filter(|h| !h.is_empty()) {
            None => Self::Anonymous(meta),
            Some(h) => {
                let token = h
                    .strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
                    .unwrap_or(h)
                    .trim();
                match identity.authenticate(token, meta.clone()) {
                    Ok(ctx) => Self::Staff(ctx),
                    Err(AccessError::Unauthenticated) => {
                        match identity.authenticate_guest(token, meta.clone()) {
                            Ok(ctx) => Self::Guest(ctx),
                            Err(e) => Self::Rejected(e, meta),
                        }
                    }
                    Err(e) => Self::Rejected(e, meta),
                }
            }
        }
    }

    /// The staff context, or why there is none.
    ///
    /// # Errors
    /// `Unauthenticated` (or the rejection of the presented token).
    pub fn ctx(&self) -> Result<&Ctx, AccessError> {
        match self {
            Self::Staff(ctx) => Ok(ctx),
            Self::Guest(_) => Err(AccessError::Forbidden),
            Self::Anonymous(_) => Err(AccessError::Unauthenticated),
            Self::Rejected(e, _) => Err(e.clone()),
        }
    }

    /// The guest context, or why there is none (staff tokens are refused).
    ///
    /// # Errors
    /// `Unauthenticated`, `Forbidden` for staff.
    pub fn guest_ctx(&self) -> Result<&Ctx, AccessError> {
        match self {
            Self::Guest(ctx) => Ok(ctx),
            Self::Staff(_) => Err(AccessError::Forbidden),
            Self::Anonymous(_) => Err(AccessError::Unauthenticated),
            Self::Rejected(e, _) => Err(e.clone()),
        }
    }

    /// Where the request came from.
    #[must_use]
    pub fn meta(&self) -> RequestMeta {
        match self {
            Self::Staff(ctx) | Self::Guest(ctx) => ctx.meta().clone(),
            Self::Anonymous(m) | Self::Rejected(_, m) => m.clone(),
        }
    }
}
