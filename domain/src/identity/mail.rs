//! E-mail templates of the identity context, in Russian and English, each with
//! a plain-text and an HTML part. Pure functions: the service picks the
//! locale and the adapters only transport what is built here. Everything
//! interpolated into HTML goes through [`escape_html`].

use chrono::{DateTime, Utc};

use super::models::{Email, Locale, Role};
use super::ports::EmailMessage;

/// Escapes text for HTML element content and quoted attribute values.
#[must_use]
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn role_name(role: Role, locale: Locale) -> &'static str {
    match (locale, role) {
        (Locale::Ru, Role::Owner) => "владелец",
        (Locale::Ru, Role::Admin) => "администратор",
        (Locale::Ru, Role::Manager) => "менеджер",
        (Locale::Ru, Role::Cashier) => "кассир",
        (Locale::En, Role::Owner) => "owner",
        (Locale::En, Role::Admin) => "admin",
        (Locale::En, Role::Manager) => "manager",
        (Locale::En, Role::Cashier) => "cashier",
    }
}

fn when(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The common HTML frame: a paragraph list and one button-like link.
fn html_page(
    locale: Locale,
    title: &str,
    paragraphs: &[String],
    link: &str,
    button: &str,
) -> String {
    let mut body = String::new();
    for p in paragraphs {
        body.push_str("<p>");
        body.push_str(p);
        body.push_str("</p>\n");
    }
    let link = escape_html(link);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body style=\"font-family: sans-serif; line-height: 1.5\">\n{body}\
         <p><a href=\"{link}\" style=\"display: inline-block; padding: 8px 16px; background: #2563eb; color: #ffffff; text-decoration: none; border-radius: 4px\">{button}</a></p>\n\
         <p style=\"color: #6b7280; font-size: 12px\">{link}</p>\n</body>\n</html>\n",
        lang = locale.code(),
        title = escape_html(title),
        button = escape_html(button),
    )
}

/// What an invitation e-mail says.
#[derive(Debug, Clone)]
pub struct InvitationMail<'a> {
    /// The business's name.
    pub business: &'a str,
    /// The role offered.
    pub role: Role,
    /// The acceptance link (carries the token).
    pub link: &'a str,
    /// When the invitation expires.
    pub expires_at: DateTime<Utc>,
}

/// The staff invitation.
#[must_use]
pub fn invitation(to: Email, locale: Locale, m: &InvitationMail<'_>) -> EmailMessage {
    let role = role_name(m.role, locale);
    let until = when(m.expires_at);
    let (subject, text, paragraphs, button) = match locale {
        Locale::Ru => (
            format!("Приглашение в «{}» — MaxLoyalty", m.business),
            format!(
                "Здравствуйте!\n\nВас пригласили в «{}» в MaxLoyalty (роль: {role}).\n\
                 Примите приглашение до {until}:\n{}\n\n\
                 Если вы не ждали этого письма, просто удалите его.\n",
                m.business, m.link
            ),
            vec![
                "Здравствуйте!".to_owned(),
                format!(
                    "Вас пригласили в «{}» в MaxLoyalty (роль: {}).",
                    escape_html(m.business),
                    escape_html(role)
                ),
                format!("Примите приглашение до {}.", escape_html(&until)),
            ],
            "Принять приглашение",
        ),
        Locale::En => (
            format!("Invitation to join {} — MaxLoyalty", m.business),
            format!(
                "Hello,\n\nYou have been invited to join {} on MaxLoyalty as {role}.\n\
                 Accept before {until}:\n{}\n\n\
                 If you did not expect this e-mail, just delete it.\n",
                m.business, m.link
            ),
            vec![
                "Hello,".to_owned(),
                format!(
                    "You have been invited to join {} on MaxLoyalty as {}.",
                    escape_html(m.business),
                    escape_html(role)
                ),
                format!("Accept before {}.", escape_html(&until)),
            ],
            "Accept the invitation",
        ),
    };
    let html = html_page(locale, &subject, &paragraphs, m.link, button);
    EmailMessage {
        to,
        subject,
        text,
        html: Some(html),
    }
}

/// What a password-reset e-mail says.
#[derive(Debug, Clone)]
pub struct PasswordResetMail<'a> {
    /// The person's name.
    pub name: &'a str,
    /// The reset link (carries the token).
    pub link: &'a str,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

/// The password-reset link.
#[must_use]
pub fn password_reset(to: Email, locale: Locale, m: &PasswordResetMail<'_>) -> EmailMessage {
    let until = when(m.expires_at);
    let (subject, text, paragraphs, button) = match locale {
        Locale::Ru => (
            "Сброс пароля — MaxLoyalty".to_owned(),
            format!(
                "Здравствуйте, {}!\n\nКто-то (надеемся, вы) запросил сброс пароля MaxLoyalty.\n\
                 Задайте новый пароль по ссылке (она действует до {until} и работает один раз):\n{}\n\n\
                 Если вы не запрашивали сброс, ничего не делайте: пароль останется прежним.\n",
                m.name, m.link
            ),
            vec![
                format!("Здравствуйте, {}!", escape_html(m.name)),
                "Кто-то (надеемся, вы) запросил сброс пароля MaxLoyalty.".to_owned(),
                format!(
                    "Ссылка действует до {} и работает один раз.",
                    escape_html(&until)
                ),
                "Если вы не запрашивали сброс, ничего не делайте: пароль останется прежним."
                    .to_owned(),
            ],
            "Задать новый пароль",
        ),
        Locale::En => (
            "Reset your password — MaxLoyalty".to_owned(),
            format!(
                "Hello {},\n\nSomeone (hopefully you) asked to reset your MaxLoyalty password.\n\
                 Choose a new one with this link (valid until {until}, works once):\n{}\n\n\
                 If you did not ask for this, do nothing: your password stays as it is.\n",
                m.name, m.link
            ),
            vec![
                format!("Hello {},", escape_html(m.name)),
                "Someone (hopefully you) asked to reset your MaxLoyalty password.".to_owned(),
                format!(
                    "The link is valid until {} and works once.",
                    escape_html(&until)
                ),
                "If you did not ask for this, do nothing: your password stays as it is.".to_owned(),
            ],
            "Choose a new password",
        ),
    };
    let html = html_page(locale, &subject, &paragraphs, m.link, button);
    EmailMessage {
        to,
        subject,
        text,
        html: Some(html),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to() -> Email {
        Email::parse("new@example.com").expect("email")
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn invitation_in_both_languages_escapes_the_business_name() {
        let m = InvitationMail {
            business: "<script>alert(1)</script> & Co",
            role: Role::Cashier,
            link: "http://x/accept-invitation?token=inv_a_b&x=1",
            expires_at: DateTime::from_timestamp(0, 0).expect("ts"),
        };
        let ru = invitation(to(), Locale::Ru, &m);
        assert!(ru.subject.starts_with("Приглашение в «"));
        assert!(ru.text.contains("кассир"));
        assert!(
            ru.text.contains("token=inv_a_b&x=1"),
            "text keeps the link as is"
        );
        let html = ru.html.expect("html");
        assert!(html.contains("lang=\"ru\""));
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
        assert!(html.contains("href=\"http://x/accept-invitation?token=inv_a_b&amp;x=1\""));
        let en = invitation(to(), Locale::En, &m);
        assert!(en.subject.starts_with("Invitation to join"));
        assert!(en.text.contains("as cashier"));
        assert!(en.html.expect("html").contains("Accept the invitation"));
    }

    #[test]
    fn password_reset_in_both_languages() {
        let m = PasswordResetMail {
            name: "Ann <admin>",
            link: "http://x/reset-password?token=pwr_abc",
            expires_at: DateTime::from_timestamp(1_800, 0).expect("ts"),
        };
        let ru = password_reset(to(), Locale::Ru, &m);
        assert_eq!(ru.subject, "Сброс пароля — MaxLoyalty");
        assert!(ru.text.contains("http://x/reset-password?token=pwr_abc\n"));
        assert!(ru.text.contains("1970-01-01 00:30 UTC"));
        let html = ru.html.expect("html");
        assert!(html.contains("Ann &lt;admin&gt;"));
        assert!(!html.contains("<admin>"));
        let en = password_reset(to(), Locale::En, &m);
        assert_eq!(en.subject, "Reset your password — MaxLoyalty");
        assert!(en.text.contains("Hello Ann <admin>,"));
        assert!(en.html.expect("html").contains("lang=\"en\""));
    }
}
