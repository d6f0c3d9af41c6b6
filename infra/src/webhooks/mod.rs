//! Outbound webhooks: the Standard Webhooks signer and the HTTP transport
//! (rustls, no redirects, 15 s timeout, and a resolver that refuses private
//! and reserved addresses on every connection).

mod signer;
mod transport;

pub use signer::StandardWebhooks;
pub use transport::HttpTransport;
