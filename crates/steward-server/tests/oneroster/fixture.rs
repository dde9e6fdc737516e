//! A small district roster in the database and products that see different slices of it, served on 127.0.0.1.

use crate::common::{test_settings, Server};
use chrono::{Duration, Local};
use serde_json::Value;
use steward_core::contract::ContractDraft;
use steward_core::org::OrgDraft;
use steward_core::people::{CategoryDraft, VendorDraft};
use steward_core::product::ProductDraft;
use steward_server::AppState;
use steward_store::testing::TestDb;
use steward_store::{Actor, NewApiClient, Store};

use crate::roster::put_roster;

pub const V12: &str = "/ims/oneroster/rostering/v1p2";
pub const GB12: &str = "/ims/oneroster/gradebook/v1p2";
pub const V11: &str = "/ims/oneroster/v1p1";
pub const SCOPE: &str = "https://purl.imsglobal.org/spec/or/v1p2/scope/";
pub const SCOPE11: &str = "https://purl.imsglobal.org/spec/or/v1p1/scope/";

pub fn all_scopes() -> Vec<String> {
    steward_interop::oneroster::rest::all_scopes()
}

pub struct Env {
    pub server: Server,
    pub store: Store,
    pub schools: [i64; 3],
    pub _db: TestDb,
}

/// A product of the fixture and the client made for it.
pub struct Client {
    pub product: i64,
    pub client: i64,
    pub client_id: String,
    pub secret: String,
}

fn actor() -> Actor {
    Actor::system("test")
}

impl Env {
    pub async fn new() -> Env {
        Self::on(TestDb::sqlite()).await
    }

    /// The fixture on a given database (`TestDb::postgres()` for the PostgreSQL runs).
    pub async fn on(db: TestDb) -> Env {
        let store = db.store().await;
        let org = |kind: &str, parent: Option<i64>, name: &str, sourced: &str| {
            OrgDraft {
                kind: kind.into(),
                parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
                name: name.into(),
                sourced_id: sourced.into(),
                ..Default::default()
            }
            .validate()
            .unwrap()
        };
        let district = store.create_org(&actor(), &org("district", None, "Cedar Valley SD", "dist")).await.unwrap();
        let mut schools = [0; 3];
        for (i, (name, sid)) in
            [("Alder Elementary", "sch-a"), ("Birch Elementary", "sch-b"), ("Cypress Middle", "sch-c")]
                .iter()
                .enumerate()
        {
            schools[i] = store.create_org(&actor(), &org("school", Some(district), name, sid)).await.unwrap();
        }
        put_roster(&store).await;
        let state = AppState::new(store.clone(), test_settings(&db.url)).await.unwrap();
        let server = Server::start(state).await;
        Env { server, store, schools, _db: db }
    }

    /// A product with status, scope (`some_schools` names schools by index), grades and data elements; contracts
    /// bought by the district (`None`) or a school index, ending `ends_in_days` from today; and a client for it.
    pub async fn client(&self, spec: Product<'_>) -> Client {
        let vendor = VendorDraft { name: format!("{} Inc", spec.name), ..Default::default() }.validate().unwrap();
        let vendor = self.store.save_vendor(&actor(), None, &vendor).await.unwrap();
        let category = CategoryDraft { name: format!("{} apps", spec.name), ..Default::default() }.validate().unwrap();
        let category = self.store.save_category(&actor(), None, &category).await.unwrap();
        let draft = ProductDraft {
            name: spec.name.into(),
            vendor_id: vendor.to_string(),
            category_id: category.to_string(),
            grades: "K-12".into(),
            subjects: vec!["math".into()],
            status: spec.status.into(),
            scope: spec.scope.into(),
            scope_schools: spec.scope_schools.iter().map(|i| self.schools[*i].to_string()).collect(),
            scope_grades: spec.scope_grades.into(),
            data_elements: spec.elements.iter().map(|s| s.to_string()).collect(),
            dpa_status: "signed".into(),
            dpa_expires: "2030-01-01".into(),
            ..Default::default()
        };
        let product = self.store.create_product(&actor(), &draft.validate().unwrap()).await.unwrap();
        for (school, ends_in_days) in spec.contracts {
            let today = Local::now().date_naive();
            let contract = ContractDraft {
                product_id: product.to_string(),
                school_id: school.map(|i| self.schools[i].to_string()).unwrap_or_default(),
                license_model: "site".into(),
                cost: "1,000.00".into(),
                start_date: (today - Duration::days(400)).to_string(),
                end_date: (today + Duration::days(*ends_in_days)).to_string(),
                ..Default::default()
            };
            self.store.save_contract(&actor(), None, &contract.validate().unwrap()).await.unwrap();
        }
        let client_id = format!("client-{}", spec.name.to_lowercase());
        let secret = format!("secret of {}", spec.name);
        let hash = steward_server::auth::password::hash(&secret).unwrap();
        let scopes = all_scopes();
        let new = NewApiClient {
            product_id: product,
            name: spec.name,
            client_id: &client_id,
            secret_hash: &hash,
            scopes: &scopes,
        };
        let client = self.store.create_api_client(&actor(), &new).await.unwrap();
        Client { product, client, client_id, secret }
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Asks the token endpoint for a token with these scopes (space-joined).
    pub async fn token(&self, c: &Client, scopes: &[String]) -> String {
        let res = reqwest::Client::new()
            .post(self.url("/oauth/token"))
            .basic_auth(&c.client_id, Some(&c.secret))
            .form(&[("grant_type", "client_credentials"), ("scope", &scopes.join(" "))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, token: &str, path: &str) -> Answer {
        let res = reqwest::Client::new().get(self.url(path)).bearer_auth(token).send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.json::<Value>().await.unwrap_or(Value::Null);
        Answer { status, headers, body }
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The sourcedIds of the collection under `key`, in order.
    pub fn ids(&self, key: &str) -> Vec<String> {
        let list = self.body[key].as_array().unwrap_or_else(|| panic!("no '{key}' collection in {}", self.body));
        list.iter().map(|r| r["sourcedId"].as_str().unwrap().to_owned()).collect()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_owned())
    }

    /// The `imsx_codeMinorFieldValue` of an error body.
    pub fn minor(&self) -> &str {
        self.body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"].as_str().unwrap_or_default()
    }
}

/// What a fixture product is.
pub struct Product<'a> {
    pub name: &'a str,
    pub status: &'a str,
    pub scope: &'a str,
    pub scope_schools: &'a [usize],
    pub scope_grades: &'a str,
    pub elements: &'a [&'a str],
    pub contracts: &'a [(Option<usize>, i64)],
}

/// Approved district-wide with a district contract, declaring every element: it sees the whole roster.
pub const WIDE: Product = Product {
    name: "Wide",
    status: "approved",
    scope: "district_wide",
    scope_schools: &[],
    scope_grades: "",
    elements: &["name", "email", "student_id", "grade_level", "date_of_birth", "demographics", "assessment_results"],
    contracts: &[(None, 200)],
};

/// A client of WIDE with every scope, its token, and the environment.
pub async fn wide() -> (Env, Client, String) {
    wide_on(TestDb::sqlite()).await
}

pub async fn wide_on(db: TestDb) -> (Env, Client, String) {
    let env = Env::on(db).await;
    let c = env.client(WIDE).await;
    let t = env.token(&c, &all_scopes()).await;
    (env, c, t)
}

/// What a product declaring only names receives of a user, field by field.
pub const NAME_ONLY_USER: [&str; 8] = [
    "dateLastModified",
    "enabledUser",
    "familyName",
    "givenName",
    "preferredFirstName",
    "roles",
    "sourcedId",
    "status",
];

/// The fields of a JSON object, sorted.
pub fn fields(record: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = record.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    keys.sort();
    keys
}

/// `s` encoded for a query string.
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub fn v(s: &[&str]) -> Vec<String> {
    s.iter().map(|x| (*x).to_owned()).collect()
}
