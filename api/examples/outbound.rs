//! Outbound webhook delivery benchmark (issue 4: "outbound deliveries ≥ 1 000/s
//! to a local receiver"): Standard Webhooks deliveries, signed, through the
//! durable job queue, counted and verified by a receiver in this process.
//!
//! ```text
//! cargo run --release -p api --example outbound -- --url http://127.0.0.1:8080 \
//!     [-n 20000] [--go-file /tmp/go] [--server-pid PID] [--pg-match ROLE]
//! ```
//!
//! The server must run with `MAXLOYALTY_WEBHOOKS_ALLOW_PRIVATE=true` (the
//! receiver is on 127.0.0.1), and so must the worker that delivers.
//!
//! 1. starts an HTTP receiver on 127.0.0.1 (`POST /hook`) that answers 200 at
//!    once, verifies every `webhook-signature` itself (HMAC-SHA256 over
//!    `{id}.{timestamp}.{body}` keyed with the base64 after `whsec_`; its own
//!    SHA-256, checked against the published Standard Webhooks vector and the
//!    server's signer at start), and records each `webhook-id` and its arrival;
//! 2. signs up a business over GraphQL (or uses `--token`), creates a location
//!    and `--guests` guests, and a webhook endpoint for `check.processed`
//!    pointing at the receiver;
//! 3. sends N `processCheck` at `--concurrency` (closed loop, a failed check is
//!    retried with the same `externalId`, which is idempotent);
//! 4. prints `READY` on stdout and, with `--go-file`, waits until that file
//!    exists: `<unix ns when the worker was started> [<worker pid>]`, written
//!    by the bench script when it has started `maxloyalty worker` (the
//!    server's own worker is off, so the jobs piled up meanwhile). Without
//!    `--go-file` it measures from `READY`;
//! 5. waits for the N distinct deliveries (or `--timeout-secs`), then
//!    `--grace-secs` more for duplicates, and prints the figures and one JSON
//!    line (starting with `{`).
//!
//! By default the bench script first runs a worker that claims only the
//! fan-out jobs (`events.fanout`, which enqueues a `webhooks.deliver` job
//! each), so the measured worker finds delivery jobs alone; with
//! `BENCH_MIXED=1` one worker does both, each delivery right after its
//! event's fan-out (a first attempt is due at its event's time), and
//! "worker start → first delivery" is its start-up plus one fan-out.
//! Latency (arrival − the event's `occurredAt`, which is the check's
//! `processedAt`, same machine and clock) includes the pile-up.
//!
//! CPU (from `/proc`): the worker (`--go-file` pid; a fresh process, so from
//! 0), the server (`--server-pid`), PostgreSQL backends whose process title
//! contains `--pg-match` (the application role's connections), this tool,
//! and the whole machine; the worker's RSS is sampled every 100 ms.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clap::Parser;
use domain::webhooks::WebhookSigner;
use futures_util::StreamExt;
use poem::http::StatusCode;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Data;
use poem::{EndpointExt, Request, Route, Server, handler, post};
use serde_json::{Value, json};

mod support;
use support::{Api, Res, TICKS_PER_SEC, ms, pct, proc_cpu_secs, proc_status_kb, round3, str_at};

const PROCESS: &str =
    "mutation($i: ProcessCheckInput!) { processCheck(input: $i) { checkId processedAt } }";
const CREATE_ENDPOINT: &str = "mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id url eventTypes } secret } }";

/// Standard Webhooks: reject timestamps further than this from our clock.
const TOLERANCE_SECS: i64 = 300;

#[derive(Parser, Debug, Clone)]
#[command(about = "Outbound webhook delivery benchmark: N checks, a local receiver, deliveries/s")]
struct Args {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Checks to process (one `check.processed` delivery each).
    #[arg(short = 'n', long, default_value_t = 20_000)]
    checks: usize,
    /// `processCheck` requests in flight.
    #[arg(short = 'c', long, default_value_t = 16)]
    concurrency: usize,
    /// Guests the checks are spread over (one guest's checks wait on its account's lock).
    #[arg(long, default_value_t = 50)]
    guests: usize,
    /// An owner's access token (default: sign up a new business).
    #[arg(long)]
    token: Option<String>,
    /// Use this location (default: create one).
    #[arg(long)]
    location_id: Option<String>,
    /// After `READY`, wait for this file: `<unix ns of the worker's start> [<worker pid>]`.
    #[arg(long)]
    go_file: Option<PathBuf>,
    /// The server's process id (for its CPU).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Sum the CPU of PostgreSQL backends whose process title contains this (e.g. the role).
    #[arg(long)]
    pg_match: Option<String>,
    /// Seconds to wait for the go file after `READY`.
    #[arg(long, default_value_t = 600)]
    ready_timeout_secs: u64,
    /// Seconds to wait for every delivery after the worker started.
    #[arg(long, default_value_t = 1800)]
    timeout_secs: u64,
    /// Seconds to keep receiving after the last delivery (to count duplicates).
    #[arg(long, default_value_t = 3)]
    grace_secs: u64,
    /// The receiver's port on 127.0.0.1 (0: any free one).
    #[arg(long, default_value_t = 0)]
    receiver_port: u16,
    /// The target, deliveries per second.
    #[arg(long, default_value_t = 1000.0)]
    target: f64,
    /// Tokio worker threads of this tool (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

// ---------------------------------------------------------------------------------------
// SHA-256 and HMAC (FIPS 180-4, RFC 2104), written out here so that the receiver checks
// the server's signatures with code that shares nothing with it.

mod sha256 {
    const K: [u32; 64] = [
        0x428a_2f98,
        0x7137_4491,
        0xb5c0_fbcf,
        0xe9b5_dba5,
        0x3956_c25b,
        0x59f1_11f1,
        0x923f_82a4,
        0xab1c_5ed5,
        0xd807_aa98,
        0x1283_5b01,
        0x2431_85be,
        0x550c_7dc3,
        0x72be_5d74,
        0x80de_b1fe,
        0x9bdc_06a7,
        0xc19b_f174,
        0xe49b_69c1,
        0xefbe_4786,
        0x0fc1_9dc6,
        0x240c_a1cc,
        0x2de9_2c6f,
        0x4a74_84aa,
        0x5cb0_a9dc,
        0x76f9_88da,
        0x983e_5152,
        0xa831_c66d,
        0xb003_27c8,
        0xbf59_7fc7,
        0xc6e0_0bf3,
        0xd5a7_9147,
        0x06ca_6351,
        0x1429_2967,
        0x27b7_0a85,
        0x2e1b_2138,
        0x4d2c_6dfc,
        0x5338_0d13,
        0x650a_7354,
        0x766a_0abb,
        0x81c2_c92e,
        0x9272_2c85,
        0xa2bf_e8a1,
        0xa81a_664b,
        0xc24b_8b70,
        0xc76c_51a3,
        0xd192_e819,
        0xd699_0624,
        0xf40e_3585,
        0x106a_a070,
        0x19a4_c116,
        0x1e37_6c08,
        0x2748_774c,
        0x34b0_bcb5,
        0x391c_0cb3,
        0x4ed8_aa4a,
        0x5b9c_ca4f,
        0x682e_6ff3,
        0x748f_82ee,
        0x78a5_636f,
        0x84c8_7814,
        0x8cc7_0208,
        0x90be_fffa,
        0xa450_6ceb,
        0xbef9_a3f7,
        0xc671_78f2,
    ];
    const H0: [u32; 8] = [
        0x6a09_e667,
        0xbb67_ae85,
        0x3c6e_f372,
        0xa54f_f53a,
        0x510e_527f,
        0x9b05_688c,
        0x1f83_d9ab,
        0x5be0_cd19,
    ];

    /// A running SHA-256.
    pub struct Sha256 {
        h: [u32; 8],
        buf: [u8; 64],
        filled: usize,
        len: u64,
    }

    impl Sha256 {
        pub fn new() -> Self {
            Self {
                h: H0,
                buf: [0; 64],
                filled: 0,
                len: 0,
            }
        }

        fn block(&mut self) {
            let mut w = [0_u32; 64];
            for (i, c) in self.buf.chunks_exact(4).enumerate() {
                w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
            }
            for i in 16..64 {
                let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
                let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16]
                    .wrapping_add(s0)
                    .wrapping_add(w[i - 7])
                    .wrapping_add(s1);
            }
            let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = self.h;
            for i in 0..64 {
                let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
                let ch = (e & f) ^ (!e & g);
                let t1 = h
                    .wrapping_add(s1)
                    .wrapping_add(ch)
                    .wrapping_add(K[i])
                    .wrapping_add(w[i]);
                let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
                let maj = (a & b) ^ (a & c) ^ (b & c);
                let t2 = s0.wrapping_add(maj);
                h = g;
                g = f;
                f = e;
                e = d.wrapping_add(t1);
                d = c;
                c = b;
                b = a;
                a = t1.wrapping_add(t2);
            }
            for (x, y) in self.h.iter_mut().zip([a, b, c, d, e, f, g, h]) {
                *x = x.wrapping_add(y);
            }
        }

        pub fn update(&mut self, mut data: &[u8]) {
            self.len = self.len.wrapping_add(data.len() as u64);
            while !data.is_empty() {
                let take = (64 - self.filled).min(data.len());
                self.buf[self.filled..self.filled + take].copy_from_slice(&data[..take]);
                self.filled += take;
                data = &data[take..];
                if self.filled == 64 {
                    self.block();
                    self.filled = 0;
                }
            }
        }

        pub fn finish(mut self) -> [u8; 32] {
            let bits = self.len.wrapping_mul(8);
            self.update(&[0x80]);
            while self.filled != 56 {
                self.update(&[0]);
            }
            self.update(&bits.to_be_bytes());
            let mut out = [0_u8; 32];
            for (o, h) in out.chunks_exact_mut(4).zip(self.h) {
                o.copy_from_slice(&h.to_be_bytes());
            }
            out
        }
    }

    /// HMAC-SHA256 of the concatenated `parts`.
    pub fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let mut k = [0_u8; 64];
        if key.len() > 64 {
            let mut s = Sha256::new();
            s.update(key);
            k[..32].copy_from_slice(&s.finish());
        } else {
            k[..key.len()].copy_from_slice(key);
        }
        let mut inner = Sha256::new();
        inner.update(&k.map(|b| b ^ 0x36));
        for p in parts {
            inner.update(p);
        }
        let mut outer = Sha256::new();
        outer.update(&k.map(|b| b ^ 0x5c));
        outer.update(&inner.finish());
        outer.finish()
    }
}

fn secret_key(secret: &str) -> Res<Vec<u8>> {
    let b64 = secret
        .strip_prefix("whsec_")
        .ok_or("the secret does not start with whsec_")?;
    Ok(STANDARD.decode(b64)?)
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether any `v1,<base64>` value of `header` signs `{id}.{timestamp}.{body}` with `key`.
fn signature_ok(key: &[u8], id: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let expected = sha256::hmac(
        key,
        &[id.as_bytes(), b".", timestamp.as_bytes(), b".", body],
    );
    header
        .split(' ')
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|s| STANDARD.decode(s).ok())
        .any(|given| ct_eq(&given, &expected))
}

/// The verifier against known answers: FIPS 180-2 "abc", the published Standard
/// Webhooks vector, and 200 messages signed by the server's own signer.
fn self_test() -> Res<()> {
    let mut s = sha256::Sha256::new();
    s.update(b"abc");
    let abc: String = s.finish().iter().map(|b| format!("{b:02x}")).collect();
    if abc != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
        return Err(format!("SHA-256 self-test failed: {abc}").into());
    }
    let key = secret_key("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")?;
    if !signature_ok(
        &key,
        "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
        "1649367553",
        br#"{"email":"test@example.com","username":"test_user"}"#,
        "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    ) {
        return Err("the published Standard Webhooks vector does not verify".into());
    }
    let signer = infra::webhooks::StandardWebhooks;
    for i in 0..200_usize {
        let secret = signer.new_secret();
        let body = "x".repeat(i * 7);
        let sig = signer.sign(&secret, &format!("msg_{i}"), 1_700_000_000, &body)?;
        let key = secret_key(&secret)?;
        if !signature_ok(
            &key,
            &format!("msg_{i}"),
            "1700000000",
            body.as_bytes(),
            &sig,
        ) {
            return Err(format!("the server's signature of message {i} does not verify").into());
        }
        if signature_ok(
            &key,
            &format!("msg_{i}"),
            "1700000001",
            body.as_bytes(),
            &sig,
        ) {
            return Err("a wrong timestamp verifies".into());
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The receiver

#[derive(Default)]
struct Seen {
    /// `webhook-id` → requests received with it.
    ids: HashMap<String, u32>,
    /// First arrivals of this run's `check.processed` events: (µs since t0, occurredAt µs since t0).
    arrivals: Vec<(u64, Option<i64>)>,
    /// Requests whose `webhook-id` had been received before.
    duplicates: u64,
    /// Of which for this run's checks.
    duplicates_measured: u64,
    bad_signatures: u64,
    /// Timestamps more than 5 minutes from our clock.
    stale_timestamps: u64,
    /// Without the three headers, or a body that is not the envelope.
    malformed: u64,
    /// Other event types, or checks not of this run.
    other_events: u64,
    /// The first few problems, for the report.
    examples: Vec<String>,
}

struct Receiver {
    t0: Instant,
    /// The wall clock at `t0`, µs since the epoch.
    unix_t0_us: i64,
    key: OnceLock<Vec<u8>>,
    /// `externalId` prefix of this run's checks.
    marker: String,
    seen: Mutex<Seen>,
    requests: AtomicU64,
    distinct: AtomicUsize,
}

impl Receiver {
    fn now_us(&self) -> u64 {
        u64::try_from(self.t0.elapsed().as_micros()).unwrap_or(u64::MAX)
    }
    /// An RFC 3339 time (same machine, same clock) in µs since `t0`.
    fn time_us(&self, rfc3339: &str) -> Option<i64> {
        let t = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
        Some(t.timestamp_micros() - self.unix_t0_us)
    }
}

fn note(seen: &mut Seen, what: String) {
    if seen.examples.len() < 5 {
        seen.examples.push(what);
    }
}

#[handler]
async fn hook(req: &Request, body: Vec<u8>, rx: Data<&Arc<Receiver>>) -> StatusCode {
    let at = rx.now_us();
    rx.requests.fetch_add(1, Ordering::Relaxed);
    let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok());
    let (Some(id), Some(ts), Some(sig)) = (
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    ) else {
        let mut seen = rx
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        seen.malformed += 1;
        note(&mut seen, "a request without the webhook headers".into());
        return StatusCode::OK;
    };
    let good = rx
        .key
        .get()
        .is_some_and(|k| signature_ok(k, id, ts, &body, sig));
    let now_s = chrono::Utc::now().timestamp();
    let stale = !ts
        .parse::<i64>()
        .is_ok_and(|t| (now_s - t).abs() <= TOLERANCE_SECS);
    let envelope: Option<Value> = serde_json::from_slice(&body).ok();
    let kind = envelope
        .as_ref()
        .and_then(|v| v.get("type"))
        .and_then(Value::as_str);
    let body_id = envelope
        .as_ref()
        .and_then(|v| v.get("id"))
        .and_then(Value::as_str);
    let measured = kind == Some("check.processed")
        && envelope
            .as_ref()
            .and_then(|v| v.pointer("/data/externalId"))
            .and_then(Value::as_str)
            .is_some_and(|e| e.starts_with(&rx.marker));
    let occurred = envelope
        .as_ref()
        .and_then(|v| v.get("occurredAt"))
        .and_then(Value::as_str)
        .and_then(|t| rx.time_us(t));

    let mut seen = rx
        .seen
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !good {
        seen.bad_signatures += 1;
        note(
            &mut seen,
            format!("bad signature: webhook-id {id}, signature {sig}"),
        );
    }
    if stale {
        seen.stale_timestamps += 1;
        note(
            &mut seen,
            format!("stale timestamp {ts} (now {now_s}) on {id}"),
        );
    }
    if envelope.is_none() || body_id != Some(id) {
        seen.malformed += 1;
        note(&mut seen, format!("body is not an envelope with id {id}"));
    }
    let times = {
        let n = seen.ids.entry(id.to_owned()).or_insert(0);
        *n += 1;
        *n
    };
    if times > 1 {
        seen.duplicates += 1;
        if measured {
            seen.duplicates_measured += 1;
        }
    } else if measured {
        seen.arrivals.push((at, occurred));
        rx.distinct.fetch_add(1, Ordering::Release);
    } else {
        seen.other_events += 1;
    }
    StatusCode::OK
}

// ---------------------------------------------------------------------------------------
// /proc readings

/// CPU seconds of every process whose command line contains `postgres` and `needle`, by pid.
fn pg_backends(needle: &str) -> HashMap<u32, f64> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let cmd = String::from_utf8_lossy(&cmd);
        if cmd.starts_with("postgres")
            && cmd.contains(needle)
            && let Some(s) = proc_cpu_secs(&pid.to_string())
        {
            out.insert(pid, s);
        }
    }
    out
}

/// Machine-wide (busy, steal) CPU seconds from `/proc/stat`.
fn machine_cpu_secs() -> Option<(f64, f64)> {
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
    Some((busy / TICKS_PER_SEC, get(7) / TICKS_PER_SEC))
}

#[derive(Clone, Default)]
struct CpuSnap {
    at: f64,
    worker: Option<f64>,
    server: Option<f64>,
    pg: HashMap<u32, f64>,
    me: Option<f64>,
    machine: Option<(f64, f64)>,
}

struct Probe {
    t0: Instant,
    worker: Option<String>,
    server: Option<String>,
    pg_match: Option<String>,
}

impl Probe {
    fn snap(&self) -> CpuSnap {
        CpuSnap {
            at: self.t0.elapsed().as_secs_f64(),
            worker: self.worker.as_deref().and_then(proc_cpu_secs),
            server: self.server.as_deref().and_then(proc_cpu_secs),
            pg: self
                .pg_match
                .as_deref()
                .map(pg_backends)
                .unwrap_or_default(),
            me: proc_cpu_secs("self"),
            machine: machine_cpu_secs(),
        }
    }
}

/// CPU use between two snapshots, seconds.
#[derive(Clone, Copy, Default)]
struct CpuUse {
    wall: f64,
    worker: Option<f64>,
    server: Option<f64>,
    pg: Option<f64>,
    me: Option<f64>,
    machine_busy: Option<f64>,
    steal: Option<f64>,
}

impl CpuUse {
    fn between(a: &CpuSnap, b: &CpuSnap, has_pg: bool) -> Self {
        let d = |x: Option<f64>, y: Option<f64>| Some(y? - x?);
        // Backends that appeared in between started from 0; ones that ended are lost.
        let pg = has_pg.then(|| {
            b.pg.iter()
                .map(|(pid, s)| s - a.pg.get(pid).copied().unwrap_or(0.0))
                .sum::<f64>()
        });
        Self {
            wall: b.at - a.at,
            worker: d(a.worker.or(Some(0.0)), b.worker),
            server: d(a.server, b.server),
            pg,
            me: d(a.me, b.me),
            machine_busy: d(a.machine.map(|m| m.0), b.machine.map(|m| m.0)),
            steal: d(a.machine.map(|m| m.1), b.machine.map(|m| m.1)),
        }
    }
    fn other(&self) -> Option<f64> {
        let known = self.worker.unwrap_or(0.0)
            + self.server.unwrap_or(0.0)
            + self.pg.unwrap_or(0.0)
            + self.me.unwrap_or(0.0);
        Some((self.machine_busy? - known).max(0.0))
    }
    fn cores(&self, s: Option<f64>) -> Option<f64> {
        s.map(|s| round3(s / self.wall.max(1e-9)))
    }
    fn json(&self) -> Value {
        json!({
            "wall_s": round3(self.wall),
            "worker_cores": self.cores(self.worker),
            "server_cores": self.cores(self.server),
            "postgres_backends_cores": self.cores(self.pg),
            "tool_cores": self.cores(self.me),
            "other_cores": self.cores(self.other()),
            "machine_busy_cores": self.cores(self.machine_busy),
            "steal_cores": self.cores(self.steal),
        })
    }
    fn line(&self) -> String {
        let c = |s: Option<f64>| {
            self.cores(s)
                .map_or_else(|| "-".into(), |x| format!("{x:.2}"))
        };
        format!(
            "worker {}, PostgreSQL backends {}, server {}, this tool {}, other {}, steal {} (cores over {:.1} s)",
            c(self.worker),
            c(self.pg),
            c(self.server),
            c(self.me),
            c(self.other()),
            c(self.steal),
            self.wall
        )
    }
}

// ---------------------------------------------------------------------------------------
// GraphQL over HTTP

/// Token, location and guests for the run.
async fn setup(api: &Api, args: &Args, run: &str) -> Res<(String, String, Vec<String>)> {
    let (token, location) = api
        .owner_and_location(
            args.token.as_deref(),
            args.location_id.as_deref(),
            "Outbound",
            "outbound",
            run,
        )
        .await?;
    // +7 916 RRR GGGG: RRR from the run, GGGG the guest.
    let prefix = run.parse::<u64>().unwrap_or(0) % 1000;
    let mut guests = Vec::with_capacity(args.guests);
    for g in 0..args.guests.clamp(1, 10_000) {
        let d = api
            .gql(
                Some(&token),
                "mutation($i: CreateGuestInput!) { createGuest(input: $i) { id } }",
                json!({ "i": { "phone": format!("+7916{prefix:03}{g:04}"), "name": format!("Outbound guest {g}") } }),
            )
            .await?;
        guests.push(str_at(&d, "/createGuest/id")?);
    }
    Ok((token, location, guests))
}

/// One check, retried (same `externalId`: idempotent) up to 3 times.
async fn send_check(
    api: &Api,
    token: &str,
    location: &str,
    guest: &str,
    index: usize,
    external_id: String,
) -> Result<(), String> {
    let total = 10_000 + (index as u64 * 7_919) % 490_000;
    let vars = json!({ "i": { "locationId": location, "guest": { "id": guest }, "totalMinor": total, "externalId": external_id } });
    let mut last = String::new();
    for attempt in 0..4 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
        }
        match api.gql(Some(token), PROCESS, vars.clone()).await {
            Ok(d) if d.pointer("/processCheck/checkId").is_some() => return Ok(()),
            Ok(d) => last = format!("no checkId in {d}"),
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

// ---------------------------------------------------------------------------------------
// Statistics

fn rate(n: usize, us: u64) -> Option<f64> {
    (us > 0).then(|| (n as f64 * 1e6 / us as f64 * 10.0).round() / 10.0)
}

fn fmt_rate(r: Option<f64>) -> String {
    r.map_or_else(|| "-".into(), |r| format!("{r:.0}/s"))
}

/// Parses the go file: `<unix ns> [<pid>]`.
fn read_go(path: &PathBuf) -> Option<(i64, Option<u32>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut it = text.split_whitespace();
    let ns: i64 = it.next()?.parse().ok()?;
    let pid = it.next().and_then(|p| p.parse().ok());
    Some((ns, pid))
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
    self_test()?;
    let n = args.checks;
    let run_id = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis()
        .to_string();
    let rx = Arc::new(Receiver {
        t0: Instant::now(),
        unix_t0_us: chrono::Utc::now().timestamp_micros(),
        key: OnceLock::new(),
        marker: format!("out-{run_id}-"),
        seen: Mutex::new(Seen::default()),
        requests: AtomicU64::new(0),
        distinct: AtomicUsize::new(0),
    });

    // ---- receiver -------------------------------------------------------------------------
    let acceptor = TcpListener::bind(format!("127.0.0.1:{}", args.receiver_port))
        .into_acceptor()
        .await?;
    let port = acceptor
        .local_addr()
        .iter()
        .find_map(|a| a.as_socket_addr().map(std::net::SocketAddr::port))
        .ok_or("the receiver has no address")?;
    let app = Route::new().at("/hook", post(hook)).data(Arc::clone(&rx));
    tokio::spawn(Server::new_with_acceptor(acceptor).run(app));
    let hook_url = format!("http://127.0.0.1:{port}/hook");

    // ---- business, endpoint ---------------------------------------------------------------
    let base = args.url.trim_end_matches('/').to_owned();
    let api = Arc::new(Api {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            .build()?,
        url: format!("{base}/graphql"),
    });
    eprintln!("[outbound] receiver on {hook_url}; setting up a business on {base}");
    let (token, location, guests) = setup(&api, &args, &run_id).await?;
    let d = api
        .gql(
            Some(&token),
            CREATE_ENDPOINT,
            json!({ "i": { "url": hook_url, "eventTypes": ["check.processed"], "description": format!("outbound bench {run_id}") } }),
        )
        .await
        .map_err(|e| {
            format!("createWebhookEndpoint failed (does the server run with MAXLOYALTY_WEBHOOKS_ALLOW_PRIVATE=true?): {e}")
        })?;
    let secret = str_at(&d, "/createWebhookEndpoint/secret")?;
    let endpoint_id = str_at(&d, "/createWebhookEndpoint/endpoint/id")?;
    rx.key
        .set(secret_key(&secret)?)
        .map_err(|_| "the secret was set twice")?;

    // ---- checks ---------------------------------------------------------------------------
    eprintln!(
        "[outbound] endpoint {endpoint_id}; {n} checks over {} guests, {} in flight",
        guests.len(),
        args.concurrency
    );
    let (token, location): (Arc<str>, Arc<str>) = (token.into(), location.into());
    let guests: Arc<Vec<String>> = Arc::new(guests);
    let done = Arc::new(AtomicUsize::new(0));
    let produce_start = Instant::now();
    let progress = {
        let done = Arc::clone(&done);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                let d = done.load(Ordering::Relaxed);
                eprintln!(
                    "[outbound]   {d} / {n} checks ({:.0}/s)",
                    d as f64 / produce_start.elapsed().as_secs_f64()
                );
            }
        })
    };
    let errors: Vec<String> = futures_util::stream::iter(0..n)
        .map(|i| {
            let (api, token, location, guests, done) = (
                Arc::clone(&api),
                Arc::clone(&token),
                Arc::clone(&location),
                Arc::clone(&guests),
                Arc::clone(&done),
            );
            let external_id = format!("{}{i}", rx.marker);
            async move {
                let guest = &guests[i % guests.len()];
                let r = send_check(&api, &token, &location, guest, i, external_id).await;
                done.fetch_add(1, Ordering::Relaxed);
                r.err().map(|e| format!("check {i}: {e}"))
            }
        })
        .buffer_unordered(args.concurrency.max(1))
        .filter_map(|e| async move { e })
        .collect()
        .await;
    progress.abort();
    let produce_s = produce_start.elapsed().as_secs_f64();
    let ok_checks = n - errors.len();
    eprintln!(
        "[outbound] {ok_checks} of {n} checks processed in {produce_s:.1} s ({:.0}/s), {} failed",
        ok_checks as f64 / produce_s,
        errors.len()
    );
    for e in errors.iter().take(3) {
        eprintln!(
            "[outbound]   e.g. {}",
            e.chars().take(300).collect::<String>()
        );
    }
    let early = rx.distinct.load(Ordering::Acquire);
    if early > 0 {
        eprintln!(
            "[outbound] WARNING: {early} deliveries arrived while the checks were produced: is a worker running?"
        );
    }

    // ---- handshake --------------------------------------------------------------------------
    println!("READY");
    let (go_us, worker_pid) = match &args.go_file {
        None => (rx.now_us(), None),
        Some(path) => {
            eprintln!("[outbound] READY; waiting for {}", path.display());
            let until = Instant::now() + Duration::from_secs(args.ready_timeout_secs);
            loop {
                if let Some((ns, pid)) = read_go(path) {
                    let us = ns / 1000 - rx.unix_t0_us;
                    break (u64::try_from(us).unwrap_or(0), pid);
                }
                if Instant::now() > until {
                    return Err(format!(
                        "no {} within {} s",
                        path.display(),
                        args.ready_timeout_secs
                    )
                    .into());
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    };
    let probe = Probe {
        t0: rx.t0,
        worker: worker_pid.map(|p| p.to_string()),
        server: args.server_pid.map(|p| p.to_string()),
        pg_match: args.pg_match.clone(),
    };
    let has_pg = probe.pg_match.is_some();
    let mut snap_go = probe.snap();
    // The worker is a fresh process: its CPU counts from 0.
    snap_go.worker = None;

    // Worker RSS, every 100 ms.
    let rss_peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let rss_peak = Arc::clone(&rss_peak);
        let pid = probe.worker.clone();
        tokio::spawn(async move {
            let Some(pid) = pid else { return };
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tick.tick().await;
                match proc_status_kb(&pid, "VmRSS:") {
                    Some(kb) => {
                        rss_peak.fetch_max(kb, Ordering::Relaxed);
                    }
                    None => break,
                }
            }
        })
    };

    // ---- deliveries -------------------------------------------------------------------------
    eprintln!("[outbound] worker started; waiting for {ok_checks} deliveries");
    let wait_start = Instant::now();
    let mut snap_first: Option<CpuSnap> = None;
    let mut last_log = Instant::now();
    let mut worker_died = false;
    let timed_out = loop {
        let got = rx.distinct.load(Ordering::Acquire);
        if snap_first.is_none() && got > 0 {
            snap_first = Some(probe.snap());
        }
        if got >= ok_checks {
            break false;
        }
        if wait_start.elapsed() > Duration::from_secs(args.timeout_secs) {
            break true;
        }
        if let Some(p) = &probe.worker
            && proc_cpu_secs(p).is_none()
        {
            worker_died = true;
            break false;
        }
        if last_log.elapsed() > Duration::from_secs(5) {
            last_log = Instant::now();
            eprintln!(
                "[outbound]   {got} / {ok_checks} delivered, {:.0} s after the worker's start",
                (rx.now_us().saturating_sub(go_us)) as f64 / 1e6
            );
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let snap_last = probe.snap();
    let worker_rss_at_end = probe
        .worker
        .as_deref()
        .and_then(|p| proc_status_kb(p, "VmRSS:"));
    let worker_hwm = probe
        .worker
        .as_deref()
        .and_then(|p| proc_status_kb(p, "VmHWM:"));
    if timed_out {
        eprintln!("[outbound] timed out after {} s", args.timeout_secs);
    }
    if worker_died {
        eprintln!("[outbound] the worker exited before every delivery arrived");
    }
    tokio::time::sleep(Duration::from_secs(args.grace_secs)).await;
    sampler.abort();

    // ---- figures ----------------------------------------------------------------------------
    let seen = {
        let mut s = rx
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *s)
    };
    let mut arrivals: Vec<u64> = seen.arrivals.iter().map(|a| a.0).collect();
    arrivals.sort_unstable();
    let delivered = arrivals.len();
    let missing = ok_checks.saturating_sub(delivered);
    let first = arrivals.first().copied();
    let last = arrivals.last().copied();
    let overall = last.and_then(|l| rate(delivered, l.saturating_sub(go_us)));
    let phase = match (first, last) {
        (Some(f), Some(l)) if delivered > 1 => rate(delivered - 1, l - f),
        _ => None,
    };
    // The middle 80 % of the deliveries (no start-up, no tail).
    let steady = match (pct(&arrivals, 10.0), pct(&arrivals, 90.0)) {
        (Some(a), Some(b)) if b > a => {
            let inside = arrivals.iter().filter(|&&t| t > a && t <= b).count();
            rate(inside, b - a)
        }
        _ => None,
    };
    // Deliveries per whole second from the first one.
    let per_second: Vec<usize> = match (first, last) {
        (Some(f), Some(l)) => {
            let secs = usize::try_from((l - f) / 1_000_000).unwrap_or(0);
            let mut b = vec![0_usize; secs + 1];
            for &t in &arrivals {
                let i = usize::try_from((t - f) / 1_000_000).unwrap_or(0);
                if let Some(x) = b.get_mut(i) {
                    *x += 1;
                }
            }
            b
        }
        _ => Vec::new(),
    };
    let full_seconds: Vec<usize> = {
        // The last bucket is partial.
        let mut v: Vec<usize> = per_second
            .iter()
            .take(per_second.len().saturating_sub(1))
            .copied()
            .collect();
        v.sort_unstable();
        v
    };
    let mut latency: Vec<i64> = seen
        .arrivals
        .iter()
        .filter_map(|&(at, occ)| Some(at as i64 - occ?))
        .collect();
    latency.sort_unstable();
    let lat = |p: f64| pct(&latency, p).map(ms);
    let startup_fanout_s = first.map(|f| round3(f.saturating_sub(go_us) as f64 / 1e6));
    let phase_s = match (first, last) {
        (Some(f), Some(l)) => Some(round3((l - f) as f64 / 1e6)),
        _ => None,
    };
    let total_s = last.map(|l| round3(l.saturating_sub(go_us) as f64 / 1e6));
    let cpu_total = CpuUse::between(&snap_go, &snap_last, has_pg);
    let cpu_fanout = snap_first
        .as_ref()
        .map(|s| CpuUse::between(&snap_go, s, has_pg));
    let cpu_deliver = snap_first
        .as_ref()
        .map(|s| CpuUse::between(s, &snap_last, has_pg));
    let per_delivery_ms = |c: Option<CpuUse>, count: usize| {
        c.and_then(|c| {
            let s = c.worker? + c.pg.unwrap_or(0.0);
            (count > 0).then(|| round3(s * 1000.0 / count as f64))
        })
    };
    let deliver_cost = per_delivery_ms(cpu_deliver, delivered.saturating_sub(1));
    let complete = missing == 0 && !timed_out && !worker_died;
    let clean = seen.bad_signatures == 0
        && seen.stale_timestamps == 0
        && seen.malformed == 0
        && seen.duplicates == 0;
    let met_phase = phase.is_some_and(|r| r >= args.target);
    let met_overall = overall.is_some_and(|r| r >= args.target);
    let verdict = |m: bool| if m && complete { "met" } else { "MISSED" };

    println!();
    println!(
        "Outbound webhook deliveries: {n} checks → {ok_checks} check.processed events, one endpoint on 127.0.0.1"
    );
    println!(
        "  producing:  {ok_checks} of {n} checks in {produce_s:.1} s ({:.0}/s at {} in flight), {} failed",
        ok_checks as f64 / produce_s,
        args.concurrency,
        errors.len()
    );
    println!(
        "  delivered:  {delivered} of {ok_checks} distinct ({missing} missing); {} requests; {} duplicates ({} of this run's events); \
         {} bad signatures; {} stale timestamps; {} malformed; {} other events",
        rx.requests.load(Ordering::Relaxed),
        seen.duplicates,
        seen.duplicates_measured,
        seen.bad_signatures,
        seen.stale_timestamps,
        seen.malformed,
        seen.other_events
    );
    println!(
        "  worker start → first delivery (start-up, and any fan-out it ran first): {} s",
        startup_fanout_s.map_or_else(|| "-".into(), |s| format!("{s:.1}"))
    );
    println!(
        "  first → last delivery: {} s; worker start → last delivery: {} s",
        phase_s.map_or_else(|| "-".into(), |s| format!("{s:.1}")),
        total_s.map_or_else(|| "-".into(), |s| format!("{s:.1}"))
    );
    println!(
        "  deliveries/s: delivery phase (first → N-th) {}, steady (10–90 %) {}, overall from the worker's start {}",
        fmt_rate(phase),
        fmt_rate(steady),
        fmt_rate(overall)
    );
    println!(
        "  per whole second of the delivery phase: min {}, median {}, max {}",
        full_seconds
            .first()
            .map_or_else(|| "-".into(), ToString::to_string),
        pct(&full_seconds, 50.0).map_or_else(|| "-".into(), |x| x.to_string()),
        full_seconds
            .last()
            .map_or_else(|| "-".into(), ToString::to_string),
    );
    println!(
        "  arrival − processedAt (includes the pile-up): p50 {} ms, p99 {} ms, max {} ms",
        lat(50.0).map_or_else(|| "-".into(), |x| format!("{x:.0}")),
        lat(99.0).map_or_else(|| "-".into(), |x| format!("{x:.0}")),
        latency
            .last()
            .map_or_else(|| "-".into(), |x| format!("{:.0}", ms(*x)))
    );
    if let Some(c) = cpu_fanout {
        println!("  CPU, start-up + fan-out: {}", c.line());
    }
    if let Some(c) = cpu_deliver {
        println!("  CPU, delivery phase:     {}", c.line());
    }
    println!("  CPU, worker start → N-th: {}", cpu_total.line());
    println!(
        "  worker + PostgreSQL CPU per delivery (delivery phase): {}",
        deliver_cost.map_or_else(|| "-".into(), |x| format!("{x:.2} ms"))
    );
    println!(
        "  worker RSS: peak sampled {}, at the end {}, VmHWM {}",
        kb_mb(Some(rss_peak.load(Ordering::Relaxed)).filter(|&k| k > 0)),
        kb_mb(worker_rss_at_end),
        kb_mb(worker_hwm)
    );
    println!(
        "  target ≥ {:.0} deliveries/s: {} in the delivery phase ({}), {} from the worker's start ({}); every delivery once and signed: {}",
        args.target,
        verdict(met_phase),
        fmt_rate(phase),
        verdict(met_overall),
        fmt_rate(overall),
        if complete && clean { "yes" } else { "NO" }
    );
    for e in &seen.examples {
        println!("  e.g. {}", e.chars().take(300).collect::<String>());
    }
    let report = json!({
        "checks": n,
        "checks_ok": ok_checks,
        "check_errors": errors.len(),
        "produce_s": round3(produce_s),
        "produce_per_s": round3(ok_checks as f64 / produce_s),
        "producer_concurrency": args.concurrency,
        "guests": guests.len(),
        "delivered": delivered,
        "missing": missing,
        "requests": rx.requests.load(Ordering::Relaxed),
        "duplicates": seen.duplicates,
        "duplicates_of_run": seen.duplicates_measured,
        "bad_signatures": seen.bad_signatures,
        "stale_timestamps": seen.stale_timestamps,
        "malformed": seen.malformed,
        "other_events": seen.other_events,
        "early_deliveries": early,
        "timed_out": timed_out,
        "worker_died": worker_died,
        "startup_and_fanout_s": startup_fanout_s,
        "delivery_phase_s": phase_s,
        "worker_start_to_last_s": total_s,
        "per_s_delivery_phase": phase,
        "per_s_steady_10_90": steady,
        "per_s_overall": overall,
        "per_second": per_second,
        "latency_from_processed_at_ms": { "p50": lat(50.0), "p99": lat(99.0), "max": latency.last().map(|x| ms(*x)) },
        "cpu_startup_and_fanout": cpu_fanout.map(|c| c.json()),
        "cpu_delivery_phase": cpu_deliver.map(|c| c.json()),
        "cpu_total": cpu_total.json(),
        "worker_and_pg_cpu_ms_per_delivery": deliver_cost,
        "worker_rss_kb": { "peak_sampled": Some(rss_peak.load(Ordering::Relaxed)).filter(|&k| k > 0), "end": worker_rss_at_end, "vm_hwm": worker_hwm },
        "target_per_s": args.target,
        "target_met_delivery_phase": met_phase && complete,
        "target_met_overall": met_overall && complete,
        "complete_and_clean": complete && clean,
    });
    println!("{report}");
    Ok(())
}

fn kb_mb(kb: Option<u64>) -> String {
    kb.map_or_else(|| "-".into(), |k| format!("{:.1} MB", k as f64 / 1024.0))
}
