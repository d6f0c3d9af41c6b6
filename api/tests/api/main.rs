//! Integration tests: each starts the real server on port 0 against a fresh
//! database (a SQLite file, or a PostgreSQL database cloned from a migrated
//! template) and talks GraphQL over HTTP like a client. One binary, many modules.

mod helpers;

mod api_keys;
mod jobs;
mod ledger_workload;
mod loyalty;
mod mail;
mod miniapp;
mod notifications;
mod pos_webhooks;
mod promotions;
mod webhooks;

mod auth_flow;
mod bad_input;
mod crash;
mod cross_tenant;
mod postgres_rls;
mod profile_and_tenants;
mod rbac_matrix;
mod realtime_and_binary;
mod redis_bus;
mod schema;
mod socketio;
mod staff_and_locations;
