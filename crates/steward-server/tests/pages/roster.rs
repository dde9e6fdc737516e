//! The roster pages over HTTP: an upload applied or rejected with its problems, history, export, search, scope.

use super::*;
use common::roster::{self, ALDER, CLASS_A, CLASS_B, STUDENT_A, STUDENT_B};
use steward_interop::oneroster;
use steward_interop::Strictness;

/// Uploads `parts` (file name, bytes) as the package, and follows the import to its page; returns its address.
async fn upload(s: &Session, parts: Vec<(String, Vec<u8>)>, strict: bool) -> String {
    let token = s.csrf_token("/roster/imports/new").await;
    let mut form = reqwest::multipart::Form::new().text("csrf_token", token);
    if strict {
        form = form.text("strict", "1");
    }
    for (name, bytes) in parts {
        form = form.part("package", reqwest::multipart::Part::bytes(bytes).file_name(name));
    }
    let res = s.client.post(s.url("/roster/imports")).multipart(form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 303, "the upload is accepted for checking");
    let mut at = location(&res).unwrap();
    assert!(at.starts_with("/roster/imports/running/"), "{at}");
    for _ in 0..200 {
        let res = s.get(&at).await;
        match res.status().as_u16() {
            200 => tokio::time::sleep(std::time::Duration::from_millis(25)).await,
            303 => {
                at = location(&res).unwrap();
                if !at.starts_with("/roster/imports/running/") {
                    return at;
                }
            }
            other => panic!("the running import answered {other}"),
        }
    }
    panic!("the import did not finish");
}

fn with_new_student(mut files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    for (name, bytes) in &mut files {
        let extra = match name.as_str() {
            "users.csv" => format!("stu-cy,,,true,stu-cy,,Cy,Cole,,ID-cy,cy@cedar.example,,,,03,,,,,,,{ALDER},\n"),
            "roles.csv" => format!("r-cy,,,stu-cy,primary,student,,,{ALDER},\n"),
            "enrollments.csv" => format!("e-cy,,,{CLASS_A},{ALDER},stu-cy,student,,,\n"),
            _ => continue,
        };
        bytes.extend_from_slice(extra.as_bytes());
    }
    files
}

#[tokio::test]
async fn an_uploaded_zip_is_applied_and_recorded() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    let package = oneroster::read_files(with_new_student(roster::files()), Strictness::Strict);
    assert!(package.is_accepted(), "{:?}", package.problems);
    let zip = oneroster::write_bulk_zip(&package.records, Some("Test SIS")).unwrap();
    let page = upload(&admin, vec![("nightly.zip".into(), zip)], true).await;
    let (status, html) = admin.get_text(&page).await;
    assert_eq!(status, 200);
    assert!(html.contains("applied") && html.contains("nightly.zip"), "{html}");
    // One student, one role, one enrollment new; the rest as the seed left it.
    let (_, history) = admin.get_text("/roster/imports").await;
    assert!(history.contains("nightly.zip") && history.contains("seed roster"), "{history}");
    let (_, people) = admin.get_text("/roster/people?q=cole").await;
    assert!(people.contains("Cole, Cy") && people.contains("1 people"), "{people}");
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let entry = app.store.roster_import(id).await.unwrap();
    assert_eq!((entry.inserted(), entry.updated(), entry.deleted()), (3, 0, 0));
    assert_eq!(entry.strictness, "strict");
}

#[tokio::test]
async fn a_package_with_errors_is_rejected_with_every_problem_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.session_for(TechnologyReviewer).await;
    let mut files = with_new_student(roster::files());
    for (name, bytes) in &mut files {
        if name == "enrollments.csv" {
            bytes.extend_from_slice(format!("e-ghost,,,cls-nowhere,{ALDER},{STUDENT_A},student,,,\n").as_bytes());
        }
    }
    let before = app.store.roster_counts().await.unwrap();
    let page = upload(&admin, files, false).await;
    let (_, html) = admin.get_text(&page).await;
    assert!(html.contains("rejected"), "{html}");
    assert!(html.contains("enrollments.csv") && html.contains("cls-nowhere"), "the problem is shown: {html}");
    assert_eq!(app.store.roster_counts().await.unwrap(), before, "nothing changed");
    let res = admin.get(&format!("{page}/problems.csv")).await;
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = res.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("file,line,column,value,rule,severity"));
    let row = lines.find(|l| l.contains("cls-nowhere")).expect("the problem's row");
    assert!(row.starts_with("enrollments.csv,6,classSourcedId,cls-nowhere,") && row.ends_with(",error"), "{row}");
}

#[tokio::test]
async fn an_upload_that_is_not_a_package_gets_the_form_again() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    let token = admin.csrf_token("/roster/imports/new").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part("package", reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("notes.txt"));
    let res = admin.client.post(admin.url("/roster/imports")).multipart(form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\"") && html.contains("CSV files only"), "{html}");
    let form = reqwest::multipart::Form::new().text("csrf_token", "forged");
    let res = admin.client.post(admin.url("/roster/imports")).multipart(form).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400, "a forged CSRF token is refused");
}

#[tokio::test]
async fn the_export_downloads_a_bulk_set_that_imports_back_unchanged() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    let res = admin.get("/roster/export.zip").await;
    assert_eq!(res.headers()["content-type"], "application/zip");
    let zip = res.bytes().await.unwrap().to_vec();
    let package = oneroster::read_zip_bytes(&zip, Strictness::Strict).unwrap();
    assert!(package.is_accepted(), "the export is a valid 1.2 bulk set: {:?}", package.problems);
    assert_eq!(package.records["users"].len(), 3);
    let page = upload(&admin, vec![("export.zip".into(), zip)], true).await;
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let entry = app.store.roster_import(id).await.unwrap();
    assert!(entry.applied());
    assert_eq!((entry.inserted(), entry.updated(), entry.deleted()), (0, 0, 0), "{:?}", entry.files);
}

#[tokio::test]
async fn people_and_classes_are_searchable_and_a_school_admin_sees_only_their_school() {
    let app = TestApp::new().await;
    let admin = app.session_for(CurriculumReviewer).await;
    let (_, html) = admin.get_text("/roster/people?q=ana").await;
    assert!(html.contains("Alvarez, Ana") && !html.contains("Brooks"), "{html}");
    let (_, html) = admin.get_text("/roster/classes?q=room").await;
    assert!(html.contains("Room 3 Homeroom") && html.contains("Room 4 Homeroom"), "{html}");
    let (_, html) = admin.get_text("/roster").await;
    assert!(html.contains("Alder Elementary") && html.contains("Birch Elementary"), "{html}");

    let principal = app.session_for(SchoolAdmin).await;
    let (_, html) = principal.get_text("/roster/classes").await;
    assert!(html.contains("Room 3 Homeroom") && !html.contains("Room 4 Homeroom"), "{html}");
    // Asking for the other school's list still shows only their own.
    let (_, html) = principal.get_text(&format!("/roster/people?school={}", roster::BIRCH)).await;
    assert!(!html.contains("Brooks") && html.contains("Alvarez"), "{html}");
    assert_eq!(principal.get(&format!("/roster/classes/{CLASS_B}")).await.status().as_u16(), 403);
    assert_eq!(principal.get(&format!("/roster/people/{STUDENT_B}")).await.status().as_u16(), 403);

    // A person's page: their class, and the approved product licensed at their school for their grade.
    let (status, html) = principal.get_text(&format!("/roster/people/{STUDENT_A}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Room 3 Homeroom") && html.contains(APPROVED_NAME), "{html}");
    assert!(!html.contains(IN_REVIEW_NAME), "a product in review is not offered: {html}");
    let (_, html) = principal.get_text(&format!("/roster/classes/{CLASS_A}")).await;
    assert!(html.contains("Turner") && html.contains("teacher (primary)") && html.contains("Alvarez"), "{html}");
}

/// The `<code>` value following `label` in a definition list.
fn shown_after(html: &str, label: &str) -> String {
    let at = html.find(&format!("<dt>{label}</dt>")).unwrap_or_else(|| panic!("{label} in {html}"));
    let rest = &html[at..];
    let start = rest.find("<code>").unwrap() + 6;
    rest[start..start + rest[start..].find("</code>").unwrap()].to_owned()
}

#[tokio::test]
async fn a_products_page_shows_what_its_vendor_receives_and_registers_clients_whose_requests_are_logged() {
    let app = TestApp::new().await;
    let privacy = app.session_for(PrivacyReviewer).await;
    let page = format!("/products/{}/roster", app.seed.approved);
    let (status, html) = privacy.get_text(&page).await;
    assert_eq!(status, 200);
    // Approved and bought by the district: both schools; the seed declares no student data, so no names.
    assert!(html.contains("Alder Elementary") && html.contains("Birch Elementary"), "{html}");
    assert!(html.contains("<dt>People</dt><dd>3</dd>") && html.contains("<dt>Classes</dt><dd>2</dd>"), "{html}");
    assert!(!html.contains("<code>givenName</code>"), "names are not declared: {html}");
    assert!(!html.contains("Register a client"), "a privacy reviewer reads, but does not register");
    // In review: nothing at all.
    let (_, html) = privacy.get_text(&format!("/products/{}/roster", app.seed.in_review)).await;
    assert!(html.contains("its clients receive nothing"), "{html}");

    let tech = app.session_for(TechnologyReviewer).await;
    let action = format!("/products/{}/api-clients", app.seed.approved);
    let res = tech.submit(&page, &action, &[("name", "  ")]).await;
    assert_eq!(res.status().as_u16(), 422);
    assert!(res.text().await.unwrap().contains("give the client a name"));
    let res = tech.submit(&page, &action, &[("name", "Numbersmith sync")]).await;
    assert_eq!(res.status().as_u16(), 201);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let html = res.text().await.unwrap();
    let (client_id, secret) = (shown_after(&html, "Client id"), shown_after(&html, "Client secret"));
    assert!(html.contains("Numbersmith sync"));
    let stored = app.store.api_clients_for_product(app.seed.approved).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!format!("{stored:?}").contains(&secret), "the secret is kept only as a hash");

    // The vendor uses the client; the request shows in its log.
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .post(app.url("/oauth/token"))
        .basic_auth(&client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().expect("a token");
    let users = http.get(app.url("/ims/oneroster/rostering/v1p2/users")).bearer_auth(token).send().await.unwrap();
    assert_eq!(users.status().as_u16(), 200);
    let (status, log) =
        privacy.get_text(&format!("/products/{}/api-clients/{}", app.seed.approved, stored[0].id)).await;
    assert_eq!(status, 200);
    assert!(log.contains("GET /ims/oneroster/rostering/v1p2/users") && log.contains("1 requests"), "{log}");
}
