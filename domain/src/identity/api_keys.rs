//! Partner API keys: the key format, scopes and the stored key. A key is
//! `mlk_live_<64 hex random>_<tenant>`: the random part is the secret (256 bits,
//! stored only as a digest), the tenant lets the lookup stay inside one tenant's
//! rows like refresh tokens do, and `mlk_live_` plus the first 8 characters of
//! the secret is the prefix shown in lists so that admins can tell keys apart.

use chrono::{DateTime, Duration, Utc};

use super::models::{InvalidValue, Permission};
use crate::ctx::Actor;
use crate::ids::{ApiKeyId, TenantId};

/// How every API key begins (tells keys from access tokens, which are JWTs).
pub const API_KEY_PREFIX: &str = "mlk_live_";
/// How many random bytes a key's secret has.
const SECRET_BYTES: usize = 32;
/// How many characters of the secret the shown prefix keeps.
const SHOWN_SECRET_CHARS: usize = 8;

/// Permissions an API key can never hold: who works for the business and what
/// each role may do stay in people's hands.
pub const NEVER_API_KEY_SCOPES: [Permission; 2] =
    [Permission::RolesManage, Permission::StaffManage];

/// The last-used time of a key moves at most once per this many seconds (no
/// write per request).
pub const LAST_USED_RESOLUTION_SECS: i64 = 60;

/// Whether a bearer credential is meant as an API key (by its prefix; access
/// tokens are JWTs and never start like this).
#[must_use]
pub fn is_api_key(credential: &str) -> bool {
    credential.starts_with("mlk_")
}

/// A new key for `tenant` from `SECRET_BYTES` random bytes.
pub(crate) fn compose_api_key(tenant: TenantId, random: &[u8; SECRET_BYTES]) -> String {
    let secret: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("{API_KEY_PREFIX}{secret}_{}", tenant.as_uuid().simple())
}

/// The tenant a well-formed key names (the digest lookup decides whether it is real).
pub(crate) fn api_key_tenant(key: &str) -> Option<TenantId> {
    let (secret, tenant) = key.strip_prefix(API_KEY_PREFIX)?.split_once('_')?;
    let hex = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(secret, SECRET_BYTES * 2) || !hex(tenant, 32) {
        return None;
    }
    tenant.parse().ok()
}

/// The part of a key shown in lists and in the audit log (`mlk_live_ab12cd34`).
pub(crate) fn shown_prefix(key: &str) -> String {
    key.chars()
        .take(API_KEY_PREFIX.len() + SHOWN_SECRET_CHARS)
        .collect()
}

/// Checks the scopes asked for a new key: permission keys of the catalogue, at
/// least one, none of [`NEVER_API_KEY_SCOPES`], and none beyond `creator` (what
/// its creator may do). Returns them deduplicated in catalogue order.
///
/// # Errors
/// [`InvalidValue`] on the field `scopes`, naming the offending scopes.
pub fn parse_scopes(
    keys: &[String],
    creator: &[Permission],
) -> Result<Vec<Permission>, InvalidValue> {
    let mut scopes = Vec::with_capacity(keys.len());
    for k in keys {
        let p = Permission::parse(k.trim()).ok_or_else(|| {
            InvalidValue::new(
                "scopes",
                format!("unknown scope \"{k}\": use permission keys such as guests:read"),
            )
        })?;
        scopes.push(p);
    }
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() {
        return Err(InvalidValue::new("scopes", "choose at least one scope"));
    }
    let never: Vec<&str> = scopes
        .iter()
        .filter(|p| NEVER_API_KEY_SCOPES.contains(p))
        .map(|p| p.key())
        .collect();
    if !never.is_empty() {
        return Err(InvalidValue::new(
            "scopes",
            format!(
                "API keys cannot hold {}: staff and roles are managed by people",
                never.join(", ")
            ),
        ));
    }
    let beyond: Vec<&str> = scopes
        .iter()
        .filter(|p| !creator.contains(p))
        .map(|p| p.key())
        .collect();
    if !beyond.is_empty() {
        return Err(InvalidValue::new(
            "scopes",
            format!(
                "a key cannot do more than you may: you do not hold {}",
                beyond.join(", ")
            ),
        ));
    }
    Ok(scopes)
}

/// A partner API key of a tenant (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Its id.
    pub id: ApiKeyId,
    /// A name for people (which partner app it is for).
    pub name: String,
    /// The shown beginning of the key (`mlk_live_ab12cd34`).
    pub prefix: String,
    /// What it may do, in catalogue order.
    pub scopes: Vec<Permission>,
    /// Who created it (a staff member, another key, or the system).
    pub created_by: Actor,
    /// The creator's e-mail (or key) at the time, filled in by the store.
    pub created_by_label: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last used (to the minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked key never works again.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// Whether the key still works.
    #[must_use]
    pub const fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }

    /// The last-used time older than which a use at `now` is recorded: uses
    /// within [`LAST_USED_RESOLUTION_SECS`] of the recorded one are not.
    #[must_use]
    pub fn record_use_before(now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::seconds(LAST_USED_RESOLUTION_SECS)
    }

    /// Whether a use at `now` should be recorded.
    #[must_use]
    pub fn use_needs_recording(&self, now: DateTime<Utc>) -> bool {
        self.last_used_at
            .is_none_or(|t| t <= Self::record_use_before(now))
    }

    /// How the key names itself in the audit log and in lists.
    #[must_use]
    pub fn label(&self) -> String {
        format!("API key \"{}\" ({}…)", self.name, self.prefix)
    }
}

/// A key just created, with its secret (shown once, never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedApiKey {
    /// The key as stored.
    pub key: ApiKey,
    /// The whole key to send as `Authorization: Bearer <key>`.
    pub secret: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn keys(ks: &[&str]) -> Vec<String> {
        ks.iter().map(|k| (*k).to_owned()).collect()
    }

    #[test]
    fn a_key_names_its_tenant_and_shows_only_its_beginning() {
        let t = TenantId::new();
        let key = compose_api_key(t, &[0xab; SECRET_BYTES]);
        assert!(is_api_key(&key));
        assert!(key.starts_with("mlk_live_abababab"));
        assert_eq!(api_key_tenant(&key), Some(t));
        assert_eq!(shown_prefix(&key), "mlk_live_abababab");
        assert_eq!(key.len(), API_KEY_PREFIX.len() + 64 + 1 + 32);
    }

    #[test]
    fn malformed_keys_name_no_tenant() {
        let t = TenantId::new().as_uuid().simple().to_string();
        let secret = "ab".repeat(SECRET_BYTES);
        for bad in [
            String::new(),
            "mlk_live_".to_owned(),
            format!("mlk_live_{secret}"),
            format!("mlk_live_{}_{t}", &secret[2..]),
            format!("mlk_live_{}zz_{t}", &secret[2..]),
            format!("mlk_test_{secret}_{t}"),
            format!("mlk_live_{secret}_{}", &t[1..]),
            format!("mlk_live_{secret}_{t}_x"),
        ] {
            assert_eq!(api_key_tenant(&bad), None, "{bad}");
        }
        assert!(!is_api_key("eyJhbGciOiJIUzI1NiJ9.e30.x"));
    }

    #[test]
    fn scopes_are_catalogue_permissions_within_the_creators() {
        let owner = Permission::ALL.to_vec();
        assert_eq!(
            parse_scopes(
                &keys(&["checks:process", "guests:read", "guests:read"]),
                &owner
            ),
            Ok(vec![Permission::GuestsRead, Permission::ChecksProcess])
        );
        for bad in [
            &[][..],
            &["guests:fly"][..],
            &["GUESTS:READ"][..],
            &["staff:manage"][..],
            &["guests:read", "roles:manage"][..],
        ] {
            let err = parse_scopes(&keys(bad), &owner).expect_err("refused");
            assert_eq!(err.field, "scopes", "{bad:?}");
        }
        let cashier = super::super::models::Role::Cashier.default_permissions();
        let err = parse_scopes(&keys(&["guests:read", "guests:manage"]), &cashier)
            .expect_err("beyond the creator");
        assert!(err.message.contains("guests:manage"), "{}", err.message);
        assert!(!err.message.contains("guests:read"), "{}", err.message);
    }

    #[test]
    fn uses_are_recorded_at_most_once_a_minute() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let mut key = ApiKey {
            id: ApiKeyId::new(),
            name: "POS bridge".into(),
            prefix: "mlk_live_abababab".into(),
            scopes: vec![Permission::GuestsRead],
            created_by: Actor::System,
            created_by_label: None,
            created_at: at,
            last_used_at: None,
            revoked_at: None,
        };
        assert!(key.use_needs_recording(at));
        key.last_used_at = Some(at);
        assert!(!key.use_needs_recording(at + Duration::seconds(59)));
        assert!(key.use_needs_recording(at + Duration::seconds(60)));
        assert_eq!(key.label(), "API key \"POS bridge\" (mlk_live_abababab…)");
    }
}
