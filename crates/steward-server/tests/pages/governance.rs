//! Governance over HTTP: a request that overlaps what the district owns, through every stage of the hybrid preset
//! to its decision, with the technical checklist overridden only with a reason; e-mail to a real SMTP server; the
//! policy editor refusing what cannot work; the public list.

use super::*;

fn id_from(location: &str) -> i64 {
    location.trim_start_matches("/requests/").split('?').next().unwrap().parse().unwrap()
}

/// An SMTP server (aiosmtpd) on a free loopback port, keeping each message it receives in a Maildir.
struct SmtpSink {
    child: std::process::Child,
    port: u16,
    dir: std::path::PathBuf,
}

impl SmtpSink {
    async fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = std::env::temp_dir().join(format!("steward-mail-{}-{port}", std::process::id()));
        let mut child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 runs");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return SmtpSink { child, port, dir };
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on port {port}; install it with pip (tests/peers/requirements.txt)");
    }

    /// Every message received so far, as text.
    fn messages(&self) -> Vec<String> {
        let new = self.dir.join("new");
        let Ok(entries) = std::fs::read_dir(&new) else { return vec![] };
        entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect()
    }

    /// Waits up to 20 seconds for a message containing every one of `parts`.
    async fn wait_for(&self, parts: &[&str]) -> String {
        for _ in 0..200 {
            if let Some(m) = self.messages().into_iter().find(|m| parts.iter().all(|p| m.contains(p))) {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no e-mail with {parts:?} arrived; received: {:#?}", self.messages());
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn app_with_mail(sink: &SmtpSink) -> TestApp {
    let db = TestDb::sqlite();
    let settings = Settings {
        smtp_url: format!("smtp://127.0.0.1:{}", sink.port),
        mail_from: "Steward <steward@cedar.example>".into(),
        ..test_settings(&db.url)
    };
    TestApp::with_db(db, settings).await
}

async fn decide(app: &TestApp, role: Role, id: i64, position: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let s = app.session_for(role).await;
    s.submit(&format!("/requests/{id}"), &format!("/requests/{id}/stages/{position}"), fields).await
}

#[tokio::test]
async fn a_request_passes_every_hybrid_stage_and_its_decision_is_mailed() {
    let sink = SmtpSink::start().await;
    let app = app_with_mail(&sink).await;
    let teacher = app.session_for(Teacher).await;
    let category = app.seed.category.to_string();
    let school = app.seed.school_a.to_string();
    let form = [
        ("name", "Fraction Forest"),
        ("vendor_name", "Sprout Learning"),
        ("category_id", category.as_str()),
        ("purpose", "Fractions practice"),
        ("grades", "3-5"),
        ("schools", school.as_str()),
        ("expected_users", "120"),
        ("cost", "6000"),
        ("data_elements", "name"),
        ("action", "submit"),
    ];
    // Asking for the product already in the inventory shows it at once.
    let (_, page) = teacher.get_text(&format!("/requests/new?product_id={}&schools={school}", app.seed.approved)).await;
    assert!(page.contains("The district already has this product"), "{page}");
    // Submitted without having seen the overlaps: the form comes back with them.
    let res = teacher.submit("/requests/new", "/requests", &form).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("data-testid=\"overlap\"") && html.contains(APPROVED_NAME), "the approved product is shown");
    let mut seen = form.to_vec();
    seen.push(("seen_overlaps", "1"));
    let res = teacher.submit("/requests/new", "/requests", &seen).await;
    assert_eq!(res.status(), 303);
    let id = id_from(&location(&res).unwrap());

    // The technical checklist: an override needs its reason.
    let (_, page) = app.session_for(TechnologyReviewer).await.get_text(&format!("/requests/{id}")).await;
    assert!(page.contains("data-testid=\"check-devices\"") && page.contains("Device support"), "{page}");
    let res =
        decide(&app, TechnologyReviewer, id, 1, &[("decision", "pass"), ("override.accessibility", "pass")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("say why you override it"));
    let fields =
        [("decision", "pass"), ("override.accessibility", "pass"), ("override_note.accessibility", "VPAT read")];
    assert_eq!(decide(&app, TechnologyReviewer, id, 1, &fields).await.status(), 303);
    let r = app.store.request(id).await.unwrap();
    let details = r.stages[0].details.clone().unwrap();
    assert_eq!(details["overrides"][0]["note"], "VPAT read");

    // Privacy asks; the teacher answers; then each stage passes, the wrong reviewer being refused.
    let ask = [("decision", "needs_info"), ("note", "Is the DPA signed?")];
    assert_eq!(decide(&app, PrivacyReviewer, id, 2, &ask).await.status(), 303);
    let res = teacher
        .submit(&format!("/requests/{id}"), &format!("/requests/{id}/answer"), &[("body", "Requested it")])
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(decide(&app, CurriculumReviewer, id, 2, &[("decision", "pass")]).await.status(), 403);
    // The privacy review records what it found, and the product's record follows.
    let privacy = [
        ("decision", "pass"),
        ("data_elements", "name"),
        ("dpa_status", "signed"),
        ("dpa_signed", "2026-11-30"),
        ("purposes", "Fractions practice only"),
    ];
    let res = decide(&app, PrivacyReviewer, id, 2, &[privacy[0], privacy[1], privacy[2], privacy[4]]).await;
    assert_eq!(res.status(), 422, "a signed DPA needs its date");
    assert!(res.text().await.unwrap().contains("give the day a signed DPA was signed"));
    assert_eq!(decide(&app, PrivacyReviewer, id, 2, &privacy).await.status(), 303);
    let product = app.store.request(id).await.unwrap().row.product_id;
    assert_eq!(app.store.product(product).await.unwrap().product.dpa_status, steward_core::enums::DpaStatus::Signed);
    assert_eq!(
        app.store.product_privacy(product).await.unwrap().0.purposes.as_deref(),
        Some("Fractions practice only")
    );
    for (position, role) in [(3, CurriculumReviewer), (4, TechnologyReviewer), (5, Finance)] {
        assert_eq!(decide(&app, role, id, position, &[("decision", "pass")]).await.status(), 303, "{role:?}");
    }
    let admin = app.session_for(DistrictAdmin).await;
    let decision = [
        ("decision", "approved_with_conditions"),
        ("conditions", "teacher_accounts_only"),
        ("scope", "some_schools"),
        ("scope_schools", school.as_str()),
    ];
    let res = admin.submit(&format!("/requests/{id}"), &format!("/requests/{id}/decision"), &decision).await;
    assert_eq!(res.status(), 303);

    // The requester's inbox and e-mail both have the decision.
    let (_, inbox) = teacher.get_text("/inbox").await;
    assert!(inbox.contains("Request approved with conditions: Fraction Forest"), "{inbox}");
    let mail = sink.wait_for(&["To: teacher@cedar.example", "Request approved with conditions: Fraction Forest"]).await;
    assert!(mail.contains(&format!("/requests/{id}")), "the e-mail links to the request: {mail}");
    sink.wait_for(&["To: technology_reviewer@cedar.example", "Technical review assigned"]).await;
    assert_eq!(
        app.store.product(product).await.unwrap().product.status,
        steward_core::enums::ProductStatus::ApprovedWithConditions
    );
}

#[tokio::test]
async fn a_policy_routing_to_a_role_no_one_holds_is_refused_and_the_what_if_replays() {
    let app = TestApp::new().await;
    let admin = app.session_for(DistrictAdmin).await;
    app.store.set_user_active(&seed_actor(), app.user(Finance), false).await.unwrap();
    // The centralized preset sends every request to finance, which no active account now holds.
    let (status, page) = admin.get_text("/policy?preset=centralized").await;
    assert_eq!(status, 200);
    let token = csrf_token_in(&page).unwrap();
    let mut fields: Vec<(String, String)> = vec![("csrf_token".into(), token)];
    fields.extend(form_values(&page));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = admin.post("/policy", &pairs).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("no one holds the role finance"));
    assert_eq!(app.store.policy_in_force().await.unwrap().version, 1);
    app.store.set_user_active(&seed_actor(), app.user(Finance), true).await.unwrap();
    assert_eq!(admin.post("/policy", &pairs).await.status(), 303);
    assert_eq!(app.store.policy_in_force().await.unwrap().policy.model, steward_core::governance::Model::Centralized);

    let (_, what_if) = admin.get_text("/policy/what-if?preset=decentralized&n=10").await;
    assert!(what_if.contains(&format!("#{}", app.seed.request)), "the seeded request is replayed");
    assert!(what_if.contains("Technical, Privacy (v1)"), "grades 3-5 are under 13: {what_if}");
    let (_, earlier) = admin.get_text("/policy/what-if?version=1").await;
    assert!(earlier.contains("Replayed under version 1"), "{earlier}");
    assert_eq!(admin.get("/policy/what-if?version=99").await.status(), 404);
}

/// The name-value pairs a page's form would send: text inputs, checked boxes and selected options.
fn form_values(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[at..].split('"').next()?.replace("&#x2e;", ".").replace("&#46;", "."))
    };
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        if tag.starts_with("input") {
            let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
            let (Some(name), Some(value)) = (attr(tag, "name"), attr(tag, "value")) else { continue };
            if name == "csrf_token" || ((kind == "checkbox" || kind == "radio") && !tag.contains(" checked")) {
                continue;
            }
            out.push((name, value));
        }
    }
    let mut rest = html;
    while let Some(start) = rest.find("<select") {
        let select = &rest[start..];
        let end = select.find("</select>").unwrap_or(select.len());
        let name = attr(select, "name").unwrap_or_default();
        if let Some(opt) = select[..end].split("<option").find(|o| o.contains(" selected")) {
            out.push((name, attr(opt, "value").unwrap_or_default()));
        }
        rest = &select[end..];
    }
    out
}

#[tokio::test]
async fn the_public_list_shows_approved_products_and_only_the_chosen_fields() {
    let app = TestApp::new().await;
    let anonymous = app.anonymous();
    let (status, page) = anonymous.get_text("/public/products").await;
    assert_eq!(status, 200);
    assert!(page.contains(APPROVED_NAME) && !page.contains(IN_REVIEW_NAME), "approved products only");
    assert!(page.contains("Student data collected"));
    let json: serde_json::Value = anonymous.get("/public/products.json").await.json().await.unwrap();
    assert_eq!(json["products"][0]["name"], APPROVED_NAME);
    assert_eq!(json["products"][0]["data_elements"], "None");
    let (_, csv) = anonymous.get_text("/public/products.csv").await;
    assert!(csv.starts_with("Product,Vendor,Grades,Student data collected"), "{csv}");
    let (_, found) = anonymous.get_text("/public/products?q=zebra").await;
    assert!(found.contains("No approved products match"));

    let privacy = app.session_for(PrivacyReviewer).await;
    let res = privacy.submit("/public/settings", "/public/settings", &[("fields", "grades")]).await;
    assert_eq!(res.status(), 303);
    let (_, page) = anonymous.get_text("/public/products").await;
    assert!(page.contains("Grades") && !page.contains("Student data collected") && !page.contains("Numbersmith"));
    let json: serde_json::Value = anonymous.get("/public/products.json").await.json().await.unwrap();
    assert!(json["products"][0].get("vendor").is_none(), "hidden fields are not in the feed");
}

#[tokio::test]
async fn a_dpa_must_be_a_pdf() {
    let app = TestApp::new().await;
    let privacy = app.session_for(PrivacyReviewer).await;
    let path = format!("/products/{}/privacy", app.seed.approved);
    let token = privacy.csrf_token(&path).await;
    let send = |bytes: &'static [u8]| {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token.clone())
            .text("purposes", "Practice")
            .part("dpa_file", reqwest::multipart::Part::bytes(bytes).file_name("dpa.pdf"));
        privacy.client.post(privacy.url(&path)).multipart(form).send()
    };
    let res = send(b"PK\x03\x04 not a pdf").await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("is not a PDF"));
    assert_eq!(send(b"%PDF-1.7\n%%EOF\n").await.unwrap().status(), 303);
    let res = privacy.get(&format!("/products/{}/dpa", app.seed.approved)).await;
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.7\n%%EOF\n");
}

#[tokio::test]
async fn a_contract_ending_soon_puts_its_product_back_into_review() {
    let app = TestApp::new().await;
    app.make_contract(app.seed.approved, None, 30).await;
    let admin = app.session_for(DistrictAdmin).await;
    let res = admin.submit("/policy", "/policy/re-review/run", &[]).await;
    assert_eq!(location(&res).as_deref(), Some("/requests?show=all"));
    let open = app
        .store
        .requests(&steward_store::RequestFilter {
            product_id: Some(app.seed.approved),
            per_page: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(open.total, 1);
    assert_eq!(open.items[0].kind, "re_review");
    let r = app.store.request(open.items[0].id).await.unwrap();
    assert!(r.input.purpose.contains("a contract for it ends on"), "{}", r.input.purpose);
    // Turning the renewal rule off: nothing more is started.
    let res = admin.submit("/policy", "/policy/re-review", &[("dpa_days", "60"), ("renewal_days", "0")]).await;
    assert_eq!(res.status(), 303);
    admin.submit("/policy", "/policy/re-review/run", &[]).await;
    let after = app.store.requests(&steward_store::RequestFilter { per_page: 50, ..Default::default() }).await.unwrap();
    assert_eq!(after.total, 2, "the seeded request and the one re-review");
}
