//! Mail adapters. Until the SMTP adapter arrives, [`LogMailer`] writes each
//! message to the server log (development only: messages contain addresses
//! and one-time links).

use async_trait::async_trait;
use domain::identity::ports::{EmailMessage, Mailer};

/// Writes messages to the log instead of sending them.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, m: &EmailMessage) -> Result<(), String> {
        tracing::info!(target: "mail", to = %m.to, subject = %m.subject, "development mailer (not sent):\n{}", m.text);
        Ok(())
    }
}
