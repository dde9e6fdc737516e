//! A request's whole way in Chromium: a teacher asks for a product that overlaps an approved one and is warned,
//! the request passes every stage of the hybrid preset, the decision reaches the teacher's inbox, and the public
//! list shows the product without what the district made private.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_goes_from_a_teacher_through_every_stage_to_the_public_list() {
    let app = TestApp::new().await;
    in_browser(|b| request_path(b, app)).await;
}

/// Records `decision` on the stage the signed-in reviewer may decide on the request page.
async fn decide_stage(b: &Browser, app: &TestApp, request: i64, role: Role) {
    b.sign_in_as(app, role).await;
    b.goto(&app.url(&format!("/requests/{request}"))).await;
    b.css("input[name=decision][value=pass]").await.click().await.unwrap();
    b.css(&format!("form[action^='/requests/{request}/stages/'] button[type=submit]")).await.click().await.unwrap();
    b.css("main p.notice[role=status]").await;
}

async fn request_path(b: Browser, app: TestApp) {
    let seed = app.seed.clone();
    b.sign_in_as(&app, Role::Teacher).await;
    b.goto(&app.url("/requests/new")).await;
    b.fill("#f-name", "Fraction Forest").await;
    b.fill("#f-vendor_name", "Sprout Learning").await;
    b.choose("#f-category_id", &seed.category.to_string()).await;
    b.fill("#f-purpose", "Fractions practice for grades 3 to 5").await;
    b.fill("#f-grades", "3-5").await;
    let school = b.css(&format!("input[name=schools][value='{}']", seed.school_a)).await;
    assert_eq!(school.prop("checked").await.unwrap().as_deref(), Some("true"), "the teacher's school is chosen");
    b.fill("#f-expected_users", "120").await;
    b.fill("#f-cost", "6000").await;
    b.css("input[name=data_elements][value=name]").await.click().await.unwrap();
    b.css("button[name=action][value=check]").await.click().await.unwrap();

    // The warning: the district already has an approved product in this category for these grades.
    let warning = b.text("[data-testid=overlap]").await;
    assert!(warning.contains(APPROVED_NAME) && warning.contains("Approved in the same category"), "{warning}");
    assert_eq!(b.css("#f-name").await.prop("value").await.unwrap().as_deref(), Some("Fraction Forest"), "kept");
    b.css("button[name=action][value=submit]").await.click().await.unwrap();
    let path = b.arrive(Locator::Css("main p.notice[role=status]")).await;
    let request: i64 = path
        .strip_prefix("/requests/")
        .and_then(|p| p.strip_suffix("?notice=created"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("the request's page, not {path}"));
    assert_eq!(b.text("[data-testid=request-status]").await, "In review · Technical review");

    // Every stage of the hybrid preset: new vendor, student data, users under 13 and over $5,000.
    decide_stage(&b, &app, request, Role::TechnologyReviewer).await;
    decide_stage(&b, &app, request, Role::PrivacyReviewer).await;
    decide_stage(&b, &app, request, Role::CurriculumReviewer).await;
    decide_stage(&b, &app, request, Role::TechnologyReviewer).await;
    decide_stage(&b, &app, request, Role::Finance).await;
    for kind in ["technical", "privacy", "curricular", "accessibility", "budget"] {
        let row = b.text(&format!("[data-testid=stage-{kind}]")).await;
        assert!(row.contains("Passed"), "{kind}: {row}");
    }

    // The district administrator approves it.
    b.sign_in_as(&app, Role::DistrictAdmin).await;
    b.goto(&app.url(&format!("/requests/{request}"))).await;
    b.css("form[action$='/decision'] input[name=decision][value=approved]").await.click().await.unwrap();
    b.css("form[action$='/decision'] button[type=submit]").await.click().await.unwrap();
    b.css("main p.notice[role=status]").await;
    assert!(b.text("[data-testid=decision]").await.contains("Decision: Approved"));

    // The privacy reviewer makes the vendor private on the public list.
    b.sign_in_as(&app, Role::PrivacyReviewer).await;
    b.goto(&app.url("/public/settings")).await;
    let vendor = b.css("input[name=fields][value=vendor]").await;
    assert_eq!(vendor.prop("checked").await.unwrap().as_deref(), Some("true"), "shown until hidden");
    vendor.click().await.unwrap();
    b.submit_main_form().await;
    b.css("[data-testid=public-products]").await;

    // The decision is in the teacher's inbox, and opening it leads to the request.
    b.sign_in_as(&app, Role::Teacher).await;
    b.goto(&app.url("/inbox")).await;
    let inbox = b.text("ul.inbox").await;
    assert!(inbox.contains("Request approved: Fraction Forest"), "{inbox}");
    b.css("ul.inbox li:first-child button").await.click().await.unwrap();
    assert_eq!(b.arrive(Locator::Css("[data-testid=decision]")).await, format!("/requests/{request}"));

    // Anyone sees it on the public list, without its vendor.
    b.css("form[action='/sign-out'] button").await.click().await.unwrap();
    b.css("#f-email").await;
    b.goto(&app.url("/public/products?q=fraction")).await;
    let table = b.text("[data-testid=public-products]").await;
    assert!(table.contains("Fraction Forest") && table.contains("Name"), "{table}");
    assert!(!table.contains("Sprout Learning") && !table.contains("Vendor"), "the vendor is private: {table}");
    assert!(!table.contains(IN_REVIEW_NAME), "products in review are not listed");
}
