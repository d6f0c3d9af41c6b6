//! Event bus adapters behind the domain's `EventPublisher` port. The in-process
//! broadcast (the embedded default) lives with the API; this module holds the
//! adapter that carries events between server processes.

pub mod redis;

pub use self::redis::{RedisBus, RedisBusError};
