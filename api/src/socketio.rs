//! socket.io (engine.io v4, socket.io v5) at `/socket.io`, beside GraphQL: the
//! same live events for clients that speak socket.io (see `docs/REALTIME.md`).
//!
//! - Both transports. Long-polling goes through poem's tower adapter; for
//!   websocket this endpoint takes poem's upgrade itself and hands the upgraded
//!   connection to socketioxide (poem's adapter cannot pass an upgrade on).
//! - The CONNECT `auth` payload `{ "token": … }` (or the handshake's
//!   `Authorization` header) is resolved like any request ([`Caller`]); the
//!   server joins the socket to its rooms, named after its tenant. Clients never
//!   name rooms, except asking to `watch` a location, which is checked.
//! - One task per process reads every tenant's events from the [`LocalBus`] (fed
//!   from Redis when configured, so events of other processes arrive too) and
//!   emits them to the rooms.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use domain::identity::{AccessError, DomainError, IdentityService, Permission};
use domain::loyalty::{GrantStatus, LevelRef, LoyaltyEvent, Receipt};
use domain::notifications::{Notification, Recipient};
use domain::{Actor, Ctx, LocationId, RequestMeta, TenantId};
use futures_util::{Stream, StreamExt};
use poem::endpoint::{BoxEndpoint, TowerCompatExt};
use poem::http::{Method, StatusCode, header};
use poem::{Body, Endpoint, EndpointExt, IntoResponse, Request, Response};
use serde_json::{Value as Json, json};
use socketioxide::SocketIo;
use socketioxide::adapter::LocalAdapter;
use socketioxide::extract::{AckSender, Data, SocketRef, TryData};
use socketioxide::handler::{ConnectHandler, FromConnectParts, Value};
use socketioxide::service::SocketIoService;
use socketioxide::socket::Socket;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tower_service::Service as _;

use crate::auth::Caller;
use crate::error::code;
use crate::http::meta_of;
use crate::realtime::LocalBus;

type Service = SocketIoService<engineioxide::service::NotFoundService>;

/// The `/socket.io` endpoint (mount it with `nest_no_strip`: socketioxide
/// matches the full path). Cheap to clone.
#[derive(Clone)]
pub struct SocketIoEndpoint {
    svc: Service,
    polling: Arc<BoxEndpoint<'static, Response>>,
    /// Where websocket connections run.
    runtime: crate::live::LiveRuntime,
}

impl SocketIoEndpoint {
    /// Builds the socket.io server and starts the task that emits the bus's
    /// events to rooms (it ends when the bus does).
    #[must_use]
    pub fn start(
        identity: Arc<IdentityService>,
        bus: &LocalBus,
        limits: crate::live::LiveLimits,
        runtime: crate::live::LiveRuntime,
    ) -> Self {
        let (svc, io) = SocketIo::builder()
            .ws_read_buffer_size(crate::live::READ_BUFFER)
            .build_svc();
        io.ns("/", Gate { identity, limits });
        runtime.spawn(fan_out(io, bus.subscribe_all()));
        Self {
            runtime,
            polling: Arc::new(svc.clone().compat().boxed()),
            svc,
        }
    }

    /// A websocket upgrade: answered here, the connection handed to socketioxide.
    fn upgrade(&self, req: &Request, meta: RequestMeta) -> Response {
        let query = req.uri().query().unwrap_or_default();
        let has = |kv: &str| query.split('&').any(|p| p == kv);
        let key = req.headers().get(header::SEC_WEBSOCKET_KEY).cloned();
        let version_ok = req
            .headers()
            .get(header::SEC_WEBSOCKET_VERSION)
            .is_some_and(|v| v == "13");
        let (Some(key), true, true, true) = (
            key,
            req.method() == Method::GET && version_ok,
            has("EIO=4"),
            has("transport=websocket"),
        ) else {
            return bad_request();
        };
        let Ok(on_upgrade) = req.take_upgrade() else {
            return bad_request();
        };
        let mut head = poem::http::Request::new(());
        *head.method_mut() = req.method().clone();
        // The socket keeps these parts for its lifetime: copies, and only what
        // it reads later (its token may come as a header). A clone of the
        // request's URI or headers would share, and so keep, the whole buffer
        // the request was read into (about 17 KB a connection).
        *head.uri_mut() =
            poem::http::Uri::try_from(req.uri().to_string()).unwrap_or_else(|_| req.uri().clone());
        *head.version_mut() = req.version();
        if let Some(auth) = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| header::HeaderValue::from_bytes(v.as_bytes()).ok())
        {
            head.headers_mut().insert(header::AUTHORIZATION, auth);
        }
        head.extensions_mut().insert(meta);
        let mut svc = self.svc.clone();
        // On the live threads, with every task socketioxide starts for it.
        self.runtime.spawn(async move {
            let Ok(upgraded) = on_upgrade.await else {
                return;
            };
            if let Err(e) = svc.call((CodedConnectErrors::new(upgraded), head)).await {
                tracing::debug!(error = ?e, "a socket.io websocket request was malformed");
            }
        });
        let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
        Response::builder()
            .status(StatusCode::SWITCHING_PROTOCOLS)
            .header(header::CONNECTION, "upgrade")
            .header(header::UPGRADE, "websocket")
            .header(header::SEC_WEBSOCKET_ACCEPT, accept)
            .finish()
    }
}

fn bad_request() -> Response {
    // engine.io's own answer to a malformed request.
    poem::web::Json(json!({ "code": 3, "message": "Bad request" }))
        .with_status(StatusCode::BAD_REQUEST)
        .into_response()
}

impl Endpoint for SocketIoEndpoint {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        let meta = meta_of(&req);
        let wants_ws = req
            .headers()
            .get(header::UPGRADE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
        if wants_ws {
            return Ok(self.upgrade(&req, meta));
        }
        let get = req.method() == Method::GET;
        req.extensions_mut().insert(meta);
        let resp = self.polling.call(req).await?;
        if get && resp.status() == StatusCode::OK {
            coded_polling_response(resp).await
        } else {
            Ok(resp)
        }
    }
}

// ----- connecting -------------------------------------------------------------

/// Why a connection was refused: sent as `CODE: message` by socketioxide, then
/// given its own `code` field on the way out ([`coded_connect_error`]).
#[derive(Debug)]
struct Refusal {
    code: &'static str,
    message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// What a refused `watch` (or connection) tells the client.
fn refusal<E: DomainError>(e: &E) -> Refusal {
    let code = crate::error::class_code(e.class());
    let message = if code == code::INTERNAL {
        tracing::error!(error = %e, "internal error");
        "internal error; it has been logged".to_owned()
    } else {
        e.to_string()
    };
    Refusal { code, message }
}

/// Authenticates sockets of the default namespace and joins them to their rooms.
#[derive(Clone)]
struct Gate {
    identity: Arc<IdentityService>,
    limits: crate::live::LiveLimits,
}

type Admission<'a> =
    Pin<Box<dyn Future<Output = Result<(), Box<dyn fmt::Display + Send>>> + Send + 'a>>;

impl ConnectHandler<LocalAdapter, ()> for Gate {
    fn call(&self, _s: Arc<Socket<LocalAdapter>>, _auth: Option<Value>) {
        // Everything happened in `admit`, before the client learnt it is connected.
    }

    fn call_middleware<'a>(
        &'a self,
        s: Arc<Socket<LocalAdapter>>,
        auth: &'a Option<Value>,
    ) -> Admission<'a> {
        Box::pin(async move {
            self.admit(&s, auth)
                .await
                .map_err(|r| Box::new(r) as Box<dyn fmt::Display + Send>)
        })
    }
}

fn location_of(data: &Json) -> Option<String> {
    data.get("locationId")
        .and_then(Json::as_str)
        .map(str::to_owned)
}

impl Gate {
    /// Resolves the caller (refusing anyone without valid credentials) and
    /// joins the socket to the rooms its identity and permissions give.
    async fn admit(
        &self,
        s: &Arc<Socket<LocalAdapter>>,
        auth: &Option<Value>,
    ) -> Result<(), Refusal> {
        let payload = Data::<Json>::from_connect_parts(s, auth)
            .ok()
            .map(|Data(v)| v);
        let token = payload
            .as_ref()
            .and_then(|p| p.get("token"))
            .and_then(Json::as_str)
            .map(str::to_owned)
            .or_else(|| {
                s.req_parts()
                    .headers
                    .get(header::AUTHORIZATION)
                    .and_then(|h| h.to_str().ok())
                    .map(str::to_owned)
            });
        let meta = s
            .req_parts()
            .extensions
            .get::<RequestMeta>()
            .cloned()
            .unwrap_or_default();
        let ctx = match Caller::from_authorization(token.as_deref(), meta, &self.identity).await {
            Caller::Staff(ctx) | Caller::ApiKey(ctx) | Caller::Guest(ctx) => ctx,
            Caller::Anonymous(_) => return Err(refusal(&AccessError::Unauthenticated)),
            Caller::Rejected(e, _) => return Err(refusal(&e)),
        };
        // The tenant's place on this process, held until the socket disconnects.
        let Some(permit) = self.limits.acquire(ctx.tenant()) else {
            return Err(Refusal {
                code: code::RATE_LIMITED,
                message: "too many live connections for this business: try again later".into(),
            });
        };
        let rooms = self.rooms(&ctx).await;
        s.join(rooms);
        // Before CONNECT goes out, so that a `watch` right after it finds its handler.
        self.answer_requests(s, ctx);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let held = Arc::new(std::sync::Mutex::new(Some((permit, stop))));
        s.on_disconnect(move |_: SocketRef| async move {
            // Frees the place and ends the expiry watch.
            held.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
        });
        // A session ends with its access token: tell the client, then disconnect.
        if let Some(at) = token.as_deref().and_then(crate::live::token_expiry) {
            let socket = Arc::clone(s);
            tokio::spawn(async move {
                let wait = (at - chrono::Utc::now()).to_std().unwrap_or_default();
                tokio::select! {
                    () = tokio::time::sleep(wait) => {
                        let _ = socket.emit(
                            "session.expired",
                            &json!({
                                "code": code::UNAUTHENTICATED,
                                "message": "the access token expired: reconnect with a fresh one",
                            }),
                        );
                        let _ = socket.disconnect();
                    }
                    _ = stopped => {}
                }
            });
        }
        Ok(())
    }

    /// Registers the events a client may send: `watch` and `unwatch`.
    fn answer_requests(&self, s: &Socket<LocalAdapter>, ctx: Ctx) {
        let (gate, watcher) = (self.clone(), ctx.clone());
        s.on(
            "watch",
            move |s: SocketRef, ack: AckSender, TryData(data): TryData<Json>| {
                let (gate, ctx) = (gate.clone(), watcher.clone());
                async move {
                    let answer = match gate.watch(&ctx, data.ok()).await {
                        Ok(room) => {
                            s.join(room);
                            json!({ "ok": true })
                        }
                        Err(r) => json!({ "error": { "code": r.code, "message": r.message } }),
                    };
                    let _ = ack.send(&answer);
                }
            },
        );
        let tenant = ctx.tenant();
        s.on(
            "unwatch",
            move |s: SocketRef, ack: AckSender, TryData(data): TryData<Json>| async move {
                let answer = match data.ok().as_ref().and_then(location_of) {
                    Some(l) => {
                        s.leave(location_room(tenant, &l));
                        json!({ "ok": true })
                    }
                    None => json!({ "error": {
                        "code": code::VALIDATION, "message": "send { locationId }" } }),
                };
                let _ = ack.send(&answer);
            },
        );
    }

    /// The rooms of a caller: its own (a staff user's, a guest's) and its
    /// tenant's feeds its permissions allow.
    async fn rooms(&self, ctx: &Ctx) -> Vec<String> {
        let t = ctx.tenant();
        let mut rooms = Vec::new();
        match ctx.actor() {
            Actor::Guest(g) => return vec![guest_room(t, &g.to_string())],
            Actor::Staff(u) => rooms.push(format!("u:{t}:{u}")),
            Actor::ApiKey(_) | Actor::System => {}
        }
        for (permission, room) in [
            (Permission::GuestsRead, format!("g:{t}")),
            (Permission::IntegrationsManage, format!("i:{t}")),
        ] {
            match self.identity.authorize(ctx, permission).await {
                Ok(()) => rooms.push(room),
                Err(AccessError::Internal(e)) => {
                    tracing::error!(error = %e, "socket.io: a permission check failed");
                }
                Err(_) => {}
            }
        }
        rooms
    }

    /// Checks a `watch` request: `checks:process`, and a location of the caller's tenant.
    async fn watch(&self, ctx: &Ctx, data: Option<Json>) -> Result<String, Refusal> {
        let invalid = |message: &str| Refusal {
            code: code::VALIDATION,
            message: message.to_owned(),
        };
        let raw = data
            .as_ref()
            .and_then(location_of)
            .ok_or_else(|| invalid("send { locationId }"))?;
        let location: LocationId = raw
            .parse()
            .map_err(|_| invalid("locationId is not a valid id"))?;
        if matches!(ctx.actor(), Actor::Guest(_)) {
            return Err(refusal(&AccessError::Forbidden));
        }
        self.identity
            .authorize(ctx, Permission::ChecksProcess)
            .await
            .map_err(|e| refusal(&e))?;
        self.identity
            .location(ctx, location)
            .await
            .map_err(|e| refusal(&e))?;
        Ok(location_room(ctx.tenant(), &location.to_string()))
    }
}

fn guest_room(t: TenantId, guest: &str) -> String {
    format!("guest:{t}:{guest}")
}

fn location_room(t: TenantId, location: &str) -> String {
    format!("l:{t}:{location}")
}

// ----- events -----------------------------------------------------------------

/// One event for some rooms.
#[derive(Debug, PartialEq)]
struct Emission {
    rooms: Vec<String>,
    event: &'static str,
    payload: Json,
}

fn level(l: Option<&LevelRef>) -> Json {
    l.map_or(
        Json::Null,
        |l| json!({ "id": l.id.to_string(), "name": l.name }),
    )
}

fn status(s: GrantStatus) -> &'static str {
    match s {
        GrantStatus::Granted => "GRANTED",
        GrantStatus::AlreadyGranted => "ALREADY_GRANTED",
        GrantStatus::BudgetExhausted => "BUDGET_EXHAUSTED",
        GrantStatus::Inactive => "INACTIVE",
    }
}

/// The receipt as GraphQL's `Receipt` shows it.
fn receipt(r: &Receipt) -> Json {
    let rules: Vec<Json> = r
        .rules
        .iter()
        .map(|a| {
            json!({
                "code": a.code,
                "description": a.description,
                "points": a.points,
                "promotionId": a.promotion.map(|p| p.to_string()),
                "status": status(a.status),
            })
        })
        .collect();
    json!({
        "checkId": r.check_id.to_string(),
        "guestId": r.guest_id.to_string(),
        "locationId": r.location_id.to_string(),
        "externalId": r.external_id,
        "totalMinor": r.total_minor,
        "currency": r.currency.code(),
        "redeemed": r.redeemed,
        "redeemedValueMinor": r.redeemed_value_minor,
        "earned": r.earned,
        "rules": rules,
        "balance": r.balance,
        "available": r.available,
        "levelBefore": level(r.level_before.as_ref()),
        "levelAfter": level(r.level_after.as_ref()),
        "processedAt": r.processed_at,
    })
}

fn notification(n: &Notification) -> Json {
    json!({
        "id": n.id.to_string(),
        "kind": n.kind.as_str(),
        "data": n.data,
        "createdAt": n.created_at,
        "readAt": n.read_at,
    })
}

/// Where an event of `t` goes, and as what.
fn emissions(t: TenantId, event: &LoyaltyEvent) -> Vec<Emission> {
    match event {
        LoyaltyEvent::CheckProcessed(r) => vec![Emission {
            rooms: vec![location_room(t, &r.location_id.to_string())],
            event: "check.processed",
            payload: receipt(r),
        }],
        LoyaltyEvent::GuestChanged {
            guest,
            account,
            level,
        } => vec![Emission {
            rooms: vec![format!("g:{t}"), guest_room(t, &guest.to_string())],
            event: "guest.updated",
            payload: json!({
                "guestId": guest.to_string(),
                "balance": account.balance.get(),
                "held": account.held.get(),
                "available": account.available().get(),
                "levelId": level.map(|l| l.to_string()),
            }),
        }],
        LoyaltyEvent::NotificationCreated(n) if n.tenant == t => {
            let room = match n.recipient {
                Recipient::Staff(u) => format!("u:{t}:{u}"),
                Recipient::Guest(g) => guest_room(t, &g.to_string()),
            };
            vec![Emission {
                rooms: vec![room],
                event: "notification",
                payload: notification(n),
            }]
        }
        LoyaltyEvent::IntegrationEventFailed {
            integration,
            event,
            error,
        } => vec![Emission {
            rooms: vec![format!("i:{t}")],
            event: "integration.failed",
            payload: json!({
                "integrationId": integration.to_string(),
                "eventId": event.to_string(),
                "error": error,
            }),
        }],
        LoyaltyEvent::NotificationCreated(_) | LoyaltyEvent::PromotionGranted { .. } => Vec::new(),
    }
}

/// Emits every event of the bus to its rooms, until the bus closes.
async fn fan_out(io: SocketIo, events: impl Stream<Item = (TenantId, LoyaltyEvent)> + Send) {
    let mut events = std::pin::pin!(events);
    while let Some((tenant, event)) = events.next().await {
        let Some(ns) = io.of("/") else {
            return;
        };
        for e in emissions(tenant, &event) {
            if let Err(err) = ns.clone().to(e.rooms).emit(e.event, &e.payload).await {
                tracing::debug!(error = %err, event = e.event, "socket.io: an emit failed");
            }
        }
    }
}

// ----- coded connect errors ---------------------------------------------------

/// `44{"message":"CODE: text"}` (a refused CONNECT to the default namespace, as
/// socketioxide writes it) → `44{"message":"text","code":"CODE","data":{"code":"CODE"}}`
/// (`data` is where socket.io's JavaScript client looks: `err.data.code`).
/// Anything else: `None`.
fn coded_connect_error(packet: &str) -> Option<String> {
    let body = packet.strip_prefix("44")?;
    if !body.starts_with('{') {
        return None;
    }
    let v: Json = serde_json::from_str(body).ok()?;
    let (c, text) = v.get("message")?.as_str()?.split_once(": ")?;
    let c = [
        code::UNAUTHENTICATED,
        code::FORBIDDEN,
        code::NOT_FOUND,
        code::VALIDATION,
        code::CONFLICT,
        code::RATE_LIMITED,
        code::INTERNAL,
    ]
    .into_iter()
    .find(|k| *k == c)?;
    Some(format!(
        "44{}",
        json!({ "message": text, "code": c, "data": { "code": c } })
    ))
}

/// A polling response with its refused CONNECT packets coded.
async fn coded_polling_response(resp: Response) -> poem::Result<Response> {
    let (mut parts, body) = resp.into_parts();
    let bytes = body.into_bytes().await?;
    let coded = std::str::from_utf8(&bytes)
        .ok()
        .filter(|text| text.contains("44{"))
        .map(|text| {
            text.split('\x1e')
                .map(|p| coded_connect_error(p).map_or(Cow::Borrowed(p), Cow::Owned))
                .collect::<Vec<_>>()
                .join("\x1e")
        });
    Ok(match coded {
        Some(text) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(text))
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    })
}

/// The upgraded connection of a websocket, rewriting the server's refused
/// CONNECT frames like [`coded_connect_error`]. It parses the frames the server
/// writes only until a namespace is connected, then steps aside.
struct CodedConnectErrors<S> {
    inner: S,
    watch: Option<Box<FrameWatch>>,
}

#[derive(Default)]
struct FrameWatch {
    /// Bytes of a frame not yet complete.
    partial: Vec<u8>,
    /// Frames ready for the connection, and how much of them went.
    ready: Vec<u8>,
    sent: usize,
    /// A namespace is connected: nothing more to rewrite.
    done: bool,
}

impl<S> CodedConnectErrors<S> {
    fn new(inner: S) -> Self {
        Self {
            inner,
            watch: Some(Box::default()),
        }
    }
}

/// The length of the first complete frame in `buf`, with whether it is a final,
/// unmasked text frame and where its payload starts; `None` while incomplete.
fn frame(buf: &[u8]) -> Option<Result<(usize, bool, usize), ()>> {
    let (b0, b1) = (*buf.first()?, *buf.get(1)?);
    let masked = b1 & 0x80 != 0;
    let (ext, len) = match b1 & 0x7f {
        126 => (
            2,
            u64::from(u16::from_be_bytes([*buf.get(2)?, *buf.get(3)?])),
        ),
        127 => {
            let b: [u8; 8] = buf.get(2..10)?.try_into().ok()?;
            (8, u64::from_be_bytes(b))
        }
        n => (0, u64::from(n)),
    };
    let start: usize = 2 + ext + if masked { 4 } else { 0 };
    let Ok(len) = usize::try_from(len) else {
        return Some(Err(()));
    };
    let total = start.checked_add(len)?;
    (buf.len() >= total).then_some(Ok((total, b0 == 0x81 && !masked, start)))
}

fn text_frame(payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0x81];
    match payload.len() {
        n if n < 126 => out.push(u8::try_from(n).unwrap_or(125)),
        n if n <= usize::from(u16::MAX) => {
            out.push(126);
            out.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&u64::try_from(n).unwrap_or(u64::MAX).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

impl FrameWatch {
    /// Moves complete frames from `partial` to `ready`, rewriting refused CONNECTs.
    fn parse(&mut self) {
        while !self.done {
            let (total, text, start) = match frame(&self.partial) {
                None => return,
                Some(Err(())) => {
                    self.done = true;
                    break;
                }
                Some(Ok(f)) => f,
            };
            let f: Vec<u8> = self.partial.drain(..total).collect();
            let payload = &f[start..];
            if text && payload.first() == Some(&b'4') {
                if payload.get(1) == Some(&b'4') {
                    let coded = std::str::from_utf8(payload)
                        .ok()
                        .and_then(coded_connect_error);
                    if let Some(c) = coded {
                        self.ready.extend_from_slice(&text_frame(c.as_bytes()));
                        continue;
                    }
                } else if payload.len() > 1 {
                    // CONNECT, or events: a namespace is connected.
                    self.done = true;
                }
            }
            self.ready.extend_from_slice(&f);
        }
        self.ready.append(&mut self.partial);
    }
}

impl<S: AsyncWrite + Unpin> CodedConnectErrors<S> {
    /// Writes out what is ready.
    fn drain(inner: &mut S, w: &mut FrameWatch, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while w.sent < w.ready.len() {
            let n = ready!(Pin::new(&mut *inner).poll_write(cx, &w.ready[w.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            w.sent += n;
        }
        w.ready.clear();
        w.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for CodedConnectErrors<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for CodedConnectErrors<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let Some(w) = this.watch.as_mut() else {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        };
        // Take nothing new until what is ready went out.
        ready!(Self::drain(&mut this.inner, w, cx))?;
        if w.done {
            this.watch = None;
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        }
        w.partial.extend_from_slice(buf);
        w.parse();
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(w) = this.watch.as_mut() {
            ready!(Self::drain(&mut this.inner, w, cx))?;
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(w) = this.watch.as_mut() {
            ready!(Self::drain(&mut this.inner, w, cx))?;
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::loyalty::Account;
    use domain::notifications::NotificationKind;
    use domain::{GuestId, InboundEventId, IntegrationId, NotificationId, UserId};
    use tokio::io::AsyncWriteExt;

    #[test]
    fn refused_connects_get_a_code() {
        let coded = coded_connect_error(r#"44{"message":"UNAUTHENTICATED: sign in to continue"}"#)
            .expect("coded");
        let v: Json = serde_json::from_str(&coded[2..]).expect("json");
        assert_eq!(
            v,
            json!({ "message": "sign in to continue", "code": "UNAUTHENTICATED",
                    "data": { "code": "UNAUTHENTICATED" } })
        );
        assert!(coded_connect_error(r#"44/admin,{"message":"Invalid namespace"}"#).is_none());
        assert!(coded_connect_error(r#"44{"message":"Invalid namespace"}"#).is_none());
        assert!(coded_connect_error(r#"42["x",{"message":"UNAUTHENTICATED: x"}]"#).is_none());
    }

    #[tokio::test]
    async fn websocket_frames_are_rewritten_until_a_namespace_connects() {
        let refused = r#"44{"message":"UNAUTHENTICATED: sign in to continue"}"#;
        let big = format!("42[\"x\",\"{}\"]", "y".repeat(70_000));
        let mut wire = Vec::new();
        for p in ["0{\"sid\":\"a\"}", refused, "40{\"sid\":\"b\"}", refused] {
            wire.extend_from_slice(&text_frame(p.as_bytes()));
        }
        wire.extend_from_slice(&text_frame(big.as_bytes()));
        let mut out = CodedConnectErrors::new(Vec::new());
        // Written in awkward pieces, as a sink may.
        for chunk in wire.chunks(7) {
            out.write_all(chunk).await.expect("write");
        }
        out.flush().await.expect("flush");
        let got = out.inner;
        let mut frames = Vec::new();
        let mut rest = &got[..];
        while let Some(Ok((total, text, start))) = frame(rest) {
            assert!(text);
            frames.push(String::from_utf8(rest[start..total].to_vec()).expect("utf-8"));
            rest = &rest[total..];
        }
        assert!(rest.is_empty());
        assert_eq!(frames.len(), 5);
        assert_eq!(frames[0], "0{\"sid\":\"a\"}");
        assert!(
            frames[1].contains("\"code\":\"UNAUTHENTICATED\""),
            "{}",
            frames[1]
        );
        assert_eq!(frames[2], "40{\"sid\":\"b\"}");
        assert_eq!(frames[3], refused, "after CONNECT nothing is rewritten");
        assert_eq!(frames[4], big);
    }

    #[test]
    fn events_go_to_the_rooms_of_their_tenant() {
        let t = TenantId::new();
        let g = GuestId::new();
        let e = emissions(
            t,
            &LoyaltyEvent::GuestChanged {
                guest: g,
                account: Account {
                    guest: g,
                    balance: domain::money::Points::new(120),
                    held: domain::money::Points::new(20),
                },
                level: None,
            },
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].event, "guest.updated");
        assert_eq!(e[0].rooms, vec![format!("g:{t}"), format!("guest:{t}:{g}")]);
        assert_eq!(
            e[0].payload,
            json!({ "guestId": g.to_string(), "balance": 120, "held": 20, "available": 100, "levelId": null })
        );

        let u = UserId::new();
        let n = Notification {
            id: NotificationId::new(),
            tenant: t,
            recipient: Recipient::Staff(u),
            kind: NotificationKind::GuestLevelUp,
            data: json!({ "guest": "Anna" }),
            created_at: chrono::Utc::now(),
            read_at: None,
        };
        let e = emissions(t, &LoyaltyEvent::NotificationCreated(n.clone()));
        assert_eq!(e[0].rooms, vec![format!("u:{t}:{u}")]);
        assert_eq!(e[0].event, "notification");
        assert_eq!(e[0].payload["kind"], "guest_level_up");
        assert_eq!(e[0].payload["data"]["guest"], "Anna");
        assert!(e[0].payload["readAt"].is_null());
        let to_guest = Notification {
            recipient: Recipient::Guest(g),
            ..n.clone()
        };
        let e = emissions(t, &LoyaltyEvent::NotificationCreated(to_guest));
        assert_eq!(e[0].rooms, vec![format!("guest:{t}:{g}")]);
        // A notification naming another tenant is not emitted at all.
        assert!(emissions(TenantId::new(), &LoyaltyEvent::NotificationCreated(n)).is_empty());

        let (i, ev) = (IntegrationId::new(), InboundEventId::new());
        let e = emissions(
            t,
            &LoyaltyEvent::IntegrationEventFailed {
                integration: i,
                event: ev,
                error: "unknown card".into(),
            },
        );
        assert_eq!(e[0].rooms, vec![format!("i:{t}")]);
        assert_eq!(e[0].event, "integration.failed");
        assert_eq!(
            e[0].payload,
            json!({ "integrationId": i.to_string(), "eventId": ev.to_string(), "error": "unknown card" })
        );
    }
}
