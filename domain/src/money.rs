//! Money and points: integers in newtypes, never floats. Arithmetic is checked.

use serde::{Deserialize, Serialize};
use std::fmt;

/// ISO 4217 currencies MaxLoyalty serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    /// Russian rouble (minor unit: kopeck).
    Rub,
    /// Kazakhstani tenge (minor unit: tiyn).
    Kzt,
}

impl Currency {
    /// ISO code, e.g. `RUB`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Rub => "RUB",
            Self::Kzt => "KZT",
        }
    }
    /// Parses an ISO code (case-insensitive).
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code.to_ascii_uppercase().as_str() {
            "RUB" => Some(Self::Rub),
            "KZT" => Some(Self::Kzt),
            _ => None,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money in minor units of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

/// Money arithmetic that would overflow or mix currencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The two amounts are in different currencies.
    #[error("currency mismatch: {0} vs {1}")]
    CurrencyMismatch(Currency, Currency),
    /// The result does not fit in 64 bits.
    #[error("amount overflow")]
    Overflow,
}

impl Money {
    /// An amount of `minor` units (kopecks, tiyn) in `currency`.
    #[must_use]
    pub const fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }
    /// Minor units.
    #[must_use]
    pub const fn minor(&self) -> i64 {
        self.minor
    }
    /// The currency.
    #[must_use]
    pub const fn currency(&self) -> Currency {
        self.currency
    }
    /// `self + other`.
    ///
    /// # Errors
    /// Different currencies or overflow.
    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        self.minor
            .checked_add(other.minor)
            .map(|minor| Self::from_minor(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }
    /// `self - other`.
    ///
    /// # Errors
    /// Different currencies or overflow.
    pub fn checked_sub(self, other: Self) -> Result<Self, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        self.minor
            .checked_sub(other.minor)
            .map(|minor| Self::from_minor(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }
    /// `floor(self × bp / 10 000)`: a share in basis points, rounded down.
    ///
    /// # Errors
    /// Overflow.
    pub fn share(self, bp: BasisPoints) -> Result<Self, MoneyError> {
        let v = i128::from(self.minor) * i128::from(bp.get()) / 10_000;
        i64::try_from(v)
            .map(|minor| Self::from_minor(minor, self.currency))
            .map_err(|_| MoneyError::Overflow)
    }
}

/// Loyalty points: whole numbers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Points(i64);

impl Points {
    /// Zero points.
    pub const ZERO: Self = Self(0);
    /// Wraps a whole number of points.
    #[must_use]
    pub const fn new(v: i64) -> Self {
        Self(v)
    }
    /// The number of points.
    #[must_use]
    pub const fn get(self) -> i64 {
        self.0
    }
    /// Checked addition.
    #[must_use]
    pub fn checked_add(self, o: Self) -> Option<Self> {
        self.0.checked_add(o.0).map(Self)
    }
    /// Checked subtraction.
    #[must_use]
    pub fn checked_sub(self, o: Self) -> Option<Self> {
        self.0.checked_sub(o.0).map(Self)
    }
}

/// A percentage in basis points (1 bp = 0.01 %), 0..=10 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BasisPoints(u16);

impl BasisPoints {
    /// 0 %.
    pub const ZERO: Self = Self(0);
    /// Parses a value in 0..=10 000.
    #[must_use]
    pub fn new(v: u16) -> Option<Self> {
        (v <= 10_000).then_some(Self(v))
    }
    /// The raw basis points.
    #[must_use]
    pub const fn get(self) -> u16 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_money_of_different_currencies_is_refused() {
        let a = Money::from_minor(100, Currency::Rub);
        let b = Money::from_minor(100, Currency::Kzt);
        assert_eq!(
            a.checked_add(b),
            Err(MoneyError::CurrencyMismatch(Currency::Rub, Currency::Kzt))
        );
    }

    #[test]
    fn shares_round_down_and_never_overflow_silently() {
        let a = Money::from_minor(999, Currency::Rub);
        let bp = BasisPoints::new(500).expect("valid");
        assert_eq!(a.share(bp).map(|m| m.minor()), Ok(49));
        assert_eq!(
            Money::from_minor(i64::MAX, Currency::Rub)
                .checked_add(Money::from_minor(1, Currency::Rub)),
            Err(MoneyError::Overflow)
        );
        assert!(BasisPoints::new(10_001).is_none());
    }
}
