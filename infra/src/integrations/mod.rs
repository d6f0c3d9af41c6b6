//! Adapters of the integrations context: signature checks of inbound
//! deliveries and the stores of integrations and their event log.

pub mod signature;

pub use crate::db::SqlIntegrations;
pub use signature::{PosSignatures, sign_for_tests};
