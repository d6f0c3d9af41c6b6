//! Identifier newtypes. Every id is a `Copy` wrapper over a UUIDv7 so that no
//! function ever takes two bare `Uuid`s, and ids sort by creation time.

use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered (v7) identifier.
            #[must_use]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// Wraps an existing UUID (from storage or a parsed request).
            #[must_use]
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            /// The underlying UUID.
            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }
    };
}

id_newtype!(
    /// A business (restaurant chain) using MaxLoyalty.
    TenantId
);
id_newtype!(
    /// A staff person with a login (may belong to several tenants).
    UserId
);
id_newtype!(
    /// A restaurant or store of a tenant.
    LocationId
);
id_newtype!(
    /// An invitation for a new staff member.
    InvitationId
);
id_newtype!(
    /// A login session: the family of rotating refresh tokens.
    SessionId
);
id_newtype!(
    /// One stored refresh token of a session family.
    RefreshTokenId
);
id_newtype!(
    /// An entry of the audit log.
    AuditEntryId
);
id_newtype!(
    /// A guest (customer) of a tenant.
    GuestId
);
id_newtype!(
    /// A loyalty level of a tenant.
    LevelId
);
id_newtype!(
    /// An entry of the points ledger.
    LedgerEntryId
);
id_newtype!(
    /// A lot of accrued points (expires as a whole, consumed oldest first).
    LotId
);
id_newtype!(
    /// A two-phase redemption hold.
    HoldId
);
id_newtype!(
    /// A processed check.
    CheckId
);
id_newtype!(
    /// A promotion (points rule) of a tenant.
    PromotionId
);
id_newtype!(
    /// A durable background job.
    JobId
);
id_newtype!(
    /// A POS integration of a location.
    IntegrationId
);
id_newtype!(
    /// A delivery received by an integration.
    InboundEventId
);
id_newtype!(
    /// A partner app's API key of a tenant.
    ApiKeyId
);
id_newtype!(
    /// An outbound webhook endpoint of a tenant.
    WebhookEndpointId
);
id_newtype!(
    /// One event sent (or to be sent) to one webhook endpoint.
    WebhookDeliveryId
);
id_newtype!(
    /// A notification stored for one staff user or guest.
    NotificationId
);
