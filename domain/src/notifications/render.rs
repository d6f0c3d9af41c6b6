//! What a notification says, in the reader's language: a title and a plain
//! text, and from them a Telegram HTML message and an e-mail (text + HTML).
//! Every value that came from a user (names) is escaped where HTML is made.

use serde_json::Value;

use super::models::{Notification, NotificationKind};
use crate::identity::Locale;
pub use crate::identity::mail::escape_html;

/// A rendered notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// One line.
    pub title: String,
    /// The body, plain text.
    pub text: String,
}

/// "1 балл", "2 балла", "5 баллов" / "1 point", "2 points".
#[must_use]
pub fn points(n: i64, locale: Locale) -> String {
    match locale {
        Locale::En => {
            if n.abs() == 1 {
                format!("{n} point")
            } else {
                format!("{n} points")
            }
        }
        Locale::Ru => {
            let a = n.unsigned_abs();
            let word = match (a % 10, a % 100) {
                (1, x) if x != 11 => "балл",
                (2..=4, x) if !(12..=14).contains(&x) => "балла",
                _ => "баллов",
            };
            format!("{n} {word}")
        }
    }
}

fn int(data: &Value, key: &str) -> i64 {
    data.get(key).and_then(Value::as_i64).unwrap_or(0)
}

fn text<'a>(data: &'a Value, key: &str) -> Option<&'a str> {
    data.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Renders a notification for a reader of `locale`.
#[must_use]
pub fn render(n: &Notification, locale: Locale) -> Rendered {
    render_kind(n.kind, &n.data, locale)
}

/// Renders a kind with its data (see [`render`]).
#[must_use]
pub fn render_kind(kind: NotificationKind, data: &Value, locale: Locale) -> Rendered {
    let ru = locale == Locale::Ru;
    let (title, text) = match kind {
        NotificationKind::PointsEarned => {
            let p = int(data, "points");
            let balance = int(data, "balance");
            if ru {
                (
                    format!("+{}", points(p, locale)),
                    format!(
                        "Начислено {} за покупку. Баланс: {}.",
                        points(p, locale),
                        points(balance, locale)
                    ),
                )
            } else {
                (
                    format!("+{}", points(p, locale)),
                    format!(
                        "You earned {} for your purchase. Balance: {}.",
                        points(p, locale),
                        points(balance, locale)
                    ),
                )
            }
        }
        NotificationKind::LevelChanged => {
            let to = text(data, "to");
            let up = data.get("up").and_then(Value::as_bool).unwrap_or(true);
            match (ru, to, up) {
                (true, Some(to), true) => (
                    format!("Новый уровень: {to}"),
                    format!("Поздравляем! Теперь ваш уровень — {to}."),
                ),
                (true, Some(to), false) => (
                    format!("Уровень изменён: {to}"),
                    format!("Ваш уровень теперь — {to}."),
                ),
                (true, None, _) => ("Уровень изменён".into(), "У вас больше нет уровня.".into()),
                (false, Some(to), true) => (
                    format!("New level: {to}"),
                    format!("Congratulations! Your level is now {to}."),
                ),
                (false, Some(to), false) => (
                    format!("Level changed: {to}"),
                    format!("Your level is now {to}."),
                ),
                (false, None, _) => ("Level changed".into(), "You no longer have a level.".into()),
            }
        }
        NotificationKind::PromotionGranted => {
            let p = int(data, "points");
            let name = text(data, "promotion").unwrap_or("");
            let kind = text(data, "kind").unwrap_or("");
            let (t_ru, t_en) = match kind {
                "birthday" => ("С днём рождения!", "Happy birthday!"),
                "welcome" => ("Добро пожаловать!", "Welcome!"),
                "referral" => ("Бонус за приглашение", "Referral bonus"),
                _ => ("Бонус по акции", "Promotion bonus"),
            };
            if ru {
                (
                    t_ru.to_owned(),
                    format!("Вам начислено {} по акции «{name}».", points(p, locale)),
                )
            } else {
                (
                    t_en.to_owned(),
                    format!(
                        "You received {} from the promotion “{name}”.",
                        points(p, locale)
                    ),
                )
            }
        }
        NotificationKind::GuestLevelUp => {
            let guest = text(data, "guestName")
                .or_else(|| text(data, "cardCode"))
                .unwrap_or("—");
            let to = text(data, "to").unwrap_or("—");
            if ru {
                (
                    format!("{guest}: уровень {to}"),
                    format!("Гость {guest} достиг уровня {to}."),
                )
            } else {
                (
                    format!("{guest}: level {to}"),
                    format!("Guest {guest} reached the level {to}."),
                )
            }
        }
        NotificationKind::IntegrationEventFailed => {
            let integration = text(data, "integrationName").unwrap_or("POS");
            let error = text(data, "error").unwrap_or("");
            if ru {
                (
                    format!("Ошибка интеграции «{integration}»"),
                    format!(
                        "Событие кассы не обработано: {error}. Его можно обработать повторно на странице интеграции."
                    ),
                )
            } else {
                (
                    format!("Integration “{integration}” failed"),
                    format!(
                        "A POS event was not processed: {error}. Reprocess it from the integration's page."
                    ),
                )
            }
        }
    };
    Rendered { title, text }
}

/// The Telegram message: the title in bold, then the text (HTML mode, escaped).
#[must_use]
pub fn telegram_html(r: &Rendered) -> String {
    format!("<b>{}</b>\n{}", escape_html(&r.title), escape_html(&r.text))
}

/// The e-mail bodies (text, HTML) of a rendered notification, signed by the
/// business; a guest's says why they receive it.
#[must_use]
pub fn email_bodies(r: &Rendered, business: &str, locale: Locale, guest: bool) -> (String, String) {
    let footer = match (locale, guest) {
        (Locale::Ru, true) => {
            "Вы получили это письмо, потому что согласились получать новости программы лояльности. Отключить письма можно в настройках уведомлений."
        }
        (Locale::En, true) => {
            "You receive this because you agreed to loyalty programme news. Turn e-mails off in your notification settings."
        }
        (Locale::Ru, false) => "Письма об этом можно отключить в настройках уведомлений панели.",
        (Locale::En, false) => "Turn these e-mails off in the panel's notification settings.",
    };
    let text = format!("{}\n\n{}\n\n— {business}\n\n{footer}\n", r.title, r.text);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body style=\"font-family:sans-serif;line-height:1.5\">\n<h2>{title}</h2>\n<p>{body}</p>\n\
         <p>— {business}</p>\n<p style=\"color:#777;font-size:12px\">{footer}</p>\n</body>\n</html>\n",
        lang = locale.code(),
        title = escape_html(&r.title),
        body = escape_html(&r.text),
        business = escape_html(business),
        footer = escape_html(footer),
    );
    (text, html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn russian_plurals_of_points() {
        for (n, want) in [
            (1, "1 балл"),
            (2, "2 балла"),
            (4, "4 балла"),
            (5, "5 баллов"),
            (11, "11 баллов"),
            (12, "12 баллов"),
            (21, "21 балл"),
            (22, "22 балла"),
            (111, "111 баллов"),
            (0, "0 баллов"),
        ] {
            assert_eq!(points(n, Locale::Ru), want);
        }
        assert_eq!(points(1, Locale::En), "1 point");
        assert_eq!(points(7, Locale::En), "7 points");
    }

    #[test]
    fn points_earned_in_both_languages() {
        let d = json!({ "points": 42, "balance": 142 });
        let ru = render_kind(NotificationKind::PointsEarned, &d, Locale::Ru);
        assert_eq!(ru.title, "+42 балла");
        assert!(ru.text.contains("142 балла"), "{}", ru.text);
        let en = render_kind(NotificationKind::PointsEarned, &d, Locale::En);
        assert_eq!(en.title, "+42 points");
    }

    #[test]
    fn telegram_html_escapes_user_text() {
        let d = json!({ "promotion": "<b>Bold</b> & co", "points": 5, "kind": "welcome" });
        let r = render_kind(NotificationKind::PromotionGranted, &d, Locale::En);
        let html = telegram_html(&r);
        assert!(html.starts_with("<b>Welcome!</b>\n"), "{html}");
        assert!(html.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; co"), "{html}");
        assert!(!html.contains("<b>Bold"), "{html}");
    }

    #[test]
    fn email_bodies_escape_the_business_name() {
        let r = render_kind(
            NotificationKind::LevelChanged,
            &json!({ "to": "Gold", "up": true }),
            Locale::Ru,
        );
        let (text, html) = email_bodies(&r, "Кафе <Ромашка>", Locale::Ru, true);
        assert!(text.contains("Поздравляем! Теперь ваш уровень — Gold."));
        assert!(text.contains("— Кафе <Ромашка>"));
        assert!(html.contains("Кафе &lt;Ромашка&gt;"));
        assert!(html.contains("lang=\"ru\""));
    }

    #[test]
    fn missing_data_still_renders() {
        for k in NotificationKind::ALL {
            for l in [Locale::Ru, Locale::En] {
                let r = render_kind(k, &Value::Null, l);
                assert!(!r.title.is_empty() && !r.text.is_empty(), "{k:?} {l:?}");
            }
        }
    }
}
