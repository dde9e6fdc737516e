//! LTI Advantage services over HTTP, with the tool played by the test: the token endpoint refusing every bad client
//! assertion, Names and Roles keeping to the class and to what the product declares, and Assignment and Grade
//! Services' line items, scores and results, each tool seeing only its own.

use super::lti_launch::{lti_app, now, rsa_key, PlayedTool, CLIENT};
use super::*;
use common::roster::{CLASS_A, STUDENT_A, STUDENT_B, TEACHER_A};
use jsonwebtoken::{Algorithm, Header};
use serde_json::{json, Value};

/// A client assertion as a tool signs it for the token endpoint.
fn assertion(tool: &PlayedTool, client: &str, jti: &str, iat: i64, aud: &str) -> String {
    tool.sign(&json!({ "iss": client, "sub": client, "aud": aud, "jti": jti, "iat": iat, "exp": iat + 60 }))
}

async fn token(app: &TestApp, assertion: &str, scope: &str) -> (u16, Value) {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
        ("client_assertion", assertion),
        ("scope", scope),
    ];
    let res = reqwest::Client::new().post(app.url("/lti/token")).form(&form).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

const NRPS: &str = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";
const LINEITEM: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem";
const SCORE: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/score";
const RESULTS: &str = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly";

#[tokio::test]
async fn the_token_endpoint_refuses_every_bad_assertion_and_the_services_keep_to_the_class() {
    let app = lti_app().await;
    let tool = PlayedTool::register(&app, app.seed.approved, CLIENT).await;
    let aud = app.url("/lti/token");
    let good = assertion(&tool, CLIENT, "jti-1", now(), &aud);
    let (status, body) =
        token(&app, &good, &format!("{NRPS} {LINEITEM} {SCORE} {RESULTS} https://x.example/other")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(!body["scope"].as_str().unwrap().contains("other"), "only the services' scopes are granted");
    let access = body["access_token"].as_str().unwrap().to_owned();

    let (stranger, _) = rsa_key();
    let forged = jsonwebtoken::encode(
        &Header { kid: Some(tool.kid.clone()), ..Header::new(Algorithm::RS256) },
        &json!({ "iss": CLIENT, "sub": CLIENT, "aud": aud, "jti": "jti-f", "iat": now(), "exp": now() + 60 }),
        &stranger,
    )
    .unwrap();
    for (assertion, why) in [
        (good.clone(), "was already used"),
        (forged, "signature does not verify"),
        (assertion(&tool, CLIENT, "jti-old", now() - 600, &aud), "expired"),
        (assertion(&tool, CLIENT, "jti-future", now() + 600, &aud), "in the future"),
        (assertion(&tool, CLIENT, "jti-aud", now(), "https://elsewhere.example/token"), "audience"),
    ] {
        let (status, body) = token(&app, &assertion, NRPS).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{why}: {body}");
        assert!(body["error_description"].as_str().unwrap().contains(why), "{why}: {body}");
    }
    let (status, body) = token(&app, &assertion(&tool, CLIENT, "jti-s", now(), &aud), "https://x.example/other").await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")));

    let api = reqwest::Client::new();
    let get = |path: String, bearer: &str| api.get(app.url(&path)).bearer_auth(bearer).send();
    // Names and Roles: the class's members only, and nothing the product does not declare.
    let res = get(format!("/lti/contexts/{CLASS_A}/memberships"), &access).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
    let members: Value = res.json().await.unwrap();
    let ids: Vec<&str> =
        members["members"].as_array().unwrap().iter().map(|m| m["user_id"].as_str().unwrap()).collect();
    assert!(ids.contains(&STUDENT_A) && ids.contains(&TEACHER_A) && !ids.contains(&STUDENT_B), "{ids:?}");
    assert!(members["members"][0].get("name").is_none() && members["members"][0].get("email").is_none());
    let learners: Value =
        get(format!("/lti/contexts/{CLASS_A}/memberships?role=Learner"), &access).await.unwrap().json().await.unwrap();
    assert_eq!(learners["members"].as_array().unwrap().len(), 1);
    let paged = get(format!("/lti/contexts/{CLASS_A}/memberships?limit=1"), &access).await.unwrap();
    assert!(paged.headers()["link"].to_str().unwrap().contains("rel=\"next\""));
    assert_eq!(get(format!("/lti/contexts/{CLASS_A}/memberships"), "forged").await.unwrap().status(), 401);
    assert_eq!(get("/lti/contexts/no-such-class/memberships".into(), &access).await.unwrap().status(), 404);

    // A product in review reaches no class.
    let other = PlayedTool::register(&app, app.seed.in_review, "review-tool").await;
    let (_, body) = token(&app, &assertion(&other, "review-tool", "jti-r", now(), &aud), NRPS).await;
    let other_access = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(get(format!("/lti/contexts/{CLASS_A}/memberships"), &other_access).await.unwrap().status(), 404);

    // Assignment and Grade Services: a line item, a score kept as the student's result.
    let items = app.url(&format!("/lti/contexts/{CLASS_A}/lineitems"));
    let res = api
        .post(&items)
        .bearer_auth(&access)
        .header("content-type", "application/vnd.ims.lis.v2.lineitem+json")
        .body(json!({ "label": "Fractions quiz", "scoreMaximum": 10, "tag": "quiz" }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let item: Value = res.json().await.unwrap();
    let item_url = item["id"].as_str().unwrap().to_owned();
    assert!(item_url.starts_with(&items));
    let score = |user: &str, given: f64, at: &str| {
        json!({ "userId": user, "scoreGiven": given, "scoreMaximum": 20, "timestamp": at,
            "activityProgress": "Completed", "gradingProgress": "FullyGraded" })
        .to_string()
    };
    let post_score = |body: String, bearer: String| {
        api.post(format!("{item_url}/scores"))
            .bearer_auth(bearer)
            .header("content-type", "application/vnd.ims.lis.v1.score+json")
            .body(body)
            .send()
    };
    let res = post_score(score(STUDENT_A, 14.0, "2026-12-08T10:00:00Z"), access.clone()).await.unwrap();
    assert_eq!(res.status(), 204);
    // An older score changes nothing; a student outside the class, or a malformed score, is refused.
    post_score(score(STUDENT_A, 2.0, "2026-12-08T09:00:00Z"), access.clone()).await.unwrap();
    assert_eq!(post_score(score(STUDENT_B, 1.0, "2026-12-08T10:00:00Z"), access.clone()).await.unwrap().status(), 422);
    let bad = post_score(json!({ "userId": STUDENT_A }).to_string(), access.clone()).await.unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("activityProgress is required"));
    let results: Value = get(format!("{}/results", item_url.trim_start_matches(&app.base)), &access)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(results[0]["userId"], STUDENT_A);
    assert_eq!(results[0]["resultScore"], 7.0, "14 of 20, on the line item's scale of 10");
    // The line item is read, replaced and, last, deleted with its results.
    let path = item_url.trim_start_matches(&app.base).to_owned();
    let read: Value = get(path.clone(), &access).await.unwrap().json().await.unwrap();
    assert_eq!(read["label"], "Fractions quiz");
    let res = api
        .put(&item_url)
        .bearer_auth(&access)
        .body(json!({ "label": "Fractions test", "scoreMaximum": 10 }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["label"], "Fractions test");
    let listed: Value =
        get(format!("/lti/contexts/{CLASS_A}/lineitems?tag=quiz"), &access).await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 0, "the replaced item has no tag any more");
    // Another tool does not see this tool's line items.
    let (_, body) = token(&app, &assertion(&other, "review-tool", "jti-r2", now(), &aud), LINEITEM).await;
    let other_access = body["access_token"].as_str().unwrap().to_owned();
    let res = get(format!("/lti/contexts/{CLASS_A}/lineitems"), &other_access).await.unwrap();
    assert_eq!(res.status(), 404, "another tool's product does not reach the class");
    // A token granted only the score scope may not make line items.
    let (_, body) = token(&app, &assertion(&tool, CLIENT, "jti-2", now(), &aud), SCORE).await;
    let score_only = body["access_token"].as_str().unwrap().to_owned();
    let res = api.post(&items).bearer_auth(&score_only).body("{}").send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(api.delete(&item_url).bearer_auth(&score_only).send().await.unwrap().status(), 403);
    assert_eq!(api.delete(&item_url).bearer_auth(&access).send().await.unwrap().status(), 204);
    assert_eq!(get(path, &access).await.unwrap().status(), 404);
}
