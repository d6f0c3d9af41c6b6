//! Adapters implementing the domain's ports: sea-orm repositories for SQLite and
//! PostgreSQL (with tenant-scoped transactions and row-level security), the casbin
//! policy store and authoriser, password hashing, token signing, mail and the
//! Redis event bus.

pub mod bus;
pub mod cache;
pub mod crypto;
pub mod db;
mod http;
pub mod integrations;
pub mod jobs;
pub mod mail;
pub mod rbac;
pub mod secret_box;
pub mod telegram;
pub mod webhooks;

pub use db::{Db, DbError};
