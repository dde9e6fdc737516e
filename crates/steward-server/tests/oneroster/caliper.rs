//! The Caliper endpoint with a vendor's API client: its configuration, the IMS fixtures accepted as the spec says,
//! events stored once each as the client's product's usage, and the spec's status codes for what is refused.

use super::*;
use chrono::{Duration, Local};
use serde_json::{json, Value};
use steward_store::{SchoolCut, UsageFilter};

const FIXTURES: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/interop-samples/caliper-common-fixtures-v1p1/fixtures");

fn fixture(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()).unwrap()
}

async fn send(env: &Env, token: Option<&str>, content_type: &str, body: String) -> (u16, Value) {
    let mut req = reqwest::Client::new().post(env.url("/caliper")).header("Content-Type", content_type).body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json::<Value>().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_sensor_reads_the_configuration_with_its_token_only() {
    let (env, _, token) = wide().await;
    let res = reqwest::Client::new().get(env.url("/caliper")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let res = reqwest::Client::new().get(env.url("/caliper")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let config: Value = res.json().await.unwrap();
    assert_eq!(config["caliperSupportedVersions"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn envelopes_are_stored_once_as_the_products_usage() {
    let (env, client, token) = wide().await;
    // Every fixture as it is, the events each in an envelope: accepted, their 2016 events past the retention period
    // and so not counted.
    let mut names: Vec<String> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("caliperEnvelope") || n.starts_with("caliperEvent"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 37);
    for name in &names {
        let body = match fixture(name) {
            envelope if envelope.get("dataVersion").is_some() => envelope,
            event => json!({ "sensor": "https://example.edu/sensors/1", "sendTime": "2016-11-15T11:05:01.000Z",
                             "dataVersion": "http://purl.imsglobal.org/ctx/caliper/v1p1", "data": [event] }),
        };
        let (status, report) = send(&env, Some(&token), "application/json", body.to_string()).await;
        assert_eq!(status, 200, "{name}: {report}");
        assert_eq!(report["stored"], 0, "{name}");
        if report["received"].as_u64().unwrap() > 0 {
            assert!(report["errors"][0]["reason"].as_str().unwrap().contains("retention"), "{report}");
        }
    }
    // The batch moved to yesterday, its first actor named by a OneRoster sourcedId.
    let mut batch = fixture("caliperEnvelopeEventBatch.json");
    let yesterday = (Local::now().date_naive() - Duration::days(1)).format("%Y-%m-%d").to_string();
    for event in batch["data"].as_array_mut().unwrap() {
        let time = event["eventTime"].as_str().unwrap().replace("2016-11-15", &yesterday);
        event["eventTime"] = json!(time);
    }
    batch["data"][0]["actor"]["otherIdentifiers"] =
        json!([{ "type": "SystemIdentifier", "identifierType": "LisSourcedId", "identifier": "stu-a3" }]);
    let (status, report) = send(&env, Some(&token), "application/json", batch.to_string()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["received"].as_u64(), report["stored"].as_u64()), (Some(3), Some(3)));
    let (_, again) = send(&env, Some(&token), "application/json; charset=utf-8", batch.to_string()).await;
    assert_eq!((again["stored"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(3)), "ids make events one");
    let day = Local::now().date_naive() - Duration::days(1);
    let filter = UsageFilter { product: Some(client.product), schools: SchoolCut::Every, from: day, to: day };
    let totals = env.store.usage_totals(&filter).await.unwrap();
    assert_eq!((totals[0].active, totals[0].events), (1, 3), "stu-a3 matched; the others are unmatched IRIs");
    let (strangers, _) = env.store.usage_strangers(10).await.unwrap();
    assert!(strangers.iter().any(|s| s.key == "username:https://example.edu/users/554433"), "{strangers:?}");
}

#[tokio::test]
async fn what_is_refused_gets_the_specs_status() {
    let (env, _, token) = wide().await;
    let mut bad = fixture("caliperEnvelopeEventSingle.json");
    bad["data"][0].as_object_mut().unwrap().remove("id");
    let (status, problem) = send(&env, Some(&token), "application/json", bad.to_string()).await;
    assert_eq!(status, 400);
    assert!(problem["detail"].as_str().unwrap().starts_with("data[0].id"), "{problem}");
    let mut old = fixture("caliperEnvelopeEventSingle.json");
    old["dataVersion"] = json!("http://purl.imsglobal.org/ctx/caliper/v1p0");
    assert_eq!(send(&env, Some(&token), "application/json", old.to_string()).await.0, 422);
    let single = fixture("caliperEnvelopeEventSingle.json").to_string();
    assert_eq!(send(&env, Some(&token), "text/plain", single.clone()).await.0, 415);
    assert_eq!(send(&env, None, "application/json", single.clone()).await.0, 401);
    assert_eq!(send(&env, Some("not-a-token"), "application/json", single).await.0, 401);
    assert_eq!(send(&env, Some(&token), "application/json", "{".into()).await.0, 400);
}
