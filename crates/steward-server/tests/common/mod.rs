//! A real Steward server for tests: a fresh database with seed data made through the Store, the app served on an
//! ephemeral port, and HTTP clients signed in through the real sign-in form.

#![allow(dead_code)]

pub mod ltijs;
pub mod roles;
pub mod roster;
pub mod usage;

use chrono::{Duration, Local, NaiveDate};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;
use std::collections::HashMap;
use std::sync::Arc;
use steward_core::contract::ContractDraft;
use steward_core::enums::Vocabulary;
use steward_core::org::OrgDraft;
use steward_core::people::{CategoryDraft, OwnerDraft, UserDraft, VendorDraft};
use steward_core::product::ProductDraft;
use steward_core::role::Role;
use steward_server::{AppState, Settings};
use steward_store::testing::TestDb;
use steward_store::{Actor, AuditFilter, Store};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Every seeded account has this password.
pub const PASSWORD: &str = "correct horse battery staple";

/// Makes a Steward account (password [`PASSWORD`]) for the roster person `id`, whose e-mail is
/// `id@cedar.example`, at school A; returns the e-mail.
pub async fn roster_account(app: &TestApp, id: &str, role: &str) -> String {
    let email = format!("{id}@cedar.example");
    let draft = UserDraft {
        email: email.clone(),
        name: id.into(),
        role: role.into(),
        school_id: app.seed.school_a.to_string(),
        password: PASSWORD.into(),
    };
    let (input, _) = draft.validate().unwrap();
    let hash = steward_server::auth::password::hash(PASSWORD).unwrap();
    app.store.create_user(&seed_actor(), &input, &hash).await.unwrap();
    email
}

/// The number of stored usage events once it has settled: launches are stored behind the answers, within a
/// second. Waits (at most 5 s) for `expected`, then a little longer to see that nothing more arrives.
pub async fn usage_settles(app: &TestApp, expected: i64) -> i64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let count = || async { app.store.usage_event_count().await.unwrap() };
    while count().await != expected && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    count().await
}

pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

pub fn seed_actor() -> Actor {
    Actor::system("test-seed")
}

/// The e-mail of the seeded account holding `role`.
pub fn email_of(role: Role) -> String {
    format!("{}@cedar.example", role.code())
}

/// The ids of everything the seed made.
#[derive(Debug, Clone)]
pub struct Seed {
    pub state: i64,
    pub district: i64,
    pub school_a: i64,
    pub school_b: i64,
    pub vendor: i64,
    pub category: i64,
    /// Approved, with no manager named.
    pub approved: i64,
    /// In review (not in the catalog), with a manager named.
    pub in_review: i64,
    /// Bought by the district for `approved`.
    pub contract_district: i64,
    /// Bought by school A for `approved`.
    pub contract_a: i64,
    /// Bought by school B for `in_review`.
    pub contract_b: i64,
    /// The owner (manager) of `in_review`.
    pub owner: i64,
    /// Each role's seeded user id; school roles are held at school A.
    pub users: HashMap<Role, i64>,
    /// The history id of the seeded OneRoster import (see `roster.rs`).
    pub roster_import: i64,
    /// A request by the teacher for `in_review`, at its first stage (technical) under the hybrid preset.
    pub request: i64,
}

pub const APPROVED_NAME: &str = "Number Garden";
pub const IN_REVIEW_NAME: &str = "Story Lab";
pub const SCHOOL_A_NAME: &str = "Alder Elementary";
pub const SCHOOL_B_NAME: &str = "Birch Elementary";

/// A server running on 127.0.0.1 until dropped.
pub struct Server {
    pub base: String,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Server {
    /// Binds an ephemeral port, then serves on it: requests may be sent as soon as this returns.
    pub async fn start(state: AppState) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind an ephemeral port");
        Self::start_on(state, listener).await
    }

    /// Serves on a listener already bound, whose address the settings may name (`public_url`).
    pub async fn start_on(state: AppState, listener: TcpListener) -> Server {
        let addr = listener.local_addr().expect("local address");
        let (tx, rx) = oneshot::channel::<()>();
        let app_state = state.clone();
        tokio::spawn(async move {
            let shutdown = async move {
                let _ = rx.await;
            };
            if let Err(e) = steward_server::serve(app_state, listener, shutdown).await {
                eprintln!("test server stopped with an error: {e}");
            }
        });
        Server { base: format!("http://{addr}"), state, shutdown: Some(tx) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A fresh SQLite database with the seed data, served.
pub struct TestApp {
    pub server: Server,
    pub store: Store,
    pub seed: Seed,
    pub base: String,
    // Dropped last: the database outlives the server using it.
    _db: TestDb,
}

/// The settings tests run with: 3 failed sign-ins allowed, the signing key kept in the database.
pub fn test_settings(database_url: &str) -> Settings {
    Settings { database_url: database_url.to_owned(), max_failed_sign_ins: 3, ..Default::default() }
}

impl TestApp {
    pub async fn new() -> TestApp {
        let db = TestDb::sqlite();
        let settings = test_settings(&db.url);
        Self::with_db(db, settings).await
    }

    pub async fn with_db(db: TestDb, settings: Settings) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind an ephemeral port");
        Self::on(db, settings, listener).await
    }

    /// A fresh database served on `listener`, whose address is known before the settings are made: `settings`
    /// gets the database URL and the address (`http://127.0.0.1:PORT`).
    pub async fn with_listener(listener: TcpListener, settings: impl FnOnce(&str, &str) -> Settings) -> TestApp {
        let db = TestDb::sqlite();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let settings = settings(&db.url, &base);
        Self::on(db, settings, listener).await
    }

    async fn on(db: TestDb, settings: Settings, listener: TcpListener) -> TestApp {
        let store = db.store().await;
        let seed = seed(&store).await;
        let state = AppState::new(store.clone(), settings).await.expect("build the app state");
        let server = Server::start_on(state, listener).await;
        let base = server.base.clone();
        TestApp { server, store, seed, base, _db: db }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn user(&self, role: Role) -> i64 {
        self.seed.users[&role]
    }

    /// A client that has not signed in.
    pub fn anonymous(&self) -> Session {
        Session::new(&self.base)
    }

    /// A client signed in as the seeded `role` through the real sign-in form.
    pub async fn session_for(&self, role: Role) -> Session {
        let s = Session::new(&self.base);
        let res = s.sign_in(&email_of(role), PASSWORD, "/").await;
        assert_eq!(res.status(), 303, "signing in as {role:?} should redirect");
        assert!(s.session_cookie().is_some(), "signing in as {role:?} should set the session cookie");
        s
    }

    /// A reqwest client (cookie store on, redirects off) signed in as `role`.
    pub async fn client_for(&self, role: Role) -> reqwest::Client {
        self.session_for(role).await.client
    }

    /// The number of audit entries: every change Steward makes adds one.
    pub async fn audit_count(&self) -> i64 {
        audit_count(&self.store).await
    }

    pub async fn product_count(&self) -> i64 {
        self.store.products(&steward_store::ProductFilter { per_page: 1, ..Default::default() }).await.unwrap().total
    }

    /// Makes a contract through the Store (not the form), for tests that need one to change or delete.
    pub async fn make_contract(&self, product: i64, school: Option<i64>, ends_in_days: i64) -> i64 {
        make_contract(&self.store, product, school, ends_in_days).await
    }
}

pub async fn audit_count(store: &Store) -> i64 {
    store.audit_entries(&AuditFilter { page: 1, per_page: 1, ..Default::default() }).await.unwrap().total
}

/// An HTTP client with its own cookie jar, redirects not followed.
#[derive(Clone)]
pub struct Session {
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
}

impl Session {
    pub fn new(base: &str) -> Session {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(Policy::none())
            .build()
            .expect("build an HTTP client");
        Session { client, jar, base: base.to_owned() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// Posts `fields` as an urlencoded form (repeat a name for several values).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).form(fields).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// Posts `fields` plus the CSRF token scraped from the page at `form_page`.
    pub async fn submit(&self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf_token(form_page).await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// The hidden `csrf_token` of the page at `path`.
    pub async fn csrf_token(&self, path: &str) -> String {
        let (status, html) = self.get_text(path).await;
        assert_eq!(status, 200, "GET {path} to read its CSRF token");
        csrf_token_in(&html).unwrap_or_else(|| panic!("no csrf_token on {path}"))
    }

    /// Signs in through the form: GET /sign-in (which sets the pre-session cookie), then POST it back.
    pub async fn sign_in(&self, email: &str, password: &str, next: &str) -> reqwest::Response {
        let token = self.csrf_token("/sign-in").await;
        self.post("/sign-in", &[("email", email), ("password", password), ("next", next), ("csrf_token", &token)]).await
    }

    /// The cookies this client would send to the server, as a `Cookie` header value.
    pub fn cookie_header(&self) -> Option<String> {
        let url = reqwest::Url::parse(&self.base).unwrap();
        self.jar.cookies(&url).map(|h| h.to_str().unwrap().to_owned())
    }

    /// The raw (signed) value of the session cookie, if the client holds one.
    pub fn session_cookie(&self) -> Option<String> {
        cookie_value(&self.cookie_header()?, steward_server::auth::SESSION_COOKIE)
    }
}

pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    header.split(';').map(str::trim).find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

/// Finds `name="csrf_token" value="..."` in a page.
pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// The `Location` header of a response, if any.
pub fn location(res: &reqwest::Response) -> Option<String> {
    res.headers().get(reqwest::header::LOCATION).map(|v| v.to_str().unwrap().to_owned())
}

pub async fn make_contract(store: &Store, product: i64, school: Option<i64>, ends_in_days: i64) -> i64 {
    let input = ContractDraft {
        product_id: product.to_string(),
        school_id: school.map(|s| s.to_string()).unwrap_or_default(),
        license_model: "per_student".into(),
        seats: "300".into(),
        cost: "12,000.00".into(),
        start_date: (today() - Duration::days(100)).to_string(),
        end_date: (today() + Duration::days(ends_in_days)).to_string(),
        notice_days: "30".into(),
        ..Default::default()
    }
    .validate()
    .expect("a valid seed contract");
    store.save_contract(&seed_actor(), None, &input).await.expect("save a contract")
}

/// The seed: a state, a district with schools A and B, a vendor, a category, two products, three contracts, an
/// owner, and one account per role (school roles at school A).
pub async fn seed(store: &Store) -> Seed {
    let a = seed_actor();
    let org = |d: OrgDraft| d.validate().expect("a valid seed organization");
    let state = store
        .create_org(&a, &org(OrgDraft { kind: "state".into(), name: "Oregon".into(), ..Default::default() }))
        .await
        .unwrap();
    let district = store
        .create_org(
            &a,
            &org(OrgDraft {
                kind: "district".into(),
                name: "Cedar Valley SD".into(),
                parent_id: state.to_string(),
                nces_id: "4100001".into(),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    let school = |name: &str, nces: &str, sourced_id: &str| {
        org(OrgDraft {
            kind: "school".into(),
            name: name.into(),
            sourced_id: sourced_id.into(),
            parent_id: district.to_string(),
            nces_id: nces.into(),
            school_level: "elementary".into(),
            grades: "K-5".into(),
        })
    };
    let school_a = store.create_org(&a, &school(SCHOOL_A_NAME, "410000100001", roster::ALDER)).await.unwrap();
    let school_b = store.create_org(&a, &school(SCHOOL_B_NAME, "410000100002", roster::BIRCH)).await.unwrap();
    let vendor = store
        .save_vendor(
            &a,
            None,
            &VendorDraft {
                name: "Numbersmith".into(),
                website: "https://numbersmith.example/".into(),
                ..Default::default()
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
    let category = store
        .save_category(
            &a,
            None,
            &CategoryDraft { name: "Math practice".into(), ..Default::default() }.validate().unwrap(),
        )
        .await
        .unwrap();
    let product = |name: &str, status: &str, subject: &str| ProductDraft {
        name: name.into(),
        vendor_id: vendor.to_string(),
        category_id: category.to_string(),
        description: format!("{name}, used in class every week"),
        grades: "K-5".into(),
        subjects: vec![subject.into()],
        sign_on: vec!["google".into()],
        status: status.into(),
        launch_url: "https://app.numbersmith.example/".into(),
        ..Default::default()
    };
    let approved =
        store.create_product(&a, &product(APPROVED_NAME, "approved", "math").validate().unwrap()).await.unwrap();
    let in_review =
        store.create_product(&a, &product(IN_REVIEW_NAME, "in_review", "ela").validate().unwrap()).await.unwrap();
    let owner = store
        .add_owner(
            &a,
            in_review,
            &OwnerDraft { role: "manager".into(), name: "Pat Manager".into(), email: "pat@cedar.example".into() }
                .validate()
                .unwrap(),
        )
        .await
        .unwrap();
    let contract_district = make_contract(store, approved, None, 265).await;
    let contract_a = make_contract(store, approved, Some(school_a), 265).await;
    let contract_b = make_contract(store, in_review, Some(school_b), 265).await;
    let hash = steward_server::auth::password::hash(PASSWORD).expect("hash the seed password");
    let mut users = HashMap::new();
    for (role, code, label) in Role::ALL {
        let draft = UserDraft {
            email: email_of(*role),
            name: format!("Seeded {label}"),
            role: (*code).into(),
            school_id: if role.requires_school() { school_a.to_string() } else { String::new() },
            password: PASSWORD.into(),
        };
        let (input, _) = draft.validate().expect("a valid seed account");
        users.insert(*role, store.create_user(&a, &input, &hash).await.expect("create a seed account"));
    }
    let roster_import = roster::import(store).await;
    let teacher = store.user(users[&Role::Teacher]).await.unwrap();
    let ask = steward_core::governance::request::RequestDraft {
        product_id: in_review.to_string(),
        purpose: "Reading practice".into(),
        grades: "3-5".into(),
        schools: vec![school_a.to_string()],
        expected_users: "60".into(),
        ..Default::default()
    };
    let request = store.create_request(&teacher, &ask.validate().unwrap()).await.unwrap();
    Seed {
        roster_import,
        request,
        state,
        district,
        school_a,
        school_b,
        vendor,
        category,
        approved,
        in_review,
        contract_district,
        contract_a,
        contract_b,
        owner,
        users,
    }
}
