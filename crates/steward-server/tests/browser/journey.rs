//! A district administrator adds a product and a contract and sees them everywhere.

use super::*;

/// Ids in paths such as `/products/7?notice=created`.
fn id_in(path: &str, prefix: &str) -> i64 {
    path.strip_prefix(prefix)
        .and_then(|p| p.strip_suffix("?notice=created"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("expected {prefix}<id>?notice=created, the browser is at {path}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_admin_adds_a_product_and_a_contract_and_sees_them_everywhere() {
    let app = TestApp::new().await;
    in_browser(|b| journey(b, app)).await;
}

async fn journey(b: Browser, app: TestApp) {
    let seed = app.seed.clone();

    // Sign in through the form.
    b.goto(&app.url("/sign-in")).await;
    b.fill("#f-email", &email_of(Role::DistrictAdmin)).await;
    b.fill("#f-password", PASSWORD).await;
    b.submit_main_form().await;
    assert_eq!(b.arrive(Locator::XPath("//main//h1[normalize-space()='Dashboard']")).await, "/", "the dashboard");
    assert_eq!(b.text("main h1").await, "Dashboard");
    assert!(b.body_text().await.contains("Seeded District administrator"));

    // Add a product.
    let name = "Kelp Forest Explorer";
    b.goto(&app.url("/products/new")).await;
    b.fill("#f-name", name).await;
    b.choose("#f-vendor_id", &seed.vendor.to_string()).await;
    b.choose("#f-category_id", &seed.category.to_string()).await;
    b.fill("#f-grades", "3-5").await;
    b.choose("#f-status", "approved").await;
    let science = b.css("input[name=subjects][value=science]").await;
    science.click().await.unwrap();
    assert_eq!(science.prop("checked").await.unwrap().as_deref(), Some("true"));
    b.submit_main_form().await;
    let product = id_in(&b.arrive(Locator::Css("main p.notice[role=status]")).await, "/products/");
    assert_eq!(b.text("main h1").await, name);
    let page = b.body_text().await;
    assert!(page.contains("Saved. The change is recorded in the audit log.") && page.contains("Science"), "{page}");
    assert_eq!(app.store.product(product).await.unwrap().product.name, name);

    // Add a contract for it, ending within 30 days.
    let end = today() + chrono::Duration::days(21);
    b.goto(&app.url(&format!("/contracts/new?product={product}"))).await;
    let chosen = b.css("#f-product_id").await.prop("value").await.unwrap();
    assert_eq!(chosen, Some(product.to_string()), "the product is chosen");
    b.choose("#f-school_id", &seed.school_a.to_string()).await;
    b.choose("#f-license_model", "site").await;
    b.fill("#f-cost", "7500.00").await;
    b.fill_date("#f-start_date", today() - chrono::Duration::days(344)).await;
    b.fill_date("#f-end_date", end).await;
    b.fill("#f-notice_days", "14").await;
    b.css("#f-auto_renew").await.click().await.unwrap();
    b.submit_main_form().await;
    let contract = id_in(&b.arrive(Locator::Css("main p.notice[role=status]")).await, "/contracts/");
    let page = b.body_text().await;
    assert!(
        page.contains("$7,500.00") && page.contains("Renews automatically") && page.contains(SCHOOL_A_NAME),
        "{page}"
    );
    let stored = app.store.contract(contract).await.unwrap().contract;
    assert_eq!(
        (stored.product_id, stored.school_id, stored.end_date, stored.auto_renew),
        (product, Some(seed.school_a), end, true)
    );

    // It is on the 30-day renewal calendar.
    b.goto(&app.url("/renewals?window=30")).await;
    assert_eq!(b.text(&format!("a[href=\"/contracts/{contract}\"]")).await, name);
    let calendar = b.body_text().await;
    assert!(calendar.contains("end in the next 30 days") && calendar.contains(&end.to_string()), "{calendar}");

    // The audit log has both.
    b.goto(&app.url("/audit")).await;
    b.css("table.audit").await;
    let audit = b.body_text().await;
    assert!(
        audit.contains(&format!("created product {name}")) && audit.contains(&format!("(product {product})")),
        "{audit}"
    );
    assert!(
        audit.contains(&format!("created contract for {name} ($7,500.00)"))
            && audit.contains(&format!("(contract {contract})")),
        "{audit}"
    );

    // A bad value is refused with its error next to the field, and nothing changes.
    b.goto(&app.url(&format!("/products/{product}/edit"))).await;
    b.fill("#f-grades", "K-14").await;
    b.submit_main_form().await;
    let error = b.text("#e-grades").await;
    assert!(error.contains("'14' is not a grade"), "{error}");
    b.wait_for(Locator::XPath("//input[@id='f-grades']/following-sibling::p[@id='e-grades']")).await;
    let field = b.css("#f-grades").await;
    assert_eq!(field.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert_eq!(field.attr("aria-describedby").await.unwrap().as_deref(), Some("e-grades"));
    assert_eq!(field.prop("value").await.unwrap().as_deref(), Some("K-14"), "the typed value is kept");
    let summary = b.text("[role=alert]").await;
    assert!(summary.contains("grades:"), "{summary}");
    assert_eq!(app.store.product(product).await.unwrap().product.grades.to_string(), "3–5", "nothing was saved");
}
