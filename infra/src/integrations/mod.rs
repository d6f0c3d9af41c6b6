//! Adapters of the integrations context: signature checks of inbound
//! deliveries, the stores of integrations and their event log, and iikoCloud.

pub mod iiko_cloud;
pub mod signature;

pub use crate::db::SqlIntegrations;
pub use iiko_cloud::IikoCloudApi;
pub use signature::{PosSignatures, sign_for_tests};
