//! Every kind of page audited with axe-core's WCAG 2.1 A and AA rules.

use super::*;

/// axe-core, installed from npm by `.ci/run` (`npm ci` in tests/peers).
const AXE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/node_modules/axe-core/axe.min.js");

/// Runs axe-core's WCAG 2.1 A and AA rules on the page the browser shows; one line per violation.
async fn axe_violations(b: &Browser, axe: &str) -> Vec<String> {
    b.0.execute(axe, vec![]).await.expect("load axe-core into the page");
    let run = "const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => done(r.violations.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at '
                + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
          .catch(e => done(['axe failed: ' + e]));";
    let found: Value = b.0.execute_async(run, vec![]).await.expect("run axe-core");
    serde_json::from_value(found).expect("a list of violations")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_page_passes_an_accessibility_audit() {
    let Ok(axe) = std::fs::read_to_string(AXE) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{AXE} is required under CI=true (npm ci --prefix crates/steward-server/tests/peers)");
        }
        eprintln!("skipping the accessibility audit: {AXE} is not installed");
        return;
    };
    let app = TestApp::new().await;
    in_browser(|b| audit_pages(b, app, axe)).await;
}

async fn audit_pages(b: Browser, app: TestApp, axe: String) {
    common::usage::ingest(&app).await;
    let s = app.seed.clone();
    let mut report = Vec::new();
    b.goto(&app.url("/sign-in")).await;
    report.extend(axe_violations(&b, &axe).await.into_iter().map(|v| format!("/sign-in: {v}")));
    b.fill("#f-email", &email_of(Role::DistrictAdmin)).await;
    b.fill("#f-password", PASSWORD).await;
    b.submit_main_form().await;
    b.arrive(Locator::XPath("//main//h1[normalize-space()='Dashboard']")).await;
    let pages = [
        "/".to_owned(),
        "/catalog".into(),
        "/launchpad".into(),
        format!("/catalog/{}", s.approved),
        "/products".into(),
        format!("/products/{}", s.approved),
        "/products/new".into(),
        "/contracts".into(),
        format!("/contracts/{}", s.contract_a),
        "/contracts/new".into(),
        "/renewals".into(),
        "/spend".into(),
        "/vendors".into(),
        "/categories".into(),
        "/organizations".into(),
        "/users".into(),
        "/audit".into(),
        "/account/tokens".into(),
        format!("/products/{}/roster", s.approved),
        "/roster".into(),
        "/roster/classes".into(),
        format!("/roster/classes/{}", common::roster::CLASS_A),
        "/roster/people".into(),
        format!("/roster/people/{}", common::roster::STUDENT_A),
        "/roster/imports".into(),
        "/roster/imports/new".into(),
        format!("/roster/imports/{}", s.roster_import),
        "/usage".into(),
        "/usage/discoveries".into(),
        "/usage/groups".into(),
        "/usage/unmatched".into(),
        "/usage/utilization".into(),
        "/usage/waste".into(),
        "/usage/roi".into(),
        format!("/vendors/{}/usage", s.vendor),
        format!("/contracts/{}/renewal", s.contract_a),
        "/requests".into(),
        format!("/requests/{}", s.request),
        "/requests/metrics".into(),
        "/policy".into(),
        "/policy/what-if".into(),
        "/infrastructure".into(),
        format!("/products/{}/needs", s.approved),
        format!("/products/{}/privacy", s.approved),
        "/inbox".into(),
        "/public/settings".into(),
        "/public/products".into(),
        "/lti/tools".into(),
        "/lti/tools/new".into(),
        "/no/such/page".into(),
    ];
    for page in &pages {
        b.goto(&app.url(page)).await;
        b.css("main h1").await;
        report.extend(axe_violations(&b, &axe).await.into_iter().map(|v| format!("{page}: {v}")));
    }
    // A form shown again with its errors.
    b.goto(&app.url("/products/new")).await;
    b.submit_main_form().await;
    b.css("#e-name").await;
    report.extend(axe_violations(&b, &axe).await.into_iter().map(|v| format!("product form with errors: {v}")));
    // The request form, as a teacher sees it, with what the district already has.
    b.sign_in_as(&app, Role::Teacher).await;
    b.goto(&app.url(&format!("/requests/new?product_id={}", s.approved))).await;
    b.css("[data-testid=overlap]").await;
    report.extend(axe_violations(&b, &axe).await.into_iter().map(|v| format!("/requests/new: {v}")));
    // A teacher's launchpad with an LTI app, content chosen from it and the notice deep linking leaves.
    let tool = steward_core::lti::ToolInput {
        product_id: s.approved,
        name: "Kelp Lab".into(),
        client_id: "kelp".into(),
        deployment_ids: vec!["d1".into()],
        login_url: "https://kelp.example/login".into(),
        redirect_uris: vec!["https://kelp.example/launch".into()],
        target_link_uri: "https://kelp.example/launch".into(),
        deep_link_url: None,
        jwks_url: Some("https://kelp.example/jwks".into()),
        public_jwk: None,
    };
    let id = app.store.save_lti_tool(&seed_actor(), None, &tool).await.unwrap();
    let tool = app.store.lti_tool(id).await.unwrap();
    let item = (
        "ltiResourceLink".to_owned(),
        "Kelp forests".to_owned(),
        Some("https://kelp.example/launch?unit=1".to_owned()),
        json!({}),
    );
    app.store.add_lti_resources(&seed_actor(), &tool, common::roster::CLASS_A, &[item]).await.unwrap();
    let email = roster_account(&app, common::roster::TEACHER_A, "teacher").await;
    b.goto(&app.url("/sign-in")).await;
    if let Ok(out) = b.0.find(Locator::Css("form[action='/sign-out'] button")).await {
        out.click().await.unwrap();
        b.css("#f-email").await;
    }
    b.fill("#f-email", &email).await;
    b.fill("#f-password", PASSWORD).await;
    b.submit_main_form().await;
    b.css("main h1").await;
    b.goto(&app.url("/launchpad?added=1")).await;
    b.css("[data-testid=add-content]").await;
    b.css("[data-testid=resource]").await;
    report.extend(axe_violations(&b, &axe).await.into_iter().map(|v| format!("/launchpad with LTI: {v}")));
    assert!(report.is_empty(), "accessibility violations:\n{}", report.join("\n"));

    // The audit itself finds a fault when there is one: an image with no text alternative.
    b.0.execute("document.querySelector('main').appendChild(document.createElement('img'));", vec![]).await.unwrap();
    let control = axe_violations(&b, &axe).await;
    assert!(control.iter().any(|v| v.contains("image-alt")), "axe reports a missing alt text: {control:?}");
}
