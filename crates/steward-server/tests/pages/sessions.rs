//! CSRF on every form, and signing in and out.

use super::*;

// ---------------------------------------------------------------------------------------------------------------
// CSRF.
// ---------------------------------------------------------------------------------------------------------------

pub(crate) fn product_fields<'a>(
    name: &'a str,
    vendor: &'a str,
    category: &'a str,
    website: &'a str,
    grades: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("vendor_id", vendor),
        ("category_id", category),
        ("description", "Writing practice with feedback"),
        ("website", website),
        ("grades", grades),
        ("subjects", "ela"),
        ("subjects", "arts"),
        ("sign_on", "clever"),
        ("status", "approved"),
        ("scope", "district_wide"),
    ]
}

#[tokio::test]
async fn forms_without_the_sessions_csrf_token_are_refused_and_change_nothing() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let admin = app.session_for(DistrictAdmin).await;
    let other = app.session_for(Finance).await;
    let others_token = other.csrf_token("/contracts").await;
    let (vendor, category) = (s.vendor.to_string(), s.category.to_string());
    let valid = product_fields("Inkwell", &vendor, &category, "https://inkwell.example/", "6-8");
    let products_before = app.product_count().await;
    let changes_before = app.audit_count().await;

    let mut tries: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
    tries.push(("no token", valid.clone()));
    let mut wrong = vec![("csrf_token", "forged-token")];
    wrong.extend(valid.clone());
    tries.push(("a wrong token", wrong));
    let mut empty = vec![("csrf_token", "")];
    empty.extend(valid.clone());
    tries.push(("an empty token", empty));
    let mut stolen = vec![("csrf_token", others_token.as_str())];
    stolen.extend(valid.clone());
    tries.push(("another session's token", stolen));
    for (what, fields) in &tries {
        let res = admin.post("/products", fields).await;
        assert_eq!(res.status(), 400, "a product form with {what}");
        assert!(res.text().await.unwrap().contains("This form has expired or did not come from Steward."), "{what}");
    }
    let delete = format!("/contracts/{}/delete", s.contract_a);
    assert_eq!(admin.post(&delete, &[]).await.status(), 400);
    assert_eq!(admin.post(&delete, &[("csrf_token", "forged-token")]).await.status(), 400);
    assert_eq!(
        admin
            .post(
                "/users",
                &[
                    ("csrf_token", "x"),
                    ("email", "new@cedar.example"),
                    ("name", "New"),
                    ("role", "district_admin"),
                    ("password", "a long enough password")
                ]
            )
            .await
            .status(),
        400
    );
    assert_eq!(admin.post("/sign-out", &[("csrf_token", "x")]).await.status(), 400, "sign-out is a form too");

    assert_eq!(app.product_count().await, products_before, "no product was created");
    assert!(app.store.contract(s.contract_a).await.is_ok(), "the contract was not deleted");
    assert!(app.store.user_for_sign_in("new@cedar.example").await.unwrap().is_none());
    assert_eq!(app.audit_count().await, changes_before, "nothing was recorded");
    assert_eq!(admin.get("/").await.status(), 200, "the session still works");

    // The same form with the right token goes through.
    let res = admin.submit("/products/new", "/products", &valid).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.product_count().await, products_before + 1);
}

#[tokio::test]
async fn the_sign_in_form_needs_its_own_csrf_cookie_and_field() {
    let app = TestApp::new().await;
    let fresh = app.anonymous();
    let email = email_of(DistrictAdmin);
    let fields = [("email", email.as_str()), ("password", PASSWORD), ("next", "/"), ("csrf_token", "guess")];
    let res = fresh.post("/sign-in", &fields).await;
    assert_eq!(res.status(), 400, "no sign-in cookie");
    assert!(res.text().await.unwrap().contains("This sign-in form has expired."));
    let token = fresh.csrf_token("/sign-in").await;
    let res = fresh
        .post("/sign-in", &[("email", email.as_str()), ("password", PASSWORD), ("next", "/"), ("csrf_token", "guess")])
        .await;
    assert_eq!(res.status(), 400, "a field that does not match the cookie");
    assert!(fresh.session_cookie().is_none());
    let res = fresh
        .post("/sign-in", &[("email", email.as_str()), ("password", PASSWORD), ("next", "/"), ("csrf_token", &token)])
        .await;
    assert_eq!(res.status(), 303);
    assert!(fresh.session_cookie().is_some());
}

// ---------------------------------------------------------------------------------------------------------------
// Signing in and out.
// ---------------------------------------------------------------------------------------------------------------

const NO_MATCH: &str = "That e-mail and password do not match an account.";

#[tokio::test]
async fn a_wrong_password_is_refused_with_a_message() {
    let app = TestApp::new().await;
    let s = app.anonymous();
    let res = s.sign_in(&email_of(Finance), "not the password at all", "/spend").await;
    assert_eq!(res.status(), 401);
    assert!(res.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("steward_session=")));
    let html = res.text().await.unwrap();
    assert!(html.contains(NO_MATCH), "{html}");
    assert!(html.contains("value=\"finance@cedar.example\""), "the e-mail is kept in the form");
    assert!(!html.contains("not the password at all"), "the password is never echoed");
    assert!(s.session_cookie().is_none());
    // An unknown account gets the very same answer.
    let res = s.sign_in("nobody@cedar.example", PASSWORD, "/").await;
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains(NO_MATCH));
    assert_eq!(s.get("/spend").await.status(), 303, "still signed out");
}

#[tokio::test]
async fn failed_sign_ins_throttle_the_account() {
    let app = TestApp::new().await;
    let s = app.anonymous();
    let email = email_of(Finance);
    for n in 1..=3 {
        let res = s.sign_in(&email, "wrong password", "/").await;
        assert_eq!(res.status(), 401, "failure {n}");
    }
    // Throttled now: even the right password is refused. The e-mail is matched case-insensitively.
    for e in [email.clone(), email.to_uppercase()] {
        let res = s.sign_in(&e, PASSWORD, "/").await;
        assert_eq!(res.status(), 429, "{e}");
        assert!(res.text().await.unwrap().contains("Too many failed sign-ins. Wait a few minutes and try again."));
    }
    assert!(s.session_cookie().is_none());
    // Other accounts are not affected.
    let res = s.sign_in(&email_of(DistrictAdmin), PASSWORD, "/").await;
    assert_eq!(res.status(), 303);
}

#[tokio::test]
async fn a_successful_sign_in_clears_earlier_failures() {
    let app = TestApp::new().await;
    let s = app.anonymous();
    let email = email_of(Finance);
    for _ in 0..2 {
        assert_eq!(s.sign_in(&email, "wrong password", "/").await.status(), 401);
    }
    assert_eq!(s.sign_in(&email, PASSWORD, "/").await.status(), 303);
    let s2 = app.anonymous();
    for _ in 0..2 {
        assert_eq!(s2.sign_in(&email, "wrong password", "/").await.status(), 401);
    }
    assert_eq!(s2.sign_in(&email, PASSWORD, "/").await.status(), 303, "the count started again");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = TestApp::new().await;
    let s = app.anonymous();
    let page = s.get("/sign-in").await;
    let pre = page.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>();
    let signin_cookie =
        pre.iter().find(|c| c.starts_with("steward_signin=")).expect("the sign-in form sets its cookie");
    assert!(signin_cookie.contains("HttpOnly") && signin_cookie.contains("SameSite=Lax"), "{signin_cookie}");
    let token = csrf_token_in(&page.text().await.unwrap()).unwrap();
    assert!(!signin_cookie.contains(&format!("steward_signin={token};")), "the cookie is signed, not the bare token");
    let email = email_of(DistrictAdmin);
    let res = s
        .post("/sign-in", &[("email", email.as_str()), ("password", PASSWORD), ("next", "/"), ("csrf_token", &token)])
        .await;
    assert_eq!(res.status(), 303);
    let cookies =
        res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>();
    let session = cookies.iter().find(|c| c.starts_with("steward_session=")).expect("a session cookie");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(attr), "{attr} missing from {session}");
    }
    assert!(!session.contains("Secure"), "not Secure over plain http: {session}");
    assert!(!session.to_lowercase().contains("expires=") && !session.contains("Max-Age"), "a browser-session cookie");
    assert!(
        cookies.iter().any(|c| c.starts_with("steward_signin=") && (c.contains("Max-Age=0") || c.contains("1970"))),
        "the sign-in cookie is removed: {cookies:?}"
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_for_good() {
    let app = TestApp::new().await;
    let s = app.session_for(DistrictAdmin).await;
    let old_cookie = s.cookie_header().unwrap();
    assert_eq!(s.get("/audit").await.status(), 200);
    let res = s.submit("/", "/sign-out", &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res).as_deref(), Some("/sign-in"));
    assert!(s.session_cookie().is_none(), "the browser is told to drop the cookie");
    // Replaying the old cookie finds no session: the server deleted it.
    let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for page in ["/", "/audit", "/products"] {
        let res = replay.get(app.url(page)).header("cookie", &old_cookie).send().await.unwrap();
        assert_eq!(res.status(), 303, "{page}");
        assert!(location(&res).unwrap().starts_with("/sign-in?next="), "{page}");
    }
}

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for_and_only_on_this_site() {
    let app = TestApp::new().await;
    let email = email_of(DistrictAdmin);
    // A page that needs a session sends the visitor to sign in, remembering where they were going.
    let s = app.anonymous();
    let res = s.get("/products?q=garden").await;
    assert_eq!(location(&res).as_deref(), Some("/sign-in?next=%2Fproducts%3Fq%3Dgarden"));
    let (_, form) = s.get_text("/sign-in?next=%2Fproducts%3Fq%3Dgarden").await;
    assert!(form.contains("name=\"next\" value=\"/products?q=garden\""), "the form carries next");
    let res = s.sign_in(&email, PASSWORD, "/products?q=garden").await;
    assert_eq!(location(&res).as_deref(), Some("/products?q=garden"));
    for evil in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", ""] {
        let res = app.anonymous().sign_in(&email, PASSWORD, evil).await;
        assert_eq!(res.status(), 303);
        assert_eq!(location(&res).as_deref(), Some("/"), "next={evil:?}");
    }
}

/// Browsers drop tabs and newlines from URLs (WHATWG URL parsing), so `/<TAB>/evil.example` is followed as
/// `//evil.example`: the redirect after signing in must not leave the site.
#[tokio::test]

async fn sign_in_never_redirects_off_site_through_control_characters() {
    let app = TestApp::new().await;
    let email = email_of(DistrictAdmin);
    let base = url::Url::parse(&app.base).unwrap();
    for evil in ["/\t/evil.example/", "/\n/evil.example/", "/\r/evil.example/"] {
        let res = app.anonymous().sign_in(&email, PASSWORD, evil).await;
        assert_eq!(res.status(), 303, "next={evil:?}");
        let to = base.join(&location(&res).unwrap()).unwrap();
        assert_eq!(to.host_str(), Some("127.0.0.1"), "next={evil:?} sends the browser to {to}");
    }
}

#[tokio::test]
async fn people_change_their_own_password_and_other_sessions_end() {
    let app = TestApp::new().await;
    let here = app.session_for(Teacher).await;
    let elsewhere = app.session_for(Teacher).await;
    let new = "a brand new passphrase";
    let attempt = |current: &'static str, new: &'static str, confirm: &'static str| {
        let here = &here;
        async move {
            here.submit(
                "/account/password",
                "/account/password",
                &[("current", current), ("new", new), ("confirm", confirm)],
            )
            .await
        }
    };
    let wrong = attempt("not my password", new, new).await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("is not your current password"));
    let short = attempt(PASSWORD, "short", "short").await;
    assert!(short.text().await.unwrap().contains("at least 12 characters"));
    let mismatch = attempt(PASSWORD, new, "something else entirely").await;
    assert!(mismatch.text().await.unwrap().contains("does not match the new password"));
    let before = app.audit_count().await;
    let done = attempt(PASSWORD, new, new).await;
    assert_eq!(done.status(), 303);
    assert_eq!(app.audit_count().await, before + 1, "the change is audited");
    assert_eq!(here.get("/account/password").await.status(), 200, "this session goes on");
    assert_eq!(elsewhere.get("/catalog").await.status(), 303, "the other session ended");
    let fresh = app.anonymous();
    assert_eq!(fresh.sign_in(&email_of(Teacher), PASSWORD, "/").await.status(), 401, "the old password is gone");
    assert_eq!(fresh.sign_in(&email_of(Teacher), new, "/").await.status(), 303, "the new one works");
}

#[tokio::test]
async fn failures_across_many_accounts_throttle_the_address() {
    let db = TestDb::sqlite();
    let settings = Settings { max_failed_sign_ins: 100, max_failed_sign_ins_per_address: 4, ..test_settings(&db.url) };
    let app = TestApp::with_db(db, settings).await;
    let s = app.anonymous();
    for n in 0..4 {
        let res = s.sign_in(&format!("nobody{n}@district.example"), "spray-password-1", "/").await;
        assert_eq!(res.status(), 401, "failure {n}");
    }
    // A real account with the right password, from the same address: refused until the window passes.
    assert_eq!(s.sign_in(&email_of(Finance), PASSWORD, "/").await.status(), 429);
    // A header naming another address changes nothing: this client is not a trusted proxy.
    let page = s.get_text("/sign-in").await.1;
    let token = csrf_token_in(&page).unwrap();
    let form =
        [("email", email_of(Finance)), ("password", PASSWORD.to_owned()), ("next", "/".into()), ("csrf_token", token)];
    let res =
        s.client.post(app.url("/sign-in")).header("x-forwarded-for", "198.51.100.23").form(&form).send().await.unwrap();
    assert_eq!(res.status(), 429);
}
