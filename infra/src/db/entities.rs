//! sea-orm entities: the database's shape, private to infra.

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}
        impl ActiveModelBehavior for ActiveModel {}
    };
}

/// Businesses.
pub mod tenants {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub currency: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Staff users (global).
pub mod users {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub password_hash: String,
        pub display_name: String,
        pub locale: String,
        pub is_platform_admin: bool,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// A user's role in a tenant.
pub mod memberships {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "memberships")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        pub role: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Restaurants and stores.
pub mod locations {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "locations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub address: Option<String>,
        pub timezone: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Staff invitations.
pub mod invitations {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub role: String,
        pub token_hash: String,
        pub status: String,
        pub invited_by: Option<Uuid>,
        pub expires_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Rotating refresh tokens.
pub mod refresh_tokens {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "refresh_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub session_id: Uuid,
        pub user_id: Uuid,
        pub token_hash: String,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Password-reset tokens (global).
pub mod password_resets {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_resets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

/// Failed-login counters.
pub mod login_attempts {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_attempts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub failures: i32,
        pub last_failure_at: DateTimeUtc,
        pub locked_until: Option<DateTimeUtc>,
    }
    no_relations!();
}

/// casbin policy rules (`p` and `g`), per tenant or platform-wide (NULL tenant).
pub mod casbin_rule {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "casbin_rule")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Option<Uuid>,
        pub ptype: String,
        pub v0: String,
        pub v1: String,
        pub v2: String,
        pub v3: String,
        pub v4: String,
        pub v5: String,
    }
    no_relations!();
}

/// The audit log (append-only).
pub mod audit_log {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub actor_id: Option<Uuid>,
        pub actor_label: Option<String>,
        pub action: String,
        pub target_type: String,
        pub target_id: Option<String>,
        pub ip: Option<String>,
        pub details: String,
        pub created_at: DateTimeUtc,
        pub api_key_id: Option<Uuid>,
    }
    no_relations!();
}

/// A tenant's loyalty settings.
pub mod loyalty_settings {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "loyalty_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        pub expiry_days: Option<i32>,
        pub spend_basis: String,
        pub point_value_minor: i64,
        pub hold_ttl_secs: i32,
        pub updated_at: DateTimeUtc,
        pub utc_offset_minutes: i32,
    }
    no_relations!();
}

/// Loyalty levels.
pub mod levels {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "levels")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub threshold_minor: i64,
        pub cashback_bp: i32,
        pub max_redeem_bp: i32,
    }
    no_relations!();
}

/// Guests.
pub mod guests {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "guests")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub phone: Option<String>,
        pub phone_rev: Option<String>,
        pub name: Option<String>,
        pub name_lower: Option<String>,
        pub birthday: Option<Date>,
        pub email: Option<String>,
        pub telegram_id: Option<i64>,
        pub marketing_consent: bool,
        pub tags: String,
        pub card_code: String,
        pub qr: String,
        pub level_id: Option<Uuid>,
        pub lifetime_spend_minor: i64,
        pub forgotten: bool,
        pub created_at: DateTimeUtc,
        pub referred_by: Option<Uuid>,
        pub birthday_md: Option<i16>,
        pub last_visit_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

/// The words of a guest's name after its first (lower-case), for finding a
/// guest by a surname.
pub mod guest_name_words {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "guest_name_words")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub guest_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub word: String,
    }
    no_relations!();
}

/// Promotions (the rule's parameters as JSON).
pub mod promotions {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "promotions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub kind: String,
        pub rule: String,
        pub starts_on: Option<Date>,
        pub ends_on: Option<Date>,
        pub budget: Option<i64>,
        pub granted: i64,
        pub budget_exhausted_at: Option<DateTimeUtc>,
        pub archived: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

/// Grants of promotions: at most one per (promotion, key).
pub mod promotion_grants {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "promotion_grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub promotion_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub once_key: String,
        pub guest_id: Uuid,
        pub points: i64,
        pub check_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Running balances.
pub mod accounts {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "accounts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub guest_id: Uuid,
        pub balance: i64,
        pub held: i64,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

/// The append-only ledger.
pub mod ledger_entries {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ledger_entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub guest_id: Uuid,
        pub kind: String,
        pub amount: i64,
        pub held_delta: i64,
        pub balance_after: i64,
        pub check_id: Option<Uuid>,
        pub hold_id: Option<Uuid>,
        pub reason: Option<String>,
        pub actor_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub api_key_id: Option<Uuid>,
    }
    no_relations!();
}

/// Lots of accrued points.
pub mod lots {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub guest_id: Uuid,
        pub entry_id: Uuid,
        pub initial: i64,
        pub remaining: i64,
        pub expires_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Two-phase redemptions.
pub mod holds {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "holds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub guest_id: Uuid,
        pub amount: i64,
        pub status: String,
        pub expires_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub resolved_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

/// Processed checks.
pub mod checks {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "checks")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub guest_id: Uuid,
        pub location_id: Uuid,
        pub source: String,
        pub external_id: String,
        pub total_minor: i64,
        pub paid_minor: i64,
        pub redeemed: i64,
        pub earned: i64,
        pub reversed: bool,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Exactly-once keys with their stored results.
pub mod idempotency_keys {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "idempotency_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub scope: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub fingerprint: String,
        pub result: Option<String>,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Tenants' Telegram bots (token sealed with AES-256-GCM).
pub mod telegram_bots {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "telegram_bots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        pub bot_id: i64,
        pub token_sealed: String,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

/// POS integrations (secrets sealed).
pub mod integrations {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "integrations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kind: String,
        pub name: String,
        pub location_id: Uuid,
        pub active: bool,
        pub secret_sealed: String,
        pub previous_secret_sealed: Option<String>,
        pub previous_valid_until: Option<DateTimeUtc>,
        pub secret_rotated_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub iiko_api_login_sealed: Option<String>,
    }
    no_relations!();
}

/// The event log of integrations.
pub mod inbound_events {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "inbound_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub integration_id: Uuid,
        pub kind: String,
        pub external_id: Option<String>,
        pub fingerprint: Option<String>,
        pub payload: String,
        pub status: String,
        pub error: Option<String>,
        pub check_id: Option<Uuid>,
        pub received_at: DateTimeUtc,
        pub processed_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

/// Partner API keys (the secret only as a digest).
pub mod api_keys {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub name: String,
        pub prefix: String,
        pub token_hash: String,
        pub scopes: String,
        pub created_by_user_id: Option<Uuid>,
        pub created_by_key_id: Option<Uuid>,
        pub created_by_label: Option<String>,
        pub created_at: DateTimeUtc,
        pub last_used_at: Option<DateTimeUtc>,
        pub revoked_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

/// Outbound webhook endpoints (secrets sealed).
pub mod webhook_endpoints {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_endpoints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub url: String,
        pub description: Option<String>,
        pub event_types: String,
        pub enabled: bool,
        pub disabled_reason: Option<String>,
        pub disabled_at: Option<DateTimeUtc>,
        pub failing_since: Option<DateTimeUtc>,
        pub secret_sealed: String,
        pub previous_secret_sealed: Option<String>,
        pub previous_secret_expires_at: Option<DateTimeUtc>,
        pub secret_rotated_at: DateTimeUtc,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

/// Events sent to webhook endpoints (their exact body).
pub mod webhook_events {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub event_type: String,
        pub occurred_at: DateTimeUtc,
        pub body: String,
        pub created_at: DateTimeUtc,
    }
    no_relations!();
}

/// Webhook deliveries: one event to one endpoint.
pub mod webhook_deliveries {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub endpoint_id: Uuid,
        pub event_id: Uuid,
        pub event_type: String,
        pub status: String,
        pub attempt_count: i32,
        pub last_status_code: Option<i32>,
        pub last_error: Option<String>,
        pub next_attempt_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}

/// Attempts of webhook deliveries (append-only).
pub mod webhook_attempts {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_attempts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub delivery_id: Uuid,
        pub number: i32,
        pub attempted_at: DateTimeUtc,
        pub status_code: Option<i32>,
        pub latency_ms: i64,
        pub response_excerpt: Option<String>,
        pub error: Option<String>,
    }
    no_relations!();
}

/// Notifications (the centre of a staff user or guest).
pub mod notifications {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub recipient_kind: String,
        pub recipient_id: Uuid,
        pub kind: String,
        pub data: String,
        pub visible: bool,
        pub dedupe_key: String,
        pub created_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
    }
    no_relations!();
}

/// Channel preferences of a staff user or guest.
pub mod notification_preferences {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notification_preferences")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub recipient_kind: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub recipient_id: Uuid,
        pub in_app: bool,
        pub email: bool,
        pub telegram: bool,
        pub telegram_blocked_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
        pub locale: Option<String>,
    }
    no_relations!();
}

/// One notification sent (or to be sent) over one channel.
pub mod notification_deliveries {
    use sea_orm::entity::prelude::*;
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notification_deliveries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub notification_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub channel: String,
        pub status: String,
        pub attempts: i32,
        pub claimed_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub sent_at: Option<DateTimeUtc>,
        pub updated_at: DateTimeUtc,
    }
    no_relations!();
}
