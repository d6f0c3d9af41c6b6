//! Demo data: a business with an owner and a cashier, for trying the panel.

use domain::identity::service::SignUp;
use domain::identity::{IdentityService, Role};
use domain::money::Currency;
use domain::{Ctx, RequestMeta};

/// The demo owner's login.
pub const OWNER_EMAIL: &str = "owner@demo.maxloyalty.app";
/// The demo owner's password.
pub const OWNER_PASSWORD: &str = "Kofe-Demo-2026";
/// The demo cashier's login.
pub const CASHIER_EMAIL: &str = "cashier@demo.maxloyalty.app";
/// The demo cashier's password.
pub const CASHIER_PASSWORD: &str = "Kassa-Demo-2026";

/// Creates the demo business unless it exists, and returns the lines to print.
///
/// # Errors
/// A failure creating it (message for the operator).
pub async fn seed(identity: &IdentityService) -> Result<Vec<String>, String> {
    let signup = SignUp {
        business_name: "Кофейня «Демо»".into(),
        location_name: "Тверская, 1".into(),
        display_name: "Demo Owner".into(),
        email: OWNER_EMAIL.into(),
        password: OWNER_PASSWORD.into(),
        currency: Currency::Rub,
        locale: domain::identity::Locale::Ru,
    };
    match identity.sign_up(signup, RequestMeta::default()).await {
        Ok(session) => {
            let ctx = Ctx::system(session.me.tenant.id);
            identity
                .add_staff_with_password(
                    &ctx,
                    CASHIER_EMAIL,
                    "Demo Cashier",
                    CASHIER_PASSWORD,
                    Role::Cashier,
                )
                .await
                .map_err(|e| format!("demo cashier: {e}"))?;
        }
        Err(domain::identity::SignUpError::EmailTaken) => {}
        Err(e) => return Err(format!("demo business: {e}")),
    }
    Ok(vec![
        "Demo business «Кофейня «Демо»» is ready:".into(),
        format!("  owner:   {OWNER_EMAIL} / {OWNER_PASSWORD}"),
        format!("  cashier: {CASHIER_EMAIL} / {CASHIER_PASSWORD}"),
    ])
}
