//! The usage pages over HTTP: people active by product and by day, the CSV, the discovery queue adopted into a
//! product or dismissed with a reason, unmatched users, and who may see them.

use super::*;
use common::usage::ingest;

#[tokio::test]
async fn usage_shows_people_active_by_product_and_downloads_as_csv() {
    let app = TestApp::new().await;
    ingest(&app).await;
    let admin = app.session_for(Finance).await;
    let (status, html) = admin.get_text("/usage").await;
    assert_eq!(status, 200);
    assert!(html.contains(APPROVED_NAME), "the product used is listed");
    assert!(html.contains(r#"data-testid="people-active">2<"#), "two rostered people were active");
    assert!(html.contains("<svg"), "with the chart of people active each day");
    assert!(html.contains("1 unmatched users"));
    let (status, csv) = admin.get_text("/usage.csv").await;
    assert_eq!(status, 200);
    let line = csv.lines().find(|l| l.contains(APPROVED_NAME)).unwrap();
    let cells: Vec<&str> = line.split(',').collect();
    assert_eq!((cells[4], cells[5], cells[7]), ("2", "4", "2.0"), "{line}: 2 people, 4 launches, 2 hours");
    let (status, monthly) = admin.get_text("/usage/monthly.csv").await;
    assert_eq!(status, 200);
    let people: usize = monthly
        .lines()
        .filter(|l| l.contains("app.numbersmith.example"))
        .map(|l| l.rsplit(',').next().unwrap().parse::<usize>().unwrap())
        .sum();
    // Per school and month: Ana at Alder and Ben at Birch, once each (unless the days straddle a month's end).
    assert!((2..=4).contains(&people), "{monthly}");
    assert!(monthly.lines().all(|l| !l.contains("quizblitz")), "unknown products are not in the inventory's counts");
    let (status, _) = admin.get_text("/usage?from=2026-13-01").await;
    assert_eq!(status, 400, "a date that is not one is refused with the reason");
    let (status, html) = admin.get_text("/usage/unmatched").await;
    assert_eq!(status, 200);
    assert!(html.contains("email:visitor@guest.example"));
    let teacher = app.session_for(Teacher).await;
    assert_eq!(teacher.get("/usage").await.status().as_u16(), 403);
}

#[tokio::test]
async fn a_discovered_product_is_dismissed_with_a_reason_or_counted_as_a_products_use() {
    let app = TestApp::new().await;
    ingest(&app).await;
    let tech = app.session_for(TechnologyReviewer).await;
    let (status, html) = tech.get_text("/usage/discoveries").await;
    assert_eq!(status, 200);
    assert!(html.contains("quizblitz.example") && html.contains("/products/new?launch_url=https://quizblitz.example/"));
    let id = app.store.usage_discoveries("open").await.unwrap()[0].id;

    let before = app.audit_count().await;
    let res = tech.submit("/usage/discoveries", &format!("/usage/discoveries/{id}/dismiss"), &[("reason", " ")]).await;
    assert_eq!(res.status().as_u16(), 422);
    assert!(res.text().await.unwrap().contains("say why"), "the reason is required");
    let res = tech.submit("/usage/discoveries", &format!("/usage/discoveries/{id}/adopt"), &[("product_id", "")]).await;
    assert_eq!(res.status().as_u16(), 422, "a product must be chosen");
    assert_eq!(app.audit_count().await, before, "nothing changed");

    let product = app.seed.approved.to_string();
    let res =
        tech.submit("/usage/discoveries", &format!("/usage/discoveries/{id}/adopt"), &[("product_id", &product)]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(app.audit_count().await, before + 1, "adopting is audited");
    assert!(app.store.usage_discoveries("open").await.unwrap().is_empty());
    let (_, csv) = tech.get_text("/usage.csv").await;
    let line = csv.lines().find(|l| l.contains(APPROVED_NAME)).unwrap();
    assert_eq!(line.split(',').nth(5), Some("5"), "its launch now counts for the product: {line}");
}

#[tokio::test]
async fn utilization_counts_each_contracts_people_against_its_seats() {
    let app = TestApp::new().await;
    ingest(&app).await;
    let finance = app.session_for(Finance).await;
    let (status, html) = finance.get_text("/usage/utilization").await;
    assert_eq!(status, 200);
    assert!(html.contains(APPROVED_NAME) && html.contains("Per student"));
    assert!(html.matches("<svg").count() >= 2, "utilization by buyer and seats never used, as charts");
    let (status, csv) = finance.get_text("/usage/utilization.csv").await;
    assert_eq!(status, 200);
    let row = |id: i64| -> Vec<String> {
        let line = csv.lines().find(|l| l.starts_with(&format!("{id},"))).unwrap_or_else(|| panic!("{csv}"));
        line.split(',').map(str::to_owned).collect()
    };
    // School A's contract: 300 seats, Ana (at Alder) used the product; the district's: Ana and Ben.
    let a = row(app.seed.contract_a);
    assert_eq!((a[4].as_str(), a[5].as_str(), a[7].as_str(), a[11].as_str()), ("300", "1", "1", "299"), "{a:?}");
    let district = row(app.seed.contract_district);
    assert_eq!((district[5].as_str(), district[8].as_str(), district[11].as_str()), ("2", "0.007", "298"));
    let curriculum = app.session_for(CurriculumReviewer).await;
    assert_eq!(curriculum.get("/usage/utilization").await.status().as_u16(), 403, "contracts carry money");
}

#[tokio::test]
async fn the_waste_finder_prices_each_finding_and_dismissals_need_a_reason() {
    let app = TestApp::new().await;
    ingest(&app).await;
    let admin = app.session_for(DistrictAdmin).await;
    let (status, html) = admin.get_text("/usage/waste").await;
    assert_eq!(status, 200);
    // School B's contract for a product nobody used ($12,000 a year); school A's and the district's 300 per-student
    // seats, used by one and two students, right-sized to 2 and 3 seats (298/300 and 297/300 of $12,000).
    assert!(html.contains(r#"data-testid="waste-total">$35,800.00<"#), "{html}");
    assert!(html.contains("Right-size to 2 seats at renewal.") && html.contains("No use at all"));
    let (_, usage) = admin.get_text("/usage").await;
    assert!(usage.contains(r#"data-testid="waste-headline">$35,800.00<"#), "the headline on the usage dashboard");
    let key = format!("no-use:{}", app.seed.contract_b);
    let before = app.audit_count().await;
    let res = admin.submit("/usage/waste", "/usage/waste/dismiss", &[("key", &key), ("reason", "")]).await;
    assert_eq!(res.status().as_u16(), 422);
    assert_eq!(app.audit_count().await, before);
    let reason = "Story Lab is in its pilot year; the review decides in spring.";
    let res = admin.submit("/usage/waste", "/usage/waste/dismiss", &[("key", &key), ("reason", reason)]).await;
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(app.audit_count().await, before + 1, "a dismissal is audited");
    let (_, html) = admin.get_text("/usage/waste").await;
    assert!(html.contains(r#"data-testid="waste-total">$23,800.00<"#) && html.contains(reason));
    let (_, csv) = admin.get_text("/usage/waste.csv").await;
    assert!(csv.lines().any(|l| l.starts_with(&key) && l.contains("pilot year")), "{csv}");
    let again = admin.submit("/usage/waste", "/usage/waste/dismiss", &[("key", &key), ("reason", "twice")]).await;
    assert_eq!(again.status().as_u16(), 404, "a dismissed finding is not open");
}

#[tokio::test]
async fn return_on_investment_prices_people_hours_and_students_reached() {
    let app = TestApp::new().await;
    ingest(&app).await;
    let finance = app.session_for(Finance).await;
    let (status, html) = finance.get_text("/usage/roi").await;
    assert_eq!(status, 200);
    assert!(html.contains("By product") && html.contains("By buyer") && html.contains("By category"));
    let (status, csv) = finance.get_text("/usage/roi.csv").await;
    assert_eq!(status, 200);
    let line = |prefix: &str| csv.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}: {csv}"));
    // Two $12,000 contracts for the product (the district's and school A's); Ana and Ben used it for four
    // half-hours with a guest's, counted once although school A's contract sees Ana's too.
    assert_eq!(
        line(&format!("product,{APPROVED_NAME},")),
        format!("product,{APPROVED_NAME},\"$24,000.00\",2,2,2,\"$12,000.00\",\"$12,000.00\",\"$12,000.00\"")
    );
    assert_eq!(
        line("buyer,The district,"),
        "buyer,The district,\"$12,000.00\",2,2,2,\"$6,000.00\",\"$6,000.00\",\"$6,000.00\""
    );
    assert_eq!(
        line(&format!("buyer,{SCHOOL_A_NAME},")),
        format!("buyer,{SCHOOL_A_NAME},\"$12,000.00\",1,1,1,\"$12,000.00\",\"$12,000.00\",\"$12,000.00\"")
    );
    assert!(line(&format!("product,{IN_REVIEW_NAME},")).ends_with(",0,0,0,–,–,–"), "nobody used it: no price per use");
}

#[tokio::test]
async fn a_renewal_packet_recommends_with_its_saving() {
    let app = TestApp::new().await;
    ingest(&app).await;
    let finance = app.session_for(Finance).await;
    let (status, html) = finance.get_text(&format!("/contracts/{}/renewal", app.seed.contract_b)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Recommendation: Retire"), "nobody used the product it buys");
    assert!(html.contains(r#"data-testid="renewal-saving">$12,000.00"#));
    let (status, html) = finance.get_text(&format!("/contracts/{}/renewal", app.seed.contract_a)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Recommendation: Right-size to 2 seats at renewal"), "{html}");
    assert!(html.contains(r#"data-testid="renewal-saving">$11,920.00"#));
    assert!(html.contains(IN_REVIEW_NAME), "the other product of its category and grades is an overlap");
    assert!(html.contains(r#"data-testid="cost-per-active">$12,000.00"#), "one person active this term");
    let (status, csv) = finance.get_text(&format!("/contracts/{}/renewal.csv", app.seed.contract_a)).await;
    assert_eq!(status, 200);
    assert!(
        csv.contains("recommendation,Right-size to 2 seats at renewal") && csv.contains("saving_a_year,\"$11,920.00\"")
    );
    let school_admin = app.session_for(SchoolAdmin).await;
    assert_eq!(school_admin.get(&format!("/contracts/{}/renewal", app.seed.contract_a)).await.status().as_u16(), 403);
}

#[tokio::test]
async fn usage_is_cut_exactly_by_grade_and_student_group() {
    let app = TestApp::new().await;
    ingest(&app).await;
    let reviewer = app.session_for(CurriculumReviewer).await;
    let (status, html) = reviewer.get_text("/usage/groups").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="overall-share">100%<"#), "both students used something: {html}");
    let row = |html: &str, label: &str| -> String {
        let at = html.find(&format!("<td>{label}</td>")).unwrap_or_else(|| panic!("no {label}"));
        html[at..].split("</tr>").next().unwrap().to_owned()
    };
    assert!(row(&html, "Grade 03").contains("<td class=\"num\">1</td><td class=\"num\">1</td>"));
    assert!(row(&html, "Sex: female").contains("100%") && row(&html, "Hispanic or Latino").contains("100%"));
    let (_, html) = reviewer.get_text(&format!("/usage/groups?product={}", app.seed.in_review)).await;
    assert!(html.contains(r#"data-testid="overall-share">0%<"#), "nobody used the product in review");
    let (status, _) = reviewer.get_text("/usage/groups?product=abc").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_vendors_csv_report_is_read_with_its_saved_columns() {
    let app = TestApp::new().await;
    let tech = app.session_for(TechnologyReviewer).await;
    let page = format!("/vendors/{}/usage", app.seed.vendor);
    let token = tech.csrf_token(&page).await;
    let day = |n: i64| (today() - Duration::days(n)).to_string();
    let report = format!(
        "Date,Student Email,Minutes\n{},stu-ana@cedar.example,15\n{},stu-ben@cedar.example,30\nsoon,x@y.org,5\n",
        day(1),
        day(2)
    );
    let form = |report: String, time: &str| {
        reqwest::multipart::Form::new()
            .text("csrf_token", token.clone())
            .text("time", time.to_owned())
            .text("user", "Student Email")
            .text("user_is", "email")
            .text("product_id", app.seed.approved.to_string())
            .text("duration", "Minutes")
            .text("duration_unit", "minutes")
            .part("report", reqwest::multipart::Part::bytes(report.into_bytes()).file_name("report.csv"))
    };
    let res = tech.client.post(tech.url(&page)).multipart(form(report.clone(), "When")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("the file has no column") && html.contains("When"),
        "a column the file does not have: {html}"
    );
    let res = tech.client.post(tech.url(&page)).multipart(form(report.clone(), "Date")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("3 rows read:</strong> 2 stored, 0 already stored, 1 refused."), "{html}");
    assert!(html.contains("Line 4, time: &#39;soon&#39; is not a date"), "{html}");
    let again = tech.client.post(tech.url(&page)).multipart(form(report, "Date")).send().await.unwrap();
    assert!(again.text().await.unwrap().contains("0 stored, 2 already stored"), "the same report again counts nothing");
    let (_, html) = tech.get_text(&page).await;
    assert!(html.contains(r#"name="time" value="Date""#), "the columns are kept for the vendor's next report");
    let from = today() - Duration::days(3);
    let filter = steward_store::UsageFilter {
        product: Some(app.seed.approved),
        schools: steward_store::SchoolCut::Every,
        from,
        to: today(),
    };
    let t = app.store.usage_totals(&filter).await.unwrap();
    assert_eq!((t[0].active, t[0].seconds), (2, 2700));
}
