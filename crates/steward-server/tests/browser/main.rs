//! People's paths through Steward in a real headless Chromium, driven over WebDriver by chromedriver with
//! `fantoccini`: the helpers here, the paths in the modules.

mod accessibility;
#[path = "../common/mod.rs"]
mod common;
mod governance;
mod journey;
mod lti;
mod sign_on;

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

/// Runs `path` on its own task with a fresh Chromium, so that when an assertion fails the session is still ended
/// (closing Chromium) before the profile is removed and chromedriver is killed.
async fn in_browser<F, Fut>(path: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let Some(driver) = Chromedriver::start().await else { return };
    let profile = Profile::new();
    let client = open_browser(&driver, &profile).await;
    let outcome = tokio::spawn(path(Browser(client.clone()))).await;
    let closed = client.close().await;
    if let Err(failed) = outcome {
        std::panic::resume_unwind(failed.into_panic());
    }
    closed.expect("end the WebDriver session");
}

impl Browser {
    /// Signs out if signed in, then signs in as the seeded `role` and waits for the page it lands on.
    async fn sign_in_as(&self, app: &TestApp, role: Role) {
        self.goto(&app.url("/sign-in")).await;
        if let Ok(out) = self.0.find(Locator::Css("form[action='/sign-out'] button")).await {
            out.click().await.unwrap();
            self.css("#f-email").await;
            self.goto(&app.url("/sign-in")).await;
        }
        self.fill("#f-email", &email_of(role)).await;
        self.fill("#f-password", PASSWORD).await;
        self.submit_main_form().await;
        self.css("main h1").await;
    }
}
