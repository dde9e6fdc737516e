//! Signing in with an identity provider, where it is refused before any provider answers: a provider that does not
//! answer, a callback with no sign-in in progress, and the messages the sign-in page shows for each.

use super::*;
use steward_server::settings::{OidcProvider, Secret};

async fn app_with_unreachable_provider() -> TestApp {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let db = TestDb::sqlite();
    let settings = Settings {
        oidc: vec![OidcProvider {
            name: "district".into(),
            label: "Cedar Valley ID".into(),
            issuer: format!("http://127.0.0.1:{port}"),
            client_id: "steward".into(),
            client_secret: Secret("a-secret-that-is-never-logged".into()),
            claim: "email".into(),
        }],
        ..test_settings(&db.url)
    };
    TestApp::with_db(db, settings).await
}

#[tokio::test]
async fn refused_provider_sign_ins_go_back_to_the_sign_in_page_with_the_reason() {
    let app = app_with_unreachable_provider().await;
    let s = app.anonymous();
    let (_, page) = s.get_text("/sign-in").await;
    assert!(
        page.contains("Sign in with Cedar Valley ID") && page.contains("href=\"/sign-in/oidc/district?next=/\""),
        "{page}"
    );

    let res = s.get("/sign-in/oidc/district?next=/usage").await;
    assert_eq!(location(&res).as_deref(), Some("/sign-in?failed=unavailable&next=%2Fusage"));
    let (_, page) = s.get_text("/sign-in?failed=unavailable&next=%2Fusage").await;
    assert!(page.contains("The identity provider did not answer"), "{page}");

    let res = s.get("/sign-in/oidc/district/callback?code=abc&state=xyz").await;
    assert_eq!(location(&res).as_deref(), Some("/sign-in?failed=expired&next=%2F"), "no sign-in was started here");
    let res = s.get("/sign-in/oidc/district?next=https://evil.example/").await;
    assert_eq!(location(&res).as_deref(), Some("/sign-in?failed=unavailable&next=%2F"), "only local next pages");

    // Codes are explained from a fixed list; anything else shows nothing.
    let (_, page) = s.get_text("/sign-in?failed=%3Cscript%3E").await;
    assert!(!page.contains("role=\"alert\"") && !page.contains("<script>"));
}
