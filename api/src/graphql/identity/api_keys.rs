//! Partner API keys for a business's admins: create (the key shown once), list,
//! revoke. A partner app sends its key as `Authorization: Bearer <key>`.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::ApiKeyId;
use domain::identity::{self as d, Permission as P};

use crate::error::GqlResult;
use crate::graphql::{Perm, identity_service as svc, parse_id, requires, staff_ctx};

/// A partner app's API key (never the key itself).
#[derive(SimpleObject)]
pub struct ApiKey {
    /// Id.
    pub id: ID,
    /// Which partner app it is for.
    pub name: String,
    /// The beginning of the key (`mlk_live_ab12cd34`), to tell keys apart.
    pub prefix: String,
    /// What it may do: permission keys such as `guests:read`.
    pub scopes: Vec<String>,
    /// Who created it: their e-mail (or the creating key's name and prefix) at the time.
    pub created_by: Option<String>,
    /// The staff member who created it, if a person did.
    pub created_by_user_id: Option<ID>,
    /// The API key that created it, if a partner app did.
    pub created_by_api_key_id: Option<ID>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last used (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked key never works again.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Whether it still works.
    pub active: bool,
}

impl From<d::ApiKey> for ApiKey {
    fn from(k: d::ApiKey) -> Self {
        Self {
            id: ID(k.id.to_string()),
            active: k.is_active(),
            name: k.name,
            prefix: k.prefix,
            scopes: k.scopes.iter().map(|p| p.key().to_owned()).collect(),
            created_by: k.created_by_label,
            created_by_user_id: k.created_by.user_id().map(|u| ID(u.to_string())),
            created_by_api_key_id: k.created_by.api_key_id().map(|a| ID(a.to_string())),
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// A new API key with the key itself, shown only in this answer.
#[derive(SimpleObject)]
pub struct CreatedApiKey {
    /// The key as listed.
    pub api_key: ApiKey,
    /// The whole key: send it as `Authorization: Bearer <key>`. It is stored only
    /// as a digest and never shown again.
    pub key: String,
}

/// API key queries.
#[derive(Default)]
pub struct ApiKeyQuery;

#[Object]
impl ApiKeyQuery {
    /// The business's API keys (revoked ones too), oldest first.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn api_keys(&self, ctx: &Context<'_>) -> Result<Vec<ApiKey>> {
        let keys = svc(ctx)?.api_keys(staff_ctx(ctx)?).await.gql()?;
        Ok(keys.into_iter().map(Into::into).collect())
    }
}

/// API key mutations.
#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates an API key for a partner app with scopes (permission keys such as
    /// `guests:read`, `checks:process`) that the caller holds; never
    /// `staff:manage` or `roles:manage`. The key is shown only in this answer.
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        name: String,
        scopes: Vec<String>,
    ) -> Result<CreatedApiKey> {
        let created = svc(ctx)?
            .create_api_key(staff_ctx(ctx)?, &name, &scopes)
            .await
            .gql()?;
        Ok(CreatedApiKey {
            api_key: created.key.into(),
            key: created.secret,
        })
    }

    /// Revokes an API key: its next request is refused (`UNAUTHENTICATED`).
    #[graphql(guard = "Perm(P::IntegrationsManage)", directive = requires::apply("integrations:manage".into()))]
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> Result<ApiKey> {
        let id: ApiKeyId = parse_id(&id, "id")?;
        Ok(svc(ctx)?
            .revoke_api_key(staff_ctx(ctx)?, id)
            .await
            .gql()?
            .into())
    }
}
