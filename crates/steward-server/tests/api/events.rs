//! `POST /api/v1/events`: NDJSON batches stored once each, bad lines reported by number, the discovery queue and
//! unmatched users filled, media types and roles enforced.

use super::*;
use std::collections::BTreeMap;
use steward_interop::oneroster::{data_columns, Record};
use steward_store::{SchoolCut, UsageFilter};

fn user(id: &str, email: &str) -> Record {
    let cols = data_columns("users");
    let mut values = vec![None; cols.len()];
    for (name, value) in [("enabledUser", "true"), ("username", id), ("email", email), ("givenName", "Pat")] {
        values[cols.iter().position(|c| *c == name).unwrap()] = Some(value.to_owned());
    }
    Record { sourced_id: id.into(), status: None, date_last_modified: None, values, extensions: BTreeMap::new() }
}

async fn send(env: &Env, token: &str, content_type: &str, body: String) -> Answer {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/events")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let res = env.app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    Answer { status, headers, body: serde_json::from_slice(&bytes).unwrap() }
}

fn today_at(hour: u32) -> String {
    let day = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    format!("{day}T{hour:02}:15:00Z")
}

#[tokio::test]
async fn a_batch_is_stored_once_with_each_bad_line_reported() {
    let env = Env::new().await;
    let product = env.product("Number Garden", "approved", "K-5", &["math"]).await;
    env.store
        .put_roster_records("users", &[user("stu-1", "ana@riverside.org"), user("stu-2", "ben@riverside.org")])
        .await
        .unwrap();
    let (_, token) = env.user("tech@riverside.org", "technology_reviewer", None).await;
    let lines = [
        format!(
            r#"{{"time":"{}","userSourcedId":"stu-1","productId":{product},"kind":"launch","durationSeconds":600}}"#,
            today_at(9)
        ),
        format!(
            r#"{{"time":"{}","userEmail":"Ben@Riverside.org","productId":{product},"kind":"session","durationSeconds":300}}"#,
            today_at(10)
        ),
        String::new(),
        format!(r#"{{"time":"{}","userSourcedId":"stu-1","productId":{product},"kind":"play"}}"#, today_at(11)),
        format!(
            r#"{{"time":"{}","userSourcedId":"stu-9","productDomain":"https://quizblitz.example/q","kind":"launch"}}"#,
            today_at(12)
        ),
        r#"{"time":"2001-01-01T00:00:00Z","userSourcedId":"stu-1","productId":1,"kind":"launch"}"#.to_owned(),
    ];
    let body = lines.join("\n");
    let first = send(&env, &token, "application/x-ndjson", body.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!((first.body["received"].as_u64(), first.body["stored"].as_u64()), (Some(5), Some(3)));
    assert_eq!((first.body["duplicates"].as_u64(), first.body["rejected"].as_u64()), (Some(0), Some(2)));
    let errors = first.body["errors"].as_array().unwrap();
    assert_eq!((errors[0]["line"].as_u64(), errors[0]["field"].as_str()), (Some(4), Some("kind")));
    assert_eq!((errors[1]["line"].as_u64(), errors[1]["field"].as_str()), (Some(6), Some("time")));
    assert!(errors[1]["reason"].as_str().unwrap().contains("retention"), "{}", errors[1]);

    let again = send(&env, &token, "application/x-ndjson", body).await;
    assert_eq!((again.body["stored"].as_u64(), again.body["duplicates"].as_u64()), (Some(0), Some(3)));
    let day = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    let filter = UsageFilter { product: Some(product), schools: SchoolCut::Every, from: day, to: day };
    let totals = env.store.usage_totals(&filter).await.unwrap();
    assert_eq!((totals[0].active, totals[0].events, totals[0].seconds, totals[0].launches), (2, 2, 900, 1));
    let queue = env.store.usage_discoveries("open").await.unwrap();
    assert_eq!(queue.iter().map(|d| d.key.as_str()).collect::<Vec<_>>(), ["domain:quizblitz.example"]);
    assert_eq!(env.store.usage_strangers(10).await.unwrap().1, 1, "stu-9 is counted as unmatched");
}

#[tokio::test]
async fn nothing_usable_is_422_and_other_media_types_415() {
    let env = Env::new().await;
    let (_, token) = env.user("admin@riverside.org", "district_admin", None).await;
    let bad = send(&env, &token, "application/x-ndjson", "{\"kind\":\"launch\"}\nnot json\n".into()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> =
        bad.body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["line 1: time", "line 2"]);
    let html = send(&env, &token, "text/html", "<p>hi</p>".into()).await;
    assert_eq!(html.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(html.body["error"]["code"], "unsupported_media_type");
    let (_, teacher) = env.user("t@riverside.org", "teacher", Some(env.school_a)).await;
    let refused = send(&env, &teacher, "application/x-ndjson", "{}".into()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
