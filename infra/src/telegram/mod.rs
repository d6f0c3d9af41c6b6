//! Telegram: Mini App `initData` validation and the Bot API client.

pub mod bot_api;
pub mod init_data;

pub use bot_api::BotApi;

use domain::loyalty::ports::{
    InitDataRejection, InitDataVerifier, SharedContact, TelegramIdentity,
};

/// The [`InitDataVerifier`] port: HMAC validation with the tenant's bot token and
/// a maximum age.
#[derive(Debug, Clone, Copy)]
pub struct MiniAppAuth {
    /// Oldest accepted `auth_date`, seconds (an hour by default).
    pub max_age_secs: i64,
}

impl Default for MiniAppAuth {
    fn default() -> Self {
        Self { max_age_secs: 3600 }
    }
}

impl InitDataVerifier for MiniAppAuth {
    fn verify(
        &self,
        data: &str,
        bot_token: &str,
        now_unix: i64,
    ) -> Result<TelegramIdentity, InitDataRejection> {
        let parsed = init_data::validate(data, bot_token, now_unix, self.max_age_secs).map_err(
            |e| match e {
                init_data::InitDataError::Expired => InitDataRejection::Expired,
                _ => InitDataRejection::Invalid,
            },
        )?;
        let user = parsed
            .require_user()
            .map_err(|_| InitDataRejection::Invalid)?;
        Ok(TelegramIdentity {
            user_id: user.id(),
            first_name: user.first_name().to_owned(),
            last_name: user.last_name().map(str::to_owned),
            language: user.language_code().map(str::to_owned),
            start_param: parsed.start_param().map(str::to_owned),
        })
    }

    fn verify_contact(
        &self,
        data: &str,
        bot_token: &str,
        now_unix: i64,
    ) -> Result<SharedContact, InitDataRejection> {
        let parsed = init_data::validate(data, bot_token, now_unix, self.max_age_secs).map_err(
            |e| match e {
                init_data::InitDataError::Expired => InitDataRejection::Expired,
                _ => InitDataRejection::Invalid,
            },
        )?;
        let contact: serde_json::Value = parsed
            .contact()
            .and_then(|c| serde_json::from_str(c).ok())
            .ok_or(InitDataRejection::Invalid)?;
        Ok(SharedContact {
            user_id: contact
                .get("user_id")
                .and_then(serde_json::Value::as_i64)
                .ok_or(InitDataRejection::Invalid)?,
            phone: contact
                .get("phone_number")
                .and_then(serde_json::Value::as_str)
                .ok_or(InitDataRejection::Invalid)?
                .to_owned(),
        })
    }
}
