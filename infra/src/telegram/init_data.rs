//! Validation of a Telegram Mini App's `initData` (sent as `Authorization: tma
//! <initData>`) with the HMAC scheme keyed by the tenant's bot token.
//!
//! The scheme (Telegram, "Validating data received via the Mini App"):
//! `secret = HMAC_SHA256(key = "WebAppData", msg = bot_token)`, and the data is
//! authentic iff `hash == hex(HMAC_SHA256(key = secret, msg = data_check_string))`,
//! where the data-check-string is every field but `hash`, as `key=value` with the
//! decoded value, sorted by key and joined by `\n`.
//!
//! Newer clients also send `signature`, an Ed25519 signature by Telegram that lets
//! a third party check the data without the bot token (over the same lines
//! without `hash` *and* `signature`, prefixed with `<bot_id>:WebAppData`). For the
//! HMAC check here `signature` is an ordinary field: it is part of the
//! data-check-string, as real Telegram data shows (see the test
//! `the_signature_field_is_part_of_the_hmac_data_check_string`). The Ed25519
//! signature itself is not checked here; we hold the bot token.

use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// The longest `initData` accepted, in bytes. Real ones are a few kilobytes.
const MAX_INIT_DATA_LEN: usize = 16 * 1024;
/// How far in the future `auth_date` may be, for clock skew, in seconds.
const MAX_CLOCK_SKEW_SECS: i64 = 60;

/// Why `initData` was refused. Every variant means "not authenticated".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InitDataError {
    /// Not a well-formed `initData` string (bad encoding, duplicate or missing
    /// fields, a `hash` that is not 64 hex digits, an unreadable `user`).
    #[error("the Telegram initData is malformed: {0}")]
    Malformed(String),
    /// The `hash` does not match: tampered data, or signed for another bot.
    #[error("the Telegram initData signature does not match this bot's token")]
    BadSignature,
    /// `auth_date` is older than the allowed age or too far in the future.
    #[error("the Telegram initData has expired or is dated in the future; reopen the Mini App")]
    Expired,
    /// The data is authentic but carries no `user`.
    #[error("the Telegram initData carries no user")]
    MissingUser,
}

/// The Telegram user who opened the Mini App, from the `user` field.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TelegramUser {
    id: i64,
    first_name: String,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    language_code: Option<String>,
    #[serde(default)]
    is_premium: bool,
}

impl TelegramUser {
    /// The Telegram user id (may exceed 32 bits).
    #[must_use]
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The first name.
    #[must_use]
    pub fn first_name(&self) -> &str {
        &self.first_name
    }

    /// The last name, if set.
    #[must_use]
    pub fn last_name(&self) -> Option<&str> {
        self.last_name.as_deref()
    }

    /// The `@username` without the `@`, if set.
    #[must_use]
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The IETF language tag of the user's Telegram client, like `ru`.
    #[must_use]
    pub fn language_code(&self) -> Option<&str> {
        self.language_code.as_deref()
    }

    /// Whether the user has Telegram Premium.
    #[must_use]
    pub fn is_premium(&self) -> bool {
        self.is_premium
    }
}

/// `initData` whose signature and age were checked by [`validate`], the only
/// way to make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitData {
    user: Option<TelegramUser>,
    auth_date: i64,
    query_id: Option<String>,
    start_param: Option<String>,
    chat_type: Option<String>,
    contact: Option<String>,
}

impl InitData {
    /// The user, when Telegram sent one.
    #[must_use]
    pub fn user(&self) -> Option<&TelegramUser> {
        self.user.as_ref()
    }

    /// The user, for callers that need one.
    ///
    /// # Errors
    /// [`InitDataError::MissingUser`] when the data carries no `user`.
    pub fn require_user(&self) -> Result<&TelegramUser, InitDataError> {
        self.user.as_ref().ok_or(InitDataError::MissingUser)
    }

    /// When Telegram signed the data, in Unix seconds.
    #[must_use]
    pub fn auth_date(&self) -> i64 {
        self.auth_date
    }

    /// The inline query session id, when opened from a keyboard button.
    #[must_use]
    pub fn query_id(&self) -> Option<&str> {
        self.query_id.as_deref()
    }

    /// The `startapp` parameter of the link that opened the Mini App.
    #[must_use]
    pub fn start_param(&self) -> Option<&str> {
        self.start_param.as_deref()
    }

    /// The type of chat the Mini App was opened from (`private`, `group`, …).
    #[must_use]
    pub fn chat_type(&self) -> Option<&str> {
        self.chat_type.as_deref()
    }

    /// The `contact` JSON of a `requestContact` answer (signed like `initData`).
    #[must_use]
    pub fn contact(&self) -> Option<&str> {
        self.contact.as_deref()
    }
}

/// Checks `initData` against a bot token and returns its contents.
///
/// `init_data` is the raw string (`window.Telegram.WebApp.initData`), decoded as
/// `application/x-www-form-urlencoded` (`%XX` and `+` for a space; a `%` not
/// followed by two hex digits, a field without `=`, an empty field or a value that
/// is not UTF-8 is malformed). Choose the tenant's bot token before calling:
/// data signed for another tenant's bot fails with `BadSignature`. The checks run
/// in this order: shape, signature (in constant time), then `auth_date` (present,
/// an integer, at most 60 s ahead of `now_unix` and at most `max_age_secs` old),
/// then `user`.
///
/// # Errors
/// - [`InitDataError::Malformed`]: bad encoding, a field given twice, no `hash` or
///   one that is not 64 hex digits, a missing or non-integer `auth_date`, or a
///   `user` that is not the expected JSON;
/// - [`InitDataError::BadSignature`]: the `hash` does not match;
/// - [`InitDataError::Expired`]: `auth_date` is too old or in the future.
pub fn validate(
    init_data: &str,
    bot_token: &str,
    now_unix: i64,
    max_age_secs: i64,
) -> Result<InitData, InitDataError> {
    let mut fields = parse_fields(init_data)?;
    let hash_at = fields
        .iter()
        .position(|(key, _)| key == "hash")
        .ok_or_else(|| malformed("it has no hash field"))?;
    let (_, hash) = fields.swap_remove(hash_at);
    let expected =
        decode_hex_32(&hash).ok_or_else(|| malformed("its hash is not 64 hex digits"))?;

    fields.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    signer(bot_token, &fields)
        .verify_slice(&expected)
        .map_err(|_| InitDataError::BadSignature)?;

    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let auth_date: i64 = field("auth_date")
        .ok_or_else(|| malformed("it has no auth_date field"))?
        .parse()
        .map_err(|_| malformed("its auth_date is not a whole number of seconds"))?;
    if auth_date.saturating_sub(now_unix) > MAX_CLOCK_SKEW_SECS
        || now_unix.saturating_sub(auth_date) > max_age_secs
    {
        return Err(InitDataError::Expired);
    }
    let user = field("user")
        .map(|json| serde_json::from_str::<TelegramUser>(&json))
        .transpose()
        .map_err(|_| malformed("its user field is not a Telegram user object"))?;

    Ok(InitData {
        user,
        auth_date,
        query_id: field("query_id"),
        start_param: field("start_param"),
        chat_type: field("chat_type"),
        contact: field("contact"),
    })
}

/// Makes a correctly signed `initData` string from plain (not encoded) fields,
/// **for tests and local development only** (the Mini App's dev mode): anyone
/// with the bot token can sign anything, so production must only ever receive
/// `initData` from Telegram.
///
/// Fields are percent-encoded in the order given and `hash` is appended; a `hash`
/// among `fields` is left out. Include `auth_date` (and usually `user`, as JSON)
/// for [`validate`] to accept the result; a key given twice yields a string that
/// [`validate`] refuses as malformed.
#[must_use]
pub fn sign_for_tests(fields: &[(&str, &str)], bot_token: &str) -> String {
    let mut owned: Vec<(String, String)> = fields
        .iter()
        .filter(|(key, _)| *key != "hash")
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
    let mut encoded: Vec<String> = owned
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect();
    owned.sort_by(|(a, _), (b, _)| a.cmp(b));
    let tag = signer(bot_token, &owned).finalize().into_bytes();
    encoded.push(format!("hash={}", encode_hex(&tag)));
    encoded.join("&")
}

fn malformed(reason: &str) -> InitDataError {
    InitDataError::Malformed(reason.to_owned())
}

/// The HMAC over the data-check-string of `sorted` (all fields but `hash`,
/// sorted by key), ready to finalise or verify.
fn signer(bot_token: &str, sorted: &[(String, String)]) -> Hmac<Sha256> {
    let secret: [u8; 32] = short_key_hmac(*b"WebAppData")
        .chain_update(bot_token.as_bytes())
        .finalize()
        .into_bytes()
        .into();
    let mut mac = short_key_hmac(secret);
    for (i, (key, value)) in sorted.iter().enumerate() {
        if i > 0 {
            mac.update(b"\n");
        }
        mac.update(key.as_bytes());
        mac.update(b"=");
        mac.update(value.as_bytes());
    }
    mac
}

/// HMAC-SHA256 keyed with at most 64 bytes (SHA-256's block size; checked at
/// compile time). HMAC pads such a key with zeros to a block, so passing the
/// padded block gives the same MAC without a fallible constructor.
fn short_key_hmac<const N: usize>(key: [u8; N]) -> Hmac<Sha256> {
    const { assert!(N <= 64) };
    let mut block = [0u8; 64];
    for (slot, byte) in block.iter_mut().zip(key) {
        *slot = byte;
    }
    <Hmac<Sha256> as KeyInit>::new(&block.into())
}

/// Splits and decodes the fields, refusing empty fields, fields without `=`,
/// empty keys and keys given twice (so no field can mean two things).
fn parse_fields(init_data: &str) -> Result<Vec<(String, String)>, InitDataError> {
    if init_data.is_empty() {
        return Err(malformed("it is empty"));
    }
    if init_data.len() > MAX_INIT_DATA_LEN {
        return Err(malformed("it is longer than 16 KiB"));
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    for pair in init_data.split('&') {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| malformed("a field has no '='"))?;
        let key = decode_component(key)?;
        if key.is_empty() {
            return Err(malformed("a field has an empty name"));
        }
        if fields.iter().any(|(seen, _)| *seen == key) {
            return Err(InitDataError::Malformed(format!(
                "the field {key:?} appears more than once"
            )));
        }
        fields.push((key, decode_component(value)?));
    }
    Ok(fields)
}

/// Decodes one `application/x-www-form-urlencoded` component.
fn decode_component(raw: &str) -> Result<String, InitDataError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.next().and_then(hex_value);
                let lo = bytes.next().and_then(hex_value);
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push((hi << 4) | lo),
                    _ => return Err(malformed("a '%' is not followed by two hex digits")),
                }
            }
            _ => out.push(b),
        }
    }
    String::from_utf8(out).map_err(|_| malformed("a decoded field is not UTF-8"))
}

/// Percent-encodes everything but the unreserved characters `A-Z a-z 0-9 - . _ ~`
/// (a space becomes `%20`, as Telegram writes it).
fn encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 0x0f)]));
        }
    }
    out
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode_hex_32(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    let mut digits = hex.bytes();
    for slot in &mut out {
        let hi = hex_value(digits.next()?)?;
        let lo = hex_value(digits.next()?)?;
        *slot = (hi << 4) | lo;
    }
    Some(out)
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Telegram's published example (`telegram_init_data_hmac` in the shared
    /// signature vectors).
    const VECTOR_TOKEN: &str = "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8";
    const VECTOR: &str = "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%7D&auth_date=1662771648&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2";
    const VECTOR_AUTH_DATE: i64 = 1_662_771_648;
    const MAX_AGE: i64 = 3600;

    /// `telegram_init_data_ed25519` from the shared vectors (its bot token is
    /// not published).
    const ED25519_VECTOR: &str = "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%20%2B%20-%20%3F%20%5C%2F%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2F4FPEE4tmP3ATHa57u6MqTDih13LTOiMoKoLDRG4PnSA.svg%22%7D&chat_instance=8134722200314281151&chat_type=private&auth_date=1733584787&hash=2174df5b000556d044f3f020384e879c8efcab55ddea2ced4eb752e93e7080d6&signature=zL-ucjNyREiHDE8aihFwpfR9aggP2xiAo3NSpfe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ";

    const TENANT_A_TOKEN: &str = "1111111111:AAtenant-a-bot-token-for-tests_xxxxxx";
    const TENANT_B_TOKEN: &str = "2222222222:AAtenant-b-bot-token-for-tests_yyyyyy";
    const NOW: i64 = 1_750_000_000;

    fn check(init_data: &str) -> Result<InitData, InitDataError> {
        validate(init_data, VECTOR_TOKEN, VECTOR_AUTH_DATE + 10, MAX_AGE)
    }

    fn is_malformed(result: &Result<InitData, InitDataError>) -> bool {
        matches!(result, Err(InitDataError::Malformed(_)))
    }

    /// Signs fields for tenant A with a fresh `auth_date` and a user.
    fn signed_for_a(extra: &[(&str, &str)]) -> String {
        let auth_date = NOW.to_string();
        let mut fields = vec![
            ("auth_date", auth_date.as_str()),
            ("user", r#"{"id":42,"first_name":"Анна"}"#),
        ];
        fields.extend_from_slice(extra);
        sign_for_tests(&fields, TENANT_A_TOKEN)
    }

    /// Splits a raw string into decoded fields (for tampering tests).
    fn decoded(init_data: &str) -> Vec<(String, String)> {
        parse_fields(init_data).expect("well-formed")
    }

    /// Re-encodes decoded fields in order, keeping the original hash.
    fn reencode(fields: &[(String, String)]) -> String {
        fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn the_published_vector_validates_and_yields_its_user() {
        let data = check(VECTOR).expect("valid");
        let user = data.require_user().expect("a user");
        assert_eq!(user.id(), 279_058_397);
        assert_eq!(user.language_code(), Some("ru"));
        assert_eq!(user.first_name(), "Vladislav");
        assert_eq!(user.last_name(), Some("Kibenko"));
        assert_eq!(user.username(), Some("vdkfrost"));
        assert!(user.is_premium());
        assert_eq!(data.auth_date(), VECTOR_AUTH_DATE);
        assert_eq!(data.query_id(), Some("AAHdF6IQAAAAAN0XohDhrOrc"));
        assert_eq!(data.start_param(), None);
        assert_eq!(data.chat_type(), None);
    }

    #[test]
    fn the_order_of_fields_in_the_string_does_not_matter() {
        let mut fields = decoded(VECTOR);
        fields.reverse();
        assert!(check(&reencode(&fields)).is_ok());
    }

    #[test]
    fn the_signature_field_is_part_of_the_hmac_data_check_string() {
        // Newer clients send an Ed25519 `signature` beside `hash`; the HMAC covers it
        // like any other field (only `hash` is left out).
        let fields = [
            (
                "user",
                r#"{"id":279058397,"first_name":"Vladislav + - ? /"}"#,
            ),
            ("chat_type", "private"),
            ("auth_date", "1750000000"),
            (
                "signature",
                "zL-ucjNyREiHDE8aihFwpfR9aggP2xiAo3NSpfe-p7IbCisNlDKlo7Kb6G4D0Ao2mBrSgEk4maLSdv6MLIlADQ",
            ),
        ];
        let signed = sign_for_tests(&fields, TENANT_A_TOKEN);
        let data =
            validate(&signed, TENANT_A_TOKEN, NOW + 10, MAX_AGE).expect("signed data validates");
        let user = data.require_user().expect("a user");
        assert_eq!(user.first_name(), "Vladislav + - ? /");
        assert_eq!(data.chat_type(), Some("private"));

        let without_signature: Vec<_> = decoded(&signed)
            .into_iter()
            .filter(|(k, _)| k != "signature")
            .collect();
        assert_eq!(
            validate(
                &reencode(&without_signature),
                TENANT_A_TOKEN,
                NOW + 10,
                MAX_AGE
            ),
            Err(InitDataError::BadSignature)
        );
    }

    #[test]
    fn the_ed25519_vector_is_well_formed_but_not_signed_by_an_unrelated_bot() {
        assert_eq!(
            validate(ED25519_VECTOR, TENANT_A_TOKEN, 1_733_584_797, MAX_AGE),
            Err(InitDataError::BadSignature)
        );
    }

    #[test]
    fn changing_any_byte_of_the_published_vector_is_refused() {
        for (i, b) in VECTOR.bytes().enumerate() {
            // A replacement that changes the decoded data or the structure
            // (hex digits stay hex digits of another value).
            let replacement = match b {
                b'0'..=b'8' | b'a'..=b'e' | b'A'..=b'E' => b + 1,
                b'9' => b'0',
                b'f' => b'a',
                b'F' => b'A',
                b'x' => b'y',
                _ if b.is_ascii_alphabetic() => b'x',
                _ => b'Z',
            };
            let mut tampered = VECTOR.as_bytes().to_vec();
            tampered[i] = replacement;
            let tampered = String::from_utf8(tampered).expect("ASCII");
            let result = check(&tampered);
            assert!(
                matches!(
                    result,
                    Err(InitDataError::BadSignature | InitDataError::Malformed(_))
                ),
                "byte {i} changed to {:?}: {result:?}",
                char::from(replacement)
            );
        }
    }

    #[test]
    fn changing_any_character_of_any_decoded_field_breaks_the_signature() {
        let fields = decoded(VECTOR);
        for (f, (key, value)) in fields.iter().enumerate() {
            if key == "hash" {
                continue;
            }
            for (c, original) in value.char_indices() {
                let replacement = if original == 'Z' { 'Y' } else { 'Z' };
                let mut changed = value.clone();
                changed.replace_range(c..c + original.len_utf8(), &replacement.to_string());
                let mut tampered = fields.clone();
                tampered[f].1 = changed;
                assert_eq!(
                    check(&reencode(&tampered)),
                    Err(InitDataError::BadSignature),
                    "{key} at {c}"
                );
            }
            let mut renamed = fields.clone();
            renamed[f].0 = format!("{key}_");
            assert_eq!(check(&reencode(&renamed)), Err(InitDataError::BadSignature));
        }
    }

    #[test]
    fn adding_a_field_breaks_the_signature() {
        assert_eq!(
            check(&format!("{VECTOR}&start_param=bonus")),
            Err(InitDataError::BadSignature)
        );
    }

    #[test]
    fn a_missing_hash_is_malformed() {
        let without_hash: Vec<_> = decoded(VECTOR)
            .into_iter()
            .filter(|(k, _)| k != "hash")
            .collect();
        assert!(is_malformed(&check(&reencode(&without_hash))));
    }

    #[test]
    fn a_hash_that_is_not_64_hex_digits_is_malformed() {
        let good = "c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2";
        for bad in [
            "",
            "abc",
            &good[..62],
            &format!("{good}00"),
            &good.replace('c', "g"),
        ] {
            let data = VECTOR.replace(good, bad);
            assert!(is_malformed(&check(&data)), "{bad}");
        }
    }

    #[test]
    fn an_upper_case_hash_is_the_same_hash() {
        let good = "c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2";
        assert!(check(&VECTOR.replace(good, &good.to_uppercase())).is_ok());
    }

    #[test]
    fn another_bot_token_is_a_bad_signature() {
        let result = validate(
            VECTOR,
            "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx9",
            VECTOR_AUTH_DATE + 10,
            MAX_AGE,
        );
        assert_eq!(result, Err(InitDataError::BadSignature));
        assert_eq!(
            validate(VECTOR, "", VECTOR_AUTH_DATE + 10, MAX_AGE),
            Err(InitDataError::BadSignature)
        );
    }

    #[test]
    fn data_signed_for_another_tenants_bot_is_a_bad_signature() {
        let data = signed_for_a(&[]);
        assert!(validate(&data, TENANT_A_TOKEN, NOW, MAX_AGE).is_ok());
        assert_eq!(
            validate(&data, TENANT_B_TOKEN, NOW, MAX_AGE),
            Err(InitDataError::BadSignature)
        );
    }

    #[test]
    fn data_older_than_the_maximum_age_has_expired() {
        assert!(validate(VECTOR, VECTOR_TOKEN, VECTOR_AUTH_DATE + MAX_AGE, MAX_AGE).is_ok());
        assert_eq!(
            validate(
                VECTOR,
                VECTOR_TOKEN,
                VECTOR_AUTH_DATE + MAX_AGE + 1,
                MAX_AGE
            ),
            Err(InitDataError::Expired)
        );
        assert_eq!(
            validate(VECTOR, VECTOR_TOKEN, NOW, MAX_AGE),
            Err(InitDataError::Expired)
        );
    }

    #[test]
    fn data_dated_more_than_a_minute_ahead_is_refused_as_expired() {
        assert!(validate(VECTOR, VECTOR_TOKEN, VECTOR_AUTH_DATE - 60, MAX_AGE).is_ok());
        assert_eq!(
            validate(VECTOR, VECTOR_TOKEN, VECTOR_AUTH_DATE - 61, MAX_AGE),
            Err(InitDataError::Expired)
        );
    }

    #[test]
    fn extreme_clocks_and_dates_do_not_overflow() {
        let data = sign_for_tests(
            &[("auth_date", i64::MIN.to_string().as_str())],
            TENANT_A_TOKEN,
        );
        assert_eq!(
            validate(&data, TENANT_A_TOKEN, i64::MAX, MAX_AGE),
            Err(InitDataError::Expired)
        );
        let data = sign_for_tests(
            &[("auth_date", i64::MAX.to_string().as_str())],
            TENANT_A_TOKEN,
        );
        assert_eq!(
            validate(&data, TENANT_A_TOKEN, i64::MIN, MAX_AGE),
            Err(InitDataError::Expired)
        );
    }

    #[test]
    fn a_field_given_twice_is_malformed() {
        assert!(is_malformed(&check(&format!(
            "{VECTOR}&auth_date={VECTOR_AUTH_DATE}"
        ))));
        assert!(is_malformed(&check(&format!("user=%7B%7D&{VECTOR}"))));
        assert!(is_malformed(&check(&format!("{VECTOR}&hash=00"))));
        // The same key spelled with an escape is still the same key.
        assert!(is_malformed(&check(&format!("{VECTOR}&auth%5Fdate=1"))));
        let signed_twice = sign_for_tests(
            &[
                ("auth_date", "1750000000"),
                ("start_param", "a"),
                ("start_param", "b"),
            ],
            TENANT_A_TOKEN,
        );
        assert!(is_malformed(&validate(
            &signed_twice,
            TENANT_A_TOKEN,
            NOW,
            MAX_AGE
        )));
    }

    #[test]
    fn garbage_is_malformed() {
        for garbage in [
            "",
            "garbage",
            "here comes something wrong;",
            "&",
            "a=1&&b=2",
            "=value&hash=00",
            "a=%ZZ",
            "a=%4",
            "a=%",
            "a=%FF&hash=00",
            "hash=abc",
            "auth_date=1662771648",
            "%%%",
        ] {
            assert!(is_malformed(&check(garbage)), "{garbage:?}");
        }
        assert!(is_malformed(&check(&"a=b&".repeat(5000))));
    }

    #[test]
    fn a_signed_but_missing_or_non_integer_auth_date_is_malformed() {
        let no_date = sign_for_tests(&[("user", r#"{"id":1,"first_name":"A"}"#)], TENANT_A_TOKEN);
        assert!(is_malformed(&validate(
            &no_date,
            TENANT_A_TOKEN,
            NOW,
            MAX_AGE
        )));
        for bad in ["soon", "1.5", "", "1e9", "99999999999999999999"] {
            let data = sign_for_tests(&[("auth_date", bad)], TENANT_A_TOKEN);
            assert!(
                is_malformed(&validate(&data, TENANT_A_TOKEN, NOW, MAX_AGE)),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_signed_but_unreadable_user_is_malformed() {
        for user in [
            "not json",
            "{}",
            r#"{"id":"42","first_name":"A"}"#,
            r#"{"first_name":"A"}"#,
        ] {
            let data = sign_for_tests(
                &[("auth_date", "1750000000"), ("user", user)],
                TENANT_A_TOKEN,
            );
            assert!(
                is_malformed(&validate(&data, TENANT_A_TOKEN, NOW, MAX_AGE)),
                "{user}"
            );
        }
    }

    #[test]
    fn data_without_a_user_validates_but_requiring_one_fails() {
        let data = sign_for_tests(
            &[("auth_date", "1750000000"), ("chat_type", "group")],
            TENANT_A_TOKEN,
        );
        let data = validate(&data, TENANT_A_TOKEN, NOW, MAX_AGE).expect("valid");
        assert_eq!(data.user(), None);
        assert_eq!(data.require_user(), Err(InitDataError::MissingUser));
        assert_eq!(data.chat_type(), Some("group"));
    }

    #[test]
    fn signed_test_data_round_trips_awkward_values() {
        let start = "tenant=кафе&promo=a+b c=d%20🎉";
        let user = r#"{"id":7000000001,"first_name":"Ерлан & Co = \"+\" 🍕","last_name":"Әлиев","username":"erlan_kz","language_code":"kk","is_premium":false,"allows_write_to_pm":true}"#;
        let data = signed_for_a(&[("start_param", start), ("query_id", "q 1+2")]);
        assert!(!data.contains(' ') && !data.contains('🎉'), "{data}");
        let data = validate(&data, TENANT_A_TOKEN, NOW, MAX_AGE).expect("valid");
        assert_eq!(data.start_param(), Some(start));
        assert_eq!(data.query_id(), Some("q 1+2"));
        assert_eq!(data.auth_date(), NOW);
        assert_eq!(data.require_user().expect("a user").first_name(), "Анна");

        let with_user = sign_for_tests(
            &[("auth_date", "1750000000"), ("user", user)],
            TENANT_A_TOKEN,
        );
        let parsed = validate(&with_user, TENANT_A_TOKEN, NOW, MAX_AGE).expect("valid");
        let user = parsed.require_user().expect("a user");
        assert_eq!(user.id(), 7_000_000_001);
        assert_eq!(user.first_name(), "Ерлан & Co = \"+\" 🍕");
        assert_eq!(user.last_name(), Some("Әлиев"));
        assert_eq!(user.language_code(), Some("kk"));
        assert!(!user.is_premium());
    }

    #[test]
    fn a_plus_in_the_raw_string_is_a_space() {
        let spaced = sign_for_tests(
            &[("auth_date", "1750000000"), ("start_param", "a b")],
            TENANT_A_TOKEN,
        );
        assert!(spaced.contains("a%20b"));
        let with_plus = spaced.replace("a%20b", "a+b");
        let data = validate(&with_plus, TENANT_A_TOKEN, NOW, MAX_AGE).expect("valid");
        assert_eq!(data.start_param(), Some("a b"));
    }

    #[test]
    fn signed_test_data_reproduces_the_published_hash() {
        let fields = decoded(VECTOR);
        let plain: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let signed = sign_for_tests(&plain, VECTOR_TOKEN);
        assert!(
            signed.ends_with(
                "&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2"
            )
        );
        assert!(check(&signed).is_ok());
    }

    #[test]
    fn error_messages_stand_alone() {
        assert_eq!(
            InitDataError::Malformed("it has no hash field".into()).to_string(),
            "the Telegram initData is malformed: it has no hash field"
        );
        for e in [
            InitDataError::BadSignature,
            InitDataError::Expired,
            InitDataError::MissingUser,
        ] {
            assert!(e.to_string().starts_with("the Telegram initData"), "{e}");
        }
    }
}
