//! Unit tests of the identity service over in-memory fakes of its ports
//! (HOUSE_STYLE rule 16), and property tests of the values it relies on.

mod fakes;
mod harness;
