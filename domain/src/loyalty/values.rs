//! Validated guest values: phone numbers, phone search fragments, card codes,
//! QR payloads, birthdays and tags. Each has one constructor that refuses what is
//! not valid and normalises what is; none performs IO.

use std::fmt;

use chrono::{Months, NaiveDate};

use crate::identity::models::InvalidValue;

/// Characters a phone number may be typed with besides digits and a leading `+`.
fn is_phone_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\t' | '-' | '(' | ')' | '.')
}

/// A phone number in E.164 form (`+79001234567`).
///
/// Parsed from what a cashier or guest types in Russia and Kazakhstan (`+7 900
/// 123-45-67`, `8 (900) 123-45-67`, `89001234567`, `79001234567`, `9001234567`)
/// or from any other country's number written with `+` and its country code.
/// `Display` shows the E.164 form; `Debug` shows only the masked form, so a
/// number does not end up in logs by accident.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parses and normalises a phone number to E.164.
    ///
    /// Rules:
    /// - digits, spaces, dashes, dots and brackets are accepted; `+` only first;
    /// - with `+`: `+7` needs exactly 10 more digits; any other country code
    ///   needs 8 to 15 digits in all and must not start with `0`; `+89…` is
    ///   refused because it is the usual slip for `+7 9…`/`8 9…` (no country code
    ///   starts with 89);
    /// - without `+`: 11 digits starting with `8` or `7`, or 10 digits not
    ///   starting with `8`, are Russian/Kazakh numbers and become `+7…` (10 digits
    ///   starting with `8` are refused: they are an `8`-prefixed number missing a
    ///   digit more often than a bare `8xx` number);
    /// - a `+7` number must start with 3 to 9 after the `7` (the ranges used by
    ///   Russia and Kazakhstan).
    ///
    /// # Errors
    /// Empty input, letters or other characters, a misplaced `+`, or a number of
    /// the wrong length for its country; the error names `field`.
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, InvalidValue> {
        let bad = |message: &str| InvalidValue::new(field, message);
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(bad("enter a phone number"));
        }
        if trimmed.chars().count() > 40 {
            return Err(bad("this is too long for a phone number"));
        }
        let (international, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(16);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                c if is_phone_separator(c) => {}
                '+' => return Err(bad("put + only before the country code")),
                _ => {
                    return Err(bad(
                        "a phone number contains only digits, spaces, dashes and brackets",
                    ));
                }
            }
        }
        let e164_digits = if international {
            if digits.starts_with('7') {
                if digits.len() != 11 {
                    return Err(bad(
                        "after +7, enter the 10 digits of the number, like +7 900 123-45-67",
                    ));
                }
            } else if digits.starts_with('0') {
                return Err(bad("a country code never starts with 0"));
            } else if digits.starts_with("89") {
                return Err(bad(
                    "+8 is not the code of Russia or Kazakhstan: start the number with +7 or 8",
                ));
            } else if !(8..=15).contains(&digits.len()) {
                return Err(bad(
                    "an international number has 8 to 15 digits, country code included",
                ));
            }
            digits
        } else {
            match (digits.len(), digits.strip_prefix(['7', '8'])) {
                (11, Some(national)) => format!("7{national}"),
                (10, _) if !digits.starts_with('8') => format!("7{digits}"),
                _ if digits.starts_with('8') => {
                    return Err(bad(
                        "after a leading 8, enter the 10 digits of the number, like 8 900 123-45-67",
                    ));
                }
                _ => {
                    return Err(bad(
                        "enter a Russian or Kazakh number with 10 or 11 digits, \
                         or start a number from another country with + and its code",
                    ));
                }
            }
        };
        if let Some(national) = e164_digits.strip_prefix('7')
            && !national.starts_with(['3', '4', '5', '6', '7', '8', '9'])
        {
            return Err(bad(
                "this is not a Russian or Kazakh number: after +7 it starts with a digit from 3 to 9",
            ));
        }
        Ok(Self(format!("+{e164_digits}")))
    }

    /// The E.164 form, like `+79001234567`.
    #[must_use]
    pub fn as_e164(&self) -> &str {
        &self.0
    }

    /// The digits without the `+`, like `79001234567`.
    #[must_use]
    pub fn digits(&self) -> &str {
        self.0.strip_prefix('+').unwrap_or(&self.0)
    }

    /// A form safe for logs and receipts that keeps only the last four digits:
    /// `+7 *** ***-45-67` for Russian and Kazakh numbers, `+********-45-67` (one
    /// star per hidden digit) for others.
    #[must_use]
    pub fn masked(&self) -> String {
        let digits = self.digits();
        let hidden = digits.len().saturating_sub(4);
        let last = digits.get(hidden..).unwrap_or_default();
        let (a, b) = last.split_at_checked(2).unwrap_or((last, ""));
        if digits.len() == 11 && digits.starts_with('7') {
            format!("+7 *** ***-{a}-{b}")
        } else {
            format!("+{}-{a}-{b}", "*".repeat(hidden))
        }
    }
}

impl AsRef<str> for Phone {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

/// The digits a cashier types to find a guest by the end of their phone number:
/// 4 to 15 digits once spaces, dashes, dots, brackets and `+` are removed.
///
/// A full Russian number typed with the trunk prefix (`8 900 123-45-67`, 11 digits
/// starting with 8) is normalised to start with 7, so that it matches the stored
/// E.164 digits as a suffix. `Debug` shows only the last four digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneFragment(String);

impl PhoneFragment {
    /// The fewest digits a search needs.
    pub const MIN_DIGITS: usize = 4;
    /// The most digits a phone number has (E.164).
    pub const MAX_DIGITS: usize = 15;

    /// Parses what a cashier typed into the search box.
    ///
    /// # Errors
    /// Letters or other characters, or fewer than 4 or more than 15 digits
    /// (field `query`).
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let bad = || {
            InvalidValue::new(
                "query",
                "enter 4 to 15 digits of the phone number, for example its last 4",
            )
        };
        let mut digits = String::with_capacity(16);
        for c in raw.trim().chars() {
            match c {
                '0'..='9' if digits.len() < Self::MAX_DIGITS => digits.push(c),
                '0'..='9' => return Err(bad()),
                '+' => {}
                c if is_phone_separator(c) => {}
                _ => return Err(bad()),
            }
        }
        if digits.len() < Self::MIN_DIGITS {
            return Err(bad());
        }
        if digits.len() == 11
            && let Some(national) = digits.strip_prefix('8')
        {
            digits = format!("7{national}");
        }
        Ok(Self(digits))
    }

    /// The digits to match against the end of a guest's phone digits.
    #[must_use]
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PhoneFragment {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhoneFragment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self
            .0
            .get(self.0.len().saturating_sub(4)..)
            .unwrap_or_default();
        write!(f, "PhoneFragment(…{last})")
    }
}

/// The card code alphabet: digits and upper-case Latin letters without the
/// look-alikes `0`, `O`, `1`, `I` and `L`.
const CARD_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Number of characters in a card code.
const CARD_LEN: usize = 8;
/// How many distinct card codes exist: 31^8.
const CARD_SPACE: u64 = 31u64.pow(8);

/// A short human code printed on a card and shown in the Mini App: 8 characters
/// from the alphabet `23456789ABCDEFGHJKMNPQRSTUVWXYZ`, shown as
/// `XXXX-XXXX`. About 39.6 bits: enough to type, not a secret on its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardCode(String);

impl CardCode {
    /// Makes a code from 8 random bytes (from a CSPRNG).
    ///
    /// The bytes are read as one big-endian `u64`, reduced modulo 31^8 and
    /// written in base 31 with the code alphabet. Reducing a uniform 64-bit value
    /// modulo 31^8 ≈ 8.5·10^11 skews the result by at most 31^8 / 2^64 < 5·10^-8
    /// (some codes are that much more likely than others), which is negligible;
    /// mapping each byte separately (`byte % 31`) would instead make 8 of the 31
    /// characters 12.5 % more likely.
    #[must_use]
    pub fn from_random(bytes: [u8; 8]) -> Self {
        let mut n = u64::from_be_bytes(bytes) % CARD_SPACE;
        let mut code = [0u8; CARD_LEN];
        for slot in code.iter_mut().rev() {
            // `n % 31` is below 31, the alphabet's length.
            *slot = CARD_ALPHABET[(n % 31) as usize];
            n /= 31;
        }
        Self(code.iter().copied().map(char::from).collect())
    }

    /// Parses a code as a cashier types it: case-insensitive, with or without the
    /// dash and spaces. Cyrillic letters that look like Latin ones (`А В Е К М Н Р
    /// С Т Х У`, upper or lower case, as typed on a Russian keyboard layout) are
    /// read as those Latin letters. `0`, `O`, `1`, `I` and `L` never occur in a
    /// code and are refused rather than guessed.
    ///
    /// # Errors
    /// Not 8 characters of the alphabet once normalised (field `cardCode`).
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let mut code = String::with_capacity(CARD_LEN);
        for c in raw.trim().chars() {
            if c.is_whitespace() || matches!(c, '-' | '‐' | '–' | '—') {
                continue;
            }
            let c = latin_look_alike(c).unwrap_or(c).to_ascii_uppercase();
            if matches!(c, '0' | 'O' | '1' | 'I' | 'L') {
                return Err(InvalidValue::new(
                    "cardCode",
                    "a card code never contains 0, O, 1, I or L: check the code on the card",
                ));
            }
            if !c.is_ascii() || !CARD_ALPHABET.contains(&(c as u8)) {
                return Err(InvalidValue::new(
                    "cardCode",
                    "a card code contains only Latin letters and digits, like 7KQM-X2WP",
                ));
            }
            if code.len() == CARD_LEN {
                return Err(InvalidValue::new(
                    "cardCode",
                    "a card code has 8 characters, like 7KQM-X2WP",
                ));
            }
            code.push(c);
        }
        if code.len() != CARD_LEN {
            return Err(InvalidValue::new(
                "cardCode",
                "a card code has 8 characters, like 7KQM-X2WP",
            ));
        }
        Ok(Self(code))
    }

    /// The 8 characters without the dash, as stored.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Latin letter a Cyrillic look-alike stands for, if it is one.
fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'А' | 'а' => 'A',
        'В' | 'в' => 'B',
        'Е' | 'е' => 'E',
        'К' | 'к' => 'K',
        'М' | 'м' => 'M',
        'Н' | 'н' => 'H',
        'Р' | 'р' => 'P',
        'С' | 'с' => 'C',
        'Т' | 'т' => 'T',
        'Х' | 'х' => 'X',
        'У' | 'у' => 'Y',
        // Refused later, but with the message about excluded characters.
        'О' | 'о' => 'O',
        'І' | 'і' => 'I',
        _ => return None,
    })
}

impl AsRef<str> for CardCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.split_at_checked(CARD_LEN / 2) {
            Some((head, tail)) => write!(f, "{head}-{tail}"),
            None => f.write_str(&self.0),
        }
    }
}

/// The prefix of every QR payload (format version 1).
const QR_PREFIX: &str = "ML1:";

/// The string in a guest's QR code: `ML1:` and 32 lower-case hex digits of a
/// random 128-bit token. The token identifies the guest to a cashier's scanner,
/// so `Debug` shows only its first 4 hex digits.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct QrPayload(String);

impl QrPayload {
    /// Makes a payload from 16 random bytes (from a CSPRNG).
    #[must_use]
    pub fn from_random(bytes: [u8; 16]) -> Self {
        let mut s = String::with_capacity(QR_PREFIX.len() + 32);
        s.push_str(QR_PREFIX);
        for b in bytes {
            s.push(hex_digit(b >> 4));
            s.push(hex_digit(b & 0x0f));
        }
        Self(s)
    }

    /// Parses a scanned payload. Surrounding whitespace is trimmed; otherwise it
    /// must be exactly `ML1:` and 32 lower-case hex digits, as
    /// [`QrPayload::from_random`] writes it.
    ///
    /// # Errors
    /// Any other shape (field `qr`).
    pub fn parse(raw: &str) -> Result<Self, InvalidValue> {
        let s = raw.trim();
        let ok = s.strip_prefix(QR_PREFIX).is_some_and(|token| {
            token.len() == 32
                && token
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        });
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(InvalidValue::new(
                "qr",
                "this is not a MaxLoyalty guest QR code, or it did not scan completely",
            ))
        }
    }

    /// The payload, like `ML1:00112233445566778899aabbccddeeff`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0x0f)])
}

impl AsRef<str> for QrPayload {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for QrPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.get(..QR_PREFIX.len() + 4).unwrap_or_default();
        write!(f, "QrPayload({shown}…)")
    }
}

/// The oldest birthday accepted, in years before today.
const MAX_AGE_YEARS: u32 = 120;

/// Checks a guest's birthday: not after `today` and not more than 120 years
/// before it (a birthday exactly 120 years ago is accepted).
///
/// # Errors
/// A date in the future or too long ago (field `birthday`).
pub fn validate_birthday(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, InvalidValue> {
    if date > today {
        return Err(InvalidValue::new(
            "birthday",
            "a birthday cannot be in the future",
        ));
    }
    let earliest = today.checked_sub_months(Months::new(MAX_AGE_YEARS * 12));
    if earliest.is_some_and(|earliest| date < earliest) {
        return Err(InvalidValue::new(
            "birthday",
            format!("a birthday cannot be more than {MAX_AGE_YEARS} years ago"),
        ));
    }
    Ok(date)
}

/// A guest's tags: at most 20, each trimmed (inner runs of whitespace become one
/// space), 1 to 32 characters, lower-cased; duplicates removed, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tags(Vec<String>);

impl Tags {
    /// The most tags a guest may have.
    pub const MAX_COUNT: usize = 20;
    /// The longest tag, in characters.
    pub const MAX_LEN: usize = 32;

    /// Normalises a list of tags. The limit of 20 applies after duplicates are
    /// removed.
    ///
    /// # Errors
    /// An empty tag, one over 32 characters or with control characters, or more
    /// than 20 distinct tags (field `tags`).
    pub fn parse(raw: &[String]) -> Result<Self, InvalidValue> {
        let mut tags = Vec::with_capacity(raw.len().min(Self::MAX_COUNT));
        for tag in raw {
            let tag = tag.split_whitespace().collect::<Vec<_>>().join(" ");
            if tag.is_empty() {
                return Err(InvalidValue::new("tags", "a tag must not be empty"));
            }
            if tag.chars().any(char::is_control) {
                return Err(InvalidValue::new(
                    "tags",
                    "a tag must not contain control characters",
                ));
            }
            let tag = tag.to_lowercase();
            if tag.chars().count() > Self::MAX_LEN {
                return Err(InvalidValue::new(
                    "tags",
                    format!(
                        "the tag \"{tag}\" is longer than {} characters",
                        Self::MAX_LEN
                    ),
                ));
            }
            tags.push(tag);
        }
        tags.sort();
        tags.dedup();
        if tags.len() > Self::MAX_COUNT {
            return Err(InvalidValue::new(
                "tags",
                format!("a guest can have at most {} tags", Self::MAX_COUNT),
            ));
        }
        Ok(Self(tags))
    }

    /// The tags, sorted.
    #[must_use]
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

impl AsRef<[String]> for Tags {
    fn as_ref(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn phone(raw: &str) -> Result<String, InvalidValue> {
        Phone::parse(raw, "phone").map(|p| p.as_e164().to_owned())
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    // Phone

    #[test]
    fn the_ways_russians_type_a_mobile_number_all_give_the_same_e164() {
        for raw in [
            "+7 900 123-45-67",
            "8 (900) 123-45-67",
            "89001234567",
            "79001234567",
            "9001234567",
            "  +7(900)123.45.67  ",
            "+ 7 900 123 45 67",
            "8\u{a0}900\u{a0}123\u{a0}45\u{a0}67",
        ] {
            assert_eq!(phone(raw), Ok("+79001234567".to_owned()), "{raw}");
        }
    }

    #[test]
    fn a_kazakh_mobile_number_parses_with_or_without_the_prefix() {
        for raw in ["+7 701 123 4567", "8 701 123 45 67", "7011234567"] {
            assert_eq!(phone(raw), Ok("+77011234567".to_owned()), "{raw}");
        }
    }

    #[test]
    fn a_landline_with_a_leading_8_keeps_its_area_code() {
        assert_eq!(phone("8 (812) 123-45-67"), Ok("+78121234567".to_owned()));
        assert_eq!(phone("8 800 555 35 35"), Ok("+78005553535".to_owned()));
    }

    #[test]
    fn numbers_from_other_countries_parse_with_a_plus() {
        assert_eq!(phone("+998 90 123 45 67"), Ok("+998901234567".to_owned()));
        assert_eq!(phone("+49 30 1234567"), Ok("+49301234567".to_owned()));
        assert_eq!(phone("+1 (415) 555-2671"), Ok("+14155552671".to_owned()));
        assert_eq!(phone("+86 139 1234 5678"), Ok("+8613912345678".to_owned()));
    }

    #[test]
    fn letters_and_stray_symbols_are_refused() {
        for raw in [
            "+7 900 ABC-45-67",
            "8 900 123-45-67 доб. 12",
            "8 900 123_45_67",
            "+7 900 123-45-67#",
        ] {
            assert!(phone(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn a_plus_anywhere_but_the_start_is_refused() {
        assert!(phone("7+9001234567").is_err());
        assert!(phone("++79001234567").is_err());
    }

    #[test]
    fn empty_and_blank_input_is_refused_with_the_given_field() {
        let err = Phone::parse("   ", "guestPhone").expect_err("blank");
        assert_eq!(err.field, "guestPhone");
        assert!(phone("").is_err());
    }

    #[test]
    fn a_leading_8_not_followed_by_ten_digits_is_refused() {
        for raw in [
            "8 900 123-45-6",
            "8900123456",
            "8 900 123-45-678",
            "810 49 30 1234567",
        ] {
            assert!(phone(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn plus_7_with_the_wrong_number_of_digits_is_refused() {
        assert!(phone("+7 900 123-45-6").is_err());
        assert!(phone("+7 900 123-45-678").is_err());
        assert!(phone("+7 8 900 123-45-67").is_err());
    }

    #[test]
    fn too_short_and_too_long_numbers_are_refused() {
        for raw in [
            "900123",
            "123-45-67",
            "+4930123",
            "+1234567890123456",
            "998901234567",
        ] {
            assert!(phone(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn a_country_code_starting_with_0_is_refused() {
        assert!(phone("+0 900 123 45 67").is_err());
    }

    #[test]
    fn plus_8_typed_instead_of_plus_7_is_refused() {
        let err = Phone::parse("+8 900 123-45-67", "phone").expect_err("+8");
        assert!(err.message.contains("+7"), "{}", err.message);
    }

    #[test]
    fn a_plus_7_number_outside_the_russian_and_kazakh_ranges_is_refused() {
        assert!(phone("+7 000 123-45-67").is_err());
        assert!(phone("1234567890").is_err());
        assert!(phone("2001234567").is_err());
    }

    #[test]
    fn digits_leave_out_the_plus() {
        let p = Phone::parse("8 900 123-45-67", "phone").expect("valid");
        assert_eq!(p.digits(), "79001234567");
        assert_eq!(p.as_ref(), "+79001234567");
    }

    #[test]
    fn a_russian_number_is_masked_down_to_its_last_four_digits() {
        let p = Phone::parse("+7 900 123-45-67", "phone").expect("valid");
        assert_eq!(p.masked(), "+7 *** ***-45-67");
    }

    #[test]
    fn a_foreign_number_is_masked_down_to_its_last_four_digits() {
        let p = Phone::parse("+998 90 123 45 67", "phone").expect("valid");
        assert_eq!(p.masked(), "+********-45-67");
    }

    #[test]
    fn display_shows_e164_and_debug_shows_only_the_mask() {
        let p = Phone::parse("+7 900 123-45-67", "phone").expect("valid");
        assert_eq!(p.to_string(), "+79001234567");
        let debug = format!("{p:?}");
        assert_eq!(debug, "Phone(+7 *** ***-45-67)");
        assert!(!debug.contains("900"));
    }

    // PhoneFragment

    #[test]
    fn a_fragment_keeps_only_the_digits() {
        let f = PhoneFragment::parse(" 45-67 ").expect("valid");
        assert_eq!(f.digits(), "4567");
        let f = PhoneFragment::parse("+7 (900) 123").expect("valid");
        assert_eq!(f.digits(), "7900123");
    }

    #[test]
    fn a_fragment_of_fewer_than_four_digits_is_refused() {
        for raw in ["", "567", "5-6-7", "+ ( ) -"] {
            let err = PhoneFragment::parse(raw).expect_err("too short");
            assert_eq!(err.field, "query");
        }
    }

    #[test]
    fn a_fragment_of_more_than_fifteen_digits_is_refused() {
        assert!(PhoneFragment::parse("1234567890123456").is_err());
        assert!(PhoneFragment::parse("123456789012345").is_ok());
    }

    #[test]
    fn a_fragment_with_letters_is_refused() {
        assert!(PhoneFragment::parse("45a67").is_err());
        assert!(PhoneFragment::parse("Иванов").is_err());
    }

    #[test]
    fn a_full_number_typed_with_a_leading_8_matches_the_stored_digits() {
        let f = PhoneFragment::parse("8 900 123-45-67").expect("valid");
        assert_eq!(f.digits(), "79001234567");
        let p = Phone::parse("8 900 123-45-67", "phone").expect("valid");
        assert!(p.digits().ends_with(f.digits()));
    }

    #[test]
    fn a_fragment_debug_shows_only_the_last_four_digits() {
        let f = PhoneFragment::parse("79001234567").expect("valid");
        assert_eq!(format!("{f:?}"), "PhoneFragment(…4567)");
    }

    // CardCode

    #[test]
    fn a_card_code_from_zero_bytes_is_all_the_first_character() {
        let code = CardCode::from_random([0; 8]);
        assert_eq!(code.as_str(), "22222222");
        assert_eq!(code.to_string(), "2222-2222");
    }

    #[test]
    fn a_card_code_from_random_bytes_uses_only_the_alphabet() {
        let code = CardCode::from_random([0xff; 8]);
        assert_eq!(code.as_str().len(), 8);
        assert!(code.as_str().bytes().all(|b| CARD_ALPHABET.contains(&b)));
    }

    #[test]
    fn a_card_code_is_read_as_a_cashier_types_it() {
        for raw in [
            "7KQM-X2WP",
            "7kqm-x2wp",
            "7KQMX2WP",
            " 7kqm x2wp ",
            "7K QM-X2 WP",
            "7KQM–X2WP",
        ] {
            let code = CardCode::parse(raw).expect("valid");
            assert_eq!(code.as_str(), "7KQMX2WP", "{raw}");
            assert_eq!(code.to_string(), "7KQM-X2WP");
        }
    }

    #[test]
    fn cyrillic_look_alikes_are_read_as_latin_letters() {
        // "АВЕК-МНРС" and "тху" typed on a Russian layout.
        let code = CardCode::parse("АВЕК-МНРС").expect("valid");
        assert_eq!(code.as_str(), "ABEKMHPC");
        let code = CardCode::parse("тху2-3456").expect("valid");
        assert_eq!(code.as_str(), "TXY23456");
    }

    #[test]
    fn excluded_look_alike_characters_are_refused_not_guessed() {
        for raw in [
            "0KQM-X2WP",
            "OKQM-X2WP",
            "1KQM-X2WP",
            "IKQM-X2WP",
            "lKQM-X2WP",
            "ОKQM-X2WP",
        ] {
            let err = CardCode::parse(raw).expect_err("excluded character");
            assert_eq!(err.field, "cardCode");
            assert!(
                err.message.contains("never contains"),
                "{raw}: {}",
                err.message
            );
        }
    }

    #[test]
    fn a_card_code_of_the_wrong_length_or_with_symbols_is_refused() {
        for raw in [
            "",
            "7KQM-X2W",
            "7KQM-X2WPA",
            "7KQM_X2WP",
            "7KQM-X2W!",
            "ЖKQM-X2WP",
        ] {
            assert!(CardCode::parse(raw).is_err(), "{raw}");
        }
    }

    // QrPayload

    #[test]
    fn a_qr_payload_is_the_prefix_and_the_token_in_lower_case_hex() {
        let bytes = [
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
            0xee, 0xff,
        ];
        let qr = QrPayload::from_random(bytes);
        assert_eq!(qr.as_str(), "ML1:00112233445566778899aabbccddeeff");
        assert_eq!(
            QrPayload::parse(" ML1:00112233445566778899aabbccddeeff\n"),
            Ok(qr)
        );
    }

    #[test]
    fn a_qr_payload_of_another_shape_is_refused() {
        for raw in [
            "",
            "ML1:",
            "ml1:00112233445566778899aabbccddeeff",
            "ML2:00112233445566778899aabbccddeeff",
            "ML1:00112233445566778899AABBCCDDEEFF",
            "ML1:00112233445566778899aabbccddeef",
            "ML1:00112233445566778899aabbccddeeff0",
            "ML1:00112233445566778899aabbccddeefg",
            "ML1: 00112233445566778899aabbccddeeff",
            "00112233445566778899aabbccddeeff",
        ] {
            let err = QrPayload::parse(raw).expect_err("wrong shape");
            assert_eq!(err.field, "qr", "{raw}");
        }
    }

    #[test]
    fn a_qr_payload_debug_hides_the_token() {
        let qr = QrPayload::from_random([0xab; 16]);
        assert_eq!(format!("{qr:?}"), "QrPayload(ML1:abab…)");
    }

    // Birthday

    #[test]
    fn a_birthday_today_or_in_the_past_is_accepted() {
        let today = date(2026, 3, 10);
        assert_eq!(validate_birthday(today, today), Ok(today));
        assert_eq!(
            validate_birthday(date(1990, 5, 1), today),
            Ok(date(1990, 5, 1))
        );
    }

    #[test]
    fn a_birthday_in_the_future_is_refused() {
        let err = validate_birthday(date(2026, 3, 11), date(2026, 3, 10)).expect_err("future");
        assert_eq!(err.field, "birthday");
    }

    #[test]
    fn a_birthday_exactly_120_years_ago_is_accepted_and_one_day_earlier_is_not() {
        let today = date(2026, 3, 10);
        assert!(validate_birthday(date(1906, 3, 10), today).is_ok());
        assert!(validate_birthday(date(1906, 3, 9), today).is_err());
    }

    #[test]
    fn the_120_year_limit_works_from_a_leap_day() {
        let today = date(2024, 2, 29);
        assert!(validate_birthday(date(1904, 2, 29), today).is_ok());
        assert!(validate_birthday(date(1904, 2, 28), today).is_err());
    }

    // Tags

    #[test]
    fn tags_are_trimmed_lower_cased_deduplicated_and_sorted() {
        let tags = Tags::parse(&strings(&[
            " VIP ",
            "vip",
            "Веган",
            "birthday  club",
            "Birthday Club",
        ]))
        .expect("valid");
        assert_eq!(tags.as_slice(), ["birthday club", "vip", "веган"]);
    }

    #[test]
    fn no_tags_is_a_valid_list() {
        assert!(Tags::parse(&[]).expect("valid").as_slice().is_empty());
    }

    #[test]
    fn an_empty_tag_is_refused() {
        let err = Tags::parse(&strings(&["vip", "  "])).expect_err("empty");
        assert_eq!(err.field, "tags");
    }

    #[test]
    fn a_tag_of_32_characters_is_accepted_and_33_is_not() {
        assert!(Tags::parse(&["я".repeat(32)]).is_ok());
        assert!(Tags::parse(&["я".repeat(33)]).is_err());
    }

    #[test]
    fn a_tag_with_control_characters_is_refused() {
        assert!(Tags::parse(&strings(&["vip\u{7}"])).is_err());
    }

    #[test]
    fn twenty_distinct_tags_are_accepted_and_twenty_one_are_not() {
        let twenty: Vec<String> = (0..20).map(|i| format!("tag{i}")).collect();
        assert_eq!(Tags::parse(&twenty).expect("valid").as_slice().len(), 20);
        let mut with_duplicates = twenty.clone();
        with_duplicates.push("TAG0".to_owned());
        assert!(Tags::parse(&with_duplicates).is_ok());
        let mut twenty_one = twenty;
        twenty_one.push("tag20".to_owned());
        assert!(Tags::parse(&twenty_one).is_err());
    }

    // Properties

    /// Mostly plausible phone input with decorations, and some noise.
    fn phone_like() -> impl Strategy<Value = String> {
        prop_oneof![
            ("[+]?", "[0-9]{6,16}").prop_map(|(plus, d)| format!("{plus}{d}")),
            "(\\+7|8|7)?[ (]{0,2}[0-9]{3}[) -]{0,2}[0-9]{3}[ -]?[0-9]{2}[ -]?[0-9]{2}",
            "\\+[1-9][0-9]{0,2} [0-9 -]{5,16}",
            any::<String>(),
        ]
    }

    proptest! {
        #[test]
        fn parsing_a_phone_again_from_its_e164_gives_the_same_phone(raw in phone_like()) {
            if let Ok(p) = Phone::parse(&raw, "phone") {
                prop_assert_eq!(Phone::parse(p.as_e164(), "phone"), Ok(p.clone()));
                prop_assert_eq!(Phone::parse(&format!("{p}"), "phone"), Ok(p.clone()));
                prop_assert!(p.as_e164().starts_with('+'));
                prop_assert!(p.digits().len() <= 15);
                prop_assert!(p.digits().bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn any_ten_digits_starting_with_9_are_a_plus_7_number(rest in "[0-9]{9}") {
            let national = format!("9{rest}");
            prop_assert_eq!(phone(&national), Ok(format!("+7{national}")));
        }

        #[test]
        fn a_masked_phone_shows_at_most_its_last_four_digits(raw in phone_like()) {
            if let Ok(p) = Phone::parse(&raw, "phone") {
                let masked = p.masked();
                let shown: String = masked.chars().filter(char::is_ascii_digit).collect();
                let last4 = &p.digits()[p.digits().len() - 4..];
                if p.digits().starts_with('7') && p.digits().len() == 11 {
                    prop_assert_eq!(shown, format!("7{last4}"));
                } else {
                    prop_assert_eq!(shown, last4.to_owned());
                }
                let debug = format!("{p:?}");
                prop_assert!(!debug.contains(p.digits()));
            }
        }

        #[test]
        fn a_card_code_survives_display_and_parse(
            bytes in any::<[u8; 8]>(),
            space in "[ ]{0,2}",
        ) {
            let code = CardCode::from_random(bytes);
            let shown = code.to_string();
            prop_assert_eq!(CardCode::parse(&shown), Ok(code.clone()));
            prop_assert_eq!(CardCode::parse(&shown.to_lowercase()), Ok(code.clone()));
            prop_assert_eq!(CardCode::parse(code.as_str()), Ok(code.clone()));
            let spaced = shown.replace('-', &format!("{space} {space}"));
            prop_assert_eq!(CardCode::parse(&format!(" {spaced} ")), Ok(code.clone()));
        }

        #[test]
        fn a_parsed_card_code_is_eight_alphabet_characters(raw in "\\PC{0,12}") {
            if let Ok(code) = CardCode::parse(&raw) {
                prop_assert_eq!(code.as_str().len(), 8);
                prop_assert!(code.as_str().bytes().all(|b| CARD_ALPHABET.contains(&b)));
            }
        }

        #[test]
        fn a_qr_payload_survives_as_str_and_parse(bytes in any::<[u8; 16]>()) {
            let qr = QrPayload::from_random(bytes);
            prop_assert_eq!(QrPayload::parse(qr.as_str()), Ok(qr.clone()));
            prop_assert_eq!(qr.as_str().len(), 36);
        }

        #[test]
        fn a_phone_fragment_never_has_fewer_than_four_digits(
            raw in prop_oneof![
                "[0-9]{0,3}",
                "[+() -]{0,3}[0-9]{0,3}[+() -]{0,3}",
                "[0-9 ()+-]{0,20}",
                any::<String>(),
            ]
        ) {
            let typed = raw.chars().filter(char::is_ascii_digit).count();
            if let Ok(f) = PhoneFragment::parse(&raw) {
                prop_assert!(f.digits().len() >= PhoneFragment::MIN_DIGITS);
                prop_assert!(f.digits().len() <= PhoneFragment::MAX_DIGITS);
                prop_assert!(f.digits().bytes().all(|b| b.is_ascii_digit()));
            }
            if typed < PhoneFragment::MIN_DIGITS {
                prop_assert!(PhoneFragment::parse(&raw).is_err());
            }
        }

        #[test]
        fn parsed_tags_are_normalised_and_parse_to_themselves(
            raw in proptest::collection::vec("\\PC{0,40}", 0..25)
        ) {
            if let Ok(tags) = Tags::parse(&raw) {
                let s = tags.as_slice();
                prop_assert!(s.len() <= Tags::MAX_COUNT);
                prop_assert!(s.windows(2).all(|w| w[0] < w[1]));
                for tag in s {
                    prop_assert_eq!(tag.trim(), tag.as_str());
                    prop_assert!(!tag.is_empty() && tag.chars().count() <= Tags::MAX_LEN);
                    prop_assert_eq!(tag.to_lowercase(), tag.clone());
                }
                prop_assert_eq!(Tags::parse(s), Ok(tags.clone()));
            }
        }
    }
}
