//! The JSON API end to end: sign-in by token, access by role and school, validation, pagination, filters, OpenAPI.

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

struct Env {
    _db: TestDb,
    store: Store,
    app: Router,
    district: i64,
    school_a: i64,
    school_b: i64,
    vendor: i64,
    category: i64,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

fn system() -> Actor {
    Actor::system("test")
}

impl Env {
    async fn new() -> Self {
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
    async fn user(&self, email: &str, role: &str, school: Option<i64>) -> (User, String) {
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

    async fn product(&self, name: &str, status: &str, grades: &str, subjects: &[&str]) -> i64 {
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

    async fn contract(&self, product: i64, school: Option<i64>, cost: &str, end: &str) -> i64 {
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

    async fn call(&self, method: Method, uri: &str, token: Option<&str>, body: Option<Value>) -> Answer {
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

    async fn get(&self, uri: &str, token: &str) -> Answer {
        self.call(Method::GET, uri, Some(token), None).await
    }
}

fn names(body: &Value) -> Vec<&str> {
    body["data"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect()
}

fn field_names(body: &Value) -> Vec<&str> {
    body["error"]["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn tokens_are_required_and_checked() {
    let env = Env::new().await;
    let (admin, token) = env.user("admin@riverside.org", "district_admin", None).await;

    let none = env.call(Method::GET, "/api/v1/products", None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body["error"]["code"], "unauthenticated");
    assert!(none.headers[header::WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer"));

    let bad = env.get("/api/v1/products", "not-a-token").await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.headers[header::WWW_AUTHENTICATE].to_str().unwrap().contains("invalid_token"));

    assert_eq!(env.get("/api/v1/products", &token).await.status, StatusCode::OK);
    let id = env.store.api_tokens(admin.id).await.unwrap()[0].id;
    env.store.revoke_api_token(&admin, id).await.unwrap();
    let revoked = env.get("/api/v1/products", &token).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(revoked.body["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn teachers_and_students_see_no_inventory_or_contracts() {
    let env = Env::new().await;
    let (_, teacher) = env.user("teacher@riverside.org", "teacher", Some(env.school_a)).await;
    let (_, student) = env.user("student@riverside.org", "student", Some(env.school_a)).await;
    let product = env.product("Number Garden", "approved", "K-5", &["math"]).await;
    let contract = env.contract(product, Some(env.school_a), "100", "2027-06-30").await;
    for token in [&teacher, &student] {
        for uri in [
            "/api/v1/products".to_owned(),
            format!("/api/v1/products/{product}"),
            "/api/v1/contracts".to_owned(),
            format!("/api/v1/contracts/{contract}"),
            "/api/v1/vendors".to_owned(),
            "/api/v1/organizations".to_owned(),
        ] {
            let a = env.get(&uri, token).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{uri}");
            assert_eq!(a.body["error"]["code"], "forbidden");
        }
        let body = json!({"name": "X", "vendor_id": env.vendor, "category_id": env.category, "grades": "K-5"});
        let post = env.call(Method::POST, "/api/v1/products", Some(token), Some(body)).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
    }
    // The category taxonomy is part of the catalog everyone reads, without inventory counts.
    let cats = env.get("/api/v1/categories", &teacher).await;
    assert_eq!(cats.status, StatusCode::OK);
    assert_eq!(names(&cats.body), ["Math practice"]);
    assert!(cats.body["data"][0].get("product_count").is_none());
}

#[tokio::test]
async fn school_admins_see_and_change_only_their_school_contracts() {
    let env = Env::new().await;
    let (_, principal) = env.user("principal@riverside.org", "school_admin", Some(env.school_a)).await;
    let (_, finance) = env.user("finance@riverside.org", "finance", None).await;
    let p = env.product("Number Garden", "approved", "K-5", &["math"]).await;
    let mine = env.contract(p, Some(env.school_a), "1,234.5", "2027-06-30").await;
    let theirs = env.contract(p, Some(env.school_b), "900", "2027-06-30").await;
    let district = env.contract(p, None, "14400", "2028-06-30").await;

    let list = env.get("/api/v1/contracts", &principal).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["total"], 1);
    let c = &list.body["data"][0];
    assert_eq!(c["id"], mine);
    assert_eq!(c["school_name"], "Adams Elementary");
    assert_eq!(c["cost"], json!({"amount": "1234.50", "currency": "USD"}));
    assert_eq!(c["start_date"], "2026-07-01");
    assert_eq!(c["license_model"], "site");

    for id in [theirs, district] {
        let a = env.get(&format!("/api/v1/contracts/{id}"), &principal).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "contract {id} is out of scope");
        let del = env.call(Method::DELETE, &format!("/api/v1/contracts/{id}"), Some(&principal), None).await;
        assert_eq!(del.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(env.get(&format!("/api/v1/contracts/{mine}"), &principal).await.body["id"], mine);

    let body = |school: Option<i64>| {
        json!({"product_id": p, "school_id": school, "license_model": "per_student", "seats": 300,
               "cost": "3000.00", "start_date": "2026-08-01", "end_date": "2027-07-31", "auto_renew": true})
    };
    let other = env.call(Method::POST, "/api/v1/contracts", Some(&principal), Some(body(Some(env.school_b)))).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let own = env.call(Method::POST, "/api/v1/contracts", Some(&principal), Some(body(Some(env.school_a)))).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    assert_eq!(own.body["seats"], 300);
    assert_eq!(own.body["auto_renew"], true);
    let new_id = own.body["id"].as_i64().unwrap();
    assert_eq!(own.headers[header::LOCATION], format!("/api/v1/contracts/{new_id}"));

    // Moving one's own contract to another school is refused on the new school.
    let uri = format!("/api/v1/contracts/{mine}");
    let moved = env.call(Method::PUT, &uri, Some(&principal), Some(body(Some(env.school_b)))).await;
    assert_eq!(moved.status, StatusCode::FORBIDDEN);
    assert_eq!(env.store.contract(mine).await.unwrap().contract.school_id, Some(env.school_a));
    let kept = env.call(Method::PUT, &uri, Some(&principal), Some(body(Some(env.school_a)))).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(kept.body["cost"]["amount"], "3000.00");

    let gone = env.call(Method::DELETE, &format!("/api/v1/contracts/{new_id}"), Some(&principal), None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(env.get(&format!("/api/v1/contracts/{new_id}"), &principal).await.status, StatusCode::NOT_FOUND);

    // Finance sees every contract, and the date filters narrow them.
    assert_eq!(env.get("/api/v1/contracts", &finance).await.body["total"], 3);
    let ending = env.get("/api/v1/contracts?ends_before=2028-01-01", &finance).await;
    assert_eq!(ending.body["total"], 2);
    let later = env.get("/api/v1/contracts?ends_after=2027-12-31", &finance).await;
    assert_eq!(later.body["data"][0]["id"], district);
    assert_eq!(later.body["total"], 1);
    let school = env.get(&format!("/api/v1/contracts?school_id={}", env.school_b), &finance).await;
    assert_eq!(school.body["data"][0]["id"], theirs);
}

#[tokio::test]
async fn creating_and_updating_a_product_is_audited() {
    let env = Env::new().await;
    let (_, token) = env.user("reviewer@riverside.org", "technology_reviewer", None).await;
    let body = json!({
        "name": "Number Garden", "vendor_id": env.vendor, "category_id": env.category, "grades": "K-5",
        "subjects": ["math"], "sign_on": ["clever", "google"], "status": "approved",
        "data_elements": ["name"], "dpa_status": "signed", "dpa_expires": "2027-06-30",
        "website": "https://www.numbergarden.com",
    });
    let created = env.call(Method::POST, "/api/v1/products", Some(&token), Some(body.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let p = &created.body;
    let id = p["id"].as_i64().unwrap();
    assert_eq!(created.headers[header::LOCATION], format!("/api/v1/products/{id}"));
    assert_eq!(p["name"], "Number Garden");
    assert_eq!(p["vendor_name"], "Acme Learning");
    assert_eq!(p["grades"], "K–5");
    assert_eq!(p["subjects"], json!(["math"]));
    assert_eq!(p["sign_on"], json!(["google", "clever"]));
    assert_eq!(p["dpa_expires"], "2027-06-30");
    assert_eq!(p["launch_domain"], "numbergarden.com");
    assert_eq!(p["wcag"], "unknown");

    let mut changed = body;
    changed["status"] = json!("retired");
    changed["grades"] = json!("3-8");
    let updated = env.call(Method::PUT, &format!("/api/v1/products/{id}"), Some(&token), Some(changed)).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.body["status"], "retired");
    assert_eq!(updated.body["grades"], "3–8");
    assert_eq!(env.get(&format!("/api/v1/products/{id}"), &token).await.body["status"], "retired");

    let filter = AuditFilter {
        entity: Some("product".into()),
        entity_id: Some(id),
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    let log = env.store.audit_entries(&filter).await.unwrap();
    assert_eq!(log.total, 2);
    let (update, create) = (&log.items[0], &log.items[1]);
    assert_eq!((create.action.as_str(), update.action.as_str()), ("create", "update"));
    assert_eq!(update.actor, "reviewer@riverside.org");
    let changes: Vec<String> = update.changes().into_iter().map(|c| c.field).collect();
    assert!(changes.contains(&"status".to_owned()) && changes.contains(&"grades".to_owned()), "{changes:?}");

    let missing = env
        .call(
            Method::PUT,
            "/api/v1/products/9999",
            Some(&token),
            Some(json!({"name": "X",
        "vendor_id": env.vendor, "category_id": env.category, "grades": "K"})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body["error"]["code"], "not_found");
}

#[tokio::test]
async fn invalid_bodies_name_their_fields() {
    let env = Env::new().await;
    let (_, token) = env.user("admin@riverside.org", "district_admin", None).await;
    let bad = json!({"name": " ", "vendor_id": env.vendor, "category_id": env.category, "grades": "K-14",
                     "subjects": ["astrology"], "website": "not a url", "dpa_expires": "31/12/2026"});
    let a = env.call(Method::POST, "/api/v1/products", Some(&token), Some(bad)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.body["error"]["code"], "invalid");
    assert_eq!(field_names(&a.body), ["name", "website", "grades", "subjects", "dpa_expires"]);
    assert!(a.body["error"]["fields"][3]["message"].as_str().unwrap().contains("astrology"));

    // References the store checks are reported the same way.
    let orphan = json!({"name": "Orphan", "vendor_id": 9999, "category_id": env.category, "grades": "K"});
    let a = env.call(Method::POST, "/api/v1/products", Some(&token), Some(orphan)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&a.body), ["vendor_id"]);

    let p = env.product("Number Garden", "approved", "K-5", &["math"]).await;
    let contract = json!({"product_id": p, "license_model": "per_seat", "cost": "12.345",
                          "start_date": "2026-07-01", "end_date": "2026-06-01"});
    let a = env.call(Method::POST, "/api/v1/contracts", Some(&token), Some(contract)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&a.body), ["cost", "seats", "end_date"]);

    let school = json!({"kind": "school", "name": "Lone School", "nces_id": "123"});
    let a = env.call(Method::POST, "/api/v1/organizations", Some(&token), Some(school)).await;
    assert_eq!(field_names(&a.body), ["nces_id", "parent_id"]);
    let a = env.call(Method::POST, "/api/v1/vendors", Some(&token), Some(json!({"name": "Acme Learning"}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_names(&a.body), ["name"]);
}

#[tokio::test]
async fn unknown_fields_and_parameters_are_refused() {
    let env = Env::new().await;
    let (_, token) = env.user("admin@riverside.org", "district_admin", None).await;
    let body = json!({"name": "Acme", "colour": "red"});
    let a = env.call(Method::POST, "/api/v1/vendors", Some(&token), Some(body)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.body["error"]["code"], "bad_request");
    assert!(a.body["error"]["message"].as_str().unwrap().contains("unknown field `colour`"), "{}", a.body);

    let a = env.call(Method::POST, "/api/v1/vendors", Some(&token), Some(json!({"name": 7}))).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("name"), "{}", a.body);

    let a = env.get("/api/v1/products?colour=red", &token).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("colour"), "{}", a.body);

    let a = env.get("/api/v1/products?status=lost", &token).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let msg = a.body["error"]["message"].as_str().unwrap();
    assert!(msg.contains("`status`") && msg.contains("approved"), "{msg}");

    assert_eq!(env.get("/api/v1/products?per_page=501", &token).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(env.get("/api/v1/products/abc", &token).await.status, StatusCode::NOT_FOUND);
    let a = env.get("/api/v1/no-such-thing", &token).await;
    assert_eq!((a.status, a.body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let a = env.call(Method::DELETE, "/api/v1/vendors", Some(&token), None).await;
    assert_eq!(
        (a.status, a.body["error"]["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );
    assert_eq!(a.headers[header::ALLOW], "GET,HEAD,POST");
    let a = env.call(Method::POST, "/api/v1/vendors", Some(&token), None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body["error"]["message"].as_str().unwrap().contains("Content-Type: application/json"), "{}", a.body);
}

#[tokio::test]
async fn lists_are_paginated_with_totals_and_links() {
    let env = Env::new().await;
    let (_, token) = env.user("admin@riverside.org", "district_admin", None).await;
    for i in 1..=4 {
        env.product(&format!("Product {i}"), "approved", "K-5", &["math"]).await;
    }
    let first = env.get("/api/v1/products?per_page=3&sort=name", &token).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        (first.body["total"].as_i64(), first.body["page"].as_i64(), first.body["per_page"].as_i64()),
        (Some(4), Some(1), Some(3))
    );
    assert_eq!(names(&first.body), ["Product 1", "Product 2", "Product 3"]);
    let link = first.headers[header::LINK].to_str().unwrap();
    assert!(link.contains(r#"</api/v1/products?sort=name&page=2&per_page=3>; rel="next""#), "{link}");
    assert!(!link.contains(r#"rel="prev""#));

    let second = env.get("/api/v1/products?per_page=3&sort=name&page=2", &token).await;
    assert_eq!(names(&second.body), ["Product 4"]);
    let link = second.headers[header::LINK].to_str().unwrap();
    assert!(link.contains(r#"page=1&per_page=3>; rel="prev""#) && !link.contains(r#"rel="next""#), "{link}");

    let all = env.get("/api/v1/products", &token).await;
    assert_eq!((all.body["per_page"].as_i64(), all.body["data"].as_array().unwrap().len()), (Some(50), 4));
    assert!(all.headers.get(header::LINK).is_none());

    let orgs = env.get("/api/v1/organizations?per_page=1&page=2", &token).await;
    assert_eq!(orgs.body["total"], 3);
    assert_eq!(names(&orgs.body), ["Adams Elementary"]);
}

#[tokio::test]
async fn product_filters_narrow_the_list() {
    let env = Env::new().await;
    let (_, token) = env.user("admin@riverside.org", "district_admin", None).await;
    let garden = env.product("Number Garden", "approved", "K-5", &["math"]).await;
    env.product("Lab Notes", "approved", "9-12", &["science"]).await;
    env.product("Essay Coach", "in_review", "6-12", &["ela"]).await;
    env.contract(garden, Some(env.school_a), "100", "2027-06-30").await;

    let get = |q: &str| {
        let uri = format!("/api/v1/products?{q}");
        let env = &env;
        let token = token.clone();
        async move { names(&env.get(&uri, &token).await.body).into_iter().map(str::to_owned).collect::<Vec<_>>() }
    };
    assert_eq!(get("status=approved").await, ["Lab Notes", "Number Garden"]);
    assert_eq!(get("status=APPROVED&sort=name&order=desc").await, ["Number Garden", "Lab Notes"]);
    assert_eq!(get("grades=9-12").await, ["Essay Coach", "Lab Notes"]);
    assert_eq!(get("subject=science").await, ["Lab Notes"]);
    assert_eq!(get("q=garden").await, ["Number Garden"]);
    assert_eq!(get(&format!("school_id={}", env.school_a)).await, ["Number Garden"]);
    assert_eq!(get(&format!("category_id={}&without_manager=true", env.category)).await.len(), 3);
    assert_eq!(get("sort=grades").await, ["Number Garden", "Essay Coach", "Lab Notes"]);

    // Naming a manager takes the product off the "without manager" list.
    let (_, reviewer) = env.user("tech@riverside.org", "technology_reviewer", None).await;
    let uri = format!("/api/v1/products/{garden}/owners");
    let owner = json!({"role": "manager", "name": "Dana Ruiz", "email": "Dana@Riverside.org"});
    let a = env.call(Method::POST, &uri, Some(&reviewer), Some(owner)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!((a.body["role"].as_str(), a.body["email"].as_str()), (Some("manager"), Some("dana@riverside.org")));
    let owner_id = a.body["id"].as_i64().unwrap();
    assert_eq!(get("without_manager=true").await, ["Essay Coach", "Lab Notes"]);
    assert_eq!(names(&env.get(&uri, &token).await.body), ["Dana Ruiz"]);

    let (_, finance) = env.user("finance@riverside.org", "finance", None).await;
    let del = format!("{uri}/{owner_id}");
    assert_eq!(env.call(Method::DELETE, &del, Some(&finance), None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(env.call(Method::DELETE, &del, Some(&reviewer), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(env.call(Method::DELETE, &del, Some(&reviewer), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get("without_manager=1").await.len(), 3);
}

#[tokio::test]
async fn organizations_vendors_and_categories() {
    let env = Env::new().await;
    let (_, admin) = env.user("admin@riverside.org", "district_admin", None).await;
    let (_, finance) = env.user("finance@riverside.org", "finance", None).await;

    let schools = env.get("/api/v1/organizations?kind=school", &finance).await;
    assert_eq!(names(&schools.body), ["Adams Elementary", "Baker Middle"]);
    assert_eq!(schools.body["data"][0]["parent_id"], env.district);

    let body = json!({"kind": "school", "parent_id": env.district, "name": "Carver High",
                      "nces_id": "063441005678", "school_level": "high", "grades": "9-12"});
    let refused = env.call(Method::POST, "/api/v1/organizations", Some(&finance), Some(body.clone())).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let made = env.call(Method::POST, "/api/v1/organizations", Some(&admin), Some(body)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!((made.body["grades"].as_str(), made.body["school_level"].as_str()), (Some("9–12"), Some("high")));
    let id = made.body["id"].as_i64().unwrap();
    let recast = json!({"kind": "district", "name": "Carver High"});
    let a = env.call(Method::PUT, &format!("/api/v1/organizations/{id}"), Some(&admin), Some(recast)).await;
    assert_eq!(field_names(&a.body), ["kind"]);

    let v = env
        .call(
            Method::POST,
            "/api/v1/vendors",
            Some(&admin),
            Some(json!({"name": "Beta Books", "contact_email": "Sales@Beta.example"})),
        )
        .await;
    assert_eq!(v.status, StatusCode::CREATED);
    assert_eq!(
        (v.body["contact_email"].as_str(), v.body["product_count"].as_i64()),
        (Some("sales@beta.example"), Some(0))
    );
    let vid = v.body["id"].as_i64().unwrap();
    let put = env
        .call(Method::PUT, &format!("/api/v1/vendors/{vid}"), Some(&admin), Some(json!({"name": "Beta Press"})))
        .await;
    assert_eq!((put.status, put.body["contact_email"].clone()), (StatusCode::OK, Value::Null));
    assert_eq!(names(&env.get("/api/v1/vendors", &finance).await.body), ["Acme Learning", "Beta Press"]);

    let (_, reviewer) = env.user("tech@riverside.org", "technology_reviewer", None).await;
    let sub = json!({"name": "Fractions", "parent_id": env.category});
    assert_eq!(
        env.call(Method::POST, "/api/v1/categories", Some(&reviewer), Some(sub.clone())).await.status,
        StatusCode::FORBIDDEN
    );
    let c = env.call(Method::POST, "/api/v1/categories", Some(&admin), Some(sub)).await;
    assert_eq!((c.status, c.body["parent_id"].as_i64()), (StatusCode::CREATED, Some(env.category)));
    assert_eq!(env.get(&format!("/api/v1/categories/{}", env.category), &admin).await.body["product_count"], 0);
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let env = Env::new().await;
    let a = env.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    let doc = &a.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "Steward API");
    let products = &doc["paths"]["/api/v1/products"];
    assert!(products["get"].is_object() && products["post"].is_object());
    let params: Vec<&str> =
        products["get"]["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    for p in ["q", "status", "grades", "without_manager", "sort", "page", "per_page"] {
        assert!(params.contains(&p), "{p} in {params:?}");
    }
    for path in [
        "/api/v1/contracts/{id}",
        "/api/v1/products/{id}/owners/{owner_id}",
        "/api/v1/organizations",
        "/api/v1/categories/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(doc["security"], json!([{"bearer": []}]));
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["schemas"]["ProductOut"].is_object());
    let listing = &doc["components"]["schemas"]["Listing_ProductOut"]["properties"];
    assert_eq!(listing["data"]["type"], "array");
    assert!(listing["data"]["items"]["properties"]["grades"].is_object() && listing["total"].is_object());
    let ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().unwrap())
        .collect();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "operation ids are unique: {ids:?}");
    assert_eq!(ids.len(), 25);
}
