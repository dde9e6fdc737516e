//! The provider over a roster that came in the real way: the fixture written as a OneRoster 1.2 package, read and
//! imported (which also makes its schools Steward organizations), then read back over the API.

use super::*;
use crate::common::{test_settings, Server};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use steward_interop::oneroster::Record;
use steward_interop::Strictness;
use steward_server::AppState;
use steward_store::testing::TestDb;
use steward_store::{Actor, Store};

/// Writes `tables` as a OneRoster 1.2 bulk package and imports it into `store` the real way.
pub async fn import(store: &Store, tables: &BTreeMap<String, Vec<Record>>) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("steward-oneroster-import-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    steward_interop::oneroster::write_bulk(&dir, tables, None).unwrap();
    let source = steward_server::rostering::Source::path(&dir).unwrap();
    let outcome = steward_server::rostering::import(
        store,
        &Actor::system("test"),
        "fixture",
        source,
        Strictness::Lenient,
        |_| {},
    )
    .await
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(outcome.applied, "{:?}", outcome.problems);
}

/// The fixture roster imported into a fresh SQLite database and served.
pub async fn imported_env() -> Env {
    let db = TestDb::sqlite();
    let store = db.store().await;
    import(&store, &crate::roster::roster_tables().await).await;
    // The import made the roster's schools Steward organizations, linked by sourcedId.
    let schools = store.schools().await.unwrap();
    let mut linked: Vec<&str> = schools.iter().filter_map(|s| s.org.sourced_id.as_deref()).collect();
    linked.sort();
    assert_eq!(linked, vec!["sch-a", "sch-b", "sch-c"]);
    let index = |sid: &str| schools.iter().find(|s| s.org.sourced_id.as_deref() == Some(sid)).unwrap().id;
    let state = AppState::new(store.clone(), test_settings(&db.url)).await.unwrap();
    Env {
        server: Server::start(state).await,
        store,
        schools: [index("sch-a"), index("sch-b"), index("sch-c")],
        _db: db,
    }
}

#[tokio::test]
async fn an_imported_roster_is_served_as_its_products_may_see_it() {
    let env = imported_env().await;
    let c = env.client(Product { name: "Imported", scope_schools: &[1], scope: "some_schools", ..WIDE }).await;
    let t = env.token(&c, &all_scopes()).await;
    let a = env.get(&t, &format!("{V12}/users")).await;
    assert_eq!(a.ids("users"), v(&["stu-b3", "tch-b"]));
    let u = &a.body["users"][0];
    assert_eq!((u["givenName"].as_str(), u["enabledUser"].as_bool()), (Some("Givenstub3"), Some(true)));
    assert_eq!(u["roles"][0]["org"]["sourcedId"], "sch-b");
    let a = env.get(&t, &format!("{V12}/classes/cls-b3")).await;
    assert_eq!(a.body["class"]["terms"][0]["sourcedId"], "term1");
    assert_eq!(env.get(&t, &format!("{GB12}/results")).await.ids("results"), v(&["res-b3"]));
    assert_eq!(env.get(&t, &format!("{V11}/users/stu-b3")).await.body["user"]["role"], "student");
}
