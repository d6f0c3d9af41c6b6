//! The MaxLoyalty server: poem + async-graphql over the domain services.
//! `startup` is the composition root (the one place infra types meet the API).

pub mod auth;
pub mod config;
pub mod demo;
pub mod error;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod live;
pub mod realtime;
pub mod socketio;
pub mod startup;
pub mod telemetry;
pub mod webhooks_in;
