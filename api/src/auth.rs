//! Who is calling: built once per request (HTTP header or websocket
//! `connection_init`) and handed to GraphQL as request data.

use domain::identity::{AccessError, is_api_key};
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
    /// A partner app with a valid API key: acts in the key's tenant, within its scopes.
    ApiKey(Ctx),
    /// Credentials were presented but refused.
    Rejected(AccessError, RequestMeta),
}

impl Caller {
    /// Resolves an `Authorization` header value: an API key (told apart by its
    /// `mlk_` prefix), else a staff access token, else a guest token.
    pub async fn from_authorization(
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
                if is_api_key(token) {
                    return match identity.authenticate_api_key(token, meta.clone()).await {
                        Ok(ctx) => Self::ApiKey(ctx),
                        Err(e) => Self::Rejected(e, meta),
                    };
                }
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

    /// The context of a staff member or an API key acting in its tenant (what
    /// `@requires` fields run with), or why there is none.
    ///
    /// # Errors
    /// `Unauthenticated` (or the rejection of the presented token).
    pub fn ctx(&self) -> Result<&Ctx, AccessError> {
        match self {
            Self::Staff(ctx) | Self::ApiKey(ctx) => Ok(ctx),
            Self::Guest(_) => Err(AccessError::Forbidden),
            Self::Anonymous(_) => Err(AccessError::Unauthenticated),
            Self::Rejected(e, _) => Err(e.clone()),
        }
    }

    /// The context of a signed-in staff member (what `@authenticated` fields,
    /// which are about the person, run with); API keys are refused.
    ///
    /// # Errors
    /// `Unauthenticated`, `NotForApiKeys` for an API key, `Forbidden` for a guest.
    pub fn person_ctx(&self) -> Result<&Ctx, AccessError> {
        match self {
            Self::Staff(ctx) => Ok(ctx),
            Self::ApiKey(_) => Err(AccessError::NotForApiKeys),
            Self::Guest(_) => Err(AccessError::Forbidden),
            Self::Anonymous(_) => Err(AccessError::Unauthenticated),
            Self::Rejected(e, _) => Err(e.clone()),
        }
    }

    /// The guest context, or why there is none (staff tokens and API keys are refused).
    ///
    /// # Errors
    /// `Unauthenticated`, `Forbidden` for staff, `NotForApiKeys` for an API key.
    pub fn guest_ctx(&self) -> Result<&Ctx, AccessError> {
        match self {
            Self::Guest(ctx) => Ok(ctx),
            Self::Staff(_) => Err(AccessError::Forbidden),
            Self::ApiKey(_) => Err(AccessError::NotForApiKeys),
            Self::Anonymous(_) => Err(AccessError::Unauthenticated),
            Self::Rejected(e, _) => Err(e.clone()),
        }
    }

    /// Where the request came from.
    #[must_use]
    pub fn meta(&self) -> RequestMeta {
        match self {
            Self::Staff(ctx) | Self::Guest(ctx) | Self::ApiKey(ctx) => ctx.meta().clone(),
            Self::Anonymous(m) | Self::Rejected(_, m) => m.clone(),
        }
    }
}
