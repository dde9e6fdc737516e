//! Two servers sharing one PostgreSQL database.

use super::*;

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL: two servers sharing one database.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn two_servers_on_one_postgres_database_share_sessions_and_throttling() {
    let Some(db) = TestDb::postgres().await else { return };
    let store1 = db.store().await;
    let seed = seed(&store1).await;
    let store2 = Store::connect(&db.url).await.expect("a second connection pool");
    assert_eq!(store2.migrate().await.unwrap(), 0, "the database is already migrated");
    // No secret_key: both read the signing key kept in the database.
    let settings = Settings { database_url: db.url.clone(), max_failed_sign_ins: 3, ..Default::default() };
    assert!(settings.secret_key.0.is_empty());
    let one = Server::start(AppState::new(store1.clone(), settings.clone()).await.unwrap()).await;
    let two = Server::start(AppState::new(store2.clone(), settings).await.unwrap()).await;
    assert_ne!(one.base, two.base);

    let on_one = Session::new(&one.base);
    assert_eq!(on_one.sign_in(&email_of(DistrictAdmin), PASSWORD, "/").await.status(), 303);
    let cookie = on_one.session_cookie().expect("signed in on server one");
    let on_two = Session::new(&two.base);
    on_two.jar.add_cookie_str(&format!("steward_session={cookie}"), &reqwest::Url::parse(&two.base).unwrap());
    let (status, html) = on_two.get_text("/").await;
    assert_eq!(status, 200, "server two accepts server one's session");
    assert!(html.contains("Dashboard") && html.contains("Seeded District administrator"));
    assert_eq!(on_two.get(&format!("/contracts/{}", seed.contract_b)).await.status(), 200);
    // A form on server two with the CSRF token server one rendered.
    let token = on_one.csrf_token("/categories").await;
    let res = on_two.post("/categories", &[("csrf_token", token.as_str()), ("name", "Reading intervention")]).await;
    assert_eq!(res.status(), 303);
    assert!(store1.categories().await.unwrap().iter().any(|c| c.category.name == "Reading intervention"));

    // Failures on server one count on server two.
    let email = email_of(Finance);
    let attacker = Session::new(&one.base);
    for _ in 0..3 {
        assert_eq!(attacker.sign_in(&email, "wrong password", "/").await.status(), 401);
    }
    let res = Session::new(&two.base).sign_in(&email, PASSWORD, "/").await;
    assert_eq!(res.status(), 429, "server two knows of server one's failures");

    // Signing out on server two ends the session on server one.
    let res = on_two.post("/sign-out", &[("csrf_token", token.as_str())]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(on_one.get("/").await.status(), 303, "server one no longer knows the session");
    drop((one, two));
    store2.close().await;
    store1.close().await;
}
