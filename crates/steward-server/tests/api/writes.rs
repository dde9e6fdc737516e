//! Creating and changing records: audit entries, field errors, unknown fields.

use super::*;

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
