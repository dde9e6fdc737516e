//! Tokens, and what each role and school may reach.

use super::*;

#[tokio::test]
async fn tokens_are_required_and_checked() {
    let env = Env::new().await;
    let (admin, token) = env.user("admin@riverside.org", "district_admin", None).await;

    let none = env.call(Method::GET, "/api/v1/products", None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.body["error"]["code"], "unauthenticated");
    assert_eq!(none.body["error"]["message"], "Send a valid API token as `Authorization: Bearer <token>`.");
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
