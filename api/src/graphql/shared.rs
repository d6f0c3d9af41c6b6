//! Subscriptions rendered once for everyone who asked the same thing.
//!
//! Ten thousand cashier screens of one location all ask for
//! `checkProcessed(locationId: L) { … }`. Executed one by one, each event is
//! resolved, validated against the selection and turned into a response ten
//! thousand times. Here, subscribers whose request and rights are the same share
//! one execution: it is resolved and serialised once per event, and every
//! subscriber gets the same text (only the protocol frame around it is written
//! per connection, in [`super::ws`]).
//!
//! Two subscriptions share when they have the same [`ShareKey`]:
//! - the same tenant, the same kind of caller (staff or API key) and the same
//!   permissions in the tenant *now* (read from the policy store at subscribe
//!   time, the store every guard asks; so two cashiers share, a cashier and a
//!   manager do not);
//! - the same document, operation name and variables;
//! - and every root field is one of [`PURE_FIELDS`]: fields whose stream and
//!   output depend on nothing of the caller but the tenant and the permissions.
//!
//! Anything else (guests, whose subscriptions are their own anyway; anonymous
//! callers; other fields; fragments at the root; request extensions) runs
//! alone, exactly as before. An execution that fails (a guard refuses, an
//! argument is invalid) is never joined: whoever shares it at that moment gets
//! the error, and later subscribers execute on their own and get their own
//! answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
use async_graphql::{Data, Request, Response, Value};
use domain::TenantId;
use domain::identity::{IdentityService, Permission};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::sync::broadcast;

use super::AppSchema;
use crate::auth::Caller;

/// Subscription fields that may be shared: their resolvers read only the
/// caller's tenant (and are guarded by permissions only), their output types
/// resolve nothing further from the caller, and they send nothing at
/// subscribe time, only events as they happen (a subscriber joining a running
/// execution would miss an opening value). Add a field here only if all of
/// that stays true.
pub const PURE_FIELDS: &[&str] = &["checkProcessed", "guestUpdated"];

/// How many responses a shared execution keeps for a subscriber that is
/// behind (it then skips what it missed, as the bus does: live views refetch).
const CAPACITY: usize = 256;

/// What makes two subscriptions the same.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ShareKey {
    tenant: TenantId,
    api_key: bool,
    permissions: Vec<Permission>,
    query: String,
    operation: Option<String>,
    variables: String,
}

/// One execution and the subscribers sharing it.
struct Shared {
    tx: broadcast::Sender<Arc<str>>,
}

/// What a subscription sends next.
pub enum Payload {
    /// A response of the subscriber's own execution.
    Own(Box<Response>),
    /// A shared execution's response, serialised once for every subscriber.
    Rendered(Arc<str>),
}

type Registry = Mutex<HashMap<ShareKey, Arc<Shared>>>;

/// The schema's subscriptions, sharing what can be shared.
#[derive(Clone)]
pub struct SharedSubscriptions {
    schema: AppSchema,
    identity: Arc<IdentityService>,
    registry: Arc<Registry>,
    enabled: bool,
}

impl SharedSubscriptions {
    /// Serves subscriptions of `schema`, asking `identity` for callers'
    /// permissions; with `enabled` false, every subscription runs alone.
    #[must_use]
    pub fn new(schema: AppSchema, identity: Arc<IdentityService>, enabled: bool) -> Self {
        Self {
            schema,
            identity,
            registry: Arc::new(Mutex::new(HashMap::new())),
            enabled,
        }
    }

    /// Shared executions running now, and the subscribers they serve.
    #[must_use]
    pub fn stats(&self) -> (usize, usize) {
        let reg = lock(&self.registry);
        let subscribers = reg.values().map(|s| s.tx.receiver_count()).sum();
        (reg.len(), subscribers)
    }

    /// The key this request would share under, if it may be shared.
    async fn key(&self, request: &Request, data: &Data) -> Option<ShareKey> {
        if !self.enabled || !request.extensions.0.is_empty() || !request.uploads.is_empty() {
            return None;
        }
        if !only_pure_fields(&request.query, request.operation_name.as_deref()) {
            return None;
        }
        let (ctx, api_key) = match caller_of(data)? {
            Caller::Staff(ctx) => (ctx, false),
            Caller::ApiKey(ctx) => (ctx, true),
            Caller::Guest(_) | Caller::Anonymous(_) | Caller::Rejected(..) => return None,
        };
        let permissions = self.identity.permissions(ctx).await.ok()?;
        Some(ShareKey {
            tenant: ctx.tenant(),
            api_key,
            permissions,
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).ok()?,
        })
    }

    /// Joins the running execution of `key`, or starts it with this
    /// subscriber's request and data.
    fn join(
        &self,
        key: ShareKey,
        request: Request,
        data: Arc<Data>,
    ) -> broadcast::Receiver<Arc<str>> {
        let mut reg = lock(&self.registry);
        if let Some(shared) = reg.get(&key) {
            return shared.tx.subscribe();
        }
        let (tx, rx) = broadcast::channel(CAPACITY);
        let shared = Arc::new(Shared { tx });
        reg.insert(key.clone(), Arc::clone(&shared));
        drop(reg);
        let stream = self.schema.execute_stream_with_session_data(request, data);
        tokio::spawn(drive(stream, key, shared, Arc::clone(&self.registry)));
        rx
    }

    /// Runs `request` (a subscription, or any operation: it then answers once)
    /// with the connection's `data`: in a shared execution when it may be
    /// shared, alone otherwise.
    #[must_use]
    pub fn subscribe(&self, request: Request, data: Arc<Data>) -> BoxStream<'static, Payload> {
        let this = self.clone();
        futures_util::stream::once(async move {
            match this.key(&request, &data).await {
                Some(key) => receive(this.join(key, request, data)),
                None => this
                    .schema
                    .execute_stream_with_session_data(request, data)
                    .map(|r| Payload::Own(Box::new(r)))
                    .boxed(),
            }
        })
        .flatten()
        .boxed()
    }
}

/// Runs one shared execution: each response is made and serialised once and
/// handed to every subscriber. Ends when the execution does, or when its last
/// subscriber has gone (checked under the registry's lock, so a subscriber
/// joining at that moment is never left on an ended execution).
async fn drive(
    mut stream: BoxStream<'static, Response>,
    key: ShareKey,
    shared: Arc<Shared>,
    registry: Arc<Registry>,
) {
    loop {
        tokio::select! {
            next = stream.next() => {
                let Some(response) = next else { break };
                if response.data == Value::Null && response.is_err() {
                    // A failed execution: nobody joins it from now on.
                    forget(&registry, &key, &shared);
                }
                // What the protocol sends of a response (data, errors,
                // extensions; headers and cache hints are for HTTP).
                let rendered = match serde_json::to_string(&response) {
                    Ok(json) => Arc::from(json),
                    Err(e) => {
                        tracing::error!(error = %e, "a shared subscription response could not be serialised");
                        continue;
                    }
                };
                // No subscriber left is fine: the next turn sees it.
                let _ = shared.tx.send(rendered);
            }
            () = shared.tx.closed() => {
                let mut reg = lock(&registry);
                if shared.tx.receiver_count() == 0 {
                    remove(&mut reg, &key, &shared);
                    return;
                }
            }
        }
    }
    forget(&registry, &key, &shared);
}

/// Removes `shared` from the registry if it is still the execution of `key`.
fn forget(registry: &Registry, key: &ShareKey, shared: &Arc<Shared>) {
    remove(&mut lock(registry), key, shared);
}

fn remove(reg: &mut HashMap<ShareKey, Arc<Shared>>, key: &ShareKey, shared: &Arc<Shared>) {
    if reg.get(key).is_some_and(|s| Arc::ptr_eq(s, shared)) {
        reg.remove(key);
    }
}

/// One subscriber's view of a shared execution's responses.
fn receive(rx: broadcast::Receiver<Arc<str>>) -> BoxStream<'static, Payload> {
    futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(r) => return Some((Payload::Rendered(r), rx)),
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
    .boxed()
}

fn caller_of(data: &Data) -> Option<&Caller> {
    data.get(&std::any::TypeId::of::<Caller>())
        .and_then(|d| d.downcast_ref::<Caller>())
}

/// Whether the operation to run is a subscription whose root selections are
/// all fields of [`PURE_FIELDS`] (no fragments at the root).
fn only_pure_fields(query: &str, operation: Option<&str>) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    let op = match (&doc.operations, operation) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => match ops.get(name) {
            Some(op) => op,
            None => return false,
        },
        (DocumentOperations::Multiple(_), None) => return false,
    };
    op.node.ty == OperationType::Subscription
        && !op.node.selection_set.node.items.is_empty()
        && op
            .node
            .selection_set
            .node
            .items
            .iter()
            .all(|s| match &s.node {
                Selection::Field(f) => PURE_FIELDS.contains(&f.node.name.node.as_str()),
                Selection::FragmentSpread(_) | Selection::InlineFragment(_) => false,
            })
}

fn lock(registry: &Registry) -> MutexGuard<'_, HashMap<ShareKey, Arc<Shared>>> {
    registry
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::{PURE_FIELDS, only_pure_fields};

    #[test]
    fn every_pure_field_is_a_subscription_of_the_schema() {
        // A renamed field would silently stop sharing: the list must follow.
        let sdl = crate::graphql::sdl();
        let start = sdl
            .find("type Subscription {")
            .expect("a Subscription type");
        let end = start + sdl[start..].find("\n}").expect("its end");
        let subscription = &sdl[start..end];
        for field in PURE_FIELDS {
            assert!(
                subscription.contains(&format!("\t{field}(")),
                "{field} is not a subscription field: {subscription}"
            );
        }
    }

    #[test]
    fn only_subscriptions_of_pure_fields_are_shared() {
        let q = "subscription($l: ID!) { checkProcessed(locationId: $l) { checkId } }";
        assert!(only_pure_fields(q, None));
        let two = "subscription($l: ID!, $g: ID!) { a: checkProcessed(locationId: $l) { checkId } guestUpdated(guestId: $g) { balance } }";
        assert!(only_pure_fields(two, None));
        assert!(!only_pure_fields(
            "subscription { meChanged { role } }",
            None
        ));
        assert!(!only_pure_fields(
            "subscription($l: ID!) { checkProcessed(locationId: $l) { checkId } meChanged { role } }",
            None
        ));
        assert!(!only_pure_fields(
            "subscription { ... on Subscription { meChanged { role } } }",
            None
        ));
        assert!(!only_pure_fields(
            "query { checkProcessed { checkId } }",
            None
        ));
        assert!(!only_pure_fields("subscription {", None));
        let named = "subscription A($l: ID!) { checkProcessed(locationId: $l) { checkId } } subscription B { meChanged { role } }";
        assert!(only_pure_fields(named, Some("A")));
        assert!(!only_pure_fields(named, Some("B")));
        assert!(!only_pure_fields(named, Some("C")));
        assert!(!only_pure_fields(named, None));
    }
}
