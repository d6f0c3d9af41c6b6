//! Standard Webhooks signatures: `v1,` + base64 of HMAC-SHA256 over
//! `msg_id.timestamp.body`, keyed with the base64-decoded part of the
//! `whsec_…` secret.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use domain::webhooks::WebhookSigner;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Bytes of a new secret's key.
const SECRET_BYTES: usize = 32;

/// The [`WebhookSigner`] of the Standard Webhooks specification.
#[derive(Debug, Default, Clone, Copy)]
pub struct StandardWebhooks;

fn key_of(secret: &str) -> Result<Vec<u8>, String> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    STANDARD
        .decode(encoded)
        .map_err(|_| "the webhook secret is not whsec_ followed by base64".to_owned())
}

impl StandardWebhooks {
    /// Whether `header` (space-separated `v1,…` values) holds a valid
    /// signature of the message with `secret` (constant-time comparison).
    #[must_use]
    pub fn verify(
        &self,
        secret: &str,
        msg_id: &str,
        timestamp: i64,
        body: &str,
        header: &str,
    ) -> bool {
        let Ok(key) = key_of(secret) else {
            return false;
        };
        header
            .split(' ')
            .filter_map(|s| s.strip_prefix("v1,"))
            .any(|sig| {
                let Ok(given) = STANDARD.decode(sig) else {
                    return false;
                };
                let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&key) else {
                    return false;
                };
                mac.update(format!("{msg_id}.{timestamp}.").as_bytes());
                mac.update(body.as_bytes());
                mac.verify_slice(&given).is_ok()
            })
    }
}

impl WebhookSigner for StandardWebhooks {
    fn new_secret(&self) -> String {
        let mut key = [0_u8; SECRET_BYTES];
        if getrandom::fill(&mut key).is_err() {
            tracing::error!("the operating system's random source failed");
            std::process::abort();
        }
        format!("whsec_{}", STANDARD.encode(key))
    }

    fn sign(
        &self,
        secret: &str,
        msg_id: &str,
        timestamp: i64,
        body: &str,
    ) -> Result<String, String> {
        let key = key_of(secret)?;
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
            .map_err(|_| "the webhook secret's key is unusable".to_owned())?;
        mac.update(format!("{msg_id}.{timestamp}.").as_bytes());
        mac.update(body.as_bytes());
        Ok(format!(
            "v1,{}",
            STANDARD.encode(mac.finalize().into_bytes())
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `../shared/fixtures/signatures/vectors.json`, `standard_webhooks`.
    const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    const TIMESTAMP: i64 = 1_649_367_553;
    const BODY: &str = r#"{"email":"test@example.com","username":"test_user"}"#;
    const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

    #[test]
    fn the_published_vector_signs_and_verifies() {
        let s = StandardWebhooks;
        assert_eq!(
            s.sign(SECRET, ID, TIMESTAMP, BODY).as_deref(),
            Ok(SIGNATURE)
        );
        assert!(s.verify(SECRET, ID, TIMESTAMP, BODY, SIGNATURE));
        // Several signatures (a rotation): one valid is enough.
        let other = s.new_secret();
        let both = format!(
            "{} {SIGNATURE}",
            s.sign(&other, ID, TIMESTAMP, BODY).unwrap_or_default()
        );
        assert!(s.verify(SECRET, ID, TIMESTAMP, BODY, &both));
        assert!(s.verify(&other, ID, TIMESTAMP, BODY, &both));
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let s = StandardWebhooks;
        let changed_body = BODY.replace("test_user", "test_usex");
        let reserialised = r#"{"email": "test@example.com", "username": "test_user"}"#;
        assert!(!s.verify(SECRET, ID, TIMESTAMP, &changed_body, SIGNATURE));
        assert!(!s.verify(SECRET, ID, TIMESTAMP, reserialised, SIGNATURE));
        assert!(!s.verify(SECRET, ID, TIMESTAMP + 1, BODY, SIGNATURE));
        assert!(!s.verify(SECRET, "msg_other", TIMESTAMP, BODY, SIGNATURE));
        assert!(!s.verify(&s.new_secret(), ID, TIMESTAMP, BODY, SIGNATURE));
        assert!(!s.verify(SECRET, ID, TIMESTAMP, BODY, "v1,garbage"));
        assert!(!s.verify(SECRET, ID, TIMESTAMP, BODY, ""));
        assert!(!s.verify(
            SECRET,
            ID,
            TIMESTAMP,
            BODY,
            &SIGNATURE.replace("v1,", "v2,")
        ));
    }

    #[test]
    fn new_secrets_are_whsec_and_at_least_24_bytes() {
        let s = StandardWebhooks;
        let a = s.new_secret();
        assert!(a.starts_with("whsec_"));
        assert!(key_of(&a).map(|k| k.len()).unwrap_or(0) >= 24);
        assert_ne!(a, s.new_secret());
        assert!(s.sign("whsec_not base64!", ID, TIMESTAMP, BODY).is_err());
    }
}
