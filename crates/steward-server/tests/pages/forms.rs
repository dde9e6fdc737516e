//! The product and contract forms: errors by field, and what a saved record shows up in.

use super::*;

// ---------------------------------------------------------------------------------------------------------------
// Forms: products.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_bad_product_is_shown_again_with_its_errors_and_a_good_one_is_everywhere() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let admin = app.session_for(DistrictAdmin).await;
    let (vendor, category) = (s.vendor.to_string(), s.category.to_string());
    let products_before = app.product_count().await;
    let changes_before = app.audit_count().await;

    let bad = product_fields("Quillfeather Writing", &vendor, &category, "not a url", "K-14");
    let res = admin.submit("/products/new", "/products", &bad).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    for field in ["website", "grades"] {
        assert!(html.contains(&format!("<p class=\"error\" id=\"e-{field}\">")), "{field} has its error next to it");
        assert!(html.contains(&format!("aria-describedby=\"e-{field}\"")), "{field} points at its error");
        assert!(html.contains(&format!("<a href=\"#f-{field}\">{field}: ")), "the summary names {field}");
    }
    assert!(html.contains("is not a valid URL") && html.contains("is not a grade"), "{html}");
    for fine in ["name", "vendor_id", "category_id", "subjects"] {
        assert!(!html.contains(&format!("href=\"#f-{fine}\"")), "{fine} was valid");
    }
    assert!(html.contains("value=\"Quillfeather Writing\"") && html.contains("value=\"K-14\""), "values are kept");
    assert!(
        html.contains("value=\"ela\" checked") && html.contains("value=\"arts\" checked"),
        "ticked boxes stay ticked"
    );
    assert_eq!(app.product_count().await, products_before, "nothing stored");
    assert_eq!(app.audit_count().await, changes_before, "nothing recorded");

    let good = product_fields("Quillfeather Writing", &vendor, &category, "https://quillfeather.example/", "6-8");
    let res = admin.submit("/products/new", "/products", &good).await;
    assert_eq!(res.status(), 303);
    let to = location(&res).unwrap();
    let id: i64 = to.trim_start_matches("/products/").trim_end_matches("?notice=created").parse().expect(&to);
    let (status, page) = admin.get_text(&to).await;
    assert_eq!(status, 200);
    assert!(page.contains("Quillfeather Writing") && page.contains("Saved. The change is recorded in the audit log."));
    assert!(page.contains("English language arts, Arts"));

    let (_, found) = admin.get_text("/products?q=quillfeather").await;
    assert!(found.contains(&link(&format!("/products/{id}"))) && found.contains("1 products"), "search finds it");
    let (_, found) = admin.get_text("/products?q=writ").await;
    assert!(found.contains("Quillfeather Writing"), "prefix search finds it");
    let (_, none) = admin.get_text("/products?q=zebrafish").await;
    assert!(!none.contains("Quillfeather") && none.contains("0 products"));

    let res = admin.get("/products.csv").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,name,vendor,category,status,scope,scope_grades,scope_school_ids,grades,subjects,platforms,sign_on,interop,wcag,data_elements,dpa_status,dpa_expires,essa_tier,website,has_manager"
    );
    assert_eq!(lines.len(), 1 + 3, "header and three products: {csv}");
    let row = lines.iter().find(|l| l.starts_with(&format!("{id},"))).expect("the new product's row");
    assert!(
        row.starts_with(&format!("{id},Quillfeather Writing,Numbersmith,Math practice,approved,district_wide,")),
        "{row}"
    );
    assert!(
        row.contains(",ela;arts,") && row.contains("https://quillfeather.example/") && row.ends_with(",false"),
        "{row}"
    );
    let (_, filtered) = admin.get_text("/products.csv?q=quillfeather").await;
    assert_eq!(filtered.lines().count(), 2, "the export follows the search: {filtered}");

    let (_, audit) = admin.get_text("/audit").await;
    assert!(audit.contains("created product Quillfeather Writing") && audit.contains(&format!("(product {id})")));
    assert!(audit.contains(&email_of(DistrictAdmin)), "the audit log names who did it");
    assert_eq!(app.audit_count().await, changes_before + 1);
}

#[tokio::test]
async fn editing_a_product_keeps_its_id_and_is_audited() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let reviewer = app.session_for(PrivacyReviewer).await;
    let path = format!("/products/{}", s.approved);
    let (_, form) = reviewer.get_text(&format!("{path}/edit")).await;
    assert!(form.contains(&format!("action=\"{path}\"")) && form.contains(&format!("value=\"{APPROVED_NAME}\"")));
    let (vendor, category) = (s.vendor.to_string(), s.category.to_string());
    let mut fields =
        product_fields("Number Garden Plus", &vendor, &category, "https://numbersmith.example/garden", "K-5");
    fields.push(("data_elements", "name"));
    fields.push(("dpa_status", "signed"));
    fields.push(("dpa_expires", "2027-06-30"));
    let res = reviewer.submit(&format!("{path}/edit"), &path, &fields).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res).unwrap(), format!("{path}?notice=updated"));
    assert_eq!(app.store.product(s.approved).await.unwrap().product.name, "Number Garden Plus");
    let admin = app.session_for(DistrictAdmin).await;
    let (_, audit) = admin.get_text(&format!("/audit?entity=product&entity_id={}", s.approved)).await;
    assert!(
        audit.contains("updated product Number Garden Plus") && audit.contains(&email_of(PrivacyReviewer)),
        "{audit}"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Contracts and renewals.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_contract_made_with_the_form_is_on_the_renewal_calendar_of_its_windows() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let admin = app.session_for(DistrictAdmin).await;
    let product_page = format!("/products/{}", s.in_review);
    let (_, before) = admin.get_text(&product_page).await;
    assert!(!before.contains("Bought separately by"), "one school so far");

    let (product, school) = (s.in_review.to_string(), s.school_a.to_string());
    let (start, end) = ((today() - Duration::days(320)).to_string(), (today() + Duration::days(45)).to_string());
    let res = admin
        .submit(
            &format!("/contracts/new?product={}", s.in_review),
            "/contracts",
            &contract_fields(&product, &school, &end, &start),
        )
        .await;
    assert_eq!(res.status(), 303);
    let to = location(&res).unwrap();
    let id: i64 = to.trim_start_matches("/contracts/").trim_end_matches("?notice=created").parse().expect(&to);
    let (status, page) = admin.get_text(&to).await;
    assert_eq!(status, 200);
    assert!(page.contains("$5,000.00") && page.contains(SCHOOL_A_NAME) && page.contains(&end));
    assert!(page.contains("<dt>Days left</dt><dd>45</dd>"), "{page}");

    let row = link(&format!("/contracts/{id}"));
    for (window, listed) in [(30, false), (60, true), (90, true), (180, true)] {
        let (status, html) = admin.get_text(&format!("/renewals?window={window}")).await;
        assert_eq!(status, 200);
        assert_eq!(html.contains(&row), listed, "window {window}");
        assert!(html.contains(&format!("end in the next {window} days")));
    }
    let (_, default) = admin.get_text("/renewals").await;
    assert!(default.contains(&row) && default.contains("end in the next 90 days"), "the default window is 90 days");
    let (_, dashboard) = admin.get_text("/").await;
    assert!(dashboard.contains(&row), "the dashboard lists renewals due in 90 days");
    // School A's administrator sees it too, finance too; school B's seeded contract ends later than 180 days.
    for role in [SchoolAdmin, Finance] {
        let (_, html) = app.session_for(role).await.get_text("/renewals?window=60").await;
        assert!(html.contains(&row), "{role:?}");
        assert!(!html.contains(&link(&format!("/contracts/{}", s.contract_b))));
    }

    let (_, after) = admin.get_text(&product_page).await;
    assert!(after.contains("Bought separately by 2 schools"), "{after}");
    let (_, list) = admin.get_text("/products").await;
    assert!(list.contains("bought by 2 schools"));
    let (_, audit) = admin.get_text("/audit?entity=contract").await;
    assert!(
        audit.contains(&format!("created contract for {IN_REVIEW_NAME} ($5,000.00)"))
            && audit.contains(&format!("(contract {id})"))
    );
}

#[tokio::test]
async fn a_bad_contract_is_shown_again_with_its_errors() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let finance = app.session_for(Finance).await;
    let product = s.approved.to_string();
    let start = today().to_string();
    let end = (today() - Duration::days(1)).to_string();
    let mut fields = contract_fields(&product, "", &end, &start);
    fields.retain(|(k, _)| *k != "cost");
    fields.push(("cost", "a lot"));
    let before = app.audit_count().await;
    let res = finance.submit("/contracts/new", "/contracts", &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"e-end_date\"") && html.contains("must not be before the start date"), "{html}");
    assert!(html.contains("id=\"e-cost\""));
    assert_eq!(app.audit_count().await, before);
}

#[tokio::test]
async fn deleting_a_contract_removes_it_and_is_audited() {
    let app = TestApp::new().await;
    let s = app.seed.clone();
    let admin = app.session_for(DistrictAdmin).await;
    let path = format!("/contracts/{}", s.contract_b);
    let res = admin.submit(&path, &format!("{path}/delete"), &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res).as_deref(), Some("/contracts?notice=deleted"));
    assert!(matches!(app.store.contract(s.contract_b).await, Err(steward_store::StoreError::NotFound)));
    assert_eq!(admin.get(&path).await.status(), 404);
    let (_, list) = admin.get_text("/contracts?notice=deleted").await;
    assert!(list.contains("Deleted. The deletion is recorded in the audit log.") && !list.contains(&link(&path)));
    let (_, audit) = admin.get_text("/audit?action=delete").await;
    assert!(audit.contains(&format!("deleted contract for {IN_REVIEW_NAME}")));
}

#[tokio::test]
async fn contracts_filter_and_download_within_what_the_reader_sees() {
    let app = TestApp::new().await;
    let s = &app.seed;
    let finance = app.session_for(Finance).await;
    let (_, all) = finance.get_text("/contracts").await;
    assert!(all.contains("3 contracts"), "the seed has three contracts");
    let (_, district) = finance.get_text("/contracts?school=district").await;
    assert!(
        district.contains("1 contracts") && district.contains(&link(&format!("/contracts/{}", s.contract_district)))
    );
    let (_, school_b) = finance.get_text(&format!("/contracts?school={}", s.school_b)).await;
    assert!(
        school_b.contains(&link(&format!("/contracts/{}", s.contract_b)))
            && !school_b.contains(&link(&format!("/contracts/{}", s.contract_a)))
    );
    let (_, none) = finance.get_text("/contracts?model=free").await;
    assert!(none.contains("0 contracts"));

    let csv = finance.get(&format!("/contracts.csv?school={}", s.school_a)).await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.unwrap();
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines[0].starts_with("id,product_id,product,category,school,license_model"), "{}", lines[0]);
    assert_eq!(lines.len(), 2, "a header and school A's one contract: {body}");
    assert!(lines[1].starts_with(&format!("{},", s.contract_a)) && lines[1].contains(SCHOOL_A_NAME));

    // A school administrator's download holds only their school's contracts, whatever the filter asks.
    let principal = app.session_for(SchoolAdmin).await;
    let body = principal.get(&format!("/contracts.csv?school={}", s.school_b)).await.text().await.unwrap();
    assert_eq!(body.lines().count(), 1, "nothing of school B: {body}");
    let body = principal.get("/contracts.csv").await.text().await.unwrap();
    assert_eq!(body.lines().count(), 2, "school A's contract only: {body}");
}

#[tokio::test]
async fn a_product_approved_for_some_schools_names_them() {
    let app = TestApp::new().await;
    let s = &app.seed;
    let admin = app.session_for(DistrictAdmin).await;
    let (vendor, category) = (s.vendor.to_string(), s.category.to_string());
    let mut fields = product_fields("Tide Pool Lab", &vendor, &category, "", "3-5");
    fields.retain(|(k, _)| *k != "scope");
    fields.push(("scope", "some_schools"));
    let refused = admin.submit("/products/new", "/products", &fields).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("choose the schools it is approved for"));

    let school_b = s.school_b.to_string();
    fields.push(("scope_schools", &school_b));
    let saved = admin.submit("/products/new", "/products", &fields).await;
    assert_eq!(saved.status(), 303);
    let at = saved.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = admin.get_text(&at).await;
    assert!(page.contains("Some schools: Birch"), "the page names the school: {page}");
}
