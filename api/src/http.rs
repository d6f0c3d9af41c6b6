//! HTTP endpoints: GraphQL over POST (single operations only), GraphQL over
//! websocket, GraphiQL in development, liveness and readiness, and the panel.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
use async_graphql::{Data, ServerError};
use async_graphql_poem::GraphQLProtocol;
use domain::RequestMeta;
use domain::identity::IdentityService;
use poem::endpoint::StaticFilesEndpoint;
use poem::error::ReadBodyError;
use poem::http::StatusCode;
use poem::web::websocket::WebSocket;
use poem::web::{Html, Json};
use poem::{Body, EndpointExt, IntoResponse, Request, Response, Route, get, handler};
use serde_json::json;

use crate::auth::Caller;
use crate::error::{code, gql};
use crate::graphql::AppSchema;

/// Whether a dependency answers (the database).
pub type Probe = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = bool> + Send>> + Send + Sync>;

/// Whether the Redis event bus is connected right now (no IO: the bus keeps the state).
pub type RedisStatus = Arc<dyn Fn() -> bool + Send + Sync>;

/// What the endpoints share.
pub struct AppState {
    /// The GraphQL schema.
    pub schema: AppSchema,
    /// The identity service (for authenticating callers).
    pub identity: Arc<IdentityService>,
    /// Readiness of the database.
    pub database_ready: Probe,
    /// The Redis event bus's state, when `REDIS_URL` is set.
    pub redis_up: Option<RedisStatus>,
    /// The job queue's view (depth for `/metrics`).
    pub jobs: Arc<domain::jobs::JobsAdmin>,
    /// Inbound POS webhooks.
    pub integrations: Arc<domain::integrations::IntegrationService>,
    /// Wakes this process's job worker (none when it runs elsewhere).
    pub worker_waker: Option<infra::jobs::WorkerWaker>,
    /// Largest accepted body.
    pub max_body_bytes: usize,
    /// Serve GraphiQL at `GET /graphql`.
    pub graphiql: bool,
    /// socket.io at `/socket.io`.
    pub socketio: crate::socketio::SocketIoEndpoint,
    /// Live connections per tenant.
    pub live: crate::live::LiveLimits,
    /// Where live connections run.
    pub live_runtime: crate::live::LiveRuntime,
    /// Subscriptions over websocket, executed once per group of equal ones.
    pub subscriptions: crate::graphql::shared::SharedSubscriptions,
}

/// Who is calling (for audit and throttling).
pub(crate) fn meta_of(req: &Request) -> RequestMeta {
    RequestMeta {
        ip: req
            .remote_addr()
            .as_socket_addr()
            .map(|a| a.ip().to_string()),
        user_agent: req
            .header("user-agent")
            .map(|s| s.chars().take(200).collect()),
    }
}

fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }))
        .with_status(status)
        .into_response()
}

/// Gives every error a code: errors raised before execution (syntax, unknown
/// fields, variable types, limits) are `VALIDATION`; anything else uncoded is `INTERNAL`.
fn classify(errors: &mut [ServerError]) {
    for e in errors {
        let has_code = e
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        if !has_code {
            let internal = !e.path.is_empty();
            if internal {
                tracing::error!(error = %e.message, "uncoded resolver error");
                e.message = "internal error; it has been logged".into();
            }
            let mut ext = e.extensions.take().unwrap_or_default();
            ext.set(
                "code",
                if internal {
                    code::INTERNAL
                } else {
                    code::VALIDATION
                },
            );
            e.extensions = Some(ext);
        }
    }
}

#[handler]
async fn graphql_post(
    req: &Request,
    body: Body,
    state: poem::web::Data<&Arc<AppState>>,
) -> Response {
    let ct = req
        .header("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !ct.starts_with("application/json") && !ct.starts_with("application/graphql-response+json") {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code::VALIDATION,
            "send the request as application/json",
        );
    }
    let bytes = match body.into_bytes_limit(state.max_body_bytes).await {
        Ok(b) => b,
        Err(ReadBodyError::PayloadTooLarge) => {
            let msg = format!(
                "the request body is larger than {} bytes",
                state.max_body_bytes
            );
            return error_response(StatusCode::PAYLOAD_TOO_LARGE, code::VALIDATION, &msg);
        }
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                code::VALIDATION,
                "the request body could not be read",
            );
        }
    };
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return error_response(
            StatusCode::BAD_REQUEST,
            code::VALIDATION,
            "batched requests are not supported: send one operation per request",
        );
    }
    let gql_req: async_graphql::Request = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => {
            let msg = format!("the body is not a GraphQL request in JSON: {e}");
            return error_response(StatusCode::BAD_REQUEST, code::VALIDATION, &msg);
        }
    };
    let caller =
        Caller::from_authorization(req.header("authorization"), meta_of(req), &state.identity)
            .await;
    let mut resp = state.schema.execute(gql_req.data(caller)).await;
    classify(&mut resp.errors);
    Json(resp).into_response()
}

#[handler]
async fn graphiql(state: poem::web::Data<&Arc<AppState>>) -> Response {
    if state.graphiql {
        Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish(),
        )
        .into_response()
    } else {
        error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            code::VALIDATION,
            "send GraphQL requests with POST",
        )
    }
}

/// How often an idle subscription connection is pinged by the server.
const KEEPALIVE: std::time::Duration = std::time::Duration::from_secs(20);
/// How long a new connection may take to send an accepted `connection_init`.
const INIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Close codes of subscription connections (graphql-transport-ws).
mod close {
    /// `connection_init` carried refused credentials.
    pub const FORBIDDEN: u16 = 4403;
    /// The access token ended while connected: reconnect with a fresh one.
    pub const TOKEN_EXPIRED: u16 = 4401;
    /// The business holds its maximum of live connections on this process.
    pub const TOO_MANY: u16 = 1013;
    /// No accepted `connection_init` in time.
    pub const INIT_TIMEOUT: u16 = 4408;
}

/// What `connection_init` learnt: when the credentials end, and the
/// tenant's place (released when the connection closes).
#[derive(Default)]
struct WsSession {
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    permit: Option<crate::live::LivePermit>,
    refused: Option<(u16, String)>,
    ready: bool,
}

fn locked(s: &std::sync::Mutex<WsSession>) -> std::sync::MutexGuard<'_, WsSession> {
    s.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[handler]
async fn graphql_ws(
    req: &Request,
    protocol: GraphQLProtocol,
    websocket: WebSocket,
    state: poem::web::Data<&Arc<AppState>>,
) -> impl IntoResponse {
    let executor = state.subscriptions.clone();
    let identity = Arc::clone(&state.identity);
    let limits = state.live.clone();
    let runtime = state.live_runtime.clone();
    let meta = meta_of(req);
    websocket
        // Subscription clients send little: a small read buffer instead of the
        // 128 KiB default (zero-filled before every read) is most of the memory
        // and a sixth of the CPU of 10 000 idle subscribers.
        .config(
            poem::web::websocket::WebSocketConfig::default()
                .read_buffer_size(crate::live::READ_BUFFER),
        )
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            // On the live threads: this task only waits for the connection's end.
            let served = runtime.spawn(serve_subscriptions(
                socket, executor, protocol, identity, limits, meta,
            ));
            if let Err(e) = served.await {
                tracing::warn!(error = %e, "a subscription connection's task ended abnormally");
            }
        })
}

/// Serves one subscription connection: async-graphql's protocol, plus server
/// pings, a per-tenant limit, and a clean close when the token ends.
async fn serve_subscriptions(
    socket: poem::web::websocket::WebSocketStream,
    executor: crate::graphql::shared::SharedSubscriptions,
    protocol: GraphQLProtocol,
    identity: Arc<IdentityService>,
    limits: crate::live::LiveLimits,
    meta: RequestMeta,
) {
    use async_graphql::http::{WebSocketProtocols, WsMessage};
    use futures_util::{SinkExt, StreamExt};
    use poem::web::websocket::Message;

    let (mut sink, stream) = socket.split();
    let session = Arc::new(std::sync::Mutex::new(WsSession::default()));
    let input = stream
        .take_while(|m| std::future::ready(m.is_ok()))
        .filter_map(|m| {
            std::future::ready(
                m.ok()
                    .filter(|m| m.is_text() || m.is_binary())
                    .map(Message::into_bytes),
            )
        });
    let init_session = Arc::clone(&session);
    let output = async_graphql::http::WebSocket::new(executor, input, protocol.0)
        .on_connection_init(move |payload| async move {
            let token = ["Authorization", "authorization"]
                .iter()
                .find_map(|k| payload.get(*k).and_then(|v| v.as_str()).map(str::to_owned));
            let caller = Caller::from_authorization(token.as_deref(), meta, &identity).await;
            let mut s = locked(&init_session);
            let tenant = match &caller {
                Caller::Rejected(e, _) => {
                    let err = gql(e.clone());
                    s.refused = Some((close::FORBIDDEN, format!("Forbidden: {}", err.message)));
                    return Err(err);
                }
                Caller::Staff(c) | Caller::Guest(c) | Caller::ApiKey(c) => Some(c.tenant()),
                Caller::Anonymous(_) => None,
            };
            if let Some(t) = tenant {
                let Some(permit) = limits.acquire(t) else {
                    let msg = "too many live connections for this business: try again later";
                    s.refused = Some((close::TOO_MANY, msg.to_owned()));
                    return Err(async_graphql::Error::new(msg));
                };
                s.permit = Some(permit);
                s.expires_at = token.as_deref().and_then(crate::live::token_expiry);
            }
            s.ready = true;
            let mut data = Data::default();
            data.insert(caller);
            Ok(data)
        });
    futures_util::pin_mut!(output);
    let keepalive = match protocol.0 {
        WebSocketProtocols::GraphQLWS => r#"{"type":"ping"}"#,
        WebSocketProtocols::SubscriptionsTransportWS => r#"{"type":"ka"}"#,
    };
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + KEEPALIVE, KEEPALIVE);
    let init_by = tokio::time::Instant::now() + INIT_TIMEOUT;
    // Set once `connection_init` is accepted: the message path then takes no
    // lock and arms no timer (10 000 screens receive an event at once).
    let mut acked = false;
    let mut expiry: Option<std::pin::Pin<Box<tokio::time::Sleep>>> = None;
    loop {
        if !acked {
            let s = locked(&session);
            if s.ready {
                acked = true;
                expiry = s.expires_at.map(|at| {
                    let left = (at - chrono::Utc::now()).to_std().unwrap_or_default();
                    Box::pin(tokio::time::sleep(left))
                });
            }
        }
        tokio::select! {
            msg = output.next() => match msg {
                Some(WsMessage::Text(t)) => {
                    if sink.send(Message::Text(t)).await.is_err() {
                        break;
                    }
                }
                Some(WsMessage::Close(code, reason)) => {
                    let (code, reason) = locked(&session).refused.take().unwrap_or((code, reason));
                    let _ = sink.send(Message::close_with(code, reason)).await;
                    break;
                }
                None => break,
            },
            _ = ping.tick() => {
                if acked && sink.send(Message::Text(keepalive.to_owned())).await.is_err() {
                    break;
                }
            }
            () = tokio::time::sleep_until(init_by), if !acked => {
                let _ = sink
                    .send(Message::close_with(
                        close::INIT_TIMEOUT,
                        "Connection initialisation timeout",
                    ))
                    .await;
                break;
            }
            () = until(&mut expiry) => {
                let _ = sink
                    .send(Message::close_with(
                        close::TOKEN_EXPIRED,
                        "Unauthorized: the access token expired; reconnect with a fresh one",
                    ))
                    .await;
                break;
            }
        }
    }
}

/// Waits for `sleep` if there is one, for ever otherwise.
async fn until(sleep: &mut Option<std::pin::Pin<Box<tokio::time::Sleep>>>) {
    match sleep {
        Some(s) => s.as_mut().await,
        None => std::future::pending().await,
    }
}

#[handler]
fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// Prometheus text: the job queue's depth and the age of its oldest due job,
/// and whether the Redis event bus is connected (1 when Redis is not configured:
/// nothing is missing).
#[handler]
async fn metrics(state: poem::web::Data<&Arc<AppState>>) -> Response {
    match state.jobs.stats().await {
        Ok(s) => {
            let redis_up = state.redis_up.as_ref().is_none_or(|up| up());
            let mut body = format!(
                "# HELP maxloyalty_jobs Jobs by status.\n# TYPE maxloyalty_jobs gauge\n\
                 maxloyalty_jobs{{status=\"queued\"}} {}\nmaxloyalty_jobs{{status=\"running\"}} {}\n\
                 maxloyalty_jobs{{status=\"dead\"}} {}\n\
                 # HELP maxloyalty_jobs_oldest_queued_age_seconds Age of the oldest due queued job.\n\
                 # TYPE maxloyalty_jobs_oldest_queued_age_seconds gauge\n\
                 maxloyalty_jobs_oldest_queued_age_seconds {}\n",
                s.queued,
                s.running,
                s.dead,
                s.oldest_queued_age_secs.unwrap_or(0)
            );
            let (executions, subscribers) = state.subscriptions.stats();
            body.push_str(&format!(
                "# HELP maxloyalty_graphql_shared_executions GraphQL subscription executions shared by equal subscriptions.\n\
                 # TYPE maxloyalty_graphql_shared_executions gauge\nmaxloyalty_graphql_shared_executions {executions}\n\
                 # HELP maxloyalty_graphql_shared_subscribers Subscriptions served by a shared execution.\n\
                 # TYPE maxloyalty_graphql_shared_subscribers gauge\nmaxloyalty_graphql_shared_subscribers {subscribers}\n"
            ));
            body.push_str(&format!(
                "# HELP maxloyalty_redis_up Whether the Redis event bus is connected (1 when not configured).\n\
                 # TYPE maxloyalty_redis_up gauge\nmaxloyalty_redis_up {}\n",
                u8::from(redis_up)
            ));
            Response::builder()
                .content_type("text/plain; version=0.0.4")
                .body(body)
        }
        Err(e) => {
            tracing::error!(error = %e, "metrics unavailable");
            Response::builder()
                .status(poem::http::StatusCode::SERVICE_UNAVAILABLE)
                .body("metrics unavailable\n")
        }
    }
}

/// Ready when the database answers. Redis, when configured, is reported but
/// does not make the server unready: without it events stay in this process.
#[handler]
async fn ready(state: poem::web::Data<&Arc<AppState>>) -> Response {
    let mut body = if (state.database_ready)().await {
        json!({ "status": "ready", "database": "ok" })
    } else {
        json!({ "status": "unavailable", "database": "unreachable" })
    };
    if let Some(up) = &state.redis_up {
        body["redis"] = json!(if up() { "ok" } else { "degraded" });
    }
    let status = if body["database"] == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    Json(body).with_status(status).into_response()
}

#[handler]
fn panel_missing() -> Response {
    Html(
        "<!doctype html><meta charset=utf-8><title>MaxLoyalty</title>\
         <p>The web panel is not built. Run <code>./scripts/start.sh</code> (or <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>) \
         and restart. The API is at <a href=/graphql>/graphql</a>.</p>",
    )
    .with_status(StatusCode::SERVICE_UNAVAILABLE)
    .into_response()
}

/// All routes.
pub fn routes(state: Arc<AppState>, web_dir: &Path) -> impl poem::Endpoint + use<> {
    let mut route = Route::new()
        .at("/graphql", get(graphiql).post(graphql_post))
        .at("/graphql/ws", get(graphql_ws))
        // Not stripped: socketioxide matches the whole path.
        .nest_no_strip("/socket.io", state.socketio.clone())
        .at("/health", get(health))
        .at("/ready", get(ready))
        .at("/metrics", get(metrics))
        .at(
            "/webhooks/pos/:id",
            poem::post(crate::webhooks_in::pos)
                .data(Arc::clone(&state.integrations))
                .data(crate::webhooks_in::Wake(state.worker_waker.clone())),
        )
        .at(
            "/webhooks/iiko/:id",
            poem::post(crate::webhooks_in::iiko)
                .data(Arc::clone(&state.integrations))
                .data(crate::webhooks_in::Wake(state.worker_waker.clone())),
        )
        .at(
            "/webhooks/rkeeper/:id",
            poem::post(crate::webhooks_in::rkeeper)
                .data(Arc::clone(&state.integrations))
                .data(crate::webhooks_in::Wake(state.worker_waker.clone())),
        );
    route = if web_dir.join("index.html").is_file() {
        route.nest(
            "/",
            StaticFilesEndpoint::new(web_dir)
                .index_file("index.html")
                .fallback_to_index(),
        )
    } else {
        tracing::warn!(dir = %web_dir.display(), "the web panel is not built; serving a notice at /");
        route.at("/", get(panel_missing))
    };
    route.data(state)
}

/// Request logging without query strings (they can carry one-time tokens).
pub struct AccessLog;

impl<E: poem::Endpoint> poem::Middleware<E> for AccessLog {
    type Output = AccessLogEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        AccessLogEndpoint(ep)
    }
}

/// The endpoint wrapped by [`AccessLog`].
pub struct AccessLogEndpoint<E>(E);

impl<E: poem::Endpoint> poem::Endpoint for AccessLogEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Self::Output> {
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let started = std::time::Instant::now();
        let result = self.0.call(req).await.map(IntoResponse::into_response);
        let status = match &result {
            Ok(r) => r.status(),
            Err(e) => e.status(),
        };
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        if status.is_server_error() {
            tracing::error!(%method, %path, status = status.as_u16(), ms, "request failed");
        } else {
            tracing::info!(%method, %path, status = status.as_u16(), ms, "request");
        }
        result
    }
}
