//! Cursor pagination shared by every list: Relay-style, over time-ordered ids
//! (or, for a ranked list, over the position its adapter reports per item).

use uuid::Uuid;

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;
/// The page size when the client does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// Which slice of a list to return. `C` is where a slice starts: an item's id
/// for lists in id order, a position for ranked lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageRequest<C = Uuid> {
    /// The first `limit` items after `after` (exclusive), oldest first.
    Forward {
        /// Exclusive lower bound.
        after: Option<C>,
        /// How many items.
        limit: u64,
    },
    /// The last `limit` items before `before` (exclusive), still returned oldest first.
    Backward {
        /// Exclusive upper bound.
        before: Option<C>,
        /// How many items.
        limit: u64,
    },
}

impl<C> Default for PageRequest<C> {
    fn default() -> Self {
        Self::Forward {
            after: None,
            limit: DEFAULT_PAGE_SIZE,
        }
    }
}

/// A bad pagination request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// `first` and `last` together, or a negative/too large size.
    #[error("{0}")]
    Invalid(&'static str),
}

impl<C> PageRequest<C> {
    /// Builds a request from Relay arguments.
    ///
    /// # Errors
    /// `first` with `last`, sizes outside 0..=100.
    pub fn from_relay(
        after: Option<C>,
        before: Option<C>,
        first: Option<i64>,
        last: Option<i64>,
    ) -> Result<Self, PageError> {
        let size = |n: i64| -> Result<u64, PageError> {
            u64::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE_SIZE)
                .ok_or(PageError::Invalid("page size must be between 0 and 100"))
        };
        match (first, last) {
            (Some(_), Some(_)) => Err(PageError::Invalid("pass either first or last, not both")),
            (_, Some(l)) => Ok(Self::Backward {
                before,
                limit: size(l)?,
            }),
            (f, None) => Ok(Self::Forward {
                after,
                limit: f.map(size).transpose()?.unwrap_or(DEFAULT_PAGE_SIZE),
            }),
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items, oldest first.
    pub items: Vec<T>,
    /// More items exist after the last one.
    pub has_next: bool,
    /// More items exist before the first one.
    pub has_previous: bool,
    /// The size of the whole list.
    pub total: u64,
}

impl<T> Page<T> {
    /// Maps the items, keeping the page shape.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_next: self.has_next,
            has_previous: self.has_previous,
            total: self.total,
        }
    }

    /// Maps the items with a conversion that may fail, keeping the page shape.
    ///
    /// # Errors
    /// The first item's conversion error.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            has_next: self.has_next,
            has_previous: self.has_previous,
            total: self.total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page<&'static str> {
        Page {
            items: vec!["1", "2"],
            has_next: true,
            has_previous: false,
            total: 7,
        }
    }

    #[test]
    fn try_map_keeps_the_shape_or_stops_at_the_first_error() {
        let ok: Result<Page<u8>, std::num::ParseIntError> = page().try_map(str::parse);
        assert_eq!(
            ok,
            Ok(Page {
                items: vec![1, 2],
                has_next: true,
                has_previous: false,
                total: 7,
            })
        );
        let bad = Page {
            items: vec!["1", "x", "y"],
            ..page()
        }
        .try_map(|s| s.parse::<u8>().map_err(|_| s));
        assert_eq!(bad, Err("x"));
        assert_eq!(page().map(str::len).items, vec![1, 1]);
    }
}
