//! Signing in through a real OpenID provider (the npm package oidc-provider, started on loopback): the
//! authorization code flow with PKCE in Chromium, and an account the provider knows but Steward does not refused.

use super::*;
use steward_server::settings::{OidcProvider, Secret};
use steward_server::Settings;

/// oidc-provider on a free loopback port, its only client's redirect URI Steward's callback; killed when dropped.
struct IdentityProvider {
    child: Child,
    issuer: String,
}

impl IdentityProvider {
    async fn start(steward: &str) -> Option<IdentityProvider> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/oidc-provider.mjs");
        let module = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/node_modules/oidc-provider");
        if !Path::new(module).exists() {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{module} is required under CI=true (npm ci --prefix crates/steward-server/tests/peers)");
            }
            eprintln!("skipping the sign-on test: oidc-provider is not installed");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let redirect = format!("{steward}/sign-in/oidc/district/callback");
        let child = Command::new("node")
            .args([script, &port.to_string(), &redirect])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs");
        let issuer = format!("http://127.0.0.1:{port}");
        let discovery = format!("{issuer}/.well-known/openid-configuration");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !reqwest::get(&discovery).await.is_ok_and(|r| r.status().is_success()) {
            assert!(Instant::now() < deadline, "oidc-provider did not answer within 20 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(IdentityProvider { child, issuer })
    }
}

impl Drop for IdentityProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_signs_in_through_the_districts_openid_provider() {
    // Steward's address must be known before the provider is told where to send people back.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let steward = format!("http://{}", listener.local_addr().unwrap());
    let Some(idp) = IdentityProvider::start(&steward).await else { return };
    let issuer = idp.issuer.clone();
    let app = TestApp::with_listener(listener, move |db, base| Settings {
        oidc: vec![OidcProvider {
            name: "district".into(),
            label: "Cedar Valley ID".into(),
            issuer: issuer.clone(),
            client_id: "steward".into(),
            client_secret: Secret("steward-test-secret-of-some-length".into()),
            claim: "email".into(),
        }],
        public_url: base.to_owned(),
        ..test_settings(db)
    })
    .await;
    in_browser(|b| sign_on(b, app)).await;
    drop(idp);
}

async fn sign_on(b: Browser, app: TestApp) {
    let people = [
        (email_of(Role::Teacher), "/catalog"),
        ("nobody@elsewhere.example".to_owned(), "/sign-in"),
        // On the roster, with no account yet: one is made from the roster at this first sign-in.
        ("stu-ana@cedar.example".to_owned(), "/catalog"),
    ];
    for (login, lands_on) in people {
        b.goto(&app.url("/sign-in")).await;
        // A fresh browser for each person: no session at the provider either (cookies are per host, not port).
        b.0.delete_all_cookies().await.unwrap();
        b.goto(&app.url("/sign-in")).await;
        b.css("[data-testid=oidc-district]").await.click().await.unwrap();
        // The provider's own login form, then its consent form.
        b.fill("input[name=login]", &login).await;
        b.fill("input[name=password]", "anything").await;
        b.css("button[type=submit]").await.click().await.unwrap();
        b.wait_for(Locator::XPath("//button[normalize-space()='Continue']")).await.click().await.unwrap();
        b.css("main h1").await;
        let path = b.path().await;
        assert!(path.starts_with(lands_on), "{login} lands on {path}");
        if lands_on == "/catalog" {
            let expected = if login.starts_with("stu-") { "Ana Alvarez · Student" } else { "Seeded Teacher" };
            assert!(b.body_text().await.contains(expected), "signed in as {login}");
        } else {
            assert!(path.contains("failed=no_account"), "{path}");
            let alert = b.text("[role=alert]").await;
            assert!(alert.contains("No active Steward account matches"), "{alert}");
        }
    }
    // Ana's account was made from the roster, and her launchpad has her class's approved app.
    let ana = app.store.active_user_by_email("stu-ana@cedar.example").await.unwrap().expect("an account made for Ana");
    assert_eq!((ana.role, ana.school_id), (Role::Student, Some(app.seed.school_a)));
    b.goto(&app.url("/launchpad")).await;
    let class = b.text("[data-testid=class]").await;
    assert!(class.contains("Room 3 Homeroom") && class.contains(APPROVED_NAME), "{class}");
    assert!(
        app.store.user_for_sign_in("stu-ana@cedar.example").await.unwrap().is_none(),
        "no password to sign in with"
    );
}
