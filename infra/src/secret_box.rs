//! Secrets at rest: AES-256-GCM with a server key. A sealed value is
//! `v1.<base64url nonce>.<base64url ciphertext+tag>`, bound to its tenant by
//! the associated data, so a sealed value copied to another tenant's row
//! does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// Seals and opens secrets with one server key.
pub struct SecretBox {
    cipher: Aes256Gcm,
}

/// Why a secret could not be sealed or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretBoxError {
    /// The key is not 32 bytes of base64.
    #[error("the secrets key must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)")]
    BadKey,
    /// The value is not ours, was tampered with, or belongs to another tenant.
    #[error("a stored secret could not be opened (wrong key or tampered data)")]
    Unreadable,
}

impl SecretBox {
    /// A box over a base64 key of 32 bytes.
    ///
    /// # Errors
    /// [`SecretBoxError::BadKey`].
    pub fn from_base64(key: &str) -> Result<Self, SecretBoxError> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| SecretBoxError::BadKey)?;
        if bytes.len() != 32 {
            return Err(SecretBoxError::BadKey);
        }
        let cipher = Aes256Gcm::new_from_slice(&bytes).map_err(|_| SecretBoxError::BadKey)?;
        Ok(Self { cipher })
    }

    /// A fresh random key, base64.
    #[must_use]
    pub fn generate_key() -> String {
        let mut k = [0_u8; 32];
        if getrandom::fill(&mut k).is_err() {
            tracing::error!("the operating system's random source failed");
            std::process::abort();
        }
        STANDARD.encode(k)
    }

    /// Seals `plain`, bound to `context` (e.g. the tenant id).
    ///
    /// # Errors
    /// Never in practice (encryption of a short value).
    pub fn seal(&self, plain: &str, context: &str) -> Result<String, SecretBoxError> {
        let mut nonce = [0_u8; 12];
        getrandom::fill(&mut nonce).map_err(|_| SecretBoxError::Unreadable)?;
        let ct = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretBoxError::Unreadable)?;
        Ok(format!(
            "v1.{}.{}",
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(ct)
        ))
    }

    /// Opens a sealed value bound to `context`.
    ///
    /// # Errors
    /// [`SecretBoxError::Unreadable`].
    pub fn open(&self, sealed: &str, context: &str) -> Result<String, SecretBoxError> {
        let mut parts = sealed.split('.');
        let (Some("v1"), Some(n), Some(c), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(SecretBoxError::Unreadable);
        };
        let nonce: [u8; 12] = URL_SAFE_NO_PAD
            .decode(n)
            .ok()
            .and_then(|v| v.try_into().ok())
            .ok_or(SecretBoxError::Unreadable)?;
        let ct = URL_SAFE_NO_PAD
            .decode(c)
            .map_err(|_| SecretBoxError::Unreadable)?;
        let plain = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretBoxError::Unreadable)?;
        String::from_utf8(plain).map_err(|_| SecretBoxError::Unreadable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_context() {
        let key = SecretBox::generate_key();
        let b = SecretBox::from_base64(&key).expect("key");
        let sealed = b.seal("123:ABC", "tenant-a").expect("seal");
        assert!(!sealed.contains("123:ABC"));
        assert_eq!(b.open(&sealed, "tenant-a"), Ok("123:ABC".into()));
        assert_eq!(b.open(&sealed, "tenant-b"), Err(SecretBoxError::Unreadable));
        let other = SecretBox::from_base64(&SecretBox::generate_key()).expect("key");
        assert_eq!(
            other.open(&sealed, "tenant-a"),
            Err(SecretBoxError::Unreadable)
        );
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(
            b.open(&tampered, "tenant-a"),
            Err(SecretBoxError::Unreadable)
        );
        assert_ne!(
            b.seal("same", "t").expect("seal"),
            b.seal("same", "t").expect("seal"),
            "fresh nonce each time"
        );
        assert_eq!(
            SecretBox::from_base64("short").err(),
            Some(SecretBoxError::BadKey)
        );
    }
}
