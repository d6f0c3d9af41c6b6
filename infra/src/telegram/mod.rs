//! Telegram: Mini App `initData` validation (and, later, the Bot API client).

pub mod init_data;
