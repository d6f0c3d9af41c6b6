//! Property tests of the values identity relies on (e-mails, names, passwords,
//! pagination, money) and of token handling on arbitrary input.

use proptest::prelude::*;

use super::harness::{World, meta};
use crate::identity::errors::{AcceptInvitationError, RefreshError};
use crate::identity::models::{Email, Name, Password, TimeZoneName};
use crate::money::{BasisPoints, Currency, Money, MoneyError};
use crate::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageRequest};

fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![Just(Currency::Rub), Just(Currency::Kzt)]
}

/// Mostly plausible addresses, with random case and padding.
fn email_like() -> impl Strategy<Value = String> {
    (
        "[ \t]{0,2}",
        "[A-Za-z0-9._%+-]{1,20}",
        "[A-Za-z0-9-]{1,12}",
        "[A-Za-z]{2,6}",
        "[ \t]{0,2}",
    )
        .prop_map(|(pre, local, host, tld, post)| format!("{pre}{local}@{host}.{tld}{post}"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
}

proptest! {
    #[test]
    fn a_parsed_email_is_trimmed_lower_case_and_parses_to_itself(
        raw in prop_oneof![email_like(), any::<String>(), "\\PC{0,30}@\\PC{0,30}"]
    ) {
        if let Ok(email) = Email::parse(&raw) {
            let s = email.as_ref();
            prop_assert_eq!(s, s.trim());
            prop_assert_eq!(s.to_owned(), s.to_lowercase());
            prop_assert!(!s.chars().any(char::is_whitespace));
            prop_assert!(s.len() <= 254);
            prop_assert_eq!(s.matches('@').count(), 1);
            prop_assert_eq!(Email::parse(s), Ok(email.clone()));
            if s.is_ascii() {
                prop_assert_eq!(Email::parse(&s.to_uppercase()).map(|e| e.to_string()), Ok(s.to_owned()));
            }
        }
    }

    #[test]
    fn plausible_addresses_are_accepted(raw in email_like()) {
        let email = Email::parse(&raw);
        prop_assert!(email.is_ok(), "{raw:?}: {email:?}");
    }

    #[test]
    fn a_parsed_name_is_trimmed_non_empty_and_within_bounds(
        raw in any::<String>(),
        max in 1_usize..150,
    ) {
        match Name::parse(&raw, "name", max) {
            Ok(name) => {
                let s = name.as_ref();
                prop_assert_eq!(s, s.trim());
                prop_assert!(!s.is_empty());
                prop_assert!(s.chars().count() <= max);
                prop_assert!(!s.chars().any(char::is_control));
                prop_assert_eq!(Name::parse(s, "name", max), Ok(name.clone()));
            }
            Err(e) => {
                prop_assert_eq!(e.field, "name");
                let t = raw.trim();
                prop_assert!(
                    t.is_empty() || t.chars().count() > max || t.chars().any(char::is_control),
                    "{raw:?} was refused for no reason"
                );
            }
        }
    }

    #[test]
    fn a_password_shorter_than_ten_characters_is_never_accepted(
        raw in "\\PC{0,9}",
        email in proptest::option::of(email_like()),
    ) {
        let email = email.and_then(|e| Email::parse(&e).ok());
        prop_assert!(Password::new_checked(&raw, email.as_ref()).is_err());
    }

    #[test]
    fn an_accepted_password_is_long_enough_and_avoids_the_email_name(
        raw in "\\PC{0,140}",
        email in email_like(),
    ) {
        let email = Email::parse(&email).expect("plausible addresses parse");
        if let Ok(p) = Password::new_checked(&raw, Some(&email)) {
            let n = p.expose().chars().count();
            prop_assert!((Password::MIN_LEN..=128).contains(&n));
            let local = email.as_ref().split('@').next().unwrap_or_default();
            prop_assert!(local.len() < 4 || !raw.to_lowercase().contains(local));
            prop_assert_eq!(format!("{p:?}"), "Password(***)");
        }
    }

    #[test]
    fn relay_arguments_never_yield_a_page_over_the_limit_or_both_directions(
        first in proptest::option::of(prop_oneof![any::<i64>(), -5_i64..200]),
        last in proptest::option::of(prop_oneof![any::<i64>(), -5_i64..200]),
    ) {
        let result = PageRequest::<uuid::Uuid>::from_relay(None, None, first, last);
        if first.is_some() && last.is_some() {
            prop_assert!(result.is_err());
        }
        if first.is_some_and(|n| !(0..=100).contains(&n)) || last.is_some_and(|n| !(0..=100).contains(&n)) {
            prop_assert!(result.is_err());
        }
        match result {
            Ok(PageRequest::Forward { limit, .. }) => {
                prop_assert!(last.is_none());
                prop_assert!(limit <= MAX_PAGE_SIZE);
                let expected = first.and_then(|n| u64::try_from(n).ok()).unwrap_or(DEFAULT_PAGE_SIZE);
                prop_assert_eq!(limit, expected);
            }
            Ok(PageRequest::Backward { limit, .. }) => {
                prop_assert!(first.is_none());
                prop_assert!(limit <= MAX_PAGE_SIZE);
                prop_assert_eq!(Some(limit), last.and_then(|n| u64::try_from(n).ok()));
            }
            Err(_) => {
                let ok = |n: Option<i64>| n.is_none_or(|n| (0..=100).contains(&n));
                prop_assert!((first.is_some() && last.is_some()) || !ok(first) || !ok(last));
            }
        }
    }

    #[test]
    fn adding_money_is_commutative_checked_and_never_mixes_currencies(
        a in any::<i64>(),
        b in prop_oneof![any::<i64>(), -1_000_000_i64..1_000_000],
        ca in currency(),
        cb in currency(),
    ) {
        let x = Money::from_minor(a, ca);
        let y = Money::from_minor(b, cb);
        prop_assert_eq!(x.checked_add(y), y.checked_add(x).map_err(|e| match e {
            MoneyError::CurrencyMismatch(p, q) => MoneyError::CurrencyMismatch(q, p),
            other => other,
        }));
        if ca == cb {
            match a.checked_add(b) {
                Some(sum) => {
                    let z = x.checked_add(y).expect("no overflow");
                    prop_assert_eq!((z.minor(), z.currency()), (sum, ca));
                    prop_assert_eq!(z.checked_sub(y), Ok(x));
                }
                None => prop_assert_eq!(x.checked_add(y), Err(MoneyError::Overflow)),
            }
        } else {
            prop_assert_eq!(x.checked_add(y), Err(MoneyError::CurrencyMismatch(ca, cb)));
            prop_assert_eq!(x.checked_sub(y), Err(MoneyError::CurrencyMismatch(ca, cb)));
        }
    }

    #[test]
    fn a_share_rounds_down_and_never_exceeds_the_whole(
        minor in 0_i64..=i64::MAX,
        bp in 0_u16..=10_000,
        c in currency(),
    ) {
        let bp = BasisPoints::new(bp).expect("in range");
        let share = Money::from_minor(minor, c).share(bp).expect("never overflows for 0..=100 %");
        prop_assert!(share.minor() >= 0 && share.minor() <= minor);
        prop_assert_eq!(share.currency(), c);
        let exact = i128::from(minor) * i128::from(bp.get());
        prop_assert!(i128::from(share.minor()) * 10_000 <= exact);
        prop_assert!(exact < (i128::from(share.minor()) + 1) * 10_000);
    }

    #[test]
    fn a_parsed_time_zone_parses_to_itself(raw in prop_oneof![
        "[A-Za-z_]{1,10}/[A-Za-z_+-]{1,14}",
        "\\PC{0,20}",
    ]) {
        if let Ok(tz) = TimeZoneName::parse(&raw) {
            let s = tz.as_ref();
            prop_assert_eq!(s, s.trim());
            prop_assert!(s.len() <= 64);
            prop_assert_eq!(TimeZoneName::parse(s).map(|t| t.as_ref().to_owned()), Ok(s.to_owned()));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_refresh_and_invitation_tokens_are_refused_cleanly(
        suffix in "\\PC{0,80}",
        prefix in prop_oneof![Just(""), Just("rt_"), Just("inv_")],
        use_tenant in any::<bool>(),
    ) {
        let rt = runtime();
        let w = World::new();
        let biz = rt.block_on(w.business("Coffee & Co", "olga@example.com"));
        let tenant = if use_tenant {
            format!("{}_", biz.tenant.as_uuid().simple())
        } else {
            String::new()
        };
        let token = format!("{prefix}{tenant}{suffix}");
        prop_assert_eq!(
            rt.block_on(w.svc.refresh(&token, meta())).map(|_| ()),
            Err(RefreshError::InvalidToken)
        );
        prop_assert_eq!(
            rt.block_on(w.svc.invitation_preview(&token)).map(|_| ()),
            Err(AcceptInvitationError::NotFound)
        );
        prop_assert!(rt.block_on(w.svc.logout(&token, meta())).is_ok());
        rt.block_on(w.svc.refresh(&biz.owner.session.refresh_token, meta()))
            .map_err(|e| TestCaseError::fail(format!("the real token broke: {e}")))?;
    }
}
