//! `X-Signature: t=<unix>,v1=<hex>[,v1=…]`: HMAC-SHA256 of `t.body` with the
//! integration's secret (Stripe's scheme), ±300 s, constant-time comparison,
//! several `v1` accepted (rotation).

use domain::integrations::service::DeliveryVerifier;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Seconds a signature's timestamp may differ from now.
pub const TOLERANCE_SECS: i64 = 300;

/// The [`DeliveryVerifier`] of POS deliveries.
#[derive(Debug, Default, Clone, Copy)]
pub struct PosSignatures;

fn mac(secret: &str) -> Option<Hmac<Sha256>> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The header value signing `body` at `t` with `secret` (for tests and docs).
#[must_use]
pub fn sign_for_tests(secret: &str, t: i64, body: &[u8]) -> String {
    let Some(mut m) = mac(secret) else {
        return String::new();
    };
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    format!("t={t},v1={}", hex(&m.finalize().into_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl DeliveryVerifier for PosSignatures {
    fn verify_signature(
        &self,
        header: Option<&str>,
        body: &[u8],
        secrets: &[&str],
        now_unix: i64,
    ) -> Result<(), String> {
        let header = header
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .ok_or("the X-Signature header is missing")?;
        let mut t: Option<i64> = None;
        let mut sigs: Vec<Vec<u8>> = Vec::new();
        for part in header.split(',') {
            let (k, v) = part
                .trim()
                .split_once('=')
                .ok_or("the X-Signature header is garbled: use t=<unix>,v1=<hex>")?;
            match k {
                "t" => {
                    if t.is_some() {
                        return Err("the X-Signature header has two timestamps".into());
                    }
                    t = Some(
                        v.parse()
                            .map_err(|_| "the signature timestamp is not a number")?,
                    );
                }
                "v1" => sigs.push(unhex(v).ok_or("a v1 signature is not hex")?),
                _ => {} // other schemes are ignored, as in Stripe's
            }
        }
        let t = t.ok_or("the X-Signature header has no timestamp")?;
        if sigs.is_empty() {
            return Err("the X-Signature header has no v1 signature".into());
        }
        if (now_unix - t).abs() > TOLERANCE_SECS {
            return Err(format!(
                "the signature timestamp is {} s away from now (at most {TOLERANCE_SECS} s)",
                (now_unix - t).abs()
            ));
        }
        for secret in secrets {
            let Some(mut m) = mac(secret) else { continue };
            m.update(format!("{t}.").as_bytes());
            m.update(body);
            let expected = m.finalize().into_bytes();
            if sigs.iter().any(|s| constant_time_eq(s, &expected)) {
                return Ok(());
            }
        }
        Err("no signature matches".into())
    }

    fn token_matches(&self, given: &str, secrets: &[&str]) -> bool {
        // Every secret is compared, so the time does not tell which one matched.
        secrets.iter().fold(false, |hit, s| {
            hit | constant_time_eq(given.as_bytes(), s.as_bytes())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../../../fixtures/signatures/vectors.json"))
            .expect("vectors")
    }

    #[test]
    fn the_published_vector_verifies_and_every_tampering_fails() {
        let v = &vectors()["stripe_signature"];
        let secret = v["secret"].as_str().expect("secret");
        let t = v["timestamp"].as_i64().expect("t");
        let body = v["body"].as_str().expect("body");
        let header = v["header"].as_str().expect("header");
        let s = PosSignatures;
        assert_eq!(sign_for_tests(secret, t, body.as_bytes()), header);
        assert_eq!(
            s.verify_signature(Some(header), body.as_bytes(), &[secret], t),
            Ok(())
        );
        // One changed byte.
        let mut changed = body.as_bytes().to_vec();
        changed[5] ^= 1;
        assert!(
            s.verify_signature(Some(header), &changed, &[secret], t)
                .is_err()
        );
        // Re-serialised JSON (same meaning, other bytes).
        let reserialised = serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(body).expect("json"),
        )
        .expect("json");
        assert!(
            s.verify_signature(Some(header), reserialised.as_bytes(), &[secret], t)
                .is_err()
        );
        // Missing, garbled, wrong secret, ±301 s.
        assert!(
            s.verify_signature(None, body.as_bytes(), &[secret], t)
                .is_err()
        );
        assert!(
            s.verify_signature(Some("garbage"), body.as_bytes(), &[secret], t)
                .is_err()
        );
        assert!(
            s.verify_signature(Some("t=1,v1=zz"), body.as_bytes(), &[secret], t)
                .is_err()
        );
        assert!(
            s.verify_signature(Some(header), body.as_bytes(), &["whsec_other"], t)
                .is_err()
        );
        assert!(
            s.verify_signature(Some(header), body.as_bytes(), &[secret], t + 301)
                .is_err()
        );
        assert!(
            s.verify_signature(Some(header), body.as_bytes(), &[secret], t - 301)
                .is_err()
        );
        assert!(
            s.verify_signature(Some(header), body.as_bytes(), &[secret], t + 300)
                .is_ok()
        );
        // Several signatures, one valid (rotation); several secrets, one right.
        let several = format!(
            "t={t},v1={},{}",
            "ab".repeat(32),
            &header[header.find("v1=").unwrap_or(0)..]
        );
        assert!(
            s.verify_signature(Some(&several), body.as_bytes(), &[secret], t)
                .is_ok()
        );
        assert!(
            s.verify_signature(Some(header), body.as_bytes(), &["old", secret], t)
                .is_ok()
        );
    }

    #[test]
    fn tokens_compare_exactly() {
        let s = PosSignatures;
        assert!(s.token_matches("abc", &["x", "abc"]));
        assert!(!s.token_matches("abd", &["abc"]));
        assert!(!s.token_matches("ab", &["abc"]));
    }
}
