//! The committed schema matches the code, and every field is guarded.

use std::collections::BTreeSet;

use crate::helpers::{Backend, Marker, code, schema_fields, sdl_markers, spawn_app};

#[test]
fn the_committed_schema_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let committed = std::fs::read_to_string(&path).expect("schema.graphql is committed");
    let generated = api::graphql::sdl();
    assert!(
        committed == generated,
        "schema.graphql differs from the code: run `cargo run -p api -- export-schema > schema.graphql` and commit it"
    );
}

#[test]
fn every_field_carries_exactly_one_access_marker_and_public_ones_are_allow_listed() {
    let markers = sdl_markers();
    assert!(markers.len() > 20);
    let mut public = BTreeSet::new();
    for (op, name, marker) in &markers {
        assert_ne!(
            *marker,
            Marker::None,
            "{op} field `{name}` has no guard: add @public, @authenticated or @requires"
        );
        if *marker == Marker::Public {
            assert_ne!(*op, "subscription", "subscriptions are never public");
            public.insert(name.as_str());
        }
    }
    let allowed: BTreeSet<&str> = api::graphql::PUBLIC_FIELDS.iter().copied().collect();
    assert_eq!(
        public, allowed,
        "public fields must be exactly the allow-list"
    );
}

#[tokio::test]
async fn every_non_public_field_refuses_anonymous_callers() {
    let app = spawn_app(Backend::Sqlite).await;
    let (fields, types) = schema_fields(&app).await;
    let mut checked = 0;
    for f in fields.iter().filter(|f| f.marker != Marker::Public) {
        let (q, vars) = f.dummy_operation(&types);
        let resp = app.gql(None, &q, vars.clone()).await;
        assert_eq!(
            code(&resp),
            Some("UNAUTHENTICATED"),
            "{} without credentials: {resp}",
            f.name
        );
        let forged = app
            .gql(Some("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."), &q, vars)
            .await;
        assert_eq!(
            code(&forged),
            Some("UNAUTHENTICATED"),
            "{} with a forged token: {forged}",
            f.name
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} fields were checked");
}
