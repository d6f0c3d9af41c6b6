//! GraphQL over websocket, served here: graphql-transport-ws (the `graphql-ws`
//! library's protocol, what the panel and the Mini App speak) and the older
//! subscriptions-transport-ws (sub-protocol `graphql-ws`).
//!
//! Served by us rather than by async-graphql's protocol stream so that a
//! response of a shared execution (see [`super::shared`]), serialised once for
//! every subscriber, is written as it is: per connection only the frame around
//! it (`{"type":"next","id":…,"payload":…}`) is made. Executing, validating and
//! guarding stay async-graphql's.
//!
//! Beyond the protocols: the caller authenticates in `connection_init` (staff
//! token, guest token or API key, as `Authorization` in its payload), a tenant
//! holds at most its share of live connections, the server pings an idle
//! connection, and the connection is closed cleanly when its token ends.
//!
//! Close codes (graphql-transport-ws; the older protocol gets the same closes,
//! after a `connection_error` where it has one):
//! - 4400 an unreadable message; 4401 `subscribe` before an accepted
//!   `connection_init`, or the token ended while connected; 4403 refused
//!   credentials; 4408 no accepted `connection_init` in time; 4409 a second
//!   subscription with a running one's id; 4429 a second `connection_init`;
//!   1013 the business holds its maximum of live connections.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use async_graphql::http::WebSocketProtocols;
use async_graphql::{Data, Request};
use domain::RequestMeta;
use domain::identity::IdentityService;
use futures_util::stream::BoxStream;
use futures_util::{SinkExt, StreamExt};
use poem::web::websocket::{Message, WebSocketStream};
use serde::Deserialize;

use super::shared::{Payload, SharedSubscriptions};
use crate::auth::Caller;
use crate::error::gql;
use crate::live::{LiveLimits, LivePermit};

/// How often an idle subscription connection is pinged by the server.
pub const KEEPALIVE: Duration = Duration::from_secs(20);
/// How long a new connection may take to send an accepted `connection_init`.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Subscriptions one connection may run at once (the panel multiplexes every
/// live view of a page over one connection: a handful).
pub const MAX_SUBSCRIPTIONS: usize = 100;

/// Frames at most in one write when a connection is behind.
const COALESCE: usize = 64;

/// Close codes of subscription connections.
pub mod close {
    /// A message that is not one of the protocol's.
    pub const BAD_MESSAGE: u16 = 4400;
    /// `subscribe` before an accepted `connection_init`, or the access token
    /// ended while connected: reconnect with a fresh one.
    pub const UNAUTHORIZED: u16 = 4401;
    /// `connection_init` carried refused credentials.
    pub const FORBIDDEN: u16 = 4403;
    /// No accepted `connection_init` in time.
    pub const INIT_TIMEOUT: u16 = 4408;
    /// A subscription with the id of a running one.
    pub const DUPLICATE_ID: u16 = 4409;
    /// A second `connection_init`.
    pub const TOO_MANY_INITS: u16 = 4429;
    /// The business holds its maximum of live connections on this process.
    pub const TOO_MANY: u16 = 1013;
}

/// A message from the client (both protocols: `subscribe`/`start`,
/// `complete`/`stop`).
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        payload: Option<serde_json::Value>,
    },
    #[serde(alias = "start")]
    Subscribe {
        id: String,
        payload: Box<Request>,
    },
    #[serde(alias = "stop")]
    Complete {
        id: String,
    },
    ConnectionTerminate,
    Ping {},
    Pong {},
}

/// One running subscription of a connection.
struct Running {
    /// The id as a JSON string, ready for every frame.
    id_json: String,
    stream: BoxStream<'static, Payload>,
}

/// What the connection waits for next.
enum Step {
    Incoming(Option<Message>),
    Out(Out),
    Keepalive,
    InitTimeout,
    Expired,
}

/// What a running subscription gave: its next frame, or its end (by id).
enum Out {
    Frame(String),
    Ended(String),
}

/// What ends a connection: a close frame to send (none when the client went).
type End = Option<(u16, String)>;

/// One connection's state.
struct Connection {
    protocol: WebSocketProtocols,
    executor: SharedSubscriptions,
    identity: Arc<IdentityService>,
    limits: LiveLimits,
    meta: RequestMeta,
    /// The subscriptions' context, once `connection_init` was accepted.
    data: Option<Arc<Data>>,
    /// A `connection_init` came (accepted or not).
    init_seen: bool,
    /// The tenant's place, released when the connection ends.
    _permit: Option<LivePermit>,
    /// When the credentials end.
    expiry: Option<Pin<Box<tokio::time::Sleep>>>,
    running: HashMap<String, Running>,
}

type Sink = futures_util::stream::SplitSink<WebSocketStream, Message>;

/// Serves one subscription connection until it ends.
pub async fn serve(
    socket: WebSocketStream,
    executor: SharedSubscriptions,
    protocol: WebSocketProtocols,
    identity: Arc<IdentityService>,
    limits: LiveLimits,
    meta: RequestMeta,
) {
    let (mut sink, mut stream) = socket.split();
    let mut conn = Connection {
        protocol,
        executor,
        identity,
        limits,
        meta,
        data: None,
        init_seen: false,
        _permit: None,
        expiry: None,
        running: HashMap::new(),
    };
    let keepalive = match protocol {
        WebSocketProtocols::GraphQLWS => r#"{"type":"ping"}"#,
        WebSocketProtocols::SubscriptionsTransportWS => r#"{"type":"ka"}"#,
    };
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + KEEPALIVE, KEEPALIVE);
    let init_by = tokio::time::Instant::now() + INIT_TIMEOUT;
    let end: End = loop {
        let step = tokio::select! {
            m = stream.next() => Step::Incoming(m.and_then(Result::ok)),
            out = next_out(&mut conn.running, protocol), if !conn.running.is_empty() => Step::Out(out),
            _ = ping.tick() => Step::Keepalive,
            () = tokio::time::sleep_until(init_by), if conn.data.is_none() => Step::InitTimeout,
            () = until(&mut conn.expiry) => Step::Expired,
        };
        let sent = match step {
            Step::Incoming(None | Some(Message::Close(_))) => break None,
            Step::Incoming(Some(m)) => {
                let bytes: &[u8] = match &m {
                    Message::Text(t) => t.as_bytes(),
                    Message::Binary(b) => b,
                    // websocket pings are answered by the codec
                    _ => continue,
                };
                match conn.receive(bytes).await {
                    Ok(frames) => send_all(&mut sink, frames).await,
                    Err((frames, end)) => {
                        let _ = send_all(&mut sink, frames).await;
                        break end;
                    }
                }
            }
            Step::Out(out) => conn.write_out(&mut sink, out).await,
            Step::Keepalive => {
                conn.data.is_none() || sink.send(Message::Text(keepalive.to_owned())).await.is_ok()
            }
            Step::InitTimeout => {
                break Some((
                    close::INIT_TIMEOUT,
                    "Connection initialisation timeout".into(),
                ));
            }
            Step::Expired => {
                break Some((
                    close::UNAUTHORIZED,
                    "Unauthorized: the access token expired; reconnect with a fresh one".into(),
                ));
            }
        };
        if !sent {
            break None;
        }
    };
    if let Some((code, reason)) = end {
        let _ = sink
            .send(Message::close_with(code, close_reason(reason)))
            .await;
    }
    let _ = sink.close().await;
}

impl Connection {
    /// Writes what a subscription sent (a `next`, or `complete` when it
    /// ended), with whatever more is waiting already, in one write.
    ///
    /// A connection behind (10 000 screens share two threads; the kernel's
    /// loopback send is most of the cost of a frame) then catches up with
    /// one system call for several frames instead of one each. One that keeps
    /// up writes each frame at once, as before.
    async fn write_out(&mut self, sink: &mut Sink, out: Out) -> bool {
        use futures_util::FutureExt;
        let mut next = Some(out);
        let mut fed = 0;
        while let Some(out) = next.take() {
            let frame = match out {
                Out::Frame(frame) => Some(frame),
                Out::Ended(id) => self.running.remove(&id).map(|r| complete_frame(&r.id_json)),
            };
            if let Some(frame) = frame {
                if sink.feed(Message::Text(frame)).await.is_err() {
                    return false;
                }
                fed += 1;
            }
            if fed < COALESCE && !self.running.is_empty() {
                next = next_out(&mut self.running, self.protocol).now_or_never();
            }
        }
        fed == 0 || sink.flush().await.is_ok()
    }

    /// Handles one client message: the frames to send, or the frames to send
    /// before the connection ends and how it ends.
    async fn receive(&mut self, bytes: &[u8]) -> Result<Vec<String>, (Vec<String>, End)> {
        let message: ClientMessage = serde_json::from_slice(bytes).map_err(|e| {
            let reason = format!("Invalid message received: {e}");
            (Vec::new(), Some((close::BAD_MESSAGE, reason)))
        })?;
        match message {
            ClientMessage::ConnectionInit { payload } => self.init(payload).await,
            ClientMessage::Subscribe { id, payload } => {
                let Some(data) = self.data.clone() else {
                    return Err((
                        Vec::new(),
                        Some((close::UNAUTHORIZED, "Unauthorized".into())),
                    ));
                };
                if self.running.contains_key(&id) {
                    let reason = format!("Subscriber for {id} already exists");
                    return Err((Vec::new(), Some((close::DUPLICATE_ID, reason))));
                }
                let id_json = json_string(&id);
                if self.running.len() >= MAX_SUBSCRIPTIONS {
                    let message = format!(
                        "too many subscriptions on one connection (at most {MAX_SUBSCRIPTIONS}): complete one first"
                    );
                    return Ok(vec![self.error_frame(&id_json, &message)]);
                }
                let stream = self.executor.subscribe(*payload, data);
                self.running.insert(id, Running { id_json, stream });
                Ok(Vec::new())
            }
            ClientMessage::Complete { id } => match self.running.remove(&id) {
                // graphql-transport-ws expects no answer; the older protocol does.
                Some(r) if self.protocol == WebSocketProtocols::SubscriptionsTransportWS => {
                    Ok(vec![complete_frame(&r.id_json)])
                }
                _ => Ok(Vec::new()),
            },
            ClientMessage::ConnectionTerminate => Err((Vec::new(), None)),
            ClientMessage::Ping {} => Ok(vec![r#"{"type":"pong"}"#.to_owned()]),
            ClientMessage::Pong {} => Ok(Vec::new()),
        }
    }

    /// `connection_init`: authenticates the caller and takes the tenant's place.
    async fn init(
        &mut self,
        payload: Option<serde_json::Value>,
    ) -> Result<Vec<String>, (Vec<String>, End)> {
        if std::mem::replace(&mut self.init_seen, true) {
            return Err(self.refuse(close::TOO_MANY_INITS, "Too many initialisation requests"));
        }
        let token = payload.as_ref().and_then(|p| {
            ["Authorization", "authorization"]
                .iter()
                .find_map(|k| p.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
        });
        let caller =
            Caller::from_authorization(token.as_deref(), self.meta.clone(), &self.identity).await;
        let tenant = match &caller {
            Caller::Rejected(e, _) => {
                let message = format!("Forbidden: {}", gql(e.clone()).message);
                return Err(self.refuse(close::FORBIDDEN, &message));
            }
            Caller::Staff(c) | Caller::Guest(c) | Caller::ApiKey(c) => Some(c.tenant()),
            Caller::Anonymous(_) => None,
        };
        if let Some(t) = tenant {
            let Some(permit) = self.limits.acquire(t) else {
                let message = "too many live connections for this business: try again later";
                return Err(self.refuse(close::TOO_MANY, message));
            };
            self._permit = Some(permit);
            self.expiry = token
                .as_deref()
                .and_then(crate::live::token_expiry)
                .map(|at| {
                    let left = (at - chrono::Utc::now()).to_std().unwrap_or_default();
                    Box::pin(tokio::time::sleep(left))
                });
        }
        let mut data = Data::default();
        data.insert(caller);
        self.data = Some(Arc::new(data));
        Ok(vec![r#"{"type":"connection_ack"}"#.to_owned()])
    }

    /// A refused `connection_init`: the older protocol is told with a
    /// `connection_error` first; both are closed with `code`.
    fn refuse(&self, code: u16, message: &str) -> (Vec<String>, End) {
        let frames = match self.protocol {
            WebSocketProtocols::SubscriptionsTransportWS => vec![format!(
                r#"{{"type":"connection_error","payload":{{"message":{}}}}}"#,
                json_string(message)
            )],
            WebSocketProtocols::GraphQLWS => Vec::new(),
        };
        (frames, Some((code, message.to_owned())))
    }

    /// An `error` message for one operation (it then ends, with no `complete`).
    fn error_frame(&self, id_json: &str, message: &str) -> String {
        let error = format!(r#"{{"message":{}}}"#, json_string(message));
        let payload = match self.protocol {
            WebSocketProtocols::GraphQLWS => format!("[{error}]"),
            WebSocketProtocols::SubscriptionsTransportWS => error,
        };
        format!(r#"{{"type":"error","id":{id_json},"payload":{payload}}}"#)
    }
}

/// The `next` (`data` in the older protocol) frame of a payload: a shared
/// response is copied in as it was serialised, once for everyone.
fn next_frame(protocol: WebSocketProtocols, id_json: &str, payload: &Payload) -> String {
    let kind = match protocol {
        WebSocketProtocols::GraphQLWS => "next",
        WebSocketProtocols::SubscriptionsTransportWS => "data",
    };
    let own;
    let body: &str = match payload {
        Payload::Rendered(json) => json,
        Payload::Own(response) => {
            own = serde_json::to_string(response).unwrap_or_else(|e| {
                tracing::error!(error = %e, "a subscription response could not be serialised");
                r#"{"data":null,"errors":[{"message":"the response could not be serialised"}]}"#
                    .to_owned()
            });
            &own
        }
    };
    let mut frame = String::with_capacity(34 + id_json.len() + body.len());
    frame.push_str(r#"{"type":""#);
    frame.push_str(kind);
    frame.push_str(r#"","id":"#);
    frame.push_str(id_json);
    frame.push_str(r#","payload":"#);
    frame.push_str(body);
    frame.push('}');
    frame
}

/// A close frame's reason holds at most 123 bytes (RFC 6455, 5.5): longer
/// ones (a parser's message, a refusal's) are cut at a character boundary.
fn close_reason(mut reason: String) -> String {
    const MAX: usize = 123;
    if reason.len() > MAX {
        let mut end = MAX;
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        reason.truncate(end);
    }
    reason
}

fn complete_frame(id_json: &str) -> String {
    format!(r#"{{"type":"complete","id":{id_json}}}"#)
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// Sends `frames` in order; false when the connection is gone.
async fn send_all(sink: &mut Sink, frames: Vec<String>) -> bool {
    for f in frames {
        if sink.send(Message::Text(f)).await.is_err() {
            return false;
        }
    }
    true
}

/// The next frame of any running subscription, or the end of one.
async fn next_out(running: &mut HashMap<String, Running>, protocol: WebSocketProtocols) -> Out {
    std::future::poll_fn(|cx| {
        for (id, r) in running.iter_mut() {
            match r.stream.poll_next_unpin(cx) {
                Poll::Ready(Some(payload)) => {
                    return Poll::Ready(Out::Frame(next_frame(protocol, &r.id_json, &payload)));
                }
                Poll::Ready(None) => return Poll::Ready(Out::Ended(id.clone())),
                Poll::Pending => {}
            }
        }
        Poll::Pending
    })
    .await
}

/// Waits for `sleep` if there is one, for ever otherwise.
async fn until(sleep: &mut Option<Pin<Box<tokio::time::Sleep>>>) {
    match sleep {
        Some(s) => s.as_mut().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_response_is_framed_as_it_was_serialised() {
        let rendered = Payload::Rendered(Arc::from(r#"{"data":{"n":1}}"#));
        let id = json_string("a\"1");
        let frame = next_frame(WebSocketProtocols::GraphQLWS, &id, &rendered);
        assert_eq!(
            frame,
            r#"{"type":"next","id":"a\"1","payload":{"data":{"n":1}}}"#
        );
        let legacy = next_frame(WebSocketProtocols::SubscriptionsTransportWS, &id, &rendered);
        assert_eq!(
            legacy,
            r#"{"type":"data","id":"a\"1","payload":{"data":{"n":1}}}"#
        );
        let v: serde_json::Value = serde_json::from_str(&frame).expect("JSON");
        assert_eq!(v["id"], "a\"1");
    }

    #[test]
    fn an_own_response_is_framed_like_a_shared_one() {
        let response = || {
            async_graphql::Response::new(
                async_graphql::Value::from_json(serde_json::json!({ "n": 1 })).expect("value"),
            )
        };
        let own = Payload::Own(Box::new(response()));
        let rendered =
            Payload::Rendered(Arc::from(serde_json::to_string(&response()).expect("json")));
        let frame = |p: &Payload| next_frame(WebSocketProtocols::GraphQLWS, r#""1""#, p);
        assert_eq!(frame(&own), frame(&rendered));
        let mut failed = response();
        failed
            .errors
            .push(async_graphql::ServerError::new("no", None));
        let v: serde_json::Value =
            serde_json::from_str(&frame(&Payload::Own(Box::new(failed)))).expect("JSON");
        assert_eq!(v["payload"]["errors"][0]["message"], "no");
    }

    #[test]
    fn close_reasons_fit_a_close_frame() {
        assert_eq!(close_reason("Unauthorized".into()), "Unauthorized");
        let long = format!("Forbidden:{}", "ж".repeat(100));
        let cut = close_reason(long.clone());
        assert!(cut.len() <= 123 && long.starts_with(&cut), "{cut}");
        assert_eq!(cut.len(), 122, "cut before a two-byte character");
    }

    #[test]
    fn client_messages_of_both_protocols_are_read() {
        let read = |s: &str| serde_json::from_str::<ClientMessage>(s);
        assert!(matches!(
            read(r#"{"type":"connection_init"}"#),
            Ok(ClientMessage::ConnectionInit { payload: None })
        ));
        assert!(matches!(
            read(r#"{"type":"subscribe","id":"1","payload":{"query":"subscription { a }"}}"#),
            Ok(ClientMessage::Subscribe { .. })
        ));
        assert!(matches!(
            read(r#"{"type":"start","id":"1","payload":{"query":"subscription { a }"}}"#),
            Ok(ClientMessage::Subscribe { .. })
        ));
        assert!(matches!(
            read(r#"{"type":"stop","id":"1"}"#),
            Ok(ClientMessage::Complete { .. })
        ));
        assert!(matches!(
            read(r#"{"type":"ping","payload":{"x":1}}"#),
            Ok(ClientMessage::Ping {})
        ));
        assert!(matches!(
            read(r#"{"type":"pong"}"#),
            Ok(ClientMessage::Pong {})
        ));
        assert!(read(r#"{"type":"subscribe","id":"1"}"#).is_err());
        assert!(read(r#"{"type":"hello"}"#).is_err());
        assert!(read("not json").is_err());
    }
}
