//! Notifications as values: who receives them, on which channels, and what they say.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::{GuestId, NotificationId, TenantId, UserId};

/// Who a notification is for: a staff user of the tenant, or one of its guests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Recipient {
    /// A staff user (in the tenant of the notification).
    Staff(UserId),
    /// A guest.
    Guest(GuestId),
}

impl Recipient {
    /// `staff` / `guest`, as stored.
    #[must_use]
    pub const fn kind_str(&self) -> &'static str {
        match self {
            Self::Staff(_) => "staff",
            Self::Guest(_) => "guest",
        }
    }

    /// The recipient's id as a UUID.
    #[must_use]
    pub fn id_uuid(&self) -> uuid::Uuid {
        match self {
            Self::Staff(u) => u.as_uuid(),
            Self::Guest(g) => g.as_uuid(),
        }
    }

    /// Rebuilds a stored recipient.
    #[must_use]
    pub fn from_parts(kind: &str, id: uuid::Uuid) -> Option<Self> {
        match kind {
            "staff" => Some(Self::Staff(UserId::from_uuid(id))),
            "guest" => Some(Self::Guest(GuestId::from_uuid(id))),
            _ => None,
        }
    }
}

/// Where a notification goes besides the notification centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The notification centre (bell, Mini App) and live toasts.
    InApp,
    /// E-mail (guests: only with marketing consent and an address).
    Email,
    /// A Telegram message from the business's bot (guests with a Telegram id).
    Telegram,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Self; 3] = [Self::InApp, Self::Email, Self::Telegram];

    /// `in_app` / `email` / `telegram`, as stored.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InApp => "in_app",
            Self::Email => "email",
            Self::Telegram => "telegram",
        }
    }

    /// Parses [`Channel::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Guest: a check earned points ("+N points").
    PointsEarned,
    /// Guest: their level changed.
    LevelChanged,
    /// Guest: a promotion (welcome, birthday, referral) credited points.
    PromotionGranted,
    /// Staff (`loyalty:manage`): a guest reached a higher level.
    GuestLevelUp,
    /// Staff (`integrations:manage`): a POS event could not be processed.
    IntegrationEventFailed,
}

impl NotificationKind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::PointsEarned,
        Self::LevelChanged,
        Self::PromotionGranted,
        Self::GuestLevelUp,
        Self::IntegrationEventFailed,
    ];

    /// The stored name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::PointsEarned => "points_earned",
            Self::LevelChanged => "level_changed",
            Self::PromotionGranted => "promotion_granted",
            Self::GuestLevelUp => "guest_level_up",
            Self::IntegrationEventFailed => "integration_event_failed",
        }
    }

    /// Parses [`NotificationKind::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A stored notification. Its text is rendered when read, in the reader's
/// language, from `kind` and `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Its id.
    pub id: NotificationId,
    /// The business.
    pub tenant: TenantId,
    /// Who it is for.
    pub recipient: Recipient,
    /// What it is about.
    pub kind: NotificationKind,
    /// The facts the text is made of (names, points, ids).
    pub data: Value,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When the recipient read it.
    pub read_at: Option<DateTime<Utc>>,
}

/// A recipient's channel choices. In-app cannot be turned off for staff alerts
/// that need action, but everything else is the recipient's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// The notification centre and live toasts.
    pub in_app: bool,
    /// E-mail.
    pub email: bool,
    /// Telegram.
    pub telegram: bool,
}

impl Preferences {
    /// What a recipient gets before choosing: staff get in-app only; guests
    /// get everything (e-mail still needs their marketing consent).
    #[must_use]
    pub const fn default_for(recipient: &Recipient) -> Self {
        match recipient {
            Recipient::Staff(_) => Self {
                in_app: true,
                email: false,
                telegram: false,
            },
            Recipient::Guest(_) => Self {
                in_app: true,
                email: true,
                telegram: true,
            },
        }
    }

    /// Whether `channel` is on.
    #[must_use]
    pub const fn allows(&self, channel: Channel) -> bool {
        match channel {
            Channel::InApp => self.in_app,
            Channel::Email => self.email,
            Channel::Telegram => self.telegram,
        }
    }
}
