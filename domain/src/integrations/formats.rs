//! The wire formats POS systems send, parsed into one shape. Pure functions:
//! money is converted to minor units exactly (decimal text, never floats).

use serde_json::Value;

/// How a message names the guest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GuestKey {
    /// A phone in any common format.
    Phone(String),
    /// Our card code (or, from r_keeper, the card number the relay sends).
    Card(String),
    /// The payload of the guest's QR code.
    Qr(String),
}

/// A closed check, whatever the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedCheck {
    /// The source's id (dedupe key).
    pub external_id: String,
    /// Whose.
    pub guest: GuestKey,
    /// Total, minor units.
    pub total_minor: i64,
    /// Points to pay with.
    pub redeem_points: Option<i64>,
    /// Or a hold (from `hold.create`) to capture.
    pub hold_id: Option<String>,
}

impl ClosedCheck {
    /// What must be equal for a repeated delivery to be the same check.
    #[must_use]
    pub fn fingerprint_source(&self) -> String {
        format!(
            "{:?}|{}|{:?}|{:?}",
            self.guest, self.total_minor, self.redeem_points, self.hold_id
        )
    }
}

/// A message of our canonical POS format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PosMessage {
    /// `check.closed`: accrue (and redeem) — stored, answered 202, processed by a worker.
    CheckClosed(ClosedCheck),
    /// `guest.lookup`: balance and what a total allows to redeem — answered at once.
    GuestLookup {
        /// Whose.
        guest: GuestKey,
        /// The check total, for the redeemable maximum.
        total_minor: Option<i64>,
    },
    /// `hold.create`: reserve points before payment — answered at once.
    HoldCreate {
        /// Whose.
        guest: GuestKey,
        /// Points.
        points: i64,
        /// The check total, to enforce the level's share.
        total_minor: Option<i64>,
    },
    /// `hold.void`: release a hold — answered at once.
    HoldVoid {
        /// The hold.
        hold_id: String,
    },
}

impl PosMessage {
    /// The log name of the message.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::CheckClosed(_) => "check.closed",
            Self::GuestLookup { .. } => "guest.lookup",
            Self::HoldCreate { .. } => "hold.create",
            Self::HoldVoid { .. } => "hold.void",
        }
    }
}

fn bad(m: impl Into<String>) -> String {
    m.into()
}

/// An integer amount of minor units from a JSON integer.
fn minor(v: &Value, field: &str) -> Result<i64, String> {
    v.as_i64().ok_or_else(|| {
        bad(format!(
            "`{field}` must be an integer amount of minor units"
        ))
    })
}

/// Minor units from a decimal JSON number in major units (`1250.0` → 125000),
/// exactly: the number's shortest decimal text is parsed, not its float value.
///
/// # Errors
/// Not a number, more than 2 decimals, or out of range.
pub fn major_to_minor(v: &Value, field: &str) -> Result<i64, String> {
    let Value::Number(n) = v else {
        return Err(bad(format!("`{field}` must be a number")));
    };
    let text = n.to_string();
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    if digits.contains(['e', 'E']) {
        return Err(bad(format!("`{field}` is out of range")));
    }
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let frac = frac.trim_end_matches('0');
    if frac.len() > 2 {
        return Err(bad(format!("`{field}` has more than 2 decimals")));
    }
    let units: i64 = int
        .parse()
        .map_err(|_| bad(format!("`{field}` is out of range")))?;
    let cents: i64 = format!("{frac:0<2}")
        .parse()
        .map_err(|_| bad(format!("`{field}` is not a decimal")))?;
    let v = units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .ok_or_else(|| bad(format!("`{field}` is out of range")))?;
    Ok(if neg { -v } else { v })
}

fn guest_key(v: Option<&Value>) -> Result<GuestKey, String> {
    let g = v
        .and_then(Value::as_object)
        .ok_or_else(|| bad("`guest` must be an object with one of phone, cardCode, qr"))?;
    let pick = |k: &str| g.get(k).and_then(Value::as_str).map(str::to_owned);
    let keys: Vec<GuestKey> = [
        pick("phone").map(GuestKey::Phone),
        pick("cardCode").map(GuestKey::Card),
        pick("qr").map(GuestKey::Qr),
    ]
    .into_iter()
    .flatten()
    .collect();
    match keys.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(bad("`guest` must have exactly one of phone, cardCode, qr")),
    }
}

fn text(o: &serde_json::Map<String, Value>, k: &str) -> Result<String, String> {
    match o.get(k).and_then(Value::as_str).map(str::trim) {
        Some(s) if !s.is_empty() && s.len() <= 128 && !s.chars().any(char::is_control) => {
            Ok(s.to_owned())
        }
        _ => Err(bad(format!(
            "`{k}` must be a string of 1 to 128 characters"
        ))),
    }
}

/// Checks `Σ items − discounts = total = Σ payments` when items or payments are given.
fn check_sums(o: &serde_json::Map<String, Value>, total: i64) -> Result<(), String> {
    if let Some(items) = o.get("items") {
        let items = items
            .as_array()
            .ok_or_else(|| bad("`items` must be an array"))?;
        let mut sum: i64 = 0;
        for (i, it) in items.iter().enumerate() {
            let t = it
                .get("totalMinor")
                .ok_or_else(|| bad(format!("`items[{i}].totalMinor` is missing")))?;
            sum = sum
                .checked_add(minor(t, "items[].totalMinor")?)
                .ok_or_else(|| bad("`items` overflow"))?;
        }
        let discounts = match o.get("discountsMinor") {
            Some(d) => minor(d, "discountsMinor")?,
            None => 0,
        };
        if sum - discounts != total {
            return Err(bad(format!(
                "Σ items − discounts = {} but totalMinor = {total}",
                sum - discounts
            )));
        }
    }
    if let Some(payments) = o.get("payments") {
        let payments = payments
            .as_array()
            .ok_or_else(|| bad("`payments` must be an array"))?;
        let mut sum: i64 = 0;
        for (i, p) in payments.iter().enumerate() {
            let a = p
                .get("amountMinor")
                .ok_or_else(|| bad(format!("`payments[{i}].amountMinor` is missing")))?;
            sum = sum
                .checked_add(minor(a, "payments[].amountMinor")?)
                .ok_or_else(|| bad("`payments` overflow"))?;
        }
        if sum != total {
            return Err(bad(format!("Σ payments = {sum} but totalMinor = {total}")));
        }
    }
    Ok(())
}

/// Parses our canonical POS format (see `docs/POS_WEBHOOK.md`).
///
/// # Errors
/// What is wrong, for a 400 answer.
pub fn parse_canonical(body: &str) -> Result<PosMessage, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| bad(format!("not JSON: {e}")))?;
    let o = v
        .as_object()
        .ok_or_else(|| bad("the body must be a JSON object"))?;
    let kind = o
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("`type` is missing"))?;
    match kind {
        "check.closed" => {
            let total = minor(
                o.get("totalMinor")
                    .ok_or_else(|| bad("`totalMinor` is missing"))?,
                "totalMinor",
            )?;
            if total <= 0 {
                return Err(bad("`totalMinor` must be above zero"));
            }
            check_sums(o, total)?;
            let redeem_points = o
                .get("redeemPoints")
                .map(|p| {
                    p.as_i64()
                        .filter(|p| *p >= 0)
                        .ok_or_else(|| bad("`redeemPoints` must be a whole number ≥ 0"))
                })
                .transpose()?;
            let hold_id = o.get("holdId").and_then(Value::as_str).map(str::to_owned);
            if redeem_points.is_some_and(|p| p > 0) && hold_id.is_some() {
                return Err(bad("give either `redeemPoints` or `holdId`, not both"));
            }
            Ok(PosMessage::CheckClosed(ClosedCheck {
                external_id: text(o, "externalId")?,
                guest: guest_key(o.get("guest"))?,
                total_minor: total,
                redeem_points,
                hold_id,
            }))
        }
        "guest.lookup" => Ok(PosMessage::GuestLookup {
            guest: guest_key(o.get("guest"))?,
            total_minor: o
                .get("totalMinor")
                .map(|t| minor(t, "totalMinor"))
                .transpose()?,
        }),
        "hold.create" => Ok(PosMessage::HoldCreate {
            guest: guest_key(o.get("guest"))?,
            points: o
                .get("points")
                .and_then(Value::as_i64)
                .filter(|p| *p > 0)
                .ok_or_else(|| bad("`points` must be a whole number above zero"))?,
            total_minor: o
                .get("totalMinor")
                .map(|t| minor(t, "totalMinor"))
                .transpose()?,
        }),
        "hold.void" => Ok(PosMessage::HoldVoid {
            hold_id: text(o, "holdId")?,
        }),
        other => Err(bad(format!(
            "unknown `type` {other:?}: use check.closed, guest.lookup, hold.create or hold.void"
        ))),
    }
}

/// One event of an iiko webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IikoEvent {
    /// `eventType`.
    pub event_type: String,
    /// The organization (`organizationId`).
    pub organization_id: Option<String>,
    /// The order (`eventInfo.id`), for order events.
    pub order_id: Option<String>,
    /// `organizationId:orderId` for order events.
    pub external_id: Option<String>,
    /// The order, when it has just been closed (the only status that accrues).
    pub closed: Option<ClosedCheck>,
    /// Why it does not accrue, for the log.
    pub note: Option<String>,
    /// The event as received.
    pub raw: String,
}

/// What an iiko `OrderInfo` object (a webhook's `eventInfo`, or what
/// iikoCloud answers for an order) says about points: the closed check under
/// `external_id`, or why there is none.
///
/// # Errors
/// A sum that is not an exact amount.
pub fn iiko_order_check(
    info: Option<&serde_json::Map<String, Value>>,
    external_id: Option<&str>,
) -> Result<Result<ClosedCheck, String>, String> {
    let order = info.and_then(|i| i.get("order")).and_then(Value::as_object);
    let (order, ext) = match (order, external_id) {
        (None, _) => return Ok(Err("no order in the event".to_owned())),
        (Some(_), None) => return Ok(Err("the order has no id".to_owned())),
        (Some(order), Some(ext)) => (order, ext),
    };
    let status = order.get("status").and_then(Value::as_str).unwrap_or("");
    if status != "Closed" {
        return Ok(Err(format!("order status {status}: nothing to accrue")));
    }
    let phone = order
        .get("phone")
        .and_then(Value::as_str)
        .or_else(|| order.get("customer")?.get("phone")?.as_str());
    Ok(match (phone, order.get("sum")) {
        (Some(phone), Some(sum)) => Ok(ClosedCheck {
            external_id: ext.to_owned(),
            guest: GuestKey::Phone(phone.to_owned()),
            total_minor: major_to_minor(sum, "order.sum")?,
            redeem_points: None,
            hold_id: None,
        }),
        (None, _) => Err("the order has no guest phone".to_owned()),
        (_, None) => Err("the order has no sum".to_owned()),
    })
}

/// Parses an iikoCloud webhook delivery: a JSON array of mixed events.
///
/// # Errors
/// Not a JSON array of objects.
pub fn parse_iiko(body: &str) -> Result<Vec<IikoEvent>, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| bad(format!("not JSON: {e}")))?;
    let events = v
        .as_array()
        .ok_or_else(|| bad("an iiko delivery is a JSON array of events"))?;
    events
        .iter()
        .map(|e| {
            let o = e
                .as_object()
                .ok_or_else(|| bad("every iiko event must be an object"))?;
            let event_type = o
                .get("eventType")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_owned();
            let info = o.get("eventInfo").and_then(Value::as_object);
            let org = o
                .get("organizationId")
                .and_then(Value::as_str)
                .or_else(|| info.and_then(|i| i.get("organizationId")?.as_str()));
            let order_id = info.and_then(|i| i.get("id")?.as_str());
            let external_id = match (org, order_id) {
                (Some(org), Some(id)) => Some(format!("{org}:{id}")),
                _ => None,
            };
            let (closed, note) = match iiko_order_check(info, external_id.as_deref())? {
                Ok(c) => (Some(c), None),
                Err(why) => (None, Some(why)),
            };
            Ok(IikoEvent {
                event_type,
                organization_id: org.map(str::to_owned),
                order_id: order_id.map(str::to_owned),
                external_id,
                closed,
                note,
                raw: e.to_string(),
            })
        })
        .collect()
}

/// One transaction relayed from r_keeper's FarCards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RKeeperTransaction {
    /// The check it belongs to.
    pub check: ClosedCheck,
    /// The transaction as received.
    pub raw: String,
}

/// Parses the FarCards relay JSON: each transaction is a check paid on the
/// guest's card; `amount` is in kopecks (negative = charged), the check total
/// is its absolute value; the external id is restaurant:register:cash date:check number.
///
/// # Errors
/// Missing fields or a zero amount.
pub fn parse_rkeeper(body: &str) -> Result<Vec<RKeeperTransaction>, String> {
    let v: Value = serde_json::from_str(body).map_err(|e| bad(format!("not JSON: {e}")))?;
    let txs = v
        .get("transactions")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("`transactions` must be an array"))?;
    txs.iter()
        .enumerate()
        .map(|(i, t)| {
            let field = |k: &str| {
                t.get(k)
                    .ok_or_else(|| bad(format!("`transactions[{i}].{k}` is missing")))
            };
            let num = |k: &str| -> Result<String, String> {
                match field(k)? {
                    Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
                    Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
                    _ => Err(bad(format!("`transactions[{i}].{k}` must be an integer"))),
                }
            };
            let amount = minor(field("amount")?, "amount")?;
            if amount == 0 {
                return Err(bad(format!("`transactions[{i}].amount` is zero")));
            }
            let external_id = format!(
                "{}:{}:{}:{}",
                num("restaurant")?,
                num("cashregister")?,
                num("cashdate")?,
                num("check_number")?
            );
            Ok(RKeeperTransaction {
                check: ClosedCheck {
                    external_id,
                    guest: GuestKey::Card(num("card")?),
                    total_minor: amount.abs(),
                    redeem_points: None,
                    hold_id: None,
                },
                raw: t.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn major_units_convert_exactly() {
        assert_eq!(major_to_minor(&json!(1250.0), "s"), Ok(125_000));
        assert_eq!(major_to_minor(&json!(0.1), "s"), Ok(10));
        assert_eq!(major_to_minor(&json!(19.99), "s"), Ok(1999));
        assert_eq!(major_to_minor(&json!(-3.5), "s"), Ok(-350));
        assert!(major_to_minor(&json!(1.005), "s").is_err());
        assert!(major_to_minor(&json!("1"), "s").is_err());
    }

    #[test]
    fn canonical_checks_add_up() {
        let ok = json!({ "type": "check.closed", "externalId": "A-1", "guest": { "phone": "+79990001122" },
            "totalMinor": 1000, "items": [{ "totalMinor": 700 }, { "totalMinor": 400 }], "discountsMinor": 100,
            "payments": [{ "amountMinor": 1000 }] });
        assert!(matches!(
            parse_canonical(&ok.to_string()),
            Ok(PosMessage::CheckClosed(_))
        ));
        let bad_sum = json!({ "type": "check.closed", "externalId": "A-1", "guest": { "phone": "+7999" },
            "totalMinor": 1000, "payments": [{ "amountMinor": 900 }] });
        assert!(parse_canonical(&bad_sum.to_string()).is_err());
        let two = json!({ "type": "check.closed", "externalId": "A-1", "guest": { "phone": "1", "qr": "2" }, "totalMinor": 1 });
        assert!(parse_canonical(&two.to_string()).is_err());
        assert!(parse_canonical("[]").is_err());
        assert!(parse_canonical("{").is_err());
    }

    #[test]
    fn iiko_closed_orders_accrue_and_others_are_noted() {
        let body = include_str!("../../../fixtures/iiko/webhook_delivery_closed_and_stoplist.json");
        let events = parse_iiko(body).expect("parsed");
        assert_eq!(events.len(), 2);
        let closed = events[0].closed.as_ref().expect("closed order");
        assert_eq!(closed.total_minor, 125_000);
        assert_eq!(closed.guest, GuestKey::Phone("+79990001122".into()));
        assert_eq!(
            closed.external_id,
            "7bc05553-4b68-44e8-b7bc-37be63c6d9e9:aaaa1111-2222-3333-4444-555566667777"
        );
        assert!(events[1].closed.is_none());
        let error = include_str!("../../../fixtures/iiko/webhook_delivery_error.json");
        let events = parse_iiko(error).expect("parsed");
        assert!(events[0].closed.is_none(), "order: null is tolerated");
    }

    #[test]
    fn rkeeper_kopecks_and_ids() {
        let body = include_str!("../../../fixtures/r_keeper/farcards_transactions_relay.json");
        let txs = parse_rkeeper(body).expect("parsed");
        assert_eq!(txs[0].check.total_minor, 15_000);
        assert_eq!(txs[0].check.external_id, "101:3:45717:88123");
        assert_eq!(
            txs[0].check.guest,
            GuestKey::Card("4000123412341234".into())
        );
    }
}
