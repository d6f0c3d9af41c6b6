//! Unit tests of the identity service over in-memory fakes of its ports
//! (HOUSE_STYLE rule 16), and property tests of the values it relies on.
//! Test names are sentences; each topic has its own file.

pub(crate) mod fakes;
pub(crate) mod harness;

mod api_keys;
mod audit;
mod invitations;
mod locations;
mod password_reset;
mod profile;
mod properties;
mod roles;
mod sessions;
mod sign_up_and_login;
mod staff;
mod throttling;
