//! Error pages, security headers and escaping.

use super::*;

// ---------------------------------------------------------------------------------------------------------------
// Errors and headers.
// ---------------------------------------------------------------------------------------------------------------

const NOT_FOUND: &str = "Nothing is here. It may have been removed, or the address may be mistyped.";

pub(crate) fn assert_no_internals(what: &str, body: &str) {
    for leak in
        ["panicked", "sqlx", "SQLITE", "database", "stack backtrace", "src/", ".rs:", "StoreError", "RUST_BACKTRACE"]
    {
        assert!(!body.contains(leak), "{what} leaks {leak:?}: {body}");
    }
}

#[tokio::test]
async fn errors_are_plain_pages_that_leak_nothing() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    for session in [&admin, &app.anonymous()] {
        let (status, html) = session.get_text("/definitely/not/here").await;
        assert_eq!(status, 404);
        assert!(html.contains("<h1>Not Found</h1>") && html.contains(NOT_FOUND), "{html}");
        assert_no_internals("the 404 page", &html);
    }
    for missing in
        ["/products/999999", "/products/999999/edit", "/contracts/999999", "/catalog/999999", "/vendors/999999/edit"]
    {
        let (status, html) = admin.get_text(missing).await;
        assert_eq!(status, 404, "{missing}");
        assert!(html.contains(NOT_FOUND), "{missing}");
        assert_no_internals(missing, &html);
    }
    let (status, html) = admin.get_text("/renewals?window=45").await;
    assert_eq!(status, 200, "an unknown window is explained on the page");
    assert!(html.contains("is not a window; expected 30, 60, 90 or 180 days"), "{html}");
    assert!(html.contains("end in the next 90 days"), "the default window is shown instead");
    let (status, html) = admin.get_text("/audit?from=31/12/2026").await;
    assert_eq!(status, 200);
    assert!(html.contains("From: "), "the bad date is explained: {html}");
    let (status, html) = admin.get_text("/products?status=bogus&grades=Z&sort=nonsense").await;
    assert_eq!(status, 200, "filters that don't parse are ignored");
    assert!(html.contains(APPROVED_NAME));
    let (status, html) = app.session_for(Teacher).await.get_text("/audit").await;
    assert_eq!(status, 403);
    assert!(html.contains("<h1>Forbidden</h1>"));
    assert_no_internals("the 403 page", &html);
}

/// Malformed ids and query values are the visitor's mistake: they should get Steward's own error page (400 or 404)
/// like every other error, not the framework's plain-text rejection naming Rust types.
#[tokio::test]

async fn malformed_ids_and_queries_get_the_error_page() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    for bad in ["/products/abc", "/contracts/1x", "/catalog/%20", "/products?page=two", "/catalog?page=-"] {
        let res = admin.get(bad).await;
        let status = res.status().as_u16();
        let ctype = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let body = res.text().await.unwrap();
        assert!(matches!(status, 400 | 404), "{bad}: {status}");
        assert!(ctype.starts_with("text/html"), "{bad}: {ctype}: {body}");
        assert!(!body.contains("i64") && !body.contains("deserialize"), "{bad} names internals: {body}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    let anonymous = app.anonymous();
    let mut checked = 0;
    for (session, path) in [
        (&anonymous, "/sign-in"),
        (&anonymous, "/health"),
        (&anonymous, "/assets/style.css"),
        (&anonymous, "/products"),
        (&anonymous, "/nowhere"),
        (&admin, "/"),
        (&admin, "/products.csv"),
        (&admin, "/contracts/999999"),
        (&admin, "/api/v1/products"),
        (&app.session_for(Student).await, "/audit"),
    ] {
        let res = session.get(path).await;
        let h = res.headers();
        let csp = h.get("content-security-policy").unwrap_or_else(|| panic!("no CSP on {path}")).to_str().unwrap();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        assert_eq!(h.get("x-content-type-options").map(|v| v.to_str().unwrap()), Some("nosniff"), "{path}");
        assert_eq!(h.get("x-frame-options").map(|v| v.to_str().unwrap()), Some("DENY"), "{path}");
        assert!(h.get("referrer-policy").is_some(), "{path}");
        checked += 1;
    }
    assert_eq!(checked, 10);
    let res = admin.submit("/", "/products", &[]).await;
    assert_eq!(res.status(), 422);
    assert!(res.headers().get("content-security-policy").is_some(), "form responses too");
}

#[tokio::test]
async fn pages_escape_what_people_typed() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let admin = app.session_for(DistrictAdmin).await;
    let (vendor, category) = (s.vendor.to_string(), s.category.to_string());
    let name = "<script>alert('x')</script>";
    let res = admin.submit("/products/new", "/products", &product_fields(name, &vendor, &category, "", "K-2")).await;
    assert_eq!(res.status(), 303);
    let to = location(&res).unwrap();
    for page in [to.as_str(), "/products", "/catalog", "/audit"] {
        let (_, html) = admin.get_text(page).await;
        assert!(!html.contains(name), "{page} renders the name unescaped");
        assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"), "{page} shows the name escaped");
    }
    let (_, html) = admin.get_text("/products?q=%3Cscript%3E%22").await;
    assert!(!html.contains("value=\"<script>\""));
}

#[tokio::test]
async fn health_says_whether_the_database_answers() {
    let app = TestApp::new().await;
    let anonymous = app.anonymous();
    assert_eq!(anonymous.get_text("/health").await, (200, "ok".to_owned()));
    app.store.close().await;
    let (status, body) = anonymous.get_text("/health").await;
    assert_eq!((status, body.as_str()), (503, "the database does not answer"));
}

#[tokio::test]
async fn over_https_browsers_are_told_to_keep_to_it() {
    let plain = TestApp::new().await;
    assert!(plain.anonymous().get("/sign-in").await.headers().get("strict-transport-security").is_none());
    let db = TestDb::sqlite();
    let settings = Settings { public_url: "https://steward.district.example".into(), ..test_settings(&db.url) };
    let app = TestApp::with_db(db, settings).await;
    let res = app.anonymous().get("/sign-in").await;
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("Secure"), "cookies are Secure over https: {cookie}");
}
