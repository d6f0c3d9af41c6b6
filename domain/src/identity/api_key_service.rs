//! API key use cases: creating a key (shown once, stored as a digest, scopes no
//! wider than its creator's), listing and revoking keys, and authenticating a
//! partner app's request by its key. Authorisation of a key's requests is
//! [`IdentityService::authorize`], the same policy check as for people.

use serde_json::json;

use super::api_keys::{
    ApiKey, CreatedApiKey, api_key_tenant, compose_api_key, parse_scopes, shown_prefix,
};
use super::errors::{AccessError, CreateApiKeyError, ReadError, RevokeApiKeyError};
use super::models::{AuditRecord, Name, Permission};
use super::service::{IdentityService, subject_of};
use crate::ctx::{Actor, Ctx, RequestMeta};
use crate::ids::ApiKeyId;

impl IdentityService {
    /// Builds the request context of a partner app from its API key: the key's
    /// tenant, the key as the actor. Records the use (at most once a minute).
    ///
    /// # Errors
    /// `InvalidApiKey` for a malformed, unknown or revoked key.
    pub async fn authenticate_api_key(
        &self,
        key: &str,
        meta: RequestMeta,
    ) -> Result<Ctx, AccessError> {
        let tenant = api_key_tenant(key).ok_or(AccessError::InvalidApiKey)?;
        let sys = Ctx::system(tenant);
        let stored = self
            .d
            .api_keys
            .find_by_digest(&sys, &self.d.secrets.digest(key))
            .await?
            .filter(ApiKey::is_active)
            .ok_or(AccessError::InvalidApiKey)?;
        let now = self.now();
        if stored.use_needs_recording(now) {
            self.d
                .api_keys
                .record_use(&sys, stored.id, now, ApiKey::record_use_before(now))
                .await?;
        }
        Ok(Ctx::api_key(tenant, stored.id, meta))
    }

    /// Creates an API key for a partner app. Its scopes are permission keys
    /// (`guests:read`, …) the caller holds; the whole key is returned only here.
    ///
    /// # Errors
    /// See [`CreateApiKeyError`].
    pub async fn create_api_key(
        &self,
        ctx: &Ctx,
        name: &str,
        scopes: &[String],
    ) -> Result<CreatedApiKey, CreateApiKeyError> {
        let name = Name::parse(name, "name", 100)?;
        let creator = match (ctx.actor(), subject_of(ctx)) {
            (_, Some(subject)) => self.d.authorizer.permissions(ctx, subject).await?,
            (Actor::System, None) => Permission::ALL.to_vec(),
            (_, None) => return Err(CreateApiKeyError::NotAllowed),
        };
        let scopes = parse_scopes(scopes, &creator)?;
        let mut random = [0_u8; 32];
        self.d.secrets.fill_random(&mut random);
        let secret = compose_api_key(ctx.tenant(), &random);
        let key = ApiKey {
            id: ApiKeyId::new(),
            name: name.to_string(),
            prefix: shown_prefix(&secret),
            scopes,
            created_by: ctx.actor(),
            created_by_label: None,
            created_at: self.now(),
            last_used_at: None,
            revoked_at: None,
        };
        let audit = AuditRecord::new("api_key.create", "api_key", key.id).details(json!({
            "name": key.name,
            "prefix": key.prefix,
            "scopes": key.scopes.iter().map(|p| p.key()).collect::<Vec<_>>(),
        }));
        let key = self
            .d
            .api_keys
            .create(ctx, &key, &self.d.secrets.digest(&secret), audit)
            .await?;
        self.d.authorizer.invalidate(ctx);
        Ok(CreatedApiKey { key, secret })
    }

    /// Revokes an API key: its next request is refused. Revoking a revoked key
    /// changes nothing.
    ///
    /// # Errors
    /// See [`RevokeApiKeyError`].
    pub async fn revoke_api_key(
        &self,
        ctx: &Ctx,
        id: ApiKeyId,
    ) -> Result<ApiKey, RevokeApiKeyError> {
        let key = self.d.api_keys.get(ctx, id).await?;
        if !key.is_active() {
            return Ok(key);
        }
        let audit = AuditRecord::new("api_key.revoke", "api_key", id)
            .details(json!({ "name": key.name, "prefix": key.prefix }));
        let key = self.d.api_keys.revoke(ctx, id, self.now(), audit).await?;
        self.d.authorizer.invalidate(ctx);
        Ok(key)
    }

    /// Every API key of the business (revoked ones too), oldest first.
    ///
    /// # Errors
    /// Storage failure.
    pub async fn api_keys(&self, ctx: &Ctx) -> Result<Vec<ApiKey>, ReadError> {
        Ok(self.d.api_keys.list(ctx).await?)
    }
}
