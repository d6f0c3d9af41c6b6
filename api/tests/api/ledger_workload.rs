//! A seeded random workload over the points ledger, on SQLite and PostgreSQL:
//! accruals, redemptions, holds, captures, voids, expiries, reversals and
//! adjustments across several guests, through GraphQL and the jobs. After every
//! step the database itself is checked for every guest: balance = Σ entries =
//! Σ remaining lots, held = Σ held deltas = Σ pending holds, nothing negative,
//! and a hold resolves at most once. A small model predicts each step's outcome
//! (success or the exact refusal) and its effect on every account; what the
//! server answers (cards, receipts, accounts) must agree with the database, and
//! a replayed check must return its original receipt.
//!
//! `MAXLOYALTY_WORKLOAD_SEED` replays a run, `MAXLOYALTY_WORKLOAD_STEPS` sets
//! its length (150 by default). The seed is printed at the start and in every
//! failure, followed by the steps taken.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use domain::ports::Clock;
use domain::{Ctx, TenantId};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, QueryResult,
    Statement, TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::both_backends;
use crate::helpers::{Backend, PASSWORD, TestApp, code, spawn_app, unique_email};

const PROCESS: &str = "mutation($i: ProcessCheckInput!) { processCheck(input: $i) { checkId guestId externalId totalMinor redeemed redeemedValueMinor earned balance available levelBefore { name } levelAfter { name } processedAt } }";
const CARD: &str = "query($id: ID!, $t: Int!) { guest(id: $id) { maxRedeemable(totalMinor: $t) account { balance held available } level { name cashbackBp maxRedeemBp } } }";
const ADJUST: &str = "mutation($g: ID!, $p: Int!, $r: String!) { adjustPoints(guestId: $g, points: $p, reason: $r) { guestId balance held available } }";
const HOLD: &str =
    "mutation($i: HoldPointsInput!) { holdPoints(input: $i) { id guestId points status } }";
const CAPTURE: &str = "mutation($h: ID!) { captureHold(id: $h) { id status points } }";
const VOID: &str = "mutation($h: ID!) { voidHold(id: $h) { id status points } }";
const REVERSE: &str = "mutation($c: ID!, $r: String!) { reverseCheck(id: $c, reason: $r) { guestId balance held available } }";

/// The defaults of a new tenant the model relies on.
const POINT_VALUE_MINOR: i64 = 100;
const HOLD_TTL_SECS: i64 = 900;
const GUESTS: usize = 8;

/// splitmix64: small, fast and good enough to drive a workload.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
    /// lo..=hi.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HoldState {
    Pending,
    Captured,
    Voided,
    Expired,
}

impl HoldState {
    const fn db(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Captured => "captured",
            Self::Voided => "voided",
            Self::Expired => "expired",
        }
    }
}

struct HoldM {
    id: String,
    uuid: Uuid,
    guest: usize,
    points: i64,
    expires_at: DateTime<Utc>,
    state: HoldState,
}

struct CheckM {
    id: String,
    guest: usize,
    vars: Value,
    receipt: Value,
    earned: i64,
    redeemed: i64,
    via_hold: bool,
    reversed: bool,
}

/// One guest's account as the database shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Acct {
    balance: i64,
    held: i64,
    /// Σ remaining of lots expired by now.
    expired: i64,
}

/// What the model expects of a request.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Ok,
    Refused(&'static str),
}

/// (guest, Δ balance, Δ held) the step must have made.
type Deltas = Vec<(usize, i64, i64)>;

/// What the card shows for a guest and a total.
struct CardM {
    available: i64,
    cashback_bp: i64,
    share_max: i64,
}

struct Workload {
    seed: u64,
    backend: Backend,
    steps: usize,
    step: usize,
    rng: Rng,
    app: TestApp,
    db: DatabaseConnection,
    tenant: Uuid,
    email: String,
    access: String,
    token_at: DateTime<Utc>,
    location: String,
    guests: Vec<(String, Uuid)>,
    holds: Vec<HoldM>,
    checks: Vec<CheckM>,
    ext: u64,
    snap: Vec<Acct>,
    /// Responses to compare with the database after the step: (guest, balance, available, what).
    reported: Vec<(usize, i64, i64, String)>,
    /// After an expiry run: what must still be expired per guest.
    expired_after: Option<Vec<i64>>,
    log: Vec<String>,
    stats: BTreeMap<&'static str, (u32, u32)>,
}

impl Drop for Workload {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut s = String::new();
            for l in &self.log {
                let _ = writeln!(s, "  {l}");
            }
            eprintln!(
                "\nledger workload FAILED on {:?} with seed {} at step {}/{}; \
                 rerun with MAXLOYALTY_WORKLOAD_SEED={} MAXLOYALTY_WORKLOAD_STEPS={}\nsteps:\n{s}",
                self.backend, self.seed, self.step, self.steps, self.seed, self.steps
            );
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
}

impl Workload {
    async fn start(backend: Backend, seed: u64, steps: usize) -> Self {
        let app = spawn_app(backend).await;
        let email = unique_email("workload");
        let owner = app.sign_up("Workload", &email).await;
        let location = app
            .ok(
                Some(&owner.access),
                "{ locations { nodes { id } } }",
                json!({}),
            )
            .await["locations"]["nodes"][0]["id"]
            .as_str()
            .expect("location")
            .to_owned();
        let mut guests = Vec::new();
        for i in 0..GUESTS {
            let id = app
                .ok(
                    Some(&owner.access),
                    "mutation($p: String!, $n: String!) { createGuest(input: { phone: $p, name: $n }) { id } }",
                    json!({ "p": format!("+7900555{i:04}"), "n": format!("Guest {i}") }),
                )
                .await["createGuest"]["id"]
                .as_str()
                .expect("guest")
                .to_owned();
            let uuid = Uuid::parse_str(&id).expect("guest ids are UUIDs");
            guests.push((id, uuid));
        }
        let opts = ConnectOptions::new(app.database_url.clone())
            .max_connections(1)
            .min_connections(1)
            .sqlx_logging(false)
            .to_owned();
        let db = Database::connect(opts).await.expect("a reading connection");
        let tenant = Uuid::parse_str(&owner.tenant_id).expect("tenant id");
        let token_at = app.clock.now();
        Self {
            seed,
            backend,
            steps,
            step: 0,
            rng: Rng(seed),
            db,
            tenant,
            email,
            access: owner.access,
            token_at,
            location,
            snap: vec![Acct::default(); guests.len()],
            guests,
            holds: Vec::new(),
            checks: Vec::new(),
            ext: 0,
            reported: Vec::new(),
            expired_after: None,
            log: Vec::new(),
            stats: BTreeMap::new(),
            app,
        }
    }

    #[track_caller]
    fn fail(&self, msg: &str) -> ! {
        panic!(
            "ledger workload seed={} backend={:?} step={}/{}: {msg} \
             (rerun with MAXLOYALTY_WORKLOAD_SEED={})",
            self.seed, self.backend, self.step, self.steps, self.seed
        )
    }

    #[track_caller]
    fn ensure(&self, ok: bool, msg: impl FnOnce() -> String) {
        if !ok {
            self.fail(&msg());
        }
    }

    fn note(&mut self, line: String) {
        self.log.push(format!("#{} {line}", self.step));
    }

    fn count(&mut self, action: &'static str, ok: bool) {
        let e = self.stats.entry(action).or_default();
        if ok {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.app.clock.now()
    }

    /// Signs in again when the access token may have run out on the test clock.
    async fn fresh_token(&mut self) {
        if self.now() - self.token_at < Duration::minutes(10) {
            return;
        }
        let r = self.app.login(&self.email, PASSWORD).await;
        self.ensure(r.get("errors").is_none(), || format!("login failed: {r}"));
        self.access = r["data"]["login"]["accessToken"]
            .as_str()
            .expect("access token")
            .to_owned();
        self.token_at = self.now();
    }

    async fn call(&mut self, query: &str, vars: Value) -> Value {
        self.fresh_token().await;
        self.app.gql(Some(&self.access), query, vars).await
    }

    /// Checks a response against the expectation; true when it succeeded.
    fn outcome(&mut self, action: &'static str, what: &str, r: &Value, expect: Expect) -> bool {
        let got = r
            .get("errors")
            .map(|_| code(r).unwrap_or("<no code>").to_owned());
        self.note(format!(
            "{what} -> {}",
            got.as_deref()
                .map_or_else(|| "ok".to_owned(), |c| format!("refused {c}"))
        ));
        let ok = match (expect, got.as_deref()) {
            (Expect::Ok, None) => true,
            (Expect::Refused(want), Some(c)) if c == want => false,
            _ => self.fail(&format!("{what}: expected {expect:?}, got {r}")),
        };
        self.count(action, ok);
        ok
    }

    fn new_ext(&mut self) -> String {
        self.ext += 1;
        format!("wl-{}", self.ext)
    }

    fn total(&mut self) -> i64 {
        match self.rng.below(4) {
            0 => self.rng.range(100, 10_000),
            1 => self.rng.range(10_000, 100_000),
            2 => self.rng.range(100_000, 1_000_000),
            _ => self.rng.range(1_000_000, 3_000_000),
        }
    }

    fn available(&self, g: usize) -> i64 {
        self.snap[g].balance - self.snap[g].held
    }

    /// The guest's card for a check total, cross-checked with the database.
    async fn card(&mut self, g: usize, total: i64) -> CardM {
        let id = self.guests[g].0.clone();
        let r = self.call(CARD, json!({ "id": id, "t": total })).await;
        self.ensure(r.get("errors").is_none(), || format!("card of g{g}: {r}"));
        let c = &r["data"]["guest"];
        let (balance, held, available) = (
            int(&c["account"]["balance"]),
            int(&c["account"]["held"]),
            int(&c["account"]["available"]),
        );
        let s = self.snap[g];
        self.ensure(
            (balance, held, available) == (Some(s.balance), Some(s.held), Some(s.balance - s.held)),
            || format!("the card of g{g} disagrees with the database {s:?}: {c}"),
        );
        let cashback_bp = int(&c["level"]["cashbackBp"]).unwrap_or(0);
        let share_bp = int(&c["level"]["maxRedeemBp"]).unwrap_or(0);
        let share_max = total * share_bp / (10_000 * POINT_VALUE_MINOR);
        let available = s.balance - s.held;
        let want = share_max.min(available).max(0);
        self.ensure(int(&c["maxRedeemable"]) == Some(want), || {
            format!("maxRedeemable of g{g} for {total}: want {want} (share {share_max}, available {available}): {c}")
        });
        CardM {
            available,
            cashback_bp,
            share_max,
        }
    }

    fn earned(total: i64, redeemed: i64, cashback_bp: i64) -> i64 {
        let paid = (total - redeemed * POINT_VALUE_MINOR).max(0);
        paid * cashback_bp / (10_000 * POINT_VALUE_MINOR)
    }

    /// A guest; with `points`, usually one who has some available.
    fn pick_guest(&mut self, points: bool) -> usize {
        let rich: Vec<usize> = (0..self.guests.len())
            .filter(|&g| self.available(g) > 0)
            .collect();
        if points && !rich.is_empty() && self.rng.chance(80) {
            rich[self.rng.below(rich.len())]
        } else {
            self.rng.below(self.guests.len())
        }
    }

    /// A known hold (there is one): mostly live ones, sometimes any.
    fn pick_hold(&mut self) -> usize {
        let now = self.now();
        let live: Vec<usize> = (0..self.holds.len())
            .filter(|&i| {
                self.holds[i].state == HoldState::Pending && self.holds[i].expires_at > now
            })
            .collect();
        let pending: Vec<usize> = (0..self.holds.len())
            .filter(|&i| self.holds[i].state == HoldState::Pending)
            .collect();
        match self.rng.below(10) {
            0..=5 if !live.is_empty() => live[self.rng.below(live.len())],
            6 | 7 if !pending.is_empty() => pending[self.rng.below(pending.len())],
            _ => self.rng.below(self.holds.len()),
        }
    }

    fn other_guest(&mut self, g: usize) -> usize {
        (g + 1 + self.rng.below(self.guests.len() - 1)) % self.guests.len()
    }

    // ----- actions ---------------------------------------------------------------------

    /// A new check; `mode` 0 = no redemption, 1 = an allowed one, 2 = too many points.
    async fn new_check(&mut self, mode: u8) -> Deltas {
        let g = self.pick_guest(mode > 0);
        let total = self.total();
        let card = self.card(g, total).await;
        let redeem = match mode {
            0 => None,
            1 => {
                let max = card.share_max.min(card.available).max(0);
                Some(if max == 0 { 0 } else { self.rng.range(1, max) })
            }
            _ => Some(if card.available < card.share_max && self.rng.chance(50) {
                self.rng.range(card.available + 1, card.share_max)
            } else {
                card.share_max + self.rng.range(1, 50)
            }),
        };
        let r_pts = redeem.unwrap_or(0);
        let expect = if r_pts > card.share_max {
            Expect::Refused("VALIDATION")
        } else if r_pts > card.available {
            Expect::Refused("CONFLICT")
        } else {
            Expect::Ok
        };
        let ext = self.new_ext();
        let mut vars = json!({ "i": { "locationId": self.location, "guest": { "id": self.guests[g].0 }, "totalMinor": total, "externalId": ext } });
        if let Some(p) = redeem {
            vars["i"]["redeemPoints"] = json!(p);
        }
        let r = self.call(PROCESS, vars.clone()).await;
        let what = format!(
            "processCheck g{g} total={total} redeem={redeem:?} ext={ext} (available {}, share {})",
            card.available, card.share_max
        );
        let action = ["check", "check+redeem", "check+too-many"][usize::from(mode.min(2))];
        if !self.outcome(action, &what, &r, expect) {
            return vec![];
        }
        let receipt = r["data"]["processCheck"].clone();
        let earned = Self::earned(total, r_pts, card.cashback_bp);
        self.ensure(
            int(&receipt["redeemed"]) == Some(r_pts) && int(&receipt["earned"]) == Some(earned),
            || format!("{what}: want redeemed {r_pts}, earned {earned}: {receipt}"),
        );
        self.record_check(g, vars, receipt, earned, r_pts, false);
        vec![(g, earned - r_pts, 0)]
    }

    fn record_check(
        &mut self,
        g: usize,
        vars: Value,
        receipt: Value,
        earned: i64,
        redeemed: i64,
        via_hold: bool,
    ) {
        let n = self.checks.len();
        if let Some(l) = self.log.last_mut() {
            let _ = write!(l, " [c{n}, earned {earned}]");
        }
        self.reported.push((
            g,
            int(&receipt["balance"]).unwrap_or(-1),
            int(&receipt["available"]).unwrap_or(-1),
            format!("receipt of c{n}: {receipt}"),
        ));
        self.checks.push(CheckM {
            id: receipt["checkId"].as_str().expect("checkId").to_owned(),
            guest: g,
            vars,
            receipt,
            earned,
            redeemed,
            via_hold,
            reversed: false,
        });
    }

    /// A check paid by a hold (usually the guest's own, pending one).
    async fn check_with_hold(&mut self) -> Deltas {
        if !self.holds.iter().any(|h| h.state == HoldState::Pending) && self.rng.chance(70)
            || self.holds.is_empty()
        {
            return self.place_hold().await;
        }
        let h = self.pick_hold();
        let (hg, points, state, expires_at) = {
            let x = &self.holds[h];
            (x.guest, x.points, x.state, x.expires_at)
        };
        let g = if self.rng.chance(10) {
            self.other_guest(hg)
        } else {
            hg
        };
        let total = if self.rng.chance(80) {
            points * 334 + self.rng.range(0, 500_000)
        } else {
            self.total()
        };
        let card = self.card(g, total).await;
        let now = self.now();
        let expect = if g != hg {
            Expect::Refused("NOT_FOUND")
        } else if state != HoldState::Pending || expires_at <= now {
            Expect::Refused("CONFLICT")
        } else if points > card.share_max {
            Expect::Refused("VALIDATION")
        } else {
            Expect::Ok
        };
        let ext = self.new_ext();
        let vars = json!({ "i": { "locationId": self.location, "guest": { "id": self.guests[g].0 }, "totalMinor": total, "holdId": self.holds[h].id, "externalId": ext } });
        let r = self.call(PROCESS, vars.clone()).await;
        let what = format!(
            "processCheck g{g} total={total} hold=h{h}(g{hg}, {points}, {state:?}, expires in {}s) ext={ext} (share {})",
            (expires_at - now).num_seconds(),
            card.share_max
        );
        if !self.outcome("check+hold", &what, &r, expect) {
            return vec![];
        }
        let receipt = r["data"]["processCheck"].clone();
        let earned = Self::earned(total, points, card.cashback_bp);
        self.ensure(
            int(&receipt["redeemed"]) == Some(points) && int(&receipt["earned"]) == Some(earned),
            || format!("{what}: want redeemed {points}, earned {earned}: {receipt}"),
        );
        self.holds[h].state = HoldState::Captured;
        self.record_check(g, vars, receipt, earned, points, true);
        vec![(g, earned - points, -points)]
    }

    /// An earlier check again: the same request (the same receipt, nothing
    /// changes) or another request under its id (a conflict).
    async fn replay_check(&mut self, same: bool) -> Deltas {
        if self.checks.is_empty() {
            return self.new_check(0).await;
        }
        let c = self.rng.below(self.checks.len());
        let mut vars = self.checks[c].vars.clone();
        let via_hold = self.checks[c].via_hold;
        let cg = self.checks[c].guest;
        let (expect, what) = if same {
            // A replay returns the original receipt, also for a check paid by a
            // hold (the key is consulted before the hold's state).
            let e = Expect::Ok;
            (
                e,
                format!("replay c{c} (g{cg}, via hold: {via_hold}) as is"),
            )
        } else {
            let i = &mut vars["i"];
            if let Some(o) = i.as_object_mut() {
                o.remove("holdId");
                o.remove("redeemPoints");
            }
            let how = if self.rng.chance(50) {
                let t = int(&i["totalMinor"]).unwrap_or(100);
                i["totalMinor"] = json!(t + 1);
                "another total".to_owned()
            } else {
                let og = self.other_guest(cg);
                i["guest"] = json!({ "id": self.guests[og].0 });
                format!("guest g{og}")
            };
            (
                Expect::Refused("CONFLICT"),
                format!("replay c{c} (g{cg}) with {how}"),
            )
        };
        let r = self.call(PROCESS, vars).await;
        let action = if same { "replay-same" } else { "replay-other" };
        if self.outcome(action, &what, &r, expect) {
            let got = &r["data"]["processCheck"];
            self.ensure(*got == self.checks[c].receipt, || {
                format!(
                    "{what}: a replay must return the original receipt {}, got {got}",
                    self.checks[c].receipt
                )
            });
        }
        vec![]
    }

    async fn adjust(&mut self, up: bool) -> Deltas {
        let g = self.pick_guest(!up);
        let avail = self.available(g);
        let delta = if up {
            self.rng.range(1, 2_000)
        } else if avail > 0 && self.rng.chance(75) {
            -self.rng.range(1, avail)
        } else {
            -(avail + self.rng.range(1, 100))
        };
        let expect = if -delta > avail {
            Expect::Refused("CONFLICT")
        } else {
            Expect::Ok
        };
        let id = self.guests[g].0.clone();
        let r = self
            .call(ADJUST, json!({ "g": id, "p": delta, "r": "workload" }))
            .await;
        let what = format!("adjustPoints g{g} {delta:+} (available {avail})");
        if !self.outcome("adjust", &what, &r, expect) {
            return vec![];
        }
        let a = &r["data"]["adjustPoints"];
        self.reported.push((
            g,
            int(&a["balance"]).unwrap_or(-1),
            int(&a["available"]).unwrap_or(-1),
            format!("{what}: {a}"),
        ));
        vec![(g, delta, 0)]
    }

    async fn place_hold(&mut self) -> Deltas {
        let g = self.pick_guest(true);
        let total = self.rng.chance(50).then(|| self.total());
        let card = self.card(g, total.unwrap_or(100_000)).await;
        let avail = card.available;
        // Within what may be held, mostly; sometimes beyond the share or the points.
        let allowed = if total.is_some() {
            avail.min(card.share_max)
        } else {
            avail
        };
        let points = if allowed > 0 && self.rng.chance(75) {
            self.rng.range(1, allowed)
        } else if total.is_some() && self.rng.chance(50) {
            card.share_max + self.rng.range(1, 50)
        } else {
            avail + self.rng.range(1, 50)
        };
        let expect = if total.is_some() && points > card.share_max {
            Expect::Refused("VALIDATION")
        } else if points > avail {
            Expect::Refused("CONFLICT")
        } else {
            Expect::Ok
        };
        let mut input = json!({ "guest": { "id": self.guests[g].0 }, "points": points });
        if let Some(t) = total {
            input["totalMinor"] = json!(t);
        }
        let r = self.call(HOLD, json!({ "i": input })).await;
        let what = format!(
            "holdPoints g{g} {points} total={total:?} (available {avail}, share {})",
            card.share_max
        );
        if !self.outcome("hold", &what, &r, expect) {
            return vec![];
        }
        let h = &r["data"]["holdPoints"];
        self.ensure(
            h["status"] == "PENDING" && int(&h["points"]) == Some(points),
            || format!("{what}: {h}"),
        );
        let id = h["id"].as_str().expect("hold id").to_owned();
        let n = self.holds.len();
        if let Some(l) = self.log.last_mut() {
            let _ = write!(l, " [h{n}]");
        }
        self.holds.push(HoldM {
            uuid: Uuid::parse_str(&id).expect("hold ids are UUIDs"),
            id,
            guest: g,
            points,
            expires_at: self.now() + Duration::seconds(HOLD_TTL_SECS),
            state: HoldState::Pending,
        });
        vec![(g, 0, points)]
    }

    /// Captures (`capture`) or voids a known hold, resolved or not.
    async fn resolve_hold(&mut self, capture: bool) -> Deltas {
        if !self.holds.iter().any(|h| h.state == HoldState::Pending) && self.rng.chance(70)
            || self.holds.is_empty()
        {
            return self.place_hold().await;
        }
        let h = self.pick_hold();
        let (g, points, state, expires_at, id) = {
            let x = &self.holds[h];
            (x.guest, x.points, x.state, x.expires_at, x.id.clone())
        };
        let now = self.now();
        let expect = if state != HoldState::Pending || (capture && expires_at <= now) {
            Expect::Refused("CONFLICT")
        } else {
            Expect::Ok
        };
        let (query, action, field, status) = if capture {
            (CAPTURE, "capture", "captureHold", "CAPTURED")
        } else {
            (VOID, "void", "voidHold", "VOIDED")
        };
        let r = self.call(query, json!({ "h": id })).await;
        let what = format!(
            "{field} h{h} (g{g}, {points}, {state:?}, expires in {}s)",
            (expires_at - now).num_seconds()
        );
        if !self.outcome(action, &what, &r, expect) {
            return vec![];
        }
        self.ensure(r["data"][field]["status"] == status, || {
            format!("{what}: want {status}: {r}")
        });
        if capture {
            self.holds[h].state = HoldState::Captured;
            vec![(g, -points, -points)]
        } else {
            self.holds[h].state = HoldState::Voided;
            vec![(g, 0, -points)]
        }
    }

    async fn reverse(&mut self) -> Deltas {
        if self.checks.is_empty() {
            return self.new_check(0).await;
        }
        let c = self.rng.below(self.checks.len());
        let (g, earned, redeemed, reversed, id) = {
            let x = &self.checks[c];
            (x.guest, x.earned, x.redeemed, x.reversed, x.id.clone())
        };
        let avail = self.available(g);
        let expect = if reversed || earned > avail {
            Expect::Refused("CONFLICT")
        } else {
            Expect::Ok
        };
        let r = self
            .call(REVERSE, json!({ "c": id, "r": "workload" }))
            .await;
        let what = format!(
            "reverseCheck c{c} (g{g}, earned {earned}, redeemed {redeemed}, reversed {reversed}, available {avail})"
        );
        if !self.outcome("reverse", &what, &r, expect) {
            return vec![];
        }
        let a = &r["data"]["reverseCheck"];
        self.reported.push((
            g,
            int(&a["balance"]).unwrap_or(-1),
            int(&a["available"]).unwrap_or(-1),
            format!("{what}: {a}"),
        ));
        self.checks[c].reversed = true;
        vec![(g, redeemed - earned, 0)]
    }

    fn advance(&mut self) -> Deltas {
        let by = match self.rng.below(10) {
            0..=3 => Duration::minutes(self.rng.range(1, 16)),
            4 | 5 => Duration::hours(self.rng.range(1, 48)),
            _ => Duration::days(self.rng.range(30, 200)),
        };
        self.app.clock.advance(by);
        self.count("advance", true);
        self.note(format!("advance the clock by {by}"));
        vec![]
    }

    fn system_ctx(&self) -> Ctx {
        Ctx::system(TenantId::from_str(&self.tenant.to_string()).expect("tenant"))
    }

    async fn expire_holds(&mut self) -> Deltas {
        let now = self.now();
        let due: Vec<usize> = (0..self.holds.len())
            .filter(|&i| {
                self.holds[i].state == HoldState::Pending && self.holds[i].expires_at <= now
            })
            .collect();
        let r = self.app.loyalty.expire_holds(&self.system_ctx()).await;
        self.count("expire_holds", true);
        self.note(format!("expire_holds (due: {due:?}) -> {r:?}"));
        self.ensure(matches!(r, Ok(n) if n == due.len()), || {
            format!(
                "expire_holds: want Ok({}) for holds {due:?}, got {r:?}",
                due.len()
            )
        });
        due.iter()
            .map(|&h| {
                self.holds[h].state = HoldState::Expired;
                (self.holds[h].guest, 0, -self.holds[h].points)
            })
            .collect()
    }

    async fn expire_points(&mut self) -> Deltas {
        let due: Vec<usize> = (0..self.guests.len())
            .filter(|&g| self.snap[g].expired > 0)
            .collect();
        let r = self.app.loyalty.expire_points(&self.system_ctx()).await;
        self.count("expire_points", true);
        let taken: Vec<i64> = self
            .snap
            .iter()
            .map(|a| a.expired.min(a.balance - a.held).max(0))
            .collect();
        self.note(format!(
            "expire_points (guests with expired lots: {due:?}, to take {taken:?}) -> {r:?}"
        ));
        self.ensure(matches!(r, Ok(n) if n == due.len()), || {
            format!(
                "expire_points: want Ok({}) for guests {due:?}, got {r:?}",
                due.len()
            )
        });
        self.expired_after = Some(
            self.snap
                .iter()
                .zip(&taken)
                .map(|(a, t)| a.expired - t)
                .collect(),
        );
        taken
            .iter()
            .enumerate()
            .filter(|(_, t)| **t > 0)
            .map(|(g, t)| (g, -t, 0))
            .collect()
    }

    async fn random_step(&mut self) -> Deltas {
        const WEIGHTS: [(u8, usize); 15] = [
            (0, 14), // a check
            (1, 12), // a check paying with points
            (2, 4),  // a check asking for too many points
            (3, 7),  // a check paid by a hold
            (4, 5),  // the same check again
            (5, 3),  // another check under a used id
            (6, 8),  // add points
            (7, 8),  // take points
            (8, 10), // hold
            (9, 6),  // capture
            (10, 6), // void
            (11, 6), // reverse
            (12, 7), // move the clock
            (13, 3), // expire points
            (14, 3), // expire holds
        ];
        let total: usize = WEIGHTS.iter().map(|w| w.1).sum();
        let mut roll = self.rng.below(total);
        let mut action = 0;
        for (a, w) in WEIGHTS {
            if roll < w {
                action = a;
                break;
            }
            roll -= w;
        }
        match action {
            0..=2 => self.new_check(action).await,
            3 => self.check_with_hold().await,
            4 => self.replay_check(true).await,
            5 => self.replay_check(false).await,
            6 => self.adjust(true).await,
            7 => self.adjust(false).await,
            8 => self.place_hold().await,
            9 => self.resolve_hold(true).await,
            10 => self.resolve_hold(false).await,
            11 => self.reverse().await,
            12 => self.advance(),
            13 => self.expire_points().await,
            _ => self.expire_holds().await,
        }
    }

    // ----- the oracle ------------------------------------------------------------------

    fn statement(&self, sql: &str) -> Statement {
        let (backend, p) = match self.backend {
            Backend::Postgres => (DbBackend::Postgres, "$1"),
            Backend::Sqlite => (DbBackend::Sqlite, "?"),
        };
        Statement::from_sql_and_values(backend, sql.replace("{p}", p), [self.tenant.into()])
    }

    fn guest_of(&self, row: &QueryResult, table: &str) -> usize {
        let id: Uuid = row.try_get("", "guest_id").expect("guest_id");
        self.guests
            .iter()
            .position(|(_, u)| *u == id)
            .unwrap_or_else(|| self.fail(&format!("{table} has a row of an unknown guest {id}")))
    }

    /// Reads every account, entry, lot and hold in one transaction and checks the
    /// invariants; returns the accounts.
    async fn read_and_check(&self) -> Vec<Acct> {
        let now = self.now();
        let txn = self.db.begin().await.expect("begin a read");
        if self.backend == Backend::Postgres {
            txn.execute_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT set_config('app.tenant_id', '{}', true)",
                    self.tenant
                ),
            ))
            .await
            .expect("tenant setting");
        }
        let q = |sql: &str| txn.query_all_raw(self.statement(sql));
        let accounts = q("SELECT guest_id, balance, held FROM accounts WHERE tenant_id = {p}")
            .await
            .expect("accounts");
        let entries = q("SELECT guest_id, kind, amount, held_delta, balance_after, hold_id FROM ledger_entries WHERE tenant_id = {p} ORDER BY id")
            .await
            .expect("ledger entries");
        let lots =
            q("SELECT guest_id, initial, remaining, expires_at FROM lots WHERE tenant_id = {p}")
                .await
                .expect("lots");
        let holds = q("SELECT id, guest_id, amount, status FROM holds WHERE tenant_id = {p}")
            .await
            .expect("holds");
        txn.commit().await.expect("end the read");

        let n = self.guests.len();
        let get = |r: &QueryResult, c: &str| -> i64 {
            r.try_get("", c)
                .unwrap_or_else(|e| self.fail(&format!("column {c}: {e}")))
        };

        let mut acct: Vec<Option<(i64, i64)>> = vec![None; n];
        for r in &accounts {
            let g = self.guest_of(r, "accounts");
            self.ensure(acct[g].is_none(), || format!("two accounts for g{g}"));
            acct[g] = Some((get(r, "balance"), get(r, "held")));
        }

        // Entries, oldest first: sums, the running balance, hold resolutions.
        let mut sum = vec![0_i64; n];
        let mut held_sum = vec![0_i64; n];
        // hold id → (hold entries, captures, voids)
        let mut by_hold: HashMap<Uuid, (i64, i64, i64)> = HashMap::new();
        for (i, r) in entries.iter().enumerate() {
            let g = self.guest_of(r, "ledger_entries");
            let kind: String = r.try_get("", "kind").expect("kind");
            let amount = get(r, "amount");
            let held_delta = get(r, "held_delta");
            let after = get(r, "balance_after");
            sum[g] += amount;
            held_sum[g] += held_delta;
            self.ensure(after == sum[g] && after >= 0, || {
                format!("entry {i} of g{g} ({kind} {amount}): balance_after {after}, but the entries so far sum to {}", sum[g])
            });
            self.ensure(held_sum[g] >= 0 && held_sum[g] <= sum[g], || {
                format!(
                    "after entry {i} of g{g} ({kind}): held {} outside 0..=balance {}",
                    held_sum[g], sum[g]
                )
            });
            let hold: Option<Uuid> = r.try_get("", "hold_id").expect("hold_id");
            if let Some(h) = hold {
                let e = by_hold.entry(h).or_default();
                match kind.as_str() {
                    "hold" => e.0 += 1,
                    "hold_capture" => e.1 += 1,
                    "hold_void" => e.2 += 1,
                    other => self.fail(&format!("a {other} entry names hold {h}")),
                }
            } else {
                self.ensure(
                    !matches!(kind.as_str(), "hold" | "hold_capture" | "hold_void"),
                    || format!("a {kind} entry of g{g} names no hold"),
                );
            }
        }

        let mut lot_sum = vec![0_i64; n];
        let mut expired = vec![0_i64; n];
        for r in &lots {
            let g = self.guest_of(r, "lots");
            let (initial, remaining) = (get(r, "initial"), get(r, "remaining"));
            self.ensure(initial > 0 && (0..=initial).contains(&remaining), || {
                format!("a lot of g{g}: remaining {remaining} of {initial}")
            });
            lot_sum[g] += remaining;
            let expires_at: Option<DateTime<Utc>> = r
                .try_get("", "expires_at")
                .unwrap_or_else(|e| self.fail(&format!("lots.expires_at: {e}")));
            if expires_at.is_some_and(|t| t <= now) {
                expired[g] += remaining;
            }
        }

        let mut pending = vec![0_i64; n];
        let mut seen = 0;
        for r in &holds {
            let g = self.guest_of(r, "holds");
            let id: Uuid = r.try_get("", "id").expect("hold id");
            let amount = get(r, "amount");
            let status: String = r.try_get("", "status").expect("status");
            if status == "pending" {
                pending[g] += amount;
            }
            let (placed, captures, voids) = by_hold.get(&id).copied().unwrap_or_default();
            self.ensure(captures + voids <= 1, || {
                format!(
                    "hold {id} of g{g} resolved {} times ({captures} captures, {voids} voids)",
                    captures + voids
                )
            });
            let want = match status.as_str() {
                "pending" => (1, 0, 0),
                "captured" => (1, 1, 0),
                "voided" | "expired" => (1, 0, 1),
                other => self.fail(&format!("hold {id} has status {other}")),
            };
            self.ensure((placed, captures, voids) == want, || {
                format!("hold {id} of g{g} is {status} but has {placed} hold, {captures} capture and {voids} void entries")
            });
            let m = self
                .holds
                .iter()
                .position(|h| h.uuid == id)
                .unwrap_or_else(|| self.fail(&format!("hold {id} of g{g} was never granted")));
            let hm = &self.holds[m];
            self.ensure(
                hm.guest == g && hm.points == amount && hm.state.db() == status,
                || {
                    format!(
                        "hold h{m} is {status} ({amount} of g{g}) in the database, {:?} ({} of g{}) in the model",
                        hm.state, hm.points, hm.guest
                    )
                },
            );
            seen += 1;
        }
        self.ensure(seen == self.holds.len(), || {
            format!(
                "{} holds in the database, {} granted",
                seen,
                self.holds.len()
            )
        });
        self.ensure(by_hold.len() == seen, || {
            "ledger entries name holds that do not exist".to_owned()
        });

        let mut out = Vec::with_capacity(n);
        for g in 0..n {
            let Some((balance, held)) = acct[g] else {
                self.fail(&format!("g{g} has no account"))
            };
            let facts = format!(
                "g{g}: balance {balance}, held {held}; Σ entries {}, Σ held deltas {}, Σ remaining lots {}, Σ pending holds {}",
                sum[g], held_sum[g], lot_sum[g], pending[g]
            );
            self.ensure(balance >= 0 && held >= 0 && held <= balance, || {
                format!("negative or over-held account: {facts}")
            });
            self.ensure(balance == sum[g], || {
                format!("balance ≠ Σ entries: {facts}")
            });
            self.ensure(held == held_sum[g], || {
                format!("held ≠ Σ held deltas: {facts}")
            });
            self.ensure(balance == lot_sum[g], || {
                format!("balance ≠ Σ remaining lots: {facts}")
            });
            self.ensure(held == pending[g], || {
                format!("held ≠ Σ pending holds: {facts}")
            });
            out.push(Acct {
                balance,
                held,
                expired: expired[g],
            });
        }
        out
    }

    /// Checks the database after a step and compares it with the model's deltas.
    async fn verify(&mut self, deltas: &[(usize, i64, i64)]) {
        let snap = self.read_and_check().await;
        let mut want: Vec<(i64, i64)> = self.snap.iter().map(|a| (a.balance, a.held)).collect();
        for &(g, db, dh) in deltas {
            want[g].0 += db;
            want[g].1 += dh;
        }
        for g in 0..snap.len() {
            self.ensure((snap[g].balance, snap[g].held) == want[g], || {
                format!(
                    "g{g} went from (balance, held) = ({}, {}) to ({}, {}); the step should have made ({}, {})",
                    self.snap[g].balance, self.snap[g].held, snap[g].balance, snap[g].held, want[g].0, want[g].1
                )
            });
        }
        for (g, balance, available, what) in std::mem::take(&mut self.reported) {
            let a = snap[g];
            self.ensure(
                balance == a.balance && available == a.balance - a.held,
                || format!("the response disagrees with the database {a:?}: {what}"),
            );
        }
        if let Some(left) = self.expired_after.take() {
            let now: Vec<i64> = snap.iter().map(|a| a.expired).collect();
            self.ensure(now == left, || {
                format!("after expiry the expired lots still hold {now:?}, want {left:?}")
            });
        }
        self.snap = snap;
    }
}

async fn a_seeded_random_workload_keeps_the_ledger_consistent_after_every_step(backend: Backend) {
    let seed = env_u64("MAXLOYALTY_WORKLOAD_SEED").unwrap_or_else(|| {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        // Low bits of the time, mixed with the process id.
        u64::try_from(t % u128::from(u64::MAX)).unwrap_or(0) ^ u64::from(std::process::id())
    });
    let steps = env_u64("MAXLOYALTY_WORKLOAD_STEPS")
        .and_then(|s| usize::try_from(s).ok())
        .unwrap_or(150);
    eprintln!(
        "ledger workload on {backend:?}: seed {seed}, {steps} steps \
         (MAXLOYALTY_WORKLOAD_SEED={seed} replays it)"
    );
    let started = std::time::Instant::now();
    let mut w = Workload::start(backend, seed, steps).await;
    w.verify(&[]).await;
    for i in 1..=steps {
        w.step = i;
        let deltas = w.random_step().await;
        w.verify(&deltas).await;
    }
    let summary: Vec<String> = w
        .stats
        .iter()
        .map(|(a, (ok, no))| format!("{a} {ok}/{no}"))
        .collect();
    eprintln!(
        "ledger workload on {backend:?}: seed {seed}, {steps} steps passed in {:.1}s; \
         ok/refused: {}; final accounts: {:?}",
        started.elapsed().as_secs_f64(),
        summary.join(", "),
        w.snap
            .iter()
            .map(|a| (a.balance, a.held))
            .collect::<Vec<_>>()
    );
    w.db.clone().close().await.ok();
}
both_backends!(a_seeded_random_workload_keeps_the_ledger_consistent_after_every_step);
