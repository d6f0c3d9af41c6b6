//! Password hashing (argon2id), access-token signing (HS256 JWT) and opaque
//! secrets (256-bit random, stored as SHA-256 digests).
//!
//! JWTs are built here over `hmac`/`sha2` rather than with a JWT crate: we
//! issue and accept exactly one algorithm (HS256), and the common crate's
//! crypto backends would add RSA/ECDSA stacks we never use.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::identity::ports::{PasswordHasher, SecretGenerator, TokenCodec, TokenRejection};
use domain::identity::{AccessClaims, GuestClaims, Password, Role};
use domain::{GuestId, SessionId, TenantId, UserId};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum).
pub struct Argon2Hasher {
    dummy: String,
}

impl Argon2Hasher {
    /// A hasher; computes one dummy hash for timing-equal verification of unknown accounts.
    ///
    /// # Errors
    /// Hashing failure.
    pub fn new() -> Result<Self, String> {
        let salt = new_salt()?;
        let dummy = Argon2::default()
            .hash_password(b"dummy password for unknown accounts", &salt)
            .map_err(|e| e.to_string())?
            .to_string();
        Ok(Self { dummy })
    }
}

fn new_salt() -> Result<SaltString, String> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    SaltString::encode_b64(&bytes).map_err(|e| e.to_string())
}

#[async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> Result<String, String> {
        let plain = password.expose().to_owned();
        tokio::task::spawn_blocking(move || {
            let salt = new_salt()?;
            Argon2::default()
                .hash_password(plain.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    async fn verify(&self, password: &Password, hash: Option<&str>) -> bool {
        let plain = password.expose().to_owned();
        let known = hash.is_some();
        let phc = hash.unwrap_or(&self.dummy).to_owned();
        tokio::task::spawn_blocking(move || {
            PasswordHash::new(&phc).is_ok_and(|h| {
                Argon2::default()
                    .verify_password(plain.as_bytes(), &h)
                    .is_ok()
            })
        })
        .await
        .unwrap_or(false)
            && known
    }
}

#[derive(Serialize, Deserialize)]
struct Claims {
    iss: String,
    /// `staff` or `guest`: a token of one kind is never accepted as the other.
    typ: String,
    sub: String,
    tid: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    role: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    sid: String,
    iat: i64,
    exp: i64,
}

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;
const ISSUER: &str = "maxloyalty";

/// HS256 JSON Web Tokens with a server secret.
pub struct HsJwt {
    key: Vec<u8>,
}

impl HsJwt {
    /// A codec with a secret of at least 32 bytes.
    ///
    /// # Errors
    /// A shorter secret.
    pub fn new(secret: &[u8]) -> Result<Self, String> {
        if secret.len() < 32 {
            return Err("the JWT secret must be at least 32 bytes".into());
        }
        Ok(Self {
            key: secret.to_vec(),
        })
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length.
        <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable_hmac())
    }
}

#[expect(
    clippy::panic,
    reason = "HMAC-SHA256 takes keys of every length; this cannot happen"
)]
fn unreachable_hmac() -> Hmac<Sha256> {
    panic!("HMAC rejected a key")
}

impl HsJwt {
    fn sign(&self, claims: &Claims) -> Result<String, String> {
        let body = serde_json::to_vec(claims).map_err(|e| e.to_string())?;
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(body)
        );
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        Ok(format!("{signing_input}.{sig}"))
    }

    /// The claims of a token of kind `typ` with a valid signature, unexpired at `now`.
    fn verified(&self, token: &str, typ: &str, now: i64) -> Result<Claims, TokenRejection> {
        let mut parts = token.split('.');
        let (Some(h), Some(b), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenRejection::Invalid);
        };
        let header = URL_SAFE_NO_PAD
            .decode(h)
            .map_err(|_| TokenRejection::Invalid)?;
        let header: serde_json::Value =
            serde_json::from_slice(&header).map_err(|_| TokenRejection::Invalid)?;
        if header.get("alg").and_then(|v| v.as_str()) != Some("HS256") {
            return Err(TokenRejection::Invalid);
        }
        let sig = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| TokenRejection::Invalid)?;
        let mut mac = self.mac();
        mac.update(h.as_bytes());
        mac.update(b".");
        mac.update(b.as_bytes());
        mac.verify_slice(&sig)
            .map_err(|_| TokenRejection::Invalid)?;
        let body = URL_SAFE_NO_PAD
            .decode(b)
            .map_err(|_| TokenRejection::Invalid)?;
        let c: Claims = serde_json::from_slice(&body).map_err(|_| TokenRejection::Invalid)?;
        if c.iss != ISSUER || c.typ != typ {
            return Err(TokenRejection::Invalid);
        }
        if c.exp <= now {
            return Err(TokenRejection::Expired);
        }
        Ok(c)
    }
}

impl TokenCodec for HsJwt {
    fn encode(&self, c: &AccessClaims) -> Result<String, String> {
        self.sign(&Claims {
            iss: ISSUER.into(),
            typ: "staff".into(),
            sub: c.user.to_string(),
            tid: c.tenant.to_string(),
            role: c.role.as_str().into(),
            sid: c.session.to_string(),
            iat: c.issued_at,
            exp: c.expires_at,
        })
    }

    fn decode(&self, token: &str, now: i64) -> Result<AccessClaims, TokenRejection> {
        let c = self.verified(token, "staff", now)?;
        Ok(AccessClaims {
            user: c
                .sub
                .parse::<UserId>()
                .map_err(|_| TokenRejection::Invalid)?,
            tenant: c
                .tid
                .parse::<TenantId>()
                .map_err(|_| TokenRejection::Invalid)?,
            role: Role::parse(&c.role).ok_or(TokenRejection::Invalid)?,
            session: c
                .sid
                .parse::<SessionId>()
                .map_err(|_| TokenRejection::Invalid)?,
            issued_at: c.iat,
            expires_at: c.exp,
        })
    }

    fn encode_guest(&self, c: &GuestClaims) -> Result<String, String> {
        self.sign(&Claims {
            iss: ISSUER.into(),
            typ: "guest".into(),
            sub: c.guest.to_string(),
            tid: c.tenant.to_string(),
            role: String::new(),
            sid: String::new(),
            iat: c.issued_at,
            exp: c.expires_at,
        })
    }

    fn decode_guest(&self, token: &str, now: i64) -> Result<GuestClaims, TokenRejection> {
        let c = self.verified(token, "guest", now)?;
        Ok(GuestClaims {
            guest: c
                .sub
                .parse::<GuestId>()
                .map_err(|_| TokenRejection::Invalid)?,
            tenant: c
                .tid
                .parse::<TenantId>()
                .map_err(|_| TokenRejection::Invalid)?,
            issued_at: c.iat,
            expires_at: c.exp,
        })
    }
}

/// 256-bit random secrets, base64url; SHA-256 hex digests.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomSecrets;

impl SecretGenerator for RandomSecrets {
    fn generate(&self) -> String {
        let mut buf = [0_u8; 32];
        // The OS random source failing is unrecoverable for a server that issues secrets.
        if getrandom::fill(&mut buf).is_err() {
            tracing::error!("the operating system's random source failed");
            std::process::abort();
        }
        URL_SAFE_NO_PAD.encode(buf)
    }

    fn fill_random(&self, buf: &mut [u8]) {
        if getrandom::fill(buf).is_err() {
            tracing::error!("the operating system's random source failed");
            std::process::abort();
        }
    }

    fn digest(&self, secret: &str) -> String {
        Sha256::digest(secret.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> AccessClaims {
        AccessClaims {
            user: UserId::new(),
            tenant: TenantId::new(),
            role: Role::Cashier,
            session: SessionId::new(),
            issued_at: 0,
            expires_at: exp,
        }
    }

    #[test]
    fn a_token_round_trips_and_expires() {
        let jwt = HsJwt::new(&[7; 32]).expect("key");
        let c = claims(100);
        let t = jwt.encode(&c).expect("encode");
        assert_eq!(jwt.decode(&t, 99), Ok(c));
        assert_eq!(jwt.decode(&t, 100), Err(TokenRejection::Expired));
    }

    #[test]
    fn tampered_or_foreign_tokens_are_refused() {
        let jwt = HsJwt::new(&[7; 32]).expect("key");
        let other = HsJwt::new(&[8; 32]).expect("key");
        let t = jwt.encode(&claims(100)).expect("encode");
        assert_eq!(other.decode(&t, 1), Err(TokenRejection::Invalid));
        let mut parts: Vec<&str> = t.split('.').collect();
        let forged_body = URL_SAFE_NO_PAD.encode(br#"{"iss":"maxloyalty","sub":"x"}"#);
        parts[1] = &forged_body;
        assert_eq!(
            jwt.decode(&parts.join("."), 1),
            Err(TokenRejection::Invalid)
        );
        let none_alg = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            t.split('.').nth(1).unwrap_or("")
        );
        assert_eq!(jwt.decode(&none_alg, 1), Err(TokenRejection::Invalid));
        assert!(HsJwt::new(b"short").is_err());
    }

    #[test]
    fn guest_and_staff_tokens_are_never_interchangeable() {
        let jwt = HsJwt::new(&[7; 32]).expect("key");
        let staff = jwt.encode(&claims(100)).expect("staff");
        let g = GuestClaims {
            guest: GuestId::new(),
            tenant: TenantId::new(),
            issued_at: 0,
            expires_at: 100,
        };
        let guest = jwt.encode_guest(&g).expect("guest");
        assert_eq!(jwt.decode_guest(&guest, 1), Ok(g));
        assert_eq!(jwt.decode(&guest, 1), Err(TokenRejection::Invalid));
        assert_eq!(jwt.decode_guest(&staff, 1), Err(TokenRejection::Invalid));
    }

    #[test]
    fn secrets_are_long_random_and_digests_stable() {
        let s = RandomSecrets;
        let (a, b) = (s.generate(), s.generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(
            s.digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
