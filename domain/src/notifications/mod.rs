//! Notifications: a centre per staff user and per guest, channel preferences,
//! and delivery by e-mail and Telegram through outbox jobs, each message sent
//! at most once per (notification, channel).

pub mod models;
pub mod ports;
pub mod render;
pub mod service;

pub use models::{Channel, Notification, NotificationKind, Preferences, Recipient};
pub use ports::{DELIVER_JOB, NotificationStore, TelegramError, TelegramSender};
pub use service::{NotificationDeps, NotificationError, NotificationService, Shown};

#[cfg(test)]
mod tests;
