//! Creating, renaming, reading and listing locations.

use super::harness::World;
use crate::identity::errors::{DomainError, ErrorClass, LocationError, ReadError};
use crate::identity::service::NewLocation;
use crate::ids::LocationId;
use crate::page::PageRequest;

const OLGA: &str = "olga@example.com";

fn new_location(name: &str) -> NewLocation {
    NewLocation {
        name: name.into(),
        address: None,
        timezone: "Europe/Moscow".into(),
    }
}

#[tokio::test]
async fn a_location_is_created_trimmed_and_can_be_read_back() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let created = w
        .svc
        .create_location(
            &biz.owner.ctx,
            NewLocation {
                name: "  Arbat 12 ".into(),
                address: Some("  ul. Arbat, 12, Moscow  ".into()),
                timezone: " Europe/Moscow ".into(),
            },
        )
        .await
        .expect("created");
    assert_eq!(created.name, "Arbat 12");
    assert_eq!(created.address.as_deref(), Some("ul. Arbat, 12, Moscow"));
    assert_eq!(created.timezone, "Europe/Moscow");
    assert_eq!(created.created_at, w.now());
    assert_eq!(
        w.svc.location(&biz.owner.ctx, created.id).await,
        Ok(created.clone())
    );
    let blank = w
        .svc
        .create_location(
            &biz.owner.ctx,
            NewLocation {
                address: Some("   ".into()),
                ..new_location("Blank address")
            },
        )
        .await
        .expect("created");
    assert_eq!(blank.address, None);
}

#[tokio::test]
async fn invalid_location_fields_are_named() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let cases = [
        (new_location("   "), "name"),
        (new_location(&"n".repeat(121)), "name"),
        (new_location("Tab\tinside"), "name"),
        (
            NewLocation {
                address: Some("a".repeat(301)),
                ..new_location("Ok")
            },
            "address",
        ),
        (
            NewLocation {
                timezone: "Moscow".into(),
                ..new_location("Ok")
            },
            "timezone",
        ),
        (
            NewLocation {
                timezone: String::new(),
                ..new_location("Ok")
            },
            "timezone",
        ),
    ];
    for (input, field) in cases {
        let err = w
            .svc
            .create_location(&biz.owner.ctx, input)
            .await
            .expect_err("invalid");
        assert!(matches!(err, LocationError::Invalid(_)), "{err:?}");
        assert_eq!(err.class(), ErrorClass::Validation);
        assert_eq!(err.field(), Some(field), "{err:?}");
    }
    let list = w
        .svc
        .locations(&biz.owner.ctx, PageRequest::default())
        .await
        .expect("listed");
    assert_eq!(list.total, 1, "only the sign-up location");
    let ok = w
        .svc
        .create_location(&biz.owner.ctx, new_location(&"n".repeat(120)))
        .await;
    assert!(ok.is_ok(), "120 characters are fine: {ok:?}");
}

#[tokio::test]
async fn location_names_are_unique_within_a_business_only() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    w.svc
        .create_location(&coffee.owner.ctx, new_location("Arbat"))
        .await
        .expect("created");
    let err = w
        .svc
        .create_location(&coffee.owner.ctx, new_location(" Arbat "))
        .await
        .expect_err("taken");
    assert_eq!(err, LocationError::NameTaken);
    assert_eq!(err.class(), ErrorClass::Conflict);
    assert_eq!(err.field(), Some("name"));
    w.svc
        .create_location(&tea.owner.ctx, new_location("Arbat"))
        .await
        .expect("another business may use the name");
    // The sign-up location's name is taken too.
    assert_eq!(
        w.svc
            .create_location(&coffee.owner.ctx, new_location("Main Street"))
            .await,
        Err(LocationError::NameTaken)
    );
}

#[tokio::test]
async fn renaming_checks_the_name_and_the_business() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    let ctx = &coffee.owner.ctx;
    let arbat = w
        .svc
        .create_location(ctx, new_location("Arbat"))
        .await
        .expect("created");
    let renamed = w
        .svc
        .rename_location(ctx, arbat.id, "  Arbat 12 ")
        .await
        .expect("renamed");
    assert_eq!(renamed.name, "Arbat 12");
    assert_eq!(renamed.id, arbat.id);
    assert_eq!(
        w.svc.rename_location(ctx, arbat.id, "Main Street").await,
        Err(LocationError::NameTaken)
    );
    let err = w
        .svc
        .rename_location(ctx, arbat.id, "")
        .await
        .expect_err("empty");
    assert_eq!(err.field(), Some("name"));
    assert_eq!(
        w.svc
            .rename_location(&tea.owner.ctx, arbat.id, "Stolen")
            .await,
        Err(LocationError::NotFound)
    );
    assert_eq!(
        w.svc
            .rename_location(ctx, LocationId::new(), "Nowhere")
            .await,
        Err(LocationError::NotFound)
    );
    assert_eq!(
        w.svc.location(&tea.owner.ctx, arbat.id).await,
        Err(ReadError::NotFound)
    );
    assert_eq!(
        w.svc.location(ctx, arbat.id).await.map(|l| l.name),
        Ok("Arbat 12".to_owned())
    );
}

#[tokio::test]
async fn renaming_to_the_current_name_changes_nothing() {
    let w = World::new();
    let biz = w.business("Coffee & Co", OLGA).await;
    let arbat = w
        .svc
        .create_location(&biz.owner.ctx, new_location("Arbat"))
        .await
        .expect("created");
    let audit_before = w.audit(biz.tenant).len();
    let same = w
        .svc
        .rename_location(&biz.owner.ctx, arbat.id, " Arbat ")
        .await
        .expect("no-op");
    assert_eq!(same, arbat);
    assert_eq!(w.audit(biz.tenant).len(), audit_before);
}

#[tokio::test]
async fn locations_are_listed_oldest_first_and_only_the_businesss_own() {
    let w = World::new();
    let coffee = w.business("Coffee & Co", OLGA).await;
    let tea = w.business("Tea House", "pavel@example.com").await;
    for name in ["B", "A", "C"] {
        w.svc
            .create_location(&coffee.owner.ctx, new_location(name))
            .await
            .expect("created");
    }
    let page = w
        .svc
        .locations(
            &coffee.owner.ctx,
            PageRequest::from_relay(None, None, Some(3), None).expect("valid"),
        )
        .await
        .expect("listed");
    let names: Vec<_> = page.items.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, vec!["Main Street", "B", "A"]);
    assert_eq!(page.total, 4);
    assert!(page.has_next);
    let tea_page = w
        .svc
        .locations(&tea.owner.ctx, PageRequest::default())
        .await
        .expect("listed");
    assert_eq!(tea_page.total, 1);
}
