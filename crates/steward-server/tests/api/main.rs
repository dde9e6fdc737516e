//! The JSON API end to end: sign-in by token, access by role and school, validation, pagination, filters, OpenAPI.

mod access;
mod events;
mod matrix;
mod reads;
#[path = "../common/roles.rs"]
mod roles;
mod writes;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use steward_core::contract::ContractDraft;
use steward_core::org::OrgDraft;
use steward_core::people::{CategoryDraft, UserDraft, VendorDraft};
use steward_core::product::ProductDraft;
use steward_server::{AppState, Settings};
use steward_store::testing::TestDb;
use steward_store::{Actor, AuditFilter, Store, User};
use tower::ServiceExt;

pub(crate) struct Env {
    pub(crate) _db: TestDb,
    pub(crate) store: Store,
    pub(crate) app: Router,
    pub(crate) district: i64,
    pub(crate) school_a: i64,
    pub(crate) school_b: i64,
    pub(crate) vendor: i64,
    pub(crate) category: i64,
}

pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Value,
}

pub(crate) fn system() -> Actor {
    Actor::system("test")
}

impl Env {
    pub(crate) async fn new() -> Self {
        let db = TestDb::sqlite();
        let store = db.store().await;
        let state = AppState::new(store.clone(), Settings::default()).await.expect("state");
        let app = steward_server::router(state);
        let org = |kind: &str, parent: Option<i64>, name: &str| OrgDraft {
            kind: kind.into(),
            parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
            name: name.into(),
            ..Default::default()
        };
        let district =
            store.create_org(&system(), &org("district", None, "Riverside USD").validate().unwrap()).await.unwrap();
        let school_a = store
            .create_org(&system(), &org("school", Some(district), "Adams Elementary").validate().unwrap())
            .await
            .unwrap();
        let school_b = store
            .create_org(&system(), &org("school", Some(district), "Baker Middle").validate().unwrap())
            .await
            .unwrap();
        let vendor = VendorDraft { name: "Acme Learning".into(), ..Default::default() }.validate().unwrap();
        let vendor = store.save_vendor(&system(), None, &vendor).await.unwrap();
        let category = CategoryDraft { name: "Math practice".into(), ..Default::default() }.validate().unwrap();
        let category = store.save_category(&system(), None, &category).await.unwrap();
        Self { _db: db, store, app, district, school_a, school_b, vendor, category }
    }

    /// A user with the role (at the school, if given) and an API token, returned as raw text.
    pub(crate) async fn user(&self, email: &str, role: &str, school: Option<i64>) -> (User, String) {
        let draft = UserDraft {
            email: email.into(),
            name: email.into(),
            role: role.into(),
            school_id: school.map(|s| s.to_string()).unwrap_or_default(),
            password: "correct horse battery".into(),
        };
        let (input, _) = draft.validate().unwrap();
        let id = self.store.create_user(&system(), &input, "not-a-real-hash").await.unwrap();
        let user = self.store.users().await.unwrap().into_iter().find(|u| u.id == id).unwrap();
        let token = format!("token-for-{email}");
        self.store.create_api_token(&user, "t", &steward_server::auth::digest(&token)).await.unwrap();
        (user, token)
    }

    pub(crate) async fn product(&self, name: &str, status: &str, grades: &str, subjects: &[&str]) -> i64 {
        let draft = ProductDraft {
            name: name.into(),
            vendor_id: self.vendor.to_string(),
            category_id: self.category.to_string(),
            grades: grades.into(),
            subjects: subjects.iter().map(|s| s.to_string()).collect(),
            status: status.into(),
            ..Default::default()
        };
        self.store.create_product(&system(), &draft.validate().unwrap()).await.unwrap()
    }

    pub(crate) async fn contract(&self, product: i64, school: Option<i64>, cost: &str, end: &str) -> i64 {
        let draft = ContractDraft {
            product_id: product.to_string(),
            school_id: school.map(|s| s.to_string()).unwrap_or_default(),
            license_model: "site".into(),
            cost: cost.into(),
            start_date: "2026-07-01".into(),
            end_date: end.into(),
            ..Default::default()
        };
        self.store.save_contract(&system(), None, &draft.validate().unwrap()).await.unwrap()
    }

    pub(crate) async fn call(&self, method: Method, uri: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).expect("a JSON body") };
        Answer { status, headers, body }
    }

    pub(crate) async fn get(&self, uri: &str, token: &str) -> Answer {
        self.call(Method::GET, uri, Some(token), None).await
    }
}

pub(crate) fn names(body: &Value) -> Vec<&str> {
    body["data"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect()
}

pub(crate) fn field_names(body: &Value) -> Vec<&str> {
    body["error"]["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().unwrap()).collect()
}
