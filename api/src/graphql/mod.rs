//! The GraphQL schema: one module per domain context, merged here. Every query
//! and mutation field carries exactly one access marker, both as a guard (which
//! enforces it) and as an SDL directive (which documents it for clients and for
//! the test that walks the schema):
//! - `@public` — no credentials needed (the allow-list in [`PUBLIC_FIELDS`]);
//! - `@authenticated` — any signed-in staff member, about themselves ([`Authenticated`]);
//! - `@requires(permission: "obj:act")` — the tenant's policy must grant it ([`Perm`]),
//!   to a staff member through their role or to an API key through its scopes;
//! - `@guest` — a guest signed in through the Mini App, about themselves only ([`GuestOnly`]).
//!
//! API keys reach only `@requires` fields (and `@public` ones).

pub mod identity;
pub mod integrations;
pub mod jobs;
pub mod loyalty;
pub mod notifications;
pub mod shared;
pub mod webhooks;
pub mod ws;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{
    Context, Guard, MergedObject, MergedSubscription, Schema, SimpleObject, TypeDirective,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::GuestId;
use domain::identity::{AccessError, IdentityService, Permission};
use domain::loyalty::LoyaltyService;
use domain::loyalty::ports::SearchPosition;
use domain::page::{Page, PageRequest};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::{gql, invalid};

/// Fields callable without credentials.
pub const PUBLIC_FIELDS: &[&str] = &[
    "signUp",
    "login",
    "refreshSession",
    "logout",
    "acceptInvitation",
    "invitationPreview",
    "guestSignIn",
    "requestPasswordReset",
    "resetPassword",
];

/// The root query.
#[derive(MergedObject, Default)]
pub struct Query(
    identity::queries::IdentityQuery,
    loyalty::queries::LoyaltyQuery,
    loyalty::miniapp::MiniAppQuery,
    loyalty::promotions::PromotionQuery,
    jobs::JobsQuery,
    integrations::IntegrationsQuery,
    identity::api_keys::ApiKeyQuery,
    webhooks::WebhooksQuery,
    notifications::NotificationQuery,
);

/// The root mutation.
#[derive(MergedObject, Default)]
pub struct Mutation(
    identity::mutations::IdentityMutation,
    loyalty::mutations::LoyaltyMutation,
    loyalty::miniapp::MiniAppMutation,
    loyalty::promotions::PromotionMutation,
    jobs::JobsMutation,
    integrations::IntegrationsMutation,
    identity::api_keys::ApiKeyMutation,
    webhooks::WebhooksMutation,
    notifications::NotificationMutation,
);

/// The root subscription.
#[derive(MergedSubscription, Default)]
pub struct Subscription(
    identity::subscriptions::IdentitySubscription,
    loyalty::subscriptions::LoyaltySubscription,
    loyalty::miniapp::MiniAppSubscription,
    notifications::NotificationSubscription,
);

/// The schema type.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest query.
    pub depth: usize,
    /// Most complex query.
    pub complexity: usize,
}

/// Builds the schema with its services.
#[must_use]
#[allow(clippy::too_many_arguments)]
pub fn build(
    identity: Arc<IdentityService>,
    loyalty: Arc<LoyaltyService>,
    jobs: Arc<domain::jobs::JobsAdmin>,
    integrations: Arc<domain::integrations::IntegrationService>,
    public_url: integrations::PublicUrl,
    webhooks: Arc<domain::webhooks::WebhookService>,
    notifications: Arc<domain::notifications::NotificationService>,
    bus: crate::realtime::LocalBus,
    limits: Limits,
    introspection: bool,
) -> AppSchema {
    let mut b = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .data(identity)
    .data(loyalty)
    .data(jobs)
    .data(integrations)
    .data(public_url)
    .data(webhooks)
    .data(notifications)
    .data(bus)
    .limit_depth(limits.depth)
    .limit_complexity(limits.complexity)
    .limit_recursive_depth(32)
    .limit_directives(16);
    if !introspection {
        b = b.disable_introspection();
    }
    b.finish()
}

/// The SDL of the schema (what `schema.graphql` must equal).
#[must_use]
pub fn sdl() -> String {
    let schema = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .finish();
    let mut out = String::from(
        "# MaxLoyalty GraphQL API. Generated from the server code: `cargo run -p api -- export-schema > schema.graphql`.\n\
         # Do not edit by hand; a test fails when this file differs from the code.\n\n",
    );
    out.push_str(&schema.sdl());
    out
}

/// `@requires(permission:)`: the field needs this permission in the caller's tenant.
#[TypeDirective(location = "FieldDefinition")]
pub fn requires(permission: String) {}

/// `@authenticated`: the field needs a signed-in staff member.
#[TypeDirective(location = "FieldDefinition")]
pub fn authenticated() {}

/// `@guest`: the field needs a guest signed in through the Mini App.
#[TypeDirective(location = "FieldDefinition")]
pub fn guest() {}

/// `@public`: the field needs no credentials.
#[TypeDirective(location = "FieldDefinition")]
pub fn public() {}

/// The caller of this request.
///
/// # Errors
/// Missing request data (a wiring bug).
pub fn caller<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Caller> {
    ctx.data::<Caller>()
}

/// The identity service.
///
/// # Errors
/// Missing schema data (a wiring bug).
pub fn identity_service<'a>(
    ctx: &'a Context<'_>,
) -> async_graphql::Result<&'a Arc<IdentityService>> {
    ctx.data::<Arc<IdentityService>>()
}

/// The loyalty service.
///
/// # Errors
/// Missing schema data (a wiring bug).
pub fn loyalty_service<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Arc<LoyaltyService>> {
    ctx.data::<Arc<LoyaltyService>>()
}

/// The tenant context of the caller: a staff member, or an API key on a
/// `@requires` field (guards have already authorised the field).
///
/// # Errors
/// `UNAUTHENTICATED`.
pub fn staff_ctx<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a domain::Ctx> {
    caller(ctx)?.ctx().map_err(gql)
}

/// Guard: the caller holds a permission in their tenant (a staff member through
/// their role, an API key through its scopes: one policy check for both).
pub struct Perm(pub Permission);

impl Guard for Perm {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let c = staff_ctx(ctx)?;
        identity_service(ctx)?
            .authorize(c, self.0)
            .await
            .map_err(gql)
    }
}

/// Guard: the caller is a signed-in staff member (these fields are about the
/// person, so API keys are refused).
pub struct Authenticated;

impl Guard for Authenticated {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        caller(ctx)?.person_ctx().map(|_| ()).map_err(gql)
    }
}

/// Guard: the caller is a guest (Mini App token); staff tokens and API keys are refused.
pub struct GuestOnly;

impl Guard for GuestOnly {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        guest_ctx(ctx).map(|_| ())
    }
}

/// The guest context of the caller.
///
/// # Errors
/// `UNAUTHENTICATED`, or `FORBIDDEN` for staff.
pub fn guest_ctx<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a domain::Ctx> {
    caller(ctx)?.guest_ctx().map_err(gql)
}

/// Guard: anyone (the field is on the public allow-list).
pub struct Public;

impl Guard for Public {
    async fn check(&self, _ctx: &Context<'_>) -> async_graphql::Result<()> {
        Ok(())
    }
}

/// An optional input field: omitted → `None` (keep), `null` → `Some(None)` (clear).
pub fn maybe<T>(v: async_graphql::MaybeUndefined<T>) -> Option<Option<T>> {
    match v {
        async_graphql::MaybeUndefined::Undefined => None,
        async_graphql::MaybeUndefined::Null => Some(None),
        async_graphql::MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// Parses an `ID` argument into an id newtype.
///
/// # Errors
/// `VALIDATION` naming the argument.
pub fn parse_id<T: std::str::FromStr>(
    id: &async_graphql::ID,
    field: &'static str,
) -> async_graphql::Result<T> {
    id.parse::<T>()
        .map_err(|_| invalid(field, format!("{field} is not a valid id")))
}

/// Extra fields of every connection.
#[derive(SimpleObject)]
pub struct ConnectionInfo {
    /// The size of the whole list.
    pub total_count: i64,
}

/// Where a list's page starts, carried in an opaque cursor (base64url of
/// [`CursorKey::to_bytes`]).
pub trait CursorKey: Sized {
    /// The bytes of the cursor.
    fn to_bytes(&self) -> Vec<u8>;
    /// Reads a cursor's bytes; `None` if they are not one of this kind.
    fn from_bytes(b: &[u8]) -> Option<Self>;
}

/// Lists in id order: the id's 16 bytes.
impl CursorKey for Uuid {
    fn to_bytes(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
    fn from_bytes(b: &[u8]) -> Option<Self> {
        Uuid::from_slice(b).ok()
    }
}

/// Ranked guest search: the tier, the id's 16 bytes, then the sort key (UTF-8).
impl CursorKey for SearchPosition {
    fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(17 + self.key.len());
        b.push(self.tier);
        b.extend_from_slice(self.id.as_uuid().as_bytes());
        b.extend_from_slice(self.key.as_bytes());
        b
    }
    fn from_bytes(b: &[u8]) -> Option<Self> {
        let (&tier, rest) = b.split_first()?;
        let id = Uuid::from_slice(rest.get(..16)?).ok()?;
        let key = std::str::from_utf8(rest.get(16..)?).ok()?;
        (key.len() <= MAX_CURSOR_KEY).then(|| Self {
            tier,
            key: key.to_owned(),
            id: GuestId::from_uuid(id),
        })
    }
}

/// A ranked search's cursor: a fingerprint of the query it came from, then
/// the position. A cursor passed back with another query is refused (its
/// position would mean nothing there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchCursor {
    /// [`search_fingerprint`] of the query.
    pub query: u64,
    /// Where the page starts.
    pub at: SearchPosition,
}

impl CursorKey for SearchCursor {
    fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.query.to_be_bytes().to_vec();
        b.extend(self.at.to_bytes());
        b
    }
    fn from_bytes(b: &[u8]) -> Option<Self> {
        let (query, at) = b.split_first_chunk::<8>()?;
        Some(Self {
            query: u64::from_be_bytes(*query),
            at: SearchPosition::from_bytes(at)?,
        })
    }
}

/// A stable fingerprint of a search query (the same in every process and
/// version: FNV-1a over the trimmed, lower-case words, one space apart), so
/// that spacing and case, which do not change the search, do not void a
/// cursor either.
#[must_use]
pub fn search_fingerprint(query: Option<&str>) -> u64 {
    let normal = query
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    normal.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The page request of a search whose query has fingerprint `want`
/// ([`search_fingerprint`]), its cursors checked against it.
///
/// # Errors
/// `VALIDATION` for bad cursors or sizes, or a cursor of another query.
pub fn search_page(
    args: &PageArgs,
    want: u64,
) -> async_graphql::Result<PageRequest<SearchPosition>> {
    let mine = |c: Option<SearchCursor>, field: &'static str| match c {
        Some(c) if c.query != want => Err(invalid(
            field,
            format!(
                "{field} is a cursor of another search: pass it back with the query it came from"
            ),
        )),
        c => Ok(c.map(|c| c.at)),
    };
    Ok(match args.request_as::<SearchCursor>()? {
        PageRequest::Forward { after, limit } => PageRequest::Forward {
            after: mine(after, "after")?,
            limit,
        },
        PageRequest::Backward { before, limit } => PageRequest::Backward {
            before: mine(before, "before")?,
            limit,
        },
    })
}

/// The longest sort key a cursor may carry (a name is at most a few hundred bytes).
const MAX_CURSOR_KEY: usize = 1024;

fn encode_cursor<K: CursorKey>(k: &K) -> String {
    URL_SAFE_NO_PAD.encode(k.to_bytes())
}

fn decode_cursor<K: CursorKey>(c: &str, field: &'static str) -> async_graphql::Result<K> {
    URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| K::from_bytes(&b))
        .ok_or_else(|| invalid(field, "not a cursor returned by this list"))
}

/// Relay pagination arguments, as received.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    /// `after`.
    pub after: Option<String>,
    /// `before`.
    pub before: Option<String>,
    /// `first`.
    pub first: Option<i32>,
    /// `last`.
    pub last: Option<i32>,
}

impl PageArgs {
    /// The domain page request.
    ///
    /// # Errors
    /// `VALIDATION` for bad cursors or sizes.
    pub fn request(&self) -> async_graphql::Result<PageRequest> {
        self.request_as()
    }

    /// The domain page request of a list whose cursors carry `K`.
    ///
    /// # Errors
    /// `VALIDATION` for bad cursors or sizes.
    pub fn request_as<K: CursorKey>(&self) -> async_graphql::Result<PageRequest<K>> {
        let after = self
            .after
            .as_deref()
            .map(|c| decode_cursor(c, "after"))
            .transpose()?;
        let before = self
            .before
            .as_deref()
            .map(|c| decode_cursor(c, "before"))
            .transpose()?;
        PageRequest::from_relay(
            after,
            before,
            self.first.map(i64::from),
            self.last.map(i64::from),
        )
        .map_err(|e| {
            invalid(
                if self.last.is_some() { "last" } else { "first" },
                e.to_string(),
            )
        })
    }
}

/// A connection of nodes built from a domain page.
pub type Conn<N> = Connection<String, N, ConnectionInfo>;

/// Turns a domain page into a Relay connection; `id` gives each item's cursor
/// key (its id, or its position in a ranked list).
pub fn connection<T, K: CursorKey, N: async_graphql::OutputType>(
    page: Page<T>,
    id: impl Fn(&T) -> K,
    node: impl Fn(T) -> N,
) -> Conn<N> {
    let total = i64::try_from(page.total).unwrap_or(i64::MAX);
    let mut c = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        ConnectionInfo { total_count: total },
    );
    c.edges.extend(
        page.items
            .into_iter()
            .map(|t| Edge::new(encode_cursor(&id(&t)), node(t))),
    );
    c
}

/// How often the `meChanged` subscription re-reads the caller's access.
pub const ME_POLL: Duration = Duration::from_secs(5);

/// Maps an access error for subscriptions.
#[must_use]
pub fn access(e: AccessError) -> async_graphql::Error {
    gql(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_cursors_carry_their_query_and_survive_the_trip() {
        let c = SearchCursor {
            query: search_fingerprint(Some("Анна")),
            at: SearchPosition {
                tier: 2,
                key: "анна петрова".into(),
                id: GuestId::new(),
            },
        };
        let back: SearchCursor = decode_cursor(&encode_cursor(&c), "after").expect("a cursor");
        assert_eq!(back, c);
        // Too short for a fingerprint and a position.
        assert!(SearchCursor::from_bytes(&[0; 12]).is_none());
    }

    #[test]
    fn a_search_fingerprint_ignores_case_and_spacing_and_never_changes() {
        let f = search_fingerprint;
        assert_eq!(f(Some("  Анна   Петрова ")), f(Some("анна петрова")));
        assert_ne!(f(Some("анна")), f(Some("анн")));
        assert_eq!(f(None), f(Some(" ")));
        // Cursors outlive a process and a release: the function is fixed.
        assert_eq!(f(None), 0xcbf2_9ce4_8422_2325);
        assert_eq!(f(Some("a")), 0xaf63_dc4c_8601_ec8c);
    }
}
