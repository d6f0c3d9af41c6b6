//! The world the service tests run in: the service over fakes sharing one clock,
//! and builders for businesses and staff members made through the service itself.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::ctx::{Ctx, RequestMeta};
use crate::identity::errors::{AcceptInvitationError, LoginError, SignUpError};
use crate::identity::models::{AuditEntry, AuthSession, Locale, Role};
use crate::identity::service::{IdentityDeps, IdentityService, SessionPolicy, SignUp};
use crate::ids::{TenantId, UserId};
use crate::money::Currency;
use crate::ports::Clock;

use super::fakes::{
    FakeAuthorizer, FakeClock, FakeHasher, FakeSecrets, FakeTokens, InMemory, RecordingMailer,
};

/// A strong password that contains none of the test e-mails' names.
pub(crate) const PASSWORD: &str = "Tr0ub4dor&3-staple";
/// Another strong password.
pub(crate) const OTHER_PASSWORD: &str = "violet-Marmalade-42";
/// Where test requests come from.
pub(crate) const IP: &str = "203.0.113.7";
/// The panel URL in invitation links.
pub(crate) const PUBLIC_URL: &str = "https://panel.example.test";

pub(crate) fn meta() -> RequestMeta {
    RequestMeta {
        ip: Some(IP.into()),
        user_agent: Some("unit-tests".into()),
    }
}

/// The identity service over fakes, with handles on each fake.
pub(crate) struct World {
    pub(crate) svc: IdentityService,
    pub(crate) store: Arc<InMemory>,
    pub(crate) clock: Arc<FakeClock>,
    pub(crate) authz: Arc<FakeAuthorizer>,
    pub(crate) hasher: Arc<FakeHasher>,
    pub(crate) mailer: Arc<RecordingMailer>,
}

/// A signed-in staff member.
pub(crate) struct Member {
    pub(crate) id: UserId,
    pub(crate) ctx: Ctx,
    pub(crate) session: AuthSession,
}

/// A business made by signing up, with its signed-in owner.
pub(crate) struct Business {
    pub(crate) tenant: TenantId,
    pub(crate) owner: Member,
}

pub(crate) fn sign_up_input(business: &str, email: &str) -> SignUp {
    SignUp {
        business_name: business.into(),
        location_name: "Main Street".into(),
        display_name: "Olga Owner".into(),
        email: email.into(),
        password: PASSWORD.into(),
        currency: Currency::Rub,
        locale: Locale::Ru,
    }
}

impl World {
    pub(crate) fn new() -> Self {
        let clock = Arc::new(FakeClock::new());
        let store = Arc::new(InMemory::new(Arc::clone(&clock)));
        let authz = Arc::new(FakeAuthorizer::new(Arc::clone(&store)));
        let hasher = Arc::new(FakeHasher::default());
        let mailer = Arc::new(RecordingMailer::default());
        let deps = IdentityDeps {
            users: store.clone(),
            throttle: store.clone(),
            tenants: store.clone(),
            staff: store.clone(),
            invitations: store.clone(),
            sessions: store.clone(),
            password_resets: store.clone(),
            locations: store.clone(),
            policies: store.clone(),
            authorizer: authz.clone(),
            api_keys: store.clone(),
            audit: store.clone(),
            hasher: hasher.clone(),
            tokens: Arc::new(FakeTokens),
            secrets: Arc::new(FakeSecrets::default()),
            mailer: mailer.clone(),
            clock: clock.clone(),
        };
        let policy = SessionPolicy {
            public_url: format!("{PUBLIC_URL}/"),
            ..SessionPolicy::default()
        };
        Self {
            svc: IdentityService::new(deps, policy),
            store,
            clock,
            authz,
            hasher,
            mailer,
        }
    }

    /// The fake clock's time.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The context an access token stands for.
    pub(crate) fn ctx_of(&self, session: &AuthSession) -> Ctx {
        self.svc
            .authenticate(&session.access_token, meta())
            .expect("a fresh access token authenticates")
    }

    pub(crate) async fn sign_up(
        &self,
        business: &str,
        email: &str,
    ) -> Result<AuthSession, SignUpError> {
        self.svc
            .sign_up(sign_up_input(business, email), meta())
            .await
    }

    /// Signs up a business owned by `email` (password [`PASSWORD`]).
    pub(crate) async fn business(&self, name: &str, email: &str) -> Business {
        let session = self.sign_up(name, email).await.expect("sign-up succeeds");
        let ctx = self.ctx_of(&session);
        Business {
            tenant: ctx.tenant(),
            owner: Member {
                id: session.me.user.id,
                ctx,
                session,
            },
        }
    }

    pub(crate) async fn login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<AuthSession, LoginError> {
        self.svc.login(email, password, None, meta()).await
    }

    /// Invites `email` as `role` and returns the token from the e-mail sent.
    pub(crate) async fn invite(&self, by: &Ctx, email: &str, role: Role) -> String {
        self.svc
            .invite_staff(by, email, role)
            .await
            .expect("the invitation is sent");
        self.last_invitation_token()
    }

    /// The token in the last invitation e-mail.
    pub(crate) fn last_invitation_token(&self) -> String {
        let sent = self.mailer.sent();
        let text = &sent.last().expect("an e-mail was sent").text;
        let start = text.find("token=").expect("the e-mail has a link") + "token=".len();
        text[start..]
            .split_whitespace()
            .next()
            .expect("the link has a token")
            .to_owned()
    }

    pub(crate) async fn accept(
        &self,
        token: &str,
        password: &str,
    ) -> Result<AuthSession, AcceptInvitationError> {
        self.svc
            .accept_invitation(token, password, "Ivan Staff", meta())
            .await
    }

    /// Invites a new person as `role` and has them join with [`PASSWORD`].
    pub(crate) async fn join(&self, by: &Ctx, email: &str, role: Role) -> Member {
        let token = self.invite(by, email, role).await;
        let session = self
            .accept(&token, PASSWORD)
            .await
            .expect("the invitation is accepted");
        Member {
            id: session.me.user.id,
            ctx: self.ctx_of(&session),
            session,
        }
    }

    /// Every audit entry of a tenant, oldest first.
    pub(crate) fn audit(&self, tenant: TenantId) -> Vec<AuditEntry> {
        self.store.audit_of(tenant)
    }
}
