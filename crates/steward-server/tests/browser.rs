//! A person's path through Steward in a real headless Chromium, driven over WebDriver by chromedriver with `fantoccini`.

mod common;

use common::*;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use steward_core::role::Role;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long a step may wait for the page to show what it expects.
const STEP: Duration = Duration::from_secs(15);

/// chromedriver running as a child process on a free port; killed when dropped.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    /// Starts chromedriver, or returns `None` (outside CI) when it is not installed.
    async fn start() -> Option<Chromedriver> {
        if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{CHROMEDRIVER} and {CHROMIUM} are required under CI=true (apt-get install chromium chromium-driver)");
            }
            eprintln!("skipping the browser test: {CHROMEDRIVER} or {CHROMIUM} is not installed");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Chromedriver { child, url: format!("http://127.0.0.1:{port}") };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = match http.get(format!("{}/status", driver.url)).send().await {
                Ok(r) => r.json::<Value>().await.ok().is_some_and(|v| v["value"]["ready"] == json!(true)),
                Err(_) => false,
            };
            if ready {
                return Some(driver);
            }
            assert!(Instant::now() < deadline, "chromedriver did not answer /status within 20 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh Chromium profile directory, removed when dropped.
struct Profile(PathBuf);

impl Profile {
    fn new() -> Profile {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let dir = std::env::temp_dir().join(format!("steward-chromium-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the Chromium profile directory");
        Profile(dir)
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Opens a headless Chromium session through chromedriver, over plain http.
async fn open_browser(driver: &Chromedriver, profile: &Profile) -> Client {
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000", "--lang=en-US",
                format!("--user-data-dir={}", profile.0.display()),
            ],
        },
    });
    let Value::Object(caps) = caps else { unreachable!() };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .unwrap_or_else(|e| panic!("no WebDriver session from chromedriver at {}: {e}", driver.url))
}

/// The steps a person takes, on top of a fantoccini client; each panics with the page when it goes wrong.
struct Browser(Client);

impl Browser {
    async fn goto(&self, url: &str) {
        self.0.goto(url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The path and query the browser is at.
    async fn path(&self) -> String {
        let url = self.0.current_url().await.expect("the current URL");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until an element matching `locator` is on the page.
    async fn wait_for(&self, locator: Locator<'_>) -> Element {
        match self.0.wait().at_most(STEP).for_element(locator).await {
            Ok(e) => e,
            Err(e) => {
                let url = self.0.current_url().await.map(|u| u.to_string()).unwrap_or_default();
                let source = self.0.source().await.unwrap_or_default();
                panic!("no {locator:?} on {url} after {STEP:?} ({e}); the page:\n{source}");
            }
        }
    }

    async fn css(&self, css: &str) -> Element {
        self.wait_for(Locator::Css(css)).await
    }

    /// Waits for `marker`, which only the next page has, and returns the path (and query) the browser arrived at.
    async fn arrive(&self, marker: Locator<'_>) -> String {
        self.wait_for(marker).await;
        self.path().await
    }

    async fn text(&self, css: &str) -> String {
        self.css(css).await.text().await.expect("an element's text")
    }

    async fn body_text(&self) -> String {
        self.text("body").await
    }

    /// Fills a text field as a person would: click, clear, type.
    async fn fill(&self, css: &str, text: &str) {
        let e = self.css(css).await;
        e.click().await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
        assert_eq!(e.prop("value").await.unwrap().as_deref(), Some(text), "{css} holds what was typed");
    }

    /// Fills a `<input type="date">`: typed as the en-US date picker expects, else set through the DOM when the
    /// browser's locale orders the fields differently.
    async fn fill_date(&self, css: &str, date: chrono::NaiveDate) {
        let e = self.css(css).await;
        e.click().await.unwrap();
        e.send_keys(&date.format("%m%d%Y").to_string()).await.unwrap();
        let iso = date.to_string();
        if e.prop("value").await.unwrap().as_deref() != Some(iso.as_str()) {
            let args = vec![serde_json::to_value(&e).unwrap(), json!(iso)];
            self.0.execute("arguments[0].value = arguments[1];", args).await.unwrap();
        }
        assert_eq!(e.prop("value").await.unwrap().as_deref(), Some(iso.as_str()), "{css}");
    }

    /// Chooses the option with `value` in the select `css`.
    async fn choose(&self, css: &str, value: &str) {
        self.css(&format!("{css} option[value=\"{value}\"]")).await.click().await.unwrap();
        assert_eq!(self.css(css).await.prop("value").await.unwrap().as_deref(), Some(value), "{css}");
    }

    /// Submits the page's main form with its own submit button (not the sign-out button in the header).
    async fn submit_main_form(&self) {
        self.css("main form button[type=submit]").await.click().await.unwrap();
    }
}

/// Ids in paths such as `/products/7?notice=created`.
fn id_in(path: &str, prefix: &str) -> i64 {
    path.strip_prefix(prefix)
        .and_then(|p| p.strip_suffix("?notice=created"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("expected {prefix}<id>?notice=created, the browser is at {path}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_district_admin_adds_a_product_and_a_contract_and_sees_them_everywhere() {
    let Some(driver) = Chromedriver::start().await else { return };
    let profile = Profile::new();
    let client = open_browser(&driver, &profile).await;
    let app = TestApp::new().await;
    // The journey runs on its own task so that, when an assertion fails, the session is still ended (closing
    // Chromium) before the profile is removed and chromedriver is killed.
    let outcome = tokio::spawn(journey(Browser(client.clone()), app)).await;
    let closed = client.close().await;
    if let Err(failed) = outcome {
        std::panic::resume_unwind(failed.into_panic());
    }
    closed.expect("end the WebDriver session");
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
    let Some(driver) = Chromedriver::start().await else { return };
    let profile = Profile::new();
    let client = open_browser(&driver, &profile).await;
    let app = TestApp::new().await;
    let outcome = tokio::spawn(audit_pages(Browser(client.clone()), app, axe)).await;
    let closed = client.close().await;
    if let Err(failed) = outcome {
        std::panic::resume_unwind(failed.into_panic());
    }
    closed.expect("end the WebDriver session");
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
    assert!(report.is_empty(), "accessibility violations:\n{}", report.join("\n"));

    // The audit itself finds a fault when there is one: an image with no text alternative.
    b.0.execute("document.querySelector('main').appendChild(document.createElement('img'));", vec![]).await.unwrap();
    let control = axe_violations(&b, &axe).await;
    assert!(control.iter().any(|v| v.contains("image-alt")), "axe reports a missing alt text: {control:?}");
}
