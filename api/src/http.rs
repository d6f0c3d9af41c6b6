//! HTTP endpoints: GraphQL over POST (single operations only), GraphQL over
//! websocket, GraphiQL in development, liveness and readiness, and the panel.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;

use async_graphql::ServerError;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
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
use crate::error::code;
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
            let served = runtime.spawn(crate::graphql::ws::serve(
                socket, executor, protocol.0, identity, limits, meta,
            ));
            if let Err(e) = served.await {
                tracing::warn!(error = %e, "a subscription connection's task ended abnormally");
            }
        })
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
