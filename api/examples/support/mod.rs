//! What the load tools in `api/examples` share: GraphQL over HTTP, `/proc`
//! readings and percentiles.

#![allow(dead_code)]

use std::error::Error;

use serde_json::{Value, json};

/// Any error, for a tool that stops on the first one.
pub type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

/// `/proc/<pid>/stat` counts CPU time in USER_HZ ticks, 100 per second on Linux.
pub const TICKS_PER_SEC: f64 = 100.0;

/// GraphQL over HTTP.
pub struct Api {
    pub http: reqwest::Client,
    pub url: String,
}

impl Api {
    /// Posts an operation; an HTTP or GraphQL error is an error.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Res<Value> {
        let mut req = self
            .http
            .post(&self.url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let v: Value = resp.json().await?;
        if !status.is_success() || v.get("errors").is_some_and(|e| !e.is_null()) {
            return Err(format!("HTTP {status}: {v}").into());
        }
        Ok(v["data"].clone())
    }
}

impl Api {
    /// The run's owner token and location: the given ones, or a new business
    /// (`{label} {run}`, owner `{slug}.{run}@example.com`) with its default
    /// levels and a new location.
    pub async fn owner_and_location(
        &self,
        token: Option<&str>,
        location: Option<&str>,
        label: &str,
        slug: &str,
        run: &str,
    ) -> Res<(String, String)> {
        let token = match token {
            Some(t) => t.to_owned(),
            None => {
                let d = self
                    .gql(
                        None,
                        "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
                        json!({ "i": {
                            "businessName": format!("{label} {run}"),
                            "locationName": "Main",
                            "email": format!("{slug}.{run}@example.com"),
                            "password": "Load-Tool-Bench-Password-2026",
                            "displayName": format!("{label} owner"),
                        }}),
                    )
                    .await?;
                let token = str_at(&d, "/signUp/accessToken")?;
                // The first read of the levels creates the defaults (as the panel does).
                self.gql(Some(&token), "{ levels { name } }", json!({}))
                    .await?;
                token
            }
        };
        let location = match location {
            Some(l) => l.to_owned(),
            None => {
                let d = self
                    .gql(
                        Some(&token),
                        "mutation($i: CreateLocationInput!) { createLocation(input: $i) { id } }",
                        json!({ "i": { "name": format!("{label} {run}") } }),
                    )
                    .await?;
                str_at(&d, "/createLocation/id")?
            }
        };
        Ok((token, location))
    }
}

/// The string at a JSON pointer.
pub fn str_at(v: &Value, pointer: &str) -> Res<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("no {pointer} in {v}").into())
}

/// A `kB` field of `/proc/<pid>/status` (`VmRSS:`, `VmHWM:`).
pub fn proc_status_kb(pid: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// User + system CPU seconds of a process.
pub fn proc_cpu_secs(pid: &str) -> Option<f64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the command: field 3 (state) is f[0], so utime (14) is f[11], stime (15) f[12].
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / TICKS_PER_SEC)
}

/// Rounded to three decimals, for JSON output.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The nearest-rank percentile `p` of sorted values.
pub fn pct<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

/// Microseconds as milliseconds with two decimals.
pub fn ms(us: i64) -> f64 {
    (us as f64 / 10.0).round() / 100.0
}
