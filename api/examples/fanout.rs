//! Realtime fan-out load generator (issue 5): N websocket subscribers of one
//! tenant's processed checks, a check every 100 ms, and how long each event
//! takes to reach every client.
//!
//! ```text
//! cargo run --release -p api --example fanout -- --url http://127.0.0.1:8080 \
//!     --server-pid "$(pgrep -n maxloyalty)" [-n 10000] [-d 30] [--socketio]
//! ```
//!
//! 1. signs up a business over GraphQL (or uses `--token`), creates a location
//!    and a guest (or uses `--location-id` / `--guest-id`);
//! 2. opens N websocket connections, `--ramp-batch` at a time (each batch's
//!    handshakes finish before the next starts), each subscribing to the
//!    location's checks: GraphQL `checkProcessed(locationId:)` over
//!    graphql-transport-ws (default), or with `--socketio` a raw engine.io v4 /
//!    socket.io v5 client (`40{"token"}`, then `421["watch",{"locationId"}]`);
//! 3. sends warm-up checks until every subscriber has received one (a
//!    graphql-transport-ws subscription has no acknowledgement of its own);
//! 4. runs `processCheck` every `--interval-ms` for `-d` seconds (open loop: a
//!    slow response does not delay the next check) and records, per client
//!    and event, when the event arrived.
//!
//! Latency is an event's arrival at a client minus, per event:
//! - the arrival of the mutation's HTTP response (the brief's measure): the
//!   commit came before, so this is a lower bound of commit → client, and can
//!   be negative when the event wins the race with the response;
//! - the receipt's `processedAt`, the server's clock inside the check's write
//!   transaction just before it commits (same machine, same clock): the
//!   closest to "from the commit", slightly over it;
//! - the time the mutation was sent: an upper bound.
//!
//! Also measured: the server's RSS (`/proc/<pid>/status`) idle, after
//! connecting and its peak; the CPU seconds of the server and of this
//! generator (`/proc/<pid>/stat`) and of the whole machine over the run.
//! Prints a table and then one JSON line (starting with `{`).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

mod support;
use support::{Api, Res, TICKS_PER_SEC, ms, pct, proc_cpu_secs, proc_status_kb, round3, str_at};
type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// What the cashier screen asks for.
const SUBSCRIPTION: &str = "subscription($l: ID!) { checkProcessed(locationId: $l) { checkId guestId externalId totalMinor earned balance available processedAt } }";
const PROCESS: &str = "mutation($i: ProcessCheckInput!) { processCheck(input: $i) { checkId earned balance processedAt } }";

#[derive(Parser, Debug, Clone)]
#[command(about = "Realtime fan-out load generator: N subscribers, a check every 100 ms")]
struct Args {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Websocket subscribers.
    #[arg(short = 'n', long, default_value_t = 10_000)]
    connections: usize,
    /// Seconds of checks.
    #[arg(short = 'd', long, default_value_t = 30)]
    seconds: u64,
    /// Milliseconds between checks.
    #[arg(long, default_value_t = 100)]
    interval_ms: u64,
    /// The server's process id (for its RSS and CPU).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Subscribe through socket.io (engine.io v4 over websocket) instead of GraphQL.
    #[arg(long)]
    socketio: bool,
    /// A staff access token with checks:process (default: sign up a new business).
    #[arg(long)]
    token: Option<String>,
    /// Use this location (default: create one).
    #[arg(long)]
    location_id: Option<String>,
    /// Use this guest (default: create one).
    #[arg(long)]
    guest_id: Option<String>,
    /// Connections opened at once; the next batch starts when this one's handshakes end.
    #[arg(long, default_value_t = 200)]
    ramp_batch: usize,
    /// Pause between batches, milliseconds.
    #[arg(long, default_value_t = 20)]
    ramp_pause_ms: u64,
    /// Seconds to wait for the last deliveries after the last check.
    #[arg(long, default_value_t = 10)]
    grace_secs: u64,
    /// Seconds to wait for every subscriber to receive a warm-up event.
    #[arg(long, default_value_t = 60)]
    warmup_secs: u64,
    /// Seconds to let the server settle before its idle RSS is read (tokio's idle
    /// blocking threads, which hashed the sign-up's password, end after 10 s and
    /// give their memory back).
    #[arg(long, default_value_t = 12)]
    settle_secs: u64,
    /// Tokio worker threads of the generator (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

/// Counters shared by the clients and the driver.
struct Shared {
    t0: Instant,
    /// The wall clock at `t0`, µs since the epoch (to place the server's `processedAt`).
    unix_t0_us: i64,
    /// `fan-<run>-` prefixes measured checks' external ids, `warm-<run>-` warm-up ones.
    fan_marker: String,
    warm_marker: String,
    /// Clients whose handshake ended (subscribed or failed).
    settled: AtomicUsize,
    /// Clients subscribed.
    subscribed: AtomicUsize,
    /// Clients that have received a warm-up event.
    ready: AtomicUsize,
    /// First deliveries of measured events, all clients.
    deliveries: AtomicU64,
    /// Events a client can hold (indexes beyond are ignored).
    max_events: usize,
}

impl Shared {
    fn now_us(&self) -> u64 {
        u64::try_from(self.t0.elapsed().as_micros()).unwrap_or(u64::MAX)
    }
    /// An RFC 3339 time of the server (same machine, same clock) in µs since `t0`.
    fn server_time_us(&self, rfc3339: &str) -> Option<i64> {
        let t = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
        Some(t.timestamp_micros() - self.unix_t0_us)
    }
}

/// What one client saw.
#[derive(Default)]
struct Outcome {
    /// Why it could not subscribe.
    failed: Option<String>,
    /// Received a warm-up event.
    ready: bool,
    /// Why the connection ended before the run did.
    dropped: Option<String>,
    /// (event index, µs since start) of each measured event, first delivery only.
    recv: Vec<(u32, u64)>,
    duplicates: u32,
    /// Other events (socket.io also sends `guest.updated` to staff with `guests:read`).
    other_events: u32,
}

// ---------------------------------------------------------------------------------------
// /proc readings

/// Machine-wide (busy, steal, total) CPU seconds from `/proc/stat`.
fn machine_cpu_secs() -> Option<(f64, f64, f64)> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    let line = text.lines().next()?;
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    let get = |i: usize| v.get(i).copied().unwrap_or(0.0);
    // user nice system idle iowait irq softirq steal
    let busy = get(0) + get(1) + get(2) + get(5) + get(6) + get(7);
    let total = busy + get(3) + get(4);
    Some((
        busy / TICKS_PER_SEC,
        get(7) / TICKS_PER_SEC,
        total / TICKS_PER_SEC,
    ))
}

fn open_files_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    text.lines()
        .find(|l| l.starts_with("Max open files"))?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

#[derive(Clone, Copy, Default)]
struct CpuSnap {
    at: f64,
    server: Option<f64>,
    me: Option<f64>,
    machine: Option<(f64, f64, f64)>,
}

fn cpu_snap(shared: &Shared, server_pid: Option<&str>) -> CpuSnap {
    CpuSnap {
        at: shared.t0.elapsed().as_secs_f64(),
        server: server_pid.and_then(proc_cpu_secs),
        me: proc_cpu_secs("self"),
        machine: machine_cpu_secs(),
    }
}

/// CPU use between two snapshots: seconds and cores (seconds per wall second).
#[derive(Clone, Copy, Default)]
struct CpuUse {
    wall: f64,
    server: Option<f64>,
    me: Option<f64>,
    machine_busy: Option<f64>,
    steal: Option<f64>,
}

impl CpuUse {
    fn between(a: CpuSnap, b: CpuSnap) -> Self {
        let d = |x: Option<f64>, y: Option<f64>| Some(y? - x?);
        Self {
            wall: b.at - a.at,
            server: d(a.server, b.server),
            me: d(a.me, b.me),
            machine_busy: d(a.machine.map(|m| m.0), b.machine.map(|m| m.0)),
            steal: d(a.machine.map(|m| m.1), b.machine.map(|m| m.1)),
        }
    }
    fn other(&self) -> Option<f64> {
        // Tick rounding can make it slightly negative on an idle machine.
        Some((self.machine_busy? - self.server? - self.me?).max(0.0))
    }
    fn json(&self) -> Value {
        json!({
            "wall_s": round3(self.wall),
            "server_cpu_s": self.server.map(round3),
            "generator_cpu_s": self.me.map(round3),
            "machine_busy_cpu_s": self.machine_busy.map(round3),
            "other_cpu_s": self.other().map(round3),
            "steal_cpu_s": self.steal.map(round3),
        })
    }
}

// ---------------------------------------------------------------------------------------
// GraphQL over HTTP

/// Token, location and guest for the run.
async fn setup(api: &Api, args: &Args, run: &str) -> Res<(String, String, String)> {
    let (token, location) = api
        .owner_and_location(
            args.token.as_deref(),
            args.location_id.as_deref(),
            "Fan-out",
            "fanout",
            run,
        )
        .await?;
    let guest = match &args.guest_id {
        Some(g) => g.clone(),
        None => {
            let digits: u64 = run.parse::<u64>().unwrap_or(0) % 10_000_000;
            let d = api
                .gql(
                    Some(&token),
                    "mutation($i: CreateGuestInput!) { createGuest(input: $i) { id } }",
                    json!({ "i": { "phone": format!("+7916{digits:07}"), "name": "Fan-out guest" } }),
                )
                .await?;
            str_at(&d, "/createGuest/id")?
        }
    };
    Ok((token, location, guest))
}

// ---------------------------------------------------------------------------------------
// Clients

fn ws_config() -> WebSocketConfig {
    // tungstenite zero-fills its whole read buffer (128 KiB by default) on the first
    // read: 10 000 of them would be 1.3 GB of the generator's memory.
    WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0)
}

async fn open_ws(url: &str, protocol: Option<&str>) -> Res<Ws> {
    let mut req = url.into_client_request()?;
    if let Some(p) = protocol {
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", p.parse()?);
    }
    let (ws, _) = tokio::time::timeout(
        Duration::from_secs(30),
        tokio_tungstenite::connect_async_with_config(req, Some(ws_config()), true),
    )
    .await
    .map_err(|_| "websocket connect timed out")??;
    Ok(ws)
}

/// The next text message within 30 s (the callers answer pings).
async fn next_text(ws: &mut Ws) -> Res<String> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .map_err(|_| "no answer in 30 s")?
            .ok_or("closed by the server")??;
        match msg {
            Message::Text(t) => return Ok(t.as_str().to_owned()),
            Message::Close(c) => return Err(format!("closed by the server: {c:?}").into()),
            _ => {}
        }
    }
}

/// graphql-transport-ws: connection_init with the token, then one subscription.
async fn handshake_graphql(ws_base: &str, token: &str, location: &str) -> Res<Ws> {
    let mut ws = open_ws(
        &format!("{ws_base}/graphql/ws"),
        Some("graphql-transport-ws"),
    )
    .await?;
    ws.send(Message::text(
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } })
            .to_string(),
    ))
    .await?;
    loop {
        let t = next_text(&mut ws).await?;
        let v: Value = serde_json::from_str(&t)?;
        match v["type"].as_str() {
            Some("connection_ack") => break,
            Some("ping") => {
                ws.send(Message::text(r#"{"type":"pong"}"#)).await?;
            }
            _ => return Err(format!("instead of connection_ack: {t}").into()),
        }
    }
    ws.send(Message::text(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": SUBSCRIPTION, "variables": { "l": location } } })
            .to_string(),
    ))
    .await?;
    Ok(ws)
}

/// engine.io v4 open, socket.io v5 CONNECT with the token, then `watch` with its ack.
async fn handshake_socketio(ws_base: &str, token: &str, location: &str) -> Res<Ws> {
    let mut ws = open_ws(
        &format!("{ws_base}/socket.io/?EIO=4&transport=websocket"),
        None,
    )
    .await?;
    let open = next_text(&mut ws).await?;
    if !open.starts_with("0{") {
        return Err(format!("instead of the engine.io open packet: {open}").into());
    }
    ws.send(Message::text(format!("40{}", json!({ "token": token }))))
        .await?;
    loop {
        let t = next_text(&mut ws).await?;
        if t == "2" {
            ws.send(Message::text("3")).await?;
        } else if t.starts_with("40") {
            break;
        } else {
            return Err(format!("instead of the CONNECT answer: {t}").into());
        }
    }
    ws.send(Message::text(format!(
        "421{}",
        json!(["watch", { "locationId": location }])
    )))
    .await?;
    loop {
        let t = next_text(&mut ws).await?;
        if t == "2" {
            ws.send(Message::text("3")).await?;
        } else if let Some(ack) = t.strip_prefix("431") {
            let v: Value = serde_json::from_str(ack)?;
            if v.pointer("/0/ok") == Some(&Value::Bool(true)) {
                break;
            }
            return Err(format!("watch refused: {t}").into());
        } else if t.starts_with("42") {
            // An event before the ack: ignore (the warm-up phase waits for them).
        } else {
            return Err(format!("instead of the watch ack: {t}").into());
        }
    }
    Ok(ws)
}

/// The index after `marker` in `text` (`…fan-<run>-<index>…`).
fn index_after(text: &str, marker: &str) -> Option<usize> {
    let at = text.find(marker)? + marker.len();
    let digits: &str = &text[at..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

async fn client(
    shared: Arc<Shared>,
    socketio: bool,
    ws_base: Arc<str>,
    token: Arc<str>,
    location: Arc<str>,
    mut stop: watch::Receiver<bool>,
) -> Outcome {
    let mut out = Outcome::default();
    let hs = if socketio {
        handshake_socketio(&ws_base, &token, &location).await
    } else {
        handshake_graphql(&ws_base, &token, &location).await
    };
    let mut ws = match hs {
        Ok(ws) => {
            shared.subscribed.fetch_add(1, Ordering::Relaxed);
            shared.settled.fetch_add(1, Ordering::Release);
            ws
        }
        Err(e) => {
            out.failed = Some(e.to_string());
            shared.settled.fetch_add(1, Ordering::Release);
            return out;
        }
    };
    let mut seen = vec![false; shared.max_events];
    out.recv.reserve(shared.max_events);
    loop {
        let msg = tokio::select! {
            _ = stop.changed() => break,
            m = ws.next() => m,
        };
        let text = match msg {
            None => {
                out.dropped = Some("closed by the server".into());
                break;
            }
            Some(Err(e)) => {
                out.dropped = Some(e.to_string());
                break;
            }
            Some(Ok(Message::Close(c))) => {
                out.dropped = Some(format!("close frame {c:?}"));
                break;
            }
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(_)) => continue,
        };
        let at = shared.now_us();
        let t = text.as_str();
        let is_event = if socketio {
            t.starts_with("42")
        } else {
            t.contains(r#""type":"next""#)
        };
        if is_event {
            if let Some(i) = index_after(t, &shared.fan_marker) {
                if i < seen.len() {
                    if seen[i] {
                        out.duplicates += 1;
                    } else {
                        seen[i] = true;
                        out.recv.push((u32::try_from(i).unwrap_or(u32::MAX), at));
                        shared.deliveries.fetch_add(1, Ordering::Relaxed);
                    }
                }
            } else if t.contains(&shared.warm_marker) {
                if !out.ready {
                    out.ready = true;
                    shared.ready.fetch_add(1, Ordering::Relaxed);
                }
            } else {
                out.other_events += 1;
            }
            continue;
        }
        let reply = if socketio {
            match t {
                "2" => Some("3"),
                _ if t.starts_with("41") || t == "1" => {
                    out.dropped = Some(format!("disconnected by the server: {t}"));
                    break;
                }
                _ => None,
            }
        } else if t.contains(r#""type":"ping""#) {
            Some(r#"{"type":"pong"}"#)
        } else if t.contains(r#""type":"error""#) || t.contains(r#""type":"complete""#) {
            out.dropped = Some(format!("subscription ended: {t}"));
            break;
        } else {
            None
        };
        if let Some(r) = reply
            && let Err(e) = ws.send(Message::text(r)).await
        {
            out.dropped = Some(e.to_string());
            break;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Statistics

/// Nearest-rank percentile of sorted values.

#[derive(Clone, Copy)]
struct Dist {
    n: usize,
    min: i64,
    p50: i64,
    p95: i64,
    p99: i64,
    max: i64,
}

fn dist(mut v: Vec<i64>) -> Option<Dist> {
    v.sort_unstable();
    Some(Dist {
        n: v.len(),
        min: *v.first()?,
        p50: pct(&v, 50.0)?,
        p95: pct(&v, 95.0)?,
        p99: pct(&v, 99.0)?,
        max: *v.last()?,
    })
}

fn dist_json(d: Option<Dist>) -> Value {
    d.map_or(Value::Null, |d| {
        json!({ "n": d.n, "min_ms": ms(d.min), "p50_ms": ms(d.p50), "p95_ms": ms(d.p95), "p99_ms": ms(d.p99), "max_ms": ms(d.max) })
    })
}

fn dist_row(name: &str, d: Option<Dist>) -> String {
    match d {
        Some(d) => format!(
            "  {name:<50} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>8.1}  (n={})",
            ms(d.p50),
            ms(d.p95),
            ms(d.p99),
            ms(d.max),
            ms(d.min),
            d.n
        ),
        None => format!("  {name:<50} (no data)"),
    }
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(|| "-".into(), |k| format!("{:.1} MB", k as f64 / 1024.0))
}

fn secs_cores(s: Option<f64>, wall: f64) -> String {
    s.map_or_else(
        || "-".into(),
        |s| format!("{s:.2} s ({:.2} cores)", s / wall.max(1e-9)),
    )
}

// ---------------------------------------------------------------------------------------

struct Check {
    index: usize,
    sent_us: u64,
    resp_us: u64,
    /// The receipt's `processedAt`: the server's clock in the check's write
    /// transaction, just before its commit (µs since `t0`).
    processed_us: Option<i64>,
    error: Option<String>,
}

async fn send_check(
    api: Arc<Api>,
    shared: Arc<Shared>,
    token: Arc<str>,
    location: Arc<str>,
    guest: Arc<str>,
    index: usize,
    external_id: String,
) -> Check {
    let sent_us = shared.now_us();
    let total = 10_000 + (index as u64 * 7_919) % 490_000;
    let r = api
        .gql(
            Some(&token),
            PROCESS,
            json!({ "i": { "locationId": &*location, "guest": { "id": &*guest }, "totalMinor": total, "externalId": external_id } }),
        )
        .await;
    let resp_us = shared.now_us();
    match r {
        Ok(v) => Check {
            index,
            sent_us,
            resp_us,
            processed_us: v
                .pointer("/processCheck/processedAt")
                .and_then(Value::as_str)
                .and_then(|t| shared.server_time_us(t)),
            error: None,
        },
        Err(e) => Check {
            index,
            sent_us,
            resp_us,
            processed_us: None,
            error: Some(e.to_string()),
        },
    }
}

fn main() -> Res<()> {
    let args = Args::parse();
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if let Some(t) = args.threads {
        rt.worker_threads(t);
    }
    rt.enable_all().build()?.block_on(run(args))
}

#[allow(clippy::too_many_lines)]
async fn run(args: Args) -> Res<()> {
    let n = args.connections;
    let mode = if args.socketio { "socketio" } else { "graphql" };
    if let Some(limit) = open_files_limit()
        && limit < n as u64 + 64
    {
        return Err(format!(
            "the open-files limit is {limit}, {n} connections need more: `ulimit -n {}` first",
            n + 1024
        )
        .into());
    }
    let server_pid = args.server_pid.map(|p| p.to_string());
    let spid = server_pid.as_deref();
    if let Some(p) = spid
        && proc_status_kb(p, "VmRSS:").is_none()
    {
        return Err(format!("no process {p} to measure").into());
    }
    let run_id = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis()
        .to_string();
    let base = args.url.trim_end_matches('/').to_owned();
    let ws_base: Arc<str> = base
        .replacen("http://", "ws://", 1)
        .replacen("https://", "wss://", 1)
        .into();
    let api = Arc::new(Api {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .build()?,
        url: format!("{base}/graphql"),
    });
    let interval = Duration::from_millis(args.interval_ms.max(1));
    let events = usize::try_from(args.seconds * 1000 / args.interval_ms.max(1))?;
    let shared = Arc::new(Shared {
        t0: Instant::now(),
        unix_t0_us: chrono::Utc::now().timestamp_micros(),
        fan_marker: format!("fan-{run_id}-"),
        warm_marker: format!("warm-{run_id}-"),
        settled: AtomicUsize::new(0),
        subscribed: AtomicUsize::new(0),
        ready: AtomicUsize::new(0),
        deliveries: AtomicU64::new(0),
        max_events: events,
    });

    eprintln!("[fanout] {mode}: setting up a business on {base}");
    let (token, location, guest) = setup(&api, &args, &run_id).await?;
    let (token, location, guest): (Arc<str>, Arc<str>, Arc<str>) =
        (token.into(), location.into(), guest.into());
    // One check before measuring: warms the server's caches and this client's pool.
    send_check(
        Arc::clone(&api),
        Arc::clone(&shared),
        Arc::clone(&token),
        Arc::clone(&location),
        Arc::clone(&guest),
        0,
        format!("pre-{run_id}"),
    )
    .await
    .error
    .map_or(Ok(()), Err)?;
    tokio::time::sleep(Duration::from_secs(args.settle_secs)).await;
    let rss_idle = spid.and_then(|p| proc_status_kb(p, "VmRSS:"));
    let gen_rss_idle = proc_status_kb("self", "VmRSS:");

    // RSS sampler: (µs, server kB, generator kB) every 100 ms.
    let samples: Arc<Mutex<Vec<(u64, u64, u64)>>> = Arc::default();
    let (stop_tx, stop_rx) = watch::channel(false);
    let sampler = {
        let samples = Arc::clone(&samples);
        let shared = Arc::clone(&shared);
        let pid = server_pid.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tokio::select! {
                    _ = stop.changed() => break,
                    _ = tick.tick() => {}
                }
                let s = pid
                    .as_deref()
                    .and_then(|p| proc_status_kb(p, "VmRSS:"))
                    .unwrap_or(0);
                let g = proc_status_kb("self", "VmRSS:").unwrap_or(0);
                if let Ok(mut v) = samples.lock() {
                    v.push((shared.now_us(), s, g));
                }
            }
        })
    };

    // ---- connect --------------------------------------------------------------------------
    eprintln!(
        "[fanout] opening {n} websocket connections, {} at a time",
        args.ramp_batch
    );
    let connect_start = cpu_snap(&shared, spid);
    let mut clients = Vec::with_capacity(n);
    let batch = args.ramp_batch.max(1);
    while clients.len() < n {
        let upto = (clients.len() + batch).min(n);
        while clients.len() < upto {
            clients.push(tokio::spawn(client(
                Arc::clone(&shared),
                args.socketio,
                Arc::clone(&ws_base),
                Arc::clone(&token),
                Arc::clone(&location),
                stop_rx.clone(),
            )));
        }
        while shared.settled.load(Ordering::Acquire) < upto {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        if clients.len() < n {
            tokio::time::sleep(Duration::from_millis(args.ramp_pause_ms)).await;
        }
    }
    let subscribed = shared.subscribed.load(Ordering::Relaxed);
    if subscribed == 0 {
        stop_tx.send(true)?;
        let first = match clients.into_iter().next() {
            Some(h) => h.await?.failed.unwrap_or_default(),
            None => String::new(),
        };
        return Err(format!("no connection could subscribe; the first one: {first}").into());
    }
    let connect_end = cpu_snap(&shared, spid);
    let connect_cpu = CpuUse::between(connect_start, connect_end);
    eprintln!(
        "[fanout] {subscribed} of {n} subscribed in {:.1} s; warming up",
        connect_cpu.wall
    );

    // ---- warm-up: every subscription delivers ---------------------------------------------
    let warm_start = Instant::now();
    let mut warm_checks = 0usize;
    while shared.ready.load(Ordering::Relaxed) < subscribed
        && warm_start.elapsed() < Duration::from_secs(args.warmup_secs)
    {
        let c = send_check(
            Arc::clone(&api),
            Arc::clone(&shared),
            Arc::clone(&token),
            Arc::clone(&location),
            Arc::clone(&guest),
            warm_checks,
            format!("warm-{run_id}-{warm_checks}"),
        )
        .await;
        if let Some(e) = c.error {
            eprintln!("[fanout] warm-up check failed: {e}");
        }
        warm_checks += 1;
        let until = Instant::now() + Duration::from_millis(1000);
        while Instant::now() < until && shared.ready.load(Ordering::Relaxed) < subscribed {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let ready = shared.ready.load(Ordering::Relaxed);
    let warmup_s = warm_start.elapsed().as_secs_f64();
    eprintln!(
        "[fanout] {ready} of {subscribed} received a warm-up event ({warm_checks} checks, {warmup_s:.1} s)"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_connected = spid.and_then(|p| proc_status_kb(p, "VmRSS:"));
    let gen_rss_connected = proc_status_kb("self", "VmRSS:");

    // ---- run ------------------------------------------------------------------------------
    eprintln!(
        "[fanout] a check every {} ms for {} s ({events} checks)",
        args.interval_ms, args.seconds
    );
    let run_start_us = shared.now_us();
    let run_start = cpu_snap(&shared, spid);
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut checks = Vec::with_capacity(events);
    for i in 0..events {
        tick.tick().await;
        checks.push(tokio::spawn(send_check(
            Arc::clone(&api),
            Arc::clone(&shared),
            Arc::clone(&token),
            Arc::clone(&location),
            Arc::clone(&guest),
            i,
            format!("fan-{run_id}-{i}"),
        )));
    }
    let mut results: Vec<Option<Check>> = (0..events).map(|_| None).collect();
    let mut check_errors = Vec::new();
    for h in checks {
        let c = h.await?;
        if let Some(e) = &c.error {
            check_errors.push(format!("check {}: {e}", c.index));
        }
        let i = c.index;
        results[i] = Some(c);
    }
    let ok_events = results
        .iter()
        .filter(|c| c.as_ref().is_some_and(|c| c.error.is_none()))
        .count();
    let expected_deliveries = (ok_events * subscribed) as u64;
    let grace_start = Instant::now();
    while shared.deliveries.load(Ordering::Relaxed) < expected_deliveries
        && grace_start.elapsed() < Duration::from_secs(args.grace_secs)
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let run_end = cpu_snap(&shared, spid);
    let run_cpu = CpuUse::between(run_start, run_end);
    let run_end_us = shared.now_us();
    stop_tx.send(true)?;
    sampler.await?;
    let mut outcomes = Vec::with_capacity(n);
    for h in clients {
        outcomes.push(h.await?);
    }

    // ---- figures --------------------------------------------------------------------------
    let failed: Vec<&String> = outcomes.iter().filter_map(|o| o.failed.as_ref()).collect();
    let dropped: Vec<&String> = outcomes.iter().filter_map(|o| o.dropped.as_ref()).collect();
    let not_ready = outcomes
        .iter()
        .filter(|o| o.failed.is_none() && !o.ready)
        .count();
    let duplicates: u64 = outcomes.iter().map(|o| u64::from(o.duplicates)).sum();
    let other_events: u64 = outcomes.iter().map(|o| u64::from(o.other_events)).sum();
    let mut per_event_last: Vec<Option<u64>> = vec![None; events];
    let mut per_event_count = vec![0usize; events];
    let mut all_from_resp = Vec::with_capacity(usize::try_from(expected_deliveries)?);
    let mut all_from_send = Vec::with_capacity(usize::try_from(expected_deliveries)?);
    let mut all_from_commit = Vec::with_capacity(usize::try_from(expected_deliveries)?);
    let mut missed_total = 0usize;
    let mut clients_missing = 0usize;
    for o in outcomes.iter().filter(|o| o.failed.is_none()) {
        let mut got = 0usize;
        for &(i, at) in &o.recv {
            let i = i as usize;
            let Some(Some(c)) = results.get(i) else {
                continue;
            };
            if c.error.is_some() {
                continue;
            }
            got += 1;
            per_event_count[i] += 1;
            per_event_last[i] = Some(per_event_last[i].map_or(at, |m: u64| m.max(at)));
            all_from_resp.push(at as i64 - c.resp_us as i64);
            all_from_send.push(at as i64 - c.sent_us as i64);
            if let Some(p) = c.processed_us {
                all_from_commit.push(at as i64 - p);
            }
        }
        if got < ok_events {
            missed_total += ok_events - got;
            clients_missing += 1;
        }
    }
    let mut last_from_resp = Vec::new();
    let mut last_from_send = Vec::new();
    let mut last_from_commit = Vec::new();
    let mut mutation_ms = Vec::new();
    let mut before_commit = Vec::new();
    let mut after_commit = Vec::new();
    let mut events_not_everywhere = 0usize;
    for (i, c) in results.iter().enumerate() {
        let Some(c) = c else { continue };
        if c.error.is_some() {
            continue;
        }
        mutation_ms.push(c.resp_us as i64 - c.sent_us as i64);
        if let Some(p) = c.processed_us {
            before_commit.push(p - c.sent_us as i64);
            after_commit.push(c.resp_us as i64 - p);
        }
        if per_event_count[i] < subscribed {
            events_not_everywhere += 1;
        }
        if let Some(last) = per_event_last[i] {
            last_from_resp.push(last as i64 - c.resp_us as i64);
            last_from_send.push(last as i64 - c.sent_us as i64);
            if let Some(p) = c.processed_us {
                last_from_commit.push(last as i64 - p);
            }
        }
    }
    let d_last_resp = dist(last_from_resp);
    let d_last_send = dist(last_from_send);
    let d_all_resp = dist(all_from_resp);
    let d_all_send = dist(all_from_send);
    let d_mutation = dist(mutation_ms);
    let d_last_commit = dist(last_from_commit);
    let d_all_commit = dist(all_from_commit);
    let d_before_commit = dist(before_commit);
    let d_after_commit = dist(after_commit);

    let samples = samples.lock().map(|v| v.clone()).unwrap_or_default();
    let peak = |from: u64, to: u64, pick: fn(&(u64, u64, u64)) -> u64| {
        samples
            .iter()
            .filter(|s| s.0 >= from && s.0 <= to)
            .map(pick)
            .max()
    };
    let connect_from_us = (connect_start.at * 1e6) as u64;
    let rss_peak_all = peak(connect_from_us, u64::MAX, |s| s.1).filter(|_| spid.is_some());
    let rss_peak_run = peak(run_start_us, run_end_us, |s| s.1).filter(|_| spid.is_some());
    let gen_rss_peak = peak(connect_from_us, u64::MAX, |s| s.2);
    let hwm = spid.and_then(|p| proc_status_kb(p, "VmHWM:"));
    let per_conn_kb = match (rss_idle, rss_connected) {
        (Some(a), Some(b)) if subscribed > 0 => Some((b as f64 - a as f64) / subscribed as f64),
        _ => None,
    };
    let gen_per_conn_kb = match (gen_rss_idle, gen_rss_connected) {
        (Some(a), Some(b)) if subscribed > 0 => Some((b as f64 - a as f64) / subscribed as f64),
        _ => None,
    };
    let delivered: usize = outcomes
        .iter()
        .filter(|o| o.failed.is_none())
        .map(|o| o.recv.len())
        .sum();

    // Targets of issue 5.
    let under = |d: Option<Dist>| d.is_some_and(|d| ms(d.p99) < 250.0);
    let target_latency = under(d_last_resp);
    let target_latency_commit = under(d_last_commit);
    let target_rss = rss_peak_all.is_some_and(|k| (k as f64 / 1024.0) < 600.0);
    let target_conns = failed.is_empty() && dropped.is_empty() && not_ready == 0;
    let target_drops = missed_total == 0 && check_errors.is_empty();

    println!();
    println!(
        "Fan-out ({mode}): {n} subscribers, one tenant, a check every {} ms for {} s",
        args.interval_ms, args.seconds
    );
    println!(
        "  connections: {subscribed} subscribed, {} failed, {} dropped during the run, {not_ready} never got the warm-up event",
        failed.len(),
        dropped.len()
    );
    println!(
        "  connecting:  {:.1} s ({:.0}/s), server {} , generator {}",
        connect_cpu.wall,
        subscribed as f64 / connect_cpu.wall.max(1e-9),
        secs_cores(connect_cpu.server, connect_cpu.wall),
        secs_cores(connect_cpu.me, connect_cpu.wall)
    );
    println!("  warm-up:     {warm_checks} checks, {warmup_s:.1} s until every subscriber had one");
    println!(
        "  checks:      {ok_events} of {events} ok ({} errors); deliveries {delivered} of {expected_deliveries} expected; \
         {missed_total} missed by {clients_missing} clients; {events_not_everywhere} events did not reach every client; {duplicates} duplicates; {other_events} other events",
        check_errors.len()
    );
    println!(
        "  {:<50} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "latency, ms", "p50", "p95", "p99", "max", "min"
    );
    println!(
        "{}",
        dist_row("to the last client, per event (from response)", d_last_resp)
    );
    println!(
        "{}",
        dist_row("to the last client, per event (from send)", d_last_send)
    );
    println!("{}", dist_row("every delivery (from response)", d_all_resp));
    println!("{}", dist_row("every delivery (from send)", d_all_send));
    println!(
        "{}",
        dist_row(
            "to the last client, per event (from processedAt)",
            d_last_commit
        )
    );
    println!(
        "{}",
        dist_row("every delivery (from processedAt)", d_all_commit)
    );
    println!("{}", dist_row("processCheck round trip", d_mutation));
    println!(
        "{}",
        dist_row("  of which send to processedAt", d_before_commit)
    );
    println!(
        "{}",
        dist_row("  of which processedAt to response", d_after_commit)
    );
    println!(
        "  server RSS:  idle {}, connected {}, peak {} (peak during the checks {}, VmHWM {})",
        mb(rss_idle),
        mb(rss_connected),
        mb(rss_peak_all),
        mb(rss_peak_run),
        mb(hwm)
    );
    println!(
        "  per connection: server {}, generator {}",
        per_conn_kb.map_or_else(|| "-".into(), |k| format!("{k:.1} KB")),
        gen_per_conn_kb.map_or_else(|| "-".into(), |k| format!("{k:.1} KB"))
    );
    println!(
        "  generator RSS: idle {}, connected {}, peak {}",
        mb(gen_rss_idle),
        mb(gen_rss_connected),
        mb(gen_rss_peak)
    );
    println!(
        "  CPU during the checks ({:.1} s): server {}, generator {}, everything else {}, steal {}",
        run_cpu.wall,
        secs_cores(run_cpu.server, run_cpu.wall),
        secs_cores(run_cpu.me, run_cpu.wall),
        secs_cores(run_cpu.other(), run_cpu.wall),
        secs_cores(run_cpu.steal, run_cpu.wall)
    );
    println!(
        "  targets: p99 to the last client < 250 ms: {} from the response, {} from processedAt; server RSS < 600 MB: {}; no failed or dropped connections: {}; no missed events: {}",
        if target_latency { "met" } else { "MISSED" },
        if target_latency_commit {
            "met"
        } else {
            "MISSED"
        },
        if spid.is_none() {
            "not measured"
        } else if target_rss {
            "met"
        } else {
            "MISSED"
        },
        if target_conns { "met" } else { "MISSED" },
        if target_drops { "met" } else { "MISSED" },
    );
    let mut reasons: Vec<String> = failed.iter().map(|s| format!("failed: {s}")).collect();
    reasons.extend(dropped.iter().map(|s| format!("dropped: {s}")));
    reasons.extend(check_errors.iter().cloned());
    let uniq: HashSet<&String> = reasons.iter().collect();
    for r in uniq.iter().take(5) {
        println!("  e.g. {}", r.chars().take(300).collect::<String>());
    }
    let report = json!({
        "mode": mode,
        "connections": n,
        "seconds": args.seconds,
        "interval_ms": args.interval_ms,
        "subscribed": subscribed,
        "failed": failed.len(),
        "dropped": dropped.len(),
        "never_warmed_up": not_ready,
        "connect_s": round3(connect_cpu.wall),
        "connect_cpu": connect_cpu.json(),
        "warmup_checks": warm_checks,
        "checks_sent": events,
        "checks_ok": ok_events,
        "check_errors": check_errors.len(),
        "deliveries": delivered,
        "deliveries_expected": expected_deliveries,
        "missed": missed_total,
        "clients_missing_events": clients_missing,
        "duplicates": duplicates,
        "other_events": other_events,
        "latency_last_client_from_response": dist_json(d_last_resp),
        "latency_last_client_from_send": dist_json(d_last_send),
        "latency_all_from_response": dist_json(d_all_resp),
        "latency_all_from_send": dist_json(d_all_send),
        "latency_last_client_from_processed_at": dist_json(d_last_commit),
        "latency_all_from_processed_at": dist_json(d_all_commit),
        "process_check_round_trip": dist_json(d_mutation),
        "process_check_send_to_processed_at": dist_json(d_before_commit),
        "process_check_processed_at_to_response": dist_json(d_after_commit),
        "server_rss_kb": { "idle": rss_idle, "connected": rss_connected, "peak": rss_peak_all, "peak_during_checks": rss_peak_run, "vm_hwm": hwm },
        "server_kb_per_connection": per_conn_kb.map(round3),
        "generator_rss_kb": { "idle": gen_rss_idle, "connected": gen_rss_connected, "peak": gen_rss_peak },
        "generator_kb_per_connection": gen_per_conn_kb.map(round3),
        "run_cpu": run_cpu.json(),
        "targets_met": { "p99_latency": target_latency, "p99_latency_from_processed_at": target_latency_commit, "rss": spid.map(|_| target_rss), "connections": target_conns, "no_missed_events": target_drops },
    });
    println!("{report}");
    Ok(())
}
