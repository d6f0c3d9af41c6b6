//! MaxLoyalty's hexagonal core: identifiers, values, the request context, and the
//! bounded contexts (identity today; loyalty, commerce, campaigns and notifications
//! arrive beside it). Nothing here performs IO: adapters in `infra` implement the
//! ports declared by each context, and `api` drives the services.

pub mod ctx;
pub mod events;
pub mod ids;
pub mod money;
pub mod page;
pub mod ports;

pub mod identity;
pub mod integrations;
pub mod jobs;
pub mod loyalty;
pub mod notifications;
pub mod webhooks;

pub use ctx::{Actor, Ctx, RequestMeta};
pub use ids::*;
