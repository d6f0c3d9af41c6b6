//! Mail adapters. [`LettreMailer`] sends over SMTP (lettre, rustls: `smtps://`
//! for implicit TLS, `smtp://…?tls=required` for STARTTLS, plain `smtp://` for
//! local sinks) or, in development, writes each message as an `.eml` file into
//! a folder (lettre's file transport) where a newcomer can read it.
//! [`LogMailer`] only logs (kept for tools that want no side effect).
//! The messages themselves (subjects, text and HTML parts, languages) are built
//! by the domain (`domain::identity::mail`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use domain::identity::ports::{EmailMessage, MailError, Mailer};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Writes messages to the log instead of sending them.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, m: &EmailMessage) -> Result<(), MailError> {
        tracing::info!(target: "mail", to = %m.to, subject = %m.subject, "development mailer (not sent):\n{}", m.text);
        Ok(())
    }
}

#[derive(Clone)]
enum Transport {
    /// lettre's own timeout covers connecting only: the limit bounds the whole
    /// conversation.
    Smtp(AsyncSmtpTransport<Tokio1Executor>, Duration),
    File(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// Sends mail through lettre: SMTP, or `.eml` files in a folder.
#[derive(Clone)]
pub struct LettreMailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for LettreMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Smtp(..) => "smtp".to_owned(),
            Transport::File(_, dir) => format!("files in {}", dir.display()),
        };
        f.debug_struct("LettreMailer")
            .field("transport", &kind)
            .field("from", &self.from.to_string())
            .finish()
    }
}

fn parse_from(from: &str) -> Result<Mailbox, String> {
    from.parse::<Mailbox>()
        .map_err(|e| format!("mail_from {from:?} is not a mailbox: {e}"))
}

impl LettreMailer {
    /// An SMTP mailer configured by URL: `smtps://user:pass@host:465`,
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtp://host:port` (plain).
    ///
    /// # Errors
    /// A malformed URL or sender.
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        Self::smtp_with_timeout(url, from, Duration::from_secs(30))
    }

    /// [`LettreMailer::smtp`] with its own time limit, for connecting and for the
    /// whole conversation.
    ///
    /// # Errors
    /// A malformed URL or sender.
    pub fn smtp_with_timeout(url: &str, from: &str, timeout: Duration) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("smtp_url {}: {e}", redact_url(url)))?
            .timeout(Some(timeout))
            .build();
        Ok(Self {
            transport: Transport::Smtp(transport, timeout),
            from: parse_from(from)?,
        })
    }

    /// A mailer writing each message as an `.eml` file into `dir` (created if missing).
    ///
    /// # Errors
    /// The folder cannot be created, or the sender is malformed.
    pub fn files(dir: &Path, from: &str) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("mail_dir {}: {e}", dir.display()))?;
        Ok(Self {
            transport: Transport::File(AsyncFileTransport::new(dir), dir.to_path_buf()),
            from: parse_from(from)?,
        })
    }

    /// The MIME message: multipart/alternative (text, then HTML) when there
    /// is an HTML body, else plain text.
    fn build(&self, m: &EmailMessage) -> Result<Message, MailError> {
        let to: Mailbox =
            m.to.as_ref()
                .parse()
                .map_err(|e| MailError::Refused(format!("recipient: {e}")))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone());
        match &m.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                m.text.clone(),
                html.clone(),
            )),
            None => builder.singlepart(SinglePart::plain(m.text.clone())),
        }
        .map_err(|e| MailError::Refused(format!("message: {e}")))
    }
}

/// What an SMTP failure means for sending again. Only a failure before the
/// message could have been handed over (no connection, no TLS, a 4xx reply) is
/// safe to retry; a broken connection, a timeout or an unreadable answer in the
/// middle of the conversation may come after the server took the message, so it
/// is `Unknown` (also when it happened earlier: at most once wins).
fn classify(e: &lettre::transport::smtp::Error) -> MailError {
    let why = e.to_string();
    if e.is_transient() {
        MailError::NotSent(why)
    } else if e.is_permanent() || e.is_client() {
        MailError::Refused(why)
    } else if e.is_tls() || e.is_transport_shutdown() || why.starts_with("Connection error") {
        // lettre's connection errors (resolving, connecting, its timeout, TLS
        // set-up) have no accessor: its message names them; a test pins it.
        MailError::NotSent(why)
    } else {
        MailError::Unknown(why)
    }
}

#[async_trait]
impl Mailer for LettreMailer {
    async fn send(&self, m: &EmailMessage) -> Result<(), MailError> {
        let message = self.build(m)?;
        let sent = match &self.transport {
            Transport::Smtp(t, limit) => {
                match tokio::time::timeout(*limit, t.send(message)).await {
                    Ok(sent) => sent.map(|_| ()).map_err(|e| classify(&e)),
                    Err(_) => Err(MailError::Unknown(format!(
                        "no answer within {} s",
                        limit.as_secs_f32()
                    ))),
                }
            }
            Transport::File(t, dir) => match t.send(message).await {
                Ok(id) => {
                    tracing::info!(target: "mail", to = %m.to, subject = %m.subject, file = %dir.join(format!("{id}.eml")).display(), "mail written");
                    Ok(())
                }
                Err(e) => Err(MailError::NotSent(e.to_string())),
            },
        };
        if let Err(e) = &sent {
            // Logged here once: some callers keep a failure to themselves
            // (a password-reset request answers the same either way).
            tracing::warn!(target: "mail", to = %m.to, subject = %m.subject, error = %e, "mail not sent");
        }
        sent
    }
}

/// Hides the password of an SMTP URL for messages and logs.
#[must_use]
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The job kind that sends one e-mail.
pub const SEND_JOB: &str = "mail.send";

/// The outbox side of e-mail: `send` stores the message as a [`SEND_JOB`]
/// (sealed with the server key: links in it carry one-time tokens) and
/// returns; the job sends it through the transport, retrying with backoff.
/// What was accepted is kept until it is sent or dead-lettered.
pub struct OutboxMailer {
    queue: std::sync::Arc<dyn domain::jobs::JobQueue>,
    sealer: std::sync::Arc<crate::secret_box::SecretBox>,
}

impl OutboxMailer {
    /// Mail through `queue`, sealed by `sealer`.
    #[must_use]
    pub fn new(
        queue: std::sync::Arc<dyn domain::jobs::JobQueue>,
        sealer: std::sync::Arc<crate::secret_box::SecretBox>,
    ) -> Self {
        Self { queue, sealer }
    }
}

fn seal_context(id: &str) -> String {
    format!("mail:{id}")
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, m: &EmailMessage) -> Result<(), MailError> {
        let id = uuid::Uuid::now_v7().simple().to_string();
        let plain = serde_json::json!({
            "to": m.to.as_ref(),
            "subject": m.subject,
            "text": m.text,
            "html": m.html,
        })
        .to_string();
        let sealed = self
            .sealer
            .seal(&plain, &seal_context(&id))
            .map_err(|e| MailError::NotSent(e.to_string()))?;
        let job =
            domain::jobs::NewJob::new(SEND_JOB, serde_json::json!({ "id": id, "message": sealed }))
                .dedupe_key(format!("mail:{id}"));
        self.queue
            .enqueue(job)
            .await
            .map(|_| ())
            .map_err(|e| MailError::NotSent(e.to_string()))
    }
}

/// The handler of [`SEND_JOB`]: opens the message and sends it.
pub struct SendMailJob {
    transport: std::sync::Arc<dyn Mailer>,
    sealer: std::sync::Arc<crate::secret_box::SecretBox>,
}

impl SendMailJob {
    /// Sends through `transport` what `sealer` sealed.
    #[must_use]
    pub fn new(
        transport: std::sync::Arc<dyn Mailer>,
        sealer: std::sync::Arc<crate::secret_box::SecretBox>,
    ) -> Self {
        Self { transport, sealer }
    }
}

#[async_trait]
impl domain::jobs::JobHandler for SendMailJob {
    async fn run(&self, job: &domain::jobs::Job) -> Result<(), domain::jobs::JobFailure> {
        use domain::jobs::JobFailure;
        let field = |k: &str| job.payload.get(k).and_then(serde_json::Value::as_str);
        let (Some(id), Some(sealed)) = (field("id"), field("message")) else {
            return Err(JobFailure::permanent("the job carries no message"));
        };
        let plain = self
            .sealer
            .open(sealed, &seal_context(id))
            .map_err(|e| JobFailure::permanent(format!("the message cannot be opened: {e}")))?;
        let v: serde_json::Value = serde_json::from_str(&plain)
            .map_err(|e| JobFailure::permanent(format!("the message is malformed: {e}")))?;
        let to = v
            .get("to")
            .and_then(serde_json::Value::as_str)
            .and_then(|t| domain::identity::Email::parse(t).ok())
            .ok_or_else(|| JobFailure::permanent("the message has no recipient"))?;
        let text = |k: &str| {
            v.get(k)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let message = EmailMessage {
            to,
            subject: text("subject").unwrap_or_default(),
            text: text("text").unwrap_or_default(),
            html: text("html"),
        };
        match self.transport.send(&message).await {
            Ok(()) => Ok(()),
            Err(MailError::NotSent(why)) => Err(JobFailure::retry(why)),
            Err(e @ MailError::Refused(_)) => Err(JobFailure::permanent(e.to_string())),
            // Kept in the dead letters, where it says so: sent again, it could
            // arrive twice.
            Err(e @ MailError::Unknown(_)) => Err(JobFailure::permanent(format!(
                "{e}; not sent again, so that it is never sent twice"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::identity::Email;

    fn message(html: bool) -> EmailMessage {
        EmailMessage {
            to: Email::parse("ann@example.com").expect("email"),
            subject: "Сброс пароля — MaxLoyalty".into(),
            text: "Hello\nhttp://x/reset-password?token=pwr_1\n".into(),
            html: html.then(|| "<p>Hello &amp; bye</p>".into()),
        }
    }

    /// What a scripted SMTP server does at its one interesting moment.
    #[derive(Clone, Copy)]
    enum Script {
        /// `451` to MAIL FROM.
        BusyAtMail,
        /// `550` to RCPT TO.
        NoSuchUser,
        /// Takes the whole message, then hangs up without answering.
        HangUpAfterData,
        /// Takes the whole message, then says nothing.
        SilentAfterData,
    }

    /// A one-script SMTP server; the counter counts messages it took in full.
    async fn scripted_smtp(
        script: Script,
    ) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("addr"));
        let taken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&taken);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let counter = std::sync::Arc::clone(&counter);
                tokio::spawn(async move {
                    let (r, mut w) = socket.into_split();
                    let mut lines = BufReader::new(r).lines();
                    let _ = w.write_all(b"220 scripted ESMTP\r\n").await;
                    let mut in_data = false;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if in_data {
                            if line != "." {
                                continue;
                            }
                            in_data = false;
                            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            match script {
                                Script::HangUpAfterData => return,
                                Script::SilentAfterData => {
                                    tokio::time::sleep(Duration::from_secs(30)).await;
                                    return;
                                }
                                _ => {
                                    let _ = w.write_all(b"250 queued\r\n").await;
                                    continue;
                                }
                            }
                        }
                        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                        let answer: &[u8] = match (verb.as_str(), script) {
                            ("EHLO" | "HELO", _) => b"250 scripted\r\n",
                            ("MAIL", Script::BusyAtMail) => b"451 4.3.2 try again later\r\n",
                            ("RCPT", Script::NoSuchUser) => b"550 5.1.1 no such user\r\n",
                            ("DATA", _) => {
                                in_data = true;
                                b"354 go ahead\r\n"
                            }
                            ("QUIT", _) => {
                                let _ = w.write_all(b"221 bye\r\n").await;
                                return;
                            }
                            _ => b"250 ok\r\n",
                        };
                        let _ = w.write_all(answer).await;
                    }
                });
            }
        });
        (url, taken)
    }

    fn mailer(url: &str) -> LettreMailer {
        LettreMailer::smtp_with_timeout(
            url,
            "MaxLoyalty <no-reply@maxloyalty.local>",
            Duration::from_millis(700),
        )
        .expect("mailer")
    }

    #[tokio::test]
    async fn an_smtp_failure_says_whether_sending_again_is_safe() {
        // Nothing handed over: safe to retry.
        let (url, taken) = scripted_smtp(Script::BusyAtMail).await;
        let e = mailer(&url).send(&message(false)).await.expect_err("451");
        assert!(matches!(e, MailError::NotSent(_)), "{e:?}");
        assert_eq!(taken.load(std::sync::atomic::Ordering::SeqCst), 0);
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            format!("smtp://{}", l.local_addr().expect("addr"))
        };
        let e = mailer(&closed)
            .send(&message(false))
            .await
            .expect_err("refused");
        assert!(matches!(e, MailError::NotSent(_)), "no server: {e:?}");

        // Refused for good.
        let (url, _) = scripted_smtp(Script::NoSuchUser).await;
        let e = mailer(&url).send(&message(false)).await.expect_err("550");
        assert!(matches!(e, MailError::Refused(_)), "{e:?}");

        // The server took the message and the answer never came: it may have
        // been delivered, so it must not be sent again.
        for script in [Script::HangUpAfterData, Script::SilentAfterData] {
            let (url, taken) = scripted_smtp(script).await;
            let e = mailer(&url)
                .send(&message(true))
                .await
                .expect_err("no answer");
            assert!(matches!(e, MailError::Unknown(_)), "{e:?}");
            assert_eq!(taken.load(std::sync::atomic::Ordering::SeqCst), 1);
        }
    }

    #[tokio::test]
    async fn the_file_transport_writes_a_multipart_eml_file() {
        let dir = std::env::temp_dir().join(format!("maxloyalty-mail-{}", uuid::Uuid::now_v7()));
        let mailer =
            LettreMailer::files(&dir, "MaxLoyalty <no-reply@maxloyalty.local>").expect("mailer");
        mailer.send(&message(true)).await.expect("written");
        mailer.send(&message(false)).await.expect("written");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(
            files
                .iter()
                .all(|f| f.extension().is_some_and(|e| e == "eml"))
        );
        let all: Vec<String> = files
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("read"))
            .collect();
        let multi = all
            .iter()
            .find(|s| s.contains("multipart/alternative"))
            .expect("the HTML message is multipart/alternative");
        assert!(multi.contains("From: MaxLoyalty <no-reply@maxloyalty.local>"));
        assert!(multi.contains("To: ann@example.com"));
        assert!(multi.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(multi.contains("Content-Type: text/html; charset=utf-8"));
        // The subject is encoded (RFC 2047) because it is not ASCII.
        assert!(multi.contains("Subject: =?utf-8?"));
        assert!(all.iter().any(|s| !s.contains("multipart/")));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn urls_and_senders_are_checked_and_passwords_hidden() {
        assert!(LettreMailer::smtp("smtp://127.0.0.1:2525", "MaxLoyalty <a@b.c>").is_ok());
        assert!(LettreMailer::smtp("smtp://mail.example.com:587?tls=required", "a@b.c").is_ok());
        assert!(LettreMailer::smtp("smtps://user:p%40ss@mail.example.com:465", "a@b.c").is_ok());
        assert!(LettreMailer::smtp("ftp://x", "a@b.c").is_err());
        assert!(LettreMailer::smtp("smtp://127.0.0.1:2525", "not a mailbox").is_err());
        assert_eq!(
            redact_url("smtps://user:secret@host:465"),
            "smtps://user:***@host:465"
        );
    }
}
